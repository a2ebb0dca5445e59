package decomp

import (
	"fmt"
	"math"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/field"
)

// block is how many values Split reads before writing their digits row by
// row, so each digit row is written in runs of contiguous elements.
const block = 64

// Split writes every v[j] as n signed base-b digits and returns them as n
// vectors of len(v) elements: digits[i][j] is digit i of v[j], in
// {−(b−1), …, b−1}, and Σ_i b^i·digits[i][j] = v[j]. It returns an error
// wrapping ErrParam if b < 2 or n < 1, and a *RangeError for the first value
// with |Signed(v[j])| ≥ b^n.
func Split(v []goldilocks.Element, b uint64, n int) ([][]goldilocks.Element, error) {
	bs, err := newBase(b, n)
	if err != nil {
		return nil, fmt.Errorf("decomp: Split: %w", err)
	}
	if len(v) > 0 && n > math.MaxInt/len(v) {
		return nil, fmt.Errorf("decomp: Split: %w: %d digits of %d values overflow an int", ErrParam, n, len(v))
	}
	buf := make([]goldilocks.Element, n*len(v))
	digits := make([][]goldilocks.Element, n)
	for i := range digits {
		digits[i] = buf[i*len(v) : (i+1)*len(v) : (i+1)*len(v)]
	}
	if err := bs.split(digits, v); err != nil {
		return nil, err
	}
	return digits, nil
}

// SplitInto is Split writing the len(dst) digit vectors into dst, which must
// each have len(v) elements; it allocates nothing. A row of dst may be v
// itself, and the split then happens in place. On error the rows of dst hold
// partial output.
func SplitInto(dst [][]goldilocks.Element, v []goldilocks.Element, b uint64) error {
	bs, err := newBase(b, len(dst))
	if err != nil {
		return fmt.Errorf("decomp: SplitInto: %w", err)
	}
	for i, row := range dst {
		if len(row) != len(v) {
			return fmt.Errorf("decomp: SplitInto: %w: dst[%d] has %d elements, v has %d", ErrLength, i, len(row), len(v))
		}
	}
	return bs.split(dst, v)
}

// split is SplitInto after the checks. It reads a block of values into
// magnitudes and signs, then peels one digit off every magnitude per row, so
// the inner loop writes one row contiguously and stops early once the block's
// remaining digits are all zero.
func (bs *base) split(dst [][]goldilocks.Element, v []goldilocks.Element) error {
	var mag, neg [block]uint64
	for lo := 0; lo < len(v); lo += block {
		in := v[lo:min(lo+block, len(v))]
		var left uint64
		for j := range in {
			m, s := signMag(in[j])
			if !bs.fits(m) {
				return bs.rangeError(lo+j, in[j])
			}
			mag[j], neg[j] = m, s
			left |= m
		}
		for _, row := range dst {
			row = row[lo : lo+len(in)]
			if left == 0 {
				clear(row)
				continue
			}
			left = bs.peel(row, mag[:len(in)], neg[:len(in)])
		}
	}
	return nil
}

// peel writes the low digit of each mag[j], signed by neg[j], to row[j],
// replaces mag[j] by its remaining digits, and returns the OR of those.
func (bs *base) peel(row []goldilocks.Element, mag, neg []uint64) (left uint64) {
	mag, neg = mag[:len(row)], neg[:len(row)]
	if bs.shift != 0 && bs.b <= smallDigits {
		// The common case (b = 2, 4, 16…): a shift, a mask and a table load.
		for j, m := range mag {
			row[j] = digitTable[neg[j]&1][m&bs.mask&(smallDigits-1)]
			m >>= bs.shift
			mag[j] = m
			left |= m
		}
		return left
	}
	for j, m := range mag {
		q, r := bs.divmod(m)
		row[j] = digit(r, neg[j])
		mag[j] = q
		left |= q
	}
	return left
}

// Recompose returns Σ_i b^i·digits[i], the inverse of Split. The digits may
// be any field elements; they are not checked against b. It returns an error
// wrapping ErrParam if b < 2 or digits is empty, and one wrapping ErrLength
// if the vectors differ in length.
func Recompose(digits [][]goldilocks.Element, b uint64) ([]goldilocks.Element, error) {
	if _, err := newBase(b, len(digits)); err != nil {
		return nil, fmt.Errorf("decomp: Recompose: %w", err)
	}
	for i, row := range digits {
		if len(row) != len(digits[0]) {
			return nil, fmt.Errorf("decomp: Recompose: %w: digits[%d] has %d elements, digits[0] has %d", ErrLength, i, len(row), len(digits[0]))
		}
	}
	res := append([]goldilocks.Element(nil), digits[0]...)
	var step, pow goldilocks.Element
	step.SetUint64(b)
	pow.Set(&step)
	for _, row := range digits[1:] {
		if err := field.MulAdd(res, pow, row); err != nil {
			return nil, fmt.Errorf("decomp: Recompose: %w", err)
		}
		pow.Mul(&pow, &step)
	}
	return res, nil
}

// Embed returns Decomp_b(z), the d×len(z) matrix of the d signed base-b
// digits of each entry, column-major as the commitment reads it:
// Z[j·d+i] is digit i of z[j]. It returns an error wrapping ErrParam if
// b < 2 or d < 1, and a *RangeError for the first entry with
// |Signed(z[j])| ≥ b^d.
func Embed(z []goldilocks.Element, b uint64, d int) ([]goldilocks.Element, error) {
	bs, err := newBase(b, d)
	if err != nil {
		return nil, fmt.Errorf("decomp: Embed: %w", err)
	}
	if len(z) > 0 && d > math.MaxInt/len(z) {
		return nil, fmt.Errorf("decomp: Embed: %w: %d digits of %d values overflow an int", ErrParam, d, len(z))
	}
	Z := make([]goldilocks.Element, d*len(z))
	for j := range z {
		m, s := signMag(z[j])
		if !bs.fits(m) {
			return nil, bs.rangeError(j, z[j])
		}
		bs.column(Z[j*d:(j+1)*d], m, s)
	}
	return Z, nil
}

// column writes the digits of a magnitude m < b^len(col), signed by neg,
// to col, which must be zero beyond them.
func (bs *base) column(col []goldilocks.Element, m, neg uint64) {
	if bs.shift != 0 && bs.b <= smallDigits {
		tab := &digitTable[neg&1]
		for i := 0; m != 0; i++ {
			col[i] = tab[m&bs.mask&(smallDigits-1)]
			m >>= bs.shift
		}
		return
	}
	for i := 0; m != 0; i++ {
		q, r := bs.divmod(m)
		col[i] = digit(r, neg)
		m = q
	}
}

// Unembed returns the len(Z)/d entries z[j] = Σ_i b^i·Z[j·d+i], the inverse
// of Embed. The entries of Z may be any field elements; they are not checked
// against b. It returns an error wrapping ErrParam if b < 2 or d < 1, and one
// wrapping ErrLength if len(Z) is not a multiple of d.
func Unembed(Z []goldilocks.Element, b uint64, d int) ([]goldilocks.Element, error) {
	if _, err := newBase(b, d); err != nil {
		return nil, fmt.Errorf("decomp: Unembed: %w", err)
	}
	if len(Z)%d != 0 {
		return nil, fmt.Errorf("decomp: Unembed: %w: %d elements are not whole columns of %d", ErrLength, len(Z), d)
	}
	// Σ_i b^i·Z[j·d+i] with the powers precomputed: the products are
	// independent, where Horner's rule would chain d multiplications.
	pow := make([]goldilocks.Element, d)
	pow[0].SetOne()
	var be goldilocks.Element
	be.SetUint64(b)
	for i := 1; i < d; i++ {
		pow[i].Mul(&pow[i-1], &be)
	}
	z := make([]goldilocks.Element, len(Z)/d)
	for j := range z {
		col := Z[j*d : (j+1)*d]
		var acc, t goldilocks.Element
		for i := range col {
			acc.Add(&acc, t.Mul(&col[i], &pow[i]))
		}
		z[j] = acc
	}
	return z, nil
}

// NormInf returns ‖v‖∞ = max_j |Signed(v[j])|, 0 for an empty vector.
func NormInf(v []goldilocks.Element) uint64 {
	var norm uint64
	for _, x := range v {
		m, _ := signMag(x)
		norm = max(norm, m)
	}
	return norm
}
