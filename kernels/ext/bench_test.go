package ext

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
)

// benchN is the table half a sum-check round of 17 variables works on.
const benchN = 1 << 16

// benchBackends runs f as <backend>/n=N under every available backend,
// reporting elements (indices, for ProductEvals) per second.
func benchBackends(b *testing.B, f func(b *testing.B)) {
	gltest.EachBackend(b, func(be accel.Backend) {
		b.Run(fmt.Sprintf("%s/n=%d", be, benchN), func(b *testing.B) {
			f(b)
			b.ReportMetric(float64(b.N)*benchN/b.Elapsed().Seconds(), "elems/s")
		})
	})
}

func BenchmarkMul(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x, y, res := randK(r, benchN), randK(r, benchN), make([]K, benchN)
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if err := Mul(res, x, y); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkInnerProduct(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x, y := randK(r, benchN), randK(r, benchN)
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if _, err := InnerProduct(x, y); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMulAddBase adds a multiple of a column over F into a vector of K,
// a logUp leaf-denominator pass.
func BenchmarkMulAddBase(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	y, x := randK(r, benchN), baseOf(randK(r, benchN))
	s := randK(r, 1)[0]
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if err := MulAddBase(y, s, x); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInnerBase evaluates a column over F at the point of an eq table.
func BenchmarkInnerBase(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	eq, x := randK(r, benchN), baseOf(randK(r, benchN))
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if _, err := InnerBase(eq, x); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBind binds the same table repeatedly: the values drift, the work
// per call does not.
func BenchmarkBind(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	lo, hi := randK(r, benchN), randK(r, benchN)
	s := randK(r, 1)[0]
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if err := Bind(lo, hi, s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkProductEvals is the degree-3 sum-check round: three tables, four
// evaluations.
func BenchmarkProductEvals(b *testing.B) {
	const m = 3
	r := rand.New(rand.NewPCG(1, 2))
	lo, hi := make([][]K, m), make([][]K, m)
	for j := range m {
		lo[j], hi[j] = randK(r, benchN), randK(r, benchN)
	}
	acc := make([]K, m+1)
	benchBackends(b, func(b *testing.B) {
		for b.Loop() {
			if err := ProductEvals(acc, lo, hi); err != nil {
				b.Fatal(err)
			}
		}
	})
}
