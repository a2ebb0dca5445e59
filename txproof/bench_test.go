package txproof

import (
	"context"
	"testing"
	"time"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
	"github.com/ssprove/ssprove/runtime/tx"
)

// phaseMetrics are the units Prove's phases are reported under, as shares of
// the prove time.
var phaseMetrics = map[Phase]string{
	PhaseTrace:   "trace%",
	PhaseSetup:   "setup%",
	PhaseCommit:  "commit%",
	PhaseMemory:  "memory%",
	PhaseFolding: "fold%",
	PhaseDecider: "decider%",
}

// phaseClock times Prove's phases from its progress reports: a phase runs
// from its report to the next one, the last until Prove returns.
type phaseClock struct {
	spent map[Phase]time.Duration
	phase Phase
	since time.Time
}

func (c *phaseClock) enter(p Phase) {
	c.stop()
	c.phase, c.since = p, time.Now()
}

func (c *phaseClock) stop() {
	if c.phase != "" {
		c.spent[c.phase] += time.Since(c.since)
	}
	c.phase = ""
}

// BenchmarkProveTx proves and verifies, on each backend, the DEX setup (tx1), a
// DEX swap (tx2) and, without -short, the 4,096-call synthetic transaction
// (examples/synthetic), reporting host calls proved per second, the proof
// file's size, the verify time and each phase's share of the prove time. One
// Prover proves them all, as in a process that keeps proving, and expands
// each layout's commitment key before the timer starts. Run it with
// -benchtime 3x: one synthetic proof takes 10 s or more.
func BenchmarkProveTx(b *testing.B) {
	ctx := context.Background()
	dex := dexResults(b)
	results := map[string]*tx.Result{"tx1": dex["tx1"], "tx2": dex["tx2"]}
	// The proof of each transaction, made once: it warms the key, and
	// Verify's work does not depend on the backend that proved
	// (TestProveBackends).
	var pr Prover
	var verifier Verifier
	proofs := map[string]*Proof{}
	gltest.EachBackend(b, func(be accel.Backend) {
		for _, name := range []string{"tx1", "tx2", "synthetic"} {
			b.Run(be.String()+"/"+name, func(b *testing.B) {
				if name == "synthetic" && testing.Short() {
					b.Skip("-short: one proof of the 4,096-call synthetic transaction takes 10 s or more")
				}
				if results[name] == nil {
					results[name] = syntheticResult(b)
				}
				if proofs[name] == nil {
					p, err := pr.Prove(ctx, results[name])
					if err != nil {
						b.Fatal(err)
					}
					proofs[name] = p
				}
				b.Run("prove", func(b *testing.B) { benchProve(b, &pr, results[name]) })
				b.Run("verify", func(b *testing.B) { benchVerify(b, proofs[name], Verify) })
				b.Run("verify-kept", func(b *testing.B) { benchVerify(b, proofs[name], verifier.Verify) })
			})
		}
	})
}

func benchProve(b *testing.B, pr *Prover, r *tx.Result) {
	ctx := context.Background()
	clock := &phaseClock{spent: map[Phase]time.Duration{}}
	var p *Proof
	for b.Loop() {
		var err error
		if p, err = pr.Prove(ctx, r, WithProgress(clock.enter)); err != nil {
			b.Fatal(err)
		}
		clock.stop()
	}
	enc, err := p.MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N*len(r.Trace.Events))/b.Elapsed().Seconds(), "host-calls/s")
	b.ReportMetric(float64(len(enc)), "proof-bytes")
	b.ReportMetric(float64(p.Statement.Steps), "steps")
	var total time.Duration
	for _, d := range clock.spent {
		total += d
	}
	for phase, unit := range phaseMetrics {
		b.ReportMetric(100*clock.spent[phase].Seconds()/total.Seconds(), unit)
	}
}

// benchVerify times verify on p: Verify, which keeps no key, or a
// Verifier's, which keeps the key's coefficients (warmed before the timer).
func benchVerify(b *testing.B, p *Proof, verify func(context.Context, *Proof) (*Statement, error)) {
	ctx := context.Background()
	if _, err := verify(ctx, p); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := verify(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(1000*b.Elapsed().Seconds()/float64(b.N), "verify-ms")
}
