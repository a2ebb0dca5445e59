package ring

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// ErrNotInvertible is wrapped by the error Inverse returns for an element
// with no inverse: one of its CRT components is zero.
var ErrNotInvertible = errors.New("ring: element is not invertible")

// omega, omega2 = ω² = −1 − ω, and crtInv = 1/(ω − ω²) are fixed by Omega.
var omega, omega2, crtInv = crtConstants()

func crtConstants() (w, w2, inv goldilocks.Element) {
	// 7 generates F_q^*, so 7^((q−1)/3) has order exactly 3.
	e := new(big.Int).Sub(goldilocks.Modulus(), big.NewInt(1))
	e.Div(e, big.NewInt(3))
	g := goldilocks.NewElement(7)
	w.Exp(g, e)
	one := goldilocks.One()
	w2.Add(&w, &one)
	w2.Neg(&w2)
	inv.Sub(&w, &w2)
	inv.Inverse(&inv)
	return w, w2, inv
}

// Omega returns ω = 7^((q−1)/3), the primitive cube root of unity that fixes
// the order of the CRT components: 7 is the multiplicative generator of F_q
// (as in gnark-crypto), so ω has order exactly 3, and ω² = −1 − ω is the other
// root. CRT's lo component is the residue mod X^27 − ω, hi mod X^27 − ω².
func Omega() goldilocks.Element {
	return omega
}

// CRT returns a mod (X^27 − ω) and a mod (X^27 − ω²), each a polynomial of
// degree below 27 in F_q[X], that is an element of F_{q^27}.
func (a *Elem) CRT() (lo, hi [27]goldilocks.Element) {
	// With a = u + X^27·v, X^27 ≡ ω^k gives u + ω^k·v; ω²·v = −v − ω·v
	// shares the one product.
	for i := range lo {
		var wv goldilocks.Element
		wv.Mul(&a[i+half], &omega)
		lo[i].Add(&a[i], &wv)
		hi[i].Sub(&a[i], &a[i+half])
		hi[i].Sub(&hi[i], &wv)
	}
	return lo, hi
}

// FromCRT returns the element whose CRT components are lo and hi, the
// inverse of CRT.
func FromCRT(lo, hi *[27]goldilocks.Element) Elem {
	// u + ω·v = lo and u + ω²·v = hi give v = (lo − hi)/(ω − ω²), u = lo − ω·v.
	var z Elem
	for i := range lo {
		var v, wv goldilocks.Element
		v.Sub(&lo[i], &hi[i])
		v.Mul(&v, &crtInv)
		wv.Mul(&v, &omega)
		z[i].Sub(&lo[i], &wv)
		z[i+half] = v
	}
	return z
}

// IsInvertible reports whether a has an inverse in R_q: whether both its CRT
// components are nonzero.
func (a *Elem) IsInvertible() bool {
	lo, hi := a.CRT()
	return !isZero(&lo) && !isZero(&hi)
}

// Inverse returns a⁻¹, or an error wrapping ErrNotInvertible when a has no
// inverse. Each CRT component is inverted in F_{q^27} by the extended
// Euclidean algorithm.
func (a *Elem) Inverse() (Elem, error) {
	lo, hi := a.CRT()
	switch {
	case isZero(&lo):
		return Elem{}, fmt.Errorf("ring: Inverse: a ≡ 0 mod X^27 − ω: %w", ErrNotInvertible)
	case isZero(&hi):
		return Elem{}, fmt.Errorf("ring: Inverse: a ≡ 0 mod X^27 − ω²: %w", ErrNotInvertible)
	}
	invLo := invertMod(&lo, &omega)
	invHi := invertMod(&hi, &omega2)
	return FromCRT(&invLo, &invHi), nil
}

func isZero(c *[half]goldilocks.Element) bool {
	return *c == [half]goldilocks.Element{}
}

// invertMod returns the inverse of the nonzero a mod X^27 − ζ, which is
// irreducible for ζ = ω, ω². Polynomials are coefficient slices, lowest
// degree first, trimmed so the last entry is the leading nonzero one.
func invertMod(a *[half]goldilocks.Element, zeta *goldilocks.Element) [half]goldilocks.Element {
	// Invariant: s·a ≡ r and t·a ≡ rOld (mod X^27 − ζ), with rOld starting as
	// the modulus (t = 0) and r as a (s = 1).
	rOld := make([]goldilocks.Element, half+1)
	rOld[0].Neg(zeta)
	rOld[half].SetOne()
	r := trim(append([]goldilocks.Element(nil), a[:]...))
	tOld := []goldilocks.Element{}
	t := []goldilocks.Element{goldilocks.One()}
	for len(r) > 1 {
		// rOld = quo·r + rem, then (rOld, r) ← (r, rem) and likewise t.
		var lead goldilocks.Element
		lead.Inverse(&r[len(r)-1])
		quo := make([]goldilocks.Element, len(rOld)-len(r)+1)
		for d := len(quo) - 1; d >= 0; d-- {
			var c goldilocks.Element
			c.Mul(&rOld[d+len(r)-1], &lead)
			quo[d] = c
			for i := range r {
				var p goldilocks.Element
				p.Mul(&c, &r[i])
				rOld[d+i].Sub(&rOld[d+i], &p)
			}
		}
		rem := trim(rOld[:len(r)-1])
		tNew := subMul(tOld, quo, t)
		rOld, r = r, rem
		tOld, t = t, tNew
	}
	// r is a nonzero constant c (the modulus is irreducible and a ≠ 0), and
	// t·a ≡ c, so a⁻¹ = t/c.
	var inv goldilocks.Element
	inv.Inverse(&r[0])
	var z [half]goldilocks.Element
	for i := range t {
		z[i].Mul(&t[i], &inv)
	}
	return z
}

// subMul returns x − quo·y as a new trimmed polynomial.
func subMul(x, quo, y []goldilocks.Element) []goldilocks.Element {
	n := max(len(x), len(quo)+len(y)-1)
	z := make([]goldilocks.Element, n)
	copy(z, x)
	for i := range quo {
		for j := range y {
			var p goldilocks.Element
			p.Mul(&quo[i], &y[j])
			z[i+j].Sub(&z[i+j], &p)
		}
	}
	return trim(z)
}

// trim drops leading zero coefficients.
func trim(p []goldilocks.Element) []goldilocks.Element {
	for len(p) > 0 && p[len(p)-1].IsZero() {
		p = p[:len(p)-1]
	}
	return p
}
