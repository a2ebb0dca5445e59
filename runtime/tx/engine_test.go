package tx

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/wasm"
)

// importIndex is the function index of host function name in moduleWithStep's modules.
func importIndex(name string) uint32 {
	names := make([]string, 0, len(program.Imports))
	for n := range program.Imports {
		names = append(names, n)
	}
	slices.Sort(names)
	return uint32(slices.Index(names, name))
}

func realLedger(t testing.TB, modules map[string][]byte) *ledger.Ledger {
	t.Helper()
	dir := t.TempDir()
	if err := ledger.Init(dir); err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for name, m := range modules {
		if _, err := l.Deploy(name, m); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// TestEnginesFuel runs real WebAssembly on each engine: a coordination script that
// returns at once, and one that loops forever and must run out of fuel — on wazero too,
// which has no metering of its own.
func TestEnginesFuel(t *testing.T) {
	l := realLedger(t, map[string][]byte{
		"quick": moduleWithStep("quick", wasmtest.Cat(wasmtest.Call(importIndex("return")), []byte{byte(wasm.OpEnd)})),
		"spin":  moduleWithStep("spin", []byte{byte(wasm.OpLoop), 0x40, byte(wasm.OpBr), 0, byte(wasm.OpEnd), byte(wasm.OpEnd)}),
	})
	ctx := context.Background()
	for _, e := range []Engine{Interp, Wazero, Check} {
		t.Run(e.String(), func(t *testing.T) {
			x, err := NewExecutor(ctx, Options{Engine: e})
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close(ctx)
			r, err := x.Execute(ctx, l, &Transaction{Coordinator: "quick", Fuel: 100})
			if err != nil {
				t.Fatalf("quick: %v", err)
			}
			if r.FuelUsed != 11 { // the call, and the end of step, which returns
				t.Errorf("quick used %d fuel, want 11", r.FuelUsed)
			}
			if _, err := x.Execute(ctx, l, &Transaction{Coordinator: "spin", Fuel: 10_000}); !errors.Is(err, ErrOutOfFuel) {
				t.Fatalf("spin: %v, want ErrOutOfFuel", err)
			}
			if _, err := x.Execute(ctx, l, &Transaction{Coordinator: "quick", Fuel: 10}); !errors.Is(err, ErrOutOfFuel) {
				t.Fatalf("quick with 10 fuel: %v, want ErrOutOfFuel", err)
			}
		})
	}
}

// TestUnknownImport: a module importing what the host does not have is refused at
// deploy time by program.Check, and by the executor if it is in the ledger anyway.
func TestUnknownImport(t *testing.T) {
	bad := wasmtest.Cat(
		[]byte{0, 'a', 's', 'm', 1, 0, 0, 0},
		wasmtest.Section(1, wasmtest.Vec([]byte{0x60, 0, 0})),
		wasmtest.Section(2, wasmtest.Vec(wasmtest.Cat(wasmtest.Name(program.HostModule), wasmtest.Name("teleport"), []byte{0, 0}))),
		wasmtest.Section(3, wasmtest.Vec([]byte{0})),
		wasmtest.Section(5, wasmtest.Vec([]byte{0, 1})),
		wasmtest.Section(7, wasmtest.Vec(
			wasmtest.Cat(wasmtest.Name("step"), []byte{0, 1}),
			wasmtest.Cat(wasmtest.Name("memory"), []byte{2, 0}),
		)),
		wasmtest.Section(10, wasmtest.Vec([]byte{2, 0, byte(wasm.OpEnd)})),
	)
	if _, err := program.Check(bad, wasm.DefaultLimits()); !errors.Is(err, program.ErrImport) {
		t.Fatalf("Check: %v, want ErrImport", err)
	}
	l := realLedger(t, map[string][]byte{"bad": bad})
	x, err := NewExecutor(context.Background(), Options{Engine: Interp})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Execute(context.Background(), l, &Transaction{Coordinator: "bad"}); !errors.Is(err, program.ErrImport) {
		t.Fatalf("Execute: %v, want ErrImport", err)
	}
}

// TestInstructionTrace: asked for, the interpreter's run keeps each process's instruction
// columns; both engines agree on everything else (check mode).
func TestInstructionTrace(t *testing.T) {
	ping, err := os.ReadFile("testdata/ping.wasm")
	if err != nil {
		t.Fatal(err)
	}
	pingpong, err := os.ReadFile("testdata/pingpong.wasm")
	if err != nil {
		t.Fatal(err)
	}
	l := realLedger(t, map[string][]byte{"ping": ping, "pingpong": pingpong})
	ctx := context.Background()
	x, err := NewExecutor(ctx, Options{Engine: Check, TraceInstructions: true})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close(ctx)
	r, err := x.Execute(ctx, l, &Transaction{Coordinator: "pingpong", Args: []Arg{{Program: "ping"}, {Words: [4]uint64{3}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Trace.Instructions) != 2 {
		t.Fatalf("instruction traces for %d processes, want 2", len(r.Trace.Instructions))
	}
	for pid, cols := range r.Trace.Instructions {
		if len(cols.Op) == 0 {
			t.Errorf("process %d: empty instruction trace", pid)
		}
	}
	if got := r.Trace.Counts()["resume"]; got != 3 {
		t.Errorf("%d resumes, want 3", got)
	}
	if _, err := NewExecutor(ctx, Options{Engine: Wazero, TraceInstructions: true}); err == nil {
		t.Error("wazero with instruction traces: no error")
	}
	if _, err := x.Execute(ctx, l, &Transaction{Coordinator: "pingpong", Inputs: []Input{{ID: 999}}}); !errors.Is(err, ErrUnknownProcess) {
		t.Errorf("unknown input: %v, want ErrUnknownProcess", err)
	}
}

// TestCompareRuns: the check mode tells failures apart by process, host call and rule,
// not by how each engine words a trap.
func TestCompareRuns(t *testing.T) {
	trapA := &Violation{PID: 2, Seq: -1, Err: fmt.Errorf("%w: %w", ErrTrap, errors.New("wasm trap: unreachable (interp)"))}
	trapB := &Violation{PID: 2, Seq: -1, Err: fmt.Errorf("%w: %w", ErrTrap, errors.New("unreachable executed (wazero)"))}
	fuel := &Violation{PID: 2, Seq: -1, Err: fmt.Errorf("%w: budget 10", ErrOutOfFuel)}
	other := &Violation{PID: 3, Seq: -1, Err: fmt.Errorf("%w: budget 10", ErrOutOfFuel)}
	if err := compareRuns(nil, trapA, nil, trapB); err != nil {
		t.Errorf("same trap, other words: %v", err)
	}
	for _, c := range [][2]error{{trapA, fuel}, {fuel, other}, {trapA, nil}} {
		if err := compareRuns(nil, c[0], &Result{}, c[1]); !errors.Is(err, ErrEngineMismatch) {
			t.Errorf("%v vs %v: %v, want ErrEngineMismatch", c[0], c[1], err)
		}
	}
}
