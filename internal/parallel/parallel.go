// Package parallel splits loops over [0, n) into contiguous chunks run on up
// to GOMAXPROCS goroutines, for the kernels and the provers that share one
// way of doing it.
package parallel

import (
	"runtime"
	"sync"
)

// align keeps every chunk but the last a whole number of cache lines and
// vector registers, so only the last one runs a scalar tail.
const align = 64

// Workers returns how many goroutines should share n items when a call below
// grain items is not worth splitting: 1 below grain, else up to GOMAXPROCS
// with at least grain/2 items each.
func Workers(n, grain int) int {
	if n < grain {
		return 1
	}
	return max(1, min(runtime.GOMAXPROCS(0), n/max(1, grain/2)))
}

// For calls f on [0, n), split into contiguous chunks across goroutines when
// n reaches grain.
func For(n, grain int, f func(lo, hi int)) {
	if w := Workers(n, grain); w > 1 {
		Split(n, w, func(_, lo, hi int) { f(lo, hi) })
		return
	}
	f(0, n)
}

// Split calls f(c, lo, hi) for w contiguous chunks [lo, hi) covering [0, n),
// numbered c = 0..w−1, the last on the calling goroutine, and returns when
// all are done. Chunks may be empty when n is small against w.
func Split(n, w int, f func(c, lo, hi int)) {
	size := (n/w + align - 1) &^ (align - 1)
	var wg sync.WaitGroup
	for c := range w - 1 {
		lo := min(c*size, n)
		hi := min(lo+size, n)
		wg.Go(func() { f(c, lo, hi) })
	}
	f(w-1, min((w-1)*size, n), n)
	wg.Wait()
}
