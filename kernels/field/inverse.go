package field

import (
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// ZeroError reports the zero entries BatchInverse found, which have no inverse.
type ZeroError struct {
	Indices []int // positions of the zero entries, ascending
}

func (e *ZeroError) Error() string {
	return fmt.Sprintf("field: BatchInverse: %d zero elements have no inverse (first at index %d)",
		len(e.Indices), e.Indices[0])
}

// invLanes is how many independent product chains BatchInverse runs side by
// side. Montgomery's trick is one long chain of dependent products; cutting it
// into invLanes interleaved chains (lane j holds indices ≡ j mod invLanes)
// turns every step into one vector Mul over invLanes elements. Their heads stay
// in L1, and the chains' own inversion costs only 3·invLanes scalar products.
const invLanes = 256

// BatchInverse sets res[i] = 1/a[i] for every nonzero a[i], with one field
// inversion per goroutine. Zero entries have no inverse: res gets 0 there,
// every other entry is still inverted, and the error is a *ZeroError listing
// them. res may be a but must not otherwise overlap it.
func BatchInverse(res, a []goldilocks.Element) error {
	if err := sameLength("BatchInverse", "res", len(res), "a", len(a)); err != nil {
		return err
	}
	v, err := vectors("BatchInverse")
	if err != nil {
		return err
	}
	n := len(a)
	if n == 0 {
		return nil
	}
	// The chains read a twice, forward and backward. A scratch copy s, with
	// zeros replaced by one so the chains skip them, is needed only when a
	// has zeros or is overwritten through res in between.
	s := a
	if &res[0] == &a[0] || hasZero(a) {
		s = make([]goldilocks.Element, n)
	}
	var zeros []int
	if w := workers(n); w > 1 {
		found := make([][]int, w)
		parallel.Split(n, w, func(c, lo, hi int) {
			found[c] = batchInverse(v, res[lo:hi], a[lo:hi], s[lo:hi], lo)
		})
		for _, z := range found {
			zeros = append(zeros, z...)
		}
	} else {
		zeros = batchInverse(v, res, a, s, 0)
	}
	if len(zeros) > 0 {
		return &ZeroError{Indices: zeros}
	}
	return nil
}

// batchInverse inverts a into res (both of length n > 0) and returns the
// positions of the zeros of a, offset by base. s is either a itself, free of
// zeros, or scratch that the forward pass fills with a, zeros made one.
func batchInverse(v *gl64.Vector, res, a, s []goldilocks.Element, base int) []int {
	n := len(a)
	w := min(invLanes, n)
	one := goldilocks.One()
	copied := &s[0] != &a[0]
	var zeros []int

	// Forward: res[i] = s[i] · res[i−w], the running product of lane i mod w.
	for k := 0; k < n; k += w {
		e := min(k+w, n)
		for i := k; copied && i < e; i++ {
			s[i] = a[i]
			if s[i].IsZero() {
				zeros = append(zeros, base+i)
				s[i] = one
			}
		}
		if k == 0 {
			copy(res[:e], s[:e])
		} else {
			v.Mul(res[k:e], res[k-w:e-w], s[k:e])
		}
	}

	// The last w indices end one lane each; invert those lane totals together.
	var inv [invLanes]goldilocks.Element
	r := n % w
	for j := range w {
		i := n - r + j
		if i >= n {
			i -= w
		}
		inv[j] = res[i]
	}
	invertSmall(inv[:w])

	// Backward: with inv[j] the inverse of lane j's product up to index i,
	// 1/s[i] = inv[j] · res[i−w], and inv[j] · s[i] moves inv[j] back one step.
	// A short last block leaves the lanes it does not reach for the block before.
	for k := (n - 1) / w * w; k > 0; k -= w {
		e := min(k+w, n)
		m := e - k
		v.Mul(res[k:e], inv[:m], res[k-w:e-w])
		v.Mul(inv[:m], inv[:m], s[k:e])
	}
	copy(res[:w], inv[:w])

	for _, i := range zeros {
		res[i-base] = goldilocks.Element{}
	}
	return zeros
}

// invertSmall inverts the nonzero elements of x in place with Montgomery's
// trick on scalars: the chain is short, so one inversion dominates.
func invertSmall(x []goldilocks.Element) {
	var prefix [invLanes]goldilocks.Element
	acc := goldilocks.One()
	for i := range x {
		prefix[i] = acc
		acc.Mul(&acc, &x[i])
	}
	acc.Inverse(&acc)
	for i := len(x) - 1; i >= 0; i-- {
		xi := x[i]
		x[i].Mul(&acc, &prefix[i])
		acc.Mul(&acc, &xi)
	}
}

func hasZero(a []goldilocks.Element) bool {
	for i := range a {
		if a[i][0] == 0 {
			return true
		}
	}
	return false
}
