//go:build !purego

package gl64

import "github.com/ssprove/ssprove/accel"

// The NEON loops (add, sub, sum) take n a multiple of 8 and the scalar A64
// loops (products, see gl64_arm64.h for why they are not NEON) a multiple of 4;
// the Go wrappers finish the tail with the portable code.

//go:noescape
func addVecNEON(res, a, b *E, n int)

//go:noescape
func subVecNEON(res, a, b *E, n int)

//go:noescape
func sumVecNEON(a *E, n int) (lo, hi uint64)

//go:noescape
func mulVecA64(res, a, b *E, n int)

//go:noescape
func scalarMulVecA64(res, a *E, s uint64, n int)

//go:noescape
func mulAddVecA64(y *E, s uint64, x *E, n int)

//go:noescape
func innerVecA64(a, b *E, n int) (c0, c1, c2 uint64)

func archVectors(b accel.Backend) *Vector {
	if b == accel.NEON {
		return &neon
	}
	return nil
}

var neon = Vector{
	Add:       addNEON,
	Sub:       subNEON,
	Mul:       mulA64,
	ScalarMul: scalarMulA64,
	MulAdd:    mulAddA64,
	Inner:     innerA64,
	Sum:       sumNEON,
}

func addNEON(res, a, b []E) {
	n := len(res) &^ 7
	if n > 0 {
		addVecNEON(&res[0], &a[0], &b[0], n)
	}
	addGeneric(res[n:], a[n:], b[n:])
}

func subNEON(res, a, b []E) {
	n := len(res) &^ 7
	if n > 0 {
		subVecNEON(&res[0], &a[0], &b[0], n)
	}
	subGeneric(res[n:], a[n:], b[n:])
}

func sumNEON(a []E) E {
	n := len(a) &^ 7
	acc := sumGeneric(a[n:])[0]
	if n > 0 {
		lo, hi := sumVecNEON(&a[0], n)
		acc = Add(acc, reduceWide(hi, lo))
	}
	return E{acc}
}

func mulA64(res, a, b []E) {
	n := len(res) &^ 3
	if n > 0 {
		mulVecA64(&res[0], &a[0], &b[0], n)
	}
	mulGeneric(res[n:], a[n:], b[n:])
}

func scalarMulA64(res, a []E, s E) {
	n := len(res) &^ 3
	if n > 0 {
		scalarMulVecA64(&res[0], &a[0], s[0], n)
	}
	scalarMulGeneric(res[n:], a[n:], s)
}

func mulAddA64(y []E, s E, x []E) {
	n := len(y) &^ 3
	if n > 0 {
		mulAddVecA64(&y[0], s[0], &x[0], n)
	}
	mulAddGeneric(y[n:], s, x[n:])
}

func innerA64(a, b []E) E {
	n := len(a) &^ 3
	acc := innerGeneric(a[n:], b[n:])[0]
	if n > 0 {
		c0, c1, c2 := innerVecA64(&a[0], &b[0], n)
		// c2·2^128 + c1·2^64 + c0 times 2^−64 is Redc of (c2·2^64 + c1 mod q, c0).
		acc = Add(acc, Redc(reduceWide(c2, c1), c0))
	}
	return E{acc}
}

// twoTo128 is 2^128 mod q = (2^32 − 1)^2 mod q = −2^32 mod q.
const twoTo128 = Q - 1<<32

// reduceWide returns (hi·2^64 + lo) mod q for hi < q: Redc divides by 2^64
// and the Montgomery product with 2^128 multiplies it back.
func reduceWide(hi, lo uint64) uint64 {
	return Mul(Redc(hi, lo), twoTo128)
}
