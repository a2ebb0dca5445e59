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
	// of a sum-check round polynomial of a product of len(lo) tables.
	ProductEvals func(acc []K, lo, hi [][]K)
}

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
}

func extAddGeneric(res, a, b []K) {
	for i := range res {
		res[i].Add(&a[i], &b[i])
	}
}

func extSubGeneric(res, a, b []K) {
	for i := range res {
		res[i].Sub(&a[i], &b[i])
	}
}

func extMulGeneric(res, a, b []K) {
	for i := range res {
		res[i].Mul(&a[i], &b[i])
	}
}

func extScalarMulGeneric(res, a []K, s K) {
	for i := range res {
		res[i].Mul(&a[i], &s)
	}
}

func extSumGeneric(a []K) K {
	var acc K
	for i := range a {
		acc.Add(&acc, &a[i])
	}
	return acc
}

func extInnerGeneric(a, b []K) K {
	var acc, p K
	for i := range a {
		p.Mul(&a[i], &b[i])
		acc.Add(&acc, &p)
	}
	return acc
}

func extBindGeneric(lo, hi []K, r K) {
	var d K
	for i := range lo {
		d.Sub(&hi[i], &lo[i])
		d.Mul(&d, &r)
		lo[i].Add(&lo[i], &d)
	}
}

func extProductEvalsGeneric(acc []K, lo, hi [][]K) {
	if len(lo) == 0 || len(acc) == 0 {
		return
	}
	m := len(lo)
	v := make([]K, m) // factor j's value at the current t
	d := make([]K, m) // factor j's slope hi − lo
	var p K
	for i := range lo[0] {
		for j := range m {
			v[j] = lo[j][i]
			d[j].Sub(&hi[j][i], &lo[j][i])
		}
		for t := range acc {
			if t > 0 {
				for j := range m {
					v[j].Add(&v[j], &d[j])
				}
			}
			p = v[0]
			for j := 1; j < m; j++ {
				p.Mul(&p, &v[j])
			}
			acc[t].Add(&acc[t], &p)
		}
	}
}
