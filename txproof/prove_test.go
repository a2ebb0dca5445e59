package txproof

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
	"github.com/ssprove/ssprove/runtime/tx"
)

// testProver is the tests' Prover, so that a test binary expands each
// step layout's commitment key once.
var testProver Prover

// prove proves r with testProver, failing the test on an error, and logs
// the time.
func prove(t *testing.T, name string, r *tx.Result, opts ...Option) *Proof {
	t.Helper()
	start := time.Now()
	p, err := testProver.Prove(context.Background(), r, opts...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Logf("%s: %d host calls, %d steps of %d rows, proved in %v", name, len(r.Trace.Events), p.Statement.Steps, p.Statement.Rows, time.Since(start).Round(time.Millisecond))
	return p
}

// TestProveDEX proves and verifies every DEX transaction.
func TestProveDEX(t *testing.T) {
	results := dexResults(t)
	names := []string{"tx1", "tx2", "tx3", "tx5"}
	if testing.Short() {
		names = names[:2] // a setup and a swap; the other swaps are alike
	}
	for _, name := range names {
		p := prove(t, name, results[name])
		start := time.Now()
		s, err := Verify(context.Background(), p)
		if err != nil {
			t.Fatalf("%s: honest proof rejected: %v", name, err)
		}
		t.Logf("%s: verified in %v", name, time.Since(start).Round(time.Millisecond))
		if s.Hash != results[name].Hash {
			t.Errorf("%s: verified statement of transaction %x, want %x", name, s.Hash[:8], results[name].Hash[:8])
		}
	}
}

// TestProveExamples proves every example transaction that commits (the
// counter, DEX, gate, NFT and permissioned scenarios, each on a fresh
// ledger; the synthetic one is TestProveSynthetic's), on every backend the
// machine has, and checks that the proof files are the same bytes on all
// of them and that the proof verifies with its transaction's hash. The
// transactions that fail by design (a trap) are not proved. Under -short
// only the counter's are.
func TestProveExamples(t *testing.T) {
	ctx := context.Background()
	dirs := []string{"counter", "dex", "gate", "nft", "permissioned"}
	if testing.Short() {
		dirs = dirs[:1]
	}
	for _, dir := range dirs {
		names, err := filepath.Glob(filepath.Join("..", "examples", dir, "tx*.json"))
		if err != nil || len(names) == 0 {
			t.Fatalf("examples/%s: no transactions", dir)
		}
		for i, n := range names {
			names[i] = strings.TrimSuffix(filepath.Base(n), ".json")
		}
		results, errs := runExample(t, dir, names...)
		for i, name := range names {
			if errs[i] != nil {
				if !errors.Is(errs[i], tx.ErrTrap) {
					t.Fatalf("%s/%s: %v", dir, name, errs[i])
				}
				continue
			}
			label := dir + "/" + name
			var first []byte
			gltest.EachBackend(t, func(be accel.Backend) {
				b, err := prove(t, label+" on "+be.String(), results[i]).MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				if first == nil {
					first = b
					return
				}
				if !bytes.Equal(b, first) {
					t.Errorf("%s: the proof file on %s differs from the first backend's", label, be)
				}
			})
			var p Proof
			if err := p.UnmarshalBinary(first); err != nil {
				t.Fatal(err)
			}
			s, err := Verify(ctx, &p)
			if err != nil {
				t.Fatalf("%s: %v", label, err)
			}
			if s.Hash != results[i].Hash {
				t.Errorf("%s: the verified statement is of another transaction", label)
			}
		}
	}
}

// TestVerifyRejects: a proof is rejected under another statement and with
// any of its messages changed.
func TestVerifyRejects(t *testing.T) {
	ctx := context.Background()
	results := dexResults(t)
	p := prove(t, "tx2", results["tx2"])
	var one, two = p.Cells[0], p.Cells[0]
	one.SetOne()
	two.Add(&two, &one)
	for _, tc := range []struct {
		name   string
		change func(q *Proof)
	}{
		{"another input id", func(q *Proof) {
			id := uint64(1)
			for slices.ContainsFunc(q.Statement.Procs, func(p Proc) bool { return p.PID == id }) {
				id++
			}
			q.Statement.Tx.Inputs[0].ID, q.Statement.Procs[1].PID = id, id
			q.Statement.Hash = tx.Hash(&q.Statement.Tx)
		}},
		{"another owner", func(q *Proof) {
			i := slices.IndexFunc(q.Statement.Procs, func(p Proc) bool { return p.Kind == KindToken && p.OwnerAfter != 0 })
			for o := range q.Statement.Procs {
				if pr := &q.Statement.Procs[o]; uint32(o+1) != q.Statement.Procs[i].OwnerAfter && pr.Kind == KindUTXO && pr.StatusAfter != StatusBurned {
					q.Statement.Procs[i].OwnerAfter = uint32(o + 1)
					return
				}
			}
			t.Fatal("no other owner")
		}},
		{"another hash", func(q *Proof) { q.Statement.Tx.Fuel--; q.Statement.Hash = tx.Hash(&q.Statement.Tx) }},
		{"another host-call count", func(q *Proof) {
			q.Statement.Procs[0].HostCalls++
			q.Statement.Kinds[0]++
		}},
		{"a column evaluation", func(q *Proof) { q.Cells[3] = two }},
		{"a step claim", func(q *Proof) { q.Evals[0][1][2].Add(&q.Evals[0][1][2], &one) }},
		{"a step claim's identity evaluation", func(q *Proof) { q.Evals[0][0][0].Add(&q.Evals[0][0][0], &one) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := prove(t, "tx2", results["tx2"])
			tc.change(q)
			// The statement still passes its native checks: it is the proof
			// that does not hold for it.
			if err := q.Statement.Check(); err != nil {
				t.Fatalf("the changed statement fails Check: %v", err)
			}
			_, err := Verify(ctx, q)
			if !errors.Is(err, ErrProof) {
				t.Fatalf("got %v, want ErrProof", err)
			}
			t.Log(err)
		})
	}
	if _, err := Verify(ctx, p); err != nil {
		t.Fatalf("the untouched proof: %v", err)
	}
}

// TestProveSteps proves a transaction in steps of 128 rows, more than one,
// and checks that swapping two steps' commitments, or their public inputs,
// is rejected.
func TestProveSteps(t *testing.T) {
	ctx := context.Background()
	r := dexResults(t)["tx2"]
	p := prove(t, "tx2", r, WithRows(128))
	if p.Statement.Steps < 2 {
		t.Fatalf("%d steps of 128 rows, want several", p.Statement.Steps)
	}
	if _, err := Verify(ctx, p); err != nil {
		t.Fatalf("honest proof rejected: %v", err)
	}
	enc, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// Copies of p that share nothing with it, one per tampering.
	copyOf := func() *Proof {
		var q Proof
		if err := q.UnmarshalBinary(enc); err != nil {
			t.Fatal(err)
		}
		return &q
	}
	swapC := copyOf()
	swapC.Chain.Steps[0].C, swapC.Chain.Steps[1].C = swapC.Chain.Steps[1].C, swapC.Chain.Steps[0].C
	swapX := copyOf()
	swapX.Chain.Steps[0].X, swapX.Chain.Steps[1].X = swapX.Chain.Steps[1].X, swapX.Chain.Steps[0].X
	fewer := copyOf()
	fewer.Statement.Steps--
	for name, q := range map[string]*Proof{"swapped commitments": swapC, "swapped public inputs": swapX, "a step less stated": fewer} {
		if _, err := Verify(ctx, q); !errors.Is(err, ErrProof) {
			t.Errorf("%s: got %v, want ErrProof", name, err)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}
