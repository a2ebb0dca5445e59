//go:build !purego

package gl64

import "github.com/ssprove/ssprove/accel"

// The commitment's products are scalar on arm64 (see gl64_arm64.h for why the
// NEON backend multiplies in A64), so NEON runs the portable loops here and
// gains from its NTT kernels only.
func archCommit(b accel.Backend) *Commit {
	if b == accel.NEON {
		return &GenericCommit
	}
	return nil
}
