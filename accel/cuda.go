package accel

import "errors"

// cudaStatus reports whether ssprove's CUDA library is loaded and sees a
// device. It is the hook the run-time loader of kernels/cuda (make cuda) fills.
func cudaStatus() error {
	return errors.New("not built: this binary has no loader for ssprove's CUDA library yet")
}
