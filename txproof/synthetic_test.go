package txproof

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/tx"
)

// Layout of the synthetic transaction, examples/synthetic/tx1.json: loop_coord runs
// syntheticRounds rounds of six host calls between three calls before and a return
// after, 4,096 in all, which lay out in 10 steps of 512 rows (fold/ARITH.md § 9.1).
const (
	syntheticRounds = 682
	syntheticCalls  = 6*syntheticRounds + 4
	syntheticSteps  = 10
	syntheticRows   = 512
)

// runExample deploys the modules of examples/common and examples/dir on a fresh
// ledger and applies dir's transaction files names in order with the interpreter,
// as the prover runs them. It returns each file's result and error; a failed
// transaction changes nothing, as on the command line.
func runExample(t testing.TB, dir string, names ...string) ([]*tx.Result, []error) {
	t.Helper()
	ctx := context.Background()
	ldir := t.TempDir()
	if err := ledger.Init(ldir); err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Open(ldir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for _, d := range []string{"common", dir} {
		paths, _ := filepath.Glob(filepath.Join("..", "examples", d, "*.wasm"))
		if len(paths) == 0 {
			t.Fatalf("examples/%s: no modules", d)
		}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := l.Deploy(strings.TrimSuffix(filepath.Base(p), ".wasm"), b); err != nil {
				t.Fatalf("deploy %s: %v", p, err)
			}
		}
	}
	x, err := tx.NewExecutor(ctx, tx.Options{Engine: tx.Interp})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close(ctx)
	results := make([]*tx.Result, len(names))
	errs := make([]error, len(names))
	for i, name := range names {
		b, err := os.ReadFile(filepath.Join("..", "examples", dir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		txn, err := tx.Decode(b)
		if err != nil {
			t.Fatalf("examples/%s/%s.json: %v", dir, name, err)
		}
		results[i], errs[i] = x.Apply(ctx, l, txn)
	}
	return results, errs
}

// syntheticResult executes the synthetic transaction on a fresh ledger.
func syntheticResult(t testing.TB) *tx.Result {
	t.Helper()
	results, errs := runExample(t, "synthetic", "tx1")
	if errs[0] != nil {
		t.Fatalf("synthetic tx1: %v", errs[0])
	}
	return results[0]
}

// TestProveSynthetic proves and verifies the synthetic transaction and checks its
// statement: one coordination script, 4,096 host calls of the kinds loop_coord makes,
// its 16 datum slots, 10 steps of 512 rows.
func TestProveSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: proving the 4,096-call synthetic transaction takes 10–30 s on 2 cores; run without -short")
	}
	r := syntheticResult(t)
	if n := len(r.Trace.Events); n != syntheticCalls {
		t.Fatalf("the synthetic transaction made %d host calls, want %d", n, syntheticCalls)
	}
	p := prove(t, "synthetic", r)
	s := p.Statement
	if s.Steps != syntheticSteps || s.Rows != syntheticRows {
		t.Errorf("%d steps of %d rows, want %d of %d", s.Steps, s.Rows, syntheticSteps, syntheticRows)
	}
	if len(s.Procs) != 1 || s.Procs[0].Role != RoleRoot || s.Procs[0].StatusAfter != StatusReturned ||
		s.Procs[0].HostCalls != syntheticCalls {
		t.Errorf("processes %+v, want the root alone, returned after %d host calls", s.Procs, syntheticCalls)
	}
	want := map[string]uint32{
		"activation": syntheticRounds + 1,
		"ref_get":    syntheticRounds + 2,
		"new_ref":    syntheticRounds,
		"ref_push":   syntheticRounds,
		"set_datum":  syntheticRounds,
		"get_datum":  syntheticRounds,
		"return":     1,
	}
	for i, name := range tx.HostFunctions() {
		if s.Kinds[i] != want[name] {
			t.Errorf("%s: %d calls stated, want %d", name, s.Kinds[i], want[name])
		}
	}
	if len(s.Datum) != tx.DatumSlots {
		t.Errorf("%d datum cells touched, want all %d of the root's", len(s.Datum), tx.DatumSlots)
	}
	// Slot k ends at 3i+1 for the last round i ≡ k (mod 16).
	for k, v := range s.Procs[0].DatumAfter {
		i := syntheticRounds - 1 - (syntheticRounds-1-k)%tx.DatumSlots
		if v != uint64(3*i+1) {
			t.Errorf("datum slot %d ends at %d, want %d", k, v, 3*i+1)
		}
	}

	start := time.Now()
	vs, err := Verify(context.Background(), p)
	if err != nil {
		t.Fatalf("honest proof rejected: %v", err)
	}
	t.Logf("synthetic: verified in %v", time.Since(start).Round(time.Millisecond))
	if vs.Hash != r.Hash {
		t.Errorf("verified statement of transaction %x, want %x", vs.Hash[:8], r.Hash[:8])
	}
}
