//go:build !purego

#include "textflag.h"
#include "gl64_arm64.h"

// Every loop takes n > 0, a multiple of its step (8 elements for the NEON
// loops, 4 for the scalar ones); the Go wrappers do the rest.

// func addVecNEON(res, a, b *E, n int)
TEXT ·addVecNEON(SB), NOSPLIT, $0-32
	MOVD res+0(FP), R0
	MOVD a+8(FP), R1
	MOVD b+16(FP), R2
	MOVD n+24(FP), R3
	MOVD $0xFFFFFFFF00000001, R4
	VDUP R4, V31.D2

addLoop:
	VLD1.P 64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P 64(R2), [V4.D2, V5.D2, V6.D2, V7.D2]

	// a + b = a − (q − b), plus q where a < q − b.
	VSUB V4.D2, V31.D2, V8.D2
	VSUB V5.D2, V31.D2, V9.D2
	VSUB V6.D2, V31.D2, V10.D2
	VSUB V7.D2, V31.D2, V11.D2
	VCMHI_2D(8, 0, 12)
	VCMHI_2D(9, 1, 13)
	VCMHI_2D(10, 2, 14)
	VCMHI_2D(11, 3, 15)
	VSUB V8.D2, V0.D2, V0.D2
	VSUB V9.D2, V1.D2, V1.D2
	VSUB V10.D2, V2.D2, V2.D2
	VSUB V11.D2, V3.D2, V3.D2
	VAND V31.B16, V12.B16, V12.B16
	VAND V31.B16, V13.B16, V13.B16
	VAND V31.B16, V14.B16, V14.B16
	VAND V31.B16, V15.B16, V15.B16
	VADD V12.D2, V0.D2, V0.D2
	VADD V13.D2, V1.D2, V1.D2
	VADD V14.D2, V2.D2, V2.D2
	VADD V15.D2, V3.D2, V3.D2

	VST1.P [V0.D2, V1.D2, V2.D2, V3.D2], 64(R0)
	SUBS   $8, R3, R3
	BNE    addLoop
	RET

// func subVecNEON(res, a, b *E, n int)
TEXT ·subVecNEON(SB), NOSPLIT, $0-32
	MOVD res+0(FP), R0
	MOVD a+8(FP), R1
	MOVD b+16(FP), R2
	MOVD n+24(FP), R3
	MOVD $0xFFFFFFFF00000001, R4
	VDUP R4, V31.D2

subLoop:
	VLD1.P 64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P 64(R2), [V4.D2, V5.D2, V6.D2, V7.D2]

	// a − b, plus q where a < b.
	VCMHI_2D(4, 0, 12)
	VCMHI_2D(5, 1, 13)
	VCMHI_2D(6, 2, 14)
	VCMHI_2D(7, 3, 15)
	VSUB V4.D2, V0.D2, V0.D2
	VSUB V5.D2, V1.D2, V1.D2
	VSUB V6.D2, V2.D2, V2.D2
	VSUB V7.D2, V3.D2, V3.D2
	VAND V31.B16, V12.B16, V12.B16
	VAND V31.B16, V13.B16, V13.B16
	VAND V31.B16, V14.B16, V14.B16
	VAND V31.B16, V15.B16, V15.B16
	VADD V12.D2, V0.D2, V0.D2
	VADD V13.D2, V1.D2, V1.D2
	VADD V14.D2, V2.D2, V2.D2
	VADD V15.D2, V3.D2, V3.D2

	VST1.P [V0.D2, V1.D2, V2.D2, V3.D2], 64(R0)
	SUBS   $8, R3, R3
	BNE    subLoop
	RET

// func sumVecNEON(a *E, n int) (lo, hi uint64)
//
// Returns the exact integer sum hi·2^64 + lo. Each lane adds with wrap-around
// and counts its wraps (a lane wrapped when its new value is below the addend;
// subtracting the all-ones CMHI mask adds one), which is three instructions
// per two elements against five for a reduced addition.
TEXT ·sumVecNEON(SB), NOSPLIT, $0-32
	MOVD a+0(FP), R0
	MOVD n+8(FP), R1
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16

sumLoop:
	VLD1.P 64(R0), [V0.D2, V1.D2, V2.D2, V3.D2]
	VADD   V0.D2, V4.D2, V4.D2
	VADD   V1.D2, V5.D2, V5.D2
	VADD   V2.D2, V6.D2, V6.D2
	VADD   V3.D2, V7.D2, V7.D2
	VCMHI_2D(0, 4, 12)
	VCMHI_2D(1, 5, 13)
	VCMHI_2D(2, 6, 14)
	VCMHI_2D(3, 7, 15)
	VSUB   V12.D2, V8.D2, V8.D2
	VSUB   V13.D2, V9.D2, V9.D2
	VSUB   V14.D2, V10.D2, V10.D2
	VSUB   V15.D2, V11.D2, V11.D2
	SUBS   $8, R1, R1
	BNE    sumLoop

	// Fold the four accumulators into V4 the same way, then its two lanes.
	VADD V5.D2, V4.D2, V4.D2
	VADD V7.D2, V6.D2, V6.D2
	VCMHI_2D(5, 4, 12)
	VCMHI_2D(7, 6, 13)
	VADD V9.D2, V8.D2, V8.D2
	VADD V11.D2, V10.D2, V10.D2
	VSUB V12.D2, V8.D2, V8.D2
	VSUB V13.D2, V10.D2, V10.D2
	VADD V6.D2, V4.D2, V4.D2
	VCMHI_2D(6, 4, 12)
	VADD V10.D2, V8.D2, V8.D2
	VSUB V12.D2, V8.D2, V8.D2

	VMOV V4.D[0], R2
	VMOV V4.D[1], R3
	VMOV V8.D[0], R4
	VMOV V8.D[1], R5
	ADDS R3, R2, R2
	ADC  R5, R4, R4
	MOVD R2, lo+16(FP)
	MOVD R4, hi+24(FP)
	RET

// func mulVecA64(res, a, b *E, n int)
TEXT ·mulVecA64(SB), NOSPLIT, $0-32
	MOVD res+0(FP), R0
	MOVD a+8(FP), R1
	MOVD b+16(FP), R2
	MOVD n+24(FP), R3

mulLoop:
	LDP.P 16(R1), (R4, R5)
	LDP.P 16(R1), (R6, R7)
	LDP.P 16(R2), (R8, R9)
	LDP.P 16(R2), (R10, R11)
	GL_MUL2(R4, R8, R12, R8, R5, R9, R13, R9)
	GL_MUL2(R6, R10, R14, R10, R7, R11, R15, R11)
	STP.P (R12, R13), 16(R0)
	STP.P (R14, R15), 16(R0)
	SUBS  $4, R3, R3
	BNE   mulLoop
	RET

// func scalarMulVecA64(res, a *E, s uint64, n int)
TEXT ·scalarMulVecA64(SB), NOSPLIT, $0-32
	MOVD res+0(FP), R0
	MOVD a+8(FP), R1
	MOVD s+16(FP), R8
	MOVD n+24(FP), R3

scalarMulLoop:
	LDP.P 16(R1), (R4, R5)
	LDP.P 16(R1), (R6, R7)
	GL_MUL2(R4, R8, R12, R9, R5, R8, R13, R10)
	GL_MUL2(R6, R8, R14, R11, R7, R8, R15, R16)
	STP.P (R12, R13), 16(R0)
	STP.P (R14, R15), 16(R0)
	SUBS  $4, R3, R3
	BNE   scalarMulLoop
	RET

// func mulAddVecA64(y *E, s uint64, x *E, n int)
TEXT ·mulAddVecA64(SB), NOSPLIT, $0-32
	MOVD y+0(FP), R0
	MOVD s+8(FP), R8
	MOVD x+16(FP), R2
	MOVD n+24(FP), R3
	MOVD R0, R1
	MOVD $0xFFFFFFFF00000001, R23

mulAddLoop:
	LDP.P 16(R2), (R4, R5)
	LDP.P 16(R2), (R6, R7)
	LDP.P 16(R0), (R19, R20)
	LDP.P 16(R0), (R21, R22)
	GL_MUL2(R4, R8, R12, R9, R5, R8, R13, R10)
	GL_MUL2(R6, R8, R14, R11, R7, R8, R15, R16)
	GL_ADD(R19, R12, R19, R4, R23)
	GL_ADD(R20, R13, R20, R5, R23)
	GL_ADD(R21, R14, R21, R6, R23)
	GL_ADD(R22, R15, R22, R7, R23)
	STP.P (R19, R20), 16(R1)
	STP.P (R21, R22), 16(R1)
	SUBS  $4, R3, R3
	BNE   mulAddLoop
	RET

// func innerVecA64(a, b *E, n int) (c0, c1, c2 uint64)
//
// Returns Σ a[i]·b[i] as exact integers, c2·2^128 + c1·2^64 + c0: the sum of
// Montgomery products is the Montgomery reduction of the sum of the plain
// products, so one reduction at the end replaces n of them.
TEXT ·innerVecA64(SB), NOSPLIT, $0-48
	MOVD a+0(FP), R0
	MOVD b+8(FP), R1
	MOVD n+16(FP), R2
	MOVD ZR, R19
	MOVD ZR, R20
	MOVD ZR, R21

innerLoop:
	LDP.P 16(R0), (R4, R5)
	LDP.P 16(R0), (R6, R7)
	LDP.P 16(R1), (R8, R9)
	LDP.P 16(R1), (R10, R11)
	GL_MAC(R4, R8, R12, R13, R19, R20, R21)
	GL_MAC(R5, R9, R14, R15, R19, R20, R21)
	GL_MAC(R6, R10, R12, R13, R19, R20, R21)
	GL_MAC(R7, R11, R14, R15, R19, R20, R21)
	SUBS  $4, R2, R2
	BNE   innerLoop

	MOVD R19, c0+24(FP)
	MOVD R20, c1+32(FP)
	MOVD R21, c2+40(FP)
	RET
