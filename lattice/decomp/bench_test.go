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
