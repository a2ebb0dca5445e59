package lookup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/internal/parallel"
)

// ErrNotInTable is wrapped by the error about an input whose tuple is not a
// row of the table it is looked up in.
var ErrNotInTable = errors.New("lookup: input not in the table")

// MaxRangeBits bounds RangeTable: the prover holds the table in memory,
// 2^24 rows are 128 MiB.
const MaxRangeBits = 24

// Multiplicities returns, for each row of table, how many rows of inputs hold
// the same tuple: the numerators of the table's side of a lookup. inputs and
// table are tuple columns, as many of each, of N and T rows. A tuple that
// occurs in several rows of table is counted at the first. The error for an
// input row whose tuple is not in the table names the first such row and
// wraps ErrNotInTable; columns of different lengths or widths are an error
// wrapping ErrShape.
func Multiplicities(inputs, table [][]F) ([]F, error) {
	if len(inputs) != len(table) || len(table) < 1 || len(table) > MaxWidth {
		return nil, fmt.Errorf("lookup: Multiplicities: %d input columns and %d table columns, want as many, 1…%d: %w",
			len(inputs), len(table), MaxWidth, ErrShape)
	}
	for _, cols := range [][][]F{inputs, table} {
		for k, c := range cols {
			if len(c) != len(cols[0]) {
				return nil, fmt.Errorf("lookup: Multiplicities: column %d has %d rows, column 0 has %d: %w",
					k, len(c), len(cols[0]), ErrShape)
			}
		}
	}
	n, t := len(inputs[0]), len(table[0])
	find := rowFinder(table)

	// Each worker counts into its own array; a table larger than the input
	// is counted by one worker, so the arrays never outweigh the columns.
	w := parallel.Workers(n, grain)
	if t > n {
		w = 1
	}
	counts := make([][]uint64, w)
	missing := make([]int, w)
	parallel.Split(n, w, func(c, lo, hi int) {
		cnt := make([]uint64, t)
		missing[c] = -1
		var key []byte
		for i := lo; i < hi; i++ {
			j, ok := find(inputs, i, &key)
			if !ok {
				missing[c] = i
				return
			}
			cnt[j]++
		}
		counts[c] = cnt
	})
	for _, i := range missing {
		if i >= 0 {
			return nil, fmt.Errorf("lookup: Multiplicities: input row %d %s: %w", i, rowString(inputs, i), ErrNotInTable)
		}
	}
	mult := make([]F, t)
	for j := range mult {
		var s uint64
		for _, cnt := range counts {
			s += cnt[j]
		}
		mult[j].SetUint64(s)
	}
	return mult, nil
}

// rowFinder returns a function giving the index of the table row equal to
// row i of cols, using key as scratch. A single column holding 0, 1, …, T−1
// (a range table) is indexed by value; any other table through a map.
func rowFinder(table [][]F) func(cols [][]F, i int, key *[]byte) (int, bool) {
	if len(table) == 1 && isRange(table[0]) {
		t := uint64(len(table[0]))
		return func(cols [][]F, i int, _ *[]byte) (int, bool) {
			v := cols[0][i].Uint64()
			return int(v), v < t
		}
	}
	if len(table) == 1 {
		// Element's word is a bijective (Montgomery) image of the value,
		// good enough as a key.
		index := make(map[uint64]int, len(table[0]))
		for j := len(table[0]) - 1; j >= 0; j-- {
			index[table[0][j][0]] = j
		}
		return func(cols [][]F, i int, _ *[]byte) (int, bool) {
			j, ok := index[cols[0][i][0]]
			return j, ok
		}
	}
	index := make(map[string]int, len(table[0]))
	var key []byte
	for j := len(table[0]) - 1; j >= 0; j-- {
		index[string(rowKey(key[:0], table, j))] = j
	}
	return func(cols [][]F, i int, key *[]byte) (int, bool) {
		*key = rowKey((*key)[:0], cols, i)
		j, ok := index[string(*key)]
		return j, ok
	}
}

// rowKey appends the words of row i of cols to b.
func rowKey(b []byte, cols [][]F, i int) []byte {
	for _, c := range cols {
		b = binary.LittleEndian.AppendUint64(b, c[i][0])
	}
	return b
}

func isRange(col []F) bool {
	for i := range col {
		if col[i].Uint64() != uint64(i) {
			return false
		}
	}
	return true
}

func rowString(cols [][]F, i int) string {
	var sb strings.Builder
	sb.WriteByte('(')
	for k, c := range cols {
		if k > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(c[i].String())
	}
	sb.WriteByte(')')
	return sb.String()
}

// MaxTableWidth is the most columns a table given to Table may have: its
// tuples add the tag.
const MaxTableWidth = MaxWidth - 1

// Table returns the two groups of a lookup of inputs into table (tuple
// columns of 2^n and 2^m rows, as many of each): the inputs, each counted
// once, and the table rows, each counted with a minus sign as many times as
// inputs hold it (Multiplicities, in the second group's Num). Both groups'
// tuples start with tag, a constant column that Table prepends, so the
// groups have one tuple column more than inputs and table. The groups are
// named name+"/inputs" and name+"/table"; TableShapes gives their shapes.
//
// The tag tells this table's tuples from those of every other relation in
// the same argument, so it must be its own (see the package documentation):
// it is below 2^32, and not RangeTag, which the memories' range lookups
// hold. The verifier checks tuple column 0 of both claims with
// CheckConstant(0, tag): the prover, not the verifier, fills that column.
//
// The caller binds the multiplicities into the transcript (commits to them)
// with the columns before Prove. An input not in the table is an error
// wrapping ErrNotInTable that names it; a bad tag or columns of the wrong
// shape are an error wrapping ErrShape.
func Table(name string, tag uint64, inputs, table [][]F) ([]Group, error) {
	if err := checkTag(tag); err != nil {
		return nil, fmt.Errorf("lookup: Table %q: %w", name, err)
	}
	if len(table) > MaxTableWidth {
		return nil, fmt.Errorf("lookup: Table %q: %d table columns, at most %d: %w", name, len(table), MaxTableWidth, ErrShape)
	}
	// The tag is the same on both sides, so the untagged rows count the same.
	mult, err := Multiplicities(inputs, table)
	if err != nil {
		return nil, fmt.Errorf("lookup: Table %q: %w", name, err)
	}
	var t F
	t.SetUint64(tag)
	tagged := func(cols [][]F) [][]F {
		return append([][]F{constant(len(cols[0]), t)}, cols...)
	}
	return []Group{
		{Name: name + "/inputs", Tuple: tagged(inputs)},
		{Name: name + "/table", Num: mult, Tuple: tagged(table), Neg: true},
	}, nil
}

// TableShapes returns the shapes of the groups Table returns for inputs of
// 2^n rows into a table of 2^m rows, both of width columns: width + 1 tuple
// columns with the tag. The shapes do not hold the tag, a value: the
// verifier checks it on the claims (CheckConstant).
func TableShapes(name string, n, m, width int) []Shape {
	return []Shape{
		{Name: name + "/inputs", Vars: n, Width: width + 1},
		{Name: name + "/table", Vars: m, Width: width + 1, HasNum: true, Neg: true},
	}
}

// checkTag returns an error wrapping ErrShape unless tag can tag a relation:
// below 2^32, so that it is a canonical field element whatever the field
// of the tuple entries beside it, and not the range lookups' RangeTag.
func checkTag(tag uint64) error {
	if tag >= 1<<32 || tag == RangeTag {
		return fmt.Errorf("tag %d, want one below 2^32 other than the range lookups' %d: %w", tag, RangeTag, ErrShape)
	}
	return nil
}

// RangeTable returns the column 0, 1, …, 2^bits − 1: the table that proves a
// value is below 2^bits, whose multilinear extension RangeEval evaluates in
// closed form. bits above MaxRangeBits are an error wrapping ErrShape.
func RangeTable(bits int) ([]F, error) {
	if bits < 0 || bits > MaxRangeBits {
		return nil, fmt.Errorf("lookup: RangeTable of %d bits, want 0…%d: %w", bits, MaxRangeBits, ErrShape)
	}
	col := make([]F, 1<<bits)
	for i := range col {
		col[i].SetUint64(uint64(i))
	}
	return col, nil
}

// RangeEval returns the multilinear extension of the range table of len(r)
// bits at r: the table holds its own index i = Σ_j x_j·2^(m−1−j), which is
// already multilinear, so its extension is Σ_j 2^(m−1−j)·r_j.
func RangeEval(r []K) K {
	var acc K
	for j := range r {
		acc.Double(&acc)
		acc.Add(&acc, &r[j])
	}
	return acc
}

// CheckTuple checks the claim on tuple column k against the public column
// values (a fixed table), by evaluating it. A mismatch is an error wrapping
// ErrReject; values of the wrong length or a k out of range wrap ErrShape.
func (c *Claim) CheckTuple(k int, values []F) error {
	if k < 0 || k >= len(c.Tuple) {
		return fmt.Errorf("lookup: group %q: tuple column %d of %d: %w", c.Group, k, len(c.Tuple), ErrShape)
	}
	return c.check(fmt.Sprintf("tuple column %d", k), c.Tuple[k], values)
}

// CheckNum checks the claim on the numerators against the public column
// values, by evaluating it, as CheckTuple does.
func (c *Claim) CheckNum(values []F) error {
	return c.check("Num", c.Num, values)
}

func (c *Claim) check(what string, claimed K, values []F) error {
	v, err := mle.EvaluateBase(values, c.Point)
	if err != nil {
		return fmt.Errorf("lookup: group %q: %s: %w: %w", c.Group, what, ErrShape, err)
	}
	if !v.Equal(&claimed) {
		return fmt.Errorf("lookup: group %q: %s evaluates to %s at the claim's point, the claim is %s: %w",
			c.Group, what, v.String(), claimed.String(), ErrReject)
	}
	return nil
}

// CheckConstant checks the claim on tuple column k against a column that
// holds v in every row (a tag): the multilinear extension of a constant
// column is that constant everywhere, so no column is evaluated. A mismatch
// is an error wrapping ErrReject; a k out of range wraps ErrShape.
func (c *Claim) CheckConstant(k int, v F) error {
	if k < 0 || k >= len(c.Tuple) {
		return fmt.Errorf("lookup: group %q: tuple column %d of %d: %w", c.Group, k, len(c.Tuple), ErrShape)
	}
	if want := (K{A0: v}); !want.Equal(&c.Tuple[k]) {
		return fmt.Errorf("lookup: group %q: the claim on tuple column %d is %s, the column is the constant %s: %w",
			c.Group, k, c.Tuple[k].String(), v.String(), ErrReject)
	}
	return nil
}

// CheckRange checks the claim on tuple column k against the range table of
// len(c.Point) bits, in closed form (RangeEval), without the column.
func (c *Claim) CheckRange(k int) error {
	if k < 0 || k >= len(c.Tuple) {
		return fmt.Errorf("lookup: group %q: tuple column %d of %d: %w", c.Group, k, len(c.Tuple), ErrShape)
	}
	if v := RangeEval(c.Point); !v.Equal(&c.Tuple[k]) {
		return fmt.Errorf("lookup: group %q: the range table evaluates to %s at the claim's point, the claim on tuple column %d is %s: %w",
			c.Group, v.String(), k, c.Tuple[k].String(), ErrReject)
	}
	return nil
}
