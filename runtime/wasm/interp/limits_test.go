package interp

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

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
	tm := testModule{
		memory: []uint32{1},
		table:  4,
		elems:  []uint32{0, 1}, // entries 2 and 3 stay uninitialized
		funcs: []fn{
			{code: op(wasm.OpUnreachable), export: "unreachable"},                                           // 0
			{results: []wasm.ValType{i32}, code: cat(i32c(7)), export: "seven"},                             // 1
			{results: []wasm.ValType{i32}, code: cat(i32c(1), i32c(0), op(wasm.OpI32DivU)), export: "div0"}, // 2
			{results: []wasm.ValType{i64}, code: cat(i64c(math.MinInt64), i64c(-1), op(wasm.OpI64DivS)), export: "overflow"},
			{results: []wasm.ValType{i32}, code: cat(i32c(65533), mem(wasm.OpI32Load, 0)), export: "oob-load"},
			{code: cat(i32c(0), i64c(1), mem(wasm.OpI64Store, 65529)), export: "oob-store"},
			{results: []wasm.ValType{i32}, code: cat(i32c(-1), mem(wasm.OpI32Load8U, 1)), export: "oob-offset"},
			{results: []wasm.ValType{i32}, code: cat(i32c(4), op(wasm.OpCallIndirect), uleb(1), []byte{0}), export: "undefined"},
			{results: []wasm.ValType{i32}, code: cat(i32c(2), op(wasm.OpCallIndirect), uleb(1), []byte{0}), export: "uninitialized"},
			{results: []wasm.ValType{i32}, code: cat(i32c(0), op(wasm.OpCallIndirect), uleb(1), []byte{0}), export: "type-mismatch"},
			{results: []wasm.ValType{i32}, code: cat(i32c(1), op(wasm.OpCallIndirect), uleb(1), []byte{0}), export: "indirect-ok"},
			{params: none, code: call(11), export: "recurse"},
			{code: cat(i32c(0), i32c(0), i32c(65537), []byte{0xfc, 11, 0}), export: "oob-fill"},
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
	tm := testModule{funcs: []fn{
		{code: call(0), export: "deep"},
		{locals: many, code: call(1), export: "fat"},
	}}
	inst := instantiate(t, tm, Config{MaxCallDepth: 100_000, MaxStack: 1 << 16}, nil)
	_, _, err := inst.Call(context.Background(), "fat")
	wantTrap(t, err, TrapValueStackExhausted)
	_, _, err = inst.Call(context.Background(), "deep")
	wantTrap(t, err, TrapCallStackExhausted)
}

// loopForever is `loop br 0 end`, and counts nothing.
var loopForever = cat(op(wasm.OpLoop), []byte{0x40}, br(wasm.OpBr, 0), op(wasm.OpEnd))

func TestFuelInfiniteLoop(t *testing.T) {
	tm := testModule{funcs: []fn{{code: loopForever, export: "spin"}}}
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
	tm := testModule{funcs: []fn{{code: nil, export: "f"}}}
	if _, err := compileModule(t, tm).Instantiate(context.Background(), nil, Config{}); err == nil {
		t.Fatal("instantiated without fuel")
	}
}

// TestMemoryGrowBomb: growing past the host cap returns -1 and allocates nothing; a loop
// growing one page at a time stops at the cap.
func TestMemoryGrowBomb(t *testing.T) {
	tm := testModule{memory: []uint32{1}, funcs: []fn{
		{params: []wasm.ValType{i32}, results: []wasm.ValType{i32}, code: cat(get(0), op(wasm.OpMemoryGrow), []byte{0}), export: "grow"},
		// grow by one until it fails; return the page count.
		{results: []wasm.ValType{i32}, code: cat(
			op(wasm.OpLoop), []byte{0x40}, i32c(1), op(wasm.OpMemoryGrow), []byte{0}, i32c(-1), op(wasm.OpI32Ne), br(wasm.OpBrIf, 0), op(wasm.OpEnd),
			op(wasm.OpMemorySize), []byte{0}), export: "bomb"},
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
	big := testModule{memory: []uint32{9}, funcs: []fn{{export: "f"}}}
	if _, err := compileModule(t, big).Instantiate(ctx, nil, Config{Fuel: 1, MaxMemoryPages: 8}); err == nil {
		t.Fatal("instantiated a memory above the host cap")
	}
}

// fuelProgram sums i*i into memory and a global for i < n, with calls and a grow, so that every
// fuel class is exercised.
func fuelProgram() testModule {
	return testModule{memory: []uint32{1, 4}, globalsI64: []int64{0}, funcs: []fn{
		{params: []wasm.ValType{i64}, results: []wasm.ValType{i64}, code: cat(get(0), get(0), op(wasm.OpI64Mul))},
		{params: []wasm.ValType{i32}, results: []wasm.ValType{i64}, locals: []wasm.ValType{i32}, export: "run", code: cat(
			i32c(1), op(wasm.OpMemoryGrow), []byte{0}, op(wasm.OpDrop),
			op(wasm.OpBlock), []byte{0x40}, op(wasm.OpLoop), []byte{0x40},
			get(1), get(0), op(wasm.OpI32GeU), br(wasm.OpBrIf, 1),
			op(wasm.OpGlobalGet), uleb(0), get(1), op(wasm.OpI64ExtendI32U), call(0), op(wasm.OpI64Add), op(wasm.OpGlobalSet), uleb(0),
			get(1), i32c(8), op(wasm.OpI32Mul), op(wasm.OpGlobalGet), uleb(0), mem(wasm.OpI64Store, 0),
			get(1), i32c(1), op(wasm.OpI32Add), set(1), br(wasm.OpBr, 0),
			op(wasm.OpEnd), op(wasm.OpEnd),
			op(wasm.OpGlobalGet), uleb(0))},
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
	tm := testModule{
		imports: []hostImport{{name: "add", params: []wasm.ValType{i32, i64}, results: []wasm.ValType{i64, i32}}},
		funcs: []fn{{params: []wasm.ValType{i32}, results: []wasm.ValType{i64, i32}, export: "f",
			code: cat(get(0), i64c(40), call(0))}},
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
