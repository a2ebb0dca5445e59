//go:build !purego

package gl64

import "github.com/ssprove/ssprove/accel"

// The assembly loops take n, a multiple of their lane count; the Go wrappers
// finish the tail with the portable code.

//go:noescape
func mulVecAVX512(res, a, b *E, n int)

//go:noescape
func mulVecAVX2(res, a, b *E, n int)

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
	Add:       addGeneric,
	Sub:       subGeneric,
	Mul:       mulAVX512,
	ScalarMul: scalarMulGeneric,
	MulAdd:    mulAddGeneric,
	Inner:     innerGeneric,
	Sum:       sumGeneric,
}

var avx2 = Vector{
	Add:       addGeneric,
	Sub:       subGeneric,
	Mul:       mulAVX2,
	ScalarMul: scalarMulGeneric,
	MulAdd:    mulAddGeneric,
	Inner:     innerGeneric,
	Sum:       sumGeneric,
}

func mulAVX512(res, a, b []E) {
	n := len(res) &^ 7
	if n > 0 {
		mulVecAVX512(&res[0], &a[0], &b[0], n)
	}
	mulGeneric(res[n:], a[n:], b[n:])
}

func mulAVX2(res, a, b []E) {
	n := len(res) &^ 3
	if n > 0 {
		mulVecAVX2(&res[0], &a[0], &b[0], n)
	}
	mulGeneric(res[n:], a[n:], b[n:])
}
