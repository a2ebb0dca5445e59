package ring

import "github.com/consensys/gnark-crypto/field/goldilocks"

// Small is an element of R_q with small integer coefficients
// s = Σ s[i]·X^i, s[i] ∈ [−128, 127]: folding challenges and decomposition
// digits. The zero value is 0.
type Small [D]int8

// Elem embeds s in R_q, mapping a negative coefficient c to q − |c|.
func (s *Small) Elem() Elem {
	var z Elem
	for i, c := range s {
		z[i].SetInt64(int64(c))
	}
	return z
}

// NormInf returns max |s[i]|, at most 128.
func (s *Small) NormInf() int {
	m := 0
	for _, c := range s {
		m = max(m, abs(int(c)))
	}
	return m
}

// OperatorNorm returns the norm of rot(s) as an operator on (Z^D, ℓ∞), the
// largest ℓ1 norm of a row of rot(s) computed over the integers: for every
// a, ‖s·a‖∞ ≤ OperatorNorm(s)·‖a‖∞ as long as no coefficient wraps mod q.
func (s *Small) OperatorNorm() int {
	// Column t of rot(s) is X^t·s mod Φ81 over Z; each column follows from
	// the one before by one multiplication by X.
	var rows [D]int
	col := [D]int{}
	for i, c := range s {
		col[i] = int(c)
	}
	for range D {
		for r, c := range col {
			rows[r] += abs(c)
		}
		top := col[D-1] // X·X^53 = X^54 = −X^27 − 1
		copy(col[1:], col[:D-1])
		col[0] = -top
		col[half] -= top
	}
	m := 0
	for _, r := range rows {
		m = max(m, r)
	}
	return m
}

// MulSmall sets z = a·s and returns z, equal to z.Mul(a, &e) with
// e = s.Elem() but built from small integer products, skipping the zero
// coefficients of s, so it is cheapest for sparse s such as bits. z may be a.
func (z *Elem) MulSmall(a *Elem, s *Small) *Elem {
	// a's words are Montgomery forms a_i·R mod q, and Σ s_j·(a_i·R) is the
	// Montgomery form of Σ s_j·a_i, so the product is plain integer
	// arithmetic on the words followed by one reduction mod q. Each word is
	// split once into 32-bit halves whose signed sums over at most 54 terms
	// stay below 54·128·2^32 < 2^45 in an int64: one small product per half
	// and term, no carries, zero coefficients of s skipped. Putting the
	// halves back together costs one field product per coefficient.
	var al, ah [D]int64
	for i := range a {
		al[i] = int64(a[i][0] & 0xFFFF_FFFF)
		ah[i] = int64(a[i][0] >> 32)
	}
	var lo, hi [2*D - 1]int64
	for j, c := range s {
		if c == 0 {
			continue
		}
		sc := int64(c)
		l := (*[D]int64)(lo[j : j+D])
		h := (*[D]int64)(hi[j : j+D])
		for i := range al {
			l[i] += sc * al[i]
			h[i] += sc * ah[i]
		}
	}
	// Fold mod Φ81 on the integers (X^k = X^(k−81) for k ≥ 81, then
	// X^k = −X^(k−27) − X^(k−54)); each entry gathers at most 3 sums.
	for k := 81; k < 2*D-1; k++ {
		lo[k-81] += lo[k]
		hi[k-81] += hi[k]
	}
	for k := D; k < 81; k++ {
		lo[k-27] -= lo[k]
		lo[k-D] -= lo[k]
		hi[k-27] -= hi[k]
		hi[k-D] -= hi[k]
	}
	for i := range z {
		z[i] = combine(hi[i], lo[i])
	}
	return z
}

// two32 is 2^32 as a field element.
var two32 = goldilocks.NewElement(1 << 32)

// combine returns the word of h·2^32 + l mod q for |h|, |l| < 2^62.
func combine(h, l int64) goldilocks.Element {
	var eh, el goldilocks.Element
	setWord(&eh, h)
	setWord(&el, l)
	// eh and el hold h and l as words, not as Montgomery forms; multiplying
	// by the Montgomery form of 2^32 keeps that (R cancels), and adding
	// words adds the values.
	eh.Mul(&eh, &two32)
	return *eh.Add(&eh, &el)
}

// setWord sets the word of e to v mod q (not the Montgomery form of v).
func setWord(e *goldilocks.Element, v int64) {
	if v >= 0 {
		e[0] = uint64(v) // < 2^62 < q
	} else {
		e[0] = q - uint64(-v) // −v ≤ 2^62 < q
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
