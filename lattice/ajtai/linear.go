package ajtai

import (
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/lattice/ring"
)

// The commitment is R_q-linear: L(Z1) + L(Z2) = L(Z1 + Z2) and
// ρ·L(Z) = L(ρ·Z), where ρ·Z multiplies every column by ρ. These are the
// operations Π_RLC and Π_DEC apply to commitments.

// Add returns a + b.
func Add(a, b Commitment) (Commitment, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("%w: adding commitments of %d and %d ring elements", ErrShape, len(a), len(b))
	}
	c := make(Commitment, len(a))
	for i := range c {
		c[i].Add(&a[i], &b[i])
	}
	return c, nil
}

// MulChallenge returns ρ·c for a small ρ (a challenge from C), without full
// ring multiplications.
func MulChallenge(rho *ring.Small, c Commitment) Commitment {
	out := make(Commitment, len(c))
	for i := range c {
		out[i].MulSmall(&c[i], rho)
	}
	return out
}

// Recompose returns Σ b^i·cs[i], the commitment of Σ b^i·Z_i when cs[i]
// commits to Z_i: what the Π_DEC verifier checks against the parent.
func Recompose(cs []Commitment, b uint64) (Commitment, error) {
	if len(cs) == 0 {
		return nil, fmt.Errorf("%w: no commitments to recompose", ErrShape)
	}
	var base goldilocks.Element
	base.SetUint64(b)
	out := make(Commitment, len(cs[0]))
	for k := len(cs) - 1; k >= 0; k-- {
		if len(cs[k]) != len(out) {
			return nil, fmt.Errorf("%w: commitment %d has %d ring elements, want %d", ErrShape, k, len(cs[k]), len(out))
		}
		for i := range out {
			out[i].ScalarMul(&out[i], &base)
			out[i].Add(&out[i], &cs[k][i])
		}
	}
	return out, nil
}
