//go:build icicle

package field

import (
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/icicle"
)

// onICICLE reports whether the selected backend runs on an ICICLE device
// (ICICLE's CPU device for icicle, its CUDA device for cuda), and makes
// that device current when it does.
func onICICLE(op string) (bool, error) {
	ok, err := accel.UseICICLE()
	if err != nil {
		return true, fmt.Errorf("field: %s: %w", op, err)
	}
	return ok, nil
}

// viaICICLE runs Add, Sub or Mul through kernels/icicle when ICICLE is the
// selected backend, and reports whether it did. The lengths are checked.
func viaICICLE(op string, res, a, b []goldilocks.Element) (bool, error) {
	if ok, err := onICICLE(op); !ok || err != nil {
		return ok, err
	}
	f := map[string]func(res, a, b icicle.Data) error{"Add": icicle.Add, "Sub": icicle.Sub, "Mul": icicle.Mul}[op]
	if err := f(icicle.Host(res), icicle.Host(a), icicle.Host(b)); err != nil {
		return true, fmt.Errorf("field: %s: %w", op, err)
	}
	return true, nil
}

// reduceViaICICLE is viaICICLE for Sum (b nil) and InnerProduct.
func reduceViaICICLE(op string, a, b []goldilocks.Element) (bool, goldilocks.Element, error) {
	if ok, err := onICICLE(op); !ok || err != nil {
		return ok, goldilocks.Element{}, err
	}
	var r goldilocks.Element
	var err error
	if b == nil {
		r, err = icicle.Sum(icicle.Host(a))
	} else {
		r, err = icicle.InnerProduct(icicle.Host(a), icicle.Host(b))
	}
	if err != nil {
		return true, goldilocks.Element{}, fmt.Errorf("field: %s: %w", op, err)
	}
	return true, r, nil
}
