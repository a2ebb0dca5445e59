// Macros of the NTT kernels in ntt_amd64.s, on top of gl64_amd64.h.

// TRANSPOSE512 transposes the 8×8 matrix whose rows are Z0..Z7 into columns
// Z16..Z23 (Z16 holds element 0 of every row), using Z8..Z15 and clobbering
// Z0..Z7. Unpacks pair rows within 128-bit lanes, then two rounds of 128-bit
// lane shuffles gather the pairs of each column.
#define TRANSPOSE512 \
	VPUNPCKLQDQ Z1, Z0, Z8          \
	VPUNPCKHQDQ Z1, Z0, Z9          \
	VPUNPCKLQDQ Z3, Z2, Z10         \
	VPUNPCKHQDQ Z3, Z2, Z11         \
	VPUNPCKLQDQ Z5, Z4, Z12         \
	VPUNPCKHQDQ Z5, Z4, Z13         \
	VPUNPCKLQDQ Z7, Z6, Z14         \
	VPUNPCKHQDQ Z7, Z6, Z15         \
	VSHUFI64X2  $0x88, Z10, Z8, Z0  \
	VSHUFI64X2  $0xDD, Z10, Z8, Z1  \
	VSHUFI64X2  $0x88, Z11, Z9, Z2  \
	VSHUFI64X2  $0xDD, Z11, Z9, Z3  \
	VSHUFI64X2  $0x88, Z14, Z12, Z4 \
	VSHUFI64X2  $0xDD, Z14, Z12, Z5 \
	VSHUFI64X2  $0x88, Z15, Z13, Z6 \
	VSHUFI64X2  $0xDD, Z15, Z13, Z7 \
	VSHUFI64X2  $0x88, Z4, Z0, Z16  \
	VSHUFI64X2  $0xDD, Z4, Z0, Z20  \
	VSHUFI64X2  $0x88, Z5, Z1, Z18  \
	VSHUFI64X2  $0xDD, Z5, Z1, Z22  \
	VSHUFI64X2  $0x88, Z6, Z2, Z17  \
	VSHUFI64X2  $0xDD, Z6, Z2, Z21  \
	VSHUFI64X2  $0x88, Z7, Z3, Z19  \
	VSHUFI64X2  $0xDD, Z7, Z3, Z23

// ADDSUB512 is the radix-2 butterfly on rows (R12) and (R12)(R9*1) with w = 1,
// the same for DIF and DIT: x, y ← x + y, x − y. It is the layer left over
// when log2 m is odd.
#define ADDSUB512 \
	VMOVDQU64 (R12), Z0       \
	VMOVDQU64 (R12)(R9*1), Z1 \
	GL512_ADD(Z0, Z1, Z3, Z4) \
	GL512_SUB(Z0, Z1, Z5)     \
	VMOVDQU64 Z3, (R12)       \
	VMOVDQU64 Z5, (R12)(R9*1)

// GL512_MULW4(a, r, t0, t1) sets r = a·2^48 mod q for any 64-bit a; r, t0, t1
// distinct from a. ±2^48 are the primitive 4th roots of unity (2^96 = −1), and
// a plain multiplication by one keeps a Montgomery word a Montgomery word, so ω4
// costs shifts instead of a product. a·2^48 = hi·2^64 + lo with hi = a>>16 <
// 2^48 and lo = a<<48; 2^64 = 2^32 − 1 and 2^96 = −1 give a·2^48 = lo − hh +
// hl·(2^32 − 1) for hh = hi>>32 and hl = hi mod 2^32. lo − hh borrows only
// when lo = 0, and adding q then leaves q − hh; both terms are below q, so one
// GL512_ADD reduces the sum.
#define GL512_MULW4(a, r, t0, t1) \
	VPSRLQ  $16, a, t0      \
	VPSLLQ  $48, a, r       \
	VPSRLQ  $48, a, t1      \
	VPCMPUQ $1, t1, r, K1   \
	VPSUBQ  t1, r, r        \
	VPSUBQ  Z30, r, K1, r   \
	VPSLLQ  $32, t0, t1     \
	VPANDQ  Z30, t0, t0     \
	VPSUBQ  t0, t1, t1      \
	GL512_ADD(r, t1, r, t0)

// The radix-4 butterflies work on rows x0 = (R12), x1 = (CX), x2 =
// (R12)(R9*2) and x3 = (CX)(R9*2), CX = R12 + R9: two layers per load and
// store of the rows. They take the textbook form with twiddles ω^j, ω^2j, ω^3j
// (Z2, Z14, Z12; Z6, Z15, Z13 hold their >> 32) and the ω4 of the table as
// GL512_MULW4, which multiplies by +2^48. For ω4 = −2^48 the caller swaps the
// rows given as x1 and x3 (DIF: the difference x1 − x3 is the only term that
// tells them apart) or where the outputs of rows 1 and 3 go (DIT: they differ
// only in the sign of the ω4 term). Z0..Z11 and Z16..Z28 are scratch.

// DIF4J0_512 is the j = 0 radix-4 DIF butterfly, all twiddles 1; x1 and x3
// are loaded from ld1 and ld3.
#define DIF4J0_512(ld1, ld3) \
	VMOVDQU64 (R12), Z16         \
	VMOVDQU64 ld1, Z17           \
	VMOVDQU64 (R12)(R9*2), Z18   \
	VMOVDQU64 ld3, Z19           \
	GL512_SUB(Z17, Z19, Z5)      \
	GL512_MULW4(Z5, Z23, Z7, Z8) \
	GL512_ADD(Z16, Z18, Z20, Z4) \
	GL512_SUB(Z16, Z18, Z21)     \
	GL512_ADD(Z17, Z19, Z22, Z4) \
	GL512_ADD(Z20, Z22, Z0, Z4)  \
	GL512_SUB(Z20, Z22, Z1)      \
	GL512_ADD(Z21, Z23, Z3, Z4)  \
	GL512_SUB(Z21, Z23, Z5)      \
	VMOVDQU64 Z0, (R12)          \
	VMOVDQU64 Z1, (CX)           \
	VMOVDQU64 Z3, (R12)(R9*2)    \
	VMOVDQU64 Z5, (CX)(R9*2)

// DIF4_512 is the radix-4 DIF butterfly: row 0 gets (x0 + x2) + (x1 + x3),
// row 1 ((x0 + x2) − (x1 + x3))·ω^2j, rows 2 and 3 ((x0 − x2) ± ω4(x1 − x3))
// times ω^j and ω^3j; x1 and x3 are loaded from ld1 and ld3.
#define DIF4_512(ld1, ld3) \
	VMOVDQU64 (R12), Z16                               \
	VMOVDQU64 ld1, Z17                                 \
	VMOVDQU64 (R12)(R9*2), Z18                         \
	VMOVDQU64 ld3, Z19                                 \
	GL512_SUB(Z17, Z19, Z5)                            \
	GL512_MULW4(Z5, Z23, Z7, Z8)                       \
	GL512_ADD(Z16, Z18, Z20, Z4)                       \
	GL512_SUB(Z16, Z18, Z21)                           \
	GL512_ADD(Z17, Z19, Z22, Z4)                       \
	GL512_SUB(Z20, Z22, Z1)                            \
	GL512_ADD(Z21, Z23, Z3, Z4)                        \
	GL512_SUB(Z21, Z23, Z5)                            \
	GL512_ADD(Z20, Z22, Z0, Z4)                        \
	GL512_MULH(Z1, Z14, Z15, Z11, Z7, Z8, Z9, Z10)     \
	GL512_MULH(Z3, Z2, Z6, Z24, Z25, Z26, Z27, Z28)    \
	GL512_MULH(Z5, Z12, Z13, Z19, Z16, Z17, Z18, Z23)  \
	VMOVDQU64 Z0, (R12)                                \
	VMOVDQU64 Z11, (CX)                                \
	VMOVDQU64 Z24, (R12)(R9*2)                         \
	VMOVDQU64 Z19, (CX)(R9*2)

// DIT4J0_512 is the j = 0 radix-4 DIT butterfly, all twiddles 1; the outputs
// of rows 1 and 3 are stored to st1 and st3.
#define DIT4J0_512(st1, st3) \
	VMOVDQU64 (R12), Z16         \
	VMOVDQU64 (CX), Z17          \
	VMOVDQU64 (R12)(R9*2), Z18   \
	VMOVDQU64 (CX)(R9*2), Z19    \
	GL512_SUB(Z18, Z19, Z5)      \
	GL512_MULW4(Z5, Z23, Z7, Z8) \
	GL512_ADD(Z16, Z17, Z20, Z4) \
	GL512_SUB(Z16, Z17, Z21)     \
	GL512_ADD(Z18, Z19, Z22, Z4) \
	GL512_ADD(Z20, Z22, Z0, Z4)  \
	GL512_SUB(Z20, Z22, Z1)      \
	GL512_ADD(Z21, Z23, Z3, Z4)  \
	GL512_SUB(Z21, Z23, Z5)      \
	VMOVDQU64 Z0, (R12)          \
	VMOVDQU64 Z3, st1            \
	VMOVDQU64 Z1, (R12)(R9*2)    \
	VMOVDQU64 Z5, st3

// DIT4_512 is the radix-4 DIT butterfly: with x1·ω^2j, x2·ω^j and x3·ω^3j,
// rows 0 and 2 get (x0 + x1') ± (x2' + x3'), rows 1 and 3 (x0 − x1') ±
// ω4(x2' − x3'), stored to st1 and st3.
#define DIT4_512(st1, st3) \
	VMOVDQU64 (CX), Z17                                \
	VMOVDQU64 (R12)(R9*2), Z18                         \
	VMOVDQU64 (CX)(R9*2), Z19                          \
	GL512_MULH(Z17, Z14, Z15, Z11, Z7, Z8, Z9, Z10)    \
	GL512_MULH(Z18, Z2, Z6, Z24, Z25, Z26, Z27, Z28)   \
	GL512_MULH(Z19, Z12, Z13, Z22, Z0, Z1, Z3, Z5)     \
	VMOVDQU64 (R12), Z16                               \
	GL512_SUB(Z24, Z22, Z5)                            \
	GL512_MULW4(Z5, Z23, Z7, Z8)                       \
	GL512_ADD(Z16, Z11, Z20, Z4)                       \
	GL512_SUB(Z16, Z11, Z21)                           \
	GL512_ADD(Z24, Z22, Z18, Z4)                       \
	GL512_ADD(Z20, Z18, Z0, Z4)                        \
	GL512_SUB(Z20, Z18, Z1)                            \
	GL512_ADD(Z21, Z23, Z3, Z4)                        \
	GL512_SUB(Z21, Z23, Z5)                            \
	VMOVDQU64 Z0, (R12)                                \
	VMOVDQU64 Z3, st1                                  \
	VMOVDQU64 Z1, (R12)(R9*2)                          \
	VMOVDQU64 Z5, st3

// TRANSPOSE256 transposes the 4×4 matrix with rows a, b, c, d into columns
// w, x, y, z (w holds element 0 of every row), using t0..t3.
#define TRANSPOSE256(a, b, c, d, w, x, y, z, t0, t1, t2, t3) \
	VPUNPCKLQDQ b, a, t0         \
	VPUNPCKHQDQ b, a, t1         \
	VPUNPCKLQDQ d, c, t2         \
	VPUNPCKHQDQ d, c, t3         \
	VPERM2I128  $0x20, t2, t0, w \
	VPERM2I128  $0x20, t3, t1, x \
	VPERM2I128  $0x31, t2, t0, y \
	VPERM2I128  $0x31, t3, t1, z

// The AVX2 butterflies work on half a row at byte offset off: x at off(R12),
// y at off(R12)(R9*1), w in Y2 and w >> 32 in Y3.
#define DIF256(off) \
	VMOVDQU off(R12), Y0                             \
	VMOVDQU off(R12)(R9*1), Y1                       \
	GL256_ADD(Y0, Y1, Y4, Y5, Y6)                    \
	GL256_SUB(Y0, Y1, Y7, Y5)                        \
	GL256_MULH(Y7, Y2, Y3, Y8, Y9, Y10, Y11, Y12)    \
	VMOVDQU Y4, off(R12)                             \
	VMOVDQU Y8, off(R12)(R9*1)

#define DIT256(off) \
	VMOVDQU off(R12), Y0                             \
	VMOVDQU off(R12)(R9*1), Y1                       \
	GL256_MULH(Y1, Y2, Y3, Y8, Y9, Y10, Y11, Y12)    \
	GL256_ADD(Y0, Y8, Y4, Y5, Y6)                    \
	GL256_SUB(Y0, Y8, Y7, Y5)                        \
	VMOVDQU Y4, off(R12)                             \
	VMOVDQU Y7, off(R12)(R9*1)

#define ADDSUB256(off) \
	VMOVDQU off(R12), Y0          \
	VMOVDQU off(R12)(R9*1), Y1    \
	GL256_ADD(Y0, Y1, Y4, Y5, Y6) \
	GL256_SUB(Y0, Y1, Y7, Y5)     \
	VMOVDQU Y4, off(R12)          \
	VMOVDQU Y7, off(R12)(R9*1)
