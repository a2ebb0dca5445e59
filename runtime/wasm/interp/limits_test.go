package interp

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
)

func wantTrap(t *testing.T, err error, code TrapCode) *Trap {
	t.Helper()
	var tr *Trap
	if !errors.As(err, &tr) || tr.Code != code {
		t.Fatalf("got %v, want trap %v", err, code)
	}
	return tr
}

// TestTraps runs one function per trap kind and checks the code and where it is reported.
func TestTraps(t *testing.T) {
	none := []wasm.ValType{}
	tm := wasmtest.Module{
		Memory: []uint32{1},
		Table:  4,
		Elems:  []uint32{0, 1}, // entries 2 and 3 stay uninitialized
		Funcs: []wasmtest.Func{
			{Code: wasmtest.Op(wasm.OpUnreachable), Export: "unreachable"},                                                                              // 0
			{Results: []wasm.ValType{i32}, Code: wasmtest.Cat(wasmtest.I32Const(7)), Export: "seven"},                                                   // 1
			{Results: []wasm.ValType{i32}, Code: wasmtest.Cat(wasmtest.I32Const(1), wasmtest.I32Const(0), wasmtest.Op(wasm.OpI32DivU)), Export: "div0"}, // 2
			{Results: []wasm.ValType{i64}, Code: wasmtest.Cat(wasmtest.I64Const(math.MinInt64), wasmtest.I64Const(-1), wasmtest.Op(wasm.OpI64DivS)), Export: "overflow"},
			{Results: []wasm.ValType{i32}, Code: wasmtest.Cat(wasmtest.I32Const(65533), wasmtest.Mem(wasm.OpI32Load, 0)), Export: "oob-load"},
			{Code: wasmtest.Cat(wasmtest.I32Const(0), wasmtest.I64Const(1), wasmtest.Mem(wasm.OpI64Store, 65529)), Export: "oob-store"},
			{Results: []wasm.ValType{i32}, Code: wasmtest.Cat(wasmtest.I32Const(-1), wasmtest.Mem(wasm.OpI32Load8U, 1)), Export: "oob-offset"},
			{Results: []wasm.ValType{i32}, Code: wasmtest.Cat(wasmtest.I32Const(4), wasmtest.Op(wasm.OpCallIndirect), wasmtest.Uleb(1), []byte{0}), Export: "undefined"},
			{Results: []wasm.ValType{i32}, Code: wasmtest.Cat(wasmtest.I32Const(2), wasmtest.Op(wasm.OpCallIndirect), wasmtest.Uleb(1), []byte{0}), Export: "uninitialized"},
			{Results: []wasm.ValType{i32}, Code: wasmtest.Cat(wasmtest.I32Const(0), wasmtest.Op(wasm.OpCallIndirect), wasmtest.Uleb(1), []byte{0}), Export: "type-mismatch"},
			{Results: []wasm.ValType{i32}, Code: wasmtest.Cat(wasmtest.I32Const(1), wasmtest.Op(wasm.OpCallIndirect), wasmtest.Uleb(1), []byte{0}), Export: "indirect-ok"},
			{Params: none, Code: wasmtest.Call(11), Export: "recurse"},
			{Code: wasmtest.Cat(wasmtest.I32Const(0), wasmtest.I32Const(0), wasmtest.I32Const(65537), []byte{0xfc, 11, 0}), Export: "oob-fill"},
		},
	}
	inst := instantiate(t, tm, Config{}, nil)
	ctx := context.Background()
	for name, code := range map[string]TrapCode{
		"unreachable": TrapUnreachable, "div0": TrapDivideByZero, "overflow": TrapIntegerOverflow,
		"oob-load": TrapMemoryOutOfBounds, "oob-store": TrapMemoryOutOfBounds, "oob-offset": TrapMemoryOutOfBounds,
		"undefined": TrapUndefinedElement, "uninitialized": TrapUninitializedElement,
		"type-mismatch": TrapIndirectCallType, "recurse": TrapCallStackExhausted, "oob-fill": TrapMemoryOutOfBounds,
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := inst.Call(ctx, name)
			tr := wantTrap(t, err, code)
			if tr.Func < 0 || tr.Offset <= 0 {
				t.Errorf("trap %v does not say where", tr)
			}
		})
	}
	if got, _, err := inst.Call(ctx, "indirect-ok"); err != nil || got[0] != 7 {
		t.Fatalf("indirect call after traps = %v, %v; want 7", got, err)
	}
	if inst.sp != 0 || len(inst.frames) != 0 {
		t.Fatalf("traps left %d values and %d frames behind", inst.sp, len(inst.frames))
	}
}

// TestUnboundedRecursion: a function calling itself forever hits the call-depth limit, and a
// recursion with large frames hits the value-stack limit first; both quickly.
func TestUnboundedRecursion(t *testing.T) {
	many := make([]wasm.ValType, 1000)
	for i := range many {
		many[i] = i64
	}
	tm := wasmtest.Module{Funcs: []wasmtest.Func{
		{Code: wasmtest.Call(0), Export: "deep"},
		{Locals: many, Code: wasmtest.Call(1), Export: "fat"},
	}}
	inst := instantiate(t, tm, Config{MaxCallDepth: 100_000, MaxStack: 1 << 16}, nil)
	_, _, err := inst.Call(context.Background(), "fat")
	wantTrap(t, err, TrapValueStackExhausted)
	_, _, err = inst.Call(context.Background(), "deep")
	wantTrap(t, err, TrapCallStackExhausted)
}

// loopForever is `loop br 0 end`, and counts nothing.
var loopForever = wasmtest.Cat(wasmtest.Op(wasm.OpLoop), []byte{0x40}, wasmtest.Br(wasm.OpBr, 0), wasmtest.Op(wasm.OpEnd))

func TestFuelInfiniteLoop(t *testing.T) {
	tm := wasmtest.Module{Funcs: []wasmtest.Func{{Code: loopForever, Export: "spin"}}}
	inst := instantiate(t, tm, Config{Fuel: 10_000_000}, nil)
	start := time.Now()
	_, _, err := inst.Call(context.Background(), "spin")
	tr := wantTrap(t, err, TrapOutOfFuel)
	if tr.Func != 0 || tr.PC != 0 {
		t.Errorf("out of fuel reported at function %d pc %d, want 0, 0", tr.Func, tr.PC)
	}
	if inst.Fuel() != 0 {
		t.Errorf("fuel left %d, want 0", inst.Fuel())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("10M fuel took %v", d)
	}
	inst.AddFuel(5)
	_, _, err = inst.Call(context.Background(), "spin")
	wantTrap(t, err, TrapOutOfFuel)
}

func TestFuelRequired(t *testing.T) {
	tm := wasmtest.Module{Funcs: []wasmtest.Func{{Code: nil, Export: "f"}}}
	if _, err := compileModule(t, tm).Instantiate(context.Background(), nil, Config{}); err == nil {
		t.Fatal("instantiated without fuel")
	}
}

// TestMemoryGrowBomb: growing past the host cap returns -1 and allocates nothing; a loop
// growing one page at a time stops at the cap.
func TestMemoryGrowBomb(t *testing.T) {
	tm := wasmtest.Module{Memory: []uint32{1}, Funcs: []wasmtest.Func{
		{Params: []wasm.ValType{i32}, Results: []wasm.ValType{i32}, Code: wasmtest.Cat(wasmtest.LocalGet(0), wasmtest.Op(wasm.OpMemoryGrow), []byte{0}), Export: "grow"},
		// grow by one until it fails; return the page count.
		{Results: []wasm.ValType{i32}, Code: wasmtest.Cat(
			wasmtest.Op(wasm.OpLoop), []byte{0x40}, wasmtest.I32Const(1), wasmtest.Op(wasm.OpMemoryGrow), []byte{0}, wasmtest.I32Const(-1), wasmtest.Op(wasm.OpI32Ne), wasmtest.Br(wasm.OpBrIf, 0), wasmtest.Op(wasm.OpEnd),
			wasmtest.Op(wasm.OpMemorySize), []byte{0}), Export: "bomb"},
	}}
	inst := instantiate(t, tm, Config{MaxMemoryPages: 8}, nil)
	ctx := context.Background()
	if got, _, err := inst.Call(ctx, "grow", 65535); err != nil || int32(got[0]) != -1 {
		t.Fatalf("grow(65535) = %v, %v; want -1", got, err)
	}
	if got, _, err := inst.Call(ctx, "bomb"); err != nil || got[0] != 8 {
		t.Fatalf("bomb = %v, %v; want 8 pages", got, err)
	}
	if n := len(inst.Memory().Bytes()); n != 8*PageSize {
		t.Fatalf("memory is %d bytes", n)
	}
	// A module whose minimum passes the cap does not instantiate.
	big := wasmtest.Module{Memory: []uint32{9}, Funcs: []wasmtest.Func{{Export: "f"}}}
	if _, err := compileModule(t, big).Instantiate(ctx, nil, Config{Fuel: 1, MaxMemoryPages: 8}); err == nil {
		t.Fatal("instantiated a memory above the host cap")
	}
}

// fuelProgram sums i*i into memory and a global for i < n, with calls and a grow, so that every
// fuel class is exercised.
func fuelProgram() wasmtest.Module {
	return wasmtest.Module{Memory: []uint32{1, 4}, GlobalsI64: []int64{0}, Funcs: []wasmtest.Func{
		{Params: []wasm.ValType{i64}, Results: []wasm.ValType{i64}, Code: wasmtest.Cat(wasmtest.LocalGet(0), wasmtest.LocalGet(0), wasmtest.Op(wasm.OpI64Mul))},
		{Params: []wasm.ValType{i32}, Results: []wasm.ValType{i64}, Locals: []wasm.ValType{i32}, Export: "run", Code: wasmtest.Cat(
			wasmtest.I32Const(1), wasmtest.Op(wasm.OpMemoryGrow), []byte{0}, wasmtest.Op(wasm.OpDrop),
			wasmtest.Op(wasm.OpBlock), []byte{0x40}, wasmtest.Op(wasm.OpLoop), []byte{0x40},
			wasmtest.LocalGet(1), wasmtest.LocalGet(0), wasmtest.Op(wasm.OpI32GeU), wasmtest.Br(wasm.OpBrIf, 1),
			wasmtest.Op(wasm.OpGlobalGet), wasmtest.Uleb(0), wasmtest.LocalGet(1), wasmtest.Op(wasm.OpI64ExtendI32U), wasmtest.Call(0), wasmtest.Op(wasm.OpI64Add), wasmtest.Op(wasm.OpGlobalSet), wasmtest.Uleb(0),
			wasmtest.LocalGet(1), wasmtest.I32Const(8), wasmtest.Op(wasm.OpI32Mul), wasmtest.Op(wasm.OpGlobalGet), wasmtest.Uleb(0), wasmtest.Mem(wasm.OpI64Store, 0),
			wasmtest.LocalGet(1), wasmtest.I32Const(1), wasmtest.Op(wasm.OpI32Add), wasmtest.LocalSet(1), wasmtest.Br(wasm.OpBr, 0),
			wasmtest.Op(wasm.OpEnd), wasmtest.Op(wasm.OpEnd),
			wasmtest.Op(wasm.OpGlobalGet), wasmtest.Uleb(0))},
	}}
}

func TestFuelDeterministic(t *testing.T) {
	const budget = 1_000_000
	var used []uint64
	for range 3 {
		inst := instantiate(t, fuelProgram(), Config{Fuel: budget}, nil)
		got, _, err := inst.Call(context.Background(), "run", 100)
		if err != nil {
			t.Fatal(err)
		}
		if want := uint64(328350); got[0] != want { // sum of i*i for i < 100
			t.Fatalf("run(100) = %d, want %d", got[0], want)
		}
		used = append(used, budget-inst.Fuel())
	}
	if used[0] != used[1] || used[1] != used[2] {
		t.Fatalf("fuel differs between runs: %v", used)
	}
	// The table fixes the cost: prologue i32.const 1 + memory.grow (10 + 1024 for the page) +
	// drop = 1036; per iteration 4 (loop test) + 19 (global, extend, call 10, callee's 4,
	// add, global.set) + 6 (address, global.get, store 2) + 5 (increment, br) = 34; exit: the
	// final test 4, global.get and return = 6.
	if want := uint64(1036 + 100*34 + 6); used[0] != want {
		t.Fatalf("run(100) used %d fuel, want %d", used[0], want)
	}
	// Running out exactly at the end: the same budget minus one traps.
	inst := instantiate(t, fuelProgram(), Config{Fuel: used[0] - 1}, nil)
	_, _, err := inst.Call(context.Background(), "run", 100)
	wantTrap(t, err, TrapOutOfFuel)
}

// TestHostFunctions: arguments and results cross with their types, host errors come back
// wrapped, and ErrSuspend stops the call with Suspended.
func TestHostFunctions(t *testing.T) {
	tm := wasmtest.Module{
		Imports: []wasmtest.Import{{Name: "add", Params: []wasm.ValType{i32, i64}, Results: []wasm.ValType{i64, i32}}},
		Funcs: []wasmtest.Func{{Params: []wasm.ValType{i32}, Results: []wasm.ValType{i64, i32}, Export: "f",
			Code: wasmtest.Cat(wasmtest.LocalGet(0), wasmtest.I64Const(40), wasmtest.Call(0))}},
	}
	var mode string
	boom := errors.New("boom")
	h, err := NewHostFunction(HostFunc{Params: []wasm.ValType{i32, i64}, Results: []wasm.ValType{i64, i32},
		Fn: func(_ context.Context, _ *Instance, args, res []uint64) error {
			switch mode {
			case "fail":
				return boom
			case "suspend":
				return ErrSuspend
			}
			res[0], res[1] = uint64(uint32(args[0]))+args[1], 0xffffffff_00000001
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	inst := instantiate(t, tm, Config{}, Imports{"env": {"add": {Func: h}}})
	ctx := context.Background()
	got, st, err := inst.Call(ctx, "f", 2)
	if err != nil || st != Done || got[0] != 42 || got[1] != 1 {
		t.Fatalf("f(2) = %v, %v, %v; want [42 1]", got, st, err)
	}
	mode = "fail"
	if _, _, err := inst.Call(ctx, "f", 2); !errors.Is(err, boom) {
		t.Fatalf("host error came back as %v", err)
	}
	if _, _, err := inst.Call(ctx, "f"); err == nil {
		t.Fatal("call with too few arguments succeeded")
	}
	if _, _, err := inst.Call(ctx, "nope"); err == nil {
		t.Fatal("call of a missing export succeeded")
	}
	mode = "suspend"
	if _, st, err := inst.Call(ctx, "f", 2); err != nil || st != Suspended {
		t.Fatalf("suspend: %v, %v", st, err)
	}
	if _, _, err := inst.Call(ctx, "f", 2); err == nil {
		t.Fatal("a suspended instance took another call")
	}
	// Linking checks the signature.
	wrong, _ := NewHostFunction(HostFunc{Params: []wasm.ValType{i32}, Fn: func(context.Context, *Instance, []uint64, []uint64) error { return nil }})
	if _, err := compileModule(t, tm).Instantiate(ctx, Imports{"env": {"add": {Func: wrong}}}, Config{Fuel: 1}); err == nil {
		t.Fatal("linked a host function of the wrong type")
	}
}
