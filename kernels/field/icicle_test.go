package field

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
)

// TestICICLEMatchesGo runs every function with ICICLE selected — Add, Sub,
// Mul, Sum and InnerProduct through ICICLE, the others on the CPU loops it
// falls back to — and with the portable backend, and wants the same results.
// It needs a build with -tags icicle and the ICICLE libraries (make icicle).
func TestICICLEMatchesGo(t *testing.T) {
	if err := accel.Available(accel.ICICLE); err != nil {
		t.Skipf("ICICLE cannot run here: %v", err)
	}
	prev, err := accel.Selected()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = accel.Use(prev) })
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{1, 2, 3, 64, 1000, 1 << 16, 1<<20 + 1} {
		x, y := randVec(r, n), randVec(r, n)
		s := randVec(r, 1)[0]
		var res [2]string
		for i, b := range []accel.Backend{accel.Go, accel.ICICLE} {
			if _, err := accel.Use(b); err != nil {
				t.Fatal(err)
			}
			out, err := runAll(x, y, s)
			if err != nil {
				t.Fatalf("n=%d on %s: %v", n, b, err)
			}
			res[i] = out
		}
		if res[0] != res[1] {
			t.Fatalf("n=%d: icicle and go differ", n)
		}
	}
}

// runAll runs every function of the package on copies of x and y and
// returns all results printed.
func runAll(x, y []goldilocks.Element, s goldilocks.Element) (string, error) {
	n := len(x)
	res := make([]goldilocks.Element, n)
	out := ""
	for _, op := range []struct {
		name string
		run  func() error
	}{
		{"Add", func() error { return Add(res, x, y) }},
		{"Sub", func() error { return Sub(res, x, y) }},
		{"Mul", func() error { return Mul(res, x, y) }},
		{"ScalarMul", func() error { return ScalarMul(res, x, s) }},
		{"MulAdd", func() error { copy(res, y); return MulAdd(res, s, x) }},
		{"BatchInverse", func() error {
			// Zeros among x are expected: both backends must name the same ones.
			var ze *ZeroError
			if err := BatchInverse(res, x); err != nil && !errors.As(err, &ze) {
				return err
			}
			return nil
		}},
	} {
		if err := op.run(); err != nil {
			return "", fmt.Errorf("%s: %w", op.name, err)
		}
		out += fmt.Sprint(op.name, res)
	}
	ip, err := InnerProduct(x, y)
	if err != nil {
		return "", err
	}
	sum, err := Sum(x)
	if err != nil {
		return "", err
	}
	return out + fmt.Sprint(ip, sum), nil
}
