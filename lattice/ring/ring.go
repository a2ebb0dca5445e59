package ring

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// D is the degree of Φ81 = X^54 + X^27 + 1, the number of coefficients of an
// element.
const D = 54

// q is the Goldilocks modulus 2^64 − 2^32 + 1.
const q = 0xFFFF_FFFF_0000_0001

// half is the degree of each CRT factor X^27 − ω^k of Φ81.
const half = D / 2

// ErrLength is wrapped by the error FromCoefficients returns for a vector
// that does not have D entries.
var ErrLength = errors.New("ring: wrong number of coefficients")

// Elem is an element a = Σ a[i]·X^i of R_q, stored as its coefficient
// embedding cf(a). The zero value is 0.
type Elem [D]goldilocks.Element

// Add sets z = a + b and returns z.
func (z *Elem) Add(a, b *Elem) *Elem {
	for i := range z {
		z[i].Add(&a[i], &b[i])
	}
	return z
}

// Sub sets z = a − b and returns z.
func (z *Elem) Sub(a, b *Elem) *Elem {
	for i := range z {
		z[i].Sub(&a[i], &b[i])
	}
	return z
}

// Neg sets z = −a and returns z.
func (z *Elem) Neg(a *Elem) *Elem {
	for i := range z {
		z[i].Neg(&a[i])
	}
	return z
}

// ScalarMul sets z = s·a for a field element s and returns z. s may point
// into z or a.
func (z *Elem) ScalarMul(a *Elem, s *goldilocks.Element) *Elem {
	c := *s // s may be a coefficient of z
	for i := range z {
		z[i].Mul(&a[i], &c)
	}
	return z
}

// IsZero reports whether a = 0.
func (a *Elem) IsZero() bool {
	return *a == Elem{}
}

// Coefficients returns cf(a) as a fresh slice of D elements.
func (a *Elem) Coefficients() []goldilocks.Element {
	return append([]goldilocks.Element(nil), a[:]...)
}

// FromCoefficients returns the element whose coefficient embedding is v,
// cf⁻¹(v). v must have exactly D entries; anything else is an error wrapping
// ErrLength (Reduce takes polynomials of any length).
func FromCoefficients(v []goldilocks.Element) (Elem, error) {
	if len(v) != D {
		return Elem{}, fmt.Errorf("ring: FromCoefficients: %d coefficients, want %d: %w", len(v), D, ErrLength)
	}
	return Elem(v), nil
}

// Reduce returns the polynomial Σ p[i]·X^i, of any length, reduced mod Φ81.
func Reduce(p []goldilocks.Element) Elem {
	// X^81 = 1 in R_q (Φ81 divides X^81 − 1), so exponents fold mod 81 first.
	var r [81]goldilocks.Element
	for len(p) > 81 {
		for i := range r {
			r[i].Add(&r[i], &p[i])
		}
		p = p[81:]
	}
	for i := range p {
		r[i].Add(&r[i], &p[i])
	}
	return fold81(&r)
}

// fold81 reduces a polynomial of degree below 81 mod Φ81: for 54 ≤ k < 81,
// X^k = X^(k−54)·X^54 = −X^(k−27) − X^(k−54), and k − 27 < 54.
func fold81(r *[81]goldilocks.Element) Elem {
	var z Elem
	copy(z[:], r[:D])
	for k := D; k < 81; k++ {
		z[k-27].Sub(&z[k-27], &r[k])
		z[k-D].Sub(&z[k-D], &r[k])
	}
	return z
}

// X returns the monomial X^k mod Φ81. Every integer k is valid: X has order
// 81 in R_q, so a negative k gives the inverse power.
func X(k int) Elem {
	k %= 81
	if k < 0 {
		k += 81
	}
	var r [81]goldilocks.Element
	r[k].SetOne()
	return fold81(&r)
}
