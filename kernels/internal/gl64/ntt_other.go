//go:build (!amd64 && !arm64) || purego

package gl64

import "github.com/ssprove/ssprove/accel"

func archNTT(accel.Backend) *NTT { return nil }
