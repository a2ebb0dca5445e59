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
// A matrix that keeps its coefficients is read in that form. Otherwise each
// column is regenerated and used at once, while it is in L1: only its
// coefficients, with no transform, so the expansion is most of the cost. A
// matrix built from words (NewWordMatrix) skips even the conversion: a
// canonical word x, read as a Montgomery word, is the element x·R⁻¹, so the
// sum comes out R⁻¹ times too small and one product by R per output entry
// fixes it, instead of one per word of M. Columns are spread over GOMAXPROCS
// goroutines, each with its own accumulator, summed at the end; the inner
// loop is ext's MulAddBase on the selected backend's host side. There is no
// CUDA path: the work is one pass over M, bound by the expansion or by
// memory, and a device would first need M uploaded.
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
	if mat.coef != nil {
		stride = coefStride
	}
	per := mat.kappa * stride
	nw := workers(mat.m)
	accs := make([]K, nw*per)
	var col []E
	if mat.coef == nil {
		col = make([]E, nw*per)
	}
	err = forChunks(ctx, mat.m, nw, func(w, lo, hi int) error {
		acc := accs[w*per : (w+1)*per]
		if mat.coef != nil {
			for c, s := range v[lo:hi] {
				ev.MulAddBase(acc, s, mat.coef[(lo+c)*per:(lo+c+1)*per])
			}
			return nil
		}
		col := col[w*per : (w+1)*per]
		for j := lo; j < hi; j++ {
			if mat.words != nil {
				mat.words(asWords(col), j, j+1)
			} else {
				mat.src(col, j, j+1)
			}
			ev.MulAddBase(acc, v[j], col)
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
	if mat.coef == nil && mat.words != nil {
		for k := range out {
			out[k].MulByElement(&out[k], &montgomeryR)
		}
	}
	return nil
}

// montgomeryR is the element R = 2^64 mod q = 2^32 − 1.
var montgomeryR = func() (r E) {
	r.SetUint64(1<<32 - 1)
	return r
}()
