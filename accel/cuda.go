package accel

import "fmt"

// cudaStatus reports whether --accel=cuda can run: on ssprove's own CUDA
// library, which this binary has no loader for yet (make cuda, a later
// issue), or else on ICICLE's CUDA device when this is an icicle build and
// ICICLE's CUDA backend loads and sees a GPU.
func cudaStatus() error {
	err := icicleCUDAStatus()
	if err == nil {
		return nil
	}
	return fmt.Errorf("ssprove's CUDA library: not built yet (this binary has no loader for it); ICICLE's CUDA device: %v", err)
}
