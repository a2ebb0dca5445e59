//go:build purego || !amd64

package gl64

import "github.com/ssprove/ssprove/accel"

// archExtVectors gives NEON the portable K loops: there is no NEON assembly
// for them yet (the base-field NEON loops leave the products to scalar A64
// code, see gl64_arm64.h, so they would not help the array-of-structs K
// products). Every other backend has no K loops in this build.
func archExtVectors(b accel.Backend) *ExtVector {
	if b == accel.NEON {
		return &ExtGeneric
	}
	return nil
}
