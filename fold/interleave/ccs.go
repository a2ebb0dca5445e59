package interleave

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/mle"
)

// stepCCS holds each supported layout's step CCS, built on first use: it
// depends on the number of rows alone and is immutable.
var stepCCS = func() map[int]func() (*ccs.CCS, error) {
	m := make(map[int]func() (*ccs.CCS, error), len(stepRows))
	for _, rows := range stepRows {
		m[rows] = sync.OnceValues(func() (*ccs.CCS, error) { return buildCCS(rows) })
	}
	return m
}()

// CCS returns the step CCS of l (ARITH.md § 7.1): the R1CS (A·z) ∘ (B·z) =
// C·z of the constraint tables over a step's witness z, the header
// constraints on row 0, then the row constraints on each of rows 1 … R−1, in
// table order, so that the first constraint z violates is the first
// violation Check finds once its range checks are set aside (the folding
// proof makes those with digit planes, not constraints). The public input is
// x = z[:XLen], and the constant 1 the tables' One stands for is x[0].
//
// NumConstraints() is l.NumConstraints(), NumVariables() is Cells(). The CCS
// is built once per layout and shared.
func (l *Layout) CCS() (*ccs.CCS, error) {
	get, ok := stepCCS[l.Rows]
	if !ok {
		return nil, fmt.Errorf("%w: %d rows per step (want one of %v)", ErrLayout, l.Rows, stepRows)
	}
	return get()
}

func buildCCS(rows int) (*ccs.CCS, error) {
	l := &Layout{Rows: rows}
	// The three matrices are independent, so they are built concurrently.
	var (
		ms   [3]*mle.Sparse
		errs [3]error
		wg   sync.WaitGroup
	)
	for k := range ms {
		wg.Go(func() { ms[k], errs[k] = l.matrix(k) })
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("interleave: step CCS of %d rows: %w", rows, err)
	}
	s, err := ccs.FromR1CS(ms[0], ms[1], ms[2], XLen)
	if err != nil {
		return nil, fmt.Errorf("interleave: step CCS of %d rows: %w", rows, err)
	}
	return s, nil
}

// tableEntry is a term of one of a table's linear forms, its coefficient
// already in F: the rows of the step repeat each table, so the work of
// reading it is done once per table, not once per row.
type tableEntry struct {
	con int // the constraint's index in the table
	v   Var
	val goldilocks.Element
}

// formOf returns the terms of form k (0 A, 1 B, 2 C) of t's constraints as
// placed on step row r: constraint by constraint, each one's terms in
// increasing column order, those at the same column summed and zeros
// dropped, the row-major order mle.NewSparseSorted takes. Every row strictly
// between the first and the last places a variable at the same offset from
// the row's start (the constant at column 0, before them all), so one such
// row's order and merging serve them all.
func (l *Layout) formOf(t []Constraint, k, r int) []tableEntry {
	type placed struct {
		col int
		tableEntry
	}
	n := 0
	for _, c := range t {
		n += len([3]Lin{c.A, c.B, c.C}[k])
	}
	es := make([]tableEntry, 0, n)
	var ps []placed
	for i, c := range t {
		ps = ps[:0]
		for _, term := range [3]Lin{c.A, c.B, c.C}[k] {
			var v goldilocks.Element
			v.SetInt64(term.Coeff)
			ps = append(ps, placed{l.column(r, term.Var), tableEntry{con: i, v: term.Var, val: v}})
		}
		slices.SortFunc(ps, func(a, b placed) int { return cmp.Compare(a.col, b.col) })
		for j := 0; j < len(ps); {
			e := ps[j].tableEntry
			for j++; j < len(ps) && ps[j].col == ps[j-1].col; j++ {
				e.val.Add(&e.val, &ps[j].val)
			}
			if !e.val.IsZero() {
				es = append(es, e)
			}
		}
	}
	return es
}

// matrix returns matrix k (0 A, 1 B, 2 C) of l's step CCS: the header
// table's form k on row 0, then the row table's on rows 1 … R−1, emitted in
// row-major order so that no sort is needed to build it.
func (l *Layout) matrix(k int) (*mle.Sparse, error) {
	last := l.Rows - 1
	header, middle, end := l.formOf(headerTable, k, 0), l.formOf(rowTable, k, 1), l.formOf(rowTable, k, last)
	es := make([]mle.Entry, 0, len(header)+max(0, last-1)*len(middle)+len(end))
	for _, e := range header {
		es = append(es, mle.Entry{Row: e.con, Col: l.column(0, e.v), Val: e.val})
	}
	for r := 1; r <= last; r++ {
		form := middle
		if r == last {
			form = end
		}
		first := len(headerTable) + (r-1)*len(rowTable)
		for _, e := range form {
			es = append(es, mle.Entry{Row: first + e.con, Col: l.column(r, e.v), Val: e.val})
		}
	}
	return mle.NewSparseSorted(l.NumConstraints(), l.Cells(), es)
}

// column is the index in z of variable v on row r, as at resolves it: the
// constant is x[0], and the next row's state is y_next in the header for the
// last row.
func (l *Layout) column(r int, v Var) int {
	switch {
	case v == One:
		return 0
	case v < Width:
		return r*Width + int(v)
	}
	k := int(v) - Width
	if r == l.Rows-1 {
		return xNext + k
	}
	return (r+1)*Width + k
}

// NumConstraints returns the number of constraints of l's step CCS.
func (l *Layout) NumConstraints() int {
	return len(headerTable) + (l.Rows-1)*len(rowTable)
}

// Constraint returns the step row and the table constraint that constraint i
// of the step CCS is; ok is false when i is not one of its constraints.
func (l *Layout) Constraint(i int) (row int, c Constraint, ok bool) {
	if i < 0 || i >= l.NumConstraints() {
		return 0, Constraint{}, false
	}
	if i < len(headerTable) {
		return 0, headerTable[i], true
	}
	i -= len(headerTable)
	return 1 + i/len(rowTable), rowTable[i%len(rowTable)], true
}

// ConstraintName names constraint i of the step CCS by its row and its name
// in the table, for errors and logs.
func (l *Layout) ConstraintName(i int) string {
	r, c, ok := l.Constraint(i)
	if !ok {
		return "constraint " + strconv.Itoa(i) + " (none of the step's)"
	}
	return "row " + strconv.Itoa(r) + ": " + c.Name
}

// CheckCCS checks step s's witness z against the step CCS. An unsatisfied
// step is reported as Check reports it, a *RowError naming the row, its op
// and the constraint, which is joined with the *ccs.UnsatisfiedError so that
// both errors.As and errors.Is(err, ccs.ErrUnsatisfied) see it.
func (l *Layout) CheckCCS(s int, z []goldilocks.Element) error {
	sys, err := l.CCS()
	if err != nil {
		return err
	}
	err = sys.Check(z)
	var unsat *ccs.UnsatisfiedError
	if !errors.As(err, &unsat) {
		if err != nil {
			return fmt.Errorf("interleave: step %d: %w", s, err)
		}
		return nil
	}
	r, c, _ := l.Constraint(unsat.Row)
	op := OpNone
	if r > 0 {
		op = rowOp(z[r*Width : (r+1)*Width])
	}
	return fmt.Errorf("%w: %w", &RowError{Step: s, Row: r, Op: op, Cell: -1, Constraint: c.Name}, err)
}

// Chain returns the IVC chain of w's steps for fold/neo: every step has the
// layout's CCS, its public input x = (1, y_prev, y_next) and its witness z,
// which the chain shares with w; the spec names the constant x[0], y_prev
// at x[1:14] and y_next at x[14:27], and the chain starts from w.Y0. It does
// not check the steps: ccs.Chain.Check, which neo.ProveChain runs, does.
func (w *Witness) Chain() (*ccs.Chain, error) {
	if w.Layout == nil {
		return nil, fmt.Errorf("%w: a witness without a layout", ErrLayout)
	}
	sys, err := w.Layout.CCS()
	if err != nil {
		return nil, err
	}
	if len(w.Y0) != StateLen {
		return nil, fmt.Errorf("%w: y0 has %d cells, want %d", ErrLayout, len(w.Y0), StateLen)
	}
	c := &ccs.Chain{
		Name: "interleave/" + strconv.Itoa(w.Layout.Rows),
		Y0:   slices.Clone(w.Y0),
		Spec: ccs.StepSpec{YLen: StateLen, Const1: 0, YPrev: indices(xPrev), YStep: indices(xNext)},
	}
	per := w.Layout.Rows - 1
	for s, z := range w.Steps {
		if len(z) != w.Layout.Cells() {
			return nil, fmt.Errorf("%w: step %d has %d cells, want %d", ErrLayout, s, len(z), w.Layout.Cells())
		}
		c.Steps = append(c.Steps, ccs.Step{
			Index:       s,
			Instruction: fmt.Sprintf("trace rows %d–%d", s*per, (s+1)*per-1),
			CCS:         sys,
			Public:      slices.Clone(z[:XLen]),
			Z:           z,
		})
	}
	return c, nil
}

// indices returns the StateLen indices of x from start on.
func indices(start int) []int {
	out := make([]int, StateLen)
	for k := range out {
		out[k] = start + k
	}
	return out
}
