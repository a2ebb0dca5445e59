//go:build !purego

#include "textflag.h"
#include "gl64_amd64.h"
#include "loop_amd64.h"

// res = a + b, with res, a, b in DI, SI, DX.
#define ADD512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(SI)(AX*8), r0 \
	VMOVDQU64 off(DX)(AX*8), r1 \
	GL512_ADD(r0, r1, r0, r2)   \
	VMOVDQU64 r0, off(DI)(AX*8)

// res = a − b.
#define SUB512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(SI)(AX*8), r0 \
	VMOVDQU64 off(DX)(AX*8), r1 \
	GL512_SUB(r0, r1, r0)       \
	VMOVDQU64 r0, off(DI)(AX*8)

// res = a · b.
#define MUL512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(SI)(AX*8), r0            \
	VMOVDQU64 off(DX)(AX*8), r1            \
	GL512_MUL_HI(r1, r2)                   \
	GL512_MULH(r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 r3, off(DI)(AX*8)

// res = s · a, s broadcast in Z16 and its high half in Z17.
#define SCALARMUL512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(SI)(AX*8), r0                 \
	GL512_MULH(r0, Z16, Z17, r3, r4, r5, r6, r7) \
	VMOVDQU64 r3, off(DI)(AX*8)

// y += s · x, with y in DI and x in SI.
#define MULADD512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(SI)(AX*8), r0                 \
	GL512_MULH(r0, Z16, Z17, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(DI)(AX*8), r1                 \
	GL512_ADD(r1, r3, r1, r4)                   \
	VMOVDQU64 r1, off(DI)(AX*8)

// acc += a · b.
#define INNER512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(SI)(AX*8), r0            \
	VMOVDQU64 off(DX)(AX*8), r1            \
	GL512_MUL_HI(r1, r2)                   \
	GL512_MULH(r0, r1, r2, r3, r4, r5, r6, r7) \
	GL512_ADD(acc, r3, acc, r4)

// acc += a.
#define SUM512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(SI)(AX*8), r0 \
	GL512_ADD(acc, r0, acc, r4)

// func addVecAVX512(res, a, b *E, n int)
TEXT ·addVecAVX512(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL512_CONSTS(AX)
	LOOP512(ADD512)
	VZEROUPPER
	RET

// func subVecAVX512(res, a, b *E, n int)
TEXT ·subVecAVX512(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL512_CONSTS(AX)
	LOOP512(SUB512)
	VZEROUPPER
	RET

// func mulVecAVX512(res, a, b *E, n int)
TEXT ·mulVecAVX512(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL512_CONSTS(AX)
	LOOP512(MUL512)
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
	LOOP512(SCALARMUL512)
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
	LOOP512(MULADD512)
	VZEROUPPER
	RET

// func innerVecAVX512(acc *[8]uint64, a, b *E, n int)
//
// The two vectors of a pair add into separate accumulators, keeping the
// additions off a single dependency chain; they are folded before the store.
TEXT ·innerVecAVX512(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL512_CONSTS(AX)
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	LOOP512(INNER512)
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
	LOOP512(SUM512)
	GL512_ADD(Z20, Z21, Z20, Z4)
	VMOVDQU64 Z20, (DI)
	VZEROUPPER
	RET

// res = a + b, with res, a, b in DI, SI, DX.
#define ADD256() \
	VMOVDQU (SI)(AX*8), Y0        \
	VMOVDQU (DX)(AX*8), Y1        \
	GL256_ADD(Y0, Y1, Y2, Y3, Y4) \
	VMOVDQU Y2, (DI)(AX*8)

// res = a − b.
#define SUB256() \
	VMOVDQU (SI)(AX*8), Y0    \
	VMOVDQU (DX)(AX*8), Y1    \
	GL256_SUB(Y0, Y1, Y2, Y3) \
	VMOVDQU Y2, (DI)(AX*8)

// res = a · b.
#define MUL256() \
	VMOVDQU (SI)(AX*8), Y0                     \
	VMOVDQU (DX)(AX*8), Y1                     \
	GL256_MUL_HI(Y1, Y2)                       \
	GL256_MULH(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7) \
	VMOVDQU Y3, (DI)(AX*8)

// res = s · a, s broadcast in Y8 and its high half in Y9.
#define SCALARMUL256() \
	VMOVDQU (SI)(AX*8), Y0                     \
	GL256_MULH(Y0, Y8, Y9, Y3, Y4, Y5, Y6, Y7) \
	VMOVDQU Y3, (DI)(AX*8)

// y += s · x, with y in DI and x in SI.
#define MULADD256() \
	VMOVDQU (SI)(AX*8), Y0                     \
	GL256_MULH(Y0, Y8, Y9, Y3, Y4, Y5, Y6, Y7) \
	VMOVDQU (DI)(AX*8), Y1                     \
	GL256_ADD_ACC(Y1, Y3, Y4, Y5, Y6)          \
	VMOVDQU Y1, (DI)(AX*8)

// Y10 += a · b.
#define INNER256() \
	VMOVDQU (SI)(AX*8), Y0                     \
	VMOVDQU (DX)(AX*8), Y1                     \
	GL256_MUL_HI(Y1, Y2)                       \
	GL256_MULH(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7) \
	GL256_ADD_ACC(Y10, Y3, Y4, Y5, Y6)

// func addVecAVX2(res, a, b *E, n int)
TEXT ·addVecAVX2(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL256_CONSTS(AX)
	LOOP256(ADD256)
	VZEROUPPER
	RET

// func subVecAVX2(res, a, b *E, n int)
TEXT ·subVecAVX2(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL256_CONSTS(AX)
	LOOP256(SUB256)
	VZEROUPPER
	RET

// func mulVecAVX2(res, a, b *E, n int)
TEXT ·mulVecAVX2(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	GL256_CONSTS(AX)
	LOOP256(MUL256)
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
	LOOP256(SCALARMUL256)
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
	LOOP256(MULADD256)
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
	LOOP256(INNER256)
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
