//go:build !icicle

package accel

import "errors"

// icicleStatus reports whether the ICICLE backend can run. The icicle build
// tag replaces this file with one that asks the library for its devices.
func icicleStatus() error {
	return errors.New("not built: make icicle builds ICICLE's libraries and bin/ssprove-icicle (-tags icicle, cgo)")
}

// icicleCUDAStatus reports whether ICICLE's CUDA device can serve
// --accel=cuda: never in a build without the icicle tag.
func icicleCUDAStatus() error {
	return errors.New("not in this build (make icicle builds bin/ssprove-icicle)")
}
