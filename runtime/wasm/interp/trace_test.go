package interp

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
)

// recorder keeps copies of every step.
type recorder struct{ steps []Step }

func (r *recorder) Step(s *Step) {
	c := *s
	c.Args = append([]uint64(nil), s.Args...)
	c.Results = append([]uint64(nil), s.Results...)
	r.steps = append(r.steps, c)
}

func TestTraceSmallProgram(t *testing.T) {
	data := []byte{8: 1, 2, 3, 4}
	tm := wasmtest.Module{
		Memory:     []uint32{1},
		GlobalsI64: []int64{5},
		Data:       data,
		Funcs: []wasmtest.Func{{Params: []wasm.ValType{i32}, Results: []wasm.ValType{i64}, Export: "f", Code: wasmtest.Cat(
			wasmtest.I32Const(8), wasmtest.LocalGet(0), wasmtest.Mem(wasm.OpI32Store16, 2),
			wasmtest.I32Const(8), wasmtest.Mem(wasm.OpI32Load, 0), wasmtest.Op(wasm.OpI64ExtendI32U),
			[]byte{byte(wasm.OpGlobalGet), 0}, wasmtest.Op(wasm.OpI64Add), []byte{byte(wasm.OpGlobalSet), 0},
			[]byte{byte(wasm.OpGlobalGet), 0})}},
	}
	var rec recorder
	inst := instantiate(t, tm, Config{Tracer: &rec}, nil)
	before := inst.Fuel()
	res, _, err := inst.Call(context.Background(), "f", 0xabcd)
	if err != nil {
		t.Fatal(err)
	}
	const sum = 0xabcd0201 + 5
	if res[0] != sum {
		t.Fatalf("f = %#x, want %#x", res[0], uint64(sum))
	}
	v := func(x ...uint64) []uint64 { return x }
	want := []Step{
		{Op: byte(wasm.OpI32Const), Imm: 8, SP: 1, Args: v(), Results: v(8)},
		{Op: byte(wasm.OpLocalGet), Imm: 0, SP: 2, Args: v(), Results: v(0xabcd)},
		{Op: byte(wasm.OpI32Store16), Imm: 2, SP: 3, Args: v(8, 0xabcd), Results: v(),
			Mem: MemAccess{Kind: MemWrite, Addr: 10, Width: 2, Old: 0x0403, Value: 0xabcd}},
		{Op: byte(wasm.OpI32Const), Imm: 8, SP: 1, Args: v(), Results: v(8)},
		{Op: byte(wasm.OpI32Load), Imm: 0, SP: 2, Args: v(8), Results: v(0xabcd0201),
			Mem: MemAccess{Kind: MemRead, Addr: 8, Width: 4, Value: 0xabcd0201}},
		{Op: byte(wasm.OpI64ExtendI32U), SP: 2, Args: v(0xabcd0201), Results: v(0xabcd0201)},
		{Op: byte(wasm.OpGlobalGet), SP: 2, Args: v(), Results: v(5), Global: GlobalAccess{Kind: GlobalRead, Old: 5, New: 5}},
		{Op: byte(wasm.OpI64Add), SP: 3, Args: v(0xabcd0201, 5), Results: v(sum)},
		{Op: byte(wasm.OpGlobalSet), SP: 2, Args: v(sum), Results: v(), Global: GlobalAccess{Kind: GlobalWrite, Old: 5, New: sum}},
		{Op: byte(wasm.OpGlobalGet), SP: 1, Args: v(), Results: v(sum), Global: GlobalAccess{Kind: GlobalRead, Old: sum, New: sum}},
		{Op: byte(wasm.OpReturn), SP: 2, Args: v(sum), Results: v(sum), Call: CallEvent{Kind: CallReturn}},
	}
	if len(rec.steps) != len(want) {
		t.Fatalf("%d steps, want %d: %+v", len(rec.steps), len(want), rec.steps)
	}
	fn := &inst.mod.funcs[0]
	for i, got := range rec.steps {
		w := want[i]
		w.N, w.PC, w.Offset = uint64(i), uint32(i), fn.offsets[i]
		if !reflect.DeepEqual(got, w) {
			t.Errorf("step %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
	var c Counter
	inst = instantiate(t, tm, Config{Tracer: &c}, nil)
	if _, _, err := inst.Call(context.Background(), "f", 0xabcd); err != nil {
		t.Fatal(err)
	}
	if c.Steps != 11 || c.MemReads != 1 || c.MemWrites != 1 || c.GlobalReads != 2 || c.GlobalWrites != 1 || c.Returns != 1 || c.Ops[wasm.OpI32Const] != 2 {
		t.Fatalf("counter %+v", c)
	}
	// Every instruction costs 1 but the load and the store (2).
	if used := before - inst.Fuel(); used != 13 {
		t.Fatalf("used %d fuel, want 13", used)
	}
}

// TestTraceAcrossSnapshots checks that the trace and the fuel do not depend on tracing, on
// suspending or on going through snapshots, and that the steps are numbered 0, 1, 2...
func TestTraceAcrossSnapshots(t *testing.T) {
	const n = 6
	ctx := context.Background()
	mod := loadModule(t, yieldProgram())
	run := func(tr Tracer) outcome {
		y := &yielder{mod: mod}
		cfg := snapCfg
		cfg.Tracer = tr
		inst, err := mod.Instantiate(ctx, y.imports(t), cfg)
		if err != nil {
			t.Fatal(err)
		}
		res, _, err := inst.Call(ctx, "run", n)
		if err != nil {
			t.Fatal(err)
		}
		return outcomeOf(t, inst, res)
	}
	untraced := run(nil)
	var straight Columns
	if got := run(&straight); !got.equal(untraced) {
		t.Fatalf("traced run: %+v, fuel %d; untraced %+v, fuel %d", got.res, got.fuel, untraced.res, untraced.fuel)
	}
	for i, s := range straight.N {
		if s != uint64(i) {
			t.Fatalf("row %d is step %d", i, s)
		}
	}

	var inPlace, restored Columns
	y := &yielder{mod: mod, tracer: &inPlace}
	if got, _ := suspendedRun(t, y, n, func(inst *Instance, _ []byte) *Instance { return inst }); !got.equal(untraced) {
		t.Fatalf("suspended in place: fuel %d, want %d", got.fuel, untraced.fuel)
	}
	y.tracer = &restored
	got, _ := suspendedRun(t, y, n, func(_ *Instance, snap []byte) *Instance {
		inst, err := Restore(mod, y.imports(t), snap, Config{Tracer: &restored})
		if err != nil {
			t.Fatal(err)
		}
		return inst
	})
	if !got.equal(untraced) {
		t.Fatalf("restored at every yield: fuel %d, want %d", got.fuel, untraced.fuel)
	}
	if !reflect.DeepEqual(inPlace, restored) {
		t.Fatal("the trace through snapshots differs from the one suspended in place")
	}
	// A host call that suspends reports no results; the rest is the straight trace.
	hostCalls := 0
	for i := range straight.N {
		if k := slices.Index(straight.Calls.N, uint64(i)); k >= 0 && straight.Calls.Kind[k] == CallHost {
			hostCalls++
			straight.NResults[i], straight.Result[i] = 0, 0
		}
	}
	if hostCalls != n || !reflect.DeepEqual(straight, inPlace) {
		t.Fatalf("%d host calls; suspended trace equal to the straight one: %v", hostCalls, reflect.DeepEqual(straight, inPlace))
	}
}

func TestTraceFNV(t *testing.T) {
	ctx := context.Background()
	var c Counter
	var cols Columns
	for _, tr := range []Tracer{&c, &cols} {
		inst := newFNV(t, tr)
		if _, _, err := inst.Call(ctx, "hash", PageSize); err != nil {
			t.Fatal(err)
		}
	}
	if want := wasmtest.FNVInstrs(PageSize); c.Steps != want || uint64(cols.Len()) != want {
		t.Fatalf("counted %d steps, %d rows; want %d", c.Steps, cols.Len(), want)
	}
	if c.MemReads != PageSize || c.Returns != 1 {
		t.Fatalf("%d memory reads, %d returns; want %d, 1", c.MemReads, c.Returns, PageSize)
	}
}

// TestTraceAllocs checks that tracing allocates nothing per step: a traced call allocates
// what an untraced one does.
func TestTraceAllocs(t *testing.T) {
	ctx := context.Background()
	allocs := func(tr Tracer, reset func()) float64 {
		inst := newFNV(t, tr)
		return testing.AllocsPerRun(5, func() {
			reset()
			if _, _, err := inst.Call(ctx, "hash", PageSize); err != nil {
				t.Fatal(err)
			}
		})
	}
	var cols Columns
	untraced := allocs(nil, func() {})
	if got := allocs(&Counter{}, func() {}); got != untraced {
		t.Errorf("counting: %v allocations per call, untraced %v", got, untraced)
	}
	if got := allocs(&cols, cols.Reset); got != untraced {
		t.Errorf("columns: %v allocations per call, untraced %v", got, untraced)
	}
}

// TestTraceRandomPrograms runs random programs traced and untraced, on fuel that sometimes
// runs out mid-way: the results, traps, fuel, memory and globals must not differ, and the
// steps must be numbered 0, 1, 2...
func TestTraceRandomPrograms(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 6))
	outOfFuel := 0
	for i := range 300 {
		p := wasmtest.Generate(r)
		m, err := Load(p.Wasm, wasm.DefaultLimits())
		if err != nil {
			t.Fatalf("program %d does not load: %v", i, err)
		}
		args := make([]uint64, len(p.Params))
		for j, pt := range p.Params {
			if args[j] = r.Uint64(); pt == i32 {
				args[j] = uint64(uint32(args[j]))
			}
		}
		fuel := uint64(1 << 40)
		if i%2 == 1 {
			fuel = uint64(r.IntN(5000)) + 1
		}
		run := func(tr Tracer) string {
			inst, err := m.Instantiate(ctx, nil, Config{Fuel: fuel, Tracer: tr})
			if err != nil {
				return "instantiate: " + err.Error()
			}
			res, _, err := inst.Call(ctx, p.Entry, args...)
			var globals []uint64
			for _, name := range p.Globals {
				x, _ := inst.Export(name)
				globals = append(globals, x.Global.Value)
			}
			return fmt.Sprintf("%v %v fuel %d memory %x globals %v", res, err, inst.Fuel(), sha256.Sum256(inst.Memory().Bytes()), globals)
		}
		var cols Columns
		untraced, traced := run(nil), run(&cols)
		if untraced != traced {
			t.Fatalf("program %d, fuel %d:\nuntraced %s\ntraced   %s", i, fuel, untraced, traced)
		}
		if strings.Contains(untraced, TrapOutOfFuel.String()) {
			outOfFuel++
		}
		for j, n := range cols.N {
			if n != uint64(j) {
				t.Fatalf("program %d: row %d is step %d", i, j, n)
			}
		}
	}
	if outOfFuel < 10 {
		t.Fatalf("only %d runs ran out of fuel", outOfFuel)
	}
}
