package ntt

import (
	"fmt"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks/fft"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
)

func reportElements(b *testing.B, n int) {
	b.SetBytes(int64(8 * n))
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "elements/s")
}

func BenchmarkForward(b *testing.B) {
	for logn := 10; logn <= 22; logn += 2 {
		n := 1 << logn
		x := randVec(n)
		v := make([]E, n)
		d, err := NewDomain(n)
		if err != nil {
			b.Fatal(err)
		}
		gltest.EachBackend(b, func(be accel.Backend) {
			b.Run(fmt.Sprintf("%s/logn=%d", be, logn), func(b *testing.B) {
				copy(v, x)
				for b.Loop() {
					if err := d.Forward(v); err != nil {
						b.Fatal(err)
					}
				}
				reportElements(b, n)
			})
		})
		gd := fft.NewDomain(uint64(n))
		b.Run(fmt.Sprintf("gnark/logn=%d", logn), func(b *testing.B) {
			copy(v, x)
			for b.Loop() {
				gd.FFT(v, fft.DIF)
			}
			reportElements(b, n)
		})
	}
}

func BenchmarkForwardBatch(b *testing.B) {
	const logn, count = 6, 1 << 14
	n := 1 << logn
	x := randVec(n * count)
	d, err := NewDomain(n)
	if err != nil {
		b.Fatal(err)
	}
	gltest.EachBackend(b, func(be accel.Backend) {
		b.Run(fmt.Sprintf("%s/logn=%d/count=%d", be, logn, count), func(b *testing.B) {
			for b.Loop() {
				if err := d.ForwardBatch(x); err != nil {
					b.Fatal(err)
				}
			}
			reportElements(b, n*count)
		})
	})
}
