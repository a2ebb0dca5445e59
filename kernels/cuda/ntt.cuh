// ntt.cuh: the NTT of libssprove_cuda.so as pieces shared by the kernels
// (ntt.cu, commit.cu) and the host check (hostcheck/), which runs the very same
// functions block by block and thread by thread with g++.
//
// Layout. A transform of n = 2^L points is a sequence of steps, each one
// kernel launch that moves every element once through shared memory:
//
//   - a tile step holds, per thread block, the 2^k x 2^c elements whose
//     positions differ only in a window of k index bits [b0, b0 + k) and in a
//     chunk of c contiguous low bits, and runs the k radix-2 stages of that
//     window (DIF: top window first; DIT: bottom window first). A vector of
//     at most 2^TILE_LOG points is one tile with every bit in the window
//     (several vectors per tile when they are small), reordered in shared
//     memory as its orders ask, so that it takes one launch;
//   - a permute step bit-reverses whole vectors in place through pairs of
//     2^p x 2^p tiles, coalesced on both sides.
//
// Larger transforms take one tile step over the low TILE_LOG bits and one or
// two over the rest (four-step: a 2^24 transform is two launches, 2^11 x 2^13,
// the twiddles between the two passes folded into the first's butterflies),
// plus a permute when the orders ask for one. Every element-wise factor (the
// coset powers g^j, g^-j and 1/n) is applied while the first step loads or
// the last step stores, so it costs no pass of its own.
//
// Twiddles. omega^e for e < 2^E is lo[e mod 2^lo_bits] * hi[e >> lo_bits]:
// two tables of about 2^(E/2) words (256 KiB for n = 2^30) that stay in L1/L2.
#ifndef SSPROVE_NTT_CUH
#define SSPROVE_NTT_CUH

#include "goldilocks.cuh"

namespace ntt {

// MAX_LOG is the largest log2 size of a domain (ssprove_cuda.h).
constexpr uint32_t MAX_LOG = 30;
// TILE_LOG: a tile step holds 2^13 elements (64 KiB) in shared memory, so that
// with two tile steps 2^26 points take two passes over memory.
constexpr uint32_t TILE_LOG = 13;
// MIN_CHUNK_LOG: a window row of a tile that does not own the low bits is at
// least 4 contiguous elements, one 32-byte sector of memory.
constexpr uint32_t MIN_CHUNK_LOG = 2;
// PERMUTE_LOG: a permute tile is 32 x 32 elements.
constexpr uint32_t PERMUTE_LOG = 5;
// MAX_STEPS bounds a plan (a production plan has at most 4 steps; the host
// check plans with tiny tiles to exercise many windows).
constexpr uint32_t MAX_STEPS = 40;

// Twiddles gives omega^e for e < 2^(lo_bits + hi_bits).
struct Twiddles {
	const uint64_t *lo;  // omega^i, i < 2^lo_bits
	const uint64_t *hi;  // omega^(i * 2^lo_bits), i < 2^hi_bits
	uint32_t lo_bits;
	uint32_t hi_bits;
};

// table_bits splits 2^e_bits exponents between the two tables.
SSP_HD void table_bits(uint32_t e_bits, uint32_t *lo_bits, uint32_t *hi_bits) {
	*lo_bits = (e_bits + 1) / 2;
	*hi_bits = e_bits - *lo_bits;
}

// table_entry is entry i of the concatenated tables lo then hi of root w.
SSP_HD uint64_t table_entry(uint64_t w, uint32_t lo_bits, uint64_t i) {
	uint64_t nlo = 1ull << lo_bits;
	return i < nlo ? gl::exp(w, i) : gl::exp(w, (i - nlo) << lo_bits);
}

SSP_HD uint64_t power(const Twiddles &t, uint64_t e) {
	uint64_t w = t.lo[e & ((1ull << t.lo_bits) - 1)];
	uint64_t h = e >> t.lo_bits;
	return h ? gl::mul(w, t.hi[h]) : w;
}

// Scale multiplies an element by c * g^j, j the natural index of its
// position (the bit reversal of the position when rev is set).
struct Scale {
	uint32_t on;     // 0: leave elements alone
	uint32_t rev;    // set by the plan: positions are in bit-reversed order
	uint32_t has_c;  // multiply by c
	uint32_t has_g;  // multiply by g^j through the tables g
	uint64_t c;
	Twiddles g;
};

SSP_HD uint64_t apply(const Scale &s, uint64_t x, uint64_t pos, uint32_t logn) {
	if (!s.on) return x;
	if (s.has_c) x = gl::mul(x, s.c);
	if (s.has_g) x = gl::mul(x, power(s.g, s.rev ? gl::brev(pos, logn) : pos));
	return x;
}

// scales sets the element-wise factors of a transform, as kernels/ntt has
// them: forward, g^j on the input (ForwardCoset); inverse, 1/n and g^-j on
// the output (Inverse, InverseCoset). coset holds the powers of g (forward)
// or g^-1 (inverse), or is null for a plain transform.
inline void scales(bool inverse, uint64_t n_inv, const Twiddles *coset, Scale *pre, Scale *post) {
	*pre = Scale{};
	*post = Scale{};
	Scale *sc = inverse ? post : pre;
	if (coset) {
		sc->on = sc->has_g = 1;
		sc->g = *coset;
	}
	if (inverse) {
		post->on = post->has_c = 1;
		post->c = n_inv;
	}
}

enum { STEP_TILE = 0, STEP_PERMUTE = 1 };

// Step is one launch of a plan.
struct Step {
	uint32_t kind;
	uint32_t dif;    // tile: DIF (window bits high to low) or DIT (low to high)
	uint32_t b0, k;  // tile: the window [b0, b0 + k)
	uint32_t cbits;  // tile: 2^cbits contiguous positions per window row
	uint32_t vbits;  // tile: 2^vbits whole vectors per tile (k = logn)
	uint32_t whole;  // tile: the window is the whole vector
	uint32_t in_rev, out_rev;  // whole-vector tile: orders of input and output
	uint32_t pbits;  // permute: tiles of 2^pbits x 2^pbits
	Scale pre, post;
};

struct Plan {
	uint32_t logn;
	uint32_t steps;
	Step step[MAX_STEPS];
};

SSP_HD uint32_t ceil_log2(uint64_t x) {
	uint32_t l = 0;
	while ((1ull << l) < x) l++;
	return l;
}

// make_plan plans a transform of batch vectors of 2^logn points with the
// given orders, pre applied to the input and post to the output. tile_log
// and min_chunk are TILE_LOG and MIN_CHUNK_LOG on the device; the host check
// passes small ones too. It returns false for arguments it cannot plan.
inline bool make_plan(Plan *p, uint32_t logn, uint64_t batch, bool in_rev, bool out_rev,
                      Scale pre, Scale post, uint32_t tile_log, uint32_t min_chunk) {
	if (logn > MAX_LOG || batch == 0 || tile_log <= min_chunk) return false;
	*p = Plan{};
	p->logn = logn;
	if (logn <= tile_log) {
		Step &s = p->step[0];
		s.kind = STEP_TILE;
		s.dif = 1;
		s.whole = 1;
		s.k = logn;
		uint32_t vb = ceil_log2(batch);
		s.vbits = vb < tile_log - logn ? vb : tile_log - logn;
		s.in_rev = in_rev;
		s.out_rev = out_rev;
		s.pre = pre;
		s.pre.rev = in_rev;
		s.post = post;
		s.post.rev = out_rev;
		p->steps = 1;
		return true;
	}
	// The windows of the DIF order, top bits first: the rest over balanced
	// windows of at most tile_log - min_chunk bits, then [0, tile_log).
	uint32_t rest = logn - tile_log, maxk = tile_log - min_chunk;
	uint32_t nw = (rest + maxk - 1) / maxk;
	if (nw + 2 > MAX_STEPS) return false;
	Step win[MAX_STEPS];
	uint32_t top = logn;
	for (uint32_t w = 0; w < nw; w++) {
		uint32_t k = rest / nw + (w < rest % nw ? 1 : 0);
		win[w] = Step{};
		win[w].kind = STEP_TILE;
		win[w].k = k;
		win[w].b0 = top - k;
		win[w].cbits = tile_log - k;
		top -= k;
	}
	win[nw] = Step{};
	win[nw].kind = STEP_TILE;
	win[nw].k = tile_log;
	uint32_t n = 0;
	Step perm{};
	perm.kind = STEP_PERMUTE;
	perm.pbits = logn / 2 < PERMUTE_LOG ? logn / 2 : PERMUTE_LOG;
	if (in_rev && out_rev) p->step[n++] = perm;
	if (in_rev && !out_rev) {
		// DIT: bottom window first.
		for (uint32_t w = 0; w <= nw; w++) {
			p->step[n] = win[nw - w];
			p->step[n++].dif = 0;
		}
	} else {
		for (uint32_t w = 0; w <= nw; w++) {
			p->step[n] = win[w];
			p->step[n++].dif = 1;
		}
	}
	if (!in_rev && !out_rev) p->step[n++] = perm;
	p->steps = n;
	// The first step reads bit-reversed input only as a DIT tile step; the
	// last writes bit-reversed output only as a DIF tile step; a permute
	// always writes natural order and scales at its destination.
	Step &first = p->step[0], &last = p->step[n - 1];
	first.pre = pre;
	first.pre.rev = first.kind == STEP_TILE && !first.dif;
	last.post = post;
	last.post.rev = last.kind == STEP_TILE && last.dif;
	return true;
}

// Args is what a step's kernel gets.
struct Args {
	uint64_t *data;  // batch vectors of 2^logn, contiguous
	uint64_t batch;
	uint32_t logn;
	Step st;
	Twiddles tw;  // omega (forward) or omega^-1 (inverse), exponents < n/2
};

// tiles returns the number of tiles (thread-block iterations) of a step.
SSP_HD uint64_t tiles(const Args &a) {
	const Step &s = a.st;
	if (s.kind == STEP_PERMUTE) return a.batch << (a.logn - 2 * s.pbits);
	if (s.whole) return (a.batch + (1ull << s.vbits) - 1) >> s.vbits;
	return a.batch << (a.logn - s.k - s.cbits);
}

// shared_bytes returns the shared memory a step's tile needs.
SSP_HD uint64_t shared_bytes(const Step &s) {
	if (s.kind == STEP_PERMUTE) return 2ull * (1ull << s.pbits) * ((1ull << s.pbits) + 1) * 8;
	return (1ull << (s.k + s.cbits + s.vbits)) * 8;
}

// stages runs the k radix-2 stages of a window on a tile in shared memory:
// nb butterflies per stage, rows of 2^cbits, logn the transform's log size,
// cg the chunk of the tile (its bits [cbits, b0) of the position). A
// butterfly of the stage of bit b0 + t pairs rows w and w + 2^t (bit t of w
// clear), and its twiddle is omega_{2h}^(p mod h), h = 2^(b0 + t), p the
// position of its upper element, which kernels/ntt's DIF and DIT use too.
template <class Exec>
SSP_DEV void stages(const Exec &ex, uint64_t *s, uint32_t nb, uint32_t logn, uint32_t b0, uint32_t k,
                    uint32_t cbits, uint64_t cg, bool dif, const Twiddles &tw) {
	for (uint32_t st = 0; st < k; st++) {
		uint32_t t = dif ? k - 1 - st : st;
		ex.each(nb, [&](uint32_t b) {
			uint32_t c = b & ((1u << cbits) - 1);
			uint32_t r = b >> cbits;
			uint32_t wlo = r & ((1u << t) - 1);
			uint32_t iu = ((((r >> t) << (t + 1)) | wlo) << cbits) | c;
			uint32_t iv = iu + (1u << (t + cbits));
			uint64_t j = ((uint64_t)wlo << b0) | (cg << cbits) | c;
			uint64_t w = power(tw, j << (logn - 1 - b0 - t));
			uint64_t u = s[iu], v = s[iv];
			if (dif) {
				s[iu] = gl::add(u, v);
				s[iv] = gl::mul(gl::sub(u, v), w);
			} else {
				v = gl::mul(v, w);
				s[iu] = gl::add(u, v);
				s[iv] = gl::sub(u, v);
			}
		});
		ex.sync();
	}
}

// whole_tile transforms 2^vbits whole vectors (fewer in the last tile) with
// their reorderings in shared memory: loaded into natural order, DIF,
// stored from bit-reversed order into the order asked.
template <class Exec>
SSP_DEV void whole_tile(const Exec &ex, const Args &a, uint64_t tile, uint64_t *s) {
	const Step &st = a.st;
	uint32_t L = a.logn;
	uint64_t v0 = tile << st.vbits;
	uint64_t left = a.batch - v0;
	uint32_t nvec = left < (1ull << st.vbits) ? (uint32_t)left : 1u << st.vbits;
	uint64_t *data = a.data + (v0 << L);
	uint32_t mask = (1u << L) - 1;
	uint32_t count = nvec << L;
	ex.each(count, [&](uint32_t i) {
		uint32_t p = i & mask;
		uint32_t j = st.in_rev ? (uint32_t)gl::brev(p, L) : p;
		s[(i & ~mask) | j] = apply(st.pre, data[i], p, L);
	});
	ex.sync();
	stages(ex, s, count / 2, L, 0, L, 0, 0, true, a.tw);
	ex.each(count, [&](uint32_t i) {
		uint32_t p = i & mask;
		uint32_t j = st.out_rev ? p : (uint32_t)gl::brev(p, L);
		data[i] = apply(st.post, s[(i & ~mask) | j], p, L);
	});
	ex.sync();
}

// window_tile runs the stages of one window on one tile of a vector.
template <class Exec>
SSP_DEV void window_tile(const Exec &ex, const Args &a, uint64_t tile, uint64_t *s) {
	const Step &st = a.st;
	uint32_t L = a.logn;
	uint32_t per = L - st.k - st.cbits;  // log2 tiles per vector
	uint64_t *data = a.data + ((tile >> per) << L);
	uint64_t tv = tile & ((1ull << per) - 1);
	uint32_t cgbits = st.b0 - st.cbits;
	uint64_t cg = tv & ((1ull << cgbits) - 1);
	uint64_t outer = tv >> cgbits;
	uint64_t base = (outer << (st.b0 + st.k)) | (cg << st.cbits);
	uint32_t count = 1u << (st.k + st.cbits);
	uint32_t cmask = (1u << st.cbits) - 1;
	ex.each(count, [&](uint32_t i) {
		uint64_t p = base | ((uint64_t)(i >> st.cbits) << st.b0) | (i & cmask);
		s[i] = apply(st.pre, data[p], p, L);
	});
	ex.sync();
	stages(ex, s, count / 2, L, st.b0, st.k, st.cbits, cg, st.dif, a.tw);
	ex.each(count, [&](uint32_t i) {
		uint64_t p = base | ((uint64_t)(i >> st.cbits) << st.b0) | (i & cmask);
		data[p] = apply(st.post, s[i], p, L);
	});
	ex.sync();
}

// permute_tile bit-reverses, in place, the 2^pbits x 2^pbits elements of
// middle index m (position = high bits, m, low bits) together with those of
// middle index rev(m), whose destinations they are; tiles with rev(m) < m
// are done by their partner. The rows are padded by one element so that the
// transposed reads do not fall in one shared-memory bank.
template <class Exec>
SSP_DEV void permute_tile(const Exec &ex, const Args &a, uint64_t tile, uint64_t *s) {
	const Step &st = a.st;
	uint32_t L = a.logn, pb = st.pbits, mb = L - 2 * pb;
	uint64_t *data = a.data + ((tile >> mb) << L);
	uint64_t m = tile & ((1ull << mb) - 1);
	uint64_t mr = gl::brev(m, mb);
	if (mr < m) return;
	uint32_t side = 1u << pb, row = side + 1, plane = side * row;
	uint32_t count = (m == mr ? 1u : 2u) << (2 * pb);
	ex.each(count, [&](uint32_t i) {
		uint32_t which = i >> (2 * pb), ii = i & ((1u << (2 * pb)) - 1);
		uint64_t mid = which ? mr : m;
		uint32_t hi = ii >> pb, lo = ii & (side - 1);
		s[which * plane + hi * row + lo] = data[((uint64_t)hi << (L - pb)) | (mid << pb) | lo];
	});
	ex.sync();
	ex.each(count, [&](uint32_t i) {
		uint32_t which = i >> (2 * pb), ii = i & ((1u << (2 * pb)) - 1);
		uint64_t mid = which ? m : mr;  // the elements of tile `which` land in the other
		uint32_t r = ii >> pb, c = ii & (side - 1);
		uint64_t x = s[which * plane + (uint32_t)gl::brev(c, pb) * row + (uint32_t)gl::brev(r, pb)];
		uint64_t dst = ((uint64_t)r << (L - pb)) | (mid << pb) | c;
		data[dst] = apply(st.post, apply(st.pre, x, dst, L), dst, L);
	});
	ex.sync();
}

template <class Exec>
SSP_DEV void run_tile(const Exec &ex, const Args &a, uint64_t tile, uint64_t *s) {
	if (a.st.kind == STEP_PERMUTE) {
		permute_tile(ex, a, tile, s);
	} else if (a.st.whole) {
		whole_tile(ex, a, tile, s);
	} else {
		window_tile(ex, a, tile, s);
	}
}

}  // namespace ntt

#ifdef __CUDACC__
// DeviceExec runs a tile's phases on a thread block: each spreads the
// iterations of a phase over the block's threads, sync is the barrier
// between phases.
struct DeviceExec {
	template <class F>
	__device__ __forceinline__ void each(uint32_t n, F f) const {
		for (uint32_t i = threadIdx.x; i < n; i += blockDim.x) f(i);
	}
	__device__ __forceinline__ void sync() const { __syncthreads(); }
};
#endif

#endif  // SSPROVE_NTT_CUH
