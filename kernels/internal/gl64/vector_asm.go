//go:build (amd64 || arm64) && !purego

package gl64

// The assembly loops take n > 0, a whole number of their lanes; these
// adapters hand them the largest such prefix and finish the tail with the
// portable loop.

// elementwise adapts a loop over res, a, b.
func elementwise(lanes int, vec func(res, a, b *E, n int), tail func(res, a, b []E)) func(res, a, b []E) {
	return func(res, a, b []E) {
		n := len(res) &^ (lanes - 1)
		if n > 0 {
			vec(&res[0], &a[0], &b[0], n)
		}
		tail(res[n:], a[n:], b[n:])
	}
}

// scaled adapts a loop that combines src, scaled by s, into dst.
func scaled(lanes int, vec func(dst, src *E, s uint64, n int), tail func(dst, src []E, s E)) func(dst, src []E, s E) {
	return func(dst, src []E, s E) {
		n := len(dst) &^ (lanes - 1)
		if n > 0 {
			vec(&dst[0], &src[0], s[0], n)
		}
		tail(dst[n:], src[n:], s)
	}
}

// mulAdd puts a scaled loop for y += s·x in the argument order of Vector.MulAdd.
func mulAdd(lanes int, vec func(y, x *E, s uint64, n int)) func(y []E, s E, x []E) {
	f := scaled(lanes, vec, func(y, x []E, s E) { mulAddGeneric(y, s, x) })
	return func(y []E, s E, x []E) { f(y, x, s) }
}
