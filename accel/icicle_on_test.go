//go:build icicle

package accel

import (
	"strings"
	"testing"

	"github.com/ssprove/ssprove/kernels/icicle"
)

// TestICICLEDevices checks that the icicle build reports ICICLE's CPU device
// as the icicle backend and ICICLE's CUDA device, with its own reason when
// it is missing, as the cuda backend.
func TestICICLEDevices(t *testing.T) {
	if err := Available(ICICLE); err != nil {
		t.Fatalf("ICICLE's CPU device is built into the libraries: %v", err)
	}
	for b, want := range map[Backend]icicle.DeviceType{ICICLE: icicle.CPU, CUDA: icicle.CUDA} {
		if got, ok := ICICLEDevice(b); !ok || got != want {
			t.Errorf("ICICLEDevice(%s) = %q, %v; want %q", b, got, ok, want)
		}
	}
	if _, ok := ICICLEDevice(AVX512); ok {
		t.Error("ICICLEDevice(avx512) names a device")
	}
	cudaErr := icicleCUDAStatus()
	if cudaErr == nil {
		t.Skip("ICICLE's CUDA device is available here: nothing missing to report")
	}
	err := Available(CUDA)
	if err == nil || !strings.Contains(err.Error(), "ICICLE's CUDA device: "+cudaErr.Error()) {
		t.Errorf("Available(cuda) = %v, want ICICLE's reason %q in it", err, cudaErr)
	}
}
