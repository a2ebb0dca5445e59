//go:build !purego

package gl64

import "github.com/ssprove/ssprove/accel"

func archExtVectors(b accel.Backend) *ExtVector {
	return nil
}
