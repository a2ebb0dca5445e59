//go:build !purego

package gl64

import "github.com/ssprove/ssprove/accel"

// The assembly takes m, the number of rows of the block; the wrappers skip
// blocks with nothing to do, which the assembly loops do not handle.

//go:noescape
func difAVX512(a *E, m int, tw *E)

//go:noescape
func ditAVX512(a *E, m int, tw *E)

//go:noescape
func twiddleAVX512(a *E, m int, t0, t1, step2 *[8]E)

//go:noescape
func gatherAVX512(a, src *E, m int, off *[8]int)

//go:noescape
func scatterAVX512(dst *E, off *[8]int, a *E, m int)

//go:noescape
func difAVX2(a *E, m int, tw *E)

//go:noescape
func ditAVX2(a *E, m int, tw *E)

//go:noescape
func twiddleAVX2(a *E, m int, t0, step *[8]E)

//go:noescape
func gatherAVX2(a, src *E, m int, off *[8]int)

//go:noescape
func scatterAVX2(dst *E, off *[8]int, a *E, m int)

func archNTT(b accel.Backend) *NTT {
	switch b {
	case accel.AVX512:
		return &nttAVX512
	case accel.AVX2:
		return &nttAVX2
	}
	return nil
}

var nttAVX512 = NTT{
	DIF: func(a, tw []E) {
		if m := len(a) / 8; m > 1 {
			difAVX512(&a[0], m, &tw[0])
		}
	},
	DIT: func(a, tw []E) {
		if m := len(a) / 8; m > 1 {
			ditAVX512(&a[0], m, &tw[0])
		}
	},
	Twiddle: func(a []E, t0, step *[8]E) {
		m := len(a) / 8
		if m == 0 {
			return
		}
		var t1, step2 [8]E
		for c := range step {
			t1[c][0] = Mul(t0[c][0], step[c][0])
			step2[c][0] = Mul(step[c][0], step[c][0])
		}
		twiddleAVX512(&a[0], m, t0, &t1, &step2)
	},
	Gather: func(a, src []E, off *[8]int) {
		if m := len(a) / 8; m > 0 {
			gatherAVX512(&a[0], &src[0], m, off)
		}
	},
	Scatter: func(dst []E, off *[8]int, a []E) {
		if m := len(a) / 8; m > 0 {
			scatterAVX512(&dst[0], off, &a[0], m)
		}
	},
}

var nttAVX2 = NTT{
	DIF: func(a, tw []E) {
		if m := len(a) / 8; m > 1 {
			difAVX2(&a[0], m, &tw[0])
		}
	},
	DIT: func(a, tw []E) {
		if m := len(a) / 8; m > 1 {
			ditAVX2(&a[0], m, &tw[0])
		}
	},
	Twiddle: func(a []E, t0, step *[8]E) {
		if m := len(a) / 8; m > 0 {
			twiddleAVX2(&a[0], m, t0, step)
		}
	},
	Gather: func(a, src []E, off *[8]int) {
		if m := len(a) / 8; m > 0 {
			gatherAVX2(&a[0], &src[0], m, off)
		}
	},
	Scatter: func(dst []E, off *[8]int, a []E) {
		if m := len(a) / 8; m > 0 {
			scatterAVX2(&dst[0], off, &a[0], m)
		}
	},
}
