// The loop drivers of the element-wise amd64 kernels (vector_amd64.s,
// commit_amd64.s). Each may appear once per function: its labels are local to it.

// Every loop takes n > 0, a multiple of its lane count, and walks the slices
// with one index register AX counted in elements.
//
// LOOP512 runs an AVX-512 kernel over n = BX elements: two vectors per
// iteration, so independent Montgomery chains overlap and the loop overhead
// halves, then one more vector when n/8 is odd. STEP(off, acc, r0, ..., r7)
// handles the 8 elements at byte offset off from element AX with scratch
// registers r0..r7 and accumulator acc; the two vectors of a pair get disjoint
// registers (Z0–Z7 and Z20, Z8–Z15 and Z21). Z16 and Z17 are left to the
// kernel for a broadcast scalar and its high half.
#define LOOP512(STEP) \
	XORQ AX, AX                                            \
	MOVQ BX, CX                                            \
	ANDQ $-16, CX                                          \
	JZ   one                                               \
pair:                                                      \
	STEP(0, Z20, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)           \
	STEP(64, Z21, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15)    \
	ADDQ $16, AX                                           \
	CMPQ AX, CX                                            \
	JLT  pair                                              \
one:                                                       \
	CMPQ AX, BX                                            \
	JGE  done                                              \
	STEP(0, Z20, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)           \
done:

// The AVX2 loops take one vector per iteration: a Montgomery product needs
// eight of the thirteen free YMM registers, so a second one would spill.

// LOOP256 runs an AVX2 kernel over n = BX elements, one vector per iteration;
// STEP() handles the 4 elements at element AX.
#define LOOP256(STEP) \
	XORQ AX, AX \
loop:           \
	STEP()      \
	ADDQ $4, AX \
	CMPQ AX, BX \
	JLT  loop
