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

// DIF512 is one butterfly on rows (R12) and (R12)(R9*1): x, y ← x + y,
// (x − y)·w with w in Z2 and w >> 32 in Z6.
#define DIF512 \
	VMOVDQU64 (R12), Z0                           \
	VMOVDQU64 (R12)(R9*1), Z1                     \
	GL512_ADD(Z0, Z1, Z3, Z4)                     \
	GL512_SUB(Z0, Z1, Z5)                         \
	GL512_MULH(Z5, Z2, Z6, Z7, Z8, Z9, Z10, Z11)  \
	VMOVDQU64 Z3, (R12)                           \
	VMOVDQU64 Z7, (R12)(R9*1)

// DIT512 is one butterfly on the same rows: x, y ← x + y·w, x − y·w.
#define DIT512 \
	VMOVDQU64 (R12), Z0                           \
	VMOVDQU64 (R12)(R9*1), Z1                     \
	GL512_MULH(Z1, Z2, Z6, Z7, Z8, Z9, Z10, Z11)  \
	GL512_ADD(Z0, Z7, Z3, Z4)                     \
	GL512_SUB(Z0, Z7, Z5)                         \
	VMOVDQU64 Z3, (R12)                           \
	VMOVDQU64 Z5, (R12)(R9*1)

// ADDSUB512 is the butterfly with w = 1, the same for DIF and DIT.
#define ADDSUB512 \
	VMOVDQU64 (R12), Z0       \
	VMOVDQU64 (R12)(R9*1), Z1 \
	GL512_ADD(Z0, Z1, Z3, Z4) \
	GL512_SUB(Z0, Z1, Z5)     \
	VMOVDQU64 Z3, (R12)       \
	VMOVDQU64 Z5, (R12)(R9*1)

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
