package field

import (
	"math/bits"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// LazySum is a sum of products of field elements kept unreduced: MulAdd adds
// the full 128-bit product of the two Montgomery words and Reduce turns the
// 192-bit total into an element with one Montgomery reduction, so a dot
// product of n terms costs n plain multiplications and one reduction instead
// of n Montgomery multiplications.
//
// The words are aR and bR (R = 2^64), so the total is R²·Σab and one
// reduction by R leaves R·Σab, the Montgomery form of Σab. Every product is
// below q² < 2^128, so a LazySum holds up to 2^32 of them; Reduce is only
// exact within that bound. The zero value is the empty sum. LazySum is a
// value: MulAdd returns the new sum so that it stays in registers.
type LazySum struct {
	lo, mid, hi uint64
}

// MulAdd returns s + a·b.
func (s LazySum) MulAdd(a, b goldilocks.Element) LazySum {
	ph, pl := bits.Mul64(a[0], b[0])
	var c uint64
	s.lo, c = bits.Add64(s.lo, pl, 0)
	s.mid, c = bits.Add64(s.mid, ph, c)
	s.hi += c
	return s
}

// Reduce returns the sum as a field element. s must hold at most 2^32
// products.
func (s LazySum) Reduce() goldilocks.Element {
	// s.hi < 2^32 (one carry per product at most), and 2^64 ≡ 2^32 − 1, so
	// hi·2^64 + mid ≡ hi·(2^32 − 1) + mid, whose first term fits a word.
	// A carry out of that sum is another 2^64 ≡ 2^32 − 1; it cannot carry
	// again because the word it lands on is then below hi·(2^32 − 1)
	// ≤ 2^64 − 2^33 + 1.
	t, c := bits.Add64(s.hi<<32-s.hi, s.mid, 0)
	t += (1<<32 - 1) & -c
	// t < 2^64 < 2q, so one conditional subtraction leaves t < q, as Redc
	// needs of its high word.
	r, borrow := bits.Sub64(t, gl64.Q, 0)
	t = r + gl64.Q&-borrow
	return goldilocks.Element{gl64.Redc(t, s.lo)}
}
