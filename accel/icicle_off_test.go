//go:build !icicle

package accel

import (
	"strings"
	"testing"
)

// TestWithoutICICLE checks that a build without the icicle tag says how to
// get ICICLE, for --accel=icicle and for the ICICLE half of --accel=cuda.
func TestWithoutICICLE(t *testing.T) {
	if err := Available(ICICLE); err == nil || !strings.Contains(err.Error(), "make icicle") {
		t.Errorf("Available(icicle) = %v, want an error that says to run make icicle", err)
	}
	err := Available(CUDA)
	if err == nil || !strings.Contains(err.Error(), "ssprove's CUDA library") || !strings.Contains(err.Error(), "ICICLE's CUDA device: not in this build") {
		t.Errorf("Available(cuda) = %v, want both reasons: ssprove's library and ICICLE's device", err)
	}
}
