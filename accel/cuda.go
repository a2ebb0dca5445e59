package accel

import (
	"errors"
	"fmt"

	"github.com/ssprove/ssprove/kernels/cuda"
)

// cudaStatus reports whether --accel=cuda can run: on ssprove's own CUDA
// library (kernels/cuda), which takes precedence, or else, in an icicle
// build, on ICICLE's CUDA device. When neither can, the error gives the
// reasons of both.
func cudaStatus() error {
	own := cuda.Available()
	if own == nil {
		return nil
	}
	icicleErr := icicleCUDAStatus()
	if icicleErr == nil {
		return nil
	}
	reason := own.Error()
	if ue := (*cuda.UnavailableError)(nil); errors.As(own, &ue) {
		reason = ue.Reason()
	}
	return fmt.Errorf("ssprove's CUDA library: %s; ICICLE's CUDA device: %v", reason, icicleErr)
}

// OwnCUDA reports whether ssprove's own CUDA library serves the CUDA
// backend: it loads and sees a device. Kernels dispatch CUDA to
// kernels/cuda when it does, and to ICICLE's CUDA device (ICICLEDevice)
// only when it does not.
func OwnCUDA() bool { return cuda.Available() == nil }
