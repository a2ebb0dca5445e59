package field

import (
	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// parallelMin is the length from which a call is split across goroutines.
// Below it the whole call takes a few microseconds with vector loops, about
// what starting and joining the goroutines costs.
const parallelMin = 1 << 15

func workers(n int) int { return parallel.Workers(n, parallelMin) }

func chunked(n int, f func(lo, hi int)) { parallel.For(n, parallelMin, f) }

// reduced returns the sum of f over contiguous chunks of [0, n), computed
// across goroutines when n is large enough to pay for them.
func reduced(v *gl64.Vector, n int, f func(lo, hi int) goldilocks.Element) goldilocks.Element {
	w := workers(n)
	if w == 1 {
		return f(0, n)
	}
	part := make([]goldilocks.Element, w)
	parallel.Split(n, w, func(c, lo, hi int) { part[c] = f(lo, hi) })
	return v.Sum(part)
}
