package accel

import (
	"errors"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/kernels/cuda"
)

// TestCUDAStatus checks which of ssprove's library and ICICLE serves
// --accel=cuda, and that without either the error gives both reasons.
func TestCUDAStatus(t *testing.T) {
	err := Available(CUDA)
	own := cuda.Available()
	if own == nil {
		if err != nil || !OwnCUDA() {
			t.Fatalf("the library is available but Available(CUDA) = %v, OwnCUDA() = %v", err, OwnCUDA())
		}
		return
	}
	if OwnCUDA() {
		t.Fatalf("OwnCUDA() is true although kernels/cuda says %v", own)
	}
	icicleErr := icicleCUDAStatus()
	if icicleErr == nil {
		if err != nil {
			t.Fatalf("ICICLE's CUDA device is usable but Available(CUDA) = %v", err)
		}
		return
	}
	var ue *cuda.UnavailableError
	if !errors.As(own, &ue) {
		t.Fatalf("kernels/cuda's error %v is not an *UnavailableError", own)
	}
	want := "accel: cuda: backend not available: ssprove's CUDA library: " + ue.Reason() + "; ICICLE's CUDA device: " + icicleErr.Error()
	if !errors.Is(err, ErrUnavailable) || err.Error() != want {
		t.Errorf("Available(CUDA) = %v\nwant %s", err, want)
	}
	if strings.Contains(err.Error(), "library: cuda:") {
		t.Errorf("the package prefix is repeated: %v", err)
	}
}
