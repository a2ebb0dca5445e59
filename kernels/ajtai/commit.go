package ajtai

import (
	"context"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// digitLimit is the most non-zero digits a column may have and still take the
// additions path: each costs κ row additions of coefStride elements, against
// one transform of the column and κ multiply-accumulates of Points elements
// for the NTT path (BenchmarkColumn measures both).
const digitLimit = 8

var (
	one      = goldilocks.One()
	minusOne = func() (m E) { return *m.Neg(&one) }()
)

// Commit sets out[i·D+t] to coefficient t of c_i = Σ_j M_ij·z_j for i < κ,
// where z_j has the coefficients Z[j·D : (j+1)·D]. len(Z) must be D·m and
// len(out) D·κ; a word of Z not below q is an error wrapping ErrEntry. out
// may not overlap Z.
func Commit(ctx context.Context, mat *Matrix, Z, out []E) error {
	if mat == nil {
		return fmt.Errorf("%w: nil matrix", ErrShape)
	}
	if len(Z) != D*mat.m {
		return fmt.Errorf("%w: witness has %d entries, want %d×%d = %d", ErrShape, len(Z), D, mat.m, D*mat.m)
	}
	if len(out) != D*mat.kappa {
		return fmt.Errorf("%w: output has %d entries, want %d×%d = %d", ErrShape, len(out), D, mat.kappa, D*mat.kappa)
	}
	b, err := accel.Selected()
	if err != nil {
		return err
	}
	k := gl64.CommitKernels(b)
	if k == nil {
		return fmt.Errorf("ajtai: backend %s has no commitment kernels in this build", b)
	}
	ws := make([]*worker, workers(mat.m))
	for i := range ws {
		ws[i] = mat.getWorker()
	}
	defer func() {
		for _, w := range ws {
			mat.workers.Put(w)
		}
	}()
	err = forChunks(ctx, mat.m, len(ws), func(w, lo, hi int) error {
		return ws[w].columns(mat, k, Z, lo, hi)
	})
	if err != nil {
		return fmt.Errorf("ajtai: commit: %w", err)
	}
	return finish(mat, ws, out)
}

// getWorker returns a worker with zeroed accumulators, reusing one from an
// earlier Commit when it can: small commitments would otherwise spend more on
// allocating and clearing buffers than on arithmetic.
func (mat *Matrix) getWorker() *worker {
	if w, ok := mat.workers.Get().(*worker); ok {
		clear(w.hat)
		clear(w.coef)
		return w
	}
	return newWorker(mat)
}

// worker is one goroutine's accumulators and buffers.
type worker struct {
	hat  []E // κ rows of Points evaluations
	coef []E // κ rows of accWidth coefficients
	z    []E // the chunk's dense columns, zero-padded to Points
	cols []int
	// For a matrix that is not stored: the chunk's columns of M.
	raw, mcoef, mhat []E
	kinds            []kind
}

func newWorker(mat *Matrix) *worker {
	w := &worker{
		hat:   make([]E, mat.kappa*Points),
		coef:  make([]E, mat.kappa*accWidth),
		z:     make([]E, chunkColumns*Points),
		cols:  make([]int, 0, chunkColumns),
		kinds: make([]kind, chunkColumns),
	}
	if !mat.Stored() {
		w.raw = make([]E, chunkColumns*mat.kappa*D)
		w.mcoef = make([]E, chunkColumns*mat.kappa*coefStride)
		w.mhat = make([]E, chunkColumns*mat.kappa*Points)
	}
	return w
}

// kind sorts a column: skip (all zero), digits (the additions path), dense,
// or unreduced (a word not below q, an error).
type kind uint8

const (
	skip kind = iota
	digits
	dense
	unreduced
)

func classify(z []E) kind {
	nonzero, small := 0, true
	for i := range z {
		if z[i][0] >= gl64.Q {
			return unreduced
		}
		if z[i][0] != 0 {
			nonzero++
			small = small && (z[i] == one || z[i] == minusOne)
		}
	}
	switch {
	case nonzero == 0:
		return skip
	case small && nonzero <= digitLimit:
		return digits
	}
	return dense
}

// columns accumulates z_j·M_ij for j in [lo, hi).
func (w *worker) columns(mat *Matrix, k *gl64.Commit, Z []E, lo, hi int) error {
	kappa, n := mat.kappa, hi-lo
	kinds, work := w.kinds[:n], false
	for c := range kinds {
		z := Z[(lo+c)*D : (lo+c+1)*D]
		if kinds[c] = classify(z); kinds[c] == unreduced {
			for t := range z {
				if z[t][0] >= gl64.Q {
					return fmt.Errorf("%w: row %d of column %d holds %#x", ErrEntry, t, lo+c, z[t][0])
				}
			}
		}
		work = work || kinds[c] != skip
	}
	if !work {
		return nil
	}
	coef, hat, base := mat.coef, mat.hat, 0
	if !mat.Stored() {
		coef, hat, base = w.mcoef[:n*kappa*coefStride], w.mhat[:n*kappa*Points], lo
		if err := mat.expand(w.raw, coef, hat, lo, hi, kinds); err != nil {
			return err
		}
	}
	w.cols = w.cols[:0]
	for j := lo; j < hi; j++ {
		z := Z[j*D : (j+1)*D]
		switch kinds[j-lo] {
		case digits:
			m := coef[(j-base)*kappa*coefStride : (j-base+1)*kappa*coefStride]
			for t := range z {
				switch z[t] {
				case one:
					k.AddRows(w.coef[t:], m, accWidth, coefStride)
				case minusOne:
					k.SubRows(w.coef[t:], m, accWidth, coefStride)
				}
			}
		case dense:
			slot := w.z[len(w.cols)*Points : (len(w.cols)+1)*Points]
			copy(slot, z)
			clear(slot[D:])
			w.cols = append(w.cols, j)
		}
	}
	if len(w.cols) == 0 {
		return nil
	}
	// Whole groups of 8 transforms run in vector lanes; a partial group would
	// run scalar, so it is padded with zero columns.
	padded := (len(w.cols) + 7) &^ 7
	clear(w.z[len(w.cols)*Points : padded*Points])
	zs := w.z[:padded*Points]
	if err := mat.dom.ForwardBatch(zs); err != nil {
		return err
	}
	for c, j := range w.cols {
		k.MulAcc(w.hat, hat[(j-base)*kappa*Points:(j-base+1)*kappa*Points], zs[c*Points:(c+1)*Points])
	}
	return nil
}

// finish adds up the workers' accumulators, brings the evaluations back to
// coefficients and reduces every row mod Φ81 into out.
func finish(mat *Matrix, ws []*worker, out []E) error {
	hat, coef := ws[0].hat, ws[0].coef
	for _, w := range ws[1:] {
		gl64.Generic.Add(hat, hat, w.hat)
		gl64.Generic.Add(coef, coef, w.coef)
	}
	if err := mat.dom.InverseBatch(hat); err != nil {
		return err
	}
	for i := range mat.kappa {
		p := hat[i*Points : (i+1)*Points]
		gl64.Generic.Add(p[:accWidth], p[:accWidth], coef[i*accWidth:(i+1)*accWidth])
		reduce(p)
		copy(out[i*D:(i+1)*D], p[:D])
	}
	return nil
}

// reduce replaces p by p mod Φ81 in its first D entries, using
// X^e = −X^(e−27) − X^(e−54) for e ≥ 54 from the top down, so that what lands
// at e−27 ≥ 54 is reduced in turn.
func reduce(p []E) {
	for e := len(p) - 1; e >= D; e-- {
		if p[e][0] == 0 {
			continue
		}
		p[e-27].Sub(&p[e-27], &p[e])
		p[e-54].Sub(&p[e-54], &p[e])
	}
}
