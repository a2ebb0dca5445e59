package challenge

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/lattice/ring"
)

// T bounds the operator norm of every challenge: ‖c·v‖∞ ≤ T·‖v‖∞ for c ∈ C.
// Column j of rot(c) is c·X^j mod Φ81 = X^54 + X^27 + 1; reducing with
// X^54 = −X^27 − 1 and X^81 = 1 puts each c_k in any one row at most twice,
// so every row has ℓ1 norm at most 2·Σ|c_k| ≤ 2·2·54 = 216.
const T = 216

// MaxRejections is how many squeezes Sample discards before it reports the
// source as broken.
const MaxRejections = 64

const (
	half  = ring.D / 2          // coefficients taken from one squeeze
	pow   = 7450580596923828125 // 5^27, the number of halves
	limit = 2 * pow             // ⌊q/5^27⌋·5^27: squeezes from here up are rejected
)

// ErrSource is wrapped by the error Sample returns when its source is nil or
// keeps yielding values it must reject.
var ErrSource = errors.New("challenge: source yields no usable field elements")

// Source yields uniformly random field elements, e.g. a transcript's squeeze.
type Source interface {
	SqueezeField() goldilocks.Element
}

// Sample draws a challenge uniformly from C by the procedure in the package
// documentation, consuming at least two squeezes from src (more after
// rejections). It returns an error wrapping ErrSource if src is nil or if
// MaxRejections squeezes were rejected.
func Sample(src Source) (ring.Small, error) {
	var c ring.Small
	if src == nil {
		return c, fmt.Errorf("%w: nil source", ErrSource)
	}
	rejected := 0
	for filled := 0; filled < ring.D; {
		x := src.SqueezeField()
		v := x.Uint64()
		if v >= limit {
			rejected++
			if rejected == MaxRejections {
				return ring.Small{}, fmt.Errorf("%w: %d squeezes rejected, the last %d", ErrSource, rejected, v)
			}
			continue
		}
		v %= pow
		for i := range half {
			c[filled+i] = int8(v%5) - 2
			v /= 5
		}
		filled += half
		if filled < ring.D {
			continue
		}
		// Never true for coefficients in {−2…2} (see T), but the bound the
		// folding soundness needs is checked rather than assumed.
		if norm := c.OperatorNorm(); norm > T {
			rejected++
			if rejected == MaxRejections {
				return ring.Small{}, fmt.Errorf("%w: %d rejections, the last a challenge of operator norm %d > %d", ErrSource, rejected, norm, T)
			}
			filled = 0
		}
	}
	return c, nil
}
