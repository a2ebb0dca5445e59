//go:build !purego

#include "textflag.h"
#include "gl64_amd64.h"

// func mulVecAVX512(res, a, b *E, n int)
TEXT ·mulVecAVX512(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	GL512_CONSTS(AX)
	SHRQ $3, CX

loop:
	VMOVDQU64 (SI), Z0
	VMOVDQU64 (DX), Z1
	GL512_MUL_HI(Z1, Z2)
	GL512_MULH(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)
	VMOVDQU64 Z3, (DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ CX
	JNZ  loop
	VZEROUPPER
	RET

// func mulVecAVX2(res, a, b *E, n int)
TEXT ·mulVecAVX2(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	GL256_CONSTS(AX)
	SHRQ $2, CX

loop:
	VMOVDQU (SI), Y0
	VMOVDQU (DX), Y1
	GL256_MUL_HI(Y1, Y2)
	GL256_MULH(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	VMOVDQU Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
	VZEROUPPER
	RET
