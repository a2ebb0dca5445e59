// commit.cuh: the Ajtai commitment c_i = sum_j M_ij * z_j in
// R_q = F_q[X]/Phi81 (kernels/ajtai), as pieces shared by commit.cu and the
// host check.
//
// Why 128-point NTTs and not the schoolbook product: a product of two ring
// elements costs 54 * 54 = 2916 multiplications by schoolbook, and 128
// pointwise ones against the pre-transformed matrix (plus one 128-point
// transform per witness column, shared by all kappa rows). A Hopper SM has no
// 64-bit multiplier, so a Goldilocks product is a dozen 32-bit IMADs and
// its reduction: schoolbook would be arithmetic-bound at 20x the NTT path's
// work, while the NTT path reads M^ (kappa * m * 128 words, 2.4x the
// coefficients) once per commitment at memory bandwidth and stays near it.
//
// Three kernels:
//   - expand (once, when the matrix is made): M_ij zero-padded to 128
//     coefficients, transformed DIF (bit-reversed evaluations), stored
//     column-major, M^ at (j * kappa + i) * 128, so that a block walking
//     columns reads kappa * 1 KiB contiguous per column;
//   - accumulate: a block takes a slice of the columns, a group of up to
//     ROWS rows and of up to WG witnesses; per step of COLS columns it
//     transforms their z_j (zero-padded, DIF) in shared memory and adds
//     M^_ij (.) z^_j into accumulators in shared memory, each owned by one
//     thread; at the end it writes its partial sums, one per block: no
//     atomics, and the sum is exact in any order;
//   - reduce: per (witness, row), the sum of the blocks' partials, the
//     inverse transform (DIT, bit-reversed in, natural out, times 1/128), and
//     the reduction mod Phi81 of the product of degree <= 106.
#ifndef SSPROVE_COMMIT_CUH
#define SSPROVE_COMMIT_CUH

#include "ntt.cuh"

namespace commit {

constexpr uint32_t D = 54;          // coefficients of a ring element
constexpr uint32_t LOG_P = 7;       // the transform has 2^7 points
constexpr uint32_t P = 1u << LOG_P;
constexpr uint32_t ROWS = 16;       // rows of M per accumulate block
constexpr uint32_t COLS = 4;        // columns transformed per accumulate step
constexpr uint32_t EXPAND = 8;      // ring elements per expand tile
constexpr uint32_t REDUCE_SPLIT = 2;  // threads summing the partials of one lane

// Roots holds omega_128^i and omega_128^-i for i < 64, and 1/128: the
// twiddle tables a 128-point DIF and its inverse DIT read. Any primitive
// 128th root serves (the commitment does not depend on it); this one is
// 7^((q-1)/128).
struct Roots {
	uint64_t fwd[P / 2];
	uint64_t inv[P / 2];
	uint64_t inv_p;
};

inline Roots make_roots() {
	Roots r;
	uint64_t w = gl::exp(gl::from_uint(gl::GENERATOR), (gl::Q - 1) / P);
	uint64_t wi = gl::inv(w);
	for (uint32_t i = 0; i < P / 2; i++) {
		r.fwd[i] = gl::exp(w, i);
		r.inv[i] = gl::exp(wi, i);
	}
	r.inv_p = gl::inv(gl::from_uint(P));
	return r;
}

// twiddles views a 64-entry table (in shared memory on the device) as the
// Twiddles of ntt.cuh: every exponent of a 128-point transform is below 64.
SSP_HD ntt::Twiddles twiddles(const uint64_t *t) { return {t, t, LOG_P - 1, 0}; }

// transform128 runs a 128-point DIF (forward) or DIT (inverse) on count
// vectors of P words at s, with the table tw in shared memory.
template <class Exec>
SSP_DEV void transform128(const Exec &ex, uint64_t *s, uint32_t count, bool forward, const uint64_t *tw) {
	ntt::stages(ex, s, count * (P / 2), LOG_P, 0, LOG_P, 0, 0, forward, twiddles(tw));
}

// load_table copies a 64-entry table into shared memory.
template <class Exec>
SSP_DEV void load_table(const Exec &ex, uint64_t *dst, const uint64_t *src) {
	ex.each(P / 2, [&](uint32_t i) { dst[i] = src[i]; });
	ex.sync();
}

// ExpandArgs: columns [j0, j0 + count) of row i of M in coefficient form at
// coef (D words each, consecutive), to be written transformed into hat.
struct ExpandArgs {
	const uint64_t *coef;
	uint64_t *hat;
	uint64_t j0, count;
	uint32_t i, kappa;
	Roots roots;
};

// expand_tile transforms EXPAND ring elements; shared memory: EXPAND * P +
// P / 2 words.
template <class Exec>
SSP_DEV void expand_tile(const Exec &ex, const ExpandArgs &a, uint64_t tile, uint64_t *s) {
	uint64_t *tw = s + EXPAND * P;
	load_table(ex, tw, a.roots.fwd);
	uint64_t e0 = tile * EXPAND;
	ex.each(EXPAND * P, [&](uint32_t x) {
		uint64_t e = e0 + x / P;
		uint32_t t = x % P;
		s[x] = t < D && e < a.count ? a.coef[e * D + t] : 0;
	});
	ex.sync();
	transform128(ex, s, EXPAND, true, tw);
	ex.each(EXPAND * P, [&](uint32_t x) {
		uint64_t e = e0 + x / P;
		if (e < a.count) a.hat[((a.j0 + e) * a.kappa + a.i) * P + x % P] = s[x];
	});
	ex.sync();
}

// AccArgs is one accumulate launch: the blocks (bx, ry, wz) of a grid of
// nbx x ceil(kappa / ROWS) x groups, over witnesses w_base + wz * WG + ....
struct AccArgs {
	const uint64_t *hat;
	const uint64_t *z;     // witness w at z + w * D * m
	uint64_t *partial;     // (w * kappa + i) * nbx + bx, P words each
	uint64_t m;
	uint32_t kappa, witnesses, w_base, nbx;
	Roots roots;
};

// acc_shared_words is the shared memory of an accumulate block.
SSP_HD uint64_t acc_shared_words(uint32_t wg) { return (uint64_t)wg * ROWS * P + COLS * wg * P + P / 2; }

// columns returns block bx's slice [lo, hi) of the m columns, in whole
// steps of COLS.
SSP_HD void columns(uint64_t m, uint32_t nbx, uint32_t bx, uint64_t *lo, uint64_t *hi) {
	uint64_t steps = (m + COLS - 1) / COLS;
	uint64_t per = (steps + nbx - 1) / nbx;
	*lo = bx * per * COLS;
	*hi = (bx + 1) * per * COLS;
	if (*lo > m) *lo = m;
	if (*hi > m) *hi = m;
}

// accumulate_block is one block of the accumulate kernel: WG witnesses.
// Shared memory: acc[w][row][P], zh[col][w][P], the twiddle table.
template <uint32_t WG, class Exec>
SSP_DEV void accumulate_block(const Exec &ex, const AccArgs &a, uint32_t bx, uint32_t ry, uint32_t wz, uint64_t *s) {
	uint64_t *acc = s;
	uint64_t *zh = acc + WG * ROWS * P;
	uint64_t *tw = zh + COLS * WG * P;
	load_table(ex, tw, a.roots.fwd);
	uint32_t w0 = a.w_base + wz * WG;
	uint32_t i0 = ry * ROWS;
	uint64_t lo, hi;
	columns(a.m, a.nbx, bx, &lo, &hi);
	ex.each(WG * ROWS * P, [&](uint32_t x) { acc[x] = 0; });
	ex.sync();
	for (uint64_t j0 = lo; j0 < hi; j0 += COLS) {
		ex.each(COLS * WG * P, [&](uint32_t x) {
			uint32_t c = x / (WG * P), w = x / P % WG, t = x % P;
			uint64_t j = j0 + c;
			bool ok = t < D && j < hi && w0 + w < a.witnesses;
			zh[x] = ok ? a.z[(uint64_t)(w0 + w) * D * a.m + j * D + t] : 0;
		});
		ex.sync();
		transform128(ex, zh, COLS * WG, true, tw);
		ex.each(ROWS * P, [&](uint32_t x) {
			uint32_t r = x / P, t = x % P;
			uint32_t i = i0 + r;
			if (i >= a.kappa) return;
			uint64_t sum[WG];
			for (uint32_t w = 0; w < WG; w++) sum[w] = acc[(w * ROWS + r) * P + t];
			for (uint32_t c = 0; c < COLS && j0 + c < hi; c++) {
				uint64_t mh = a.hat[((j0 + c) * a.kappa + i) * P + t];
				for (uint32_t w = 0; w < WG; w++) sum[w] = gl::add(sum[w], gl::mul(mh, zh[(c * WG + w) * P + t]));
			}
			for (uint32_t w = 0; w < WG; w++) acc[(w * ROWS + r) * P + t] = sum[w];
		});
		ex.sync();
	}
	ex.each(WG * ROWS * P, [&](uint32_t x) {
		uint32_t w = x / (ROWS * P), r = x / P % ROWS, t = x % P;
		uint32_t i = i0 + r;
		if (w0 + w < a.witnesses && i < a.kappa)
			a.partial[(((uint64_t)(w0 + w) * a.kappa + i) * a.nbx + bx) * P + t] = acc[x];
	});
	ex.sync();
}

// group_size is how many witnesses an accumulate block takes: 4 at most,
// whose shared memory (82 KiB) lets two blocks share an SM.
SSP_HD uint32_t group_size(uint32_t witnesses) { return witnesses == 1 ? 1 : witnesses == 2 ? 2 : 4; }

// MAX_GRID_YZ is CUDA's limit on gridDim.y and gridDim.z.
constexpr uint32_t MAX_GRID_YZ = 65535;
// PARTIAL_BYTES bounds the partial sums of one commitment call.
constexpr uint64_t PARTIAL_BYTES = 1ull << 30;

// slices is nbx, the number of column slices of a commitment: enough blocks
// to fill `target` block slots on the device, fewer when the partial sums of
// many witnesses would grow past PARTIAL_BYTES, never more than the steps of
// COLS columns.
SSP_HD uint32_t slices(uint64_t target, uint32_t witnesses, uint32_t kappa, uint64_t m) {
	uint32_t wg = group_size(witnesses);
	uint64_t groups = (witnesses + wg - 1) / wg;
	uint64_t in_flight = (kappa + ROWS - 1) / ROWS * (groups < MAX_GRID_YZ ? groups : MAX_GRID_YZ);
	uint64_t nbx = (target + in_flight - 1) / in_flight;
	uint64_t per_slice = (uint64_t)witnesses * kappa * P * 8;
	if (nbx > PARTIAL_BYTES / per_slice) nbx = PARTIAL_BYTES / per_slice;
	uint64_t steps = (m + COLS - 1) / COLS;
	if (nbx > steps) nbx = steps;
	return nbx == 0 ? 1 : (uint32_t)nbx;
}

// ReduceArgs: the partial sums and where the commitments go.
struct ReduceArgs {
	const uint64_t *partial;
	uint64_t *out;  // (w * kappa + i) * D
	uint64_t pairs;  // witnesses * kappa
	uint32_t nbx;
	Roots roots;
};

// reduce_shared_words is the shared memory of a reduce block.
constexpr uint32_t REDUCE_SHARED_WORDS = REDUCE_SPLIT * P + P / 2;

// fold is coefficient t of the product after X^81 = 1 (Phi81 divides
// X^81 - 1): the product has degree <= 106, so t + 81 < 128 covers it.
SSP_HD uint64_t fold(const uint64_t *c, uint32_t t) { return t + 81 < P ? gl::add(c[t], c[t + 81]) : c[t]; }

// reduce_pair finishes commitment pair = w * kappa + i.
template <class Exec>
SSP_DEV void reduce_pair(const Exec &ex, const ReduceArgs &a, uint64_t pair, uint64_t *s) {
	uint64_t *tw = s + REDUCE_SPLIT * P;
	load_table(ex, tw, a.roots.inv);
	const uint64_t *part = a.partial + pair * a.nbx * P;
	ex.each(REDUCE_SPLIT * P, [&](uint32_t x) {
		uint32_t h = x / P, t = x % P;
		uint64_t sum = 0;
		for (uint32_t b = h; b < a.nbx; b += REDUCE_SPLIT) sum = gl::add(sum, part[(uint64_t)b * P + t]);
		s[x] = sum;
	});
	ex.sync();
	for (uint32_t h = REDUCE_SPLIT / 2; h >= 1; h /= 2) {
		ex.each(h * P, [&](uint32_t x) { s[x] = gl::add(s[x], s[x + h * P]); });
		ex.sync();
	}
	transform128(ex, s, 1, false, tw);
	// Below degree 81, X^54 = -X^27 - 1 sends coefficient t in [54, 81) to
	// t - 27 and t - 54, both below 54, with a minus sign.
	ex.each(D, [&](uint32_t r) {
		uint64_t c = gl::sub(fold(s, r), fold(s, r < 27 ? r + 54 : r + 27));
		a.out[pair * D + r] = gl::mul(c, a.roots.inv_p);
	});
	ex.sync();
}

}  // namespace commit

#endif  // SSPROVE_COMMIT_CUH
