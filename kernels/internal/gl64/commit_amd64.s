//go:build !purego

#include "textflag.h"
#include "gl64_amd64.h"
#include "loop_amd64.h"

// Each function runs its loop once per row: DI walks acc, SI walks a or x, and
// DX (MulAcc) stays on the shared vector b. R8 counts rows down.

// acc += a · b. The rows of a stream from memory once per call (the
// pre-transformed commitment matrix, far larger than any cache), and the
// hardware prefetcher stops at each 4 KiB page; prefetching 4 KiB ahead keeps
// the loads fed and measured 2.8× faster on 2^20 entries (kernels/ajtai
// BenchmarkCommit), where 1, 2 and 8 KiB did worse.
#define MULACC512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	PREFETCHT0 (off+4096)(SI)(AX*8)            \
	VMOVDQU64 off(SI)(AX*8), r0                \
	VMOVDQU64 off(DX)(AX*8), r1                \
	GL512_MUL_HI(r1, r2)                       \
	GL512_MULH(r0, r1, r2, r3, r4, r5, r6, r7) \
	VMOVDQU64 off(DI)(AX*8), r0                \
	GL512_ADD(r0, r3, r0, r4)                  \
	VMOVDQU64 r0, off(DI)(AX*8)

// acc += x, prefetching x as MULACC512 does.
#define ADDROW512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	PREFETCHT0 (off+4096)(SI)(AX*8) \
	VMOVDQU64 off(DI)(AX*8), r0 \
	VMOVDQU64 off(SI)(AX*8), r1 \
	GL512_ADD(r0, r1, r0, r2)   \
	VMOVDQU64 r0, off(DI)(AX*8)

// acc −= x.
#define SUBROW512(off, acc, r0, r1, r2, r3, r4, r5, r6, r7) \
	PREFETCHT0 (off+4096)(SI)(AX*8) \
	VMOVDQU64 off(DI)(AX*8), r0 \
	VMOVDQU64 off(SI)(AX*8), r1 \
	GL512_SUB(r0, r1, r0)       \
	VMOVDQU64 r0, off(DI)(AX*8)

// func mulAccAVX512(acc, a, b *E, n, rows int)
TEXT ·mulAccAVX512(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	MOVQ rows+32(FP), R8
	MOVQ BX, R9
	SHLQ $3, R9
	GL512_CONSTS(AX)

row:
	LOOP512(MULACC512)
	ADDQ R9, DI
	ADDQ R9, SI
	DECQ R8
	JNZ  row
	VZEROUPPER
	RET

// func addRowsAVX512(acc, x *E, stride, width, rows int)
TEXT ·addRowsAVX512(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ stride+16(FP), R9
	SHLQ $3, R9
	MOVQ width+24(FP), BX
	MOVQ BX, R10
	SHLQ $3, R10
	MOVQ rows+32(FP), R8
	GL512_CONSTS(AX)

row:
	LOOP512(ADDROW512)
	ADDQ R9, DI
	ADDQ R10, SI
	DECQ R8
	JNZ  row
	VZEROUPPER
	RET

// func subRowsAVX512(acc, x *E, stride, width, rows int)
TEXT ·subRowsAVX512(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ stride+16(FP), R9
	SHLQ $3, R9
	MOVQ width+24(FP), BX
	MOVQ BX, R10
	SHLQ $3, R10
	MOVQ rows+32(FP), R8
	GL512_CONSTS(AX)

row:
	LOOP512(SUBROW512)
	ADDQ R9, DI
	ADDQ R10, SI
	DECQ R8
	JNZ  row
	VZEROUPPER
	RET

// acc += a · b, prefetching as MULACC512 does.
#define MULACC256() \
	PREFETCHT0 4096(SI)(AX*8)                  \
	VMOVDQU (SI)(AX*8), Y0                     \
	VMOVDQU (DX)(AX*8), Y1                     \
	GL256_MUL_HI(Y1, Y2)                       \
	GL256_MULH(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7) \
	VMOVDQU (DI)(AX*8), Y0                     \
	GL256_ADD(Y0, Y3, Y8, Y4, Y5)              \
	VMOVDQU Y8, (DI)(AX*8)

// acc += x.
#define ADDROW256() \
	VMOVDQU (DI)(AX*8), Y0        \
	VMOVDQU (SI)(AX*8), Y1        \
	GL256_ADD(Y0, Y1, Y2, Y3, Y4) \
	VMOVDQU Y2, (DI)(AX*8)

// acc −= x.
#define SUBROW256() \
	VMOVDQU (DI)(AX*8), Y0    \
	VMOVDQU (SI)(AX*8), Y1    \
	GL256_SUB(Y0, Y1, Y2, Y3) \
	VMOVDQU Y2, (DI)(AX*8)

// func mulAccAVX2(acc, a, b *E, n, rows int)
TEXT ·mulAccAVX2(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), BX
	MOVQ rows+32(FP), R8
	MOVQ BX, R9
	SHLQ $3, R9
	GL256_CONSTS(AX)

row:
	LOOP256(MULACC256)
	ADDQ R9, DI
	ADDQ R9, SI
	DECQ R8
	JNZ  row
	VZEROUPPER
	RET

// func addRowsAVX2(acc, x *E, stride, width, rows int)
TEXT ·addRowsAVX2(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ stride+16(FP), R9
	SHLQ $3, R9
	MOVQ width+24(FP), BX
	MOVQ BX, R10
	SHLQ $3, R10
	MOVQ rows+32(FP), R8
	GL256_CONSTS(AX)

row:
	LOOP256(ADDROW256)
	ADDQ R9, DI
	ADDQ R10, SI
	DECQ R8
	JNZ  row
	VZEROUPPER
	RET

// func subRowsAVX2(acc, x *E, stride, width, rows int)
TEXT ·subRowsAVX2(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ stride+16(FP), R9
	SHLQ $3, R9
	MOVQ width+24(FP), BX
	MOVQ BX, R10
	SHLQ $3, R10
	MOVQ rows+32(FP), R8
	GL256_CONSTS(AX)

row:
	LOOP256(SUBROW256)
	ADDQ R9, DI
	ADDQ R10, SI
	DECQ R8
	JNZ  row
	VZEROUPPER
	RET
