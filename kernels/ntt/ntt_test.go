package ntt

import (
	"errors"
	"fmt"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/consensys/gnark-crypto/field/goldilocks/fft"

	"github.com/ssprove/ssprove/internal/gltest"
)

func randVec(n int) []E {
	v := make([]E, n)
	for i := range v {
		v[i].MustSetRandom()
	}
	return v
}

// naiveDFT is the O(n²) definition Σ_j v[j]·w^(ij).
func naiveDFT(v []E, w E) []E {
	out := make([]E, len(v))
	var wi E
	wi.SetOne()
	for i := range out {
		var x, acc E
		x.SetOne()
		for j := range v {
			var p E
			p.Mul(&v[j], &x)
			acc.Add(&acc, &p)
			x.Mul(&x, &wi)
		}
		out[i] = acc
		wi.Mul(&wi, &w)
	}
	return out
}

func gnarkForward(v []E) []E {
	out := append([]E(nil), v...)
	fft.NewDomain(uint64(len(v))).FFT(out, fft.DIF)
	fft.BitReverse(out)
	return out
}

func equal(t *testing.T, what string, got, want []E) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: index %d of %d: got %s, want %s", what, i, len(got), got[i].String(), want[i].String())
		}
	}
}

func testSizes() []int {
	var s []int
	for k := 0; k <= 16; k++ {
		s = append(s, k)
	}
	return append(s, 18, 20)
}

func TestForwardMatchesGnark(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		for _, k := range testSizes() {
			n := 1 << k
			if k > 16 && testing.Short() {
				continue
			}
			d, err := NewDomain(n)
			if err != nil {
				t.Fatal(err)
			}
			if d.Generator() != must(goldilocks.Generator(uint64(n))) {
				t.Fatalf("n=%d: generator differs from gnark's", n)
			}
			x := randVec(n)
			want := gnarkForward(x)

			got := append([]E(nil), x...)
			if err := d.Forward(got); err != nil {
				t.Fatal(err)
			}
			equal(t, fmt.Sprintf("Forward n=2^%d", k), got, want)

			dif := append([]E(nil), x...)
			if err := d.ForwardDIF(dif); err != nil {
				t.Fatal(err)
			}
			fft.BitReverse(want)
			equal(t, fmt.Sprintf("ForwardDIF n=2^%d", k), dif, want)

			if err := d.InverseDIT(dif); err != nil {
				t.Fatal(err)
			}
			equal(t, fmt.Sprintf("InverseDIT(ForwardDIF) n=2^%d", k), dif, x)
			if err := d.Inverse(got); err != nil {
				t.Fatal(err)
			}
			equal(t, fmt.Sprintf("Inverse(Forward) n=2^%d", k), got, x)
		}
	})
}

func must[T any](x T, err error) T {
	if err != nil {
		panic(err)
	}
	return x
}

func TestBatch(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		for _, k := range []int{0, 1, 3, 4, 6, 8, 10, 11, 12} {
			n := 1 << k
			d, err := NewDomain(n)
			if err != nil {
				t.Fatal(err)
			}
			for _, count := range []int{0, 1, 3, 7, 33} {
				x := randVec(n * count)
				got := append([]E(nil), x...)
				if err := d.ForwardBatch(got); err != nil {
					t.Fatal(err)
				}
				for i := range count {
					equal(t, fmt.Sprintf("ForwardBatch n=2^%d count=%d vector %d", k, count, i),
						got[i*n:(i+1)*n], gnarkForward(x[i*n:(i+1)*n]))
				}
				if err := d.InverseBatch(got); err != nil {
					t.Fatal(err)
				}
				equal(t, fmt.Sprintf("InverseBatch(ForwardBatch) n=2^%d count=%d", k, count), got, x)
			}
		}
	})
}

func TestCoset(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		for _, k := range []int{0, 1, 2, 3, 5, 6, 7, 10, 13} {
			n := 1 << k
			d, err := NewDomain(n)
			if err != nil {
				t.Fatal(err)
			}
			var shift E
			shift.MustSetRandom()
			x := randVec(n)

			want := append([]E(nil), x...)
			fft.NewDomain(uint64(n), fft.WithShift(shift)).FFT(want, fft.DIF, fft.OnCoset())
			fft.BitReverse(want)

			got := append([]E(nil), x...)
			if err := d.ForwardCoset(got, shift); err != nil {
				t.Fatal(err)
			}
			equal(t, fmt.Sprintf("ForwardCoset n=2^%d", k), got, want)
			if err := d.InverseCoset(got, shift); err != nil {
				t.Fatal(err)
			}
			equal(t, fmt.Sprintf("InverseCoset(ForwardCoset) n=2^%d", k), got, x)
		}
	})
}

// TestAgainstDefinition checks small sizes against the O(n²) sum, which does
// not rely on gnark-crypto's ordering conventions.
func TestAgainstDefinition(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		for k := 0; k <= 8; k++ {
			n := 1 << k
			d, err := NewDomain(n)
			if err != nil {
				t.Fatal(err)
			}
			x := randVec(n)
			got := append([]E(nil), x...)
			if err := d.Forward(got); err != nil {
				t.Fatal(err)
			}
			equal(t, fmt.Sprintf("Forward n=2^%d", k), got, naiveDFT(x, d.Generator()))
		}
	})
}

func TestConvolution(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		for _, k := range []int{0, 1, 4, 6, 9} {
			n := 1 << k
			d, err := NewDomain(n)
			if err != nil {
				t.Fatal(err)
			}
			a, b := randVec(n), randVec(n)
			want := make([]E, n)
			for i := range a {
				for j := range b {
					var p E
					p.Mul(&a[i], &b[j])
					want[(i+j)%n].Add(&want[(i+j)%n], &p)
				}
			}
			fa, fb := append([]E(nil), a...), append([]E(nil), b...)
			if err := d.Forward(fa); err != nil {
				t.Fatal(err)
			}
			if err := d.Forward(fb); err != nil {
				t.Fatal(err)
			}
			for i := range fa {
				fa[i].Mul(&fa[i], &fb[i])
			}
			if err := d.Inverse(fa); err != nil {
				t.Fatal(err)
			}
			equal(t, fmt.Sprintf("cyclic convolution n=2^%d", k), fa, want)
		}
	})
}

func TestConcurrentUse(t *testing.T) {
	const n = 1 << 12
	d, err := NewDomain(n, WithTasks(3))
	if err != nil {
		t.Fatal(err)
	}
	x := randVec(n)
	want := gnarkForward(x)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			v := append([]E(nil), x...)
			err := d.Forward(v)
			if err == nil && fmt.Sprint(v) != fmt.Sprint(want) {
				err = errors.New("concurrent Forward differs from gnark")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, n := range []int{0, -4, 3, 12, 1<<MaxLogSize + 1, 1 << (MaxLogSize + 1)} {
		if _, err := NewDomain(n); !errors.Is(err, ErrSize) {
			t.Errorf("NewDomain(%d): got %v, want ErrSize", n, err)
		}
	}
	if _, err := NewDomain(8, WithTasks(0)); !errors.Is(err, ErrTasks) {
		t.Errorf("WithTasks(0): got %v, want ErrTasks", err)
	}
	d, err := NewDomain(16)
	if err != nil {
		t.Fatal(err)
	}
	one := []E{{1}}
	single := map[string]func([]E) error{
		"Forward": d.Forward, "Inverse": d.Inverse, "ForwardDIF": d.ForwardDIF, "InverseDIT": d.InverseDIT,
		"ForwardCoset": func(v []E) error { return d.ForwardCoset(v, one[0]) },
		"InverseCoset": func(v []E) error { return d.InverseCoset(v, one[0]) },
	}
	for name, f := range single {
		for _, v := range [][]E{nil, make([]E, 15), make([]E, 32)} {
			if err := f(v); !errors.Is(err, ErrLength) {
				t.Errorf("%s(len %d): got %v, want ErrLength", name, len(v), err)
			}
		}
	}
	for name, f := range map[string]func([]E) error{"ForwardBatch": d.ForwardBatch, "InverseBatch": d.InverseBatch} {
		if err := f(make([]E, 40)); !errors.Is(err, ErrLength) {
			t.Errorf("%s(len 40): got %v, want ErrLength", name, err)
		}
		if err := f(nil); err != nil {
			t.Errorf("%s(nil): got %v, want no-op", name, err)
		}
	}
	var zero E
	if err := d.ForwardCoset(make([]E, 16), zero); !errors.Is(err, ErrShift) {
		t.Errorf("ForwardCoset with zero shift: got %v, want ErrShift", err)
	}
	if err := d.InverseCoset(make([]E, 16), zero); !errors.Is(err, ErrShift) {
		t.Errorf("InverseCoset with zero shift: got %v, want ErrShift", err)
	}
}

// TestTablesFourthRoot checks every table a kernel gets at every supported
// size: entry m/4 of a table of m/2 is ω4, which the AVX-512 radix-4
// butterflies multiply by with shifts, so it must be ±2^48.
func TestTablesFourthRoot(t *testing.T) {
	var plus, minus E
	plus.SetUint64(1 << 48)
	minus.Neg(&plus)
	for logn := 2; logn <= MaxLogSize; logn++ {
		d, err := NewDomain(1 << logn)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range []*tables{d.tables(&d.fwd), d.tables(&d.inv)} {
			for name, tw := range map[string][]E{"full": tb.full, "tw1": tb.tw1, "tw2": tb.tw2} {
				if m := 2 * len(tw); m >= 4 && tw[m/4] != plus && tw[m/4] != minus {
					t.Fatalf("n=2^%d %s: ω4 = %s, not ±2^48", logn, name, tw[m/4].String())
				}
			}
		}
	}
}
