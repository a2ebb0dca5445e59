package ring

import (
	"math/big"
	"math/bits"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// halfQ is (q − 1)/2, the largest value Signed keeps positive.
const halfQ = (q - 1) / 2

// Signed returns the balanced representative of x in (−q/2, q/2]: x itself
// when x ≤ (q − 1)/2, otherwise x − q.
func Signed(x goldilocks.Element) int64 {
	v := x.Uint64()
	if v <= halfQ {
		return int64(v)
	}
	return -int64(q - v)
}

// NormInf returns ‖a‖∞ = max |Signed(a[i])|.
func (a *Elem) NormInf() uint64 {
	var m uint64
	for i := range a {
		m = max(m, absSigned(a[i]))
	}
	return m
}

// Norm2Squared returns ‖a‖₂² = Σ Signed(a[i])², exactly.
func (a *Elem) Norm2Squared() *big.Int {
	// Each square is below 2^126 and there are 54 of them: a 128-bit
	// accumulator overflows, so sum in three words.
	var lo, mid, hi uint64
	for i := range a {
		x := absSigned(a[i])
		ph, pl := bits.Mul64(x, x)
		var c uint64
		lo, c = bits.Add64(lo, pl, 0)
		mid, c = bits.Add64(mid, ph, c)
		hi += c
	}
	n := new(big.Int).SetUint64(hi)
	n.Lsh(n, 64).Or(n, new(big.Int).SetUint64(mid))
	return n.Lsh(n, 64).Or(n, new(big.Int).SetUint64(lo))
}

// absSigned returns |Signed(x)|.
func absSigned(x goldilocks.Element) uint64 {
	v := x.Uint64()
	if v <= halfQ {
		return v
	}
	return q - v
}
