// vec.cu: element-wise vector kernels (ssprove_cuda.h), kernels/field's Add,
// Sub, Mul, ScalarMul and MulAdd. Each is a grid-stride loop over a grid
// sized to the device, so one launch serves any n; they are bound by memory
// bandwidth, not by the arithmetic.
#include "goldilocks.cuh"
#include "internal.cuh"

namespace {

constexpr unsigned VEC_THREADS = 256;
constexpr unsigned VEC_BLOCKS_PER_SM = 8;

enum Op { OP_ADD, OP_SUB, OP_MUL };

template <Op op>
__global__ void binary_kernel(uint64_t *res, const uint64_t *a, const uint64_t *b, uint64_t n) {
	for (uint64_t i = blockIdx.x * (uint64_t)blockDim.x + threadIdx.x; i < n; i += (uint64_t)gridDim.x * blockDim.x) {
		uint64_t x = a[i], y = b[i];
		res[i] = op == OP_ADD ? gl::add(x, y) : op == OP_SUB ? gl::sub(x, y) : gl::mul(x, y);
	}
}

__global__ void scalar_mul_kernel(uint64_t *res, const uint64_t *a, uint64_t s, uint64_t n) {
	for (uint64_t i = blockIdx.x * (uint64_t)blockDim.x + threadIdx.x; i < n; i += (uint64_t)gridDim.x * blockDim.x)
		res[i] = gl::mul(a[i], s);
}

__global__ void mul_add_kernel(uint64_t *y, uint64_t s, const uint64_t *x, uint64_t n) {
	for (uint64_t i = blockIdx.x * (uint64_t)blockDim.x + threadIdx.x; i < n; i += (uint64_t)gridDim.x * blockDim.x)
		y[i] = gl::add(y[i], gl::mul(s, x[i]));
}

// prepare checks the common arguments and makes the device current; it sets
// *skip for an empty vector, which needs no launch.
ssp_status prepare(ssp::Device *dev, bool ptrs_ok, uint64_t n, uint64_t scalar, bool *skip) {
	if (ssp_status e = ssp::enter(dev)) return e;
	if (!ptrs_ok || scalar >= gl::Q) return SSP_ERR_ARG;
	*skip = n == 0;
	return SSP_OK;
}

template <Op op>
ssp_status binary(ssp_dptr res, ssp_dptr a, ssp_dptr b, uint64_t n, ssp_stream s) {
	ssp::Device dev;
	bool skip;
	if (ssp_status e = prepare(&dev, res && a && b, n, 0, &skip)) return e;
	if (skip) return SSP_OK;
	binary_kernel<op><<<ssp::grid(dev, n, VEC_THREADS, VEC_BLOCKS_PER_SM), VEC_THREADS, 0, ssp::stream(s)>>>(
	    (uint64_t *)res, (const uint64_t *)a, (const uint64_t *)b, n);
	return ssp::launched();
}

}  // namespace

extern "C" ssp_status ssp_vec_add(ssp_dptr res, ssp_dptr a, ssp_dptr b, uint64_t n, ssp_stream s) {
	return binary<OP_ADD>(res, a, b, n, s);
}

extern "C" ssp_status ssp_vec_sub(ssp_dptr res, ssp_dptr a, ssp_dptr b, uint64_t n, ssp_stream s) {
	return binary<OP_SUB>(res, a, b, n, s);
}

extern "C" ssp_status ssp_vec_mul(ssp_dptr res, ssp_dptr a, ssp_dptr b, uint64_t n, ssp_stream s) {
	return binary<OP_MUL>(res, a, b, n, s);
}

extern "C" ssp_status ssp_vec_scalar_mul(ssp_dptr res, ssp_dptr a, uint64_t scalar, uint64_t n, ssp_stream s) {
	ssp::Device dev;
	bool skip;
	if (ssp_status e = prepare(&dev, res && a, n, scalar, &skip)) return e;
	if (skip) return SSP_OK;
	scalar_mul_kernel<<<ssp::grid(dev, n, VEC_THREADS, VEC_BLOCKS_PER_SM), VEC_THREADS, 0, ssp::stream(s)>>>(
	    (uint64_t *)res, (const uint64_t *)a, scalar, n);
	return ssp::launched();
}

extern "C" ssp_status ssp_vec_mul_add(ssp_dptr y, uint64_t scalar, ssp_dptr x, uint64_t n, ssp_stream s) {
	ssp::Device dev;
	bool skip;
	if (ssp_status e = prepare(&dev, y && x, n, scalar, &skip)) return e;
	if (skip) return SSP_OK;
	mul_add_kernel<<<ssp::grid(dev, n, VEC_THREADS, VEC_BLOCKS_PER_SM), VEC_THREADS, 0, ssp::stream(s)>>>(
	    (uint64_t *)y, scalar, (const uint64_t *)x, n);
	return ssp::launched();
}
