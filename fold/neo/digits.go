package neo

import (
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/lattice/ring"
)

// digitGrain is the number of columns from which a digit product is split
// across cores: below it the per-worker accumulators cost more than the
// columns.
const digitGrain = 1 << 9

// mulDigits returns y[i][j][ρ] = Σ_c Zs[i][c·d+ρ]·vs[j][c], d = ring.D: the
// products Z_i·v_j of column-major digit matrices with vectors over K that
// evaluation claims hold (fold/NEO.md §1.4, §2.7, §4). Every Zs[i] must have
// d·len(vs[j]) entries; the error otherwise wraps ErrShape. mags bounds
// |δ| over all the digits: magnitude(Zs), or a bound the caller knows
// without a pass over them (b − 1 for digits it split itself).
//
// Digits are small, so no product in K is computed per digit: each worker
// adds v_j[c] into a bucket per (i, j, ρ, δ) over its columns, and only the
// final Σ_a a·(bucket[a] − bucket[−a]) multiplies, by small integers. A
// bucket per signed digit, rather than adding or subtracting by the sign,
// keeps the inner loop free of a branch that random signs mispredict; zero
// digits are skipped, which the mostly empty high planes of Π_DEC predict
// well.
func mulDigits(Zs [][]int8, vs [][]K, mags int) ([][][]K, error) {
	const d = ring.D
	if len(vs) == 0 {
		return nil, fmt.Errorf("neo: digit product: %w: no vectors", ErrShape)
	}
	m := len(vs[0])
	for j, v := range vs {
		if len(v) != m {
			return nil, fmt.Errorf("neo: digit product: %w: vector %d has %d entries, vector 0 %d", ErrShape, j, len(v), m)
		}
	}
	for i, Z := range Zs {
		if len(Z) != d*m {
			return nil, fmt.Errorf("neo: digit product: %w: matrix %d has %d digits, want d·m = %d·%d", ErrShape, i, len(Z), d, m)
		}
	}
	slots := 2*mags + 1 // buckets per (i, j, ρ), digits −mags…mags
	size := len(Zs) * len(vs) * d * slots

	w := parallel.Workers(m, digitGrain)
	parts := make([][]K, w)
	parallel.Split(m, w, func(p, lo, hi int) {
		acc := make([]K, size)
		parts[p] = acc
		vc := make([]K, len(vs))
		for c := lo; c < hi; c++ {
			for j, v := range vs {
				vc[j] = v[c]
			}
			for i, Z := range Zs {
				for ρ, δ := range Z[c*d : (c+1)*d] {
					if δ == 0 {
						continue
					}
					base := (i*len(vs)*d+ρ)*slots + int(δ) + mags
					for j := range vc {
						b := &acc[base+j*d*slots]
						b.Add(b, &vc[j])
					}
				}
			}
		}
	})
	acc := parts[0]
	for _, part := range parts[1:] {
		for k := range acc {
			acc[k].Add(&acc[k], &part[k])
		}
	}

	out := make([][][]K, len(Zs))
	flat := make([]K, len(Zs)*len(vs)*d)
	var scale goldilocks.Element
	var t K
	for i := range out {
		out[i] = make([][]K, len(vs))
		for j := range out[i] {
			y := flat[(i*len(vs)+j)*d : (i*len(vs)+j+1)*d : (i*len(vs)+j+1)*d]
			out[i][j] = y
			for ρ := range y {
				buckets := acc[((i*len(vs)+j)*d+ρ)*slots:][:slots]
				for a := 1; a <= mags; a++ {
					t.Sub(&buckets[mags+a], &buckets[mags-a])
					if a > 1 {
						scale.SetUint64(uint64(a))
						t.MulByElement(&t, &scale)
					}
					y[ρ].Add(&y[ρ], &t)
				}
			}
		}
	}
	return out, nil
}

// magnitude returns max |δ| over the digits of Zs, which sizes the buckets
// of mulDigits and of phase 1's digit rounds: a pass over bytes split
// across cores, cheap against the additions in K.
func magnitude(Zs [][]int8) int {
	most := 0
	for _, Z := range Zs {
		w := parallel.Workers(len(Z), 1<<16)
		parts := make([]int, w)
		parallel.Split(len(Z), w, func(part, lo, hi int) {
			var small, big int8
			for _, δ := range Z[lo:hi] {
				small, big = min(small, δ), max(big, δ)
			}
			parts[part] = max(-int(small), int(big))
		})
		most = max(most, slices.Max(append(parts, 0)))
	}
	return most
}
