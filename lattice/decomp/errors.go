package decomp

import (
	"errors"
	"fmt"
)

var (
	// ErrRange is wrapped by every *RangeError, a value too large for the
	// requested number of digits, and by RecomposeSmall's error for a sum
	// too large for an int32.
	ErrRange = errors.New("decomp: value out of range")
	// ErrParam is wrapped by every error about a base below 2 (or above 128
	// for int8 digits) or a digit count below 1.
	ErrParam = errors.New("decomp: invalid base or digit count")
	// ErrLength is wrapped by every error about vectors whose lengths do not
	// match.
	ErrLength = errors.New("decomp: lengths do not match")
)

// RangeError reports the first value that does not fit in Digits base-Base
// digits, that is whose balanced representative has |Value| ≥ Base^Digits.
type RangeError struct {
	Index  int   // position of the value in the input vector
	Value  int64 // its balanced representative, in (−q/2, q/2]
	Base   uint64
	Digits int
}

func (e *RangeError) Error() string {
	return fmt.Sprintf("decomp: entry %d = %d does not fit in %d base-%d digits", e.Index, e.Value, e.Digits, e.Base)
}

// Unwrap returns ErrRange.
func (e *RangeError) Unwrap() error { return ErrRange }
