// Goldilocks arithmetic on vectors of Montgomery words, for every amd64 kernel
// of this package. Inputs are fully reduced (< q) and so are results.
//
// Register conventions, loaded once per function by GL512_CONSTS / GL256_CONSTS:
//   AVX-512: Z31 = q, Z30 = 2^32 − 1, Z29 = 1 (masks in K1..K3 are scratch)
//   AVX2:    Y15 = q, Y14 = 2^32 − 1, Y13 = 2^63 (for unsigned compares)
// Macro arguments are registers; the result register must differ from the
// inputs unless the macro's comment says otherwise.
//
// Multiplication follows gl64.Redc: the 128-bit product is built from four
// 32×32→64 products (VPMULUDQ), then reduced with m = lo + lo<<32 and the high
// word of m·q, which for Goldilocks is m − m_hi − [m_hi < m_lo]. See scalar.go.

#define GL512_CONSTS(tmp) \
	MOVQ $0xFFFFFFFF00000001, tmp \
	VPBROADCASTQ tmp, Z31         \
	MOVQ $0xFFFFFFFF, tmp         \
	VPBROADCASTQ tmp, Z30         \
	MOVQ $1, tmp                  \
	VPBROADCASTQ tmp, Z29

// r = a + b mod q, computed as a − (q − b). r may equal a but not b.
#define GL512_ADD(a, b, r, t) \
	VPSUBQ  b, Z31, t      \
	VPCMPUQ $1, t, a, K1   \
	VPSUBQ  t, a, r        \
	VPADDQ  Z31, r, K1, r

// r = a − b mod q. r may equal a or b.
#define GL512_SUB(a, b, r) \
	VPCMPUQ $1, b, a, K1 \
	VPSUBQ  b, a, r      \
	VPADDQ  Z31, r, K1, r

// GL512_MUL_HI(b, bh): bh = b >> 32, the operand half GL512_MULH needs; hoist
// it out of loops where b is a constant or a stored twiddle.
#define GL512_MUL_HI(b, bh) \
	VPSRLQ $32, b, bh

// r = a·b·2^−64 mod q given bh = b >> 32. a, b and bh are left intact; r and
// t0..t3 must be five distinct registers other than the inputs.
//
// With a = a1·2^32 + a0 and b likewise, the products are p00 = a0·b0, p01 =
// a0·b1, p10 = a1·b0, p11 = a1·b1; mid = p01 + p00>>32 and mid2 = p10 + (mid
// mod 2^32) cannot overflow, hi = p11 + mid>>32 + mid2>>32 and lo = mid2<<32 |
// (p00 mod 2^32). Montgomery needs m = lo + lo<<32 = (mid2 + p00)<<32 + (p00
// mod 2^32), then h = m − m_hi − [m_hi < m_lo] and r = hi − h, plus q on borrow.
// The low 32 bits of (mid2 + p00)<<32 are zero, so one bitwise select (VPTERNLOGQ
// 0xB8: Z30 ? p00 : shifted) builds m. m_hi < m_lo is a 32-bit compare of m>>32
// with m in the even dword lanes; where it holds, the low dword of m − m_hi is
// m_lo − m_hi ≥ 1, so the −1 is a dword subtraction that cannot borrow, and Z29
// (1 in each even dword, 0 in each odd one) leaves the odd lanes of the compare
// without effect.
#define GL512_MULH(a, b, bh, r, t0, t1, t2, t3) \
	VPSRLQ     $32, a, t0       \
	VPMULUDQ   b, a, t1         \
	VPMULUDQ   bh, a, t2        \
	VPMULUDQ   b, t0, r         \
	VPMULUDQ   bh, t0, t0       \
	VPSRLQ     $32, t1, t3      \
	VPADDQ     t3, t2, t2       \
	VPANDQ     Z30, t2, t3      \
	VPADDQ     t3, r, r         \
	VPSRLQ     $32, t2, t2      \
	VPADDQ     t2, t0, t0       \
	VPSRLQ     $32, r, t2       \
	VPADDQ     t2, t0, t0       \
	VPADDQ     t1, r, r         \
	VPSLLQ     $32, r, r        \
	VPTERNLOGQ $0xB8, t1, Z30, r \
	VPSRLQ     $32, r, t1       \
	VPCMPUD    $1, r, t1, K2    \
	VPSUBQ     t1, r, r         \
	VPSUBD     Z29, r, K2, r    \
	VPCMPUQ    $1, r, t0, K3    \
	VPSUBQ     r, t0, r         \
	VPADDQ     Z31, r, K3, r

// AVX2 has no unsigned compare and no mask registers: x < y unsigned is
// (y ^ 2^63) > (x ^ 2^63) signed, and the all-ones lanes it yields select q.

// The moves into X registers are VEX-encoded (VMOVQ): a legacy SSE MOVQ here
// costs about 300 ns per call on Intel cores whose upper vector state is dirty.
#define GL256_CONSTS(tmp) \
	MOVQ $0xFFFFFFFF00000001, tmp \
	VMOVQ tmp, X15                \
	VPBROADCASTQ X15, Y15         \
	MOVQ $0xFFFFFFFF, tmp         \
	VMOVQ tmp, X14                \
	VPBROADCASTQ X14, Y14         \
	MOVQ $0x8000000000000000, tmp \
	VMOVQ tmp, X13                \
	VPBROADCASTQ X13, Y13

// r = a − b mod q; t is scratch. r and t differ from a and b.
#define GL256_SUB(a, b, r, t) \
	VPXOR    Y13, a, t  \
	VPXOR    Y13, b, r  \
	VPCMPGTQ t, r, t    \
	VPSUBQ   b, a, r    \
	VPAND    Y15, t, t  \
	VPADDQ   t, r, r

// r = a + b mod q, as a − (q − b); t0, t1 scratch. r, t0, t1 differ from a and b.
#define GL256_ADD(a, b, r, t0, t1) \
	VPSUBQ   b, Y15, t0  \
	VPXOR    Y13, a, t1  \
	VPXOR    Y13, t0, r  \
	VPCMPGTQ t1, r, t1   \
	VPSUBQ   t0, a, r    \
	VPAND    Y15, t1, t1 \
	VPADDQ   t1, r, r

#define GL256_MUL_HI(b, bh) \
	VPSRLQ $32, b, bh

// r = a·b·2^−64 mod q given bh = b >> 32, as GL512_MULH. a, b, bh intact; r,
// t0..t3 distinct. m_hi < m_lo is a signed compare: both are below 2^32.
#define GL256_MULH(a, b, bh, r, t0, t1, t2, t3) \
	VPSRLQ   $32, a, t0     \
	VPMULUDQ b, a, t1       \
	VPMULUDQ bh, a, t2      \
	VPMULUDQ b, t0, r       \
	VPMULUDQ bh, t0, t0     \
	VPSRLQ   $32, t1, t3    \
	VPADDQ   t3, t2, t2     \
	VPAND    Y14, t2, t3    \
	VPADDQ   t3, r, r       \
	VPSRLQ   $32, t2, t2    \
	VPADDQ   t2, t0, t0     \
	VPSRLQ   $32, r, t2     \
	VPADDQ   t2, t0, t0     \
	VPADDQ   t1, r, r       \
	VPSLLQ   $32, r, r      \
	VPAND    Y14, t1, t1    \
	VPADDQ   t1, r, r       \
	VPSRLQ   $32, r, t1     \
	VPAND    Y14, r, t2     \
	VPCMPGTQ t1, t2, t2     \
	VPSUBQ   t1, r, r       \
	VPADDQ   t2, r, r       \
	VPXOR    Y13, t0, t1    \
	VPXOR    Y13, r, t2     \
	VPCMPGTQ t1, t2, t2     \
	VPSUBQ   r, t0, r       \
	VPAND    Y15, t2, t2    \
	VPADDQ   t2, r, r

// acc = acc + b mod q, in place; t0..t2 scratch, all distinct from acc and b.
// GL256_ADD needs its result apart from its inputs; accumulators want it in place.
#define GL256_ADD_ACC(acc, b, t0, t1, t2) \
	VPSUBQ   b, Y15, t0    \
	VPXOR    Y13, acc, t1  \
	VPXOR    Y13, t0, t2   \
	VPCMPGTQ t1, t2, t1    \
	VPSUBQ   t0, acc, acc  \
	VPAND    Y15, t1, t1   \
	VPADDQ   t1, acc, acc
