package gl64

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/gltest"
)

// extLengths covers every tail of the 4- and 8-element blocks of the K loops,
// several blocks, and a length far past any unrolling.
func extLengths() []int {
	var ns []int
	for n := range 41 {
		ns = append(ns, n)
	}
	return append(ns, 64, 100, 1000, 4097)
}

// extEdges adds to the base-field edges the words where ·7 carries out of 64
// bits (x ≥ 2^61) and where 7x lands just below or above a multiple of q.
var extEdges = append(slices.Clone(edges), 1<<61-1, 1<<61, 3<<61, Q/7, Q/7+1, 2*Q/7, 2*Q/7+1)

// randK returns n random elements with the edge words scattered among them,
// in either coordinate.
func randK(r *rand.Rand, n int) []K {
	v := make([]K, n)
	for i := range v {
		v[i].A0[0], v[i].A1[0] = r.Uint64N(Q), r.Uint64N(Q)
	}
	for i := 0; i < n && i < 2*len(extEdges); i++ {
		w := extEdges[i%len(extEdges)]
		if i < len(extEdges) {
			v[(i*5)%n].A1[0] = w
		} else {
			v[(i*3)%n].A0[0] = w
		}
	}
	return v
}

func TestExtMatchesGnark(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range extLengths() {
		x, y := randK(r, n), randK(r, n)
		s := randK(r, 1)[0]
		if err := checkExt(&ExtGeneric, x, y, s); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
	}
}

func TestExtBackendsMatchGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for b, v := range kernelsOf(t, ExtVectors) {
		t.Run(b.String(), func(t *testing.T) {
			for _, n := range extLengths() {
				x, y := randK(r, n), randK(r, n)
				s := randK(r, 1)[0]
				if err := compareExt(v, &ExtGeneric, x, y, s); err != nil {
					t.Fatalf("n=%d: %v", n, err)
				}
				if err := checkExt(v, x, y, s); err != nil {
					t.Fatalf("n=%d: %v", n, err)
				}
			}
		})
	}
}

// TestExtMulBy7 multiplies elements whose A1 is an edge word by u, whose
// square is 7, so every lane's ·7 sees that word: (w·u)·u = 7w.
func TestExtMulBy7(t *testing.T) {
	var u K
	u.A1.SetOne()
	for b, v := range kernelsOf(t, ExtVectors) {
		for _, n := range []int{8, 16, 37} {
			for _, w := range extEdges {
				x, y := make([]K, n), make([]K, n)
				for i := range x {
					x[i].A1[0], y[i] = w, u
				}
				if err := compareExt(v, &ExtGeneric, x, y, u); err != nil {
					t.Errorf("%s w=%#x n=%d: %v", b, w, n, err)
				}
			}
		}
	}
}

// TestExtExtremes fills whole vectors with the largest words, so every lane of
// every accumulator wraps on each step.
func TestExtExtremes(t *testing.T) {
	for b, v := range kernelsOf(t, ExtVectors) {
		for _, w := range []uint64{Q - 1, Q - 2, 1 << 63, 1<<32 - 1} {
			for _, n := range []int{8, 33, 1 << 10} {
				x, y := make([]K, n), make([]K, n)
				for i := range x {
					x[i].A0[0], x[i].A1[0] = w, w
					y[i].A0[0], y[i].A1[0] = Q-1, w
				}
				s := K{A0: E{w}, A1: E{Q - 1}}
				if err := compareExt(v, &ExtGeneric, x, y, s); err != nil {
					t.Errorf("%s w=%#x n=%d: %v", b, w, n, err)
				}
			}
		}
	}
}

// TestExtProductEvals runs ProductEvals for every product size up to and past
// the assembly's, every number of evaluations up to and past MaxEvals, into a
// nonzero accumulator, against the definition evaluated at each t directly.
func TestExtProductEvals(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	ns := []int{0, 1, 7, 8, 9, 17, 64}
	if !testing.Short() {
		ns = append(ns, 203)
	}
	vs := kernelsOf(t, ExtVectors)
	for _, n := range ns {
		for m := 0; m <= MaxFactors; m++ {
			lo, hi := make([][]K, m), make([][]K, m)
			for j := range m {
				lo[j], hi[j] = randK(r, n), randK(r, n)
			}
			for evals := 0; evals <= MaxEvals; evals++ {
				start := randK(r, evals)
				want := productEvalsDirect(start, lo, hi)
				for b, v := range vs {
					got := slices.Clone(start)
					v.ProductEvals(got, lo, hi)
					if err := diffK(fmt.Sprintf("%s ProductEvals m=%d evals=%d", b, m, evals), got, want); err != nil {
						t.Fatalf("n=%d: %v", n, err)
					}
				}
			}
		}
	}
}

// TestExtProductEvalsShared passes one table as several factors and as both
// halves, the way a prover squaring a table or binding a constant one would.
func TestExtProductEvalsShared(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	x, y := randK(r, 40), randK(r, 40)
	cases := []struct {
		name   string
		lo, hi [][]K
	}{
		{"square", [][]K{x, x}, [][]K{y, y}},
		{"cube", [][]K{x, x, x}, [][]K{y, y, y}},
		{"constant", [][]K{x, y, x}, [][]K{x, x, y}},
	}
	for b, v := range kernelsOf(t, ExtVectors) {
		for _, c := range cases {
			want := productEvalsDirect(make([]K, 4), c.lo, c.hi)
			got := make([]K, 4)
			v.ProductEvals(got, c.lo, c.hi)
			if err := diffK(fmt.Sprintf("%s %s", b, c.name), got, want); err != nil {
				t.Error(err)
			}
		}
	}
}

// productEvalsDirect returns start[t] + Σ_i Π_j (lo_j[i] + t·(hi_j[i] − lo_j[i]))
// with t a field element, independently of the incremental form the loops use.
func productEvalsDirect(start []K, lo, hi [][]K) []K {
	out := slices.Clone(start)
	if len(lo) == 0 {
		return out
	}
	for t := range out {
		var tk, p, f K
		tk.A0.SetUint64(uint64(t))
		for i := range lo[0] {
			p.SetOne()
			for j := range lo {
				f.Sub(&hi[j][i], &lo[j][i])
				f.Mul(&f, &tk)
				f.Add(&f, &lo[j][i])
				p.Mul(&p, &f)
			}
			out[t].Add(&out[t], &p)
		}
	}
	return out
}

// checkExt runs every loop of v on x, y and s, on fresh outputs and aliased
// ones, and compares each element with gnark-crypto's E2 arithmetic.
func checkExt(v *ExtVector, x, y []K, s K) error {
	n := len(x)
	want, got := make([]K, n), make([]K, n)
	elementwise := []struct {
		name string
		run  func(res, a, b []K)
		ref  func(z, a, b *K) *K
	}{
		{"Add", v.Add, (*K).Add},
		{"Sub", v.Sub, (*K).Sub},
		{"Mul", v.Mul, (*K).Mul},
		{"ScalarMul", func(res, a, _ []K) { v.ScalarMul(res, a, s) }, func(z, a, _ *K) *K { return z.Mul(a, &s) }},
	}
	for _, op := range elementwise {
		for i := range want {
			op.ref(&want[i], &x[i], &y[i])
		}
		op.run(got, x, y)
		if err := diffK(op.name, got, want); err != nil {
			return err
		}
		copy(got, x)
		op.run(got, got, y)
		if err := diffK(op.name+" with res = a", got, want); err != nil {
			return err
		}
		copy(got, y)
		op.run(got, x, got)
		if err := diffK(op.name+" with res = b", got, want); err != nil {
			return err
		}
	}

	// Bind: lo + r·(hi − lo), the line through lo and hi at r.
	for i := range want {
		var d K
		d.Sub(&y[i], &x[i])
		d.Mul(&d, &s)
		want[i].Add(&x[i], &d)
	}
	copy(got, x)
	v.Bind(got, y, s)
	if err := diffK("Bind", got, want); err != nil {
		return err
	}
	copy(got, x)
	v.Bind(got, got, s)
	if err := diffK("Bind with lo = hi", got, x); err != nil {
		return err
	}

	var sum, inner, p K
	for i := range x {
		sum.Add(&sum, &x[i])
		p.Mul(&x[i], &y[i])
		inner.Add(&inner, &p)
	}
	if g := v.Sum(x); g != sum {
		return fmt.Errorf("Sum = %v, want %v", g, sum)
	}
	if g := v.Inner(x, y); g != inner {
		return fmt.Errorf("Inner = %v, want %v", g, inner)
	}
	return checkBase(v, x, baseOf(y), s)
}

// baseOf returns the A0 words of v: a vector over F for the mixed loops,
// with the edge words randK scattered.
func baseOf(v []K) []E {
	b := make([]E, len(v))
	for i := range v {
		b[i] = v[i].A0
	}
	return b
}

// checkBase runs the mixed loops of v on x, b and s and compares them with
// gnark-crypto's E2.MulByElement.
func checkBase(v *ExtVector, x []K, b []E, s K) error {
	got := slices.Clone(x)
	v.MulAddBase(got, s, b)
	var inner, p K
	for i := range x {
		p.MulByElement(&s, &b[i])
		if want := *p.Add(&p, &x[i]); got[i] != want {
			return fmt.Errorf("MulAddBase: element %d of %d: got %v, want %v", i, len(x), got[i], want)
		}
		p.MulByElement(&x[i], &b[i])
		inner.Add(&inner, &p)
	}
	if g := v.InnerBase(x, b); g != inner {
		return fmt.Errorf("InnerBase = %v, want %v", g, inner)
	}
	return nil
}

// compareBase checks that the mixed loops of v and ref produce the same words.
func compareBase(v, ref *ExtVector, x []K, b []E, s K) error {
	got, want := slices.Clone(x), slices.Clone(x)
	v.MulAddBase(got, s, b)
	ref.MulAddBase(want, s, b)
	if err := diffK("MulAddBase against the reference", got, want); err != nil {
		return err
	}
	if g, w := v.InnerBase(x, b), ref.InnerBase(x, b); g != w {
		return fmt.Errorf("InnerBase = %v, reference %v", g, w)
	}
	return nil
}

// TestExtBaseEdges fills the base vector with one edge word, so every lane of
// the duplicated words sees it, against random K vectors and against vectors
// and scalars of the largest words, where every accumulator wraps.
func TestExtBaseEdges(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for b, v := range kernelsOf(t, ExtVectors) {
		for _, n := range []int{8, 16, 37, 1 << 10} {
			largest := make([]K, n)
			for i := range largest {
				largest[i] = K{A0: E{Q - 1}, A1: E{Q - 2}}
			}
			for _, w := range extEdges {
				base := make([]E, n)
				for i := range base {
					base[i][0] = w
				}
				cases := []struct {
					x []K
					s K
				}{
					{randK(r, n), randK(r, 1)[0]},
					{largest, K{A0: E{Q - 1}, A1: E{w}}},
				}
				for _, c := range cases {
					if err := compareBase(v, &ExtGeneric, c.x, base, c.s); err != nil {
						t.Fatalf("%s w=%#x n=%d: %v", b, w, n, err)
					}
					if err := checkBase(v, c.x, base, c.s); err != nil {
						t.Fatalf("%s w=%#x n=%d: %v", b, w, n, err)
					}
				}
			}
		}
	}
}

// compareExt checks that v and ref produce the same words on every loop.
func compareExt(v, ref *ExtVector, x, y []K, s K) error {
	n := len(x)
	got, want := make([]K, n), make([]K, n)
	pairs := []struct {
		name     string
		run, ref func(res, a, b []K)
	}{
		{"Add", v.Add, ref.Add},
		{"Sub", v.Sub, ref.Sub},
		{"Mul", v.Mul, ref.Mul},
		{"ScalarMul", func(r, a, _ []K) { v.ScalarMul(r, a, s) }, func(r, a, _ []K) { ref.ScalarMul(r, a, s) }},
		{"Bind", func(r, a, b []K) { copy(r, a); v.Bind(r, b, s) }, func(r, a, b []K) { copy(r, a); ref.Bind(r, b, s) }},
	}
	for _, p := range pairs {
		p.run(got, x, y)
		p.ref(want, x, y)
		if err := diffK(p.name+" against the reference", got, want); err != nil {
			return err
		}
	}
	if g, w := v.Sum(x), ref.Sum(x); g != w {
		return fmt.Errorf("Sum = %v, reference %v", g, w)
	}
	if g, w := v.Inner(x, y), ref.Inner(x, y); g != w {
		return fmt.Errorf("Inner = %v, reference %v", g, w)
	}
	if err := compareBase(v, ref, x, baseOf(y), s); err != nil {
		return err
	}
	for m := 1; m <= 4; m++ {
		lo, hi := make([][]K, m), make([][]K, m)
		for j := range m {
			lo[j], hi[j] = x, y
			if j%2 == 1 {
				lo[j], hi[j] = y, x
			}
		}
		g, w := []K{s, s, s, s, s}, []K{s, s, s, s, s}
		v.ProductEvals(g, lo, hi)
		ref.ProductEvals(w, lo, hi)
		if err := diffK(fmt.Sprintf("ProductEvals m=%d against the reference", m), g, w); err != nil {
			return err
		}
	}
	return nil
}

func diffK(op string, got, want []K) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s: %d elements, want %d", op, len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("%s: element %d of %d: got %v, want %v", op, i, len(want), got[i], want[i])
		}
	}
	return nil
}

// FuzzExtVector derives a length, a scalar and two vectors from the input and
// runs every backend's K loops against the portable ones.
func FuzzExtVector(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{9, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	seed := make([]byte, 1+8*(2+4*19))
	seed[0] = 19
	for i := 1; i < len(seed); i++ {
		seed[i] = 0xff
	}
	f.Add(seed)
	f.Add(binary.LittleEndian.AppendUint64([]byte{17}, Q))

	vs := kernelsOf(f, ExtVectors)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		n := int(data[0])
		w := gltest.WordsOf(data[1:], 2+4*n)
		s := K{A0: goldilocks.Element{w[0]}, A1: goldilocks.Element{w[1]}}
		x, y := make([]K, n), make([]K, n)
		for i := range n {
			x[i].A0[0], x[i].A1[0] = w[2+4*i], w[3+4*i]
			y[i].A0[0], y[i].A1[0] = w[4+4*i], w[5+4*i]
		}
		for b, v := range vs {
			if err := compareExt(v, &ExtGeneric, x, y, s); err != nil {
				t.Fatalf("%s n=%d: %v", b, n, err)
			}
		}
	})
}
