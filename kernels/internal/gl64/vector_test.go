package gl64

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
)

// kernelsOf returns the tables get gives for each backend this machine and
// build can run, logging why each other backend is left out.
func kernelsOf[K any](tb testing.TB, get func(accel.Backend) *K) map[accel.Backend]*K {
	tb.Helper()
	ks := make(map[accel.Backend]*K)
	for _, b := range accel.All() {
		if err := accel.Available(b); err != nil {
			tb.Logf("skip %s: %v", b, err)
			continue
		}
		if k := get(b); k != nil {
			ks[b] = k
		} else {
			tb.Logf("skip %s: no such kernels for it in this build", b)
		}
	}
	return ks
}

// testLengths covers every tail of both lane counts, several pairs of vectors,
// and sizes far past any unrolling.
func testLengths() []int {
	var ns []int
	for n := range 68 {
		ns = append(ns, n)
	}
	return append(ns, 1000, 4099, 1<<16+3)
}

func TestVectorsMatchGnark(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for b, v := range kernelsOf(t, Vectors) {
		t.Run(b.String(), func(t *testing.T) {
			for _, n := range testLengths() {
				x, y := randVec(r, n), randVec(r, n)
				s := randVec(r, 1)[0]
				if err := check(v, x, y, s); err != nil {
					t.Fatalf("n=%d: %v", n, err)
				}
				if err := compare(v, &Generic, x, y, s); err != nil {
					t.Fatalf("n=%d: %v", n, err)
				}
			}
		})
	}
}

// TestVectorsExtremes fills whole vectors with the largest words, so every lane
// of every accumulator wraps on each step.
func TestVectorsExtremes(t *testing.T) {
	for b, v := range kernelsOf(t, Vectors) {
		for _, w := range []uint64{Q - 1, Q - 2, 1 << 63, 1<<32 - 1} {
			for _, n := range []int{8, 33, 1 << 12} {
				x, y := make([]E, n), make([]E, n)
				for i := range x {
					x[i][0], y[i][0] = w, Q-1
				}
				if err := check(v, x, y, E{w}); err != nil {
					t.Errorf("%s w=%#x n=%d: %v", b, w, n, err)
				}
			}
		}
	}
}

// check runs every loop of v on x, y and s, on fresh outputs and aliased ones,
// and compares each element with gnark-crypto.
func check(v *Vector, x, y []E, s E) error {
	n := len(x)
	want := make([]E, n)
	got := make([]E, n)
	elementwise := []struct {
		name string
		run  func(res, a, b []E)
		ref  func(z, a, b *E) *E
	}{
		{"Add", v.Add, (*E).Add},
		{"Sub", v.Sub, (*E).Sub},
		{"Mul", v.Mul, (*E).Mul},
		{"ScalarMul", func(res, a, _ []E) { v.ScalarMul(res, a, s) }, func(z, a, _ *E) *E { return z.Mul(a, &s) }},
	}
	for _, op := range elementwise {
		for i := range want {
			op.ref(&want[i], &x[i], &y[i])
		}
		op.run(got, x, y)
		if err := diff(op.name, got, want, x, y); err != nil {
			return err
		}
		copy(got, x)
		op.run(got, got, y)
		if err := diff(op.name+" with res = a", got, want, x, y); err != nil {
			return err
		}
		copy(got, y)
		op.run(got, x, got)
		if err := diff(op.name+" with res = b", got, want, x, y); err != nil {
			return err
		}
	}

	for i := range want {
		var p E
		p.Mul(&s, &x[i])
		want[i].Add(&y[i], &p)
	}
	copy(got, y)
	v.MulAdd(got, s, x)
	if err := diff("MulAdd", got, want, x, y); err != nil {
		return err
	}
	// y += s·y aliases the two operands of MulAdd.
	for i := range want {
		var p E
		p.Mul(&s, &y[i])
		want[i].Add(&y[i], &p)
	}
	copy(got, y)
	v.MulAdd(got, s, got)
	if err := diff("MulAdd with x = y", got, want, y, y); err != nil {
		return err
	}

	gx := goldilocks.Vector(x)
	if got, want := v.Inner(x, y), gx.InnerProduct(y); got != want {
		return fmt.Errorf("Inner = %#x, want %#x", got[0], want[0])
	}
	if got, want := v.Sum(x), gx.Sum(); got != want {
		return fmt.Errorf("Sum = %#x, want %#x", got[0], want[0])
	}
	return nil
}

// compare checks that v and ref produce the same words on every loop.
func compare(v, ref *Vector, x, y []E, s E) error {
	n := len(x)
	got, want := make([]E, n), make([]E, n)
	pairs := []struct {
		name     string
		run, ref func(res, a, b []E)
	}{
		{"Add", v.Add, ref.Add},
		{"Sub", v.Sub, ref.Sub},
		{"Mul", v.Mul, ref.Mul},
		{"ScalarMul", func(r, a, _ []E) { v.ScalarMul(r, a, s) }, func(r, a, _ []E) { ref.ScalarMul(r, a, s) }},
		{"MulAdd", func(r, a, b []E) { copy(r, b); v.MulAdd(r, s, a) }, func(r, a, b []E) { copy(r, b); ref.MulAdd(r, s, a) }},
	}
	for _, p := range pairs {
		p.run(got, x, y)
		p.ref(want, x, y)
		if err := diff(p.name+" against the reference", got, want, x, y); err != nil {
			return err
		}
	}
	if g, w := v.Inner(x, y), ref.Inner(x, y); g != w {
		return fmt.Errorf("Inner = %#x, reference %#x", g[0], w[0])
	}
	if g, w := v.Sum(x), ref.Sum(x); g != w {
		return fmt.Errorf("Sum = %#x, reference %#x", g[0], w[0])
	}
	return nil
}

func diff(op string, got, want, x, y []E) error {
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("%s: element %d of %d: got %#x, want %#x (inputs %#x, %#x)",
				op, i, len(want), got[i][0], want[i][0], x[i][0], y[i][0])
		}
	}
	return nil
}

// randVec returns n random elements with the edge words scattered among them.
func randVec(r *rand.Rand, n int) []E {
	v := make([]E, n)
	for i := range v {
		v[i][0] = r.Uint64N(Q)
	}
	for i := 0; i < n && i < len(edges); i++ {
		v[(i*5)%n][0] = edges[i]
	}
	return v
}

// FuzzVector derives a length, a scalar and two vectors from the input and
// runs every backend's loops against the portable ones.
func FuzzVector(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{9, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	seed := make([]byte, 1+8*(1+2*37))
	seed[0] = 37
	for i := 1; i < len(seed); i++ {
		seed[i] = 0xff
	}
	f.Add(seed)
	f.Add(binary.LittleEndian.AppendUint64([]byte{17}, Q))

	vs := kernelsOf(f, Vectors)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		n := int(data[0])
		words := gltest.WordsOf(data[1:], 1+2*n)
		s, x, y := E{words[0]}, words[1:1+n], words[1+n:]
		xs, ys := make([]E, n), make([]E, n)
		for i := range n {
			xs[i][0], ys[i][0] = x[i], y[i]
		}
		for b, v := range vs {
			if err := compare(v, &Generic, xs, ys, s); err != nil {
				t.Fatalf("%s n=%d: %v", b, n, err)
			}
			if err := check(v, slices.Clone(xs), slices.Clone(ys), s); err != nil {
				t.Fatalf("%s n=%d: %v", b, n, err)
			}
		}
	})
}
