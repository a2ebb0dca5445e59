package lookup

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/internal/gltest"
)

// BenchmarkMemory checks 2^20 ops on random cells of a memory of 2^16
// one-word cells, about half of them reads: the advice and final state
// (trace, on no backend), the proof and the verification, each in ms/op with
// the ops per second.
func BenchmarkMemory(b *testing.B) {
	const logOps, logCells = 20, 16
	rng := rand.New(rand.NewPCG(5, 6))
	init := cells(1<<logCells, 1, 1)
	ops := randomOps(rng, init, 1<<logOps)
	m, err := NewMemory("ram", testTag, 1, init)
	if err != nil {
		b.Fatal(err)
	}
	report := func(b *testing.B) {
		perOp := b.Elapsed().Seconds() / float64(b.N)
		b.ReportMetric(perOp*1e3, "ms/op")
		b.ReportMetric(float64(len(ops))/perOp, "ops/s")
	}
	tr, err := m.Trace(ops)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("trace", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.Trace(ops); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	bound := func() *transcript.Transcript {
		t := transcript.New("memory bench")
		bind(t, tr)
		return t
	}
	gltest.EachBackend(b, func(be accel.Backend) {
		var proof *Proof
		b.Run(be.String()+"/prove", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				t := bound()
				b.StartTimer()
				if proof, _, err = ProveMemory(context.Background(), t, tr); err != nil {
					b.Fatal(err)
				}
			}
			report(b)
		})
		if proof == nil {
			return
		}
		b.Run(be.String()+"/verify", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				t := bound()
				b.StartTimer()
				if _, err := VerifyMemory(t, m, len(ops), proof); err != nil {
					b.Fatal(err)
				}
			}
			report(b)
		})
	})
}
