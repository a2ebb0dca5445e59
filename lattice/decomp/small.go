package decomp

import (
	"fmt"
	"math"
)

// maxSmallBase is the largest base whose digits, up to b−1, fit an int8.
const maxSmallBase = 128

// newSmallBase is newBase for the int8 digits of the small-integer functions.
func newSmallBase(b uint64, n int) (base, error) {
	bs, err := newBase(b, n)
	if err != nil {
		return base{}, err
	}
	if b > maxSmallBase {
		return base{}, fmt.Errorf("%w: base %d, int8 digits need at most %d", ErrParam, b, maxSmallBase)
	}
	return bs, nil
}

// SplitSmall is Split for integers: it writes every z[j] as n signed base-b
// digits, digits[i][j] in {−(b−1), …, b−1} with Σ_i b^i·digits[i][j] = z[j],
// the same digits Split gives for z[j] as a field element. Π_DEC uses it on
// the int32 matrix Π_RLC's small-integer combination produces, splitting it
// into int8 digit planes. It returns an error wrapping ErrParam if b < 2,
// b > 128 or n < 1, and a *RangeError for the first value with |z[j]| ≥ b^n.
func SplitSmall(z []int32, b uint64, n int) ([][]int8, error) {
	bs, err := newSmallBase(b, n)
	if err != nil {
		return nil, fmt.Errorf("decomp: SplitSmall: %w", err)
	}
	if len(z) > 0 && n > math.MaxInt/len(z) {
		return nil, fmt.Errorf("decomp: SplitSmall: %w: %d digits of %d values overflow an int", ErrParam, n, len(z))
	}
	buf := make([]int8, n*len(z))
	digits := make([][]int8, n)
	for i := range digits {
		digits[i] = buf[i*len(z) : (i+1)*len(z) : (i+1)*len(z)]
	}
	if err := bs.splitSmall(digits, z); err != nil {
		return nil, err
	}
	return digits, nil
}

// SplitSmallInto is SplitSmall writing the len(dst) digit planes into dst,
// which must each have len(z) entries; it allocates nothing, so a prover can
// reuse its planes from fold to fold. On error the rows of dst hold partial
// output.
func SplitSmallInto(dst [][]int8, z []int32, b uint64) error {
	bs, err := newSmallBase(b, len(dst))
	if err != nil {
		return fmt.Errorf("decomp: SplitSmallInto: %w", err)
	}
	for i, row := range dst {
		if len(row) != len(z) {
			return fmt.Errorf("decomp: SplitSmallInto: %w: dst[%d] has %d entries, z has %d", ErrLength, i, len(row), len(z))
		}
	}
	return bs.splitSmall(dst, z)
}

// splitSmall is split on integers: a block of magnitudes and signs, then one
// digit row at a time, the rows past the block's largest value cleared
// without arithmetic. That is most rows for Π_RLC's output, whose entries
// are far below the bound (fold/NEO.md §3.2).
func (bs *base) splitSmall(dst [][]int8, z []int32) error {
	var mag [block]uint32
	var neg [block]int32 // −1 for a negative value, else 0
	for lo := 0; lo < len(z); lo += block {
		in := z[lo:min(lo+block, len(z))]
		var left uint32
		for j, s := range in {
			sign := s >> 31
			// Wraps for math.MinInt32 to the right magnitude, 2^31.
			m := uint32((s ^ sign) - sign)
			if !bs.fits(uint64(m)) {
				return &RangeError{Index: lo + j, Value: int64(s), Base: bs.b, Digits: bs.n}
			}
			mag[j], neg[j] = m, sign
			left |= m
		}
		if bs.shift != 0 {
			bs.shiftSmall(dst, lo, mag[:len(in)], neg[:len(in)], left)
			continue
		}
		for _, row := range dst {
			row = row[lo : lo+len(in)]
			if left == 0 {
				clear(row)
				continue
			}
			left = bs.peelSmall(row, mag[:len(in)], neg[:len(in)])
		}
	}
	return nil
}

// shiftSmall writes the digits of one block for b a power of two: digit i
// of m is a shift and a mask, so the magnitudes are read, never rewritten,
// and the OR of them all tells which rows are zero.
func (bs *base) shiftSmall(dst [][]int8, lo int, mag []uint32, neg []int32, all uint32) {
	mask := uint32(bs.mask)
	neg = neg[:len(mag)]
	for i, row := range dst {
		row = row[lo : lo+len(mag)]
		sh := uint(i) * bs.shift
		if sh >= 32 || all>>sh == 0 {
			clear(row)
			continue
		}
		for j, m := range mag {
			r := int32(m >> sh & mask)
			row[j] = int8((r ^ neg[j]) - neg[j])
		}
	}
}

// peelSmall is peel on integers for the other bases: it writes the low digit
// of each mag[j], negated where neg[j] is −1, to row[j] and keeps the
// remaining digits.
func (bs *base) peelSmall(row []int8, mag []uint32, neg []int32) (left uint32) {
	mag, neg = mag[:len(row)], neg[:len(row)]
	for j, m := range mag {
		q, r := bs.divmod(uint64(m))
		row[j] = int8((int32(r) ^ neg[j]) - neg[j])
		mag[j] = uint32(q)
		left |= uint32(q)
	}
	return left
}

// RecomposeSmall returns Σ_i b^i·digits[i], the inverse of SplitSmall. The
// digits may be any int8; they are not checked against b. It returns an
// error wrapping ErrParam if b < 2, b > 128 or digits is empty, one wrapping
// ErrLength if the planes differ in length, and one wrapping ErrRange, naming
// an entry, if a sum does not fit an int32.
func RecomposeSmall(digits [][]int8, b uint64) ([]int32, error) {
	if _, err := newSmallBase(b, len(digits)); err != nil {
		return nil, fmt.Errorf("decomp: RecomposeSmall: %w", err)
	}
	for i, row := range digits {
		if len(row) != len(digits[0]) {
			return nil, fmt.Errorf("decomp: RecomposeSmall: %w: digits[%d] has %d entries, digits[0] has %d", ErrLength, i, len(row), len(digits[0]))
		}
	}
	// Horner's rule from the top plane, one plane at a time. A partial sum
	// outside int32 can never come back: |t·b + δ| ≥ 2|t| − 128 > |t| once
	// |t| ≥ 2^31, so the first overflow is the answer and int64 never
	// overflows (|t·b| ≤ 2^31·128).
	res := make([]int32, len(digits[0]))
	sb := int64(b)
	for i := len(digits) - 1; i >= 0; i-- {
		for j, d := range digits[i] {
			t := int64(res[j])*sb + int64(d)
			if t != int64(int32(t)) {
				return nil, fmt.Errorf("decomp: RecomposeSmall: %w: entry %d overflows an int32 from digit %d on", ErrRange, j, i)
			}
			res[j] = int32(t)
		}
	}
	return res, nil
}
