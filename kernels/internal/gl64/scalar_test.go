package gl64

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// edges are the words where carries, borrows and the 32-bit halves of the
// reduction change behaviour.
var edges = []uint64{0, 1, 2, Q - 1, Q - 2, 1 << 32, 1<<32 - 1, 1<<32 + 1, 1 << 63, 1<<63 - 1, Q >> 1}

// scalarOperands returns every pair of edges and a few thousand random pairs.
func scalarOperands() [][2]uint64 {
	var ops [][2]uint64
	for _, a := range edges {
		for _, b := range edges {
			ops = append(ops, [2]uint64{a, b})
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		ops = append(ops, [2]uint64{r.Uint64N(Q), r.Uint64N(Q)})
	}
	return ops
}

func TestScalarMatchesGnark(t *testing.T) {
	for _, op := range scalarOperands() {
		x, y := goldilocks.Element{op[0]}, goldilocks.Element{op[1]}
		var want goldilocks.Element
		if got := Add(x[0], y[0]); got != want.Add(&x, &y)[0] {
			t.Errorf("Add(%#x, %#x) = %#x, want %#x", x[0], y[0], got, want[0])
		}
		if got := Sub(x[0], y[0]); got != want.Sub(&x, &y)[0] {
			t.Errorf("Sub(%#x, %#x) = %#x, want %#x", x[0], y[0], got, want[0])
		}
		if got := Mul(x[0], y[0]); got != want.Mul(&x, &y)[0] {
			t.Errorf("Mul(%#x, %#x) = %#x, want %#x", x[0], y[0], got, want[0])
		}
		if got := Neg(x[0]); got != want.Neg(&x)[0] {
			t.Errorf("Neg(%#x) = %#x, want %#x", x[0], got, want[0])
		}
	}
}

func TestRedc(t *testing.T) {
	q := new(big.Int).SetUint64(Q)
	rInv := new(big.Int).ModInverse(new(big.Int).Lsh(big.NewInt(1), 64), q)
	for _, op := range scalarOperands() {
		// hi < q keeps hi·2^64 + lo below q·2^64, the contract of Redc.
		hi, lo := op[0], op[1]^op[0]<<7
		x := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
		x.Or(x, new(big.Int).SetUint64(lo))
		want := x.Mul(x, rInv).Mod(x, q).Uint64()
		if got := Redc(hi, lo); got != want {
			t.Errorf("Redc(%#x, %#x) = %#x, want %#x", hi, lo, got, want)
		}
	}
	// Redc(0, x) leaves Montgomery form, which is what gnark's Bits computes.
	for _, v := range edges {
		e := goldilocks.Element{v}
		if got, want := Redc(0, v), e.Bits()[0]; got != want {
			t.Errorf("Redc(0, %#x) = %#x, want %#x", v, got, want)
		}
	}
}
