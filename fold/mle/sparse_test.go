package mle

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// The helpers here carry a sparse prefix: the package's other test files
// belong to other work and must not clash with them.

func sparseRandF(rng *rand.Rand) goldilocks.Element {
	var x goldilocks.Element
	x.SetUint64(rng.Uint64())
	return x
}

func sparseRandK(rng *rand.Rand) K {
	return K{A0: sparseRandF(rng), A1: sparseRandF(rng)}
}

// sparseRandEntries returns about nnz random entries of a rows×cols matrix,
// some of them at repeated positions and some zero, as exporters write them.
func sparseRandEntries(rng *rand.Rand, rows, cols, nnz int) []Entry {
	if rows == 0 || cols == 0 {
		return nil
	}
	es := make([]Entry, 0, nnz+nnz/8)
	for range nnz {
		e := Entry{Row: rng.IntN(rows), Col: rng.IntN(cols), Val: sparseRandF(rng)}
		switch rng.IntN(16) {
		case 0:
			e.Val.SetZero()
		case 1:
			// A duplicate that cancels its twin: the position must vanish.
			var neg goldilocks.Element
			neg.Neg(&e.Val)
			es = append(es, Entry{Row: e.Row, Col: e.Col, Val: neg})
		case 2:
			es = append(es, Entry{Row: e.Row, Col: e.Col, Val: sparseRandF(rng)})
		}
		es = append(es, e)
	}
	return es
}

// sparseDense sums the entries into a dense matrix, the reference every
// product below is checked against.
func sparseDense(rows, cols int, es []Entry) [][]goldilocks.Element {
	d := make([][]goldilocks.Element, rows)
	for i := range d {
		d[i] = make([]goldilocks.Element, cols)
	}
	for _, e := range es {
		d[e.Row][e.Col].Add(&d[e.Row][e.Col], &e.Val)
	}
	return d
}

// sparseNaiveMLE returns Σ_i eq(r, bits(i))·y_i from the definition, one
// Eq per row, independent of the eq tables and of the vector kernels.
func sparseNaiveMLE(t *testing.T, y []goldilocks.Element, r []K) K {
	t.Helper()
	var sum K
	x := make([]K, len(r))
	for i := range y {
		for j := range x {
			x[j] = K{}
			if i>>(len(r)-1-j)&1 == 1 {
				x[j].SetOne()
			}
		}
		e, err := Eq(x, r)
		if err != nil {
			t.Fatal(err)
		}
		e.MulByElement(&e, &y[i])
		sum.Add(&sum, &e)
	}
	return sum
}

// sparseShapes are odd shapes, empty ones, and two large enough to run the
// parallel paths (more entries than grain).
var sparseShapes = []struct{ rows, cols, nnz int }{
	{0, 0, 0}, {0, 5, 0}, {5, 0, 0}, {1, 1, 1}, {1, 1, 4}, {3, 7, 10},
	{7, 3, 30}, {17, 1, 20}, {1, 33, 40}, {100, 100, 5}, {129, 65, 700},
	{3001, 257, 20000}, {40000, 37, 50000},
}

func TestSparseMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sh := range sparseShapes {
		t.Run(fmt.Sprintf("%dx%d", sh.rows, sh.cols), func(t *testing.T) {
			es := sparseRandEntries(rng, sh.rows, sh.cols, sh.nnz)
			m, err := NewSparse(sh.rows, sh.cols, es)
			if err != nil {
				t.Fatal(err)
			}
			d := sparseDense(sh.rows, sh.cols, es)
			if m.Rows() != sh.rows || m.Cols() != sh.cols {
				t.Fatalf("shape %d×%d, want %d×%d", m.Rows(), m.Cols(), sh.rows, sh.cols)
			}

			// Entries: exactly the nonzero dense entries, row-major.
			var want []Entry
			for i := range d {
				for j := range d[i] {
					if !d[i][j].IsZero() {
						want = append(want, Entry{Row: i, Col: j, Val: d[i][j]})
					}
				}
			}
			got := slices.Collect(m.Entries())
			if !slices.Equal(got, want) {
				t.Fatalf("entries differ from the dense matrix: %d entries, want %d", len(got), len(want))
			}
			if m.NonZeros() != len(want) {
				t.Fatalf("NonZeros() = %d, want %d", m.NonZeros(), len(want))
			}

			z := make([]goldilocks.Element, sh.cols)
			for j := range z {
				z[j] = sparseRandF(rng)
			}
			mz := make([]goldilocks.Element, sh.rows)
			for i := range mz {
				for j := range z {
					var p goldilocks.Element
					p.Mul(&d[i][j], &z[j])
					mz[i].Add(&mz[i], &p)
				}
			}
			res := make([]goldilocks.Element, sh.rows)
			if err := m.MulVec(res, z); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res, mz) {
				t.Fatal("MulVec differs from the dense product")
			}

			u := make([]K, sh.cols)
			for j := range u {
				u[j] = sparseRandK(rng)
			}
			mu := make([]K, sh.rows)
			for i := range mu {
				for j := range u {
					var p K
					p.MulByElement(&u[j], &d[i][j])
					mu[i].Add(&mu[i], &p)
				}
			}
			resMu := make([]K, sh.rows)
			for i := range resMu {
				resMu[i] = sparseRandK(rng) // overwritten, not accumulated into
			}
			if err := m.MulVecK(resMu, u); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(resMu, mu) {
				t.Fatal("MulVecK differs from the dense product")
			}

			v := make([]K, sh.rows)
			for i := range v {
				v[i] = sparseRandK(rng)
			}
			mtv := make([]K, sh.cols)
			for j := range mtv {
				for i := range v {
					var p K
					p.MulByElement(&v[i], &d[i][j])
					mtv[j].Add(&mtv[j], &p)
				}
			}
			resK := make([]K, sh.cols)
			for j := range resK {
				resK[j] = sparseRandK(rng) // overwritten, not accumulated into
			}
			if err := m.MulVecTK(resK, v); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(resK, mtv) {
				t.Fatal("MulVecTK differs from the dense transposed product")
			}

			// The MLE of M·z at r for every number of variables that holds
			// the rows, up to three more than needed.
			for ell := NumVars(sh.rows); ell <= NumVars(sh.rows)+3; ell++ {
				r := make([]K, ell)
				for j := range r {
					r[j] = sparseRandK(rng)
				}
				wantEval := sparseNaiveMLE(t, mz, r)
				gotEval, err := m.EvaluateMulVec(z, r)
				if err != nil {
					t.Fatal(err)
				}
				if gotEval != wantEval {
					t.Fatalf("EvaluateMulVec at %d variables differs from evaluating the padded product", ell)
				}
			}
		})
	}
}

func TestSparseCanonical(t *testing.T) {
	one, two, three := goldilocks.NewElement(1), goldilocks.NewElement(2), goldilocks.NewElement(3)
	var minusThree goldilocks.Element
	minusThree.Neg(&three)
	// Unordered, split into duplicates, with a zero and a cancelling pair.
	a, err := NewSparse(2, 3, []Entry{
		{1, 2, one}, {0, 1, one}, {1, 2, one}, {0, 0, three}, {1, 0, goldilocks.Element{}},
		{0, 2, three}, {0, 2, minusThree},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewSparse(2, 3, []Entry{{0, 0, three}, {0, 1, one}, {1, 2, two}})
	if err != nil {
		t.Fatal(err)
	}
	ga, gb := slices.Collect(a.Entries()), slices.Collect(b.Entries())
	if !slices.Equal(ga, gb) {
		t.Fatalf("entries %v, want %v", ga, gb)
	}
}

func TestSparseEntriesStop(t *testing.T) {
	m, err := NewSparse(2, 2, []Entry{{0, 0, goldilocks.NewElement(1)}, {1, 1, goldilocks.NewElement(1)}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range m.Entries() {
		n++
		break
	}
	if n != 1 {
		t.Fatalf("a loop broken after the first entry saw %d", n)
	}
}

func TestSparseErrors(t *testing.T) {
	one := goldilocks.NewElement(1)
	for _, tc := range []struct {
		name       string
		rows, cols int
		es         []Entry
	}{
		{"negative rows", -1, 2, nil},
		{"negative cols", 2, -1, nil},
		{"rows above MaxDim", MaxDim + 1, 1, nil},
		{"cols above MaxDim", 1, MaxDim + 1, nil},
		{"row past the end", 2, 2, []Entry{{2, 0, one}}},
		{"col past the end", 2, 2, []Entry{{0, 2, one}}},
		{"negative row", 2, 2, []Entry{{-1, 0, one}}},
		{"negative col", 2, 2, []Entry{{0, -1, one}}},
		{"entry of an empty matrix", 0, 0, []Entry{{0, 0, one}}},
	} {
		if _, err := NewSparse(tc.rows, tc.cols, tc.es); !errors.Is(err, ErrIndex) {
			t.Errorf("%s: got %v, want ErrIndex", tc.name, err)
		}
	}

	m, err := NewSparse(3, 4, []Entry{{0, 0, one}, {2, 3, one}})
	if err != nil {
		t.Fatal(err)
	}
	f := func(n int) []goldilocks.Element { return make([]goldilocks.Element, n) }
	k := func(n int) []K { return make([]K, n) }
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"MulVec short z", m.MulVec(f(3), f(3))},
		{"MulVec long z", m.MulVec(f(3), f(5))},
		{"MulVec short res", m.MulVec(f(2), f(4))},
		{"MulVec nil", m.MulVec(nil, nil)},
		{"MulVecK short v", m.MulVecK(k(3), k(3))},
		{"MulVecK long v", m.MulVecK(k(3), k(5))},
		{"MulVecK short res", m.MulVecK(k(2), k(4))},
		{"MulVecK swapped", m.MulVecK(k(4), k(3))},
		{"MulVecK nil", m.MulVecK(nil, nil)},
		{"MulVecTK short v", m.MulVecTK(k(4), k(2))},
		{"MulVecTK short res", m.MulVecTK(k(3), k(3))},
		{"MulVecTK swapped", m.MulVecTK(k(3), k(4))},
		{"EvaluateMulVec point too short", func() error { _, err := m.EvaluateMulVec(f(4), k(1)); return err }()},
		{"EvaluateMulVec point too long", func() error { _, err := m.EvaluateMulVec(f(4), k(MaxVars+1)); return err }()},
		{"EvaluateMulVec short z", func() error { _, err := m.EvaluateMulVec(f(3), k(2)); return err }()},
	} {
		if !errors.Is(tc.err, ErrLength) {
			t.Errorf("%s: got %v, want ErrLength", tc.name, tc.err)
		}
	}

	// A point of MaxVars coordinates is fine for a small matrix: the table
	// built stays the size of the matrix.
	var r [MaxVars]K
	got, err := m.EvaluateMulVec([]goldilocks.Element{one, one, one, one}, r[:])
	if err != nil {
		t.Fatal(err)
	}
	// r = 0 picks row 0, (M·1)_0 = 1.
	if want := (K{A0: one}); got != want {
		t.Fatalf("EvaluateMulVec at 0 = %v, want %v", got, want)
	}
}

func BenchmarkSparse(b *testing.B) {
	const rows, cols, perRow = 1 << 16, 1 << 16, 8
	rng := rand.New(rand.NewPCG(3, 4))
	es := make([]Entry, 0, rows*perRow)
	for i := range rows {
		for range perRow {
			es = append(es, Entry{Row: i, Col: rng.IntN(cols), Val: sparseRandF(rng)})
		}
	}
	m, err := NewSparse(rows, cols, es)
	if err != nil {
		b.Fatal(err)
	}
	z := make([]goldilocks.Element, cols)
	for j := range z {
		z[j] = sparseRandF(rng)
	}
	v := make([]K, rows)
	for i := range v {
		v[i] = sparseRandK(rng)
	}
	r := make([]K, NumVars(rows))
	for j := range r {
		r[j] = sparseRandK(rng)
	}
	nnz := float64(m.NonZeros())
	report := func(b *testing.B) {
		b.ReportMetric(nnz*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	}
	b.Run("MulVec", func(b *testing.B) {
		res := make([]goldilocks.Element, rows)
		for b.Loop() {
			if err := m.MulVec(res, z); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("MulVecK", func(b *testing.B) {
		u := make([]K, cols)
		for j := range u {
			u[j] = sparseRandK(rng)
		}
		res := make([]K, rows)
		for b.Loop() {
			if err := m.MulVecK(res, u); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("MulVecTK", func(b *testing.B) {
		res := make([]K, cols)
		for b.Loop() {
			if err := m.MulVecTK(res, v); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("EvaluateMulVec", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.EvaluateMulVec(z, r); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
}

// sparseSameLayout reports whether a and b are the same matrix in the same
// internal form, empty slices and nil alike.
func sparseSameLayout(a, b *Sparse) bool {
	return a.rows == b.rows && a.cols == b.cols &&
		slices.Equal(a.rowStart, b.rowStart) && slices.Equal(a.colIdx, b.colIdx) && slices.Equal(a.vals, b.vals)
}

// sparseRowMajor returns random entries of a rows×cols matrix in row-major
// order, each position present with probability density, some of them zero.
func sparseRowMajor(rng *rand.Rand, rows, cols int, density float64) []Entry {
	var es []Entry
	for i := range rows {
		for j := range cols {
			if rng.Float64() >= density {
				continue
			}
			e := Entry{Row: i, Col: j, Val: sparseRandF(rng)}
			if rng.IntN(16) == 0 {
				e.Val.SetZero()
			}
			es = append(es, e)
		}
	}
	return es
}

func TestSparseSortedMatchesNewSparse(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	shapes := []struct {
		rows, cols int
		density    float64
	}{
		{0, 0, 0}, {0, 7, 0}, {7, 0, 0}, {1, 1, 1}, {1, 1, 0.5}, {2, 2, 1}, {3, 5, 0.5},
		{1, 1000, 0.3},      // one row
		{1, 1 << 17, 0.001}, // wide, one row
		{4, 100000, 0.0005}, // wide
		{1000, 3, 0.1},      // tall, most rows empty
		{200, 200, 0.02},    // empty rows between full ones
		{129, 65, 0.1},
		{3001, 257, 0.03},
	}
	for _, sh := range shapes {
		t.Run(fmt.Sprintf("%dx%d/%g", sh.rows, sh.cols, sh.density), func(t *testing.T) {
			es := sparseRowMajor(rng, sh.rows, sh.cols, sh.density)
			got, err := NewSparseSorted(sh.rows, sh.cols, es)
			if err != nil {
				t.Fatal(err)
			}
			// NewSparse gets the same entries shuffled: it must not lean on
			// their order to agree.
			shuffled := slices.Clone(es)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			want, err := NewSparse(sh.rows, sh.cols, shuffled)
			if err != nil {
				t.Fatal(err)
			}
			if !sparseSameLayout(got, want) {
				t.Fatalf("NewSparseSorted of %d entries differs from NewSparse: %d nonzeros, want %d", len(es), got.NonZeros(), want.NonZeros())
			}
		})
	}
}

// Empty rows before, between and after the entries start and end where the
// previous row ends.
func TestSparseSortedEmptyRows(t *testing.T) {
	one, two := goldilocks.NewElement(1), goldilocks.NewElement(2)
	m, err := NewSparseSorted(5, 3, []Entry{{1, 0, one}, {1, 2, two}, {3, 1, one}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 0, 2, 2, 3, 3}; !slices.Equal(m.rowStart, want) {
		t.Fatalf("row starts %v, want %v", m.rowStart, want)
	}
}

func TestSparseSortedErrors(t *testing.T) {
	one := goldilocks.NewElement(1)
	var zero goldilocks.Element
	for _, tc := range []struct {
		name       string
		rows, cols int
		es         []Entry
		entry      string // how the error must name the offending entry
	}{
		{"negative rows", -1, 2, nil, ""},
		{"cols above MaxDim", 1, MaxDim + 1, nil, ""},
		{"row past the end", 2, 2, []Entry{{0, 0, one}, {2, 0, one}}, "entry 1 "},
		{"negative col", 2, 2, []Entry{{0, -1, one}}, "entry 0 "},
		{"rows descending", 3, 3, []Entry{{0, 0, one}, {2, 0, one}, {1, 2, one}}, "entry 2 "},
		{"cols descending", 3, 3, []Entry{{1, 0, one}, {1, 2, one}, {1, 1, one}}, "entry 2 "},
		{"repeated position", 3, 3, []Entry{{0, 1, one}, {0, 1, one}}, "entry 1 "},
		{"repeated position, second zero", 3, 3, []Entry{{2, 2, one}, {2, 2, zero}}, "entry 1 "},
		{"repeated position, first zero", 3, 3, []Entry{{2, 2, zero}, {2, 2, one}}, "entry 1 "},
		{"column order across rows", 3, 3, []Entry{{0, 1, one}, {1, 0, one}, {0, 2, one}}, "entry 2 "},
	} {
		_, err := NewSparseSorted(tc.rows, tc.cols, tc.es)
		if !errors.Is(err, ErrIndex) {
			t.Errorf("%s: got %v, want ErrIndex", tc.name, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.entry) {
			t.Errorf("%s: %q does not name %q", tc.name, err, tc.entry)
		}
	}
}

// BenchmarkNewSparse builds one matrix from the same row-major entries
// with NewSparse, the reference, and NewSparseSorted.
func BenchmarkNewSparse(b *testing.B) {
	const rows, cols, perRow = 1 << 16, 1 << 16, 8
	rng := rand.New(rand.NewPCG(7, 8))
	es := make([]Entry, 0, rows*perRow)
	for i := range rows {
		row := make([]int, 0, perRow)
		for range perRow {
			row = append(row, rng.IntN(cols))
		}
		slices.Sort(row)
		for _, j := range slices.Compact(row) {
			es = append(es, Entry{Row: i, Col: j, Val: sparseRandF(rng)})
		}
	}
	for _, c := range []struct {
		name string
		f    func(int, int, []Entry) (*Sparse, error)
	}{{"NewSparse", NewSparse}, {"NewSparseSorted", NewSparseSorted}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.f(rows, cols, es); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(es))*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}
