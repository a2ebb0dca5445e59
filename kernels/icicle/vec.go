//go:build icicle

package icicle

import (
	"fmt"
	"math"

	"github.com/ingonyama-zk/icicle/v3/wrappers/golang/core"
	gl "github.com/ingonyama-zk/icicle/v3/wrappers/golang/fields/goldilocks"
	"github.com/ingonyama-zk/icicle/v3/wrappers/golang/fields/goldilocks/vecOps"
)

// Add sets res[i] = a[i] + b[i]. Operands may be the same Data.
func Add(res, a, b Data) error { return vecOp("add", core.Add, res, a, b) }

// Sub sets res[i] = a[i] − b[i].
func Sub(res, a, b Data) error { return vecOp("sub", core.Sub, res, a, b) }

// Mul sets res[i] = a[i] · b[i].
func Mul(res, a, b Data) error {
	if err := vecOp("mul", core.Mul, res, a, b); err != nil || res.Len() == 0 {
		return err
	}
	// ICICLE multiplied aR by bR: one factor R too many.
	return FromMontgomery(res)
}

func vecOp(name string, op core.VecOps, res, a, b Data) error {
	n := res.Len()
	name = fmt.Sprintf("%s %d", name, n)
	s, err := vecOperands(name, n, res, a, b)
	if err != nil || n == 0 {
		return err
	}
	return check(name, vecOps.VecOp(s[1], s[2], s[0], core.DefaultVecOpsConfig(), op))
}

// Sum returns Σ a[i], zero for an empty vector.
func Sum(a Data) (E, error) {
	n := a.Len()
	name := fmt.Sprintf("sum %d", n)
	s, err := vecOperands(name, n, a)
	if err != nil || n == 0 {
		return E{}, err
	}
	// A sum of Montgomery words is the Montgomery word of the sum.
	out := make(core.HostSlice[E], 1)
	if err := check(name, vecOps.ReductionVecOp(s[0], out, core.DefaultVecOpsConfig(), core.Sum)); err != nil {
		return E{}, err
	}
	return out[0], nil
}

// InnerProduct returns Σ a[i]·b[i], zero for empty vectors. It needs scratch
// of a's length, on the device when a is a Buffer.
func InnerProduct(a, b Data) (E, error) {
	n := a.Len()
	name := fmt.Sprintf("inner product %d", n)
	s, err := vecOperands(name, n, a, b)
	if err != nil || n == 0 {
		return E{}, err
	}
	var tmp Data = make(Host, n)
	if _, ok := a.(*Buffer); ok {
		buf, err := NewBuffer(n)
		if err != nil {
			return E{}, fmt.Errorf("icicle: %s: %w", name, err)
		}
		defer buf.Free()
		tmp = buf
	}
	t, err := tmp.slice()
	if err != nil {
		return E{}, err
	}
	if err := check(name, vecOps.VecOp(s[0], s[1], t, core.DefaultVecOpsConfig(), core.Mul)); err != nil {
		return E{}, err
	}
	out := make(core.HostSlice[E], 1)
	if err := check(name, vecOps.ReductionVecOp(t, out, core.DefaultVecOpsConfig(), core.Sum)); err != nil {
		return E{}, err
	}
	// The products were aR·bR, so the sum is R²·Σab; a Montgomery product
	// with the word 1 divides it by R once, leaving gnark-crypto's word.
	r := out[0]
	r.Mul(&r, &E{1})
	return r, nil
}

// FromMontgomery replaces every Montgomery word x·2^64 mod q in v (a
// gnark-crypto element's word) by the canonical value x, with ICICLE's
// conversion.
func FromMontgomery(v Data) error { return convert("from Montgomery", v, false) }

// ToMontgomery is the inverse of FromMontgomery: canonical values in, the
// words of gnark-crypto's elements out.
func ToMontgomery(v Data) error { return convert("to Montgomery", v, true) }

func convert(name string, v Data, into bool) error {
	n := v.Len()
	name = fmt.Sprintf("%s %d", name, n)
	s, err := vecOperands(name, n, v)
	if err != nil || n == 0 {
		return err
	}
	if into {
		return check(name, gl.ToMontgomery(s[0]))
	}
	return check(name, gl.FromMontgomery(s[0]))
}

// vecOperands is operands for the vector kernels, whose C API takes an int length.
func vecOperands(name string, n int, ds ...Data) ([]core.HostOrDeviceSlice, error) {
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("icicle: %s: more than 2^31−1 elements in one call: %w", name, ErrLength)
	}
	if n == 0 {
		for i, d := range ds {
			if d.Len() != 0 {
				return nil, fmt.Errorf("icicle: %s: operand %d has %d elements, want 0: %w", name, i, d.Len(), ErrLength)
			}
		}
		return nil, nil
	}
	return operands(name, n, ds...)
}
