package sumcheck

import (
	"context"
	"fmt"
	"testing"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/internal/gltest"
	"github.com/ssprove/ssprove/internal/wire"
)

// BenchmarkProveProduct3 proves Σ_x P_0(x)·P_1(x)·P_2(x), the degree-3
// product the target is stated for, on fresh copies of the tables
// (Prove consumes them; copying is outside the timer).
func BenchmarkProveProduct3(b *testing.B) {
	for _, numVars := range []int{16, 20} {
		ts := randTables(newRand(11), 3, numVars)
		g := Product(3, 0, 1, 2)
		claim := naiveSum(g, ts)
		gltest.EachBackend(b, func(be accel.Backend) {
			b.Run(fmt.Sprintf("%s/vars=%d", be, numVars), func(b *testing.B) {
				skipWithoutKernels(b)
				b.SetBytes(int64(len(ts) * len(ts[0]) * wire.ElemBytes))
				work := cloneTables(ts)
				b.ResetTimer()
				for range b.N {
					b.StopTimer()
					for j := range ts {
						copy(work[j][:cap(work[j])], ts[j])
						work[j] = work[j][:len(ts[j])]
					}
					b.StartTimer()
					if _, _, err := Prove(context.Background(), transcript.New(protocol), claim, g, work); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/op")
			})
		})
	}
}
