package ajtai

import (
	"unsafe"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// Words fills dst with columns [lo, hi) of M in a Source's layout, but as
// canonical integers below q rather than field elements: what a matrix
// expanded from a seed is before any conversion. Like a Source it is called
// from several goroutines at once and must give the same values every time.
type Words func(dst []uint64, lo, hi int)

// rSquare is R² mod q (R = 2^64 ≡ 2^32 − 1), the Montgomery word that maps
// a canonical x to its Montgomery form x·R in one Montgomery product.
var rSquare = E{(1<<32 - 1) * (1<<32 - 1) % gl64.Q}

// Canonical returns the Source that fills columns with words and converts
// them to field elements in bulk: one vector multiplication by R² per call,
// several times cheaper than converting word by word, and the same elements
// bit for bit. Sources feed the host and CUDA alike, so the conversion runs
// on the host loops of the selected backend, the portable ones while no
// backend can be selected (the values do not depend on the backend).
func Canonical(words Words) Source {
	return func(dst []E, lo, hi int) {
		words(asWords(dst), lo, hi)
		hostVectors().ScalarMul(dst, dst, rSquare)
	}
}

// Lift sets dst[i] to the field element of the integer Z[i] (q + z for
// z < 0) as Canonical converts words: each canonical word written in place,
// then one vector multiplication by R². len(dst) must be len(Z).
func Lift(dst []E, Z []int32) {
	words := asWords(dst[:len(Z)])
	for i, z := range Z {
		words[i] = uint64(int64(z))
		if z < 0 {
			words[i] += gl64.Q
		}
	}
	hostVectors().ScalarMul(dst, dst, rSquare)
}

// asWords is x viewed as its Montgomery words, sharing x's memory: a field
// element is one uint64, so a Words fills a Source's buffer in place.
func asWords(x []E) []uint64 {
	return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}

// hostVectors is the vector loops of the selected backend's host side.
func hostVectors() *gl64.Vector {
	b, err := accel.Selected()
	if err != nil {
		return &gl64.Generic
	}
	if v := gl64.Vectors(accel.Host(b)); v != nil {
		return v
	}
	return &gl64.Generic
}
