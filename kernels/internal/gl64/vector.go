package gl64

import (
	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
)

// E is the element type every kernel works on.
type E = goldilocks.Element

// Vector is one implementation of the element-wise loops. All slices passed to
// one call have the same length (the public packages check); res may be the
// same slice as an input.
type Vector struct {
	Add       func(res, a, b []E)     // res[i] = a[i] + b[i]
	Sub       func(res, a, b []E)     // res[i] = a[i] − b[i]
	Mul       func(res, a, b []E)     // res[i] = a[i] · b[i]
	ScalarMul func(res, a []E, s E)   // res[i] = s · a[i]
	MulAdd    func(y []E, s E, x []E) // y[i] += s · x[i]
	Inner     func(a, b []E) E        // Σ a[i] · b[i]
	Sum       func(a []E) E           // Σ a[i]
}

// Vectors returns the vector loops of backend b, or nil when this build has
// none for it (the backend is for another architecture, or it has no
// assembly for these loops).
func Vectors(b accel.Backend) *Vector {
	if b == accel.Go {
		return &Generic
	}
	return archVectors(b)
}

// Generic is the portable implementation, the reference for every other one.
var Generic = Vector{
	Add:       addGeneric,
	Sub:       subGeneric,
	Mul:       mulGeneric,
	ScalarMul: scalarMulGeneric,
	MulAdd:    mulAddGeneric,
	Inner:     innerGeneric,
	Sum:       sumGeneric,
}

func addGeneric(res, a, b []E) {
	for i := range res {
		res[i][0] = Add(a[i][0], b[i][0])
	}
}

func subGeneric(res, a, b []E) {
	for i := range res {
		res[i][0] = Sub(a[i][0], b[i][0])
	}
}

func mulGeneric(res, a, b []E) {
	for i := range res {
		res[i][0] = Mul(a[i][0], b[i][0])
	}
}

func scalarMulGeneric(res, a []E, s E) {
	for i := range res {
		res[i][0] = Mul(a[i][0], s[0])
	}
}

func mulAddGeneric(y []E, s E, x []E) {
	for i := range y {
		y[i][0] = Add(y[i][0], Mul(s[0], x[i][0]))
	}
}

func innerGeneric(a, b []E) E {
	var acc uint64
	for i := range a {
		acc = Add(acc, Mul(a[i][0], b[i][0]))
	}
	return E{acc}
}

func sumGeneric(a []E) E {
	var acc uint64
	for i := range a {
		acc = Add(acc, a[i][0])
	}
	return E{acc}
}

// foldLanes adds the per-lane partial sums an assembly Inner or Sum leaves to acc.
func foldLanes(acc uint64, lanes []uint64) uint64 {
	for _, l := range lanes {
		acc = Add(acc, l)
	}
	return acc
}
