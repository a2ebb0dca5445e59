package gl64

import (
	"github.com/consensys/gnark-crypto/field/goldilocks/extensions"

	"github.com/ssprove/ssprove/accel"
)

// K is an element of the sum-check extension F_q[u]/(u² − 7): A0 + A1·u.
type K = extensions.E2

// ExtVector is one implementation of the loops over vectors of K. All slices
// passed to one call have the lengths package ext checks; res may be the same
// slice as an input.
type ExtVector struct {
	Add       func(res, a, b []K)   // res[i] = a[i] + b[i]
	Sub       func(res, a, b []K)   // res[i] = a[i] − b[i]
	Mul       func(res, a, b []K)   // res[i] = a[i] · b[i]
	ScalarMul func(res, a []K, s K) // res[i] = s · a[i]
	Sum       func(a []K) K         // Σ a[i]
	Inner     func(a, b []K) K      // Σ a[i] · b[i]
	// Bind fixes the first variable of a multilinear table split into halves
	// lo and hi: lo[i] += r · (hi[i] − lo[i]).
	Bind func(lo, hi []K, r K)
	// ProductEvals adds to acc[t], for t = 0..len(acc)−1, the sum over i of
	// Π_j (lo[j][i] + t·(hi[j][i] − lo[j][i])): the evaluations at 0, 1, …
	// of a sum-check round polynomial of a product of len(lo) ≤ MaxFactors
	// tables, with len(acc) ≤ MaxEvals.
	ProductEvals func(acc []K, lo, hi [][]K)

	// The mixed loops take their second vector over the base field: each
	// element costs two base products, s.A0·x[i] and s.A1·x[i], instead of
	// a K product's three.
	MulAddBase func(y []K, s K, x []E) // y[i] += s · x[i]
	InnerBase  func(a []K, b []E) K    // Σ a[i] · b[i]
}

// MaxFactors and MaxEvals bound the factors and evaluations of one
// ProductEvals call (package ext checks them): degree 8, the highest the
// folding polynomials need, and its 9 evaluations.
const (
	MaxFactors = 8
	MaxEvals   = 9
)

// ExtVectors returns the K loops of backend b, or nil when this build has none for it.
func ExtVectors(b accel.Backend) *ExtVector {
	if b == accel.Go {
		return &ExtGeneric
	}
	return archExtVectors(b)
}

// ExtGeneric is the portable implementation, the reference for every other one.
var ExtGeneric = ExtVector{
	Add:          extAddGeneric,
	Sub:          extSubGeneric,
	Mul:          extMulGeneric,
	ScalarMul:    extScalarMulGeneric,
	Sum:          extSumGeneric,
	Inner:        extInnerGeneric,
	Bind:         extBindGeneric,
	ProductEvals: extProductEvalsGeneric,
	MulAddBase:   extMulAddBaseGeneric,
	InnerBase:    extInnerBaseGeneric,
}

// The portable loops work on the words with this package's scalar
// operations rather than through extensions.E2's methods: the same values
// (the tests check them against E2), several times faster.

// kAdd returns a + b.
func kAdd(a, b K) K {
	return K{A0: E{Add(a.A0[0], b.A0[0])}, A1: E{Add(a.A1[0], b.A1[0])}}
}

// kSub returns a − b.
func kSub(a, b K) K {
	return K{A0: E{Sub(a.A0[0], b.A0[0])}, A1: E{Sub(a.A1[0], b.A1[0])}}
}

// kMul returns a·b = a0·b0 + 7·a1·b1 + (a0·b1 + a1·b0)·u, by Karatsuba as E2.Mul.
func kMul(a, b K) K {
	p0 := Mul(a.A0[0], b.A0[0])
	p1 := Mul(a.A1[0], b.A1[0])
	p2 := Mul(Add(a.A0[0], a.A1[0]), Add(b.A0[0], b.A1[0]))
	return K{A0: E{Add(p0, mul7(p1))}, A1: E{Sub(Sub(p2, p0), p1)}}
}

// mul7 returns 7·x mod q: three doublings and a subtraction.
func mul7(x uint64) uint64 {
	x2 := Add(x, x)
	x4 := Add(x2, x2)
	return Sub(Add(x4, x4), x)
}

func extAddGeneric(res, a, b []K) {
	for i := range res {
		res[i] = kAdd(a[i], b[i])
	}
}

func extSubGeneric(res, a, b []K) {
	for i := range res {
		res[i] = kSub(a[i], b[i])
	}
}

func extMulGeneric(res, a, b []K) {
	for i := range res {
		res[i] = kMul(a[i], b[i])
	}
}

func extScalarMulGeneric(res, a []K, s K) {
	for i := range res {
		res[i] = kMul(a[i], s)
	}
}

func extSumGeneric(a []K) K {
	var acc K
	for i := range a {
		acc = kAdd(acc, a[i])
	}
	return acc
}

func extInnerGeneric(a, b []K) K {
	var acc K
	for i := range a {
		acc = kAdd(acc, kMul(a[i], b[i]))
	}
	return acc
}

func extBindGeneric(lo, hi []K, r K) {
	for i := range lo {
		lo[i] = kAdd(lo[i], kMul(r, kSub(hi[i], lo[i])))
	}
}

func extProductEvalsGeneric(acc []K, lo, hi [][]K) {
	if len(lo) == 0 || len(acc) == 0 {
		return
	}
	m := len(lo)
	var v, d [MaxFactors]K // factor j's value at the current t, and its slope hi − lo
	for i := range lo[0] {
		for j := range m {
			v[j] = lo[j][i]
			d[j] = kSub(hi[j][i], lo[j][i])
		}
		for t := range acc {
			if t > 0 {
				for j := range m {
					v[j] = kAdd(v[j], d[j])
				}
			}
			p := v[0]
			for j := 1; j < m; j++ {
				p = kMul(p, v[j])
			}
			acc[t] = kAdd(acc[t], p)
		}
	}
}

func extMulAddBaseGeneric(y []K, s K, x []E) {
	for i := range y {
		y[i].A0[0] = Add(y[i].A0[0], Mul(s.A0[0], x[i][0]))
		y[i].A1[0] = Add(y[i].A1[0], Mul(s.A1[0], x[i][0]))
	}
}

func extInnerBaseGeneric(a []K, b []E) K {
	var acc0, acc1 uint64
	for i := range a {
		acc0 = Add(acc0, Mul(a[i].A0[0], b[i][0]))
		acc1 = Add(acc1, Mul(a[i].A1[0], b[i][0]))
	}
	return K{A0: E{acc0}, A1: E{acc1}}
}
