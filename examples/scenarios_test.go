package examples

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/tx"
	"github.com/ssprove/ssprove/runtime/wasm"
)

// A scenario runs the transaction files of one example folder, in order, on a fresh
// ledger on disk with the programs of that folder and of common/ deployed, and checks
// each outcome and the ledger after it.

type step struct {
	file    string
	wantErr error // nil: the transaction commits; else its error wraps this sentinel
	check   func(t *testing.T, s *world)
}

type world struct {
	l     *ledger.Ledger
	names map[program.Hash]string
}

var engines = []tx.Engine{tx.Wazero, tx.Interp, tx.Check}

func runScenario(t *testing.T, dir string, steps []step) {
	for _, engine := range engines {
		t.Run(engine.String(), func(t *testing.T) {
			ctx := context.Background()
			ldir := t.TempDir()
			if err := ledger.Init(ldir); err != nil {
				t.Fatal(err)
			}
			l, err := ledger.Open(ldir)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			w := &world{l: l, names: map[program.Hash]string{}}
			for _, d := range []string{"common", dir} {
				paths, _ := filepath.Glob(filepath.Join(d, "*.wasm"))
				for _, p := range paths {
					b, err := os.ReadFile(p)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := program.Check(b, wasm.DefaultLimits()); err != nil {
						t.Fatalf("%s: %v", p, err)
					}
					h, err := l.Deploy(programName(p), b)
					if err != nil {
						t.Fatalf("deploy %s: %v", p, err)
					}
					w.names[h] = programName(p)
				}
			}
			x, err := tx.NewExecutor(ctx, tx.Options{Engine: engine})
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close(ctx)
			for _, s := range steps {
				b, err := os.ReadFile(filepath.Join(dir, s.file))
				if err != nil {
					t.Fatal(err)
				}
				txn, err := tx.Decode(b)
				if err != nil {
					t.Fatalf("%s: %v", s.file, err)
				}
				_, err = x.Apply(ctx, l, txn)
				switch {
				case s.wantErr == nil && err != nil:
					t.Fatalf("%s: %v", s.file, err)
				case s.wantErr != nil && !errors.Is(err, s.wantErr):
					t.Fatalf("%s: error %v, want %v", s.file, err, s.wantErr)
				case s.wantErr != nil:
					t.Logf("%s fails as it should: %v", s.file, err)
				}
				if s.check != nil {
					s.check(t, w)
				}
			}
			if err := l.Check(ctx); err != nil {
				t.Fatalf("ledger check: %v", err)
			}
		})
	}
}

// utxo is the UTXO or token id at rest; it fails the test when there is none.
func (w *world) utxo(t *testing.T, id uint64) *ledger.UTXO {
	t.Helper()
	u, err := w.l.UTXO(id)
	if err != nil {
		t.Fatalf("UTXO %d: %v", id, err)
	}
	return u
}

// gone checks that id is not at rest (burned).
func (w *world) gone(t *testing.T, id uint64) {
	t.Helper()
	if u, err := w.l.UTXO(id); err == nil {
		t.Fatalf("UTXO %d (%s) is still at rest", id, w.names[u.Program])
	}
}

// token checks that id is a live token of program name, holding amount, owned by owner.
func (w *world) token(t *testing.T, id uint64, name string, amount, owner uint64) {
	t.Helper()
	u := w.utxo(t, id)
	if u.Kind != program.Token || w.names[u.Program] != name || u.Amount != amount || u.Owner != owner {
		t.Fatalf("token %d: %v of %s, amount %d, owner %d; want a token of %s, amount %d, owner %d",
			id, u.Kind, w.names[u.Program], u.Amount, u.Owner, name, amount, owner)
	}
}

// isUTXO checks that id is a live UTXO of program name at version.
func (w *world) isUTXO(t *testing.T, id uint64, name string, version uint64) {
	t.Helper()
	u := w.utxo(t, id)
	if u.Kind != program.UTXO || w.names[u.Program] != name || u.Version != version {
		t.Fatalf("UTXO %d: %v of %s at version %d; want a UTXO of %s at version %d",
			id, u.Kind, w.names[u.Program], u.Version, name, version)
	}
}

// datum is datum slot of the process id at rest.
func (w *world) datum(t *testing.T, id uint64, slot int) uint64 {
	t.Helper()
	st, err := tx.DecodeState(w.utxo(t, id).State)
	if err != nil {
		t.Fatalf("state of %d: %v", id, err)
	}
	return st.Datum[slot]
}

// owned checks the tokens bound to owner, in id order.
func (w *world) owned(t *testing.T, owner uint64, want ...uint64) {
	t.Helper()
	got, err := w.l.OwnedBy(owner)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("UTXO %d owns %v, want %v", owner, got, want)
	}
}

func TestScenarioCounter(t *testing.T) {
	count := func(n uint64) func(*testing.T, *world) {
		return func(t *testing.T, w *world) {
			w.isUTXO(t, 2, "counter", n-1)
			if got := w.datum(t, 2, 0); got != n {
				t.Fatalf("counter datum 0 = %d, want %d", got, n)
			}
		}
	}
	runScenario(t, "counter", []step{
		{"tx1.json", nil, count(1)},
		{"tx2.json", nil, count(2)},
		{"tx3.json", nil, count(3)},
	})
}

func TestScenarioNFT(t *testing.T) {
	runScenario(t, "nft", []step{
		{"tx1.json", nil, func(t *testing.T, w *world) {
			w.isUTXO(t, 2, "wallet", 0)
			w.isUTXO(t, 3, "wallet", 0)
			w.token(t, 4, "nft", 1, 2)
			w.token(t, 5, "token_a", 500, 3)
			w.token(t, 6, "token_b", 500, 3)
		}},
		{"tx2.json", nil, func(t *testing.T, w *world) {
			w.isUTXO(t, 8, "listing", 0)
			w.token(t, 4, "nft", 1, 8)
			w.owned(t, 2)
			for slot, want := range []uint64{4, 500, 2} {
				if got := w.datum(t, 8, slot); got != want {
					t.Fatalf("listing datum %d = %d, want %d", slot, got, want)
				}
			}
		}},
		// Paying in token_b: the Payment handler says no, the listing traps.
		{"tx3.json", tx.ErrTrap, func(t *testing.T, w *world) {
			w.token(t, 4, "nft", 1, 8)
			w.token(t, 6, "token_b", 500, 3)
		}},
		{"tx4.json", nil, func(t *testing.T, w *world) {
			w.gone(t, 8)
			w.token(t, 4, "nft", 1, 3)
			w.token(t, 5, "token_a", 500, 2)
			w.owned(t, 2, 5)
			w.owned(t, 3, 4, 6)
		}},
	})
}

func TestScenarioDEX(t *testing.T) {
	pool := func(ra, rb, a, b uint64) func(*testing.T, *world) {
		return func(t *testing.T, w *world) {
			for slot, want := range []uint64{ra, rb, a, b} {
				if got := w.datum(t, 2, slot); got != want {
					t.Fatalf("pool datum %d = %d, want %d", slot, got, want)
				}
			}
			w.token(t, a, "token_a", ra, 2)
			w.token(t, b, "token_b", rb, 2)
		}
	}
	runScenario(t, "dex", []step{
		{"tx1.json", nil, func(t *testing.T, w *world) {
			pool(1000, 1000, 3, 4)(t, w)
			w.isUTXO(t, 5, "wallet", 0)
			w.token(t, 6, "token_a", 100, 5)
		}},
		// 100 token_a in: 1000*100/1100 = 90 token_b out.
		{"tx2.json", nil, func(t *testing.T, w *world) {
			pool(1100, 910, 8, 9)(t, w)
			for _, id := range []uint64{3, 4, 6} {
				w.gone(t, id)
			}
			w.token(t, 10, "token_b", 90, 5)
			w.owned(t, 5, 10)
		}},
		// 90 token_b back: 1100*90/1000 = 99 token_a out.
		{"tx3.json", nil, func(t *testing.T, w *world) {
			pool(1001, 1000, 13, 12)(t, w)
			w.token(t, 14, "token_a", 99, 5)
			w.owned(t, 5, 14)
			w.owned(t, 2, 12, 13)
		}},
		// 99 token_a would give 90 token_b, under the min_out of 1000: the pool traps.
		{"tx4.json", tx.ErrTrap, func(t *testing.T, w *world) {
			pool(1001, 1000, 13, 12)(t, w)
			w.token(t, 14, "token_a", 99, 5)
		}},
		// The same swap accepting 90: a failed transaction took no ids, so this one is
		// 15 and mints 16 (token_a 1100), 17 (token_b 910) and 18 (token_b 90).
		{"tx5.json", nil, func(t *testing.T, w *world) {
			pool(1100, 910, 16, 17)(t, w)
			w.token(t, 18, "token_b", 90, 5)
			w.owned(t, 5, 18)
			w.owned(t, 2, 16, 17)
		}},
	})
}

func TestScenarioPermissioned(t *testing.T) {
	runScenario(t, "permissioned", []step{
		{"tx1.json", nil, func(t *testing.T, w *world) {
			for _, id := range []uint64{2, 3, 4} {
				w.isUTXO(t, id, "wallet", 0)
			}
		}},
		{"tx2.json", nil, func(t *testing.T, w *world) {
			w.token(t, 6, "permissioned", 100, 2)
		}},
		{"tx3.json", nil, func(t *testing.T, w *world) {
			w.token(t, 6, "permissioned", 100, 3)
			if got := w.datum(t, 6, 0); got != 3 {
				t.Fatalf("permissioned datum 0 = %d, want 3", got)
			}
		}},
		// Wallet 4 is not on the allow list: the token traps.
		{"tx4.json", tx.ErrTrap, func(t *testing.T, w *world) {
			w.token(t, 6, "permissioned", 100, 3)
		}},
	})
}

func TestScenarioGate(t *testing.T) {
	runScenario(t, "gate", []step{
		{"tx1.json", nil, func(t *testing.T, w *world) {
			w.token(t, 3, "token_b", 10, 2)
			w.token(t, 4, "token_a", 7, 2)
		}},
		{"tx2.json", nil, func(t *testing.T, w *world) {
			w.isUTXO(t, 6, "gate", 0)
		}},
		// Burning token_a does not open a gate that requires token_b.
		{"tx3.json", tx.ErrTrap, func(t *testing.T, w *world) {
			w.isUTXO(t, 6, "gate", 0)
			w.token(t, 4, "token_a", 7, 2)
		}},
		{"tx4.json", nil, func(t *testing.T, w *world) {
			w.isUTXO(t, 6, "gate", 1)
			w.gone(t, 3)
			w.owned(t, 2, 4)
			if got := w.datum(t, 6, 0); got != 1 {
				t.Fatalf("gate datum 0 = %d, want 1", got)
			}
		}},
	})
}

// TestScenarioSynthetic runs the 4,096-host-call transaction the prover is
// measured on: it commits on every engine, creates nothing and leaves only
// its transaction behind.
func TestScenarioSynthetic(t *testing.T) {
	runScenario(t, "synthetic", []step{
		{"tx1.json", nil, func(t *testing.T, w *world) {
			st, err := w.l.Stats(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if st.UTXOs != 0 || st.Tokens != 0 || st.Txs != 1 {
				t.Fatalf("after the transaction: %d UTXOs, %d tokens, %d transactions; want 0, 0, 1", st.UTXOs, st.Tokens, st.Txs)
			}
		}},
	})
}
