//go:build !purego

#include "textflag.h"
#include "gl64_amd64.h"
#include "ntt_amd64.h"

// The AVX2 DIF and DIT kernels walk a block of m rows of 64 bytes. Per layer, with
// butterflies pairing rows h apart: R9 = 64h, AX = 128h (from one group of 2h
// rows to the next), R10 = end of the block, R8 = the twiddle stride in bytes
// (8·m/2h). Twiddle j is loaded once and applied down all groups (R12), so the
// j = 0 pass, whose twiddle is 1, runs without multiplications.

// The AVX-512 kernels take the layers two at a time, radix 4, so each row is
// loaded and stored once per pair of layers. With the first layer of a pair
// pairing rows h apart (DIF) or the second (DIT), and j the offset of the
// butterfly's first row in its group: R9 = 64h/2 (DIF) or 64h (DIT), the
// distance from x0 to x1; AX = 4·R9, from one group to the next; R10 = end of
// the block; R11 = j·R8, the offset of ω^j in the table for the layer whose
// stride R8 is; R14 = &tw[m/4] = &ω4, compared with 2^16, the Montgomery form
// of −2^48, to pick the loops for that sign; R15 = 4m, the table's m/2
// entries in bytes. ω^3j may lie past them, where ω^i = −ω^(i − m/2). Odd
// log2 m leaves one layer of butterflies with twiddle 1: the last for DIF,
// the first for DIT.

// func difAVX512(a *E, m int, tw *E)
TEXT ·difAVX512(SB), NOSPLIT, $0-24
	MOVQ a+0(FP), DI
	MOVQ m+8(FP), CX
	MOVQ tw+16(FP), DX
	GL512_CONSTS(AX)
	MOVQ CX, R10
	SHLQ $6, R10
	ADDQ DI, R10
	LEAQ (DX)(CX*2), R14
	LEAQ (CX*4), R15
	MOVQ CX, BX
	SHRQ $1, BX
	MOVQ $8, R8
	CMPQ BX, $2
	JB   dif512Last

dif512Layer:
	MOVQ BX, R9
	SHLQ $5, R9
	LEAQ (R9*4), AX
	MOVQ DI, R12
	CMPQ (R14), $0x10000
	JEQ  dif512J0Neg

dif512J0:
	LEAQ (R12)(R9*1), CX
	DIF4J0_512((CX), (CX)(R9*2))
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dif512J0
	JMP  dif512JStart

dif512J0Neg:
	LEAQ (R12)(R9*1), CX
	DIF4J0_512((CX)(R9*2), (CX))
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dif512J0Neg

dif512JStart:
	LEAQ 64(DI), R13
	LEAQ (DI)(R9*1), SI
	XORQ R11, R11

dif512J:
	CMPQ         R13, SI
	JAE          dif512Next
	ADDQ         R8, R11
	VPBROADCASTQ (DX)(R11*1), Z2
	VPBROADCASTQ (DX)(R11*2), Z14
	LEAQ         (R11)(R11*2), CX
	CMPQ         CX, R15
	JAE          dif512W3Wrap
	VPBROADCASTQ (DX)(CX*1), Z12
	JMP          dif512W3Done

dif512W3Wrap:
	SUBQ         R15, CX
	VPBROADCASTQ (DX)(CX*1), Z12
	VPSUBQ       Z12, Z31, Z12

dif512W3Done:
	GL512_MUL_HI(Z2, Z6)
	GL512_MUL_HI(Z12, Z13)
	GL512_MUL_HI(Z14, Z15)
	MOVQ         R13, R12
	CMPQ         (R14), $0x10000
	JEQ          dif512SNeg

dif512S:
	LEAQ (R12)(R9*1), CX
	DIF4_512((CX), (CX)(R9*2))
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dif512S
	ADDQ $64, R13
	JMP  dif512J

dif512SNeg:
	LEAQ (R12)(R9*1), CX
	DIF4_512((CX)(R9*2), (CX))
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dif512SNeg
	ADDQ $64, R13
	JMP  dif512J

dif512Next:
	SHLQ $2, R8
	SHRQ $2, BX
	CMPQ BX, $2
	JAE  dif512Layer

dif512Last:
	TESTQ BX, BX
	JZ    dif512Done
	MOVQ  $64, R9
	MOVQ  DI, R12

dif512Pairs:
	ADDSUB512
	ADDQ $128, R12
	CMPQ R12, R10
	JB   dif512Pairs

dif512Done:
	VZEROUPPER
	RET

// func ditAVX512(a *E, m int, tw *E)
TEXT ·ditAVX512(SB), NOSPLIT, $0-24
	MOVQ  a+0(FP), DI
	MOVQ  m+8(FP), CX
	MOVQ  tw+16(FP), DX
	GL512_CONSTS(AX)
	MOVQ  CX, R10
	SHLQ  $6, R10
	ADDQ  DI, R10
	LEAQ  (DX)(CX*2), R14
	LEAQ  (CX*4), R15
	MOVQ  $1, BX
	LEAQ  (CX)(CX*1), R8
	BSFQ  CX, AX
	TESTQ $1, AX
	JZ    dit512Layer
	MOVQ  $64, R9
	MOVQ  DI, R12

dit512Pairs:
	ADDSUB512
	ADDQ $128, R12
	CMPQ R12, R10
	JB   dit512Pairs
	MOVQ $2, BX
	SHRQ $1, R8

dit512Layer:
	CMPQ R8, $8
	JB   dit512Done
	MOVQ BX, R9
	SHLQ $6, R9
	LEAQ (R9*4), AX
	MOVQ DI, R12
	CMPQ (R14), $0x10000
	JEQ  dit512J0Neg

dit512J0:
	LEAQ (R12)(R9*1), CX
	DIT4J0_512((CX), (CX)(R9*2))
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dit512J0
	JMP  dit512JStart

dit512J0Neg:
	LEAQ (R12)(R9*1), CX
	DIT4J0_512((CX)(R9*2), (CX))
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dit512J0Neg

dit512JStart:
	LEAQ 64(DI), R13
	LEAQ (DI)(R9*1), SI
	XORQ R11, R11

dit512J:
	CMPQ         R13, SI
	JAE          dit512Next
	ADDQ         R8, R11
	VPBROADCASTQ (DX)(R11*1), Z2
	VPBROADCASTQ (DX)(R11*2), Z14
	LEAQ         (R11)(R11*2), CX
	CMPQ         CX, R15
	JAE          dit512W3Wrap
	VPBROADCASTQ (DX)(CX*1), Z12
	JMP          dit512W3Done

dit512W3Wrap:
	SUBQ         R15, CX
	VPBROADCASTQ (DX)(CX*1), Z12
	VPSUBQ       Z12, Z31, Z12

dit512W3Done:
	GL512_MUL_HI(Z2, Z6)
	GL512_MUL_HI(Z12, Z13)
	GL512_MUL_HI(Z14, Z15)
	MOVQ         R13, R12
	CMPQ         (R14), $0x10000
	JEQ          dit512SNeg

dit512S:
	LEAQ (R12)(R9*1), CX
	DIT4_512((CX), (CX)(R9*2))
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dit512S
	ADDQ $64, R13
	JMP  dit512J

dit512SNeg:
	LEAQ (R12)(R9*1), CX
	DIT4_512((CX)(R9*2), (CX))
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dit512SNeg
	ADDQ $64, R13
	JMP  dit512J

dit512Next:
	SHRQ $2, R8
	SHLQ $2, BX
	JMP  dit512Layer

dit512Done:
	VZEROUPPER
	RET

// func twiddleAVX512(a *E, m int, t0, t1, step2 *[8]E)
//
// Rows alternate between two chains of twiddles, t0·step2^i and t1·step2^i
// with t1 = t0·step, so two multiplications by step2 overlap instead of one
// chain whose latency would bound the loop.
TEXT ·twiddleAVX512(SB), NOSPLIT, $0-40
	MOVQ      a+0(FP), DI
	MOVQ      m+8(FP), CX
	MOVQ      t0+16(FP), SI
	MOVQ      t1+24(FP), BX
	MOVQ      step2+32(FP), DX
	GL512_CONSTS(AX)
	VMOVDQU64 (SI), Z0
	VMOVDQU64 (BX), Z15
	VMOVDQU64 (DX), Z1
	GL512_MUL_HI(Z1, Z2)
	MOVQ      CX, BX
	SHRQ      $1, CX
	JZ        tw512Tail

tw512Loop:
	VMOVDQU64   (DI), Z3
	GL512_MUL_HI(Z0, Z4)
	GL512_MULH(Z3, Z0, Z4, Z5, Z6, Z7, Z8, Z9)
	VMOVDQU64   Z5, (DI)
	VMOVDQU64   64(DI), Z16
	GL512_MUL_HI(Z15, Z17)
	GL512_MULH(Z16, Z15, Z17, Z18, Z19, Z20, Z21, Z22)
	VMOVDQU64   Z18, 64(DI)
	GL512_MULH(Z0, Z1, Z2, Z10, Z11, Z12, Z13, Z14)
	GL512_MULH(Z15, Z1, Z2, Z23, Z24, Z25, Z26, Z27)
	VMOVDQA64   Z10, Z0
	VMOVDQA64   Z23, Z15
	ADDQ        $128, DI
	DECQ        CX
	JNZ         tw512Loop

tw512Tail:
	TESTQ       $1, BX
	JZ          tw512Done
	VMOVDQU64   (DI), Z3
	GL512_MUL_HI(Z0, Z4)
	GL512_MULH(Z3, Z0, Z4, Z5, Z6, Z7, Z8, Z9)
	VMOVDQU64   Z5, (DI)

tw512Done:
	VZEROUPPER
	RET

// LOADOFFS8 points SI, DX, R8..R13 at base + 8·off[c] for c = 0..7, off in AX.
#define LOADOFFS8(base) \
	MOVQ 0(AX), SI            \
	LEAQ (base)(SI*8), SI     \
	MOVQ 8(AX), DX            \
	LEAQ (base)(DX*8), DX     \
	MOVQ 16(AX), R8           \
	LEAQ (base)(R8*8), R8     \
	MOVQ 24(AX), R9           \
	LEAQ (base)(R9*8), R9     \
	MOVQ 32(AX), R10          \
	LEAQ (base)(R10*8), R10   \
	MOVQ 40(AX), R11          \
	LEAQ (base)(R11*8), R11   \
	MOVQ 48(AX), R12          \
	LEAQ (base)(R12*8), R12   \
	MOVQ 56(AX), R13          \
	LEAQ (base)(R13*8), R13

#define ADVANCE8(n) \
	ADDQ n, SI  \
	ADDQ n, DX  \
	ADDQ n, R8  \
	ADDQ n, R9  \
	ADDQ n, R10 \
	ADDQ n, R11 \
	ADDQ n, R12 \
	ADDQ n, R13

// func gatherAVX512(a, src *E, m int, off *[8]int)
TEXT ·gatherAVX512(SB), NOSPLIT, $0-32
	MOVQ a+0(FP), DI
	MOVQ src+8(FP), BX
	MOVQ m+16(FP), CX
	MOVQ off+24(FP), AX
	LOADOFFS8(BX)
	SHRQ $3, CX

gather512Loop:
	VMOVDQU64 (SI), Z0
	VMOVDQU64 (DX), Z1
	VMOVDQU64 (R8), Z2
	VMOVDQU64 (R9), Z3
	VMOVDQU64 (R10), Z4
	VMOVDQU64 (R11), Z5
	VMOVDQU64 (R12), Z6
	VMOVDQU64 (R13), Z7
	TRANSPOSE512
	VMOVDQU64 Z16, (DI)
	VMOVDQU64 Z17, 64(DI)
	VMOVDQU64 Z18, 128(DI)
	VMOVDQU64 Z19, 192(DI)
	VMOVDQU64 Z20, 256(DI)
	VMOVDQU64 Z21, 320(DI)
	VMOVDQU64 Z22, 384(DI)
	VMOVDQU64 Z23, 448(DI)
	ADVANCE8($64)
	ADDQ      $512, DI
	DECQ      CX
	JNZ       gather512Loop
	VZEROUPPER
	RET

// func scatterAVX512(dst *E, off *[8]int, a *E, m int)
TEXT ·scatterAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), BX
	MOVQ off+8(FP), AX
	MOVQ a+16(FP), DI
	MOVQ m+24(FP), CX
	LOADOFFS8(BX)
	SHRQ $3, CX

scatter512Loop:
	VMOVDQU64 (DI), Z0
	VMOVDQU64 64(DI), Z1
	VMOVDQU64 128(DI), Z2
	VMOVDQU64 192(DI), Z3
	VMOVDQU64 256(DI), Z4
	VMOVDQU64 320(DI), Z5
	VMOVDQU64 384(DI), Z6
	VMOVDQU64 448(DI), Z7
	TRANSPOSE512
	VMOVDQU64 Z16, (SI)
	VMOVDQU64 Z17, (DX)
	VMOVDQU64 Z18, (R8)
	VMOVDQU64 Z19, (R9)
	VMOVDQU64 Z20, (R10)
	VMOVDQU64 Z21, (R11)
	VMOVDQU64 Z22, (R12)
	VMOVDQU64 Z23, (R13)
	ADVANCE8($64)
	ADDQ      $512, DI
	DECQ      CX
	JNZ       scatter512Loop
	VZEROUPPER
	RET

// func difAVX2(a *E, m int, tw *E)
TEXT ·difAVX2(SB), NOSPLIT, $0-24
	MOVQ a+0(FP), DI
	MOVQ m+8(FP), CX
	MOVQ tw+16(FP), DX
	GL256_CONSTS(AX)
	MOVQ CX, R10
	SHLQ $6, R10
	ADDQ DI, R10
	MOVQ CX, BX
	SHRQ $1, BX
	MOVQ $8, R8

dif256Layer:
	MOVQ BX, R9
	SHLQ $6, R9
	LEAQ (R9)(R9*1), AX
	MOVQ DI, R12

dif256J0:
	ADDSUB256(0)
	ADDSUB256(32)
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dif256J0
	LEAQ 64(DI), R13
	LEAQ (DI)(R9*1), SI
	MOVQ DX, R11

dif256J:
	CMPQ         R13, SI
	JAE          dif256Next
	ADDQ         R8, R11
	VPBROADCASTQ (R11), Y2
	GL256_MUL_HI(Y2, Y3)
	MOVQ         R13, R12

dif256S:
	DIF256(0)
	DIF256(32)
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dif256S
	ADDQ $64, R13
	JMP  dif256J

dif256Next:
	SHLQ $1, R8
	SHRQ $1, BX
	JNZ  dif256Layer
	VZEROUPPER
	RET

// func ditAVX2(a *E, m int, tw *E)
TEXT ·ditAVX2(SB), NOSPLIT, $0-24
	MOVQ a+0(FP), DI
	MOVQ m+8(FP), CX
	MOVQ tw+16(FP), DX
	GL256_CONSTS(AX)
	MOVQ CX, R10
	SHLQ $6, R10
	ADDQ DI, R10
	MOVQ $1, BX
	MOVQ CX, R8
	SHLQ $2, R8

dit256Layer:
	MOVQ BX, R9
	SHLQ $6, R9
	LEAQ (R9)(R9*1), AX
	MOVQ DI, R12

dit256J0:
	ADDSUB256(0)
	ADDSUB256(32)
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dit256J0
	LEAQ 64(DI), R13
	LEAQ (DI)(R9*1), SI
	MOVQ DX, R11

dit256J:
	CMPQ         R13, SI
	JAE          dit256Next
	ADDQ         R8, R11
	VPBROADCASTQ (R11), Y2
	GL256_MUL_HI(Y2, Y3)
	MOVQ         R13, R12

dit256S:
	DIT256(0)
	DIT256(32)
	ADDQ AX, R12
	CMPQ R12, R10
	JB   dit256S
	ADDQ $64, R13
	JMP  dit256J

dit256Next:
	SHRQ $1, R8
	SHLQ $1, BX
	CMPQ BX, CX
	JB   dit256Layer
	VZEROUPPER
	RET

// func twiddleAVX2(a *E, m int, t0, step *[8]E)
//
// The two halves of a row are two independent chains of twiddles already.
TEXT ·twiddleAVX2(SB), NOSPLIT, $0-32
	MOVQ    a+0(FP), DI
	MOVQ    m+8(FP), CX
	MOVQ    t0+16(FP), SI
	MOVQ    step+24(FP), DX
	GL256_CONSTS(AX)
	VMOVDQU (SI), Y0
	VMOVDQU 32(SI), Y1
	VMOVDQU (DX), Y2
	VMOVDQU 32(DX), Y3
	GL256_MUL_HI(Y2, Y4)
	GL256_MUL_HI(Y3, Y5)

tw256Loop:
	VMOVDQU     (DI), Y6
	GL256_MUL_HI(Y0, Y7)
	GL256_MULH(Y6, Y0, Y7, Y8, Y9, Y10, Y11, Y12)
	VMOVDQU     Y8, (DI)
	GL256_MULH(Y0, Y2, Y4, Y8, Y9, Y10, Y11, Y12)
	VMOVDQU     Y8, Y0
	VMOVDQU     32(DI), Y6
	GL256_MUL_HI(Y1, Y7)
	GL256_MULH(Y6, Y1, Y7, Y8, Y9, Y10, Y11, Y12)
	VMOVDQU     Y8, 32(DI)
	GL256_MULH(Y1, Y3, Y5, Y8, Y9, Y10, Y11, Y12)
	VMOVDQU     Y8, Y1
	ADDQ        $64, DI
	DECQ        CX
	JNZ         tw256Loop
	VZEROUPPER
	RET

// func gatherAVX2(a, src *E, m int, off *[8]int)
//
// Each step moves an 8×8 tile as four 4×4 transposes: source rows 0–3 and
// 4–7 become the low and high halves of the block rows.
TEXT ·gatherAVX2(SB), NOSPLIT, $0-32
	MOVQ a+0(FP), DI
	MOVQ src+8(FP), BX
	MOVQ m+16(FP), CX
	MOVQ off+24(FP), AX
	LOADOFFS8(BX)
	SHRQ $3, CX

gather256Loop:
	VMOVDQU (SI), Y0
	VMOVDQU (DX), Y1
	VMOVDQU (R8), Y2
	VMOVDQU (R9), Y3
	TRANSPOSE256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVDQU Y4, (DI)
	VMOVDQU Y5, 64(DI)
	VMOVDQU Y6, 128(DI)
	VMOVDQU Y7, 192(DI)
	VMOVDQU (R10), Y0
	VMOVDQU (R11), Y1
	VMOVDQU (R12), Y2
	VMOVDQU (R13), Y3
	TRANSPOSE256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVDQU Y4, 32(DI)
	VMOVDQU Y5, 96(DI)
	VMOVDQU Y6, 160(DI)
	VMOVDQU Y7, 224(DI)
	VMOVDQU 32(SI), Y0
	VMOVDQU 32(DX), Y1
	VMOVDQU 32(R8), Y2
	VMOVDQU 32(R9), Y3
	TRANSPOSE256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVDQU Y4, 256(DI)
	VMOVDQU Y5, 320(DI)
	VMOVDQU Y6, 384(DI)
	VMOVDQU Y7, 448(DI)
	VMOVDQU 32(R10), Y0
	VMOVDQU 32(R11), Y1
	VMOVDQU 32(R12), Y2
	VMOVDQU 32(R13), Y3
	TRANSPOSE256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVDQU Y4, 288(DI)
	VMOVDQU Y5, 352(DI)
	VMOVDQU Y6, 416(DI)
	VMOVDQU Y7, 480(DI)
	ADVANCE8($64)
	ADDQ    $512, DI
	DECQ    CX
	JNZ     gather256Loop
	VZEROUPPER
	RET

// func scatterAVX2(dst *E, off *[8]int, a *E, m int)
TEXT ·scatterAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), BX
	MOVQ off+8(FP), AX
	MOVQ a+16(FP), DI
	MOVQ m+24(FP), CX
	LOADOFFS8(BX)
	SHRQ $3, CX

scatter256Loop:
	VMOVDQU (DI), Y0
	VMOVDQU 64(DI), Y1
	VMOVDQU 128(DI), Y2
	VMOVDQU 192(DI), Y3
	TRANSPOSE256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVDQU Y4, (SI)
	VMOVDQU Y5, (DX)
	VMOVDQU Y6, (R8)
	VMOVDQU Y7, (R9)
	VMOVDQU 32(DI), Y0
	VMOVDQU 96(DI), Y1
	VMOVDQU 160(DI), Y2
	VMOVDQU 224(DI), Y3
	TRANSPOSE256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVDQU Y4, (R10)
	VMOVDQU Y5, (R11)
	VMOVDQU Y6, (R12)
	VMOVDQU Y7, (R13)
	VMOVDQU 256(DI), Y0
	VMOVDQU 320(DI), Y1
	VMOVDQU 384(DI), Y2
	VMOVDQU 448(DI), Y3
	TRANSPOSE256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVDQU Y4, 32(SI)
	VMOVDQU Y5, 32(DX)
	VMOVDQU Y6, 32(R8)
	VMOVDQU Y7, 32(R9)
	VMOVDQU 288(DI), Y0
	VMOVDQU 352(DI), Y1
	VMOVDQU 416(DI), Y2
	VMOVDQU 480(DI), Y3
	TRANSPOSE256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVDQU Y4, 32(R10)
	VMOVDQU Y5, 32(R11)
	VMOVDQU Y6, 32(R12)
	VMOVDQU Y7, 32(R13)
	ADVANCE8($64)
	ADDQ    $512, DI
	DECQ    CX
	JNZ     scatter256Loop
	VZEROUPPER
	RET
