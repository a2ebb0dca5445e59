//go:build !purego

package gl64

import "github.com/ssprove/ssprove/accel"

// The assembly loops take n > 0, a multiple of their lane count (8 for AVX-512,
// 4 for AVX2); the Go wrappers below finish the tail with the portable code.
// Inner and Sum leave one partial sum per lane in acc, folded here.

//go:noescape
func addVecAVX512(res, a, b *E, n int)

//go:noescape
func subVecAVX512(res, a, b *E, n int)

//go:noescape
func mulVecAVX512(res, a, b *E, n int)

//go:noescape
func scalarMulVecAVX512(res, a *E, s uint64, n int)

//go:noescape
func mulAddVecAVX512(y, x *E, s uint64, n int)

//go:noescape
func innerVecAVX512(acc *[8]uint64, a, b *E, n int)

//go:noescape
func sumVecAVX512(acc *[8]uint64, a *E, n int)

//go:noescape
func addVecAVX2(res, a, b *E, n int)

//go:noescape
func subVecAVX2(res, a, b *E, n int)

//go:noescape
func mulVecAVX2(res, a, b *E, n int)

//go:noescape
func scalarMulVecAVX2(res, a *E, s uint64, n int)

//go:noescape
func mulAddVecAVX2(y, x *E, s uint64, n int)

//go:noescape
func innerVecAVX2(acc *[4]uint64, a, b *E, n int)

//go:noescape
func sumVecAVX2(acc *[4]uint64, a *E, n int)

func archVectors(b accel.Backend) *Vector {
	switch b {
	case accel.AVX512:
		return &avx512
	case accel.AVX2:
		return &avx2
	}
	return nil
}

var avx512 = Vector{
	Add:       addAVX512,
	Sub:       subAVX512,
	Mul:       mulAVX512,
	ScalarMul: scalarMulAVX512,
	MulAdd:    mulAddAVX512,
	Inner:     innerAVX512,
	Sum:       sumAVX512,
}

var avx2 = Vector{
	Add:       addAVX2,
	Sub:       subAVX2,
	Mul:       mulAVX2,
	ScalarMul: scalarMulAVX2,
	MulAdd:    mulAddAVX2,
	Inner:     innerAVX2,
	Sum:       sumAVX2,
}

const (
	lanes512 = 8
	lanes256 = 4
)

func addAVX512(res, a, b []E) {
	n := len(res) &^ (lanes512 - 1)
	if n > 0 {
		addVecAVX512(&res[0], &a[0], &b[0], n)
	}
	addGeneric(res[n:], a[n:], b[n:])
}

func subAVX512(res, a, b []E) {
	n := len(res) &^ (lanes512 - 1)
	if n > 0 {
		subVecAVX512(&res[0], &a[0], &b[0], n)
	}
	subGeneric(res[n:], a[n:], b[n:])
}

func mulAVX512(res, a, b []E) {
	n := len(res) &^ (lanes512 - 1)
	if n > 0 {
		mulVecAVX512(&res[0], &a[0], &b[0], n)
	}
	mulGeneric(res[n:], a[n:], b[n:])
}

func scalarMulAVX512(res, a []E, s E) {
	n := len(res) &^ (lanes512 - 1)
	if n > 0 {
		scalarMulVecAVX512(&res[0], &a[0], s[0], n)
	}
	scalarMulGeneric(res[n:], a[n:], s)
}

func mulAddAVX512(y []E, s E, x []E) {
	n := len(y) &^ (lanes512 - 1)
	if n > 0 {
		mulAddVecAVX512(&y[0], &x[0], s[0], n)
	}
	mulAddGeneric(y[n:], s, x[n:])
}

func innerAVX512(a, b []E) E {
	n := len(a) &^ (lanes512 - 1)
	acc := innerGeneric(a[n:], b[n:])
	if n > 0 {
		var l [lanes512]uint64
		innerVecAVX512(&l, &a[0], &b[0], n)
		acc[0] = foldLanes(acc[0], l[:])
	}
	return acc
}

func sumAVX512(a []E) E {
	n := len(a) &^ (lanes512 - 1)
	acc := sumGeneric(a[n:])
	if n > 0 {
		var l [lanes512]uint64
		sumVecAVX512(&l, &a[0], n)
		acc[0] = foldLanes(acc[0], l[:])
	}
	return acc
}

func addAVX2(res, a, b []E) {
	n := len(res) &^ (lanes256 - 1)
	if n > 0 {
		addVecAVX2(&res[0], &a[0], &b[0], n)
	}
	addGeneric(res[n:], a[n:], b[n:])
}

func subAVX2(res, a, b []E) {
	n := len(res) &^ (lanes256 - 1)
	if n > 0 {
		subVecAVX2(&res[0], &a[0], &b[0], n)
	}
	subGeneric(res[n:], a[n:], b[n:])
}

func mulAVX2(res, a, b []E) {
	n := len(res) &^ (lanes256 - 1)
	if n > 0 {
		mulVecAVX2(&res[0], &a[0], &b[0], n)
	}
	mulGeneric(res[n:], a[n:], b[n:])
}

func scalarMulAVX2(res, a []E, s E) {
	n := len(res) &^ (lanes256 - 1)
	if n > 0 {
		scalarMulVecAVX2(&res[0], &a[0], s[0], n)
	}
	scalarMulGeneric(res[n:], a[n:], s)
}

func mulAddAVX2(y []E, s E, x []E) {
	n := len(y) &^ (lanes256 - 1)
	if n > 0 {
		mulAddVecAVX2(&y[0], &x[0], s[0], n)
	}
	mulAddGeneric(y[n:], s, x[n:])
}

func innerAVX2(a, b []E) E {
	n := len(a) &^ (lanes256 - 1)
	acc := innerGeneric(a[n:], b[n:])
	if n > 0 {
		var l [lanes256]uint64
		innerVecAVX2(&l, &a[0], &b[0], n)
		acc[0] = foldLanes(acc[0], l[:])
	}
	return acc
}

func sumAVX2(a []E) E {
	n := len(a) &^ (lanes256 - 1)
	acc := sumGeneric(a[n:])
	if n > 0 {
		var l [lanes256]uint64
		sumVecAVX2(&l, &a[0], n)
		acc[0] = foldLanes(acc[0], l[:])
	}
	return acc
}
