package ext

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/internal/gltest"
	"github.com/ssprove/ssprove/kernels/field"
)

func TestBatchInverse(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, n := range []int{0, 1, 2, 17, 1000, grain + 3} {
			a := randK(r, n)
			for i := range a {
				if a[i].IsZero() {
					a[i].SetOne()
				}
			}
			res := make([]K, n)
			if err := BatchInverse(res, a); err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
			for i := range a {
				var p K
				if !p.Mul(&res[i], &a[i]).IsOne() {
					t.Fatalf("n=%d: element %d: %v · %v ≠ 1", n, i, res[i], a[i])
				}
			}
			// In place.
			want := slices.Clone(res)
			if err := BatchInverse(a, a); err != nil || !slices.Equal(a, want) {
				t.Fatalf("n=%d: in place: err %v, equal %v", n, err, slices.Equal(a, want))
			}
		}
	})
}

// TestBatchInverseZeros puts zeros among the entries, including elements with
// one zero coordinate (which are invertible), and expects the zeros listed
// and every other entry inverted.
func TestBatchInverseZeros(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		a := randK(r, 300)
		for i := range a {
			if a[i].IsZero() {
				a[i].SetOne()
			}
		}
		zeros := []int{0, 5, 6, 299}
		for _, i := range zeros {
			a[i] = K{}
		}
		a[10].A0.SetZero()
		a[11].A1.SetZero()
		res := randK(r, len(a))
		err := BatchInverse(res, a)
		var ze *field.ZeroError
		if !errors.As(err, &ze) || !slices.Equal(ze.Indices, zeros) {
			t.Fatalf("error %v, want a ZeroError at %v", err, zeros)
		}
		for i := range a {
			var p K
			p.Mul(&res[i], &a[i])
			if slices.Contains(zeros, i) {
				if !res[i].IsZero() {
					t.Errorf("element %d: inverse of 0 is %v, want 0", i, res[i])
				}
			} else if !p.IsOne() {
				t.Errorf("element %d: %v · %v ≠ 1", i, res[i], a[i])
			}
		}
	})
}

func TestFracSum(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(9, 10))
		for _, n := range []int{0, 1, 9, 1000, 3*grain + 5} {
			num, den := randK(r, n), randK(r, n)
			for i := range den {
				if den[i].IsZero() {
					den[i].SetOne()
				}
			}
			var want, f K
			for i := range num {
				f.Inverse(&den[i])
				f.Mul(&f, &num[i])
				want.Add(&want, &f)
			}
			got, err := FracSum(num, den)
			if err != nil || got != want {
				t.Fatalf("n=%d: FracSum = %v, %v; want %v", n, got, err, want)
			}
		}
		num, den := randK(r, 4), randK(r, 4)
		den[2] = K{}
		var ze *field.ZeroError
		if _, err := FracSum(num, den); !errors.As(err, &ze) || !slices.Equal(ze.Indices, []int{2}) {
			t.Errorf("zero denominator: error %v, want a ZeroError at [2]", err)
		}
	})
}
