package gl64

import "math/bits"

// Q is the Goldilocks modulus 2^64 − 2^32 + 1.
const Q = 0xFFFF_FFFF_0000_0001

// epsilon is 2^64 mod q = 2^32 − 1: adding it is subtracting q modulo 2^64.
const epsilon = 0xFFFF_FFFF

// Add returns a + b mod q for a, b < q.
func Add(a, b uint64) uint64 {
	// a + b = a − (q − b): one borrow decides the correction, and b = 0 needs no case.
	d, borrow := bits.Sub64(a, Q-b, 0)
	return d + Q&-borrow
}

// Sub returns a − b mod q for a, b < q.
func Sub(a, b uint64) uint64 {
	d, borrow := bits.Sub64(a, b, 0)
	return d + Q&-borrow
}

// Neg returns −a mod q for a < q.
func Neg(a uint64) uint64 {
	return Sub(0, a)
}

// Mul returns the Montgomery product a·b·2^−64 mod q for a, b < q, which is the
// product of the two elements in Montgomery form.
func Mul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return Redc(hi, lo)
}

// Redc returns (hi·2^64 + lo)·2^−64 mod q for hi·2^64 + lo < q·2^64.
//
// Montgomery reduction needs m = lo·q⁻¹ mod 2^64 and the high word of m·q. For
// Goldilocks q⁻¹ = 1 + 2^32 mod 2^64, so m = lo + lo<<32, and
// m·q = (m − m_hi)·2^64 + (m_hi − m_lo)·2^32 + m_lo (m_hi, m_lo its 32-bit halves),
// whose high word is m − m_hi − [m_hi < m_lo]. No second multiplication, no branch.
func Redc(hi, lo uint64) uint64 {
	m := lo + lo<<32
	mh := m >> 32
	_, lt := bits.Sub64(mh, m&0xFFFF_FFFF, 0)
	h := m - mh - lt
	t, borrow := bits.Sub64(hi, h, 0)
	return t + Q&-borrow
}
