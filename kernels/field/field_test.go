package field

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

const q = 0xFFFF_FFFF_0000_0001

// lengths covers every tail of the vector loops, a BatchInverse with several
// lane blocks, and sizes that are split across goroutines with ragged ends.
func lengths() []int {
	var ns []int
	for n := range 68 {
		ns = append(ns, n)
	}
	return append(ns, 1000, 4099, parallelMin, 1<<16+3, 3*parallelMin+17)
}

// randVec returns n random elements with edge values scattered among them.
func randVec(r *rand.Rand, n int) []goldilocks.Element {
	v := make([]goldilocks.Element, n)
	for i := range v {
		v[i][0] = r.Uint64N(q)
	}
	edges := []uint64{0, 1, q - 1, q - 2, 1 << 32, 1<<32 - 1, 1 << 63}
	for i := 0; i < n && i < len(edges); i++ {
		v[(i*7)%n][0] = edges[i]
	}
	return v
}

func TestMatchesGnark(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, n := range lengths() {
			x, y := randVec(r, n), randVec(r, n)
			s := randVec(r, 1)[0]
			if err := checkAll(x, y, s); err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
		}
	})
}

// checkAll runs every function of the package on x, y and s, in place and
// not, and compares the results with gnark-crypto's.
func checkAll(x, y []goldilocks.Element, s goldilocks.Element) error {
	n := len(x)
	gx, gy := goldilocks.Vector(x), goldilocks.Vector(y)
	want := make(goldilocks.Vector, n)
	got := make([]goldilocks.Element, n)

	ops := []struct {
		name string
		run  func(res, a, b []goldilocks.Element) error
		ref  func()
	}{
		{"Add", Add, func() { want.Add(gx, gy) }},
		{"Sub", Sub, func() { want.Sub(gx, gy) }},
		{"Mul", Mul, func() { want.Mul(gx, gy) }},
		{"ScalarMul", func(res, a, _ []goldilocks.Element) error { return ScalarMul(res, a, s) },
			func() { want.ScalarMul(gx, &s) }},
	}
	for _, op := range ops {
		op.ref()
		if err := op.run(got, x, y); err != nil {
			return fmt.Errorf("%s: %w", op.name, err)
		}
		if err := diff(op.name, got, want); err != nil {
			return err
		}
		copy(got, x)
		if err := op.run(got, got, y); err != nil {
			return fmt.Errorf("%s in place: %w", op.name, err)
		}
		if err := diff(op.name+" in place", got, want); err != nil {
			return err
		}
	}

	var p goldilocks.Vector = make([]goldilocks.Element, n)
	p.ScalarMul(gx, &s)
	want.Add(gy, p)
	copy(got, y)
	if err := MulAdd(got, s, x); err != nil {
		return fmt.Errorf("MulAdd: %w", err)
	}
	if err := diff("MulAdd", got, want); err != nil {
		return err
	}

	if ip, err := InnerProduct(x, y); err != nil || ip != gx.InnerProduct(gy) {
		return fmt.Errorf("InnerProduct = %#x, %v; want %#x", ip[0], err, gx.InnerProduct(gy)[0])
	}
	if sum, err := Sum(x); err != nil || sum != gx.Sum() {
		return fmt.Errorf("Sum = %#x, %v; want %#x", sum[0], err, gx.Sum()[0])
	}
	return checkInverse(x)
}

// checkInverse compares BatchInverse with gnark-crypto, which maps zeros to
// zero as BatchInverse does, and checks the reported zero positions.
func checkInverse(x []goldilocks.Element) error {
	want := goldilocks.BatchInvert(x)
	var zeros []int
	for i := range x {
		if x[i].IsZero() {
			zeros = append(zeros, i)
		}
	}
	for _, inPlace := range []bool{false, true} {
		got := make([]goldilocks.Element, len(x))
		var err error
		if inPlace {
			copy(got, x)
			err = BatchInverse(got, got)
		} else {
			err = BatchInverse(got, x)
		}
		if len(zeros) == 0 && err != nil {
			return fmt.Errorf("BatchInverse (in place %v): %w", inPlace, err)
		}
		if len(zeros) > 0 {
			var ze *ZeroError
			if !errors.As(err, &ze) || !slices.Equal(ze.Indices, zeros) {
				return fmt.Errorf("BatchInverse (in place %v) error %v, want zeros at %v", inPlace, err, zeros)
			}
		}
		if err := diff(fmt.Sprintf("BatchInverse (in place %v)", inPlace), got, want); err != nil {
			return err
		}
	}
	return nil
}

func diff(op string, got, want []goldilocks.Element) error {
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("%s: element %d of %d: got %#x, want %#x", op, i, len(want), got[i][0], want[i][0])
		}
	}
	return nil
}

func TestBatchInverseZeros(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for _, n := range []int{1, 2, 63, 64, 65, 130, 1000, 3*parallelMin + 17} {
			places := map[string][]int{
				"start":  {0},
				"middle": {n / 2},
				"end":    {n - 1},
				"spread": {0, n / 3, n / 2, n - 1},
			}
			for name, at := range places {
				x := randVec(r, n)
				for i := range x {
					if x[i].IsZero() {
						x[i].SetOne()
					}
				}
				for _, i := range at {
					x[i].SetZero()
				}
				if err := checkInverse(x); err != nil {
					t.Errorf("n=%d zeros at %s: %v", n, name, err)
				}
			}
			if err := checkInverse(make([]goldilocks.Element, n)); err != nil {
				t.Errorf("n=%d all zero: %v", n, err)
			}
		}
	})
}

func TestEmpty(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		for _, v := range [][]goldilocks.Element{nil, {}} {
			if err := errors.Join(Add(v, v, v), Sub(v, v, v), Mul(v, v, v), ScalarMul(v, v, goldilocks.One()),
				MulAdd(v, goldilocks.One(), v), BatchInverse(v, v)); err != nil {
				t.Error(err)
			}
			if s, err := InnerProduct(v, nil); err != nil || !s.IsZero() {
				t.Errorf("InnerProduct of empty vectors = %v, %v", s, err)
			}
			if s, err := Sum(v); err != nil || !s.IsZero() {
				t.Errorf("Sum of an empty vector = %v, %v", s, err)
			}
		}
	})
}

func TestLengthMismatch(t *testing.T) {
	a, b := make([]goldilocks.Element, 3), make([]goldilocks.Element, 5)
	one := goldilocks.One()
	_, errIP := InnerProduct(a, b)
	for name, err := range map[string]error{
		"Add a,b":      Add(a, a, b),
		"Add res":      Add(b, a, a),
		"Sub":          Sub(a, b, a),
		"Mul":          Mul(a, a, b),
		"ScalarMul":    ScalarMul(a, b, one),
		"MulAdd":       MulAdd(a, one, b),
		"InnerProduct": errIP,
		"BatchInverse": BatchInverse(a, b),
	} {
		if !errors.Is(err, ErrLength) {
			t.Errorf("%s: error %v, want one wrapping ErrLength", name, err)
		}
	}
}

func TestBackendWithoutLoopsIsAnError(t *testing.T) {
	for _, b := range accel.All() {
		_, err := vectorsOf(b, "Mul")
		if gl64.Vectors(b) != nil {
			if err != nil {
				t.Errorf("%s: %v", b, err)
			}
			continue
		}
		if !errors.Is(err, accel.ErrUnavailable) || !strings.Contains(err.Error(), b.String()) {
			t.Errorf("%s: error %v, want one naming the backend and wrapping accel.ErrUnavailable", b, err)
		}
	}
}

// FuzzKernels derives a length, a scalar and two vectors from the input and
// checks every function on every available backend against gnark-crypto.
func FuzzKernels(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{70, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add(binary.LittleEndian.AppendUint64([]byte{200}, q-1))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		n := int(data[0])
		words := gltest.WordsOf(data[1:], 1+2*n)
		s := goldilocks.Element{words[0]}
		x, y := make([]goldilocks.Element, n), make([]goldilocks.Element, n)
		for i := range n {
			x[i][0], y[i][0] = words[1+i], words[1+n+i]
		}
		gltest.ForEachBackend(t, func(t *testing.T) {
			if err := checkAll(slices.Clone(x), slices.Clone(y), s); err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
		})
	})
}
