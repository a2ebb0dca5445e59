package mle

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/gltest"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0xe1e)) }

func randF(rng *rand.Rand) goldilocks.Element {
	var x goldilocks.Element
	x.SetUint64(rng.Uint64())
	return x
}

func randK(rng *rand.Rand) K { return K{A0: randF(rng), A1: randF(rng)} }

func randTable(rng *rand.Rand, n int) []K {
	t := make([]K, n)
	for i := range t {
		t[i] = randK(rng)
	}
	return t
}

// bitsOf returns the Boolean point of index i over ℓ variables, variable 0
// the most significant bit.
func bitsOf(i, numVars int) []K {
	x := make([]K, numVars)
	for j := range x {
		if i>>(numVars-1-j)&1 == 1 {
			x[j].SetOne()
		}
	}
	return x
}

// naiveEvaluate is Σ_i f[i] · eq(bits(i), r), from the definition.
func naiveEvaluate(t *testing.T, f []K, r []K) K {
	t.Helper()
	var sum K
	for i := range f {
		e, err := Eq(bitsOf(i, len(r)), r)
		if err != nil {
			t.Fatal(err)
		}
		e.Mul(&e, &f[i])
		sum.Add(&sum, &e)
	}
	return sum
}

func TestNumVars(t *testing.T) {
	for _, tt := range []struct{ n, want int }{
		{0, 0}, {1, 0}, {2, 1}, {3, 2}, {4, 2}, {5, 3}, {1 << 20, 20}, {1<<20 + 1, 21},
	} {
		if got := NumVars(tt.n); got != tt.want {
			t.Errorf("NumVars(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

func TestEqTable(t *testing.T) { gltest.ForEachBackend(t, testEqTable) }

func testEqTable(t *testing.T) {
	rng := newRand(1)
	// 15 variables make the last steps run split across goroutines.
	for _, numVars := range []int{0, 1, 2, 3, 6, 15} {
		r := randTable(rng, numVars)
		table, err := EqTable(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(table) != 1<<numVars {
			t.Fatalf("vars=%d: %d entries", numVars, len(table))
		}
		var sum K
		for i := range table {
			sum.Add(&sum, &table[i])
		}
		if !sum.IsOne() {
			t.Errorf("vars=%d: the eq table sums to %s, want 1", numVars, sum.String())
		}
		for k := range min(len(table), 64) {
			i := k
			if len(table) > 64 {
				i = rng.IntN(len(table))
			}
			want, err := Eq(bitsOf(i, numVars), r)
			if err != nil {
				t.Fatal(err)
			}
			if !table[i].Equal(&want) {
				t.Fatalf("vars=%d: EqTable[%d] = %s, Eq gives %s", numVars, i, table[i].String(), want.String())
			}
		}
	}
}

func TestEqSymmetricAndBoolean(t *testing.T) {
	rng := newRand(2)
	x, y := randTable(rng, 5), randTable(rng, 5)
	a, _ := Eq(x, y)
	b, _ := Eq(y, x)
	if !a.Equal(&b) {
		t.Error("Eq(x, y) ≠ Eq(y, x)")
	}
	for i := range 8 {
		for j := range 8 {
			e, _ := Eq(bitsOf(i, 3), bitsOf(j, 3))
			if e.IsOne() != (i == j) || (!e.IsOne() && !e.IsZero()) {
				t.Errorf("Eq of Boolean points %d and %d = %s", i, j, e.String())
			}
		}
	}
}

func TestEvaluate(t *testing.T) {
	rng := newRand(3)
	for _, numVars := range []int{0, 1, 2, 5, 8} {
		f := randTable(rng, 1<<numVars)
		orig := slices.Clone(f)
		r := randTable(rng, numVars)
		got, err := Evaluate(f, r)
		if err != nil {
			t.Fatal(err)
		}
		if want := naiveEvaluate(t, f, r); !got.Equal(&want) {
			t.Errorf("vars=%d: Evaluate = %s, naive sum %s", numVars, got.String(), want.String())
		}
		if !slices.Equal(f, orig) {
			t.Errorf("vars=%d: Evaluate modified the table", numVars)
		}
		for _, i := range []int{0, len(f) - 1, rng.IntN(len(f))} {
			v, err := Evaluate(f, bitsOf(i, numVars))
			if err != nil {
				t.Fatal(err)
			}
			if !v.Equal(&f[i]) {
				t.Errorf("vars=%d: at the Boolean point of %d: %s, want the entry %s", numVars, i, v.String(), f[i].String())
			}
		}
	}
}

// TestEvaluateLarge compares Evaluate with the eq table's inner product on a
// table big enough for every step to run split across goroutines.
func TestEvaluateLarge(t *testing.T) {
	rng := newRand(4)
	const numVars = 16
	f := randTable(rng, 1<<numVars)
	r := randTable(rng, numVars)
	got, err := Evaluate(f, r)
	if err != nil {
		t.Fatal(err)
	}
	eq, err := EqTable(r)
	if err != nil {
		t.Fatal(err)
	}
	var want, p K
	for i := range f {
		p.Mul(&f[i], &eq[i])
		want.Add(&want, &p)
	}
	if !got.Equal(&want) {
		t.Fatalf("Evaluate = %s, ⟨f, eq(r)⟩ = %s", got.String(), want.String())
	}
}

func TestBindThenEvaluate(t *testing.T) {
	rng := newRand(5)
	for _, numVars := range []int{1, 2, 4, 15} {
		f := randTable(rng, 1<<numVars)
		r := randTable(rng, numVars)
		want, err := Evaluate(f, r)
		if err != nil {
			t.Fatal(err)
		}
		g, err := Bind(f, r[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(g) != len(f)/2 || &g[0] != &f[0] {
			t.Fatalf("vars=%d: Bind returned %d entries, not the first half of f", numVars, len(g))
		}
		got, err := Evaluate(g, r[1:])
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(&want) {
			t.Errorf("vars=%d: Evaluate after Bind = %s, want %s", numVars, got.String(), want.String())
		}
	}
}

// BindBase of an F table equals Bind of its lift, on every backend, across
// the block size of its loop and the parallel grain.
func TestBindBase(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		rng := newRand(11)
		for _, numVars := range []int{1, 2, 5, 9, 10, 15} {
			f := make([]goldilocks.Element, 1<<numVars)
			for i := range f {
				f[i] = randF(rng)
			}
			r := randTable(rng, 1)[0]
			got, err := BindBase(f, r)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Bind(Lift(f), r)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("vars=%d: BindBase differs from Bind of the lifted table", numVars)
			}
		}
		for _, n := range []int{0, 1, 3, 6} {
			if _, err := BindBase(make([]goldilocks.Element, n), K{}); !errors.Is(err, ErrLength) {
				t.Errorf("BindBase of %d entries: %v, want ErrLength", n, err)
			}
		}
	})
}

func TestEvaluateBase(t *testing.T) {
	rng := newRand(6)
	for _, numVars := range []int{0, 1, 3, 7, 15} {
		f := make([]goldilocks.Element, 1<<numVars)
		for i := range f {
			f[i] = randF(rng)
		}
		r := randTable(rng, numVars)
		got, err := EvaluateBase(f, r)
		if err != nil {
			t.Fatal(err)
		}
		lifted := Lift(f)
		for i := range f {
			if lifted[i].A0 != f[i] || !lifted[i].A1.IsZero() {
				t.Fatalf("Lift[%d] = %s, want %s", i, lifted[i].String(), f[i].String())
			}
		}
		want, err := Evaluate(lifted, r)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(&want) {
			t.Errorf("vars=%d: EvaluateBase = %s, Evaluate(Lift) = %s", numVars, got.String(), want.String())
		}
	}
}

func TestLengthErrors(t *testing.T) {
	rng := newRand(7)
	f := randTable(rng, 8)
	base := make([]goldilocks.Element, 8)
	r := randTable(rng, 2)
	errs := map[string]error{}
	_, errs["Evaluate, short point"] = Evaluate(f, r)
	_, errs["Evaluate, long point"] = Evaluate(f[:2], r)
	_, errs["Evaluate, 6 entries"] = Evaluate(f[:6], randTable(rng, 3))
	_, errs["Evaluate, empty"] = Evaluate(nil, nil)
	_, errs["Evaluate, 33 variables"] = Evaluate(f, make([]K, MaxVars+1))
	_, errs["EvaluateBase, short point"] = EvaluateBase(base, r)
	_, errs["EvaluateBase, empty"] = EvaluateBase(nil, nil)
	_, errs["Eq, lengths differ"] = Eq(r, f)
	for _, n := range []int{0, 1, 3, 6} {
		_, errs[fmt.Sprintf("Bind of %d", n)] = Bind(f[:n], r[0])
	}
	for name, err := range errs {
		if !errors.Is(err, ErrLength) {
			t.Errorf("%s: %v, want ErrLength", name, err)
		}
	}
}

func BenchmarkEvaluate(b *testing.B) {
	const numVars = 20
	rng := newRand(8)
	f := randTable(rng, 1<<numVars)
	r := randTable(rng, numVars)
	b.SetBytes(int64(len(f)) * 16)
	for b.Loop() {
		if _, err := Evaluate(f, r); err != nil {
			b.Fatal(err)
		}
	}
}
