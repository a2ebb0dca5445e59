//go:build !icicle

package icicle

import "errors"

// Built reports whether this binary was built with the icicle tag.
const Built = false

// ErrNotBuilt is what Devices returns in a build without the icicle tag.
var ErrNotBuilt = errors.New("icicle: not built: run make icicle, which builds the ICICLE libraries and bin/ssprove-icicle with -tags icicle")

// Devices returns ErrNotBuilt: this build has no ICICLE.
func Devices() ([]Device, error) { return nil, ErrNotBuilt }
