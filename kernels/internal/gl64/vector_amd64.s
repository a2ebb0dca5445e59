//go:build !purego

#include "textflag.h"
#include "gl64_amd64.h"

// Every loop takes n > 0, a multiple of its lane count, and walks the slices
// with one index register AX counted in elements. The AVX-512 loops handle two
// vectors per iteration, so independent Montgomery chains overlap and the loop
// overhead halves, and finish with one more vector when n/8 is odd.

// func addVecAVX512(res, a, b *E, n int)
TEXT ·addVecAVX512(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL512_CONSTS(AX)
	XORQ AX, AX
	MOVQ BX, CX
	ANDQ $-16, CX
	JZ   one

pair:
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 64(SI)(AX*8), Z3
	VMOVDQU64 (DX)(AX*8), Z1
	VMOVDQU64 64(DX)(AX*8), Z4
	GL512_ADD(Z0, Z1, Z0, Z2)
	GL512_ADD(Z3, Z4, Z3, Z5)
	VMOVDQU64 Z0, (DI)(AX*8)
	VMOVDQU64 Z3, 64(DI)(AX*8)
	ADDQ $16, AX
	CMPQ AX, CX
	JLT  pair

one:
	CMPQ AX, BX
	JGE  done
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 (DX)(AX*8), Z1
	GL512_ADD(Z0, Z1, Z0, Z2)
	VMOVDQU64 Z0, (DI)(AX*8)

done:
	VZEROUPPER
	RET

// func subVecAVX512(res, a, b *E, n int)
TEXT ·subVecAVX512(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL512_CONSTS(AX)
	XORQ AX, AX
	MOVQ BX, CX
	ANDQ $-16, CX
	JZ   one

pair:
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 64(SI)(AX*8), Z3
	VMOVDQU64 (DX)(AX*8), Z1
	VMOVDQU64 64(DX)(AX*8), Z4
	GL512_SUB(Z0, Z1, Z0)
	GL512_SUB(Z3, Z4, Z3)
	VMOVDQU64 Z0, (DI)(AX*8)
	VMOVDQU64 Z3, 64(DI)(AX*8)
	ADDQ $16, AX
	CMPQ AX, CX
	JLT  pair

one:
	CMPQ AX, BX
	JGE  done
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 (DX)(AX*8), Z1
	GL512_SUB(Z0, Z1, Z0)
	VMOVDQU64 Z0, (DI)(AX*8)

done:
	VZEROUPPER
	RET

// func mulVecAVX512(res, a, b *E, n int)
TEXT ·mulVecAVX512(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL512_CONSTS(AX)
	XORQ AX, AX
	MOVQ BX, CX
	ANDQ $-16, CX
	JZ   one

pair:
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 64(SI)(AX*8), Z8
	VMOVDQU64 (DX)(AX*8), Z1
	VMOVDQU64 64(DX)(AX*8), Z9
	GL512_MUL_HI(Z1, Z2)
	GL512_MUL_HI(Z9, Z10)
	GL512_MULH(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)
	GL512_MULH(Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15)
	VMOVDQU64 Z3, (DI)(AX*8)
	VMOVDQU64 Z11, 64(DI)(AX*8)
	ADDQ $16, AX
	CMPQ AX, CX
	JLT  pair

one:
	CMPQ AX, BX
	JGE  done
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 (DX)(AX*8), Z1
	GL512_MUL_HI(Z1, Z2)
	GL512_MULH(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)
	VMOVDQU64 Z3, (DI)(AX*8)

done:
	VZEROUPPER
	RET

// func scalarMulVecAVX512(res, a *E, s uint64, n int)
TEXT ·scalarMulVecAVX512(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ s+16(FP), DX
	MOVQ n+24(FP), BX
	GL512_CONSTS(AX)
	VPBROADCASTQ DX, Z16
	GL512_MUL_HI(Z16, Z17)
	XORQ AX, AX
	MOVQ BX, CX
	ANDQ $-16, CX
	JZ   one

pair:
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 64(SI)(AX*8), Z8
	GL512_MULH(Z0, Z16, Z17, Z3, Z4, Z5, Z6, Z7)
	GL512_MULH(Z8, Z16, Z17, Z11, Z12, Z13, Z14, Z15)
	VMOVDQU64 Z3, (DI)(AX*8)
	VMOVDQU64 Z11, 64(DI)(AX*8)
	ADDQ $16, AX
	CMPQ AX, CX
	JLT  pair

one:
	CMPQ AX, BX
	JGE  done
	VMOVDQU64 (SI)(AX*8), Z0
	GL512_MULH(Z0, Z16, Z17, Z3, Z4, Z5, Z6, Z7)
	VMOVDQU64 Z3, (DI)(AX*8)

done:
	VZEROUPPER
	RET

// func mulAddVecAVX512(y, x *E, s uint64, n int)
TEXT ·mulAddVecAVX512(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ s+16(FP), DX
	MOVQ n+24(FP), BX
	GL512_CONSTS(AX)
	VPBROADCASTQ DX, Z16
	GL512_MUL_HI(Z16, Z17)
	XORQ AX, AX
	MOVQ BX, CX
	ANDQ $-16, CX
	JZ   one

pair:
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 64(SI)(AX*8), Z8
	GL512_MULH(Z0, Z16, Z17, Z3, Z4, Z5, Z6, Z7)
	GL512_MULH(Z8, Z16, Z17, Z11, Z12, Z13, Z14, Z15)
	VMOVDQU64 (DI)(AX*8), Z1
	VMOVDQU64 64(DI)(AX*8), Z9
	GL512_ADD(Z1, Z3, Z1, Z4)
	GL512_ADD(Z9, Z11, Z9, Z12)
	VMOVDQU64 Z1, (DI)(AX*8)
	VMOVDQU64 Z9, 64(DI)(AX*8)
	ADDQ $16, AX
	CMPQ AX, CX
	JLT  pair

one:
	CMPQ AX, BX
	JGE  done
	VMOVDQU64 (SI)(AX*8), Z0
	GL512_MULH(Z0, Z16, Z17, Z3, Z4, Z5, Z6, Z7)
	VMOVDQU64 (DI)(AX*8), Z1
	GL512_ADD(Z1, Z3, Z1, Z4)
	VMOVDQU64 Z1, (DI)(AX*8)

done:
	VZEROUPPER
	RET

// func innerVecAVX512(acc *[8]uint64, a, b *E, n int)
//
// Two accumulators, one per vector of a pair, keep the additions off a single
// dependency chain; they are folded together before the lanes are stored.
TEXT ·innerVecAVX512(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL512_CONSTS(AX)
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	XORQ AX, AX
	MOVQ BX, CX
	ANDQ $-16, CX
	JZ   one

pair:
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 64(SI)(AX*8), Z8
	VMOVDQU64 (DX)(AX*8), Z1
	VMOVDQU64 64(DX)(AX*8), Z9
	GL512_MUL_HI(Z1, Z2)
	GL512_MUL_HI(Z9, Z10)
	GL512_MULH(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)
	GL512_MULH(Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15)
	GL512_ADD(Z20, Z3, Z20, Z4)
	GL512_ADD(Z21, Z11, Z21, Z12)
	ADDQ $16, AX
	CMPQ AX, CX
	JLT  pair

one:
	CMPQ AX, BX
	JGE  done
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 (DX)(AX*8), Z1
	GL512_MUL_HI(Z1, Z2)
	GL512_MULH(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)
	GL512_ADD(Z20, Z3, Z20, Z4)

done:
	GL512_ADD(Z20, Z21, Z20, Z4)
	VMOVDQU64 Z20, (DI)
	VZEROUPPER
	RET

// func sumVecAVX512(acc *[8]uint64, a *E, n int)
TEXT ·sumVecAVX512(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ n+16(FP), BX
	GL512_CONSTS(AX)
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	XORQ AX, AX
	MOVQ BX, CX
	ANDQ $-16, CX
	JZ   one

pair:
	VMOVDQU64 (SI)(AX*8), Z0
	VMOVDQU64 64(SI)(AX*8), Z1
	GL512_ADD(Z20, Z0, Z20, Z4)
	GL512_ADD(Z21, Z1, Z21, Z5)
	ADDQ $16, AX
	CMPQ AX, CX
	JLT  pair

one:
	CMPQ AX, BX
	JGE  done
	VMOVDQU64 (SI)(AX*8), Z0
	GL512_ADD(Z20, Z0, Z20, Z4)

done:
	GL512_ADD(Z20, Z21, Z20, Z4)
	VMOVDQU64 Z20, (DI)
	VZEROUPPER
	RET

// The AVX2 loops take one vector per iteration: a Montgomery product needs
// eight of the thirteen free YMM registers, so a second one would spill.

// func addVecAVX2(res, a, b *E, n int)
TEXT ·addVecAVX2(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL256_CONSTS(AX)
	XORQ AX, AX

loop:
	VMOVDQU (SI)(AX*8), Y0
	VMOVDQU (DX)(AX*8), Y1
	GL256_ADD(Y0, Y1, Y2, Y3, Y4)
	VMOVDQU Y2, (DI)(AX*8)
	ADDQ $4, AX
	CMPQ AX, BX
	JLT  loop
	VZEROUPPER
	RET

// func subVecAVX2(res, a, b *E, n int)
TEXT ·subVecAVX2(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL256_CONSTS(AX)
	XORQ AX, AX

loop:
	VMOVDQU (SI)(AX*8), Y0
	VMOVDQU (DX)(AX*8), Y1
	GL256_SUB(Y0, Y1, Y2, Y3)
	VMOVDQU Y2, (DI)(AX*8)
	ADDQ $4, AX
	CMPQ AX, BX
	JLT  loop
	VZEROUPPER
	RET

// func mulVecAVX2(res, a, b *E, n int)
TEXT ·mulVecAVX2(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL256_CONSTS(AX)
	XORQ AX, AX

loop:
	VMOVDQU (SI)(AX*8), Y0
	VMOVDQU (DX)(AX*8), Y1
	GL256_MUL_HI(Y1, Y2)
	GL256_MULH(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	VMOVDQU Y3, (DI)(AX*8)
	ADDQ $4, AX
	CMPQ AX, BX
	JLT  loop
	VZEROUPPER
	RET

// func scalarMulVecAVX2(res, a *E, s uint64, n int)
TEXT ·scalarMulVecAVX2(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ s+16(FP), DX
	MOVQ n+24(FP), BX
	GL256_CONSTS(AX)
	VMOVQ DX, X8
	VPBROADCASTQ X8, Y8
	GL256_MUL_HI(Y8, Y9)
	XORQ AX, AX

loop:
	VMOVDQU (SI)(AX*8), Y0
	GL256_MULH(Y0, Y8, Y9, Y3, Y4, Y5, Y6, Y7)
	VMOVDQU Y3, (DI)(AX*8)
	ADDQ $4, AX
	CMPQ AX, BX
	JLT  loop
	VZEROUPPER
	RET

// func mulAddVecAVX2(y, x *E, s uint64, n int)
TEXT ·mulAddVecAVX2(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ s+16(FP), DX
	MOVQ n+24(FP), BX
	GL256_CONSTS(AX)
	VMOVQ DX, X8
	VPBROADCASTQ X8, Y8
	GL256_MUL_HI(Y8, Y9)
	XORQ AX, AX

loop:
	VMOVDQU (SI)(AX*8), Y0
	GL256_MULH(Y0, Y8, Y9, Y3, Y4, Y5, Y6, Y7)
	VMOVDQU (DI)(AX*8), Y1
	GL256_ADD_ACC(Y1, Y3, Y4, Y5, Y6)
	VMOVDQU Y1, (DI)(AX*8)
	ADDQ $4, AX
	CMPQ AX, BX
	JLT  loop
	VZEROUPPER
	RET

// func innerVecAVX2(acc *[4]uint64, a, b *E, n int)
TEXT ·innerVecAVX2(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL256_CONSTS(AX)
	VPXOR Y10, Y10, Y10
	XORQ  AX, AX

loop:
	VMOVDQU (SI)(AX*8), Y0
	VMOVDQU (DX)(AX*8), Y1
	GL256_MUL_HI(Y1, Y2)
	GL256_MULH(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	GL256_ADD_ACC(Y10, Y3, Y4, Y5, Y6)
	ADDQ $4, AX
	CMPQ AX, BX
	JLT  loop
	VMOVDQU Y10, (DI)
	VZEROUPPER
	RET

// func sumVecAVX2(acc *[4]uint64, a *E, n int)
//
// Sum has nothing but its accumulator chain, so it alternates two
// accumulators and takes two vectors per iteration when it can.
TEXT ·sumVecAVX2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ n+16(FP), BX
	GL256_CONSTS(AX)
	VPXOR Y10, Y10, Y10
	VPXOR Y11, Y11, Y11
	XORQ  AX, AX
	MOVQ  BX, CX
	ANDQ  $-8, CX
	JZ    one

pair:
	VMOVDQU (SI)(AX*8), Y0
	VMOVDQU 32(SI)(AX*8), Y1
	GL256_ADD_ACC(Y10, Y0, Y4, Y5, Y6)
	GL256_ADD_ACC(Y11, Y1, Y7, Y8, Y9)
	ADDQ $8, AX
	CMPQ AX, CX
	JLT  pair

one:
	CMPQ AX, BX
	JGE  done
	VMOVDQU (SI)(AX*8), Y0
	GL256_ADD_ACC(Y10, Y0, Y4, Y5, Y6)

done:
	GL256_ADD_ACC(Y10, Y11, Y4, Y5, Y6)
	VMOVDQU Y10, (DI)
	VZEROUPPER
	RET
