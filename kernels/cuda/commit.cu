// commit.cu: the resident commitment matrix and ssp_commit (ssprove_cuda.h);
// the algorithm, and why it takes the NTT path, is in commit.cuh.
#include "commit.cuh"
#include "internal.cuh"

namespace {

constexpr unsigned COMMIT_THREADS = 256;
// ACC_BLOCKS_PER_SM: an accumulate block of 4 witnesses takes 82 KiB of
// shared memory, so two share an SM.
constexpr unsigned ACC_BLOCKS_PER_SM = 2;
// STAGE_COLUMNS: the matrix goes up row by row in slices of 2^16 columns
// (28 MiB of coefficients), so making it needs little memory besides M^.
constexpr uint64_t STAGE_COLUMNS = 1 << 16;
// MAX_ELEMENTS bounds kappa * m, as kernels/ajtai does.
constexpr uint64_t MAX_ELEMENTS = 1ull << 40;

__global__ void __launch_bounds__(COMMIT_THREADS) expand_kernel(commit::ExpandArgs a, uint64_t tiles) {
	extern __shared__ uint64_t s[];
	for (uint64_t t = blockIdx.x; t < tiles; t += gridDim.x) commit::expand_tile(DeviceExec{}, a, t, s);
}

template <uint32_t WG>
__global__ void __launch_bounds__(COMMIT_THREADS) accumulate_kernel(commit::AccArgs a) {
	extern __shared__ uint64_t s[];
	commit::accumulate_block<WG>(DeviceExec{}, a, blockIdx.x, blockIdx.y, blockIdx.z, s);
}

__global__ void __launch_bounds__(COMMIT_THREADS) reduce_kernel(commit::ReduceArgs a) {
	extern __shared__ uint64_t s[];
	for (uint64_t p = blockIdx.x; p < a.pairs; p += gridDim.x) commit::reduce_pair(DeviceExec{}, a, p, s);
}

template <uint32_t WG>
ssp_status accumulate(commit::AccArgs a, uint32_t groups, cudaStream_t st) {
	dim3 g(a.nbx, (a.kappa + commit::ROWS - 1) / commit::ROWS, groups);
	accumulate_kernel<WG><<<g, COMMIT_THREADS, commit::acc_shared_words(WG) * 8, st>>>(a);
	return ssp::launched();
}

}  // namespace

struct ssp_commit_matrix {
	int dev;
	uint32_t kappa;
	uint64_t m;
	uint64_t *hat;  // M^_ij at (j * kappa + i) * 128
	commit::Roots roots;
};

namespace ssp {

ssp_status commit_init(const Device &dev) {
	if (ssp_status e = set_shared((const void *)accumulate_kernel<1>, dev)) return e;
	if (ssp_status e = set_shared((const void *)accumulate_kernel<2>, dev)) return e;
	return set_shared((const void *)accumulate_kernel<4>, dev);
}

}  // namespace ssp

extern "C" ssp_status ssp_commit_matrix_create(ssp_commit_matrix **mat, const uint64_t *m_coeffs, uint32_t kappa,
                                               uint64_t m) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	if (!mat || !m_coeffs || kappa == 0 || m == 0 || kappa > commit::MAX_GRID_YZ * commit::ROWS ||
	    m > MAX_ELEMENTS / kappa)
		return SSP_ERR_ARG;
	auto *x = new ssp_commit_matrix{};
	x->dev = dev.id;
	x->kappa = kappa;
	x->m = m;
	x->roots = commit::make_roots();
	uint64_t *stage = nullptr;
	uint64_t cols = m < STAGE_COLUMNS ? m : STAGE_COLUMNS;
	ssp_status e = (ssp_status)cudaMalloc(&x->hat, (uint64_t)kappa * m * commit::P * 8);
	if (!e) e = (ssp_status)cudaMalloc(&stage, cols * commit::D * 8);
	cudaStream_t st = cudaStreamPerThread;
	uint64_t smem = (commit::EXPAND * commit::P + commit::P / 2) * 8;
	for (uint32_t i = 0; i < kappa && !e; i++) {
		for (uint64_t j0 = 0; j0 < m && !e; j0 += cols) {
			uint64_t count = m - j0 < cols ? m - j0 : cols;
			// From pageable memory the copy is staged before it returns, and the
			// stream orders it after the kernel that last read stage.
			e = (ssp_status)cudaMemcpyAsync(stage, m_coeffs + ((uint64_t)i * m + j0) * commit::D,
			                                count * commit::D * 8, cudaMemcpyHostToDevice, st);
			if (e) break;
			commit::ExpandArgs a{stage, x->hat, j0, count, i, kappa, x->roots};
			uint64_t tiles = (count + commit::EXPAND - 1) / commit::EXPAND;
			expand_kernel<<<ssp::grid(dev, tiles, 1, 8), COMMIT_THREADS, smem, st>>>(a, tiles);
			e = ssp::launched();
		}
	}
	if (!e) e = (ssp_status)cudaStreamSynchronize(st);
	if (stage) cudaFree(stage);
	if (e) {
		if (x->hat) cudaFree(x->hat);
		delete x;
		return e;
	}
	ssp::track(x, ssp::KIND_MATRIX, dev.id);
	*mat = x;
	return SSP_OK;
}

extern "C" ssp_status ssp_commit_matrix_destroy(ssp_commit_matrix *mat) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	if (ssp_status e = ssp::check(mat, ssp::KIND_MATRIX, dev)) return e;
	ssp::untrack(mat, ssp::KIND_MATRIX);
	// cudaFree waits for the commitments still reading M^.
	ssp_status e = (ssp_status)cudaFree(mat->hat);
	delete mat;
	return e;
}

extern "C" ssp_status ssp_commit(const ssp_commit_matrix *mat, ssp_dptr z, uint32_t witnesses, ssp_dptr out,
                                 ssp_stream s) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	if (ssp_status e = ssp::check(mat, ssp::KIND_MATRIX, dev)) return e;
	if (!z || !out) return SSP_ERR_ARG;
	if (witnesses == 0) return SSP_OK;
	cudaStream_t st = ssp::stream(s);
	uint32_t wg = commit::group_size(witnesses);
	uint64_t groups = (witnesses + wg - 1) / wg;
	uint32_t nbx = commit::slices((uint64_t)dev.sms * ACC_BLOCKS_PER_SM * 2, witnesses, mat->kappa, mat->m);
	uint64_t per_slice = (uint64_t)witnesses * mat->kappa * commit::P * 8;
	uint64_t *partial = nullptr;
	if (ssp_status e = (ssp_status)cudaMallocAsync(&partial, per_slice * nbx, st)) return e;
	commit::AccArgs a{mat->hat, (const uint64_t *)z, partial, mat->m, mat->kappa, witnesses, 0, nbx,
	                  mat->roots};
	ssp_status e = SSP_OK;
	for (uint64_t g0 = 0; g0 < groups && !e; g0 += commit::MAX_GRID_YZ) {
		uint32_t n = (uint32_t)(groups - g0 < commit::MAX_GRID_YZ ? groups - g0 : commit::MAX_GRID_YZ);
		a.w_base = (uint32_t)(g0 * wg);
		e = wg == 1 ? accumulate<1>(a, n, st) : wg == 2 ? accumulate<2>(a, n, st) : accumulate<4>(a, n, st);
	}
	if (!e) {
		uint64_t pairs = (uint64_t)witnesses * mat->kappa;
		commit::ReduceArgs r{partial, (uint64_t *)out, pairs, nbx, mat->roots};
		reduce_kernel<<<ssp::grid(dev, pairs, 1, 8), COMMIT_THREADS, commit::REDUCE_SHARED_WORDS * 8, st>>>(r);
		e = ssp::launched();
	}
	ssp_status f = (ssp_status)cudaFreeAsync(partial, st);
	return e ? e : f;
}
