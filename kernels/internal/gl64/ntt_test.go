package gl64

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
)

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
	for b, k := range kernelsOf(t, NTTKernels) {
		for logm := 0; logm <= 11; logm++ {
			m := 1 << logm
			// The inverse root's table has the other sign of ω4 = ±2^48.
			for _, tw := range [][]E{rootTable(m), inverseTable(rootTable(m))} {
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

func inverseTable(tw []E) []E {
	inv := make([]E, len(tw))
	for i := range tw {
		inv[i].Inverse(&tw[i])
	}
	return inv
}

// TestFourthRootIsShift pins what the AVX-512 radix-4 butterflies rely on:
// ω^(m/4) of every table, forward and inverse, is ±2^48, which they multiply
// by with shifts (a table whose ω4 is not −2^48 is taken as +2^48).
func TestFourthRootIsShift(t *testing.T) {
	var plus, minus E
	plus.SetUint64(1 << 48)
	minus.Neg(&plus)
	for logm := 2; logm <= 32; logm++ {
		w, err := goldilocks.Generator(uint64(1) << logm)
		if err != nil {
			t.Fatal(err)
		}
		var w4, inv E
		w4.Exp(w, new(big.Int).Lsh(big.NewInt(1), uint(logm-2)))
		inv.Inverse(&w4)
		if !(w4 == plus && inv == minus) && !(w4 == minus && inv == plus) {
			t.Fatalf("m=2^%d: ω^(m/4) = %v and its inverse %v are not ±2^48", logm, w4.String(), inv.String())
		}
	}
}

// TestNTTFourthRootEdges feeds the ω4 multiplication the words where its
// borrows and carries change: those with low 16 bits zero, and the extremes.
func TestNTTFourthRootEdges(t *testing.T) {
	words := append([]uint64{1 << 16, 1 << 48, 0xFFFF << 48, Q - 1<<16, 0xFFFF_FFFF_0000_0000, 1<<48 - 1}, edges...)
	for b, k := range kernelsOf(t, NTTKernels) {
		for _, m := range []int{4, 16} {
			for _, tw := range [][]E{rootTable(m), inverseTable(rootTable(m))} {
				for _, w := range words {
					x := make([]E, 8*m)
					for c := range 8 {
						// x1 − x3 = w in one lane, −w in another, w − 1 in a third.
						x[8+c][0] = w
						x[8*3+c][0] = []uint64{0, w, 1, Q - 1, 0, 0, 0, 0}[c]
					}
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
			}
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
		inv := inverseTable(tw)
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
