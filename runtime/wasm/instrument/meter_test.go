package instrument_test

import (
	"bytes"
	"context"
	"errors"
	"github.com/ssprove/ssprove/internal/enginetest"
	"math/rand/v2"
	"testing"

	wt "github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/instrument"
)

var (
	i32   = wasm.I32
	i64   = wasm.I64
	empty = []byte{0x40}
	resI  = []byte{byte(wasm.I32)}
)

func blk(op wasm.Opcode, bt []byte) []byte { return wt.Cat(wt.Op(op), bt) }

var (
	memoryCopy = []byte{0xfc, 10, 0, 0}
	memoryFill = []byte{0xfc, 11, 0}
	memoryGrow = []byte{byte(wasm.OpMemoryGrow), 0}
	memorySize = []byte{byte(wasm.OpMemorySize), 0}
)

// one is a module of a single exported function "f".
func one(params, results []wasm.ValType, locals []wasm.ValType, code ...[]byte) wt.Module {
	return wt.Module{Funcs: []wt.Func{{Params: params, Results: results, Locals: locals, Code: wt.Cat(code...), Export: "f"}}}
}

func withMemory(m wt.Module, pages ...uint32) wt.Module {
	m.Memory = pages
	return m
}

// deepLoops nests n loops, the innermost doing a little work, so that its charge sits at
// nesting depth n+1.
func deepLoops(n int) []byte {
	var b []byte
	for range n {
		b = append(b, blk(wasm.OpLoop, empty)...)
	}
	b = append(b, wt.Cat(wt.LocalGet(0), wt.I32Const(0), wt.Op(wasm.OpI32Ne), wt.Br(wasm.OpBrIf, uint32(n)))...)
	for range n {
		b = append(b, byte(wasm.OpEnd))
	}
	return b
}

// meterCases are small modules with what the interpreter charges for a call of f, worked
// out by hand from its cost table, so that a change in either shows here first.
var meterCases = []struct {
	name  string
	mod   wt.Module
	args  []uint64
	want  uint64 // fuel spent by the call
	trap  enginetest.Trap
	hosts map[string]host
}{
	{name: "empty", mod: one(nil, nil, nil), want: 1},
	{name: "const drop", mod: one(nil, nil, nil, wt.I32Const(1), wt.Op(wasm.OpDrop)), want: 3},
	{name: "compiled away", mod: one(nil, nil, nil, wt.Op(wasm.OpNop), blk(wasm.OpBlock, empty), blk(wasm.OpLoop, empty),
		wt.Op(wasm.OpNop, wasm.OpEnd, wasm.OpEnd)), want: 1},
	{name: "if else taken", args: []uint64{1}, want: 6, mod: one([]wasm.ValType{i32}, nil, nil,
		wt.LocalGet(0), blk(wasm.OpIf, empty), wt.I32Const(1), wt.Op(wasm.OpDrop), wt.Op(wasm.OpElse), wt.I32Const(2), wt.Op(wasm.OpDrop), wt.Op(wasm.OpEnd))},
	{name: "if else not taken", args: []uint64{0}, want: 5, mod: one([]wasm.ValType{i32}, nil, nil,
		wt.LocalGet(0), blk(wasm.OpIf, empty), wt.I32Const(1), wt.Op(wasm.OpDrop), wt.Op(wasm.OpElse), wt.I32Const(2), wt.Op(wasm.OpDrop), wt.Op(wasm.OpEnd))},
	{name: "if without else taken", args: []uint64{1}, want: 5, mod: one([]wasm.ValType{i32}, nil, nil,
		wt.LocalGet(0), blk(wasm.OpIf, empty), wt.I32Const(1), wt.Op(wasm.OpDrop), wt.Op(wasm.OpEnd))},
	{name: "if without else not taken", args: []uint64{0}, want: 3, mod: one([]wasm.ValType{i32}, nil, nil,
		wt.LocalGet(0), blk(wasm.OpIf, empty), wt.I32Const(1), wt.Op(wasm.OpDrop), wt.Op(wasm.OpEnd))},
	{name: "then arm branches over else", args: []uint64{1}, want: 5, mod: one([]wasm.ValType{i32}, []wasm.ValType{i32}, nil,
		wt.LocalGet(0), blk(wasm.OpIf, resI), wt.I32Const(1), wt.Br(wasm.OpBr, 0), wt.Op(wasm.OpElse), wt.I32Const(2), wt.Op(wasm.OpEnd))},
	{name: "return", want: 2, mod: one(nil, []wasm.ValType{i32}, nil, wt.I32Const(7), wt.Op(wasm.OpReturn))},
	{name: "br to function", want: 3, mod: one(nil, []wasm.ValType{i32}, nil, wt.I32Const(7), wt.Br(wasm.OpBr, 0))},
	{name: "br to function from a block", want: 3, mod: one(nil, []wasm.ValType{i32}, nil,
		blk(wasm.OpBlock, empty), wt.I32Const(7), wt.Br(wasm.OpBr, 1), wt.Op(wasm.OpEnd), wt.I32Const(8))},
	{name: "br_if to function taken", args: []uint64{1}, want: 4, mod: one([]wasm.ValType{i32}, []wasm.ValType{i32}, nil,
		wt.I32Const(5), wt.LocalGet(0), wt.Br(wasm.OpBrIf, 0), wt.Op(wasm.OpDrop), wt.I32Const(6))},
	{name: "br_if to function not taken", args: []uint64{0}, want: 6, mod: one([]wasm.ValType{i32}, []wasm.ValType{i32}, nil,
		wt.I32Const(5), wt.LocalGet(0), wt.Br(wasm.OpBrIf, 0), wt.Op(wasm.OpDrop), wt.I32Const(6))},
	{name: "br_if to block taken", args: []uint64{1}, want: 3, mod: one([]wasm.ValType{i32}, nil, nil,
		blk(wasm.OpBlock, empty), wt.LocalGet(0), wt.Br(wasm.OpBrIf, 0), wt.I32Const(1), wt.Op(wasm.OpDrop), wt.Op(wasm.OpEnd), wt.Op(wasm.OpNop))},
	{name: "br_if to block not taken", args: []uint64{0}, want: 5, mod: one([]wasm.ValType{i32}, nil, nil,
		blk(wasm.OpBlock, empty), wt.LocalGet(0), wt.Br(wasm.OpBrIf, 0), wt.I32Const(1), wt.Op(wasm.OpDrop), wt.Op(wasm.OpEnd))},
	{name: "br_table to block", args: []uint64{0}, want: 5, mod: brTableMixed},
	{name: "br_table to function", args: []uint64{1}, want: 3, mod: brTableMixed},
	{name: "br_table to block again", args: []uint64{2}, want: 5, mod: brTableMixed},
	{name: "br_table default to function", args: []uint64{4}, want: 3, mod: brTableMixed},
	{name: "br_table default, huge index", args: []uint64{0xffff_ffff}, want: 3, mod: brTableMixed},
	{name: "br_table all to function", args: []uint64{3}, want: 3, mod: one([]wasm.ValType{i32}, nil, nil,
		wt.LocalGet(0), wt.Op(wasm.OpBrTable), wt.Uleb(2), wt.Uleb(0), wt.Uleb(0), wt.Uleb(0))},
	{name: "br_table runs", args: []uint64{5}, want: 3, mod: brTableRuns},
	{name: "br_table runs, block", args: []uint64{3}, want: 5, mod: brTableRuns},
	{name: "br_table runs, default", args: []uint64{100}, want: 5, mod: brTableRuns},
	{name: "loop", args: []uint64{10}, want: 51, mod: one([]wasm.ValType{i32}, nil, nil,
		blk(wasm.OpLoop, empty), wt.LocalGet(0), wt.I32Const(1), wt.Op(wasm.OpI32Sub), wt.LocalTee(0), wt.Br(wasm.OpBrIf, 0), wt.Op(wasm.OpEnd))},
	{name: "loop returning from inside", args: []uint64{10}, want: 10*8 + 3 + 1, mod: one([]wasm.ValType{i32}, nil, nil,
		blk(wasm.OpLoop, empty), wt.LocalGet(0), wt.Op(wasm.OpI32Eqz), wt.Br(wasm.OpBrIf, 1),
		wt.LocalGet(0), wt.I32Const(1), wt.Op(wasm.OpI32Sub), wt.LocalSet(0), wt.Br(wasm.OpBr, 0), wt.Op(wasm.OpEnd))},
	{name: "call", want: 13, mod: wt.Module{Funcs: []wt.Func{
		{Results: []wasm.ValType{i32}, Code: wt.I32Const(1)},
		{Results: []wasm.ValType{i32}, Code: wt.Call(0), Export: "f"}}}},
	{name: "call then more", want: 13 + 1, mod: wt.Module{Funcs: []wt.Func{
		{Results: []wasm.ValType{i32}, Code: wt.I32Const(1)},
		{Code: wt.Cat(wt.Call(0), wt.Op(wasm.OpDrop)), Export: "f"}}}},
	{name: "host call", args: []uint64{41}, want: 12, hosts: map[string]host{"add1": add1},
		mod: wt.Module{Imports: []wt.Import{{Name: "add1", Params: []wasm.ValType{i32}, Results: []wasm.ValType{i32}}},
			Funcs: []wt.Func{{Params: []wasm.ValType{i32}, Results: []wasm.ValType{i32}, Code: wt.Cat(wt.LocalGet(0), wt.Call(0)), Export: "f"}}}},
	{name: "call_indirect", want: 1 + 10 + 2 + 1, mod: wt.Module{Table: 1, Elems: []uint32{0}, Funcs: []wt.Func{
		{Results: []wasm.ValType{i32}, Code: wt.I32Const(1)},
		{Results: []wasm.ValType{i32}, Code: wt.Cat(wt.I32Const(0), []byte{byte(wasm.OpCallIndirect), 0, 0}), Export: "f"}}}},
	{name: "call_indirect out of the table", trap: enginetest.Table, want: 1 + 10, mod: wt.Module{Table: 1, Elems: []uint32{0}, Funcs: []wt.Func{
		{Results: []wasm.ValType{i32}, Code: wt.I32Const(1)},
		{Results: []wasm.ValType{i32}, Code: wt.Cat(wt.I32Const(1), []byte{byte(wasm.OpCallIndirect), 0, 0}), Export: "f"}}}},
	{name: "div", want: 7, mod: one(nil, []wasm.ValType{i32}, nil, wt.I32Const(7), wt.I32Const(2), wt.Op(wasm.OpI32DivS))},
	{name: "rem i64", want: 7, mod: one(nil, []wasm.ValType{i64}, nil, wt.I64Const(7), wt.I64Const(2), wt.Op(wasm.OpI64RemU))},
	{name: "div by zero", trap: enginetest.DivideByZero, want: 6, mod: one(nil, []wasm.ValType{i32}, nil, wt.I32Const(7), wt.I32Const(0), wt.Op(wasm.OpI32DivU))},
	{name: "select", want: 5, mod: one(nil, []wasm.ValType{i32}, nil, wt.I32Const(7), wt.I32Const(8), wt.I32Const(0), wt.Op(wasm.OpSelect))},
	{name: "unreachable", trap: enginetest.Unreachable, want: 3, mod: one(nil, nil, nil, wt.I32Const(1), wt.Op(wasm.OpDrop, wasm.OpUnreachable))},
	{name: "globals", want: 7, mod: wt.Module{GlobalsI64: []int64{5}, Funcs: []wt.Func{{Export: "f",
		Code: wt.Cat([]byte{byte(wasm.OpGlobalGet), 0}, wt.I64Const(1), wt.Op(wasm.OpI64Add), []byte{byte(wasm.OpGlobalSet), 0}, wt.Op(wasm.OpNop), wt.I32Const(0), wt.Op(wasm.OpDrop))}}}},
	{name: "load store size", want: 1 + 1 + 2 + 1 + 2 + 2 + 1 + 1, mod: withMemory(one(nil, []wasm.ValType{i32}, nil,
		wt.I32Const(0), wt.I32Const(5), wt.Mem(wasm.OpI32Store, 0), wt.I32Const(0), wt.Mem(wasm.OpI32Load, 0), memorySize, wt.Op(wasm.OpI32Add)), 1)},
	{name: "load out of bounds", trap: enginetest.Memory, want: 3, mod: withMemory(one(nil, []wasm.ValType{i32}, nil,
		wt.I32Const(65535), wt.Mem(wasm.OpI32Load, 0)), 1)},
	{name: "grow", args: []uint64{2}, want: 1 + 10 + 2*1024 + 1, mod: grow},
	{name: "grow zero", args: []uint64{0}, want: 12, mod: grow},
	{name: "grow refused", args: []uint64{3}, want: 12, mod: grow},
	{name: "grow refused, huge", args: []uint64{0xffff_ffff}, want: 12, mod: grow},
	{name: "fill nothing", args: []uint64{0}, want: 3 + 4 + 1, mod: fill},
	{name: "fill 63", args: []uint64{63}, want: 3 + 4 + 1, mod: fill},
	{name: "fill 64", args: []uint64{64}, want: 3 + 4 + 1 + 1, mod: fill},
	{name: "fill page", args: []uint64{65536}, want: 3 + 4 + 1024 + 1, mod: fill},
	{name: "fill out of bounds", args: []uint64{65537}, trap: enginetest.Memory, want: 3 + 4, mod: fill},
	{name: "copy 1000", args: []uint64{1000}, want: 3 + 4 + 15 + 1, mod: copyMod},
	{name: "copy out of bounds", args: []uint64{65000}, trap: enginetest.Memory, want: 3 + 4, mod: copyMod},
	{name: "nested too deeply for an if", args: []uint64{1}, want: 5,
		mod: one([]wasm.ValType{i32}, nil, nil, deepLoops(wasm.DefaultLimits().MaxNesting-1))},
	{name: "nested too deeply for an if, not taken", args: []uint64{0}, want: 5,
		mod: one([]wasm.ValType{i32}, nil, nil, deepLoops(wasm.DefaultLimits().MaxNesting-1))},
	{name: "nested deeply, grow", args: []uint64{1}, want: 1 + 10 + 1024 + 1 + 1, mod: withMemory(one([]wasm.ValType{i32}, nil, nil,
		deepBlocks(wasm.DefaultLimits().MaxNesting-1, wt.Cat(wt.LocalGet(0), memoryGrow, wt.Op(wasm.OpDrop)))), 1, 3)},
}

// deepBlocks wraps code in n blocks.
func deepBlocks(n int, code []byte) []byte {
	return wt.Cat(bytes.Repeat(blk(wasm.OpBlock, empty), n), code, bytes.Repeat(wt.Op(wasm.OpEnd), n))
}

var (
	// brTableMixed goes to its block for 0 and 2, to the function for 1, 3 and beyond.
	brTableMixed = one([]wasm.ValType{i32}, nil, nil, blk(wasm.OpBlock, empty), wt.LocalGet(0),
		wt.Op(wasm.OpBrTable), wt.Uleb(4), wt.Uleb(0), wt.Uleb(1), wt.Uleb(0), wt.Uleb(1), wt.Uleb(1), wt.Op(wasm.OpEnd), wt.I32Const(1), wt.Op(wasm.OpDrop))
	// brTableRuns goes to the function for 0, 1, 4, 5, 6 and 8, to its block otherwise.
	brTableRuns = one([]wasm.ValType{i32}, nil, nil, blk(wasm.OpBlock, empty), wt.LocalGet(0),
		wt.Op(wasm.OpBrTable), wt.Uleb(9), wt.Uleb(1), wt.Uleb(1), wt.Uleb(0), wt.Uleb(0), wt.Uleb(1), wt.Uleb(1), wt.Uleb(1), wt.Uleb(0), wt.Uleb(1), wt.Uleb(0),
		wt.Op(wasm.OpEnd), wt.I32Const(1), wt.Op(wasm.OpDrop))
	grow    = withMemory(one([]wasm.ValType{i32}, []wasm.ValType{i32}, nil, wt.LocalGet(0), memoryGrow), 1, 3)
	fill    = withMemory(one([]wasm.ValType{i32}, nil, nil, wt.I32Const(0), wt.I32Const(0xab), wt.LocalGet(0), memoryFill), 1)
	copyMod = withMemory(one([]wasm.ValType{i32}, nil, nil, wt.I32Const(600), wt.I32Const(0), wt.LocalGet(0), memoryCopy), 1)
	add1    = host{params: []wasm.ValType{i32}, results: []wasm.ValType{i32},
		fn: func(args, results []uint64) { results[0] = uint64(uint32(args[0]) + 1) }}
)

func TestMeterCosts(t *testing.T) {
	es := engines(t)
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(n uint64) uint64 { return r.Uint64N(n) }
	for _, tc := range meterCases {
		t.Run(tc.name, func(t *testing.T) {
			bin := tc.mod.Bytes()
			c := call{entry: "f", args: tc.args, hosts: tc.hosts}
			got, o, err := spent(bin, c)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want || o.trap != tc.trap {
				t.Fatalf("interp spends %d and traps with %v, want %d and %v", got, o.trap, tc.want, tc.trap)
			}
			checkBudgets(t, es, bin, c, pick)
		})
	}
}

func TestMeterPrograms(t *testing.T) {
	es := engines(t)
	r := rand.New(rand.NewPCG(3, 4))
	pick := func(n uint64) uint64 { return r.Uint64N(n) }
	data := make([]byte, 3000)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	keys := make([]int32, 60)
	for i := range keys {
		keys[i] = r.Int32() - 1<<30
	}
	for _, tc := range []struct {
		name  string
		mod   wt.Module
		c     call
		instr uint64
	}{
		{"fnv", wt.FNV(data), call{entry: "hash", args: []uint64{uint64(len(data))}}, wt.FNVInstrs(len(data))},
		{"sort", wt.Sort(keys), call{entry: "sort", args: []uint64{uint64(len(keys))}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := tc.mod.Bytes()
			total, _, err := spent(bin, tc.c)
			if err != nil {
				t.Fatal(err)
			}
			// FNV does no division, memory beyond loads, or calls: a unit each, a load 2.
			if tc.instr != 0 && total != tc.instr+uint64(len(data)) {
				t.Errorf("fnv spends %d, want %d", total, tc.instr+uint64(len(data)))
			}
			if checkBudgets(t, es, bin, tc.c, pick) == 0 {
				t.Error("never completed")
			}
		})
	}
}

func TestMeterOutOfFuelIsNotUnreachable(t *testing.T) {
	// A program's own unreachable leaves the fuel non-negative; running out leaves it negative.
	e := engines(t)["interpreter"]
	bin := one(nil, nil, nil, wt.I32Const(1), wt.Op(wasm.OpDrop, wasm.OpUnreachable)).Bytes()
	metered, err := instrument.Meter(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		fuel    int64
		outOf   bool
		left    int64
		trapped enginetest.Trap
	}{
		{fuel: 100, left: 97, trapped: enginetest.Unreachable},
		{fuel: 3, left: 0, trapped: enginetest.Unreachable},
		{fuel: 2, outOf: true, trapped: enginetest.Unreachable},
		{fuel: 0, outOf: true, trapped: enginetest.Unreachable},
	} {
		o, err := runMetered(e, metered, call{entry: "f"}, tc.fuel)
		if err != nil {
			t.Fatal(err)
		}
		if o.trap != tc.trapped || instrument.OutOfFuel(o.fuel) != tc.outOf || (!tc.outOf && o.fuel != tc.left) {
			t.Errorf("fuel %d: trap %v, fuel left %d; want trap %v, out of fuel %v", tc.fuel, o.trap, o.fuel, tc.trapped, tc.outOf)
		}
	}
}

func TestMeterInitialFuel(t *testing.T) {
	ctx := context.Background()
	e := engines(t)["interpreter"]
	bin := one(nil, nil, nil, wt.I32Const(1), wt.Op(wasm.OpDrop)).Bytes()
	metered, err := instrument.MeterWithFuel(bin, 10)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := e.Instantiate(ctx, "", metered)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	for _, want := range []uint64{7, 4, 1} {
		if _, err := inst.Call(ctx, "f"); err != nil {
			t.Fatal(err)
		}
		if left, _ := inst.Global(instrument.FuelExport); left != want {
			t.Fatalf("fuel left %d, want %d", left, want)
		}
	}
	if _, err := inst.Call(ctx, "f"); err == nil {
		t.Fatal("a call past the budget completed")
	}
	if _, err := instrument.MeterWithFuel(bin, -1); err == nil {
		t.Error("negative initial fuel accepted")
	}
}

func TestMeterRefuses(t *testing.T) {
	metered, err := instrument.Meter(one(nil, nil, nil).Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for name, bin := range map[string][]byte{
		"empty":           nil,
		"garbage":         []byte("not wasm"),
		"truncated":       metered[:len(metered)-1],
		"float":           one(nil, nil, nil, []byte{0x43, 0, 0, 0, 0}, wt.Op(wasm.OpDrop)).Bytes(),
		"already metered": metered,
	} {
		if _, err := instrument.Meter(bin); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestMeterDeterministic(t *testing.T) {
	bin := wt.Sort([]int32{3, 1, 2}).Bytes()
	a, err := instrument.Meter(bin)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := instrument.Meter(bin)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs differ")
	}
	m, err := wasm.Load(a, wasm.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := wasm.Load(bin, wasm.DefaultLimits())
	// The fuel global comes after the module's own and nothing is renumbered.
	if len(m.Globals) != len(orig.Globals)+1 || len(m.Funcs) != len(orig.Funcs) {
		t.Fatalf("%d globals, %d functions; want %d and %d", len(m.Globals), len(m.Funcs), len(orig.Globals)+1, len(orig.Funcs))
	}
	g := m.Globals[len(m.Globals)-1]
	if g.Type != (wasm.GlobalType{Type: wasm.I64, Mutable: true}) {
		t.Errorf("fuel global type %+v", g.Type)
	}
	found := false
	for _, e := range m.Exports {
		if e.Name == instrument.FuelExport {
			found = e.Kind == wasm.ExternGlobal && e.Index == uint32(len(m.Globals)-1)
		}
	}
	if !found {
		t.Error("fuel global not exported as FuelExport")
	}
}

func TestMeterLimits(t *testing.T) {
	// A function with as many locals as allowed has no room for a scratch local.
	max := wasm.DefaultLimits().MaxLocals
	code := wt.Cat(wt.Uleb(1), wt.Uleb(uint64(max-1)), []byte{byte(wasm.I32)}, wt.LocalGet(0), memoryGrow, wt.Op(wasm.OpDrop, wasm.OpEnd))
	bin := wt.Cat([]byte("\x00asm"), []byte{1, 0, 0, 0},
		wt.Section(1, wt.Vec(wt.Cat([]byte{0x60}, wt.Types(i32), wt.Types()))),
		wt.Section(3, wt.Vec(wt.Uleb(0))),
		wt.Section(5, wt.Vec([]byte{0, 1})),
		wt.Section(10, wt.Vec(wt.Cat(wt.Uleb(uint64(len(code))), code))))
	if _, err := wasm.Load(bin, wasm.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	if _, err := instrument.Meter(bin); !errors.Is(err, instrument.ErrLimit) {
		t.Fatalf("got %v, want ErrLimit", err)
	}
}
