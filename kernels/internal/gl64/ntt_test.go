package gl64

import (
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
)

// nttBackends returns the backends with NTT kernels that can run here, each
// compared against GenericNTT.
func nttBackends(t *testing.T) map[accel.Backend]*NTT {
	t.Helper()
	ks := map[accel.Backend]*NTT{}
	for _, b := range []accel.Backend{accel.AVX2, accel.AVX512, accel.NEON} {
		if err := accel.Available(b); err != nil {
			t.Logf("skip %s: %v", b, err)
			continue
		}
		if k := NTTKernels(b); k != nil {
			ks[b] = k
		}
	}
	return ks
}

func rootTable(m int) []E {
	w, err := goldilocks.Generator(uint64(m))
	if err != nil {
		panic(err)
	}
	tw := make([]E, max(m/2, 1))
	x := goldilocks.One()
	for i := range tw {
		tw[i] = x
		x[0] = Mul(x[0], w[0])
	}
	return tw
}

func equalVec(t *testing.T, what string, b accel.Backend, got, want []E) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s %s: element %d of %d: got %d, want %d", b, what, i, len(want), got[i][0], want[i][0])
		}
	}
}

func TestNTTKernelsMatchGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for b, k := range nttBackends(t) {
		for logm := 0; logm <= 11; logm++ {
			m := 1 << logm
			tw := rootTable(m)
			x := randVec(r, 8*m)
			for name, f := range map[string][2]func(a, tw []E){
				"DIF": {k.DIF, GenericNTT.DIF},
				"DIT": {k.DIT, GenericNTT.DIT},
			} {
				got, want := append([]E(nil), x...), append([]E(nil), x...)
				f[0](got, tw)
				f[1](want, tw)
				equalVec(t, name, b, got, want)
			}
		}
		for _, m := range []int{0, 1, 2, 3, 7, 8, 33} {
			var t0, step [8]E
			for c := range t0 {
				t0[c].MustSetRandom()
				step[c].MustSetRandom()
			}
			x := randVec(r, 8*m)
			got, want := append([]E(nil), x...), append([]E(nil), x...)
			k.Twiddle(got, &t0, &step)
			GenericNTT.Twiddle(want, &t0, &step)
			equalVec(t, "Twiddle", b, got, want)
		}
		for _, m := range []int{0, 8, 16, 64} {
			// Rows out of order, unevenly spaced, with a gap around each.
			off := [8]int{5 * m, 1, 3*m + 2, 7 * m, m + 1, 6*m + 3, 2*m + 1, 4 * m}
			src := randVec(r, 8*m+4)
			got, want := randVec(r, 8*m), make([]E, 8*m)
			k.Gather(got, src, &off)
			GenericNTT.Gather(want, src, &off)
			equalVec(t, "Gather", b, got, want)

			gotDst, wantDst := append([]E(nil), src...), append([]E(nil), src...)
			k.Scatter(gotDst, &off, got)
			GenericNTT.Scatter(wantDst, &off, got)
			equalVec(t, "Scatter", b, gotDst, wantDst)
		}
	}
}

// TestGenericNTTRoundTrip pins the contract of the reference itself: DIT after
// DIF with the inverse root multiplies every column by m.
func TestGenericNTTRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for logm := 0; logm <= 8; logm++ {
		m := 1 << logm
		tw := rootTable(m)
		inv := make([]E, len(tw))
		for i := range tw {
			inv[i].Inverse(&tw[i])
		}
		x := randVec(r, 8*m)
		y := append([]E(nil), x...)
		GenericNTT.DIF(y, tw)
		GenericNTT.DIT(y, inv)
		var mm E
		mm.SetUint64(uint64(m))
		for i := range x {
			var want E
			want.Mul(&x[i], &mm)
			if y[i] != want {
				t.Fatalf("m=%d element %d: DIT(DIF(x)) = %d, want m·x = %d", m, i, y[i][0], want[0])
			}
		}
	}
}
