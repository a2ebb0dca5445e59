// Arithmetic in K = F_q[u]/(u² − 7) on vectors of Goldilocks words, for
// ext_amd64.s. It builds on gl64_amd64.h and keeps its register conventions.
//
// A []K is array-of-structs: A0, A1 of each element side by side. The scalar
// kernels (ScalarMul, Bind) work on that layout directly; the full products
// split a block of elements into a vector of A0s and a vector of A1s with
// in-lane unpacks, which only reorder the elements within the block and are
// undone by the same unpacks on the way out.

// x0, x1 = the A0s and A1s of the 8 elements at off(base)(idx*1); t0, t1
// scratch. Element order in x0, x1: 0 4 1 5 2 6 3 7.
#define LOADK512(off, base, idx, x0, x1, t0, t1) \
	VMOVDQU64   off(base)(idx*1), t0    \
	VMOVDQU64   off+64(base)(idx*1), t1 \
	VPUNPCKLQDQ t1, t0, x0              \
	VPUNPCKHQDQ t1, t0, x1

// Stores the 8 elements with A0s c0 and A1s c1, in LOADK512's order, at
// off(base)(idx*1); t0, t1 scratch.
#define STOREK512(c0, c1, off, base, idx, t0, t1) \
	VPUNPCKLQDQ c1, c0, t0              \
	VPUNPCKHQDQ c1, c0, t1              \
	VMOVDQU64   t0, off(base)(idx*1)    \
	VMOVDQU64   t1, off+64(base)(idx*1)

// r = 7·x mod q. r, t0, t1 distinct from x and each other.
//
// 8x = h·2^64 + (x<<3 mod 2^64) with h = x>>61 ≤ 7, and 2^64 ≡ 2^32 − 1 (Z30),
// so s = x<<3 + h·(2^32 − 1) ≡ 8x; when that sum wraps it is below 2^35 and
// one more 2^32 − 1 cannot wrap again. s − x, corrected by q on borrow and
// reduced once otherwise (s < 2^64 < 2q), is 7x: three shifts instead of a
// Montgomery product by 7.
#define GL512_MUL7(x, r, t0, t1) \
	VPSRLQ  $61, x, t0      \
	VPSLLQ  $3, x, r        \
	VPSLLQ  $32, t0, t1     \
	VPSUBQ  t0, t1, t1      \
	VPADDQ  t1, r, r        \
	VPCMPUQ $1, t1, r, K1   \
	VPADDQ  Z30, r, K1, r   \
	VPCMPUQ $1, x, r, K2    \
	VPSUBQ  x, r, r         \
	VPADDQ  Z31, r, K2, r   \
	VPCMPUQ $5, Z31, r, K3  \
	VPSUBQ  Z31, r, K3, r

// The Karatsuba terms of (a0 + a1·u)(b0 + b1·u): p0 = a0·b0, p1 = a1·b1 and
// p2 = (a0 + a1)(b0 + b1); the product is p0 + 7·p1 + (p2 − p0 − p1)·u, which
// is linear in the terms, so sums of products can add terms and combine once.
// a0 and b0 are overwritten with the sums; bh, t0..t3 scratch; all distinct.
#define KTERMS512(a0, a1, b0, b1, p0, p1, p2, bh, t0, t1, t2, t3) \
	GL512_MUL_HI(b0, bh)                       \
	GL512_MULH(a0, b0, bh, p0, t0, t1, t2, t3) \
	GL512_MUL_HI(b1, bh)                       \
	GL512_MULH(a1, b1, bh, p1, t0, t1, t2, t3) \
	GL512_ADD(a0, a1, a0, t0)                  \
	GL512_ADD(b0, b1, b0, t0)                  \
	GL512_MUL_HI(b0, bh)                       \
	GL512_MULH(a0, b0, bh, p2, t0, t1, t2, t3)

// (c0, c1) = (a0 + a1·u)(b0 + b1·u), as KTERMS512 plus the combination.
// Three Montgomery products and a shift-based ·7 measure faster than the
// four products of the schoolbook form. Clobbers a0, b0, p1, bh, t0..t3.
#define KMUL512(a0, a1, b0, b1, c0, c1, p1, bh, t0, t1, t2, t3) \
	KTERMS512(a0, a1, b0, b1, c0, p1, c1, bh, t0, t1, t2, t3) \
	GL512_SUB(c1, c0, c1)                                    \
	GL512_SUB(c1, p1, c1)                                    \
	GL512_MUL7(p1, a0, t0, t1)                               \
	GL512_ADD(c0, a0, c0, t0)

// The AVX2 forms hold 4 elements per pair of vectors, in the order 0 2 1 3.

#define LOADK256(off, base, idx, x0, x1, t0, t1) \
	VMOVDQU     off(base)(idx*1), t0    \
	VMOVDQU     off+32(base)(idx*1), t1 \
	VPUNPCKLQDQ t1, t0, x0              \
	VPUNPCKHQDQ t1, t0, x1

#define STOREK256(c0, c1, off, base, idx, t0, t1) \
	VPUNPCKLQDQ c1, c0, t0           \
	VPUNPCKHQDQ c1, c0, t1           \
	VMOVDQU     t0, off(base)(idx*1) \
	VMOVDQU     t1, off+32(base)(idx*1)

// r = 7·x mod q as GL512_MUL7, with the unsigned compares of gl64_amd64.h's
// AVX2 section. r, t0, t1 distinct from x and each other.
#define GL256_MUL7(x, r, t0, t1) \
	VPSRLQ   $61, x, t0    \
	VPSLLQ   $3, x, r      \
	VPSLLQ   $32, t0, t1   \
	VPSUBQ   t0, t1, t1    \
	VPADDQ   t1, r, r      \
	VPXOR    Y13, t1, t1   \
	VPXOR    Y13, r, t0    \
	VPCMPGTQ t0, t1, t1    \
	VPAND    Y14, t1, t1   \
	VPADDQ   t1, r, r      \
	VPXOR    Y13, r, t0    \
	VPXOR    Y13, x, t1    \
	VPCMPGTQ t0, t1, t1    \
	VPSUBQ   x, r, r       \
	VPAND    Y15, t1, t1   \
	VPADDQ   t1, r, r      \
	VPXOR    Y13, r, t0    \
	VPXOR    Y13, Y15, t1  \
	VPCMPGTQ t0, t1, t1    \
	VPANDN   Y15, t1, t1   \
	VPSUBQ   t1, r, r

// KTERMS512 for AVX2. a0 and b0 are overwritten with the sums; bh, t0..t3
// scratch; all distinct.
#define KTERMS256(a0, a1, b0, b1, p0, p1, p2, bh, t0, t1, t2, t3) \
	GL256_MUL_HI(b0, bh)                       \
	GL256_MULH(a0, b0, bh, p0, t0, t1, t2, t3) \
	GL256_MUL_HI(b1, bh)                       \
	GL256_MULH(a1, b1, bh, p1, t0, t1, t2, t3) \
	GL256_ADD_ACC(a0, a1, t0, t1, t2)          \
	GL256_ADD_ACC(b0, b1, t0, t1, t2)          \
	GL256_MUL_HI(b0, bh)                       \
	GL256_MULH(a0, b0, bh, p2, t0, t1, t2, t3)

// KMUL512 for AVX2. Clobbers a0, a1, b0, p1, bh, t0..t3.
#define KMUL256(a0, a1, b0, b1, c0, c1, p1, bh, t0, t1, t2, t3) \
	KTERMS256(a0, a1, b0, b1, c0, p1, c1, bh, t0, t1, t2, t3) \
	GL256_SUB(c1, c0, a1, t0)                                \
	GL256_SUB(a1, p1, c1, t0)                                \
	GL256_MUL7(p1, a0, t0, t1)                               \
	GL256_ADD_ACC(c0, a0, t0, t1, t2)
