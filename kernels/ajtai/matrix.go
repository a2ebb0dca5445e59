package ajtai

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
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
// change once built, and it is safe for concurrent use.
type Matrix struct {
	kappa, m int
	src      Source
	// words is the filler src converts, for a matrix built by
	// NewWordMatrix: CombineColumns reads regenerated columns from it
	// unconverted.
	words Words
	dom   *ntt.Domain
	keep  Storage
	// coef holds row i of column j at (j·κ+i)·coefStride, padded with zeros;
	// hat holds its NTT at (j·κ+i)·Points. Each is nil when not kept.
	coef, hat []E
	workers   sync.Pool // of *worker, see getWorker
}

// Storage is what a Matrix keeps of M in memory.
type Storage uint8

const (
	// Regenerate keeps nothing: every call regenerates from the source the
	// columns it reads, and transforms those it multiplies through the NTT.
	Regenerate Storage = iota
	// StoreCoefficients keeps M in coefficient form (κ·m·56·8 bytes): what
	// CombineColumns and the additions path read. Dense witness columns
	// still need M's transforms, computed from the stored coefficients in
	// every commitment (κ transforms per column touched, no expansion).
	StoreCoefficients
	// StoreAll keeps M in coefficient and NTT form (κ·m·184·8 bytes), every
	// commitment reading both.
	StoreAll
)

func (s Storage) String() string {
	switch s {
	case Regenerate:
		return "regenerated"
	case StoreCoefficients:
		return "coefficients"
	case StoreAll:
		return "stored"
	}
	return fmt.Sprintf("Storage(%d)", uint8(s))
}

// maxElements bounds κ·m so sizes stay far from int overflow.
const maxElements = 1 << 40

// NewMatrix returns M, given by src, with κ rows and m columns. With store it
// expands and transforms the whole matrix now (StoreAll), across GOMAXPROCS
// goroutines; without, each Commit regenerates what it reads (Regenerate).
func NewMatrix(ctx context.Context, kappa, m int, src Source, store bool) (*Matrix, error) {
	if src == nil {
		return nil, errors.New("ajtai: nil matrix source")
	}
	keep := Regenerate
	if store {
		keep = StoreAll
	}
	return newMatrix(ctx, kappa, m, src, nil, keep)
}

// NewWordMatrix returns M with κ rows and m columns whose coefficients words
// gives as canonical integers (a seed's expansion), keeping what keep says.
// Its columns are Canonical(words)'s; the difference from NewMatrix is that
// CombineColumns on a regenerated matrix reads the words as they come, with
// no conversion to field elements.
func NewWordMatrix(ctx context.Context, kappa, m int, words Words, keep Storage) (*Matrix, error) {
	if words == nil {
		return nil, errors.New("ajtai: nil matrix source")
	}
	if keep > StoreAll {
		return nil, fmt.Errorf("ajtai: unknown matrix storage %d", keep)
	}
	return newMatrix(ctx, kappa, m, Canonical(words), words, keep)
}

func newMatrix(ctx context.Context, kappa, m int, src Source, words Words, keep Storage) (*Matrix, error) {
	if kappa < 1 || m < 1 || kappa > maxElements/m {
		return nil, fmt.Errorf("%w: κ = %d, m = %d", ErrShape, kappa, m)
	}
	dom, err := ntt.NewDomain(Points, ntt.WithTasks(1))
	if err != nil {
		return nil, err
	}
	mat := &Matrix{kappa: kappa, m: m, src: src, words: words, dom: dom, keep: keep}
	if keep == Regenerate {
		return mat, nil
	}
	mat.coef = make([]E, m*kappa*coefStride)
	forms := []form{coefForm}
	if keep == StoreAll {
		mat.hat = make([]E, m*kappa*Points)
		forms[0] = allForms
	}
	nw := workers(m)
	raws := make([][]E, nw)
	all := slices.Repeat(forms, chunkColumns)
	err = forChunks(ctx, m, nw, func(w, lo, hi int) error {
		if raws[w] == nil {
			raws[w] = make([]E, chunkColumns*kappa*D)
		}
		var hat []E
		if mat.hat != nil {
			hat = mat.hat[lo*kappa*Points : hi*kappa*Points]
		}
		return mat.expand(raws[w], mat.coef[lo*kappa*coefStride:hi*kappa*coefStride], hat, lo, hi, all[:hi-lo])
	})
	if err != nil {
		return nil, err
	}
	return mat, nil
}

// StoredBytes is the memory a matrix of κ×m takes when it keeps it.
func StoredBytes(kappa, m int, keep Storage) int64 {
	per := int64(0)
	switch keep {
	case StoreCoefficients:
		per = coefStride
	case StoreAll:
		per = coefStride + Points
	}
	return int64(kappa) * int64(m) * per * 8
}

// Kappa returns κ, the number of rows.
func (mat *Matrix) Kappa() int { return mat.kappa }

// Columns returns m, the number of columns.
func (mat *Matrix) Columns() int { return mat.m }

// Stored reports whether the matrix is kept in memory, in either form.
func (mat *Matrix) Stored() bool { return mat.keep != Regenerate }

// Storage returns what the matrix keeps in memory.
func (mat *Matrix) Storage() Storage { return mat.keep }

// expand reads columns [lo, hi) of M from the source into raw and writes, at
// the same column positions, the padded coefficient rows of the columns whose
// forms include coefForm into coef and the transforms of those whose forms
// include hatForm into hat. Columns that need neither are not even read from
// the source: a regenerated matrix costs only the columns a commitment
// touches.
func (mat *Matrix) expand(raw, coef, hat []E, lo, hi int, forms []form) error {
	per := mat.kappa * D
	for a := lo; a < hi; {
		if forms[a-lo] == 0 {
			a++
			continue
		}
		b := a + 1
		for b < hi && forms[b-lo] != 0 {
			b++
		}
		mat.src(raw[(a-lo)*per:(b-lo)*per], a, b)
		a = b
	}
	for c, f := range forms {
		if f&coefForm != 0 {
			for i := range mat.kappa {
				r := c*mat.kappa + i
				copy(coef[r*coefStride:r*coefStride+D], raw[r*D:(r+1)*D])
				clear(coef[r*coefStride+D : (r+1)*coefStride])
			}
		}
		if f&hatForm != 0 {
			if err := mat.transform(hat[c*mat.kappa*Points:(c+1)*mat.kappa*Points], raw[c*per:(c+1)*per], D); err != nil {
				return err
			}
		}
	}
	return nil
}

// transform writes into hat the NTTs of the κ rows of a column of M whose
// coefficients start every stride words of rows.
func (mat *Matrix) transform(hat, rows []E, stride int) error {
	for i := range mat.kappa {
		row := hat[i*Points : (i+1)*Points]
		copy(row, rows[i*stride:i*stride+D])
		clear(row[D:])
	}
	return mat.dom.ForwardBatch(hat)
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
