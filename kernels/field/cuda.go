package field

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/cuda"
)

// onCUDA reports whether kernels run on ssprove's own CUDA library: CUDA is
// selected and the library serves it.
func onCUDA() bool {
	b, err := accel.Selected()
	return err == nil && b == accel.CUDA && accel.OwnCUDA()
}

// viaCUDA runs Add, Sub or Mul through kernels/cuda when it serves the
// selected backend, and reports whether it did. The lengths are checked.
// Every call copies a and b to the device and res back: callers that chain
// vector operations should keep their data in cuda.Buffers and call
// kernels/cuda directly.
func viaCUDA(op string, res, a, b []goldilocks.Element) (bool, error) {
	if !onCUDA() {
		return false, nil
	}
	f := map[string]func(s *cuda.Stream, res, a, b *cuda.Buffer) error{"Add": cuda.Add, "Sub": cuda.Sub, "Mul": cuda.Mul}[op]
	return true, onDevice(op, res, func(v []*cuda.Buffer) error { return f(nil, v[0], v[0], v[1]) }, a, b)
}

// scalarMulViaCUDA is viaCUDA for ScalarMul.
func scalarMulViaCUDA(res, a []goldilocks.Element, s goldilocks.Element) (bool, error) {
	if !onCUDA() {
		return false, nil
	}
	return true, onDevice("ScalarMul", res, func(v []*cuda.Buffer) error { return cuda.ScalarMul(nil, v[0], v[0], s) }, a)
}

// mulAddViaCUDA is viaCUDA for MulAdd.
func mulAddViaCUDA(y []goldilocks.Element, s goldilocks.Element, x []goldilocks.Element) (bool, error) {
	if !onCUDA() {
		return false, nil
	}
	return true, onDevice("MulAdd", y, func(v []*cuda.Buffer) error { return cuda.MulAdd(nil, v[0], s, v[1]) }, y, x)
}

// onDevice uploads the operands, runs f on their device copies, and
// downloads the first operand's copy, where f leaves the result, into res.
// Empty vectors cost nothing.
func onDevice(op string, res []goldilocks.Element, f func(v []*cuda.Buffer) error, operands ...[]goldilocks.Element) error {
	if len(res) == 0 {
		return nil
	}
	all, v, err := cuda.UploadAll(nil, operands...)
	if err == nil {
		err = f(v)
		if err == nil {
			err = v[0].Download(nil, res)
		}
		err = errors.Join(err, all.Free())
	}
	if err != nil {
		return fmt.Errorf("field: %s: %w", op, err)
	}
	return nil
}
