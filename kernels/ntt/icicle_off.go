//go:build !icicle

package ntt

// viaICICLE reports false: without the icicle build tag ICICLE is never the
// selected backend.
func (d *Domain) viaICICLE(transformOp, []E, E) (bool, error) { return false, nil }
