package tx

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/program"
)

// TestHashGolden pins the transaction hash's preimage: ledgers name their transactions by
// it, so a change is a new format, not a refactoring.
func TestHashGolden(t *testing.T) {
	a, c := program.Hash{1, 2, 3, 4}, program.Hash{0, 9, 9, 9}
	content := Content{
		NextID: 7, Coordinator: program.Hash{5, 6, 7, 8},
		Inputs: []ledger.Input{{ID: 2, Version: 1}, {ID: 5}},
		Args:   [][4]uint64{{90}, {1, 2, 3, 4}},
		Mint:   []Amount{{c, 5}, {a, 1100}},
		Burn:   []Amount{{a, 3}},
		Fuel:   1000,
	}
	h := Hash(&content)
	if got, want := hex.EncodeToString(h[:]), "31ecd6f755bdc5098d796df46a88cbe862334116b4c5d7c43c51d3453b87e849"; got != want {
		t.Fatalf("Hash = %s, want %s", got, want)
	}
	content.Fuel++
	if Hash(&content) == h {
		t.Fatal("the fuel budget does not change the hash")
	}
}

func TestHostFunctions(t *testing.T) {
	names := HostFunctions()
	if len(hostTable) != len(names) || len(program.Imports) != len(names) {
		t.Fatalf("%d host functions listed, %d implemented, %d importable", len(names), len(hostTable), len(program.Imports))
	}
	for i, name := range names {
		if _, ok := hostTable[name]; !ok {
			t.Errorf("%s is listed but not implemented", name)
		}
		if code, ok := HostCode(name); !ok || code != i {
			t.Errorf("HostCode(%s) = %d, %v; want %d", name, code, ok, i)
		}
	}
	if _, ok := HostCode("exit"); ok {
		t.Error("HostCode knows a host function that does not exist")
	}
}

// dexLedger is a fresh ledger with examples/common and examples/dex deployed under their
// file names, as scripts/scenario.sh deploys them.
func dexLedger(t *testing.T) *ledger.Ledger {
	t.Helper()
	modules := map[string][]byte{}
	for _, dir := range []string{"common", "dex"} {
		paths, err := filepath.Glob(filepath.Join("..", "..", "examples", dir, "*.wasm"))
		if err != nil || len(paths) == 0 {
			t.Fatalf("examples/%s: no modules (%v)", dir, err)
		}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			modules[strings.TrimSuffix(filepath.Base(p), ".wasm")] = b
		}
	}
	return realLedger(t, modules)
}

// atRest is what the ledger says before a transaction runs: its inputs, and how many
// tokens each input UTXO and each input token's owner owns.
type atRest struct {
	utxo  map[uint64]*ledger.UTXO
	owned map[uint64]int
}

// TestResultDEX runs the DEX scenario and checks each Result's additions for the prover
// against the ledger before the transaction and against the trace.
func TestResultDEX(t *testing.T) {
	ctx := context.Background()
	l := dexLedger(t)
	x, err := NewExecutor(ctx, Options{Engine: Check})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close(ctx)
	for _, file := range []string{"tx1.json", "tx2.json", "tx3.json", "tx5.json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "dex", file))
		if err != nil {
			t.Fatal(err)
		}
		txn, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		next, err := l.NextID()
		if err != nil {
			t.Fatal(err)
		}
		before := atRest{utxo: map[uint64]*ledger.UTXO{}, owned: map[uint64]int{}}
		for _, in := range txn.Inputs {
			u, err := l.UTXO(in.ID)
			if err != nil {
				t.Fatal(err)
			}
			before.utxo[in.ID] = u
			owner := u.Owner
			if u.Kind == program.UTXO {
				owner = u.ID
			}
			if owner != 0 {
				ids, err := l.OwnedBy(owner)
				if err != nil {
					t.Fatal(err)
				}
				before.owned[owner] = len(ids)
			}
		}
		if len(txn.Inputs) > 0 && len(before.owned) == 0 {
			t.Fatalf("%s: no input owns a token, so OwnedAtRest is not tested", file)
		}
		r, err := x.Apply(ctx, l, txn)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		t.Run(file, func(t *testing.T) { checkResult(t, txn, next, before, r) })
	}
}

func checkResult(t *testing.T, txn *Transaction, next uint64, before atRest, r *Result) {
	if r.Hash != Hash(&r.Content) {
		t.Error("Result.Hash is not Hash(&Result.Content)")
	}
	if r.NextID != next || r.Fuel != DefaultFuel || len(r.Args) != len(txn.Args) {
		t.Errorf("content: next id %d (ledger %d), fuel %d, %d argument rows (file %d)", r.NextID, next, r.Fuel, len(r.Args), len(txn.Args))
	}
	for i, in := range txn.Inputs {
		if got, want := r.Inputs[i], before.utxo[in.ID].Version; got.ID != in.ID || got.Version != want {
			t.Errorf("input %d: %+v, want id %d at version %d", i, got, in.ID, want)
		}
	}
	for _, side := range []struct {
		declared []Amount
		done     map[program.Hash]uint64
	}{{r.Mint, r.Minted}, {r.Burn, r.Burned}} {
		if len(side.declared) != len(side.done) || !slices.IsSortedFunc(side.declared, func(a, b Amount) int { return slices.Compare(a.Program[:], b.Program[:]) }) {
			t.Errorf("declared %v, done %v", side.declared, side.done)
		}
		for _, a := range side.declared {
			if side.done[a.Program] != a.Amount {
				t.Errorf("declared %d of %s, done %d", a.Amount, a.Program.Short(), side.done[a.Program])
			}
		}
	}

	procs := map[uint64]*Process{}
	for i := range r.Processes {
		procs[r.Processes[i].PID] = &r.Processes[i]
	}
	root := procs[next]
	if root == nil || root.Kind != program.Coord || root.InitRef != 1 || root.Creator != 0 {
		t.Fatalf("root %d: %+v", next, root)
	}

	// Created processes: init ref and creator as new_* passed them; datum as set_datum left it.
	created := 0
	datum := map[uint64]map[uint64]uint64{}
	for _, ev := range r.Trace.Events {
		switch ev.Call {
		case "new_utxo", "new_token", "new_coord":
			created++
			p := procs[ev.Results[0]]
			if p == nil || !p.Created || p.InitRef != ev.Args[1] || p.Creator != ev.PID || p.OwnerBefore != 0 || p.DatumBefore != ([DatumSlots]uint64{}) {
				t.Errorf("%v: created %+v", &ev, p)
			}
		case "set_datum":
			if datum[ev.PID] == nil {
				datum[ev.PID] = map[uint64]uint64{}
			}
			datum[ev.PID][ev.Args[0]] = ev.Args[1]
		}
	}
	if want := len(r.Processes) - len(txn.Inputs) - 1; created != want || r.Processes[len(r.Processes)-1].PID != next+uint64(created) {
		t.Errorf("%d creations in the trace, %d created processes", created, want)
	}
	for _, p := range r.Processes {
		after := p.DatumBefore
		for slot, v := range datum[p.PID] {
			after[slot] = v
		}
		if p.DatumAfter != after {
			t.Errorf("process %d: datum after %v, want %v (before %v and the set_datum calls)", p.PID, p.DatumAfter, after, p.DatumBefore)
		}
	}
	for _, put := range r.Commit.Put {
		st, err := DecodeState(put.State)
		if err != nil {
			t.Fatal(err)
		}
		if st.Datum != procs[put.ID].DatumAfter {
			t.Errorf("process %d: datum after %v, its saved state has %v", put.ID, procs[put.ID].DatumAfter, st.Datum)
		}
	}

	// Inputs: owner, state and datum as the ledger had them; tokens owned at rest.
	for id, u := range before.utxo {
		p := procs[id]
		st, err := DecodeState(u.State)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Input || p.OwnerBefore != u.Owner || p.StateBefore != u.StateHash || p.DatumBefore != st.Datum || p.InitRef != 0 || p.Creator != 0 {
			t.Errorf("input %d: %+v; at rest: owner %d, datum %v", id, p, u.Owner, st.Datum)
		}
	}
	if len(r.OwnedAtRest) != len(before.owned) {
		t.Errorf("OwnedAtRest %v, want %v", r.OwnedAtRest, before.owned)
	}
	for id, n := range before.owned {
		if got, ok := r.OwnedAtRest[id]; !ok || got != n {
			t.Errorf("OwnedAtRest[%d] = %d, %v; the ledger had %d", id, got, ok, n)
		}
	}
}
