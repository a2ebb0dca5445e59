//go:build !purego

#include "textflag.h"
#include "gl64_amd64.h"
#include "loop_amd64.h"
#include "ext_amd64.h"

// A product by a constant s = s0 + s1·u keeps the interleaved layout: with
// x = (x0, x1) in a lane pair and x' = (x1, x0) its swap (VPSHUFD $0x4E),
// s·x = x·(s0, s0) + x'·(7·s1, s1) lane by lane. Z16 holds s0 in every lane,
// Z18 holds 7·s1 in the even lanes and s1 in the odd ones, Z17 and Z19 their
// high halves. LOOP512 walks words (AX), two per element.

// res = s · a, with res in DI and a in SI.
#define SCALARMULK512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(SI)(AX*8), r0                  \
	VPSHUFD   $0x4E, r0, r1                      \
	GL512_MULH(r0, Z16, Z17, r2, r3, r4, r5, r6) \
	GL512_MULH(r1, Z18, Z19, r7, r3, r4, r5, r6) \
	GL512_ADD(r2, r7, r2, r3)                    \
	VMOVDQU64 r2, off(DI)(AX*8)

// lo += s · (hi − lo), with lo in DI and hi in SI.
#define BINDK512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(DI)(AX*8), r0                  \
	VMOVDQU64 off(SI)(AX*8), r1                  \
	GL512_SUB(r1, r0, r1)                        \
	VPSHUFD   $0x4E, r1, r2                      \
	GL512_MULH(r1, Z16, Z17, r3, r4, r5, r6, r7) \
	GL512_MULH(r2, Z18, Z19, r1, r4, r5, r6, r7) \
	GL512_ADD(r0, r3, r0, r4)                    \
	GL512_ADD(r0, r1, r0, r4)                    \
	VMOVDQU64 r0, off(DI)(AX*8)

// Loads the constant s = (s0, s1, 7·s1) from the arguments at s+16(FP) into
// Z16..Z19 as described above; CX and K1 scratch.
#define SCALAR512 \
	MOVQ         s0+16(FP), CX \
	VPBROADCASTQ CX, Z16       \
	MOVQ         s1x7+32(FP), CX \
	VPBROADCASTQ CX, Z18       \
	MOVQ         $0xAA, CX     \
	KMOVW        CX, K1        \
	MOVQ         s1+24(FP), CX \
	VPBROADCASTQ CX, K1, Z18   \
	GL512_MUL_HI(Z16, Z17)     \
	GL512_MUL_HI(Z18, Z19)

// SCALAR512 for the AVX2 kernels, into Y8..Y11 (Y12 scratch).
#define SCALAR256 \
	MOVQ         s0+16(FP), CX   \
	VMOVQ        CX, X8          \
	VPBROADCASTQ X8, Y8          \
	MOVQ         s1x7+32(FP), CX \
	VMOVQ        CX, X10         \
	VPBROADCASTQ X10, Y10        \
	MOVQ         s1+24(FP), CX   \
	VMOVQ        CX, X12         \
	VPBROADCASTQ X12, Y12        \
	VPBLENDD     $0xCC, Y12, Y10, Y10 \
	GL256_MUL_HI(Y8, Y9)         \
	GL256_MUL_HI(Y10, Y11)

// func scalarMulExtAVX512(res, a *K, s0, s1, s1x7 uint64, n int)
TEXT ·scalarMulExtAVX512(SB), NOSPLIT, $0-48
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ n+40(FP), BX
	SHLQ $1, BX
	GL512_CONSTS(AX)
	SCALAR512
	LOOP512(SCALARMULK512)
	VZEROUPPER
	RET

// func bindExtAVX512(lo, hi *K, s0, s1, s1x7 uint64, n int)
TEXT ·bindExtAVX512(SB), NOSPLIT, $0-48
	MOVQ lo+0(FP), DI
	MOVQ hi+8(FP), SI
	MOVQ n+40(FP), BX
	SHLQ $1, BX
	GL512_CONSTS(AX)
	SCALAR512
	LOOP512(BINDK512)
	VZEROUPPER
	RET

// The full products take blocks of 8 elements (128 bytes), AX their byte
// offset and BX the end.

// func mulExtAVX512(res, a, b *K, n int)
TEXT ·mulExtAVX512(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	SHLQ $4, BX
	GL512_CONSTS(AX)
	XORQ AX, AX

loop:
	LOADK512(0, SI, AX, Z0, Z1, Z2, Z3)
	LOADK512(0, DX, AX, Z2, Z3, Z4, Z5)
	KMUL512(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11)
	STOREK512(Z4, Z5, 0, DI, AX, Z6, Z7)
	ADDQ $128, AX
	CMPQ AX, BX
	JLT  loop
	VZEROUPPER
	RET

// func innerExtAVX512(acc *[3][8]uint64, a, b *K, n int)
//
// acc receives the lane sums of the three Karatsuba terms; the caller
// combines them, so the loop has no ·7 and no subtraction.
TEXT ·innerExtAVX512(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	SHLQ $4, BX
	GL512_CONSTS(AX)
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	VPXORQ Z22, Z22, Z22
	XORQ   AX, AX

loop:
	LOADK512(0, SI, AX, Z0, Z1, Z2, Z3)
	LOADK512(0, DX, AX, Z2, Z3, Z4, Z5)
	KTERMS512(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11)
	GL512_ADD(Z20, Z4, Z20, Z8)
	GL512_ADD(Z21, Z5, Z21, Z8)
	GL512_ADD(Z22, Z6, Z22, Z8)
	ADDQ $128, AX
	CMPQ AX, BX
	JLT  loop
	VMOVDQU64 Z20, (DI)
	VMOVDQU64 Z21, 64(DI)
	VMOVDQU64 Z22, 128(DI)
	VZEROUPPER
	RET

// func productEvalsAVX512(acc *[MaxEvals][3][8]uint64, vd *[maxFactors][4][8]uint64, tables *[2 * maxFactors]*K, m, evals, n int)
//
// For each block of 8 indices it splits every factor j into its value at 0
// (lo_j) and its slope (hi_j − lo_j), kept in vd[j] as A0s, A1s, slope A0s,
// slope A1s; then for t = 0..evals−1 it multiplies the m values, adds the
// Karatsuba terms of the last product to acc[t], and steps every value by its
// slope. tables holds lo_0..lo_{m−1} followed at index maxFactors by
// hi_0..hi_{m−1}; m ≥ 2, evals ≥ 1.
//
// Registers: AX block offset, BX end, CX factor counter, DX t, DI acc[t],
// R8 vd, R9 tables, R10 m, R11 evals, R12 vd[j], R13 and SI table pointers.
TEXT ·productEvalsAVX512(SB), NOSPLIT, $0-48
	MOVQ vd+8(FP), R8
	MOVQ tables+16(FP), R9
	MOVQ m+24(FP), R10
	MOVQ evals+32(FP), R11
	MOVQ n+40(FP), BX
	SHLQ $4, BX
	GL512_CONSTS(AX)
	XORQ AX, AX

block:
	XORQ CX, CX
	MOVQ R8, R12

split:
	MOVQ (R9)(CX*8), R13
	MOVQ 64(R9)(CX*8), SI
	LOADK512(0, R13, AX, Z0, Z1, Z4, Z5)
	LOADK512(0, SI, AX, Z2, Z3, Z4, Z5)
	GL512_SUB(Z2, Z0, Z2)
	GL512_SUB(Z3, Z1, Z3)
	VMOVDQU64 Z0, (R12)
	VMOVDQU64 Z1, 64(R12)
	VMOVDQU64 Z2, 128(R12)
	VMOVDQU64 Z3, 192(R12)
	ADDQ $256, R12
	INCQ CX
	CMPQ CX, R10
	JLT  split

	MOVQ acc+0(FP), DI
	XORQ DX, DX

eval:
	VMOVDQU64 (R8), Z0
	VMOVDQU64 64(R8), Z1
	MOVQ      R8, R12
	MOVQ      R10, CX
	SUBQ      $2, CX
	JZ        last

inner:
	ADDQ      $256, R12
	VMOVDQU64 (R12), Z2
	VMOVDQU64 64(R12), Z3
	KMUL512(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11)
	VMOVDQA64 Z4, Z0
	VMOVDQA64 Z5, Z1
	DECQ      CX
	JNZ       inner

last:
	VMOVDQU64 256(R12), Z2
	VMOVDQU64 320(R12), Z3
	KTERMS512(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11)
	VMOVDQU64 (DI), Z12
	VMOVDQU64 64(DI), Z13
	VMOVDQU64 128(DI), Z14
	GL512_ADD(Z12, Z4, Z12, Z8)
	GL512_ADD(Z13, Z5, Z13, Z8)
	GL512_ADD(Z14, Z6, Z14, Z8)
	VMOVDQU64 Z12, (DI)
	VMOVDQU64 Z13, 64(DI)
	VMOVDQU64 Z14, 128(DI)
	ADDQ      $192, DI
	INCQ      DX
	CMPQ      DX, R11
	JGE       next

	MOVQ R8, R12
	MOVQ R10, CX

step:
	VMOVDQU64 (R12), Z0
	VMOVDQU64 64(R12), Z1
	VMOVDQU64 128(R12), Z2
	VMOVDQU64 192(R12), Z3
	GL512_ADD(Z0, Z2, Z0, Z4)
	GL512_ADD(Z1, Z3, Z1, Z4)
	VMOVDQU64 Z0, (R12)
	VMOVDQU64 Z1, 64(R12)
	ADDQ      $256, R12
	DECQ      CX
	JNZ       step
	JMP       eval

next:
	ADDQ $128, AX
	CMPQ AX, BX
	JLT  block
	VZEROUPPER
	RET

// The AVX2 scalar kernels keep s0 in Y8, (7·s1, s1) in Y10 and their high
// halves in Y9 and Y11, and take one vector (2 elements) per step.

// res = s · a, with res in DI and a in SI.
#define SCALARMULK256() \
	VMOVDQU (SI)(AX*8), Y0                     \
	VPSHUFD $0x4E, Y0, Y1                      \
	GL256_MULH(Y0, Y8, Y9, Y2, Y3, Y4, Y5, Y6)   \
	GL256_MULH(Y1, Y10, Y11, Y0, Y3, Y4, Y5, Y6) \
	GL256_ADD(Y2, Y0, Y7, Y3, Y4)              \
	VMOVDQU Y7, (DI)(AX*8)

// lo += s · (hi − lo), with lo in DI and hi in SI.
#define BINDK256() \
	VMOVDQU (DI)(AX*8), Y0                     \
	VMOVDQU (SI)(AX*8), Y1                     \
	GL256_SUB(Y1, Y0, Y2, Y3)                  \
	VPSHUFD $0x4E, Y2, Y1                      \
	GL256_MULH(Y2, Y8, Y9, Y3, Y4, Y5, Y6, Y7)   \
	GL256_MULH(Y1, Y10, Y11, Y2, Y4, Y5, Y6, Y7) \
	GL256_ADD_ACC(Y0, Y3, Y4, Y5, Y6)          \
	GL256_ADD_ACC(Y0, Y2, Y4, Y5, Y6)          \
	VMOVDQU Y0, (DI)(AX*8)

// func scalarMulExtAVX2(res, a *K, s0, s1, s1x7 uint64, n int)
TEXT ·scalarMulExtAVX2(SB), NOSPLIT, $0-48
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ n+40(FP), BX
	SHLQ $1, BX
	GL256_CONSTS(AX)
	SCALAR256
	LOOP256(SCALARMULK256)
	VZEROUPPER
	RET

// func bindExtAVX2(lo, hi *K, s0, s1, s1x7 uint64, n int)
TEXT ·bindExtAVX2(SB), NOSPLIT, $0-48
	MOVQ lo+0(FP), DI
	MOVQ hi+8(FP), SI
	MOVQ n+40(FP), BX
	SHLQ $1, BX
	GL256_CONSTS(AX)
	SCALAR256
	LOOP256(BINDK256)
	VZEROUPPER
	RET

// The AVX2 full products take blocks of 4 elements (64 bytes). With 13 free
// registers and a product needing 12, accumulators live in memory.

// func mulExtAVX2(res, a, b *K, n int)
TEXT ·mulExtAVX2(SB), NOSPLIT, $0-32
	MOVQ res+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	SHLQ $4, BX
	GL256_CONSTS(AX)
	XORQ AX, AX

loop:
	LOADK256(0, SI, AX, Y0, Y1, Y2, Y3)
	LOADK256(0, DX, AX, Y2, Y3, Y4, Y5)
	KMUL256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	STOREK256(Y4, Y5, 0, DI, AX, Y6, Y7)
	ADDQ $64, AX
	CMPQ AX, BX
	JLT  loop
	VZEROUPPER
	RET

// Adds the Karatsuba terms in Y4, Y5, Y6 to the three vectors at (p).
#define ACCK256(p) \
	VMOVDQU (p), Y0                   \
	VMOVDQU 32(p), Y1                 \
	VMOVDQU 64(p), Y2                 \
	GL256_ADD_ACC(Y0, Y4, Y8, Y9, Y10) \
	GL256_ADD_ACC(Y1, Y5, Y8, Y9, Y10) \
	GL256_ADD_ACC(Y2, Y6, Y8, Y9, Y10) \
	VMOVDQU Y0, (p)                   \
	VMOVDQU Y1, 32(p)                 \
	VMOVDQU Y2, 64(p)

// func innerExtAVX2(acc *[3][4]uint64, a, b *K, n int)
//
// acc starts zeroed (the caller's) and receives the lane sums of the three
// Karatsuba terms, as innerExtAVX512.
TEXT ·innerExtAVX2(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	SHLQ $4, BX
	GL256_CONSTS(AX)
	XORQ AX, AX

loop:
	LOADK256(0, SI, AX, Y0, Y1, Y2, Y3)
	LOADK256(0, DX, AX, Y2, Y3, Y4, Y5)
	KTERMS256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	ACCK256(DI)
	ADDQ $64, AX
	CMPQ AX, BX
	JLT  loop
	VZEROUPPER
	RET

// func productEvalsAVX2(acc *[MaxEvals][3][4]uint64, vd *[maxFactors][4][4]uint64, tables *[2 * maxFactors]*K, m, evals, n int)
//
// productEvalsAVX512 on blocks of 4 indices; vd[j] is 128 bytes, acc[t] 96.
TEXT ·productEvalsAVX2(SB), NOSPLIT, $0-48
	MOVQ vd+8(FP), R8
	MOVQ tables+16(FP), R9
	MOVQ m+24(FP), R10
	MOVQ evals+32(FP), R11
	MOVQ n+40(FP), BX
	SHLQ $4, BX
	GL256_CONSTS(AX)
	XORQ AX, AX

block:
	XORQ CX, CX
	MOVQ R8, R12

split:
	MOVQ (R9)(CX*8), R13
	MOVQ 64(R9)(CX*8), SI
	LOADK256(0, R13, AX, Y0, Y1, Y4, Y5)
	LOADK256(0, SI, AX, Y2, Y3, Y4, Y5)
	GL256_SUB(Y2, Y0, Y4, Y6)
	GL256_SUB(Y3, Y1, Y5, Y6)
	VMOVDQU Y0, (R12)
	VMOVDQU Y1, 32(R12)
	VMOVDQU Y4, 64(R12)
	VMOVDQU Y5, 96(R12)
	ADDQ $128, R12
	INCQ CX
	CMPQ CX, R10
	JLT  split

	MOVQ acc+0(FP), DI
	XORQ DX, DX

eval:
	VMOVDQU (R8), Y0
	VMOVDQU 32(R8), Y1
	MOVQ    R8, R12
	MOVQ    R10, CX
	SUBQ    $2, CX
	JZ      last

inner:
	ADDQ    $128, R12
	VMOVDQU (R12), Y2
	VMOVDQU 32(R12), Y3
	KMUL256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVDQA Y4, Y0
	VMOVDQA Y5, Y1
	DECQ    CX
	JNZ     inner

last:
	VMOVDQU 128(R12), Y2
	VMOVDQU 160(R12), Y3
	KTERMS256(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	ACCK256(DI)
	ADDQ    $96, DI
	INCQ    DX
	CMPQ    DX, R11
	JGE     next

	MOVQ R8, R12
	MOVQ R10, CX

step:
	VMOVDQU (R12), Y0
	VMOVDQU 32(R12), Y1
	VMOVDQU 64(R12), Y2
	VMOVDQU 96(R12), Y3
	GL256_ADD_ACC(Y0, Y2, Y4, Y5, Y6)
	GL256_ADD_ACC(Y1, Y3, Y4, Y5, Y6)
	VMOVDQU Y0, (R12)
	VMOVDQU Y1, 32(R12)
	ADDQ    $128, R12
	DECQ    CX
	JNZ     step
	JMP     eval

next:
	ADDQ $64, AX
	CMPQ AX, BX
	JLT  block
	VZEROUPPER
	RET

// The mixed kernels take x over F, one word per element, against a vector of
// K in the interleaved layout. Duplicating each word of x into both words of
// its element lets one Montgomery product per vector of K give s0·x and s1·x
// (or a0·b and a1·b) side by side, already interleaved: a block of 8 elements
// (4 in AVX2) is one vector of x permuted into two vectors, and nothing needs
// to be split or merged. The permutes read x straight from memory. AX is the
// byte offset in x, so AX*2 is the one in the vector of K, and BX is the end.

// Loads the permutations of DUPK512: Z18 = 0 0 1 1 2 2 3 3 and Z19 = 4 4 5 5
// 6 6 7 7, zero-extended from the bytes of an immediate; CX scratch.
#define DUPIDX512 \
	MOVQ      $0x0303020201010000, CX \
	VMOVQ     CX, X18                 \
	VPMOVZXBQ X18, Z18                \
	MOVQ      $0x0707060605050404, CX \
	VMOVQ     CX, X19                 \
	VPMOVZXBQ X19, Z19

// func mulAddBaseAVX512(y *K, x *E, s0, s1 uint64, n int)
//
// Z16 holds s0 in the even lanes and s1 in the odd ones, Z17 its high halves.
TEXT ·mulAddBaseAVX512(SB), NOSPLIT, $0-40
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+32(FP), BX
	SHLQ $3, BX
	GL512_CONSTS(AX)
	DUPIDX512
	MOVQ         s0+16(FP), CX
	VPBROADCASTQ CX, Z16
	MOVQ         $0xAA, CX
	KMOVW        CX, K1
	MOVQ         s1+24(FP), CX
	VPBROADCASTQ CX, K1, Z16
	GL512_MUL_HI(Z16, Z17)
	XORQ         AX, AX

loop:
	VPERMQ    (SI)(AX*1), Z18, Z0
	VPERMQ    (SI)(AX*1), Z19, Z1
	GL512_MULH(Z0, Z16, Z17, Z2, Z4, Z5, Z6, Z7)
	GL512_MULH(Z1, Z16, Z17, Z3, Z8, Z9, Z10, Z11)
	VMOVDQU64 (DI)(AX*2), Z12
	VMOVDQU64 64(DI)(AX*2), Z13
	GL512_ADD(Z12, Z2, Z12, Z4)
	GL512_ADD(Z13, Z3, Z13, Z8)
	VMOVDQU64 Z12, (DI)(AX*2)
	VMOVDQU64 Z13, 64(DI)(AX*2)
	ADDQ      $64, AX
	CMPQ      AX, BX
	JLT       loop
	VZEROUPPER
	RET

// func innerBaseAVX512(acc *[8]uint64, a *K, b *E, n int)
//
// acc receives lane sums: Σ a0·b in the even lanes, Σ a1·b in the odd ones.
// The two vectors of a block add into separate accumulators, folded at the end.
TEXT ·innerBaseAVX512(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), DX
	MOVQ b+16(FP), SI
	MOVQ n+24(FP), BX
	SHLQ $3, BX
	GL512_CONSTS(AX)
	DUPIDX512
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	XORQ   AX, AX

loop:
	VPERMQ    (SI)(AX*1), Z18, Z0
	VPERMQ    (SI)(AX*1), Z19, Z1
	GL512_MUL_HI(Z0, Z2)
	GL512_MUL_HI(Z1, Z3)
	VMOVDQU64 (DX)(AX*2), Z12
	VMOVDQU64 64(DX)(AX*2), Z13
	GL512_MULH(Z12, Z0, Z2, Z4, Z6, Z7, Z8, Z9)
	GL512_MULH(Z13, Z1, Z3, Z5, Z10, Z11, Z14, Z15)
	GL512_ADD(Z20, Z4, Z20, Z6)
	GL512_ADD(Z21, Z5, Z21, Z10)
	ADDQ      $64, AX
	CMPQ      AX, BX
	JLT       loop
	GL512_ADD(Z20, Z21, Z20, Z4)
	VMOVDQU64 Z20, (DI)
	VZEROUPPER
	RET

// The AVX2 forms permute with an immediate: $0x50 picks words 0 0 1 1 and
// $0xFA words 2 2 3 3 of the 4 at (SI)(AX*1).

// func mulAddBaseAVX2(y *K, x *E, s0, s1 uint64, n int)
//
// Y8 holds (s0, s1, s0, s1), Y9 its high halves.
TEXT ·mulAddBaseAVX2(SB), NOSPLIT, $0-40
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+32(FP), BX
	SHLQ $3, BX
	GL256_CONSTS(AX)
	MOVQ         s0+16(FP), CX
	VMOVQ        CX, X8
	VPBROADCASTQ X8, Y8
	MOVQ         s1+24(FP), CX
	VMOVQ        CX, X10
	VPBROADCASTQ X10, Y10
	VPBLENDD     $0xCC, Y10, Y8, Y8
	GL256_MUL_HI(Y8, Y9)
	XORQ         AX, AX

loop:
	VPERMQ  $0x50, (SI)(AX*1), Y0
	VPERMQ  $0xFA, (SI)(AX*1), Y1
	GL256_MULH(Y0, Y8, Y9, Y2, Y3, Y4, Y5, Y6)
	VMOVDQU (DI)(AX*2), Y7
	GL256_ADD_ACC(Y7, Y2, Y3, Y4, Y5)
	VMOVDQU Y7, (DI)(AX*2)
	GL256_MULH(Y1, Y8, Y9, Y2, Y3, Y4, Y5, Y6)
	VMOVDQU 32(DI)(AX*2), Y7
	GL256_ADD_ACC(Y7, Y2, Y3, Y4, Y5)
	VMOVDQU Y7, 32(DI)(AX*2)
	ADDQ    $32, AX
	CMPQ    AX, BX
	JLT     loop
	VZEROUPPER
	RET

// func innerBaseAVX2(acc *[4]uint64, a *K, b *E, n int)
//
// innerBaseAVX512 with 4 lanes: accumulators Y10 and Y11.
TEXT ·innerBaseAVX2(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), DX
	MOVQ b+16(FP), SI
	MOVQ n+24(FP), BX
	SHLQ $3, BX
	GL256_CONSTS(AX)
	VPXOR Y10, Y10, Y10
	VPXOR Y11, Y11, Y11
	XORQ  AX, AX

loop:
	VPERMQ  $0x50, (SI)(AX*1), Y0
	VPERMQ  $0xFA, (SI)(AX*1), Y8
	GL256_MUL_HI(Y0, Y1)
	VMOVDQU (DX)(AX*2), Y2
	GL256_MULH(Y2, Y0, Y1, Y3, Y4, Y5, Y6, Y7)
	GL256_ADD_ACC(Y10, Y3, Y4, Y5, Y6)
	GL256_MUL_HI(Y8, Y1)
	VMOVDQU 32(DX)(AX*2), Y2
	GL256_MULH(Y2, Y8, Y1, Y3, Y4, Y5, Y6, Y7)
	GL256_ADD_ACC(Y11, Y3, Y4, Y5, Y6)
	ADDQ    $32, AX
	CMPQ    AX, BX
	JLT     loop
	GL256_ADD_ACC(Y10, Y11, Y4, Y5, Y6)
	VMOVDQU Y10, (DI)
	VZEROUPPER
	RET
