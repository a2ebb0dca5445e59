//go:build (!amd64 && !arm64) || purego

package gl64

import "github.com/ssprove/ssprove/accel"

func archCommit(accel.Backend) *Commit { return nil }
