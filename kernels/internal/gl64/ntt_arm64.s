//go:build !purego

#include "textflag.h"
#include "gl64_arm64.h"

// The butterflies run on the scalar A64 pipes, for the reason gl64_arm64.h
// gives: each pairs four lanes of row x (at R0) with four of row y (at R24) and
// shares the twiddle in R17, with q in R23. Gather and Scatter only move data,
// which NEON does two lanes per register with ZIP1/ZIP2 as the 2×2 transpose.

// x, y = x + y, (x − y)·w on the four lanes at off.
#define DIF4(off) \
	LDP     off(R0), (R8, R9)                      \
	LDP     off+16(R0), (R10, R11)                 \
	LDP     off(R24), (R12, R13)                   \
	LDP     off+16(R24), (R14, R15)                \
	GL_ADD(R8, R12, R19, R16, R23)                 \
	GL_ADD(R9, R13, R20, R16, R23)                 \
	GL_ADD(R10, R14, R21, R16, R23)                \
	GL_ADD(R11, R15, R22, R16, R23)                \
	STP     (R19, R20), off(R0)                    \
	STP     (R21, R22), off+16(R0)                 \
	GL_SUB(R8, R12, R8, R16)                       \
	GL_SUB(R9, R13, R9, R16)                       \
	GL_SUB(R10, R14, R10, R16)                     \
	GL_SUB(R11, R15, R11, R16)                     \
	GL_MUL2(R8, R17, R12, R19, R9, R17, R13, R20)  \
	GL_MUL2(R10, R17, R14, R21, R11, R17, R15, R22) \
	STP     (R12, R13), off(R24)                   \
	STP     (R14, R15), off+16(R24)

// x, y = x + y·w, x − y·w on the four lanes at off.
#define DIT4(off) \
	LDP     off(R0), (R8, R9)                      \
	LDP     off+16(R0), (R10, R11)                 \
	LDP     off(R24), (R12, R13)                   \
	LDP     off+16(R24), (R14, R15)                \
	GL_MUL2(R12, R17, R19, R16, R13, R17, R20, R25) \
	GL_MUL2(R14, R17, R21, R16, R15, R17, R22, R25) \
	GL_ADD(R8, R19, R12, R16, R23)                 \
	GL_ADD(R9, R20, R13, R16, R23)                 \
	GL_ADD(R10, R21, R14, R16, R23)                \
	GL_ADD(R11, R22, R15, R16, R23)                \
	GL_SUB(R8, R19, R8, R16)                       \
	GL_SUB(R9, R20, R9, R16)                       \
	GL_SUB(R10, R21, R10, R16)                     \
	GL_SUB(R11, R22, R11, R16)                     \
	STP     (R12, R13), off(R0)                    \
	STP     (R14, R15), off+16(R0)                 \
	STP     (R8, R9), off(R24)                     \
	STP     (R10, R11), off+16(R24)

// One layer: blocks groups of 2h rows, row j of a group paired with row j + h
// under twiddle tw[j·blocks] (blocks = m/(2h) is also the table stride).
#define LAYER(BUTTERFLY, block, row) \
	MOVD a+0(FP), R0                  \
	MOVD tw+8(FP), R1                 \
	MOVD blocks+16(FP), R2            \
	MOVD h+24(FP), R3                 \
	LSL  $6, R3, R4                   \
	LSL  $3, R2, R5                   \
	MOVD $0xFFFFFFFF00000001, R23     \
block:                                \
	MOVD R1, R6                       \
	MOVD R3, R7                       \
	ADD  R4, R0, R24                  \
row:                                  \
	MOVD (R6), R17                    \
	ADD  R5, R6, R6                   \
	BUTTERFLY(0)                      \
	BUTTERFLY(32)                     \
	ADD  $64, R0, R0                  \
	ADD  $64, R24, R24                \
	SUBS $1, R7, R7                   \
	BNE  row                          \
	ADD  R4, R0, R0                   \
	SUBS $1, R2, R2                   \
	BNE  block                        \
	RET

// func difLayerA64(a, tw *E, blocks, h int)
TEXT ·difLayerA64(SB), NOSPLIT, $0-32
	LAYER(DIF4, difBlock, difRow)

// func ditLayerA64(a, tw *E, blocks, h int)
TEXT ·ditLayerA64(SB), NOSPLIT, $0-32
	LAYER(DIT4, ditBlock, ditRow)

// Two lanes of a row times (t0, t1), then (t0, t1) times (s0, s1).
#define TWIDDLE2(t0, t1, s0, s1) \
	LDP     (R0), (R4, R5)                       \
	GL_MUL2(R4, t0, R6, R16, R5, t1, R7, R17)    \
	STP.P   (R6, R7), 16(R0)                     \
	GL_MUL2(t0, s0, R6, R16, t1, s1, R7, R17)    \
	MOVD    R6, t0                               \
	MOVD    R7, t1

// func twiddleA64(a *E, rows int, t0, step *[8]E)
TEXT ·twiddleA64(SB), NOSPLIT, $0-32
	MOVD a+0(FP), R0
	MOVD rows+8(FP), R1
	MOVD t0+16(FP), R2
	MOVD step+24(FP), R3
	LDP  (R2), (R8, R9)
	LDP  16(R2), (R10, R11)
	LDP  32(R2), (R12, R13)
	LDP  48(R2), (R14, R15)
	LDP  (R3), (R19, R20)
	LDP  16(R3), (R21, R22)
	LDP  32(R3), (R23, R24)
	LDP  48(R3), (R25, R26)

twiddleRow:
	TWIDDLE2(R8, R9, R19, R20)
	TWIDDLE2(R10, R11, R21, R22)
	TWIDDLE2(R12, R13, R23, R24)
	TWIDDLE2(R14, R15, R25, R26)
	SUBS $1, R1, R1
	BNE  twiddleRow
	RET

// R4..R11 = base + 8·off[c], the start of each of the 8 source or
// destination rows.
#define ROW_POINTERS(base, off) \
	LDP (off), (R4, R5)     \
	LDP 16(off), (R6, R7)   \
	LDP 32(off), (R8, R9)   \
	LDP 48(off), (R10, R11) \
	ADD R4<<3, base, R4     \
	ADD R5<<3, base, R5     \
	ADD R6<<3, base, R6     \
	ADD R7<<3, base, R7     \
	ADD R8<<3, base, R8     \
	ADD R9<<3, base, R9     \
	ADD R10<<3, base, R10   \
	ADD R11<<3, base, R11

// func gatherNEON(a, src *E, off *[8]int, m int)
//
// Two block rows per iteration: V0..V7 hold two consecutive elements of each
// source row, and ZIP1/ZIP2 of neighbouring columns give the lane pairs of
// block rows r and r + 1.
TEXT ·gatherNEON(SB), NOSPLIT, $0-32
	MOVD a+0(FP), R0
	MOVD src+8(FP), R1
	MOVD off+16(FP), R2
	MOVD m+24(FP), R3
	ROW_POINTERS(R1, R2)

gatherLoop:
	VLD1.P 16(R4), [V0.D2]
	VLD1.P 16(R5), [V1.D2]
	VLD1.P 16(R6), [V2.D2]
	VLD1.P 16(R7), [V3.D2]
	VLD1.P 16(R8), [V4.D2]
	VLD1.P 16(R9), [V5.D2]
	VLD1.P 16(R10), [V6.D2]
	VLD1.P 16(R11), [V7.D2]
	VZIP1  V1.D2, V0.D2, V16.D2
	VZIP1  V3.D2, V2.D2, V17.D2
	VZIP1  V5.D2, V4.D2, V18.D2
	VZIP1  V7.D2, V6.D2, V19.D2
	VZIP2  V1.D2, V0.D2, V20.D2
	VZIP2  V3.D2, V2.D2, V21.D2
	VZIP2  V5.D2, V4.D2, V22.D2
	VZIP2  V7.D2, V6.D2, V23.D2
	VST1.P [V16.D2, V17.D2, V18.D2, V19.D2], 64(R0)
	VST1.P [V20.D2, V21.D2, V22.D2, V23.D2], 64(R0)
	SUBS   $2, R3, R3
	BNE    gatherLoop
	RET

// func scatterNEON(dst *E, off *[8]int, a *E, m int)
//
// The inverse of gatherNEON: block rows r and r + 1 in V0..V3 and V4..V7,
// ZIP1/ZIP2 of the same lane pair of both rows give two consecutive elements
// of each destination row.
TEXT ·scatterNEON(SB), NOSPLIT, $0-32
	MOVD dst+0(FP), R1
	MOVD off+8(FP), R2
	MOVD a+16(FP), R0
	MOVD m+24(FP), R3
	ROW_POINTERS(R1, R2)

scatterLoop:
	VLD1.P 64(R0), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P 64(R0), [V4.D2, V5.D2, V6.D2, V7.D2]
	VZIP1  V4.D2, V0.D2, V16.D2
	VZIP2  V4.D2, V0.D2, V17.D2
	VZIP1  V5.D2, V1.D2, V18.D2
	VZIP2  V5.D2, V1.D2, V19.D2
	VZIP1  V6.D2, V2.D2, V20.D2
	VZIP2  V6.D2, V2.D2, V21.D2
	VZIP1  V7.D2, V3.D2, V22.D2
	VZIP2  V7.D2, V3.D2, V23.D2
	VST1.P [V16.D2], 16(R4)
	VST1.P [V17.D2], 16(R5)
	VST1.P [V18.D2], 16(R6)
	VST1.P [V19.D2], 16(R7)
	VST1.P [V20.D2], 16(R8)
	VST1.P [V21.D2], 16(R9)
	VST1.P [V22.D2], 16(R10)
	VST1.P [V23.D2], 16(R11)
	SUBS   $2, R3, R3
	BNE    scatterLoop
	RET
