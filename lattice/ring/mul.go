package ring

import (
	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/field"
)

// Mul sets z = a·b mod Φ81 and returns z.
//
// It multiplies the CRT components: two products mod X^27 − ω^k, each 27
// dot products of length 27 accumulated unreduced (field.LazySum), so 1458
// plain 64×64-bit products and 54 reductions, plus 162 Montgomery products
// for the CRT maps and twists. The alternatives measured against it on the
// 2-core AVX-512 VM (candidates_test.go;
// go test ./lattice/ring -run '^$' -bench 'Mul', best of 3, ns/op):
//
//	CRT + lazy 27×27 (Mul)                     ≈ 2700
//	128-point NTT (kernels/ntt, 3 transforms)  ≈ 4800
//	CRT + one Karatsuba level (3× 14×14)       ≈ 5200
//	54×54 lazy + fold mod Φ81                  ≈ 5400
//	54×54 schoolbook (MulSchoolbook)           ≈ 31000
//
// No NTT fits the components themselves: X^27 − ω has no roots in F_q (81
// does not divide q − 1), and the whole product through 128-point
// transforms loses to the dot products.
func (z *Elem) Mul(a, b *Elem) *Elem {
	aLo, aHi := a.CRT()
	bLo, bHi := b.CRT()
	cLo := mulTwisted(&aLo, &bLo, &omega)
	cHi := mulTwisted(&aHi, &bHi, &omega2)
	*z = FromCRT(&cLo, &cHi)
	return z
}

// mulTwisted returns a·b mod X^27 − ζ. Coefficient k is
// Σ_{i+j=k} a_i·b_j + ζ·Σ_{i+j=k+27} a_i·b_j, a single dot product of a with
// a window of w = (ζ·b_1, …, ζ·b_26, b_0, …, b_26) read backwards.
func mulTwisted(a, b *[half]goldilocks.Element, zeta *goldilocks.Element) [half]goldilocks.Element {
	var w [2*half - 1]goldilocks.Element
	for j := 1; j < half; j++ {
		w[j-1].Mul(&b[j], zeta)
	}
	copy(w[half-1:], b[:])
	var c [half]goldilocks.Element
	for k := range c {
		win := (*[half]goldilocks.Element)(w[k : k+half])
		var s field.LazySum
		for i := range a {
			s = s.MulAdd(a[i], win[half-1-i])
		}
		c[k] = s.Reduce()
	}
	return c
}

// MulSchoolbook sets z = a·b mod Φ81 and returns z, the slow reference for
// Mul: the 54×54 schoolbook product with one field multiplication and
// addition per term, then Reduce.
func (z *Elem) MulSchoolbook(a, b *Elem) *Elem {
	var p [2*D - 1]goldilocks.Element
	for i := range a {
		for j := range b {
			var t goldilocks.Element
			t.Mul(&a[i], &b[j])
			p[i+j].Add(&p[i+j], &t)
		}
	}
	*z = Reduce(p[:])
	return z
}
