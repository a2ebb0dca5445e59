package mle

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"math/bits"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/parallel"
)

// ErrIndex is wrapped by every error about a matrix entry outside the matrix,
// or out of the order NewSparseSorted requires.
var ErrIndex = errors.New("mle: matrix entry out of range")

// MaxDim is the most rows or columns a sparse matrix may have: the number of
// entries of the largest table (2^MaxVars), so that every row index of a
// matrix is a point of some table. On 32-bit targets, where an int cannot
// count 2^32, it is the largest power of two an int holds with room to spare,
// 2^30.
const MaxDim = 1 << min(MaxVars, bits.UintSize-2)

// Entry is one entry of a sparse matrix: M[Row][Col] = Val.
type Entry struct {
	Row, Col int
	Val      goldilocks.Element
}

// Sparse is a matrix over F in compressed sparse row (CSR) form: row i's
// nonzero entries, in increasing column order, are cols[rowStart[i]:rowStart[i+1]]
// with values vals[…]. A Sparse is immutable once built, so it can be shared
// between goroutines.
type Sparse struct {
	rows, cols int
	rowStart   []int
	colIdx     []uint32 // half the index bandwidth of int; MaxDim columns fit
	vals       []goldilocks.Element
}

// NewSparse returns the rows×cols matrix with the given entries, which may
// come in any order. Entries at the same position are summed, as for a matrix
// exported as a list of terms, and zero results are dropped, so a matrix has
// one canonical form whatever the order or splitting of its entries.
// Dimensions above MaxDim or negative, and entries outside the matrix, are
// errors wrapping ErrIndex. entries is not modified.
func NewSparse(rows, cols int, entries []Entry) (*Sparse, error) {
	if rows < 0 || cols < 0 || rows > MaxDim || cols > MaxDim {
		return nil, fmt.Errorf("mle: NewSparse of a %d×%d matrix, each dimension must lie in [0, %d]: %w", rows, cols, MaxDim, ErrIndex)
	}
	for k, e := range entries {
		if e.Row < 0 || e.Row >= rows || e.Col < 0 || e.Col >= cols {
			return nil, fmt.Errorf("mle: NewSparse: entry %d at (%d, %d) outside the %d×%d matrix: %w", k, e.Row, e.Col, rows, cols, ErrIndex)
		}
	}

	// Counting sort by row, then each row sorted by column with duplicates
	// merged in place.
	rowStart := make([]int, rows+1)
	for _, e := range entries {
		rowStart[e.Row+1]++
	}
	for i := range rows {
		rowStart[i+1] += rowStart[i]
	}
	byRow := make([]Entry, len(entries))
	next := slices.Clone(rowStart[:rows])
	for _, e := range entries {
		byRow[next[e.Row]] = e
		next[e.Row]++
	}

	m := newSparse(rows, cols, len(entries))
	for i := range rows {
		row := byRow[rowStart[i]:rowStart[i+1]]
		slices.SortFunc(row, func(a, b Entry) int { return cmp.Compare(a.Col, b.Col) })
		for k := 0; k < len(row); {
			col, v := row[k].Col, row[k].Val
			for k++; k < len(row) && row[k].Col == col; k++ {
				v.Add(&v, &row[k].Val)
			}
			if !v.IsZero() {
				m.colIdx = append(m.colIdx, uint32(col))
				m.vals = append(m.vals, v)
			}
		}
		m.rowStart[i+1] = len(m.vals)
	}
	return m, nil
}

// newSparse returns an empty rows×cols matrix with room for n entries, for
// the constructors to fill row by row.
func newSparse(rows, cols, n int) *Sparse {
	return &Sparse{
		rows:     rows,
		cols:     cols,
		rowStart: make([]int, rows+1),
		colIdx:   make([]uint32, 0, n),
		vals:     make([]goldilocks.Element, 0, n),
	}
}

// NewSparseSorted returns the rows×cols matrix with the given entries, which
// must already be in the canonical order Entries yields: rows ascending,
// columns strictly ascending within a row. It builds the matrix NewSparse
// would from the same entries in a single pass, without sorting, for callers
// that emit a matrix row by row. Zero values are dropped, as NewSparse drops
// them. Dimensions above MaxDim or negative, entries outside the matrix, and
// an entry not after its predecessor (out of order, or a second one at the
// same position) are errors wrapping ErrIndex. entries is not modified.
func NewSparseSorted(rows, cols int, entries []Entry) (*Sparse, error) {
	if rows < 0 || cols < 0 || rows > MaxDim || cols > MaxDim {
		return nil, fmt.Errorf("mle: NewSparseSorted of a %d×%d matrix, each dimension must lie in [0, %d]: %w", rows, cols, MaxDim, ErrIndex)
	}
	m := newSparse(rows, cols, len(entries))
	// (row, col) of the previous entry; (0, −1) lets the first be anywhere.
	row, col := 0, -1
	for k, e := range entries {
		if e.Row < 0 || e.Row >= rows || e.Col < 0 || e.Col >= cols {
			return nil, fmt.Errorf("mle: NewSparseSorted: entry %d at (%d, %d) outside the %d×%d matrix: %w", k, e.Row, e.Col, rows, cols, ErrIndex)
		}
		if e.Row < row || e.Row == row && e.Col <= col {
			return nil, fmt.Errorf("mle: NewSparseSorted: entry %d at (%d, %d) does not come after entry %d at (%d, %d) in row-major order: %w", k, e.Row, e.Col, k-1, row, col, ErrIndex)
		}
		// Rows skipped since the previous entry end where it did.
		for ; row < e.Row; row++ {
			m.rowStart[row+1] = len(m.vals)
		}
		col = e.Col
		if !e.Val.IsZero() {
			m.colIdx = append(m.colIdx, uint32(col))
			m.vals = append(m.vals, e.Val)
		}
	}
	for ; row < rows; row++ {
		m.rowStart[row+1] = len(m.vals)
	}
	return m, nil
}

// Rows returns the number of rows of m.
func (m *Sparse) Rows() int { return m.rows }

// Cols returns the number of columns of m.
func (m *Sparse) Cols() int { return m.cols }

// NonZeros returns the number of nonzero entries of m.
func (m *Sparse) NonZeros() int { return len(m.vals) }

// Entries yields the nonzero entries of m row by row, each row in increasing
// column order: the canonical order that digests of a matrix absorb.
func (m *Sparse) Entries() iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		for i := range m.rows {
			for k := m.rowStart[i]; k < m.rowStart[i+1]; k++ {
				if !yield(Entry{Row: i, Col: int(m.colIdx[k]), Val: m.vals[k]}) {
					return
				}
			}
		}
	}
}

// MulVec sets res = M·z. len(res) must be Rows() and len(z) Cols().
func (m *Sparse) MulVec(res, z []goldilocks.Element) error {
	if len(res) != m.rows || len(z) != m.cols {
		return fmt.Errorf("mle: MulVec of a %d×%d matrix with a vector of %d into %d entries: %w", m.rows, m.cols, len(z), len(res), ErrLength)
	}
	parallel.For(m.rows, m.rowGrain(), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			res[i] = m.rowDot(i, z)
		}
	})
	return nil
}

// MulVecK sets res = M·v over K, res[i] = Σ_j M[i][j]·v[j]: the mat-vec of
// a CCS matrix with a vector that already lives in K, such as a combination
// of tables bound at a sum-check point. len(res) must be Rows() and len(v)
// Cols(); res must not overlap v.
func (m *Sparse) MulVecK(res, v []K) error {
	if len(res) != m.rows || len(v) != m.cols {
		return fmt.Errorf("mle: MulVecK of a %d×%d matrix with a vector of %d into %d entries: %w", m.rows, m.cols, len(v), len(res), ErrLength)
	}
	parallel.For(m.rows, m.rowGrain(), func(lo, hi int) {
		var a0, a1, p goldilocks.Element
		for i := lo; i < hi; i++ {
			// Each coordinate of K times the entry of F: two base products,
			// not a product in K.
			a0.SetZero()
			a1.SetZero()
			for k := m.rowStart[i]; k < m.rowStart[i+1]; k++ {
				vj := &v[m.colIdx[k]]
				p.Mul(&vj.A0, &m.vals[k])
				a0.Add(&a0, &p)
				p.Mul(&vj.A1, &m.vals[k])
				a1.Add(&a1, &p)
			}
			res[i] = K{A0: a0, A1: a1}
		}
	})
	return nil
}

// MulVecTK sets res = Mᵀ·v over K, res[j] = Σ_i M[i][j]·v[i]: with v the eq
// table of a point r it gives the evaluations of M̃(r, ·) that folding
// reduces a CCS claim to. len(res) must be Cols() and len(v) exactly Rows():
// the eq table of a point, 2^ℓ entries, is passed as v[:Rows()] for a matrix
// whose rows are not a power of two (the rows beyond are zero).
func (m *Sparse) MulVecTK(res, v []K) error {
	if len(res) != m.cols || len(v) != m.rows {
		return fmt.Errorf("mle: MulVecTK of the transpose of a %d×%d matrix with a vector of %d into %d entries: %w", m.rows, m.cols, len(v), len(res), ErrLength)
	}
	clear(res)
	// Rows scatter into shared columns, so each goroutine sums into its own
	// copy of res and the copies are added up afterwards, split by column.
	w := parallel.Workers(len(m.vals), grain)
	parts := make([][]K, w)
	parts[0] = res
	for c := 1; c < w; c++ {
		parts[c] = make([]K, m.cols)
	}
	parallel.Split(m.rows, w, func(c, lo, hi int) {
		acc := parts[c]
		var t K
		for i := lo; i < hi; i++ {
			vi := &v[i]
			for k := m.rowStart[i]; k < m.rowStart[i+1]; k++ {
				t.A0.Mul(&vi.A0, &m.vals[k])
				t.A1.Mul(&vi.A1, &m.vals[k])
				a := &acc[m.colIdx[k]]
				a.Add(a, &t)
			}
		}
	})
	if w > 1 {
		parallel.For(m.cols, grain, func(lo, hi int) {
			for c := 1; c < w; c++ {
				for j := lo; j < hi; j++ {
					res[j].Add(&res[j], &parts[c][j])
				}
			}
		})
	}
	return nil
}

// EvaluateMulVec returns the multilinear extension of M·z, its rows padded
// with zeros to 2^len(r), at r: Σ_i eq(r, i)·(M·z)_i. len(z) must be Cols()
// and Rows() at most 2^len(r).
func (m *Sparse) EvaluateMulVec(z []goldilocks.Element, r []K) (K, error) {
	if len(z) != m.cols || len(r) > MaxVars || m.rows > 1<<len(r) {
		return K{}, fmt.Errorf("mle: EvaluateMulVec of a %d×%d matrix with a vector of %d at a point of %d coordinates: %w", m.rows, m.cols, len(z), len(r), ErrLength)
	}
	// Rows below 2^ℓ' with ℓ' = NumVars(rows) have their top len(r) − ℓ'
	// index bits zero, so eq(r, i) = Π_{j<len(r)−ℓ'} (1 − r_j) · eq(r', i)
	// over the last ℓ' coordinates r': the table stays the size of the
	// matrix, however many variables the point has.
	top := len(r) - NumVars(m.rows)
	var scale, one, t K
	scale.SetOne()
	one.SetOne()
	for j := range top {
		t.Sub(&one, &r[j])
		scale.Mul(&scale, &t)
	}
	eq, err := EqTable(r[top:])
	if err != nil {
		return K{}, err
	}

	parts := make([]K, parallel.Workers(m.rows, m.rowGrain()))
	parallel.Split(m.rows, len(parts), func(c, lo, hi int) {
		var a0, a1, p goldilocks.Element
		for i := lo; i < hi; i++ {
			y := m.rowDot(i, z)
			p.Mul(&eq[i].A0, &y)
			a0.Add(&a0, &p)
			p.Mul(&eq[i].A1, &y)
			a1.Add(&a1, &p)
		}
		parts[c] = K{A0: a0, A1: a1}
	})
	var sum K
	for i := range parts {
		sum.Add(&sum, &parts[i])
	}
	sum.Mul(&sum, &scale)
	return sum, nil
}

// rowDot returns row i of M times z.
func (m *Sparse) rowDot(i int, z []goldilocks.Element) goldilocks.Element {
	var acc, p goldilocks.Element
	for k := m.rowStart[i]; k < m.rowStart[i+1]; k++ {
		p.Mul(&m.vals[k], &z[m.colIdx[k]])
		acc.Add(&acc, &p)
	}
	return acc
}

// rowGrain is the number of rows from which a row loop is split across
// cores: rows holding about grain entries in all.
func (m *Sparse) rowGrain() int {
	perRow := max(1, len(m.vals)/max(1, m.rows))
	return max(64, grain/perRow)
}
