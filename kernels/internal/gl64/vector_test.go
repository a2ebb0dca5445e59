package gl64

import (
	"testing"

	"github.com/ssprove/ssprove/accel"
)

func TestMulMatchesGnark(t *testing.T) {
	for _, b := range []accel.Backend{accel.Go, accel.AVX2, accel.AVX512, accel.NEON} {
		v := Vectors(b)
		if v == nil {
			continue
		}
		if err := accel.Available(b); err != nil {
			t.Logf("skip %s: %v", b, err)
			continue
		}
		for n := 0; n < 70; n++ {
			x, y := randVec(n), randVec(n)
			got := make([]E, n)
			v.Mul(got, x, y)
			for i := range got {
				var want E
				want.Mul(&x[i], &y[i])
				if got[i] != want {
					t.Fatalf("%s n=%d i=%d: %v·%v = %v, want %v", b, n, i, x[i][0], y[i][0], got[i][0], want[0])
				}
			}
		}
	}
}

func randVec(n int) []E {
	v := make([]E, n)
	for i := range v {
		v[i].MustSetRandom()
	}
	edge := []uint64{0, 1, Q - 1, Q - 2, 1 << 32, 1<<32 - 1, 1 << 63}
	for i := 0; i < n && i < len(edge); i++ {
		v[(i*5)%n][0] = edge[i]
	}
	return v
}
