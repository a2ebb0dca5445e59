// Goldilocks arithmetic for the arm64 kernels of this package. Inputs are fully
// reduced (< q) and so are results, unless a macro says it accumulates.
//
// NEON has no 64×64-bit multiply: UMULL gives two 32×32→64 products, so a
// vector Montgomery product needs the operands split into 32-bit halves, four
// UMULLs and the carries between the partial products done by hand, then the
// reduction: about thirty NEON instructions for two lanes. Scalar arm64 has MUL
// and UMULH (the low and high words of the 128-bit product), after which
// gl64.Redc is seven instructions, nine per element in all. Products therefore
// run on the scalar pipes (GL_MUL2, two elements interleaved so that in-order
// cores overlap them too); additions, subtractions and sums, a few cheap vector
// instructions per two lanes, run on NEON.
//
// Scalar macros take registers, "q" one holding q; VCMHI_2D takes register
// numbers, which its WORD encoding needs.

// r = a + b mod q, as a − (q − b): one borrow decides the correction, which is
// + q, that is − ε (ε = 2^32 − 1 = 2^64 mod q), done as the all-ones borrow
// mask shifted right by 32. r may be a or b; t is scratch, distinct from a.
#define GL_ADD(a, b, r, t, q) \
	SUB   b, q, t    \
	SUBS  t, a, r    \
	CSETM LO, t      \
	SUB   t>>32, r, r

// r = a − b mod q, plus q on borrow as in GL_ADD. r may be a or b; t is scratch.
#define GL_SUB(a, b, r, t) \
	SUBS  b, a, r    \
	CSETM LO, t      \
	SUB   t>>32, r, r

// r0 = a0·b0·2^−64 mod q and r1 = a1·b1·2^−64 mod q, following gl64.Redc:
// m = lo + lo<<32, h = m − m_hi − [m_hi < m_lo], r = hi − h (+ q on borrow).
// The 32-bit compare CMPW sees m_hi whole (it is below 2^32) and m_lo as the
// low word of m, and SBC subtracts its borrow. a0 and a1 are overwritten; t0
// and t1 may be b0 and b1, which are read before them; r0 and r1 must differ
// from every other argument.
#define GL_MUL2(a0, b0, r0, t0, a1, b1, r1, t1) \
	UMULH b0, a0, r0   \
	UMULH b1, a1, r1   \
	MUL   b0, a0, a0   \
	MUL   b1, a1, a1   \
	ADD   a0<<32, a0, a0 \
	ADD   a1<<32, a1, a1 \
	LSR   $32, a0, t0  \
	LSR   $32, a1, t1  \
	CMPW  a0, t0       \
	SBC   t0, a0, t0   \
	CMPW  a1, t1       \
	SBC   t1, a1, t1   \
	SUBS  t0, r0, r0   \
	CSETM LO, a0       \
	SUBS  t1, r1, r1   \
	CSETM LO, a1       \
	SUB   a0>>32, r0, r0 \
	SUB   a1>>32, r1, r1

// (c2, c1, c0) += a·b: the 128-bit product added into a 192-bit accumulator,
// reduced once at the end (see innerNEON). lo and hi are scratch.
#define GL_MAC(a, b, lo, hi, c0, c1, c2) \
	MUL   b, a, lo     \
	UMULH b, a, hi     \
	ADDS  lo, c0, c0   \
	ADCS  hi, c1, c1   \
	ADC   ZR, c2, c2

// Go's assembler has no CMHI; this is CMHI Vd.2D, Vn.2D, Vm.2D: each lane of
// Vd is all ones where Vn > Vm unsigned, else zero.
#define VCMHI_2D(n, m, d) WORD $(0x6EE03400 | ((m)<<16) | ((n)<<5) | (d))
