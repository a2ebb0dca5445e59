package ledger

import (
	"context"
	"testing"

	"github.com/ssprove/ssprove/runtime/program"
)

// BenchmarkApply applies commits that continue one UTXO with a 1 KiB state and create a
// token bound to it, with fsync on (as a ledger runs) and off (the ledger's own cost).
func BenchmarkApply(b *testing.B) {
	for _, sync := range []bool{true, false} {
		name := "fsync"
		if !sync {
			name = "nosync"
		}
		b.Run(name, func(b *testing.B) {
			l, _ := newLedger(b)
			l.db.NoSync = !sync
			h := deploy(b, l, "p", testModule)
			ctx := context.Background()
			state := make([]byte, 1024)
			if err := l.Apply(ctx, &Commit{Tx: txHash(0), NextID: 2, Put: []*UTXO{{ID: 1, Program: h, Kind: program.UTXO, State: state}}}); err != nil {
				b.Fatal(err)
			}
			version, next := uint64(0), uint64(2)
			b.ReportAllocs()
			for b.Loop() {
				c := &Commit{
					Tx:     txHash(int(next)),
					Record: []byte(`{"bench":true}`),
					NextID: next + 1,
					Inputs: []Input{{1, version}},
					Put: []*UTXO{
						{ID: 1, Version: version + 1, Program: h, Kind: program.UTXO, State: state},
						{ID: next, Program: h, Kind: program.Token, Amount: 1, Owner: 1},
					},
				}
				if err := l.Apply(ctx, c); err != nil {
					b.Fatal(err)
				}
				version++
				next++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
	}
}
