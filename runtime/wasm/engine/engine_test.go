package engine_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/engine"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
	"github.com/ssprove/ssprove/runtime/wasm/wazeroengine"
)

// testModule imports env.f (i32) -> i32; its export run(x) stores f(x) at address 8,
// sets the global g0 to f(x) zero-extended, and returns f(x).
var testModule = wasmtest.Module{
	Imports: []wasmtest.Import{{Name: "f", Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}}},
	Funcs: []wasmtest.Func{{
		Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}, Export: "run",
		Code: wasmtest.Cat(
			wasmtest.I32Const(8), wasmtest.LocalGet(0), wasmtest.Call(0), wasmtest.LocalTee(0),
			wasmtest.Mem(wasm.OpI32Store, 0),
			wasmtest.LocalGet(0), wasmtest.Op(wasm.OpI64ExtendI32U),
			[]byte{byte(wasm.OpGlobalSet), 0},
			wasmtest.LocalGet(0),
		),
	}},
	Memory:     []uint32{1, 1},
	GlobalsI64: []int64{-1},
	Data:       []byte("abcd"),
}.Bytes()

var errHost = errors.New("host says no")

// host computes 3x-100 and fails for 0.
var host = engine.HostModule{Name: "env", Funcs: map[string]engine.HostFunc{
	"f": {
		Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32},
		Fn: func(_ context.Context, args, results []uint64) error {
			if args[0] == 0 {
				return errHost
			}
			if results[0] != 0 {
				panic("results are not pre-zeroed")
			}
			results[0] = uint64(uint32(int32(args[0])*3 - 100))
			return nil
		},
	},
}}

type outcome struct {
	res  []uint64
	mem  []byte
	glob uint64
}

func run(t *testing.T, e engine.Engine, x uint64) outcome {
	t.Helper()
	ctx := context.Background()
	inst, err := e.Instantiate(ctx, testModule, host)
	if err != nil {
		t.Fatalf("Instantiate: %v", err)
	}
	if g, err := inst.Global("g0"); err != nil || g != math.MaxUint64 {
		t.Fatalf("initial Global(g0) = %#x, %v; want all ones", g, err)
	}
	res, err := inst.Call(ctx, "run", x)
	if err != nil {
		t.Fatalf("Call(run, %d): %v", x, err)
	}
	g, err := inst.Global("g0")
	if err != nil {
		t.Fatalf("Global(g0): %v", err)
	}
	if _, err := inst.Global("nope"); err == nil {
		t.Errorf("Global(nope) succeeded")
	}
	if _, err := inst.Call(ctx, "run", 0); !errors.Is(err, errHost) {
		t.Errorf("Call(run, 0) = %v, want the host's error in the chain", err)
	}
	return outcome{res: res, mem: bytes.Clone(inst.Memory()), glob: g}
}

func engines(t *testing.T) map[string]engine.Engine {
	cfg := interp.Config{Fuel: 1_000_000}
	wz, err := wazeroengine.New(context.Background(), wazeroengine.Config{})
	if err != nil {
		t.Fatal(err)
	}
	es := map[string]engine.Engine{
		"interp": interp.NewEngine(wasm.DefaultLimits(), cfg),
		"wazero": wazeroengine.AsEngine(wz),
	}
	t.Cleanup(func() {
		for name, e := range es {
			if err := e.Close(context.Background()); err != nil {
				t.Errorf("%s: Close: %v", name, err)
			}
		}
	})
	return es
}

func TestEnginesAgree(t *testing.T) {
	es := engines(t)
	for _, x := range []uint64{5, 40, 0x8000_0000} {
		want := uint64(uint32(int32(uint32(x))*3 - 100))
		got := map[string]outcome{}
		for name, e := range es {
			o := run(t, e, x)
			if len(o.res) != 1 || o.res[0] != want {
				t.Errorf("%s: run(%d) = %#x, want [%#x]", name, x, o.res, want)
			}
			if o.glob != want {
				t.Errorf("%s: g0 = %#x after run(%d), want %#x (i32 zero-extended)", name, o.glob, x, want)
			}
			if len(o.mem) != interp.PageSize || string(o.mem[:4]) != "abcd" {
				t.Errorf("%s: memory is %d bytes starting %q", name, len(o.mem), o.mem[:min(4, len(o.mem))])
			}
			got[name] = o
		}
		a, b := got["interp"], got["wazero"]
		if !bytes.Equal(a.mem, b.mem) || a.glob != b.glob || a.res[0] != b.res[0] {
			t.Errorf("run(%d): engines differ: interp %#x/%#x, wazero %#x/%#x, memory equal %v",
				x, a.res, a.glob, b.res, b.glob, bytes.Equal(a.mem, b.mem))
		}
	}
}

func TestUnsupportedRefused(t *testing.T) {
	floats := wasmtest.Cat([]byte("\x00asm"), []byte{1, 0, 0, 0},
		wasmtest.Section(1, wasmtest.Vec(wasmtest.Cat([]byte{0x60}, wasmtest.Types(), []byte{1, 0x7d}))))
	for name, e := range engines(t) {
		_, err := e.Instantiate(context.Background(), floats)
		var u *wasm.UnsupportedError
		if !errors.As(err, &u) {
			t.Errorf("%s: Instantiate = %v, want an *wasm.UnsupportedError", name, err)
		}
	}
}

func TestTrapTypes(t *testing.T) {
	mod := wasmtest.Module{Funcs: []wasmtest.Func{{Export: "boom", Code: wasmtest.Op(wasm.OpUnreachable)}}}.Bytes()
	for name, e := range engines(t) {
		inst, err := e.Instantiate(context.Background(), mod)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		_, err = inst.Call(context.Background(), "boom")
		var it *interp.Trap
		var wt *wazeroengine.TrapError
		if ok := errors.As(err, &it) || errors.As(err, &wt); !ok {
			t.Errorf("%s: Call(boom) = %v, want the engine's trap", name, err)
		}
	}
}
