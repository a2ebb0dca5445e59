package interp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
)

// yieldProgram exports run(n): n rounds that each call step, which calls the host function
// yield (directly on odd rounds, through the table on even ones) on a value mixed from the
// round and the running sum, stores the answer to memory and adds it to global g0; round 2
// grows the memory by a page that stays zero. It returns the sum xor g0.
func yieldProgram() wasmtest.Module {
	i64s := []wasm.ValType{i64}
	c := wasmtest.Cat
	return wasmtest.Module{
		Imports:    []wasmtest.Import{{Name: "yield", Params: i64s, Results: i64s}},
		Memory:     []uint32{1, 4},
		Table:      1,
		Elems:      []uint32{0},
		GlobalsI64: []int64{7},
		Funcs: []wasmtest.Func{
			{Params: []wasm.ValType{i64, i32}, Results: i64s, Code: c(
				wasmtest.LocalGet(1), wasmtest.I32Const(1), wasmtest.Op(wasm.OpI32And),
				wasmtest.Op(wasm.OpIf), []byte{byte(wasm.I64)},
				wasmtest.LocalGet(0), wasmtest.Call(0),
				wasmtest.Op(wasm.OpElse),
				wasmtest.LocalGet(0), wasmtest.I32Const(0), []byte{byte(wasm.OpCallIndirect), 0, 0},
				wasmtest.Op(wasm.OpEnd),
				wasmtest.LocalSet(0),
				wasmtest.LocalGet(1), wasmtest.I32Const(8), wasmtest.Op(wasm.OpI32Mul), wasmtest.LocalGet(0),
				wasmtest.Mem(wasm.OpI64Store, 0),
				wasmtest.LocalGet(0))},
			{Params: []wasm.ValType{i32}, Results: i64s, Locals: []wasm.ValType{i32, i64}, Export: "run", Code: c(
				wasmtest.Op(wasm.OpBlock), []byte{0x40}, wasmtest.Op(wasm.OpLoop), []byte{0x40},
				wasmtest.LocalGet(1), wasmtest.LocalGet(0), wasmtest.Op(wasm.OpI32GeU), wasmtest.Br(wasm.OpBrIf, 1),
				wasmtest.LocalGet(1), wasmtest.I32Const(2), wasmtest.Op(wasm.OpI32Eq),
				wasmtest.Op(wasm.OpIf), []byte{0x40},
				wasmtest.I32Const(1), []byte{byte(wasm.OpMemoryGrow), 0, byte(wasm.OpDrop)},
				wasmtest.Op(wasm.OpEnd),
				wasmtest.LocalGet(2), wasmtest.LocalGet(1), wasmtest.Op(wasm.OpI64ExtendI32U, wasm.OpI64Xor),
				wasmtest.LocalGet(1), wasmtest.Call(1), wasmtest.LocalSet(2),
				[]byte{byte(wasm.OpGlobalGet), 0}, wasmtest.LocalGet(2), wasmtest.Op(wasm.OpI64Add), []byte{byte(wasm.OpGlobalSet), 0},
				wasmtest.LocalGet(1), wasmtest.I32Const(1), wasmtest.Op(wasm.OpI32Add), wasmtest.LocalSet(1),
				wasmtest.Br(wasm.OpBr, 0),
				wasmtest.Op(wasm.OpEnd), wasmtest.Op(wasm.OpEnd),
				wasmtest.LocalGet(2), []byte{byte(wasm.OpGlobalGet), 0}, wasmtest.Op(wasm.OpI64Xor))},
		},
	}
}

// answer is what the host gives yield(x), suspending or not.
func answer(x uint64) uint64 { return x*0x9e3779b97f4a7c15 + 1 }

// yielder is a program instance whose yield either answers at once or suspends.
type yielder struct {
	mod     *Module
	suspend bool
	tracer  Tracer // for the instances suspendedRun makes
}

func (y *yielder) imports(t testing.TB) Imports {
	h, err := NewHostFunction(HostFunc{Params: []wasm.ValType{i64}, Results: []wasm.ValType{i64},
		Fn: func(_ context.Context, _ *Instance, args, res []uint64) error {
			if y.suspend {
				res[0] = 0xdead // Resume must not see it
				return ErrSuspend
			}
			res[0] = answer(args[0])
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return Imports{"env": {"yield": {Func: h}}}
}

func loadModule(t testing.TB, tm wasmtest.Module) *Module {
	t.Helper()
	m, err := Load(tm.Bytes(), wasm.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var snapCfg = Config{Fuel: 1_000_000}

// outcome is everything a run leaves that must not depend on how it was run.
type outcome struct {
	res    []uint64
	fuel   uint64
	global uint64
	memory []byte
}

func outcomeOf(t testing.TB, inst *Instance, res []uint64) outcome {
	g, _ := inst.Export("g0")
	return outcome{res: res, fuel: inst.Fuel(), global: g.Global.Value, memory: bytes.Clone(inst.Memory().Bytes())}
}

func (o outcome) equal(p outcome) bool {
	return fmt.Sprint(o.res) == fmt.Sprint(p.res) && o.fuel == p.fuel && o.global == p.global && bytes.Equal(o.memory, p.memory)
}

// suspendedRun runs run(n) suspending at every yield; each suspension goes through each gives
// the instance that resumes, and is given every snapshot taken.
func suspendedRun(t *testing.T, y *yielder, n uint64, through func(*Instance, []byte) *Instance) (outcome, int) {
	t.Helper()
	ctx := context.Background()
	y.suspend = true
	cfg := snapCfg
	cfg.Tracer = y.tracer
	inst, err := y.mod.Instantiate(ctx, y.imports(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, st, err := inst.Call(ctx, "run", n)
	stops := 0
	for ; err == nil && st == Suspended; stops++ {
		snap, err := inst.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		inst = through(inst, snap)
		fn, args, ok := inst.Pending()
		if !ok || fn != 0 || len(args) != 1 {
			t.Fatalf("pending = %d, %v, %v", fn, args, ok)
		}
		res, st, err = inst.Resume(ctx, answer(args[0]))
	}
	if err != nil {
		t.Fatal(err)
	}
	return outcomeOf(t, inst, res), stops
}

func TestSnapshotResume(t *testing.T) {
	const n = 6
	y := &yielder{mod: loadModule(t, yieldProgram())}
	ctx := context.Background()
	straight, err := y.mod.Instantiate(ctx, y.imports(t), snapCfg)
	if err != nil {
		t.Fatal(err)
	}
	res, st, err := straight.Call(ctx, "run", n)
	if err != nil || st != Done {
		t.Fatalf("straight run: %v, %v", st, err)
	}
	want := outcomeOf(t, straight, res)

	same := func(inst *Instance, _ []byte) *Instance { return inst }
	got, stops := suspendedRun(t, y, n, same)
	if stops != n || !got.equal(want) {
		t.Fatalf("resumed in place: %d stops, %+v; want %d stops, %+v", stops, got.res, n, want.res)
	}

	restored := func(_ *Instance, snap []byte) *Instance {
		inst, err := Restore(y.mod, y.imports(t), snap, Config{})
		if err != nil {
			t.Fatal(err)
		}
		again, err := inst.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, snap) {
			t.Fatal("snapshot of a restored instance differs from the one it was restored from")
		}
		return inst
	}
	if got, _ := suspendedRun(t, y, n, restored); !got.equal(want) {
		t.Fatalf("restored at every yield: %+v, fuel %d; want %+v, fuel %d", got.res, got.fuel, want.res, want.fuel)
	}
}

func TestResumeChecks(t *testing.T) {
	y := &yielder{mod: loadModule(t, yieldProgram()), suspend: true}
	ctx := context.Background()
	inst, err := y.mod.Instantiate(ctx, y.imports(t), snapCfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := inst.Resume(ctx, 1); err == nil {
		t.Fatal("resumed an instance that is not suspended")
	}
	if _, _, ok := inst.Pending(); ok {
		t.Fatal("an idle instance has a pending call")
	}
	if _, st, err := inst.Call(ctx, "run", 3); st != Suspended || err != nil {
		t.Fatalf("run: %v, %v", st, err)
	}
	if _, _, err := inst.Resume(ctx); err == nil {
		t.Fatal("resumed with too few results")
	}
	if _, _, err := inst.Call(ctx, "run", 3); err == nil {
		t.Fatal("a suspended instance took another call")
	}
	if _, st, err := inst.Resume(ctx, 5); st != Suspended || err != nil {
		t.Fatalf("resume: %v, %v", st, err)
	}
}

// TestSnapshotRefusals covers what Snapshot will not record.
func TestSnapshotRefusals(t *testing.T) {
	tm := yieldProgram()
	cm := compileModule(t, tm) // no binary, so no digest
	y := &yielder{mod: cm}
	inst, err := cm.Instantiate(context.Background(), y.imports(t), snapCfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Snapshot(); err == nil || !strings.Contains(err.Error(), "digest") {
		t.Fatalf("snapshot without a digest: %v", err)
	}
	// A host function cannot snapshot the call that is running it.
	m := loadModule(t, tm)
	var inner error
	h, _ := NewHostFunction(HostFunc{Params: []wasm.ValType{i64}, Results: []wasm.ValType{i64},
		Fn: func(_ context.Context, inst *Instance, _, _ []uint64) error {
			_, inner = inst.Snapshot()
			return nil
		}})
	inst, err = m.Instantiate(context.Background(), Imports{"env": {"yield": {Func: h}}}, snapCfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := inst.Call(context.Background(), "run", 1); err != nil || inner == nil {
		t.Fatalf("snapshot inside a call: %v, %v", err, inner)
	}
	// Imported memories are shared state.
	mem, _ := NewMemory(1, 1)
	withMem := []byte("\x00asm\x01\x00\x00\x00\x02\x0c\x01\x03env\x03mem\x02\x00\x01")
	mm, err := Load(withMem, wasm.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	mi, err := mm.Instantiate(context.Background(), Imports{"env": {"mem": {Memory: mem}}}, snapCfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mi.Snapshot(); err == nil || !strings.Contains(err.Error(), "shared") {
		t.Fatalf("snapshot with an imported memory: %v", err)
	}
}

// midSnapshot is a snapshot of yieldProgram suspended in its third yield.
func midSnapshot(t testing.TB, y *yielder) []byte {
	ctx := context.Background()
	y.suspend = true
	cfg := snapCfg
	cfg.Tracer = y.tracer
	inst, err := y.mod.Instantiate(ctx, y.imports(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := inst.Call(ctx, "run", 5); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, _, err := inst.Resume(ctx, 3); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := inst.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// rehash replaces the trailing hash of a (modified) snapshot, so that Restore looks past it.
func rehash(b []byte) []byte {
	if len(b) < sha256.Size {
		return b
	}
	body := bytes.Clone(b[:len(b)-sha256.Size])
	h := sha256.Sum256(body)
	return append(body, h[:]...)
}

// restoreNoPanic restores b, failing the test if that panics.
func restoreNoPanic(t *testing.T, y *yielder, b []byte) (inst *Instance, err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Restore panicked: %v", p)
		}
	}()
	return Restore(y.mod, y.imports(t), b, Config{})
}

func TestRestoreCorrupt(t *testing.T) {
	y := &yielder{mod: loadModule(t, yieldProgram())}
	snap := midSnapshot(t, y)
	if _, err := Restore(y.mod, y.imports(t), snap, Config{}); err != nil {
		t.Fatal(err)
	}
	// Every byte outside the memory page's content, and a sample inside it.
	var positions []int
	page := bytes.Index(snap, bytes.Repeat([]byte{0}, 1024)) // inside the page's zeros
	for i := range snap {
		if i < page-PageSize/2 || i > page+PageSize || i%251 == 0 {
			positions = append(positions, i)
		}
	}
	for _, i := range positions {
		b := bytes.Clone(snap)
		b[i] ^= 0x41
		if _, err := restoreNoPanic(t, y, b); err == nil {
			t.Fatalf("flipped byte %d restored", i)
		}
		// Past the hash, a flip may be a valid other state (a stack value, the fuel); it
		// must never panic.
		if inst, err := restoreNoPanic(t, y, rehash(b)); err == nil {
			if again, err := inst.Snapshot(); err != nil || !bytes.Equal(again, rehash(b)) {
				t.Fatalf("byte %d: accepted snapshot does not round-trip: %v", i, err)
			}
		}
	}
	for n := range len(snap) {
		if n%97 != 0 && n < len(snap)-200 {
			continue
		}
		if _, err := restoreNoPanic(t, y, snap[:n]); err == nil {
			t.Fatalf("truncated to %d bytes restored", n)
		}
		if _, err := restoreNoPanic(t, y, rehash(snap[:n])); err == nil {
			t.Fatalf("truncated to %d bytes and rehashed restored", n)
		}
	}
	ver := bytes.Clone(snap)
	binary.LittleEndian.PutUint32(ver[len(snapshotMagic):], snapshotVersion+1)
	if _, err := Restore(y.mod, y.imports(t), rehash(ver), Config{}); err == nil || !strings.Contains(err.Error(), "version") {
		t.Fatalf("other version: %v", err)
	}
	other := loadModule(t, wasmtest.FNV(nil))
	if _, err := Restore(other, nil, snap, Config{}); err == nil || !strings.Contains(err.Error(), "not of this one") {
		t.Fatalf("other module: %v", err)
	}
	// A limit lower than the snapshot needs is an error, not a truncated state.
	if _, err := Restore(y.mod, y.imports(t), snap, Config{MaxCallDepth: 1}); err == nil {
		t.Fatal("restored two frames under a call depth of 1")
	}
}

// FuzzRestore restores arbitrary bytes, with their hash fixed up so that the decoder is
// reached: never a panic, and what is accepted snapshots back to the same bytes.
func FuzzRestore(f *testing.F) {
	y := &yielder{mod: loadModule(f, yieldProgram())}
	f.Add(midSnapshot(f, y))
	idle, err := y.mod.Instantiate(context.Background(), y.imports(f), snapCfg)
	if err != nil {
		f.Fatal(err)
	}
	s, err := idle.Snapshot()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(s)
	f.Fuzz(func(t *testing.T, b []byte) {
		b = rehash(b)
		inst, err := Restore(y.mod, y.imports(t), b, Config{MaxCallDepth: 16, MaxStack: 1 << 12, MaxMemoryPages: 4})
		if err != nil {
			return
		}
		again, err := inst.Snapshot()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("accepted snapshot does not round-trip: %v", err)
		}
	})
}

// BenchmarkSnapshot measures Snapshot and Restore of an idle instance whose memory pages
// are all live: go test -bench Snapshot ./runtime/wasm/interp
func BenchmarkSnapshot(b *testing.B) {
	for _, pages := range []int{1, 16} {
		data := make([]byte, pages*PageSize)
		r := rand.New(rand.NewPCG(5, 6))
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		m := loadModule(b, wasmtest.FNV(data))
		inst, err := m.Instantiate(context.Background(), nil, Config{Fuel: math.MaxUint64, MaxMemoryPages: 16})
		if err != nil {
			b.Fatal(err)
		}
		snap, err := inst.Snapshot()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("snapshot/%dpages", pages), func(b *testing.B) {
			b.SetBytes(int64(len(snap)))
			for b.Loop() {
				if _, err := inst.Snapshot(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(snap)), "snapshot-bytes")
		})
		b.Run(fmt.Sprintf("restore/%dpages", pages), func(b *testing.B) {
			b.SetBytes(int64(len(snap)))
			for b.Loop() {
				if _, err := Restore(m, nil, snap, Config{MaxMemoryPages: 16}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
