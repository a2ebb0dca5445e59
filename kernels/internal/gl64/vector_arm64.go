//go:build !purego

package gl64

import "github.com/ssprove/ssprove/accel"

// The NEON loops (add, sub, sum) take n a multiple of 8 and the scalar A64
// loops (products, see gl64_arm64.h for why they are not NEON) a multiple of 4;
// vector_asm.go's adapters finish the tail with the portable code.

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
	Add:       elementwise(8, addVecNEON, addGeneric),
	Sub:       elementwise(8, subVecNEON, subGeneric),
	Mul:       elementwise(4, mulVecA64, mulGeneric),
	ScalarMul: scaled(4, scalarMulVecA64, scalarMulGeneric),
	MulAdd:    mulAdd(4, func(y, x *E, s uint64, n int) { mulAddVecA64(y, s, x, n) }),
	Inner:     innerA64,
	Sum:       sumNEON,
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
