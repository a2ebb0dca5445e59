// ntt.cu: NTT domains and ssp_ntt (ssprove_cuda.h); the algorithm is in ntt.cuh.
#include <vector>

#include "internal.cuh"
#include "ntt.cuh"

namespace {

// TILE_THREADS: 512 threads share a tile of 2^13 elements, 8 butterflies
// each per stage, and three such blocks (192 KiB) fit one Hopper SM.
constexpr unsigned TILE_THREADS = 512;
constexpr unsigned TILE_BLOCKS_PER_SM = 3;

__global__ void __launch_bounds__(TILE_THREADS) tile_kernel(ntt::Args a, uint64_t tiles) {
	extern __shared__ uint64_t s[];
	for (uint64_t t = blockIdx.x; t < tiles; t += gridDim.x) ntt::run_tile(DeviceExec{}, a, t, s);
}

// table_kernel fills the concatenated twiddle tables (lo then hi) of root w.
__global__ void table_kernel(uint64_t *t, uint64_t count, uint64_t w, uint32_t lo_bits) {
	for (uint64_t i = blockIdx.x * (uint64_t)blockDim.x + threadIdx.x; i < count; i += (uint64_t)gridDim.x * blockDim.x)
		t[i] = ntt::table_entry(w, lo_bits, i);
}

// Tables is a pair of twiddle tables in one device allocation.
struct Tables {
	uint64_t *mem = nullptr;
	uint32_t lo_bits = 0, hi_bits = 0;

	uint64_t count() const { return (1ull << lo_bits) + (1ull << hi_bits); }
	ntt::Twiddles view() const { return {mem, mem + (1ull << lo_bits), lo_bits, hi_bits}; }
};

// fill_tables computes the tables of root w for exponents below 2^e_bits
// into t->mem (already allocated, t->count() words) on stream st.
ssp_status fill_tables(const ssp::Device &dev, Tables *t, uint64_t w, cudaStream_t st) {
	table_kernel<<<ssp::grid(dev, t->count(), 256, 4), 256, 0, st>>>(t->mem, t->count(), w, t->lo_bits);
	return ssp::launched();
}

}  // namespace

struct ssp_ntt_domain {
	int dev;
	uint32_t log_n;
	uint64_t n_inv;
	Tables fwd, inv;  // omega^e and omega^-e for e < n/2
};

namespace ssp {

ssp_status ntt_init(const Device &dev) { return set_shared((const void *)tile_kernel, dev); }

}  // namespace ssp

extern "C" ssp_status ssp_ntt_domain_create(ssp_ntt_domain **d, uint32_t log_n, uint64_t omega) {
	ssp::Device dev;
	if (ssp_status s = ssp::enter(&dev)) return s;
	if (!d || log_n > ntt::MAX_LOG || omega >= gl::Q) return SSP_ERR_ARG;
	// omega must have order exactly 2^log_n, or every result would be wrong.
	if (gl::exp(omega, 1ull << log_n) != gl::ONE) return SSP_ERR_ARG;
	if (log_n > 0 && gl::exp(omega, 1ull << (log_n - 1)) == gl::ONE) return SSP_ERR_ARG;
	auto *dom = new ssp_ntt_domain{};
	dom->dev = dev.id;
	dom->log_n = log_n;
	dom->n_inv = gl::inv(gl::from_uint(1ull << log_n));
	uint32_t lo, hi;
	ntt::table_bits(log_n == 0 ? 0 : log_n - 1, &lo, &hi);
	dom->fwd.lo_bits = dom->inv.lo_bits = lo;
	dom->fwd.hi_bits = dom->inv.hi_bits = hi;
	uint64_t words = dom->fwd.count();
	uint64_t *mem = nullptr;
	ssp_status s = (ssp_status)cudaMalloc(&mem, 2 * words * 8);
	if (s) {
		delete dom;
		return s;
	}
	dom->fwd.mem = mem;
	dom->inv.mem = mem + words;
	cudaStream_t st = cudaStreamPerThread;
	if (!s) s = fill_tables(dev, &dom->fwd, omega, st);
	if (!s) s = fill_tables(dev, &dom->inv, gl::inv(omega), st);
	if (!s) s = (ssp_status)cudaStreamSynchronize(st);
	if (s) {
		cudaFree(mem);
		delete dom;
		return s;
	}
	ssp::track(dom, ssp::KIND_DOMAIN, dev.id);
	*d = dom;
	return SSP_OK;
}

extern "C" ssp_status ssp_ntt_domain_destroy(ssp_ntt_domain *d) {
	ssp::Device dev;
	if (ssp_status s = ssp::enter(&dev)) return s;
	if (ssp_status s = ssp::check(d, ssp::KIND_DOMAIN, dev)) return s;
	ssp::untrack(d, ssp::KIND_DOMAIN);
	// cudaFree waits for work still using the tables.
	ssp_status s = (ssp_status)cudaFree(d->fwd.mem);
	delete d;
	return s;
}

extern "C" ssp_status ssp_ntt(const ssp_ntt_domain *d, ssp_dptr data, uint32_t batch, int32_t dir,
                              int32_t order_in, int32_t order_out, uint64_t coset_shift, ssp_stream s) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	if (ssp_status e = ssp::check(d, ssp::KIND_DOMAIN, dev)) return e;
	if (!data || (dir != SSP_NTT_FORWARD && dir != SSP_NTT_INVERSE) ||
	    (order_in != SSP_ORDER_NATURAL && order_in != SSP_ORDER_BITREV) ||
	    (order_out != SSP_ORDER_NATURAL && order_out != SSP_ORDER_BITREV) || coset_shift >= gl::Q)
		return SSP_ERR_ARG;
	if (batch == 0) return SSP_OK;
	cudaStream_t st = ssp::stream(s);
	bool inverse = dir == SSP_NTT_INVERSE;

	// The coset powers g^j (forward) or g^-j (inverse) for j < n, made on
	// the device into memory of this call's own: calls may run concurrently.
	Tables coset;
	if (coset_shift != 0) {
		ntt::table_bits(d->log_n, &coset.lo_bits, &coset.hi_bits);
		if (ssp_status e = (ssp_status)cudaMallocAsync(&coset.mem, coset.count() * 8, st)) return e;
		uint64_t g = inverse ? gl::inv(coset_shift) : coset_shift;
		if (ssp_status e = fill_tables(dev, &coset, g, st)) {
			cudaFreeAsync(coset.mem, st);
			return e;
		}
	}
	ntt::Scale pre, post;
	ntt::Twiddles cv{};
	if (coset.mem) cv = coset.view();
	ntt::scales(inverse, d->n_inv, coset.mem ? &cv : nullptr, &pre, &post);
	ntt::Plan plan;
	ssp_status e = SSP_OK;
	if (!ntt::make_plan(&plan, d->log_n, batch, order_in == SSP_ORDER_BITREV, order_out == SSP_ORDER_BITREV, pre,
	                    post, ntt::TILE_LOG, ntt::MIN_CHUNK_LOG))
		e = SSP_ERR_ARG;
	ntt::Args a{(uint64_t *)data, batch, d->log_n, {}, (inverse ? d->inv : d->fwd).view()};
	for (uint32_t i = 0; i < plan.steps && !e; i++) {
		a.st = plan.step[i];
		uint64_t n = ntt::tiles(a);
		unsigned blocks = ssp::grid(dev, n, 1, TILE_BLOCKS_PER_SM);
		tile_kernel<<<blocks, TILE_THREADS, ntt::shared_bytes(a.st), st>>>(a, n);
		e = ssp::launched();
	}
	if (coset.mem) {
		ssp_status f = (ssp_status)cudaFreeAsync(coset.mem, st);
		if (!e) e = f;
	}
	return e;
}
