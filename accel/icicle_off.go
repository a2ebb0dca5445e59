//go:build !icicle

package accel

import "errors"

// icicleStatus reports whether the ICICLE backend can run. The icicle build
// tag replaces this file with one that asks the library for its devices.
func icicleStatus() error {
	return errors.New("not built: rebuild with -tags icicle (needs cgo and the ICICLE libraries)")
}
