package field

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// ErrLength is wrapped by every error about vectors of different lengths.
var ErrLength = errors.New("field: vector lengths differ")

// Add sets res[i] = a[i] + b[i].
func Add(res, a, b []goldilocks.Element) error {
	v, err := prepare("Add", res, a, b)
	if err != nil {
		return err
	}
	if ok, err := viaCUDA("Add", res, a, b); ok {
		return err
	}
	if ok, err := viaICICLE("Add", res, a, b); ok {
		return err
	}
	chunked(len(res), func(lo, hi int) { v.Add(res[lo:hi], a[lo:hi], b[lo:hi]) })
	return nil
}

// Sub sets res[i] = a[i] − b[i].
func Sub(res, a, b []goldilocks.Element) error {
	v, err := prepare("Sub", res, a, b)
	if err != nil {
		return err
	}
	if ok, err := viaCUDA("Sub", res, a, b); ok {
		return err
	}
	if ok, err := viaICICLE("Sub", res, a, b); ok {
		return err
	}
	chunked(len(res), func(lo, hi int) { v.Sub(res[lo:hi], a[lo:hi], b[lo:hi]) })
	return nil
}

// Mul sets res[i] = a[i] · b[i].
func Mul(res, a, b []goldilocks.Element) error {
	v, err := prepare("Mul", res, a, b)
	if err != nil {
		return err
	}
	if ok, err := viaCUDA("Mul", res, a, b); ok {
		return err
	}
	if ok, err := viaICICLE("Mul", res, a, b); ok {
		return err
	}
	chunked(len(res), func(lo, hi int) { v.Mul(res[lo:hi], a[lo:hi], b[lo:hi]) })
	return nil
}

// ScalarMul sets res[i] = s · a[i].
func ScalarMul(res, a []goldilocks.Element, s goldilocks.Element) error {
	if err := sameLength("ScalarMul", "res", len(res), "a", len(a)); err != nil {
		return err
	}
	if ok, err := scalarMulViaCUDA(res, a, s); ok {
		return err
	}
	v, err := vectors("ScalarMul")
	if err != nil {
		return err
	}
	chunked(len(res), func(lo, hi int) { v.ScalarMul(res[lo:hi], a[lo:hi], s) })
	return nil
}

// MulAdd sets y[i] = y[i] + s · x[i]. x may be y.
func MulAdd(y []goldilocks.Element, s goldilocks.Element, x []goldilocks.Element) error {
	if err := sameLength("MulAdd", "y", len(y), "x", len(x)); err != nil {
		return err
	}
	if ok, err := mulAddViaCUDA(y, s, x); ok {
		return err
	}
	v, err := vectors("MulAdd")
	if err != nil {
		return err
	}
	chunked(len(y), func(lo, hi int) { v.MulAdd(y[lo:hi], s, x[lo:hi]) })
	return nil
}

// InnerProduct returns Σ a[i] · b[i], zero for empty vectors.
func InnerProduct(a, b []goldilocks.Element) (goldilocks.Element, error) {
	if err := sameLength("InnerProduct", "a", len(a), "b", len(b)); err != nil {
		return goldilocks.Element{}, err
	}
	if ok, r, err := reduceViaICICLE("InnerProduct", a, b); ok {
		return r, err
	}
	v, err := vectors("InnerProduct")
	if err != nil {
		return goldilocks.Element{}, err
	}
	return reduced(v, len(a), func(lo, hi int) goldilocks.Element { return v.Inner(a[lo:hi], b[lo:hi]) }), nil
}

// Sum returns Σ a[i], zero for an empty vector.
func Sum(a []goldilocks.Element) (goldilocks.Element, error) {
	if ok, r, err := reduceViaICICLE("Sum", a, nil); ok {
		return r, err
	}
	v, err := vectors("Sum")
	if err != nil {
		return goldilocks.Element{}, err
	}
	return reduced(v, len(a), func(lo, hi int) goldilocks.Element { return v.Sum(a[lo:hi]) }), nil
}

// vectors returns the loops of the selected backend; for ICICLE, which has
// kernels for only some operations, those of the fastest CPU backend.
func vectors(op string) (*gl64.Vector, error) {
	b, err := accel.Selected()
	if err != nil {
		return nil, fmt.Errorf("field: %s: %w", op, err)
	}
	return vectorsOf(accel.Host(b), op)
}

// vectorsOf returns the loops of backend b, or an error naming it when this
// build has none for it.
func vectorsOf(b accel.Backend, op string) (*gl64.Vector, error) {
	v := gl64.Vectors(b)
	if v == nil {
		return nil, fmt.Errorf("field: %s: %w: backend %s has no field kernels in this build",
			op, accel.ErrUnavailable, b)
	}
	return v, nil
}

// prepare checks the lengths of a three-operand call and returns its loops.
func prepare(op string, res, a, b []goldilocks.Element) (*gl64.Vector, error) {
	if err := sameLength(op, "a", len(a), "b", len(b)); err != nil {
		return nil, err
	}
	if err := sameLength(op, "res", len(res), "a", len(a)); err != nil {
		return nil, err
	}
	return vectors(op)
}

func sameLength(op, xName string, x int, yName string, y int) error {
	if x != y {
		return fmt.Errorf("field: %s: %s has %d elements but %s has %d: %w", op, xName, x, yName, y, ErrLength)
	}
	return nil
}
