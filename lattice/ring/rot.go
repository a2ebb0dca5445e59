package ring

import (
	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/field"
)

// Rot is rot(a), the D×D matrix of multiplication by a: column t is
// cf(X^t·a), so rot(a)·cf(b) = cf(a·b). It is row-major: Rot[r][c] is row
// r, column c.
type Rot [D][D]goldilocks.Element

// Rot returns rot(a).
func (a *Elem) Rot() *Rot {
	m := new(Rot)
	col := *a
	for t := range D {
		for r := range col {
			m[r][t] = col[r]
		}
		// X·col: every coefficient moves up one, and the one pushed out to
		// X^54 comes back as −X^27 − 1.
		top := col[D-1]
		copy(col[1:], col[:D-1])
		col[0].Neg(&top)
		col[half].Sub(&col[half], &top)
	}
	return m
}

// Apply returns rot(a)·v, for rot(a) = m. With v = cf(b) that is cf(a·b).
func (m *Rot) Apply(v *[D]goldilocks.Element) [D]goldilocks.Element {
	var z [D]goldilocks.Element
	for r := range m {
		var s field.LazySum
		for c := range v {
			s = s.MulAdd(m[r][c], v[c])
		}
		z[r] = s.Reduce()
	}
	return z
}
