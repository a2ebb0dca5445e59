//go:build purego || !amd64

package gl64

import "github.com/ssprove/ssprove/accel"

func archExtVectors(accel.Backend) *ExtVector { return nil }
