//go:build !purego

package gl64

import "github.com/ssprove/ssprove/accel"

// The assembly takes n (MulAcc) or width (AddRows, SubRows) a positive
// multiple of its lane count and rows > 0; the adapters below hand any other
// shape to the portable loops.

//go:noescape
func mulAccAVX512(acc, a, b *E, n, rows int)

//go:noescape
func addRowsAVX512(acc, x *E, stride, width, rows int)

//go:noescape
func subRowsAVX512(acc, x *E, stride, width, rows int)

//go:noescape
func mulAccAVX2(acc, a, b *E, n, rows int)

//go:noescape
func addRowsAVX2(acc, x *E, stride, width, rows int)

//go:noescape
func subRowsAVX2(acc, x *E, stride, width, rows int)

func archCommit(b accel.Backend) *Commit {
	switch b {
	case accel.AVX512:
		return &commitAVX512
	case accel.AVX2:
		return &commitAVX2
	}
	return nil
}

var commitAVX512 = Commit{
	MulAcc:  mulAccRows(lanes512, mulAccAVX512),
	AddRows: rowwise(lanes512, addRowsAVX512, addRowsGeneric),
	SubRows: rowwise(lanes512, subRowsAVX512, subRowsGeneric),
}

var commitAVX2 = Commit{
	MulAcc:  mulAccRows(lanes256, mulAccAVX2),
	AddRows: rowwise(lanes256, addRowsAVX2, addRowsGeneric),
	SubRows: rowwise(lanes256, subRowsAVX2, subRowsGeneric),
}

func mulAccRows(lanes int, vec func(acc, a, b *E, n, rows int)) func(acc, a, b []E) {
	return func(acc, a, b []E) {
		n := len(b)
		if n == 0 || n%lanes != 0 {
			mulAccGeneric(acc, a, b)
			return
		}
		if rows := len(a) / n; rows > 0 {
			vec(&acc[0], &a[0], &b[0], n, rows)
		}
	}
}

func rowwise(lanes int, vec func(acc, x *E, stride, width, rows int), generic func(acc, x []E, stride, width int)) func(acc, x []E, stride, width int) {
	return func(acc, x []E, stride, width int) {
		if width == 0 || width%lanes != 0 {
			generic(acc, x, stride, width)
			return
		}
		if rows := len(x) / width; rows > 0 {
			vec(&acc[0], &x[0], stride, width, rows)
		}
	}
}
