//go:build icicle

package ntt

import (
	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/icicle"
)

// viaICICLE runs op on v through kernels/icicle, on ICICLE's CPU device,
// when ICICLE is the selected backend, and reports whether it did. v is
// already checked against the domain.
func (d *Domain) viaICICLE(op icicleOp, v []E, shift E) (bool, error) {
	if b, err := accel.Selected(); err != nil || b != accel.ICICLE {
		return false, nil
	}
	if err := icicle.Use(icicle.CPU); err != nil {
		return true, err
	}
	id, err := icicle.NewDomain(d.n)
	if err != nil {
		return true, err
	}
	h := icicle.Host(v)
	switch op {
	case opForward:
		return true, id.Forward(h)
	case opInverse:
		return true, id.Inverse(h)
	case opForwardDIF:
		return true, id.ForwardDIF(h)
	case opInverseDIT:
		return true, id.InverseDIT(h)
	case opForwardCoset:
		return true, id.ForwardCoset(h, shift)
	case opInverseCoset:
		return true, id.InverseCoset(h, shift)
	case opForwardBatch:
		return true, id.ForwardBatch(h)
	default:
		return true, id.InverseBatch(h)
	}
}
