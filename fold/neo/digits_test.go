package neo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

func TestMulDigits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		name          string
		m, planes, vs int
		lo, hi        int // digits drawn from [lo, hi]
	}{
		{"bits", 3, 1, 1, -1, 1},
		{"zero", 5, 2, 3, 0, 0},
		{"b3", 17, 3, 4, -2, 2},
		{"full int8", 9, 2, 2, -128, 127},
		{"one sign", 7, 1, 2, 0, 5},
		// Enough columns for several workers where there are cores.
		{"parallel", 4 * digitGrain, 2, 4, -1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			Zs := make([][]int8, tc.planes)
			for i := range Zs {
				Zs[i] = make([]int8, ring.D*tc.m)
				for k := range Zs[i] {
					Zs[i][k] = int8(tc.lo + rng.IntN(tc.hi-tc.lo+1))
				}
			}
			if tc.lo == -128 {
				Zs[0][0] = -128
			}
			vs := make([][]K, tc.vs)
			for j := range vs {
				vs[j] = randomPoint(rng, tc.m)
			}
			got, err := mulDigits(Zs, vs, magnitude(Zs))
			if err != nil {
				t.Fatal(err)
			}
			for i, Z := range Zs {
				if want := refProducts(widen(Z), vs); fmt.Sprint(got[i]) != fmt.Sprint(want) {
					t.Fatalf("plane %d differs from the reference", i)
				}
			}
		})
	}
}

func TestMulDigitsShape(t *testing.T) {
	v := make([]K, 2)
	for _, tc := range []struct {
		name string
		Zs   [][]int8
		vs   [][]K
	}{
		{"no vectors", [][]int8{make([]int8, 2*ring.D)}, nil},
		{"ragged vectors", [][]int8{make([]int8, 2*ring.D)}, [][]K{v, v[:1]}},
		{"short matrix", [][]int8{make([]int8, 2*ring.D-1)}, [][]K{v}},
	} {
		if _, err := mulDigits(tc.Zs, tc.vs, magnitude(tc.Zs)); !errors.Is(err, ErrShape) {
			t.Errorf("%s: got %v, want ErrShape", tc.name, err)
		}
	}
}

// BenchmarkMulDigits measures the digit × K products of Π_DEC: k = 12 planes
// of bits against t+1 = 4 vectors, reported in digits per second.
func BenchmarkMulDigits(b *testing.B) {
	for _, logM := range []int{10, 14} {
		b.Run(fmt.Sprintf("log%d", logM), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			m := 1 << logM
			Zs := make([][]int8, 12)
			for i := range Zs {
				Zs[i] = make([]int8, ring.D*m)
				for k := range Zs[i] {
					Zs[i][k] = int8(rng.IntN(3) - 1)
				}
			}
			vs := make([][]K, 4)
			for j := range vs {
				vs[j] = randomPoint(rng, m)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := mulDigits(Zs, vs, magnitude(Zs)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(Zs)*ring.D*m)*float64(b.N)/b.Elapsed().Seconds(), "digits/s")
		})
	}
}

// TestRecompose compares recompose with decomp.Unembed of the same digits
// as field elements, for the bases the presets use and a large one, with
// digits up to the int8 extremes and every column count up to a few
// hundred.
func TestRecompose(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, b := range []uint64{2, 3, 7, 128} {
		for _, m := range []int{0, 1, 2, 3, 17, 300} {
			Z := make([]int8, ring.D*m)
			for i := range Z {
				switch rng.IntN(4) {
				case 0:
					Z[i] = int8(rng.IntN(256) - 128)
				default:
					Z[i] = int8(rng.IntN(2*int(b)-1) - (int(b) - 1))
				}
			}
			field := make([]goldilocks.Element, len(Z))
			for i, δ := range Z {
				field[i] = digitElement(δ)
			}
			want, err := decomp.Unembed(field, b, ring.D)
			if err != nil {
				t.Fatal(err)
			}
			got, err := recompose(Z, b)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("b = %d, m = %d: recompose differs from Unembed", b, m)
			}
		}
	}
	if _, err := recompose(make([]int8, ring.D+1), 2); !errors.Is(err, ErrShape) {
		t.Errorf("a partial column: got %v, want ErrShape", err)
	}
}

// TestStepWitness compares stepWitness with decomp.Embed, digit for digit,
// on values of every size, both signs and the base-2 limit 2^54, for the
// presets' bases; a value beyond the limit is refused as Embed refuses it.
func TestStepWitness(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	var z []goldilocks.Element
	for _, v := range []int64{0, 1, -1, 2, -3, 1<<54 - 1, -(1<<54 - 1), 1 << 40, -(1 << 33)} {
		var e goldilocks.Element
		e.SetInt64(v)
		z = append(z, e)
	}
	for range 500 {
		var e goldilocks.Element
		e.SetInt64(rng.Int64N(1<<54) - 1<<53>>uint(rng.IntN(54)))
		z = append(z, e)
	}
	for _, b := range []uint64{2, 3} {
		want, err := decomp.Embed(z, b, ring.D)
		if err != nil {
			t.Fatal(err)
		}
		got, err := stepWitness(z, b)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if got[i] != int8(ring.Signed(want[i])) {
				t.Fatalf("b = %d: digit %d of value %d is %d, Embed's %d", b, i%ring.D, i/ring.D, got[i], ring.Signed(want[i]))
			}
		}
	}
	big := []goldilocks.Element{goldilocks.NewElement(1 << 54)}
	if _, err := decomp.Embed(big, 2, ring.D); err == nil {
		t.Fatal("Embed takes 2^54 in base 2")
	}
	var re *decomp.RangeError
	if _, err := stepWitness(big, 2); !errors.Is(err, ErrShape) || !errors.As(err, &re) {
		t.Errorf("2^54 in base 2: got %v, want ErrShape with a *decomp.RangeError", err)
	}
	var huge goldilocks.Element
	huge.SetInt64(-(1 << 62))
	if _, err := stepWitness([]goldilocks.Element{huge}, 3); err != nil {
		t.Errorf("base 3 embeds every element: %v", err)
	}
}
