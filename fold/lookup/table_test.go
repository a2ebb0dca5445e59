package lookup

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/internal/gltest"
)

// naiveMultiplicities counts by comparing every input row with every table
// row, the first match taking the count.
func naiveMultiplicities(inputs, table [][]F) []uint64 {
	mult := make([]uint64, len(table[0]))
	for i := range inputs[0] {
	rows:
		for j := range table[0] {
			for k := range table {
				if !inputs[k][i].Equal(&table[k][j]) {
					continue rows
				}
			}
			mult[j]++
			break
		}
	}
	return mult
}

func TestMultiplicities(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	rangeTable, err := RangeTable(6)
	if err != nil {
		t.Fatal(err)
	}
	scattered := column(rng, 64, 1<<40)
	duplicates := column(rng, 16, 4) // repeated values: the first row counts
	for _, tc := range []struct {
		name  string
		table [][]F
		n     int
	}{
		{"range", [][]F{rangeTable}, 1 << 15},
		{"range, few inputs", [][]F{rangeTable}, 5},
		{"one column", [][]F{scattered}, 1 << 15},
		{"duplicates", [][]F{duplicates}, 100},
		{"two columns", [][]F{scattered, column(rng, 64, 3)}, 1 << 15},
		{"three columns with duplicates", [][]F{duplicates, duplicates, duplicates}, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inputs := make([][]F, len(tc.table))
			for k := range inputs {
				inputs[k] = make([]F, tc.n)
			}
			for i := range tc.n {
				j := rng.IntN(len(tc.table[0]))
				for k := range inputs {
					inputs[k][i] = tc.table[k][j]
				}
			}
			got, err := Multiplicities(inputs, tc.table)
			if err != nil {
				t.Fatal(err)
			}
			want := naiveMultiplicities(inputs, tc.table)
			for j := range want {
				if got[j].Uint64() != want[j] {
					t.Fatalf("row %d: multiplicity %d, want %d", j, got[j].Uint64(), want[j])
				}
			}
		})
	}
}

func TestMultiplicitiesNotInTable(t *testing.T) {
	rangeTable, err := RangeTable(4)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(33, 34))
	for _, table := range [][][]F{
		{rangeTable},
		{column(rng, 16, 1<<40)},
		{rangeTable, column(rng, 16, 1<<40)},
	} {
		n := 1 << 15 // split across workers: the first bad row is in the second half
		inputs := make([][]F, len(table))
		for k := range inputs {
			inputs[k] = make([]F, n)
			for i := range inputs[k] {
				inputs[k][i] = table[k][i%16]
			}
		}
		inputs[0][n-1].SetUint64(1 << 41)
		inputs[0][n-3].SetUint64(16)
		_, err := Multiplicities(inputs, table)
		if !errors.Is(err, ErrNotInTable) {
			t.Fatalf("width %d: %v, want ErrNotInTable", len(table), err)
		}
		if want := fmt.Sprintf("input row %d (16", n-3); !strings.Contains(err.Error(), want) {
			t.Fatalf("width %d: %q does not name the first bad row, %q", len(table), err, want)
		}
	}
}

func TestMultiplicitiesBadShape(t *testing.T) {
	a, b := make([]F, 4), make([]F, 8)
	for _, tc := range []struct {
		name          string
		inputs, table [][]F
	}{
		{"no columns", nil, nil},
		{"widths differ", [][]F{a}, [][]F{a, a}},
		{"input columns differ", [][]F{a, b}, [][]F{a, a}},
		{"table columns differ", [][]F{a, a}, [][]F{a, b}},
	} {
		if _, err := Multiplicities(tc.inputs, tc.table); !errors.Is(err, ErrShape) {
			t.Errorf("%s: %v, want ErrShape", tc.name, err)
		}
	}
}

func TestRangeEval(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	for m := 0; m <= 10; m++ {
		table, err := RangeTable(m)
		if err != nil {
			t.Fatal(err)
		}
		r := make([]K, m)
		for j := range r {
			r[j].A0.SetUint64(rng.Uint64())
			r[j].A1.SetUint64(rng.Uint64())
		}
		want, err := mle.EvaluateBase(table, r)
		if err != nil {
			t.Fatal(err)
		}
		if got := RangeEval(r); !got.Equal(&want) {
			t.Fatalf("m=%d: RangeEval %s, the table evaluates to %s", m, got.String(), want.String())
		}
	}
	for _, bits := range []int{-1, MaxRangeBits + 1} {
		if _, err := RangeTable(bits); !errors.Is(err, ErrShape) {
			t.Errorf("RangeTable(%d): %v, want ErrShape", bits, err)
		}
	}
}

// rangeTag is the tag of the tests' range lookups, which RangeTag (the
// memories') cannot be.
const rangeTag = 2

// rangeLookup returns groups looking up 2^n values below 2^m in the range
// table of m bits.
func rangeLookup(t testing.TB, rng *rand.Rand, n, m int) (inputs, table []F, groups []Group) {
	t.Helper()
	table, err := RangeTable(m)
	if err != nil {
		t.Fatal(err)
	}
	inputs = column(rng, 1<<n, 1<<m)
	groups, err = Table("range", rangeTag, [][]F{inputs}, [][]F{table})
	if err != nil {
		t.Fatal(err)
	}
	return inputs, table, groups
}

// checkLookup is a verifier's check of the claims of a range lookup: the
// tags, the inputs and multiplicities against their (here: bound) columns,
// the table in closed form.
func checkLookup(claims []Claim, inputs, mult []F) error {
	for _, c := range claims {
		if err := c.CheckConstant(0, fe(rangeTag)); err != nil {
			return err
		}
	}
	if err := claims[0].CheckTuple(1, inputs); err != nil {
		return err
	}
	if err := claims[1].CheckNum(mult); err != nil {
		return err
	}
	return claims[1].CheckRange(1)
}

func TestRangeLookup(t *testing.T) {
	rng := rand.New(rand.NewPCG(37, 38))
	for _, nm := range [][2]int{{0, 0}, {0, 3}, {4, 4}, {10, 4}, {4, 10}, {12, 8}} {
		n, m := nm[0], nm[1]
		inputs, _, groups := rangeLookup(t, rng, n, m)
		tr, vtr := bound(groups), bound(groups)
		proof, _, err := Prove(context.Background(), tr, groups)
		if err != nil {
			t.Fatal(err)
		}
		claims, err := Verify(vtr, TableShapes("range", n, m, 1), proof)
		if err != nil {
			t.Fatalf("n=%d m=%d: Verify: %v", n, m, err)
		}
		if err := checkLookup(claims, inputs, groups[1].Num); err != nil {
			t.Fatalf("n=%d m=%d: %v", n, m, err)
		}
	}
}

// TestLookupOutsideTable: an input of 2^m in a lookup into the range table
// of m bits. Table refuses it; Prove refuses made-up multiplicities; a proof
// built without that check fails Verify; a proof against another table that
// holds the value fails the claim check on the range table.
func TestLookupOutsideTable(t *testing.T) {
	const n, m = 6, 4
	rng := rand.New(rand.NewPCG(39, 40))
	inputs, table, _ := rangeLookup(t, rng, n, m)
	for i := range inputs {
		if inputs[i].IsZero() {
			inputs[i].SetOne() // leaves row 0 of the table free for the last forgery
		}
	}
	inputs[5].SetUint64(1 << m)
	if _, err := Table("range", rangeTag, [][]F{inputs}, [][]F{table}); !errors.Is(err, ErrNotInTable) ||
		!strings.Contains(err.Error(), "input row 5 (16)") {
		t.Fatalf("Table: %v, want ErrNotInTable naming row 5", err)
	}

	// Multiplicities as if the bad input were a 0.
	honest := append([]F(nil), inputs...)
	honest[5].SetZero()
	mult, err := Multiplicities([][]F{honest}, [][]F{table})
	if err != nil {
		t.Fatal(err)
	}
	tags := func(n int) []F { return constant(n, fe(rangeTag)) }
	groups := []Group{
		{Name: "range/inputs", Tuple: [][]F{tags(len(inputs)), inputs}},
		{Name: "range/table", Num: mult, Tuple: [][]F{tags(len(table)), table}, Neg: true},
	}
	if _, _, err := Prove(context.Background(), bound(groups), groups); !errors.Is(err, ErrUnbalanced) {
		t.Fatalf("Prove: %v, want ErrUnbalanced", err)
	}
	if _, err := Verify(bound(groups), TableShapes("range", n, m, 1), proveUnchecked(t, groups)); !errors.Is(err, ErrReject) {
		t.Fatalf("Verify of a proof of unbalanced sums: %v, want ErrReject", err)
	}

	// A table in which 16 replaces 0: balanced, but not the range table.
	other := append([]F(nil), table...)
	other[0].SetUint64(1 << m)
	groups, err = Table("range", rangeTag, [][]F{inputs}, [][]F{other})
	if err != nil {
		t.Fatal(err)
	}
	proof, _, err := Prove(context.Background(), bound(groups), groups)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := Verify(bound(groups), TableShapes("range", n, m, 1), proof)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if err := checkLookup(claims, inputs, groups[1].Num); !errors.Is(err, ErrReject) {
		t.Fatalf("the claim check against the range table: %v, want ErrReject", err)
	}
}

// proveUnchecked runs the prover's steps on groups without its balance
// check: what a cheating prover sends for a false statement.
func proveUnchecked(t *testing.T, groups []Group) *Proof {
	t.Helper()
	tr := bound(groups)
	p := &prover{groups: groups, shapes: Shapes(groups)}
	p.alpha, p.gamma = challenges(tr, p.shapes)
	if err := p.buildTrees(context.Background()); err != nil {
		t.Fatal(err)
	}
	proof, _, err := p.reduce(context.Background(), tr, p.roots())
	if err != nil {
		t.Fatal(err)
	}
	return proof
}

func TestClaimCheckBadInput(t *testing.T) {
	c := Claim{Group: "g", Point: make([]K, 2), Tuple: make([]K, 1)}
	if err := c.CheckTuple(1, make([]F, 4)); !errors.Is(err, ErrShape) {
		t.Errorf("CheckTuple of a column out of range: %v, want ErrShape", err)
	}
	if err := c.CheckTuple(0, make([]F, 8)); !errors.Is(err, ErrShape) {
		t.Errorf("CheckTuple of a column of the wrong length: %v, want ErrShape", err)
	}
	if err := c.CheckNum(make([]F, 3)); !errors.Is(err, ErrShape) {
		t.Errorf("CheckNum of a column of the wrong length: %v, want ErrShape", err)
	}
	if err := c.CheckConstant(1, F{}); !errors.Is(err, ErrShape) {
		t.Errorf("CheckConstant of a column out of range: %v, want ErrShape", err)
	}
	if err := c.CheckConstant(0, fe(1)); !errors.Is(err, ErrReject) {
		t.Errorf("CheckConstant of 1 at a zero claim: %v, want ErrReject", err)
	}
	if err := c.CheckConstant(0, F{}); err != nil {
		t.Errorf("CheckConstant of 0 at a zero claim: %v", err)
	}
	if err := c.CheckRange(-1); !errors.Is(err, ErrShape) {
		t.Errorf("CheckRange of a column out of range: %v, want ErrShape", err)
	}
	if err := c.CheckTuple(0, make([]F, 4)); err != nil {
		t.Errorf("CheckTuple of a zero column at a zero claim: %v", err)
	}
}

// BenchmarkLookup proves 2^20 lookups into the range table of 16 bits:
// the multiplicities, then the proof. The verifier's share is reported too.
func BenchmarkLookup(b *testing.B) {
	const n, m = 20, 16
	rng := rand.New(rand.NewPCG(41, 42))
	table, err := RangeTable(m)
	if err != nil {
		b.Fatal(err)
	}
	inputs := column(rng, 1<<n, 1<<m)
	gltest.EachBackend(b, func(be accel.Backend) {
		b.Run(be.String(), func(b *testing.B) {
			var proof *Proof
			for b.Loop() {
				groups, err := Table("range", rangeTag, [][]F{inputs}, [][]F{table})
				if err != nil {
					b.Fatal(err)
				}
				if proof, _, err = Prove(context.Background(), bound(nil), groups); err != nil {
					b.Fatal(err)
				}
			}
			perOp := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(perOp*1e3, "ms/op")
			b.ReportMetric(float64(1<<n)/perOp, "lookups/s")
			start := time.Now()
			if _, err := Verify(bound(nil), TableShapes("range", n, m, 1), proof); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(time.Since(start).Microseconds()), "verify-µs")
		})
	})
}

// TestTableTags: tables of the same width in one argument absorb each
// other's lookups unless their tuples are tagged. A lookup of 5 into the
// bit table {0, 1} is counted by the row 5 of another table, {5, 6}.
func TestTableTags(t *testing.T) {
	bitInputs, bitTable, bitMult := fes(1, 5), fes(0, 1), fes(0, 1)
	otherInputs, otherTable, otherMult := fes(6, 6), fes(5, 6), fes(1, 2)
	const bitTag, otherTag = 10, 11
	ctx := context.Background()

	// Untagged, the forgery is a true statement over the columns, and every
	// claim holds: the bit table's claim is on the bit table.
	untagged := []Group{
		{Name: "bit/inputs", Tuple: [][]F{bitInputs}},
		{Name: "bit/table", Num: bitMult, Tuple: [][]F{bitTable}, Neg: true},
		{Name: "other/inputs", Tuple: [][]F{otherInputs}},
		{Name: "other/table", Num: otherMult, Tuple: [][]F{otherTable}, Neg: true},
	}
	if _, claims := proveVerify(t, untagged); claims[1].CheckTuple(0, bitTable) != nil {
		t.Fatal("the untagged forgery does not hold on the bit table")
	}

	if _, err := Table("bit", bitTag, [][]F{bitInputs}, [][]F{bitTable}); !errors.Is(err, ErrNotInTable) {
		t.Fatalf("Table: %v, want ErrNotInTable", err)
	}
	tagged := func(tag uint64, col []F) [][]F { return [][]F{constant(len(col), fe(tag)), col} }
	forged := []Group{
		{Name: "bit/inputs", Tuple: tagged(bitTag, bitInputs)},
		{Name: "bit/table", Num: bitMult, Tuple: tagged(bitTag, bitTable), Neg: true},
		{Name: "other/inputs", Tuple: tagged(otherTag, otherInputs)},
		{Name: "other/table", Num: otherMult, Tuple: tagged(otherTag, otherTable), Neg: true},
	}
	if _, _, err := Prove(ctx, bound(forged), forged); !errors.Is(err, ErrUnbalanced) {
		t.Fatalf("Prove with tags: %v, want ErrUnbalanced", err)
	}
	shapes := append(TableShapes("bit", 1, 1, 1), TableShapes("other", 1, 1, 1)...)
	if _, err := Verify(bound(forged), shapes, proveUnchecked(t, forged)); !errors.Is(err, ErrReject) {
		t.Fatalf("Verify with tags: %v, want ErrReject", err)
	}

	// The cheater fills the tag column of the bit inputs itself, with the
	// other table's tag on the row of 5: the sums balance and the proof
	// verifies, but the claim on the tag column is not the constant.
	forged[0].Tuple[0][1] = fe(otherTag)
	_, claims := proveVerify(t, forged)
	if err := claims[0].CheckConstant(0, fe(bitTag)); !errors.Is(err, ErrReject) {
		t.Fatalf("CheckConstant of the forged tag column: %v, want ErrReject", err)
	}
}

// TestTablesMixed: tables of several widths and tags, two of them with the
// same rows under different tags, and a range table, in one argument.
func TestTablesMixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	bits, err := RangeTable(8)
	if err != nil {
		t.Fatal(err)
	}
	pick := func(table [][]F, n int) [][]F {
		in := columns(len(table), n)
		for i := range n {
			j := rng.IntN(len(table[0]))
			for k := range table {
				in[k][i] = table[k][j]
			}
		}
		return in
	}
	tables := []struct {
		name  string
		tag   uint64
		table [][]F
		n     int // log of the number of inputs
	}{
		{"bit", 10, [][]F{fes(0, 1)}, 3},
		{"bit-again", 11, [][]F{fes(0, 1)}, 2},
		{"pair", 12, [][]F{fes(0, 1, 2, 3), fes(5, 0, 0, 7)}, 4},
		{"triple", 0, [][]F{fes(1, 0), fes(0, 0), fes(0, 2)}, 3},
		{"byte", 13, [][]F{bits}, 6},
	}
	var groups []Group
	var shapes []Shape
	for _, tb := range tables {
		g, err := Table(tb.name, tb.tag, pick(tb.table, 1<<tb.n), tb.table)
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups, g...)
		shapes = append(shapes, TableShapes(tb.name, tb.n, mle.NumVars(len(tb.table[0])), len(tb.table))...)
	}
	if !reflect.DeepEqual(shapes, Shapes(groups)) {
		t.Fatalf("TableShapes %v, the groups' shapes %v", shapes, Shapes(groups))
	}
	_, claims := proveVerify(t, groups)
	for i, tb := range tables {
		for _, c := range claims[2*i : 2*i+2] {
			if err := c.CheckConstant(0, fe(tb.tag)); err != nil {
				t.Fatal(err)
			}
			if err := c.CheckConstant(0, fe(tb.tag+100)); !errors.Is(err, ErrReject) {
				t.Fatalf("CheckConstant with another tag: %v, want ErrReject", err)
			}
		}
	}
	if err := claims[9].CheckRange(1); err != nil {
		t.Fatal(err)
	}
}

func TestTableBadInput(t *testing.T) {
	col := fes(0, 1)
	for _, tc := range []struct {
		name          string
		tag           uint64
		inputs, table [][]F
	}{
		{"range tag", RangeTag, [][]F{col}, [][]F{col}},
		{"tag too large", 1 << 32, [][]F{col}, [][]F{col}},
		{"too wide", 3, columns(MaxWidth, 2), columns(MaxWidth, 2)},
		{"no columns", 3, nil, nil},
		{"widths differ", 3, [][]F{col}, [][]F{col, col}},
	} {
		if _, err := Table("t", tc.tag, tc.inputs, tc.table); !errors.Is(err, ErrShape) {
			t.Errorf("%s: %v, want ErrShape", tc.name, err)
		}
	}
	if _, err := Table("t", 3, columns(MaxTableWidth, 2), columns(MaxTableWidth, 2)); err != nil {
		t.Errorf("a table of %d columns: %v", MaxTableWidth, err)
	}
}
