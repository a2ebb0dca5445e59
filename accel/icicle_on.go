//go:build icicle

package accel

import (
	"errors"

	"github.com/ssprove/ssprove/kernels/icicle"
)

// icicleStatus reports whether ICICLE's CPU device, the one --accel=icicle
// runs on, can be used: it is built into the ICICLE libraries this binary
// is linked against, so it fails only when they were built without it.
func icicleStatus() error {
	ds, err := icicle.Devices()
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Type == icicle.CPU {
			return d.Err
		}
	}
	return errors.New("ICICLE lists no CPU device")
}
