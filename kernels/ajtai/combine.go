package ajtai

import (
	"context"
	"fmt"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// K is an element of F_q[u]/(u² − 7), the extension kernels/ext works over
// (gnark-crypto's extensions.E2).
type K = gl64.K

// CombineColumns sets out[i·D+t] = Σ_j v[j]·M_ij[t]: row i of M combined
// with weights v ∈ K^m, coefficient by coefficient. It is what a verifier
// evaluates M at to check an opening at a random point without multiplying
// polynomials (lattice/ajtai VerifySmall). len(v) must be m and len(out)
// D·κ.
//
// A stored matrix is read in coefficient form. Otherwise each column is
// regenerated from the Source and used at once: only its coefficients,
// with no transform, so the expansion is most of the cost. Columns are
// spread over GOMAXPROCS goroutines, each with its own accumulator, summed
// at the end; the inner loop is ext's MulAddBase on the selected backend's
// host side. There is no CUDA path: the work is one pass over M, bound by
// the expansion or by memory, and a device would first need M uploaded.
func CombineColumns(ctx context.Context, mat *Matrix, v, out []K) error {
	if mat == nil {
		return fmt.Errorf("%w: nil matrix", ErrShape)
	}
	if len(v) != mat.m {
		return fmt.Errorf("%w: %d weights for %d columns", ErrShape, len(v), mat.m)
	}
	if len(out) != D*mat.kappa {
		return fmt.Errorf("%w: output has %d entries, want %d×%d = %d", ErrShape, len(out), D, mat.kappa, D*mat.kappa)
	}
	b, err := accel.Selected()
	if err != nil {
		return fmt.Errorf("ajtai: combine columns: %w", err)
	}
	ev := gl64.ExtVectors(accel.Host(b))
	if ev == nil {
		return fmt.Errorf("ajtai: combine columns: backend %s has no K kernels in this build", b)
	}
	// A stored column is κ rows of coefStride, the padding zero; a
	// regenerated one κ rows of D. The accumulators take the same layout.
	stride := D
	if mat.Stored() {
		stride = coefStride
	}
	per := mat.kappa * stride
	nw := workers(mat.m)
	accs := make([]K, nw*per)
	raws := make([][]E, nw)
	err = forChunks(ctx, mat.m, nw, func(w, lo, hi int) error {
		acc := accs[w*per : (w+1)*per]
		var cols []E
		if mat.Stored() {
			cols = mat.coef[lo*per : hi*per]
		} else {
			if raws[w] == nil {
				raws[w] = make([]E, chunkColumns*per)
			}
			cols = raws[w][:(hi-lo)*per]
			mat.src(cols, lo, hi)
		}
		for c, s := range v[lo:hi] {
			ev.MulAddBase(acc, s, cols[c*per:(c+1)*per])
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ajtai: combine columns: %w", err)
	}
	acc := accs[:per]
	for w := 1; w < nw; w++ {
		ev.Add(acc, acc, accs[w*per:(w+1)*per])
	}
	for i := range mat.kappa {
		copy(out[i*D:(i+1)*D], acc[i*stride:i*stride+D])
	}
	return nil
}
