package tx

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
)

// The rule tests run processes written in Go: each test program is a real deployable
// module (it imports every host function and exports step and memory, so the ledger and
// program.Check see a normal program), but the native backend runs a Go function in its
// place. The host functions, the rules and the ledger are the real ones.

// script is a native program: it runs one step. h calls the host; an error it returns
// aborts the step the way a host error aborts a WebAssembly call.
type script func(h *native) error

// native is a running native process: its memory and its host functions.
type native struct {
	mem      []byte
	hosts    map[string]hostFn
	fuelLeft uint64
	// steps counts the process's steps in this transaction.
	steps int
	run   script
}

// call calls host function name with args and returns its first result.
func (n *native) call(name string, args ...uint64) (uint64, error) {
	t := program.Imports[name]
	res := make([]uint64, len(t.Results))
	if err := n.hosts[name](args, res); err != nil {
		return 0, err
	}
	if len(res) > 0 {
		return res[0], nil
	}
	return 0, nil
}

// words puts w in memory at a fixed scratch address and returns that address.
func (n *native) words(at uint64, w ...uint64) uint64 {
	for i, v := range w {
		binary.LittleEndian.PutUint64(n.mem[at+8*uint64(i):], v)
	}
	return at
}

func (n *native) word(at uint64) uint64 { return binary.LittleEndian.Uint64(n.mem[at:]) }

// act reads the activation: ref, caller, kind.
func (n *native) act() (ref, caller, kind uint64, err error) {
	ref, err = n.call("activation", 512)
	return ref, n.word(512), n.word(520), err
}

// newRef makes a complete ref of rows.
func (n *native) newRef(rows ...[4]uint64) (uint64, error) {
	r, err := n.call("new_ref", uint64(len(rows)))
	if err != nil {
		return 0, err
	}
	for _, row := range rows {
		if _, err := n.call("ref_push", row[0], row[1], row[2], row[3]); err != nil {
			return 0, err
		}
	}
	return r, nil
}

// hashAt writes h to memory and returns its address.
func (n *native) hashAt(h program.Hash) uint64 { return n.words(256, h[:]...) }

func (n *native) step(context.Context) error {
	n.steps++
	return n.run(n)
}

func (n *native) memory() []byte { return n.mem }
func (n *native) grow(pages uint32) bool {
	n.mem = append(n.mem, make([]byte, int(pages)*pageSize)...)
	return true
}
func (n *native) global(string) uint64     { return 0 }
func (n *native) setGlobal(string, uint64) {}
func (n *native) fuel() uint64             { return n.fuelLeft }
func (n *native) setFuel(f uint64)         { n.fuelLeft = f }
func (n *native) outOfFuel(error) bool     { return false }
func (n *native) close(context.Context)    {}

// nativeBackend runs the scripts registered by program hash.
type nativeBackend struct{ scripts map[program.Hash]script }

func (b *nativeBackend) instantiate(_ context.Context, p *loaded, hosts map[string]hostFn, _ interp.Tracer) (instance, error) {
	s, ok := b.scripts[p.hash]
	if !ok {
		return nil, fmt.Errorf("no script for %s", p.hash.Short())
	}
	return &native{mem: make([]byte, pageSize), hosts: hosts, run: s}, nil
}

func (b *nativeBackend) close(context.Context) error { return nil }

// nativeModule is a deployable module that imports every host function; name makes its
// bytes, hence its hash, unique.
func nativeModule(name string) []byte { return moduleWithStep(name, []byte{byte(wasm.OpEnd)}) }

// moduleWithStep is nativeModule with body (instructions through the final end) as the
// code of step, for the tests that run real WebAssembly.
func moduleWithStep(name string, body []byte) []byte {
	var types, imports [][]byte
	names := make([]string, 0, len(program.Imports))
	for n := range program.Imports {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		t := program.Imports[n]
		types = append(types, wasmtest.Cat([]byte{0x60}, wasmtest.Types(t.Params...), wasmtest.Types(t.Results...)))
		imports = append(imports, wasmtest.Cat(wasmtest.Name(program.HostModule), wasmtest.Name(n), []byte{0}, wasmtest.Uleb(uint64(i))))
	}
	types = append(types, []byte{0x60, 0, 0})
	stepType := uint64(len(types) - 1)
	return wasmtest.Cat(
		[]byte{0, 'a', 's', 'm', 1, 0, 0, 0},
		wasmtest.Section(1, wasmtest.Vec(types...)),
		wasmtest.Section(2, wasmtest.Vec(imports...)),
		wasmtest.Section(3, wasmtest.Vec(wasmtest.Uleb(stepType))),
		wasmtest.Section(5, wasmtest.Vec([]byte{0, 1})),
		wasmtest.Section(7, wasmtest.Vec(
			wasmtest.Cat(wasmtest.Name("step"), []byte{0}, wasmtest.Uleb(uint64(len(names)))),
			wasmtest.Cat(wasmtest.Name("memory"), []byte{2, 0}),
		)),
		wasmtest.Section(10, wasmtest.Vec(wasmtest.Cat(wasmtest.Uleb(uint64(1+len(body))), []byte{0}, body))),
		wasmtest.Section(0, wasmtest.Cat(wasmtest.Name("ssprove-test"), []byte(name))),
	)
}

// world is a ledger on disk with native programs deployed.
type world struct {
	t  *testing.T
	l  *ledger.Ledger
	x  *Executor
	be *nativeBackend
}

func newWorld(t *testing.T) *world {
	t.Helper()
	x := &Executor{opts: Options{Limits: wasm.DefaultLimits()}, programs: make(map[program.Hash]*loaded)}
	return &world{t: t, l: realLedger(t, nil), x: x, be: &nativeBackend{scripts: make(map[program.Hash]script)}}
}

// deploy deploys a native program under name and returns its hash.
func (w *world) deploy(name string, s script) program.Hash {
	w.t.Helper()
	h, err := w.l.Deploy(name, nativeModule(name))
	if err != nil {
		w.t.Fatal(err)
	}
	w.be.scripts[h] = s
	return h
}

// exec executes t; commit applies it when it succeeded.
func (w *world) exec(t *Transaction, commit bool) (*Result, error) {
	r, err := w.x.run(context.Background(), w.l, t, w.be, false)
	if err == nil && commit {
		err = w.l.Apply(context.Background(), r.Commit)
	}
	return r, err
}

// mustRun executes and commits t, failing the test on error.
func (w *world) mustRun(t *Transaction) *Result {
	w.t.Helper()
	r, err := w.exec(t, true)
	if err != nil {
		w.t.Fatalf("transaction: %v", err)
	}
	return r
}

// fails executes t, wants err in its chain, and checks the ledger did not move.
func (w *world) fails(t *Transaction, want error) {
	w.t.Helper()
	before := w.snapshot()
	_, err := w.exec(t, true)
	if !errors.Is(err, want) {
		w.t.Fatalf("got error %v, want %v", err, want)
	}
	if after := w.snapshot(); after != before {
		w.t.Fatalf("the ledger changed after a failed transaction:\nbefore %s\nafter  %s", before, after)
	}
}

func (w *world) snapshot() string {
	us, err := w.l.UTXOs(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	next, _ := w.l.NextID()
	s := fmt.Sprintf("next=%d", next)
	for _, u := range us {
		s += fmt.Sprintf(" [%d v%d %v owner=%d amt=%d %x]", u.ID, u.Version, u.Kind, u.Owner, u.Amount, u.StateHash[:4])
	}
	return s
}

var errStop = errors.New("script failed")

// seq runs steps in order, one per step of the process; a step past the list fails.
func seq(steps ...script) script {
	return func(h *native) error {
		if h.steps > len(steps) {
			return fmt.Errorf("%w: step %d of %d", errStop, h.steps, len(steps))
		}
		return steps[h.steps-1](h)
	}
}
