package decomp

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

const benchN = 1 << 16

func BenchmarkSplit(b *testing.B) {
	for _, c := range []struct {
		base uint64
		n    int
	}{{2, 12}, {3, 54}, {16, 12}} {
		v := randomFitting(rand.New(rand.NewPCG(1, 1)), benchN, c.base, c.n)
		b.Run(fmt.Sprintf("b=%d/n=%d/len=%d", c.base, c.n, benchN), func(b *testing.B) {
			b.SetBytes(8 * benchN)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Split(v, c.base, c.n); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("Into/b=%d/n=%d/len=%d", c.base, c.n, benchN), func(b *testing.B) {
			dst := make2D(c.n, benchN)
			b.SetBytes(8 * benchN)
			b.ReportAllocs()
			for b.Loop() {
				if err := SplitInto(dst, v, c.base); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRecompose(b *testing.B) {
	digits, err := Split(randomFitting(rand.New(rand.NewPCG(2, 2)), benchN, 2, 12), 2, 12)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(8 * benchN)
	for b.Loop() {
		if _, err := Recompose(digits, 2); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEmbed(b *testing.B) {
	const d = 54
	z := randomFitting(rand.New(rand.NewPCG(3, 3)), benchN, 2, d)
	b.Run(fmt.Sprintf("b=2/d=%d/m=%d", d, benchN), func(b *testing.B) {
		b.SetBytes(8 * benchN)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Embed(z, 2, d); err != nil {
				b.Fatal(err)
			}
		}
	})
	Z, err := Embed(z, 2, d)
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("Unembed/b=2/d=%d/m=%d", d, benchN), func(b *testing.B) {
		b.SetBytes(8 * benchN)
		for b.Loop() {
			if _, err := Unembed(Z, 2, d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSplitSmall splits int32 values as Π_RLC leaves them: typical
// entries (|z| < 128, fold/NEO.md §3.2) and entries up to the guard's bound
// (k+1 claims folded, |z| ≤ (k+1)·T·(b−1)), for the b = 2 and b = 3 presets.
func BenchmarkSplitSmall(b *testing.B) {
	for _, c := range []struct {
		base uint64
		n    int
		max  int32
	}{{2, 13, 127}, {2, 13, 27 * 216}, {3, 9, 127}, {3, 9, 19 * 432}} {
		r := rand.New(rand.NewPCG(4, 4))
		z := make([]int32, benchN)
		for j := range z {
			z[j] = r.Int32N(2*c.max+1) - c.max
		}
		dst := make([][]int8, c.n)
		for i := range dst {
			dst[i] = make([]int8, benchN)
		}
		b.Run(fmt.Sprintf("b=%d/n=%d/max=%d/len=%d", c.base, c.n, c.max, benchN), func(b *testing.B) {
			b.SetBytes(4 * benchN)
			b.ReportAllocs()
			for b.Loop() {
				if err := SplitSmallInto(dst, z, c.base); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRecomposeSmall(b *testing.B) {
	z := make([]int32, benchN)
	r := rand.New(rand.NewPCG(5, 5))
	for j := range z {
		z[j] = r.Int32N(2*5832+1) - 5832
	}
	digits, err := SplitSmall(z, 2, 13)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(4 * benchN)
	for b.Loop() {
		if _, err := RecomposeSmall(digits, 2); err != nil {
			b.Fatal(err)
		}
	}
}
