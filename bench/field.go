package bench

import (
	"context"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/field"
)

// Field times the vector kernels at n = 2^LogSize on every backend against
// gnark-crypto's goldilocks.Vector: Mul against Vector.Mul, MulAdd (y += s·x)
// against Vector.ScalarMul followed by Vector.Add (gnark-crypto has no fused
// form), InnerProduct against Vector.InnerProduct.
func Field(ctx context.Context, c Config) ([]Result, error) {
	c, err := c.withOffload()
	if err != nil {
		return nil, err
	}
	n := 1 << c.LogSize
	a, b, y := random(n), random(n), random(n)
	tmp := make(goldilocks.Vector, n)
	var s goldilocks.Element
	s.MustSetRandom()

	size := fmt.Sprintf("n=2^%d", c.LogSize)
	mul, axpy, inner := "Mul "+size, "MulAdd "+size, "InnerProduct "+size
	va, vb, vy := goldilocks.Vector(a), goldilocks.Vector(b), goldilocks.Vector(y)
	cands := []candidate{
		{impl: "gnark-crypto", op: mul, ref: true, elements: n, run: func() error { tmp.Mul(va, vb); return nil }},
	}
	for _, bk := range c.Backends {
		cands = append(cands, candidate{impl: bk.String(), op: mul, elements: n, backend: bk, run: func() error { return field.Mul(tmp, a, b) }})
	}
	cands = append(cands, candidate{impl: "gnark-crypto", op: axpy, ref: true, elements: n, run: func() error {
		tmp.ScalarMul(vb, &s)
		vy.Add(vy, tmp)
		return nil
	}})
	for _, bk := range c.Backends {
		if accel.Host(bk) != bk {
			continue // MulAdd is not offloaded: its row would be the host's
		}
		cands = append(cands, candidate{impl: bk.String(), op: axpy, elements: n, backend: bk, run: func() error { return field.MulAdd(y, s, b) }})
	}
	cands = append(cands, candidate{impl: "gnark-crypto", op: inner, ref: true, elements: n, run: func() error {
		_ = va.InnerProduct(vb)
		return nil
	}})
	for _, bk := range c.Backends {
		cands = append(cands, candidate{impl: bk.String(), op: inner, elements: n, backend: bk, run: func() error {
			_, err := field.InnerProduct(a, b)
			return err
		}})
	}
	return measure(ctx, c, cands)
}
