// hostcheck runs the arithmetic and the per-thread code of libssprove_cuda.so
// on the host, compiled by a plain C++ compiler from the same headers the
// kernels are built from (goldilocks.cuh, ntt.cuh, commit.cuh), so that
// hostcheck_test.go can compare it word for word with gnark-crypto,
// kernels/ntt and kernels/ajtai on a machine without the CUDA toolkit.
//
// A kernel's tile runs here as the device runs it, phase by phase: HostExec
// does one phase's iterations in order where a block spreads them over its
// threads, and the barriers between phases make the two the same. What this
// leaves to the GPU check: the launches, shared-memory sizes and the
// parallel schedule itself (a race between threads of one phase would not
// show here).
//
// Usage: hostcheck arith|ntt|commit, little-endian 64-bit words on stdin and
// stdout, laid out as each function below says.
#include <stdio.h>
#include <string.h>

#include <vector>

#include "../../commit.cuh"
#include "../../ntt.cuh"

namespace {

struct HostExec {
	template <class F>
	void each(uint32_t n, F f) const {
		for (uint32_t i = 0; i < n; i++) f(i);
	}
	void sync() const {}
};

bool read_words(uint64_t *p, size_t n) { return fread(p, 8, n, stdin) == n; }

bool read_vec(std::vector<uint64_t> *v, size_t n) {
	v->resize(n);
	return n == 0 || read_words(v->data(), n);
}

bool write_words(const uint64_t *p, size_t n) { return fwrite(p, 8, n, stdout) == n; }

// tables builds the concatenated tables of root w for 2^e_bits exponents
// the way table_kernel does, and returns their view.
ntt::Twiddles tables(std::vector<uint64_t> *mem, uint64_t w, uint32_t e_bits) {
	uint32_t lo, hi;
	ntt::table_bits(e_bits, &lo, &hi);
	mem->resize((1ull << lo) + (1ull << hi));
	for (uint64_t i = 0; i < mem->size(); i++) (*mem)[i] = ntt::table_entry(w, lo, i);
	return {mem->data(), mem->data() + (1ull << lo), lo, hi};
}

// arith: count, then count pairs (a, e), a < q, e any word, b = e mod q; out
// per pair: a + b, a - b, a * b, -a, a^-1, a^e, the Montgomery form of b.
int arith() {
	uint64_t n;
	if (!read_words(&n, 1)) return 2;
	std::vector<uint64_t> in, out;
	if (!read_vec(&in, 2 * n)) return 2;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t a = in[2 * i], e = in[2 * i + 1], b = e % gl::Q;
		uint64_t r[7] = {gl::add(a, b), gl::sub(a, b), gl::mul(a, b), gl::neg(a), gl::inv(a), gl::exp(a, e),
		                 gl::from_uint(b)};
		out.insert(out.end(), r, r + 7);
	}
	return write_words(out.data(), out.size()) ? 0 : 1;
}

// ntt: log_n, batch, dir (0 forward, 1 inverse), in_rev, out_rev,
// coset_shift (0: none), omega, tile_log, min_chunk, then batch * 2^log_n
// words; out: the transformed words, computed as ssp_ntt plans them.
int transform() {
	uint64_t h[9];
	if (!read_words(h, 9)) return 2;
	uint32_t L = (uint32_t)h[0];
	uint64_t batch = h[1];
	bool inverse = h[2] != 0;
	if (L > ntt::MAX_LOG) return 2;
	std::vector<uint64_t> data;
	if (!read_vec(&data, batch << L)) return 2;
	uint64_t omega = h[6];
	std::vector<uint64_t> tw_mem, coset_mem;
	ntt::Twiddles tw = tables(&tw_mem, inverse ? gl::inv(omega) : omega, L == 0 ? 0 : L - 1);
	ntt::Twiddles coset{};
	if (h[5] != 0) coset = tables(&coset_mem, inverse ? gl::inv(h[5]) : h[5], L);
	ntt::Scale pre, post;
	ntt::scales(inverse, gl::inv(gl::from_uint(1ull << L)), h[5] ? &coset : nullptr, &pre, &post);
	ntt::Plan plan;
	if (!ntt::make_plan(&plan, L, batch, h[3] != 0, h[4] != 0, pre, post, (uint32_t)h[7], (uint32_t)h[8])) return 3;
	ntt::Args a{data.data(), batch, L, {}, tw};
	std::vector<uint64_t> smem;
	for (uint32_t i = 0; i < plan.steps; i++) {
		a.st = plan.step[i];
		smem.assign(ntt::shared_bytes(a.st) / 8, 0);
		uint64_t n = ntt::tiles(a);
		for (uint64_t t = 0; t < n; t++) ntt::run_tile(HostExec{}, a, t, smem.data());
	}
	fprintf(stderr, "ntt 2^%u x %llu: %u steps\n", L, (unsigned long long)batch, plan.steps);
	return write_words(data.data(), data.size()) ? 0 : 1;
}

template <uint32_t WG>
void accumulate(const commit::AccArgs &a, uint32_t groups) {
	std::vector<uint64_t> smem(commit::acc_shared_words(WG));
	for (uint32_t wz = 0; wz < groups; wz++)
		for (uint32_t ry = 0; ry < (a.kappa + commit::ROWS - 1) / commit::ROWS; ry++)
			for (uint32_t bx = 0; bx < a.nbx; bx++) commit::accumulate_block<WG>(HostExec{}, a, bx, ry, wz, smem.data());
}

// commit: kappa, m, witnesses, target (block slots, as sms * blocks per SM
// on the device: it sets the number of column slices), stage (columns per
// expand upload), then M (kappa * m * 54, row-major as ssp_commit_matrix_create
// takes it) and Z (witnesses * m * 54); out: witnesses * kappa * 54 words.
int commitment() {
	uint64_t h[5];
	if (!read_words(h, 5)) return 2;
	uint32_t kappa = (uint32_t)h[0], W = (uint32_t)h[2];
	uint64_t m = h[1], target = h[3], stage = h[4];
	if (kappa == 0 || m == 0 || W == 0 || stage == 0) return 2;
	std::vector<uint64_t> M, Z;
	if (!read_vec(&M, kappa * m * commit::D) || !read_vec(&Z, W * m * commit::D)) return 2;
	commit::Roots roots = commit::make_roots();
	std::vector<uint64_t> hat(kappa * m * commit::P);
	std::vector<uint64_t> smem(commit::EXPAND * commit::P + commit::P / 2);
	for (uint32_t i = 0; i < kappa; i++) {
		for (uint64_t j0 = 0; j0 < m; j0 += stage) {
			uint64_t count = m - j0 < stage ? m - j0 : stage;
			commit::ExpandArgs e{&M[(i * m + j0) * commit::D], hat.data(), j0, count, i, kappa, roots};
			for (uint64_t t = 0; t < (count + commit::EXPAND - 1) / commit::EXPAND; t++)
				commit::expand_tile(HostExec{}, e, t, smem.data());
		}
	}
	uint32_t wg = commit::group_size(W);
	uint32_t nbx = commit::slices(target, W, kappa, m);
	std::vector<uint64_t> partial((uint64_t)W * kappa * nbx * commit::P, 0x5a5a5a5a5a5a5a5aull);
	commit::AccArgs a{hat.data(), Z.data(), partial.data(), m, kappa, W, 0, nbx, roots};
	uint32_t groups = (W + wg - 1) / wg;
	if (wg == 1) accumulate<1>(a, groups);
	if (wg == 2) accumulate<2>(a, groups);
	if (wg == 4) accumulate<4>(a, groups);
	std::vector<uint64_t> out((uint64_t)W * kappa * commit::D);
	commit::ReduceArgs r{partial.data(), out.data(), (uint64_t)W * kappa, nbx, roots};
	smem.assign(commit::REDUCE_SHARED_WORDS, 0);
	for (uint64_t p = 0; p < r.pairs; p++) commit::reduce_pair(HostExec{}, r, p, smem.data());
	fprintf(stderr, "commit kappa %u m %llu witnesses %u: %u slices, groups of %u\n", kappa, (unsigned long long)m, W,
	        nbx, wg);
	return write_words(out.data(), out.size()) ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: hostcheck arith|ntt|commit < words\n");
		return 2;
	}
	int rc = 2;
	if (!strcmp(argv[1], "arith")) rc = arith();
	if (!strcmp(argv[1], "ntt")) rc = transform();
	if (!strcmp(argv[1], "commit")) rc = commitment();
	if (rc == 2) fprintf(stderr, "hostcheck %s: bad input\n", argv[1]);
	if (rc == 3) fprintf(stderr, "hostcheck %s: cannot plan\n", argv[1]);
	if (rc == 1) fprintf(stderr, "hostcheck %s: write failed\n", argv[1]);
	return rc;
}
