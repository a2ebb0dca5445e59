package ext

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/internal/gltest"
)

const q = 0xFFFF_FFFF_0000_0001

// lengths covers every tail of the 4- and 8-element assembly blocks, several
// blocks, and sizes far past any unrolling.
func lengths() []int {
	var ns []int
	for n := range 41 {
		ns = append(ns, n)
	}
	return append(ns, 64, 100, 1000, 4097)
}

// randK returns n random elements with edge words scattered among them.
func randK(r *rand.Rand, n int) []K {
	v := make([]K, n)
	for i := range v {
		v[i].A0[0], v[i].A1[0] = r.Uint64N(q), r.Uint64N(q)
	}
	edges := []uint64{0, 1, q - 1, q - 2, 1 << 32, 1<<32 - 1, 1 << 61, 1 << 63}
	for i := 0; i < n && i < len(edges); i++ {
		v[(i*7)%n].A1[0] = edges[i]
		v[(i*5)%n].A0[0] = edges[len(edges)-1-i]
	}
	return v
}

func TestMatchesGnark(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, n := range lengths() {
			x, y := randK(r, n), randK(r, n)
			s := randK(r, 1)[0]
			checkAll(t, n, x, y, s)
		}
	})
}

// checkAll runs every element-wise function and reduction of the package on
// x, y and s and compares the results with gnark-crypto's E2 arithmetic.
func checkAll(t *testing.T, n int, x, y []K, s K) {
	t.Helper()
	want, got := make([]K, n), make([]K, n)
	ops := []struct {
		name string
		run  func(res, a, b []K) error
		ref  func(z, a, b *K) *K
	}{
		{"Add", Add, (*K).Add},
		{"Sub", Sub, (*K).Sub},
		{"Mul", Mul, (*K).Mul},
		{"ScalarMul", func(res, a, _ []K) error { return ScalarMul(res, a, s) }, func(z, a, _ *K) *K { return z.Mul(a, &s) }},
	}
	for _, op := range ops {
		for i := range want {
			op.ref(&want[i], &x[i], &y[i])
		}
		if err := op.run(got, x, y); err != nil {
			t.Fatalf("n=%d: %s: %v", n, op.name, err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: %s differs from gnark-crypto", n, op.name)
		}
		copy(got, x)
		if err := op.run(got, got, y); err != nil || !slices.Equal(got, want) {
			t.Fatalf("n=%d: %s with res = a differs from gnark-crypto (err %v)", n, op.name, err)
		}
	}

	for i := range want {
		var d K
		d.Sub(&y[i], &x[i]).Mul(&d, &s)
		want[i].Add(&x[i], &d)
	}
	copy(got, x)
	if err := Bind(got, y, s); err != nil || !slices.Equal(got, want) {
		t.Fatalf("n=%d: Bind differs from lo + s·(hi − lo) (err %v)", n, err)
	}

	var sum, inner, p K
	for i := range x {
		sum.Add(&sum, &x[i])
		inner.Add(&inner, p.Mul(&x[i], &y[i]))
	}
	if g, err := Sum(x); err != nil || g != sum {
		t.Fatalf("n=%d: Sum = %v, %v; want %v", n, g, err, sum)
	}
	if g, err := InnerProduct(x, y); err != nil || g != inner {
		t.Fatalf("n=%d: InnerProduct = %v, %v; want %v", n, g, err, inner)
	}
	checkBase(t, n, x, baseOf(y), s)
}

// baseOf returns the A0 words of v, a vector over F with randK's edge words.
func baseOf(v []K) []F {
	b := make([]F, len(v))
	for i := range v {
		b[i] = v[i].A0
	}
	return b
}

// checkBase runs MulAddBase and InnerBase on x, b and s and compares them
// with gnark-crypto's E2.MulByElement.
func checkBase(t *testing.T, n int, x []K, b []F, s K) {
	t.Helper()
	want := make([]K, n)
	var inner, p K
	for i := range x {
		want[i].MulByElement(&s, &b[i]).Add(&want[i], &x[i])
		inner.Add(&inner, p.MulByElement(&x[i], &b[i]))
	}
	got := slices.Clone(x)
	if err := MulAddBase(got, s, b); err != nil || !slices.Equal(got, want) {
		t.Fatalf("n=%d: MulAddBase differs from y + s·x (err %v)", n, err)
	}
	if g, err := InnerBase(x, b); err != nil || g != inner {
		t.Fatalf("n=%d: InnerBase = %v, %v; want %v", n, g, err, inner)
	}
}

// TestBaseEdges runs the mixed functions with every lane of the base vector
// holding one edge word, on K vectors of random and of the largest words.
func TestBaseEdges(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, n := range []int{4, 8, 21, 64} {
			largest := make([]K, n)
			for i := range largest {
				largest[i].A0[0], largest[i].A1[0] = q-1, q-1
			}
			for _, w := range []uint64{0, 1, q - 1, q - 2, 1<<32 - 1, 1 << 32, 1 << 63, 1<<61 - 1} {
				b := make([]F, n)
				for i := range b {
					b[i][0] = w
				}
				checkBase(t, n, randK(r, n), b, randK(r, 1)[0])
				checkBase(t, n, largest, b, K{A0: F{q - 1}, A1: F{w}})
			}
		}
	})
}

// TestProductEvals checks the degree-3 round polynomial of a product of
// three tables, the sum-check's hot case, against its definition, and that
// the evaluations add to what acc held.
func TestProductEvals(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, n := range []int{0, 1, 8, 9, 100, 1000} {
			for m := 1; m <= 4; m++ {
				lo, hi := make([][]K, m), make([][]K, m)
				for j := range m {
					lo[j], hi[j] = randK(r, n), randK(r, n)
				}
				acc := randK(r, m+1)
				want := slices.Clone(acc)
				for tt := range want {
					var tk K
					tk.A0.SetUint64(uint64(tt))
					for i := range n {
						var p, f K
						p.SetOne()
						for j := range m {
							f.Sub(&hi[j][i], &lo[j][i]).Mul(&f, &tk).Add(&f, &lo[j][i])
							p.Mul(&p, &f)
						}
						want[tt].Add(&want[tt], &p)
					}
				}
				if err := ProductEvals(acc, lo, hi); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(acc, want) {
					t.Fatalf("n=%d m=%d: ProductEvals = %v, want %v", n, m, acc, want)
				}
			}
		}
	})
}

func TestLengthErrors(t *testing.T) {
	a, b, c := make([]K, 3), make([]K, 3), make([]K, 4)
	long := make([]K, MaxEvals+1)
	cases := []struct {
		name string
		err  error
	}{
		{"Add b", Add(a, b, c)},
		{"Add res", Add(c, a, b)},
		{"Sub", Sub(a, c, b)},
		{"Mul", Mul(a, b, c)},
		{"ScalarMul", ScalarMul(a, c, K{})},
		{"Bind", Bind(a, c, K{})},
		{"MulAddBase", MulAddBase(a, K{}, baseOf(c))},
		{"MulAddBase shorter x", MulAddBase(c, K{}, baseOf(a))},
		{"BatchInverse", BatchInverse(a, c)},
		{"ProductEvals lo hi", ProductEvals(a[:2], [][]K{a, b}, [][]K{a})},
		{"ProductEvals lo[1]", ProductEvals(a[:2], [][]K{a, c}, [][]K{a, b})},
		{"ProductEvals hi[0]", ProductEvals(a[:2], [][]K{a, b}, [][]K{c, b})},
		{"ProductEvals evals", ProductEvals(long, [][]K{a}, [][]K{b})},
		{"ProductEvals factors", ProductEvals(a[:2], make([][]K, MaxFactors+1), make([][]K, MaxFactors+1))},
	}
	for _, c := range cases {
		if !errors.Is(c.err, ErrLength) {
			t.Errorf("%s: error %v, want ErrLength", c.name, c.err)
		}
	}
	if _, err := InnerProduct(a, c); !errors.Is(err, ErrLength) {
		t.Errorf("InnerProduct: error %v, want ErrLength", err)
	}
	if _, err := InnerBase(a, baseOf(c)); !errors.Is(err, ErrLength) {
		t.Errorf("InnerBase: error %v, want ErrLength", err)
	}
	if _, err := FracSum(a, c); !errors.Is(err, ErrLength) {
		t.Errorf("FracSum: error %v, want ErrLength", err)
	}
	// Nil and empty vectors are valid everywhere.
	if err := errors.Join(Add(nil, nil, nil), Mul(nil, []K{}, nil), Bind(nil, nil, K{}), MulAddBase(nil, K{}, []F{}),
		ProductEvals(nil, nil, nil), ProductEvals(make([]K, MaxEvals), [][]K{nil}, [][]K{{}})); err != nil {
		t.Errorf("empty vectors: %v", err)
	}
}
