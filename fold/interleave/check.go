package interleave

import (
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/parallel"
)

// Check evaluates the constraint tables on step s's witness z (Rows·Width
// cells, row-major, row 0 the header) and checks that every cell is below
// 2^32 in magnitude (the S32 bound the folding proof enforces, ARITH.md § 4.1).
// It returns a *RowError for the first violation, naming the row's op and the
// constraint. Memory consistency is not checked: port cells are taken as the
// values memory holds.
func (l *Layout) Check(s int, z []goldilocks.Element) error {
	if len(z) != l.Cells() {
		return fmt.Errorf("%w: step %d has %d cells, want %d", ErrLayout, s, len(z), l.Cells())
	}
	// Rows are independent: they are checked in parallel chunks, each
	// stopping at its first violation, and the first chunk's that has one
	// is the first row's.
	w := parallel.Workers(l.Rows, checkGrain)
	errs := make([]error, w)
	parallel.Split(l.Rows, w, func(part, lo, hi int) {
		for r := lo; r < hi; r++ {
			if err := l.checkRow(s, z, r); err != nil {
				errs[part] = err
				return
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkGrain is the fewest rows a goroutine of Check takes: a row is some
// 250 constraint evaluations.
const checkGrain = 16

// checkRow is Check of row r alone.
func (l *Layout) checkRow(s int, z []goldilocks.Element, r int) error {
	op := OpNone
	if r > 0 {
		op = rowOp(z[r*Width : (r+1)*Width])
	}
	for c := range Width {
		if !inS32(&z[r*Width+c]) {
			return &RowError{Step: s, Row: r, Op: op, Cell: c, Constraint: rangeName(op, c)}
		}
	}
	table := rowTable
	if r == 0 {
		table = headerTable
	}
	for i := range table {
		if !l.holds(&table[i], z, r) {
			return &RowError{Step: s, Row: r, Op: op, Cell: -1, Constraint: table[i].Name}
		}
	}
	return nil
}

// holds evaluates A·B = C on row r.
func (l *Layout) holds(c *Constraint, z []goldilocks.Element, r int) bool {
	a, b, want := l.eval(c.A, z, r), l.eval(c.B, z, r), l.eval(c.C, z, r)
	var got goldilocks.Element
	got.Mul(&a, &b)
	return got.Equal(&want)
}

func (l *Layout) eval(lin Lin, z []goldilocks.Element, r int) goldilocks.Element {
	var acc, k, t goldilocks.Element
	for _, term := range lin {
		k.SetInt64(term.Coeff)
		t.Mul(&k, l.at(z, r, term.Var))
		acc.Add(&acc, &t)
	}
	return acc
}

var one = goldilocks.One()

// modulus is the Goldilocks prime q = 2^64 − 2^32 + 1.
const modulus = 0xFFFFFFFF00000001

// at resolves v on row r: the row's own cell, the next row's state (for the
// last row, y_next in the header; for the header, row 1's), or 1.
func (l *Layout) at(z []goldilocks.Element, r int, v Var) *goldilocks.Element {
	switch {
	case v == One:
		return &one
	case v < Width:
		return &z[r*Width+int(v)]
	}
	k := int(v) - Width
	if r == l.Rows-1 {
		return &z[xNext+k]
	}
	return &z[(r+1)*Width+k]
}

// rowOp is the op whose selector is set in a row, OpNone if none is 1.
func rowOp(row []goldilocks.Element) Op {
	for i := range NumOps {
		if row[CellSel+i].IsOne() {
			return Op(i + 1)
		}
	}
	return OpNone
}

// inS32 reports whether |v| < 2^32 for v's balanced representative.
func inS32(v *goldilocks.Element) bool {
	x := v.Uint64()
	return x < 1<<32 || x > modulus-1<<32
}

// rangeName names the range check of cell c on a row of op: the unsigned
// check that defines c for op (ARITH.md § 4.2), or the plain bound.
func rangeName(op Op, c int) string {
	for i := range rowTable {
		k := &rowTable[i]
		if slices.Contains(k.Ops, op) && (c == CellU1 || c == CellU2 || c == CellU3) && slices.Contains(k.B, Term{Var(c), 1}) {
			return k.Name + " is not ≥ 0 (S32)"
		}
	}
	return "not below 2^32 in magnitude (S32)"
}
