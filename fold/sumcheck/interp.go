package sumcheck

import "github.com/consensys/gnark-crypto/field/goldilocks"

// weights[d][k] = 1 / Π_{j≠k, 0≤j≤d} (k − j), the barycentric weights of the
// nodes 0, …, d, so that s(r) = Σ_k s(k) · weights[d][k] · Π_{j≠k} (r − j).
var weights = func() (w [MaxDegree + 1][MaxDegree + 1]goldilocks.Element) {
	for d := 1; d <= MaxDegree; d++ {
		for k := 0; k <= d; k++ {
			den := int64(1)
			for j := 0; j <= d; j++ {
				if j != k {
					den *= int64(k - j)
				}
			}
			w[d][k].SetInt64(den)
			w[d][k].Inverse(&w[d][k])
		}
	}
	return w
}()

// interpolate returns s(r) for the polynomial of degree len(s)−1 ≤ MaxDegree
// taking the values s[k] at k = 0, …, len(s)−1. The products Π_{j≠k} (r − j)
// come from prefix and suffix products, so no inversion is needed and r may
// be a node.
func interpolate(s []K, r K) K {
	d := len(s) - 1
	var diff [MaxDegree + 1]K // r − j
	for j := range s {
		var jj K
		jj.A0.SetUint64(uint64(j))
		diff[j].Sub(&r, &jj)
	}
	// suffix[k] = Π_{j>k} (r − j)
	var suffix [MaxDegree + 1]K
	suffix[d].SetOne()
	for k := d - 1; k >= 0; k-- {
		suffix[k].Mul(&suffix[k+1], &diff[k+1])
	}
	var acc, prefix, term K
	prefix.SetOne()
	for k := range s {
		term.Mul(&prefix, &suffix[k])
		term.MulByElement(&term, &weights[d][k])
		term.Mul(&term, &s[k])
		acc.Add(&acc, &term)
		prefix.Mul(&prefix, &diff[k])
	}
	return acc
}
