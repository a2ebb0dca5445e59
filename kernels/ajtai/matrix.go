package ajtai

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/ntt"
)

// E is the element type of every vector.
type E = goldilocks.Element

const (
	// D is the number of coefficients of a ring element, the degree of Φ81.
	D = 54
	// Points is the size of the NTT a column is multiplied in.
	Points = 128
	// coefStride is a row of M in coefficient form padded with zeros to whole
	// AVX-512 and AVX2 vectors, so the row additions need no scalar tail.
	coefStride = 56
	// accWidth holds a row shifted by up to D−1 places: D−1+coefStride ≤ 112.
	accWidth = 112
)

// Source produces the coefficients of M, column by column: it fills dst with
// columns [lo, hi), dst[((j−lo)·κ+i)·D+t] being coefficient t of M_ij, where
// len(dst) = (hi−lo)·κ·D. It is called from several goroutines at once and
// must give the same values every time.
type Source func(dst []E, lo, hi int)

// ErrShape is wrapped by every error about dimensions.
var ErrShape = errors.New("ajtai: wrong dimensions")

// ErrEntry is wrapped by the error for a witness word that is not a field
// element (not below q).
var ErrEntry = errors.New("ajtai: witness entry is not a reduced field element")

// Matrix is M ∈ R_q^{κ×m} in the layouts the kernel reads. Its contents never
// change after NewMatrix, and it is safe for concurrent use.
type Matrix struct {
	kappa, m int
	src      Source
	dom      *ntt.Domain
	// coef holds row i of column j at (j·κ+i)·coefStride, padded with zeros;
	// hat holds its NTT at (j·κ+i)·Points. Both nil when not stored.
	coef, hat []E
	workers   sync.Pool // of *worker, see getWorker
}

// maxElements bounds κ·m so sizes stay far from int overflow.
const maxElements = 1 << 40

// NewMatrix returns M, given by src, with κ rows and m columns. With store it
// expands and transforms the whole matrix now (κ·m·(coefStride+Points)·8
// bytes, see StoredBytes), across GOMAXPROCS goroutines; without, each Commit
// regenerates what it reads.
func NewMatrix(ctx context.Context, kappa, m int, src Source, store bool) (*Matrix, error) {
	if kappa < 1 || m < 1 || kappa > maxElements/m {
		return nil, fmt.Errorf("%w: κ = %d, m = %d", ErrShape, kappa, m)
	}
	if src == nil {
		return nil, errors.New("ajtai: nil matrix source")
	}
	dom, err := ntt.NewDomain(Points, ntt.WithTasks(1))
	if err != nil {
		return nil, err
	}
	mat := &Matrix{kappa: kappa, m: m, src: src, dom: dom}
	if !store {
		return mat, nil
	}
	mat.coef = make([]E, m*kappa*coefStride)
	mat.hat = make([]E, m*kappa*Points)
	err = forChunks(ctx, m, workers(m), func(_, lo, hi int) error {
		return mat.expand(make([]E, (hi-lo)*kappa*D), mat.coef[lo*kappa*coefStride:hi*kappa*coefStride], mat.hat[lo*kappa*Points:hi*kappa*Points], lo, hi, nil)
	})
	if err != nil {
		return nil, err
	}
	return mat, nil
}

// StoredBytes is the memory a stored matrix of κ×m takes.
func StoredBytes(kappa, m int) int64 {
	return int64(kappa) * int64(m) * (coefStride + Points) * 8
}

// Kappa returns κ, the number of rows.
func (mat *Matrix) Kappa() int { return mat.kappa }

// Columns returns m, the number of columns.
func (mat *Matrix) Columns() int { return mat.m }

// Stored reports whether the matrix is kept in memory.
func (mat *Matrix) Stored() bool { return mat.coef != nil }

// expand reads columns [lo, hi) of M from the source into raw and writes, at
// the same column positions, the padded coefficient rows of the columns whose
// forms include coefForm into coef and the transforms of those whose forms
// include hatForm into hat; nil forms means every column in both forms.
// Columns that need neither are not even read from the source: a
// regenerated matrix costs only the columns a commitment touches.
func (mat *Matrix) expand(raw, coef, hat []E, lo, hi int, forms []form) error {
	per := mat.kappa * D
	wants := func(c int) form {
		if forms == nil {
			return allForms
		}
		return forms[c]
	}
	for a := lo; a < hi; {
		if wants(a-lo) == 0 {
			a++
			continue
		}
		b := a + 1
		for b < hi && wants(b-lo) != 0 {
			b++
		}
		mat.src(raw[(a-lo)*per:(b-lo)*per], a, b)
		a = b
	}
	for c := range hi - lo {
		if wants(c)&coefForm != 0 {
			for i := range mat.kappa {
				r := c*mat.kappa + i
				copy(coef[r*coefStride:r*coefStride+D], raw[r*D:(r+1)*D])
				clear(coef[r*coefStride+D : (r+1)*coefStride])
			}
		}
		if wants(c)&hatForm != 0 {
			rows := hat[c*mat.kappa*Points : (c+1)*mat.kappa*Points]
			for i := range mat.kappa {
				row := rows[i*Points : (i+1)*Points]
				copy(row, raw[(c*mat.kappa+i)*D:(c*mat.kappa+i+1)*D])
				clear(row[D:])
			}
			if err := mat.dom.ForwardBatch(rows); err != nil {
				return err
			}
		}
	}
	return nil
}

// chunkColumns is how many columns a goroutine takes at a time: enough to
// batch their transforms, few enough to balance the load.
const chunkColumns = 32

// workers is how many goroutines share m columns.
func workers(m int) int {
	return max(1, min(runtime.GOMAXPROCS(0), (m+chunkColumns-1)/chunkColumns))
}

// forChunks runs f(worker, lo, hi) over [0, m) in chunks of chunkColumns
// columns on w goroutines, numbered 0..w−1 so that f can keep per-goroutine
// state, and returns the first error (or ctx's) once all have stopped.
func forChunks(ctx context.Context, m, w int, f func(worker, lo, hi int) error) error {
	chunks := (m + chunkColumns - 1) / chunkColumns
	var (
		next    atomic.Int64
		errOnce sync.Once
		first   error
		wg      sync.WaitGroup
	)
	work := func(worker int) {
		for {
			c := int(next.Add(1) - 1)
			if c >= chunks {
				return
			}
			err := ctx.Err()
			if err == nil {
				lo := c * chunkColumns
				err = f(worker, lo, min(lo+chunkColumns, m))
			}
			if err != nil {
				errOnce.Do(func() { first = err })
				next.Store(int64(chunks))
				return
			}
		}
	}
	for worker := 1; worker < w; worker++ {
		wg.Go(func() { work(worker) })
	}
	work(0)
	wg.Wait()
	return first
}
