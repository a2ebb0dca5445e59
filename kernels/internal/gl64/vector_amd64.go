//go:build !purego

package gl64

import "github.com/ssprove/ssprove/accel"

// The assembly loops take n > 0, a multiple of their lane count (8 for AVX-512,
// 4 for AVX2); vector_asm.go's adapters finish the tail with the portable code.
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
	Add:       elementwise(lanes512, addVecAVX512, addGeneric),
	Sub:       elementwise(lanes512, subVecAVX512, subGeneric),
	Mul:       elementwise(lanes512, mulVecAVX512, mulGeneric),
	ScalarMul: scaled(lanes512, scalarMulVecAVX512, scalarMulGeneric),
	MulAdd:    mulAdd(lanes512, mulAddVecAVX512),
	Inner:     innerAVX512,
	Sum:       sumAVX512,
}

var avx2 = Vector{
	Add:       elementwise(lanes256, addVecAVX2, addGeneric),
	Sub:       elementwise(lanes256, subVecAVX2, subGeneric),
	Mul:       elementwise(lanes256, mulVecAVX2, mulGeneric),
	ScalarMul: scaled(lanes256, scalarMulVecAVX2, scalarMulGeneric),
	MulAdd:    mulAdd(lanes256, mulAddVecAVX2),
	Inner:     innerAVX2,
	Sum:       sumAVX2,
}

const (
	lanes512 = 8
	lanes256 = 4
)

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
