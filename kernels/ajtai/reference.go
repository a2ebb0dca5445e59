package ajtai

import (
	"context"
	"fmt"
)

// Reference computes Commit straight from the definition, for tests: c_i =
// Σ_j rot(M_ij)·cf(z_j), where column t of rot(a) is cf(X^t·a mod Φ81) and
// each column follows from the one before by one multiplication by X.
func Reference(ctx context.Context, mat *Matrix, Z []E) ([]E, error) {
	if mat == nil {
		return nil, fmt.Errorf("%w: nil matrix", ErrShape)
	}
	if len(Z) != D*mat.m {
		return nil, fmt.Errorf("%w: witness has %d entries, want %d", ErrShape, len(Z), D*mat.m)
	}
	out := make([]E, mat.kappa*D)
	m := make([]E, mat.kappa*D)
	for j := range mat.m {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		mat.src(m, j, j+1)
		for i := range mat.kappa {
			var col [D]E
			copy(col[:], m[i*D:(i+1)*D])
			for t := range D {
				z := Z[j*D+t]
				for r := range D {
					var p E
					p.Mul(&col[r], &z)
					out[i*D+r].Add(&out[i*D+r], &p)
				}
				timesX(&col)
			}
		}
	}
	return out, nil
}

// timesX multiplies a by X mod Φ81: the top coefficient wraps round as
// X^54 = −X^27 − 1.
func timesX(a *[D]E) {
	top := a[D-1]
	copy(a[1:], a[:D-1])
	a[0].Neg(&top)
	a[27].Sub(&a[27], &top)
}
