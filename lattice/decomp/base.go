package decomp

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/lattice/ring"
)

// base is a base b and digit count n checked once per call, with what the
// inner loops need to divide by b without a hardware division.
type base struct {
	b     uint64
	n     int
	limit uint64 // b^n, or 0 when b^n > math.MaxUint64 and every value fits
	shift uint   // log2 b when b is a power of two, else 0
	mask  uint64 // b − 1 when b is a power of two
	inv   uint64 // ⌊(2^64 − 1)/b⌋: m·inv/2^64 is m/b less at most 1
}

func newBase(b uint64, n int) (base, error) {
	if b < 2 {
		return base{}, fmt.Errorf("%w: base %d, want at least 2", ErrParam, b)
	}
	if n < 1 {
		return base{}, fmt.Errorf("%w: %d digits, want at least 1", ErrParam, n)
	}
	bs := base{b: b, n: n, inv: math.MaxUint64 / b, limit: 1}
	if b&(b-1) == 0 {
		bs.shift = uint(bits.TrailingZeros64(b))
		bs.mask = b - 1
	}
	// The loop ends within 64 steps for any n: b^64 overflows for b ≥ 2.
	for range n {
		hi, lo := bits.Mul64(bs.limit, b)
		if hi != 0 {
			bs.limit = 0
			break
		}
		bs.limit = lo
	}
	return bs, nil
}

// fits reports whether a magnitude has at most n base-b digits.
func (bs *base) fits(m uint64) bool {
	return bs.limit == 0 || m < bs.limit
}

func (bs *base) rangeError(i int, v goldilocks.Element) error {
	return &RangeError{Index: i, Value: ring.Signed(v), Base: bs.b, Digits: bs.n}
}

// divmod returns m / b and m mod b. For b not a power of two, the quotient
// estimate ⌊m·inv/2^64⌋ is short of ⌊m/b⌋ by at most one because
// inv > 2^64/b − 1 and m < 2^64, so one correction step is enough.
func (bs *base) divmod(m uint64) (quo, rem uint64) {
	if bs.shift != 0 {
		return m >> bs.shift, m & bs.mask
	}
	quo, _ = bits.Mul64(m, bs.inv)
	rem = m - quo*bs.b
	if rem >= bs.b {
		quo++
		rem -= bs.b
	}
	return quo, rem
}

// smallDigits is the size of the table of precomputed digit elements; digits
// at least this large (bases above it) are converted one by one.
const smallDigits = 256

// digitTable[0][r] is r and digitTable[1][r] is −r, in Montgomery form, so
// that the common small bases write a digit with one load.
var digitTable = func() (t [2][smallDigits]goldilocks.Element) {
	for r := range smallDigits {
		t[0][r].SetUint64(uint64(r))
		t[1][r].Neg(&t[0][r])
	}
	return t
}()

// digit returns the element r, negated when neg is 1.
func digit(r, neg uint64) goldilocks.Element {
	if r < smallDigits {
		return digitTable[neg&1][r]
	}
	return largeDigit(r, neg)
}

// largeDigit is digit for r outside the table, kept out of line so that
// digit inlines into the loops.
func largeDigit(r, neg uint64) goldilocks.Element {
	var e goldilocks.Element
	e.SetUint64(r)
	if neg != 0 {
		e.Neg(&e)
	}
	return e
}

// signMag returns |s| and 1 if s < 0 (else 0) for the balanced
// representative s of v.
func signMag(v goldilocks.Element) (mag, neg uint64) {
	s := ring.Signed(v)
	sign := s >> 63
	return uint64((s ^ sign) - sign), uint64(s) >> 63
}
