package tx

import (
	"context"
	"os"
	"testing"

	"github.com/ssprove/ssprove/runtime/program"
)

// BenchmarkRoundTrip measures one resume/yield round trip between a coordination script
// and a UTXO, host calls and both steps included: testdata/pingpong resumes
// testdata/ping rounds times in one transaction.
func BenchmarkRoundTrip(b *testing.B) {
	const rounds = 1000
	ping, err := os.ReadFile("testdata/ping.wasm")
	if err != nil {
		b.Fatal(err)
	}
	pingpong, err := os.ReadFile("testdata/pingpong.wasm")
	if err != nil {
		b.Fatal(err)
	}
	l := realLedger(b, map[string][]byte{"ping": ping, "pingpong": pingpong})
	tr := &Transaction{Coordinator: "pingpong", Args: []Arg{{Words: program.Of(ping)}, {Words: [4]uint64{rounds}}}}
	for _, e := range []Engine{Wazero, Interp} {
		b.Run(e.String(), func(b *testing.B) {
			ctx := context.Background()
			x, err := NewExecutor(ctx, Options{Engine: e})
			if err != nil {
				b.Fatal(err)
			}
			defer x.Close(ctx)
			for b.Loop() {
				if _, err := x.Execute(ctx, l, tr); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rounds), "ns/roundtrip")
		})
	}
}
