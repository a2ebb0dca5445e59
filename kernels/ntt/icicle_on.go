//go:build icicle

package ntt

import (
	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/icicle"
)

// viaICICLE runs op on v through kernels/icicle when the selected backend
// runs on an ICICLE device (ICICLE's CPU device for icicle, its CUDA device
// for cuda), and reports whether it did. v is already checked against the
// domain.
func (d *Domain) viaICICLE(op transformOp, v []E, shift E) (bool, error) {
	if ok, err := accel.UseICICLE(); !ok || err != nil {
		return ok, err
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
