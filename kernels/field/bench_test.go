package field

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
)

const benchN = 1 << 20

// benchBackends runs f under every available backend as <name>/n=N on all
// cores and <name>/1core/n=N with GOMAXPROCS=1, so per-core ratios against
// gnark-crypto (always one goroutine) can be read off directly; then it runs
// gnark as gnark/n=N.
func benchBackends(b *testing.B, f func(b *testing.B), gnark func(b *testing.B)) {
	size := fmt.Sprintf("n=%d", benchN)
	gltest.EachBackend(b, func(be accel.Backend) {
		b.Run(be.String(), func(b *testing.B) {
			b.Run(size, measured(f, false))
			if runtime.GOMAXPROCS(0) > 1 {
				b.Run("1core/"+size, measured(f, true))
			}
		})
	})
	b.Run("gnark/"+size, measured(gnark, false))
}

// measured wraps a benchmark body. GOMAXPROCS is lowered inside it because
// the testing package resets it before every run of a benchmark.
func measured(f func(b *testing.B), oneCore bool) func(b *testing.B) {
	return func(b *testing.B) {
		if oneCore {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		}
		b.SetBytes(8 * benchN)
		b.ReportAllocs()
		f(b)
	}
}

func benchVectors() (x, y, res goldilocks.Vector) {
	r := rand.New(rand.NewPCG(9, 10))
	return randVec(r, benchN), randVec(r, benchN), make(goldilocks.Vector, benchN)
}

func BenchmarkMul(b *testing.B) {
	x, y, res := benchVectors()
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if err := Mul(res, x, y); err != nil {
				b.Fatal(err)
			}
		}
	}, func(b *testing.B) {
		for b.Loop() {
			res.Mul(x, y)
		}
	})
}

func BenchmarkMulAdd(b *testing.B) {
	x, y, tmp := benchVectors()
	s := x[1]
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if err := MulAdd(y, s, x); err != nil {
				b.Fatal(err)
			}
		}
	}, func(b *testing.B) {
		// gnark-crypto has no fused y += s·x; this is the two calls it takes.
		for b.Loop() {
			tmp.ScalarMul(x, &s)
			y.Add(y, tmp)
		}
	})
}

func BenchmarkAdd(b *testing.B) {
	x, y, res := benchVectors()
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if err := Add(res, x, y); err != nil {
				b.Fatal(err)
			}
		}
	}, func(b *testing.B) {
		for b.Loop() {
			res.Add(x, y)
		}
	})
}

func BenchmarkInnerProduct(b *testing.B) {
	x, y, _ := benchVectors()
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if _, err := InnerProduct(x, y); err != nil {
				b.Fatal(err)
			}
		}
	}, func(b *testing.B) {
		for b.Loop() {
			x.InnerProduct(y)
		}
	})
}

func BenchmarkBatchInverse(b *testing.B) {
	x, _, res := benchVectors()
	for i := range x {
		if x[i].IsZero() {
			x[i].SetOne()
		}
	}
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if err := BatchInverse(res, x); err != nil {
				b.Fatal(err)
			}
		}
	}, func(b *testing.B) {
		for b.Loop() {
			goldilocks.BatchInvert(x)
		}
	})
}
