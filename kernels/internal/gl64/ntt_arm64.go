//go:build !purego

package gl64

import "github.com/ssprove/ssprove/accel"

// The layer loops of the transforms stay in Go; assembly runs one whole layer
// (see ntt_arm64.s for which parts are NEON and which scalar A64).

//go:noescape
func difLayerA64(a, tw *E, blocks, h int)

//go:noescape
func ditLayerA64(a, tw *E, blocks, h int)

//go:noescape
func twiddleA64(a *E, rows int, t0, step *[8]E)

//go:noescape
func gatherNEON(a, src *E, off *[8]int, m int)

//go:noescape
func scatterNEON(dst *E, off *[8]int, a *E, m int)

func archNTT(b accel.Backend) *NTT {
	if b == accel.NEON {
		return &neonNTT
	}
	return nil
}

var neonNTT = NTT{
	DIF:     difArm64,
	DIT:     ditArm64,
	Twiddle: twiddleArm64,
	Gather:  gatherArm64,
	Scatter: scatterArm64,
}

func difArm64(a, tw []E) {
	m := len(a) / 8
	for h := m / 2; h >= 1; h /= 2 {
		difLayerA64(&a[0], &tw[0], m/(2*h), h)
	}
}

func ditArm64(a, tw []E) {
	m := len(a) / 8
	for h := 1; h < m; h *= 2 {
		ditLayerA64(&a[0], &tw[0], m/(2*h), h)
	}
}

func twiddleArm64(a []E, t0, step *[8]E) {
	if m := len(a) / 8; m > 0 {
		twiddleA64(&a[0], m, t0, step)
	}
}

func gatherArm64(a, src []E, off *[8]int) {
	if m := len(a) / 8; m > 0 {
		gatherNEON(&a[0], &src[0], off, m)
	}
}

func scatterArm64(dst []E, off *[8]int, a []E) {
	if m := len(a) / 8; m > 0 {
		scatterNEON(&dst[0], off, &a[0], m)
	}
}
