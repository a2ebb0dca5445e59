//go:build icicle

package accel

import (
	"fmt"

	"github.com/ssprove/ssprove/kernels/icicle"
)

// icicleStatus reports whether ICICLE's CPU device, the one --accel=icicle
// runs on, can be used: it is built into the ICICLE libraries this binary
// is linked against, so it fails only when they were built without it.
func icicleStatus() error { return icicleDevice(icicle.CPU) }

// icicleCUDAStatus reports whether ICICLE's CUDA device can serve
// --accel=cuda: its backend loads from icicle.BackendDir and sees a GPU.
func icicleCUDAStatus() error { return icicleDevice(icicle.CUDA) }

// icicleDevice returns nil when ICICLE lists t as usable, else why not.
func icicleDevice(t icicle.DeviceType) error {
	ds, err := icicle.Devices()
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Type == t {
			return d.Err
		}
	}
	return fmt.Errorf("ICICLE lists no %s device", t)
}

// ICICLEDevice returns the ICICLE device that runs the offloaded kernels
// when b is selected: the CPU device for ICICLE, the CUDA device for CUDA
// when ssprove's own CUDA library does not serve it (OwnCUDA), and false
// for the backends ICICLE plays no part in.
func ICICLEDevice(b Backend) (icicle.DeviceType, bool) {
	switch b {
	case ICICLE:
		return icicle.CPU, true
	case CUDA:
		if OwnCUDA() {
			return "", false
		}
		return icicle.CUDA, true
	}
	return "", false
}

// UseICICLE reports whether the selected backend runs its offloaded kernels
// on an ICICLE device (ICICLEDevice), and makes that device ICICLE's current
// one when it does; the error is ICICLE's refusal of the device.
func UseICICLE() (bool, error) {
	b, err := Selected()
	if err != nil {
		return false, nil
	}
	dev, ok := ICICLEDevice(b)
	if !ok {
		return false, nil
	}
	return true, icicle.Use(dev)
}
