package ntt

import (
	"errors"
	"sync"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/cuda"
)

// viaCUDA runs op on v through kernels/cuda when CUDA is selected and
// ssprove's own CUDA library serves it, and reports whether it did. v is
// already checked against the domain (and the shift of a coset transform).
// v is copied to the device and back around the transform: callers that
// chain transforms and vector operations should keep their data in
// cuda.Buffers and call kernels/cuda directly.
func (d *Domain) viaCUDA(op transformOp, v []E, shift E) (bool, error) {
	if b, err := accel.Selected(); err != nil || b != accel.CUDA || !accel.OwnCUDA() {
		return false, nil
	}
	if len(v) == 0 {
		return true, nil
	}
	cd, err := cudaDomain(d.n)
	if err != nil {
		return true, err
	}
	all, bufs, err := cuda.UploadAll(nil, v)
	if err != nil {
		return true, err
	}
	buf := bufs[0]
	switch op {
	case opForward:
		err = cd.Forward(nil, buf)
	case opInverse:
		err = cd.Inverse(nil, buf)
	case opForwardDIF:
		err = cd.ForwardDIF(nil, buf)
	case opInverseDIT:
		err = cd.InverseDIT(nil, buf)
	case opForwardCoset:
		err = cd.ForwardCoset(nil, buf, shift)
	case opInverseCoset:
		err = cd.InverseCoset(nil, buf, shift)
	case opForwardBatch:
		err = cd.ForwardBatch(nil, buf)
	default:
		err = cd.InverseBatch(nil, buf)
	}
	if err == nil {
		err = buf.Download(nil, v)
	}
	return true, errors.Join(err, all.Free())
}

// cudaDomains holds one device domain per size, made on first use and kept
// for the process: its twiddles depend only on the size (the generator is
// goldilocks.Generator(n)), and every Domain of that size shares them, as
// kernels/ajtai's many 128-point domains do.
var cudaDomains struct {
	sync.Mutex
	bySize map[int]*cuda.Domain
}

func cudaDomain(n int) (*cuda.Domain, error) {
	cudaDomains.Lock()
	defer cudaDomains.Unlock()
	if d, ok := cudaDomains.bySize[n]; ok {
		return d, nil
	}
	d, err := cuda.NewDomain(n)
	if err != nil {
		return nil, err
	}
	if cudaDomains.bySize == nil {
		cudaDomains.bySize = map[int]*cuda.Domain{}
	}
	cudaDomains.bySize[n] = d
	return d, nil
}
