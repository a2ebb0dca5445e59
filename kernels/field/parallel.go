package field

import (
	"runtime"
	"sync"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// parallelMin is the length from which a call is split across goroutines.
// Below it the whole call takes a few microseconds with vector loops, about
// what starting and joining the goroutines costs.
const parallelMin = 1 << 15

// chunkAlign keeps every chunk but the last a whole number of cache lines and
// vector registers, so only the last one runs a scalar tail.
const chunkAlign = 64

// workers returns how many goroutines should share n elements.
func workers(n int) int {
	if n < parallelMin {
		return 1
	}
	return max(1, min(runtime.GOMAXPROCS(0), n/(parallelMin/2)))
}

// chunked calls f on [0, n), split into contiguous chunks across goroutines
// when n is large enough to pay for them.
func chunked(n int, f func(lo, hi int)) {
	if w := workers(n); w > 1 {
		split(n, w, func(_, lo, hi int) { f(lo, hi) })
		return
	}
	f(0, n)
}

// reduced returns the sum of f over contiguous chunks of [0, n), computed
// across goroutines when n is large enough to pay for them.
func reduced(v *gl64.Vector, n int, f func(lo, hi int) goldilocks.Element) goldilocks.Element {
	w := workers(n)
	if w == 1 {
		return f(0, n)
	}
	part := make([]goldilocks.Element, w)
	split(n, w, func(c, lo, hi int) { part[c] = f(lo, hi) })
	return v.Sum(part)
}

// split calls f(c, lo, hi) for w contiguous chunks [lo, hi) covering [0, n),
// numbered c = 0..w−1, the last on the calling goroutine, and returns when
// all are done.
func split(n, w int, f func(c, lo, hi int)) {
	size := (n/w + chunkAlign - 1) &^ (chunkAlign - 1)
	var wg sync.WaitGroup
	for c := range w - 1 {
		lo := min(c*size, n)
		hi := min(lo+size, n)
		wg.Go(func() { f(c, lo, hi) })
	}
	f(w-1, min((w-1)*size, n), n)
	wg.Wait()
}
