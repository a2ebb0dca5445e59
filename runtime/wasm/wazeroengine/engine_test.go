package wazeroengine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/wazeroengine"
)

// module assembles a binary module from its sections, each given as id and
// content (under 128 bytes, so that the size is one LEB128 byte).
func module(sections ...[]byte) []byte {
	b := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	for _, s := range sections {
		b = append(b, s[0], byte(len(s)-1))
		b = append(b, s[1:]...)
	}
	return b
}

func name(s string) []byte { return append([]byte{byte(len(s))}, s...) }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// testModule imports env.double (i32)->i32 as function 0 and exports one
// function per behaviour under test, a memory of one page and a global g = 7.
var testModule = module(
	[]byte{1, 3, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 0, 0},
	cat([]byte{2, 1}, name("env"), name("double"), []byte{0x00, 0}),
	[]byte{3, 7, 1, 0, 2, 1, 0, 2, 0},
	[]byte{5, 1, 0x00, 1},
	[]byte{6, 1, 0x7f, 0x01, 0x41, 7, 0x0b},
	cat([]byte{7, 9},
		name("add"), []byte{0, 1}, name("call_host"), []byte{0, 2},
		name("unreachable"), []byte{0, 3}, name("div"), []byte{0, 4},
		name("load"), []byte{0, 5}, name("recurse"), []byte{0, 6},
		name("grow"), []byte{0, 7}, name("mem"), []byte{2, 0}, name("g"), []byte{3, 0}),
	cat([]byte{10, 7},
		[]byte{7, 0, 0x20, 0, 0x20, 1, 0x6a, 0x0b}, // local.get 0, local.get 1, i32.add
		[]byte{6, 0, 0x20, 0, 0x10, 0, 0x0b},       // call env.double
		[]byte{3, 0, 0x00, 0x0b},                   // unreachable
		[]byte{7, 0, 0x20, 0, 0x20, 1, 0x6d, 0x0b}, // i32.div_s
		[]byte{7, 0, 0x20, 0, 0x28, 2, 0, 0x0b},    // i32.load
		[]byte{4, 0, 0x10, 6, 0x0b},                // call recurse
		[]byte{6, 0, 0x20, 0, 0x40, 0, 0x0b}),      // memory.grow
)

func double(err error) wazeroengine.HostModule {
	return wazeroengine.HostModule{Name: "env", Funcs: map[string]wazeroengine.HostFunc{
		"double": {
			Params:  []wasm.ValType{wasm.I32},
			Results: []wasm.ValType{wasm.I32},
			Fn: func(_ context.Context, args, results []uint64) error {
				results[0] = uint64(uint32(args[0]) * 2)
				return err
			},
		},
	}}
}

func forEachEngine(t *testing.T, cfg wazeroengine.Config, f func(t *testing.T, e *wazeroengine.Engine)) {
	for _, compiler := range []bool{true, false} {
		cfg.Compiler = compiler
		t.Run(map[bool]string{true: "compiler", false: "interpreter"}[compiler], func(t *testing.T) {
			ctx := context.Background()
			e, err := wazeroengine.New(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := e.Close(ctx); err != nil {
					t.Error(err)
				}
			})
			f(t, e)
		})
	}
}

func instantiate(t *testing.T, e *wazeroengine.Engine, host wazeroengine.HostModule) *wazeroengine.Instance {
	t.Helper()
	inst, err := e.Instantiate(context.Background(), "", testModule, host)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestCallAndHost(t *testing.T) {
	forEachEngine(t, wazeroengine.Config{}, func(t *testing.T, e *wazeroengine.Engine) {
		ctx := context.Background()
		inst := instantiate(t, e, double(nil))
		if got, err := inst.Call(ctx, "add", 40, 2); err != nil || len(got) != 1 || uint32(got[0]) != 42 {
			t.Errorf("add(40, 2) = %v, %v; want [42]", got, err)
		}
		if got, err := inst.Call(ctx, "call_host", 21); err != nil || len(got) != 1 || uint32(got[0]) != 42 {
			t.Errorf("call_host(21) = %v, %v; want [42]", got, err)
		}
		if g, err := inst.Global("g"); err != nil || g != 7 {
			t.Errorf("Global(g) = %d, %v; want 7", g, err)
		}
		if n := len(inst.Memory()); n != 65536 {
			t.Errorf("len(Memory()) = %d, want one page", n)
		}
		if _, err := inst.Call(ctx, "nope"); !errors.Is(err, wazeroengine.ErrNotExported) {
			t.Errorf("Call(nope) = %v, want ErrNotExported", err)
		}
	})
}

func TestHostError(t *testing.T) {
	errHost := errors.New("host refused")
	forEachEngine(t, wazeroengine.Config{}, func(t *testing.T, e *wazeroengine.Engine) {
		inst := instantiate(t, e, double(errHost))
		_, err := inst.Call(context.Background(), "call_host", 1)
		var trap *wazeroengine.TrapError
		if !errors.Is(err, errHost) || errors.As(err, &trap) {
			t.Errorf("call_host = %v, want the host's error and no trap", err)
		}
	})
}

func TestTraps(t *testing.T) {
	forEachEngine(t, wazeroengine.Config{}, func(t *testing.T, e *wazeroengine.Engine) {
		inst := instantiate(t, e, double(nil))
		for _, tc := range []struct {
			export string
			args   []uint64
			want   wazeroengine.TrapKind
		}{
			{"unreachable", nil, wazeroengine.TrapUnreachable},
			{"div", []uint64{1, 0}, wazeroengine.TrapDivideByZero},
			{"div", []uint64{0x80000000, 0xffffffff}, wazeroengine.TrapIntegerOverflow},
			{"load", []uint64{65534}, wazeroengine.TrapMemoryOutOfBounds},
			{"recurse", nil, wazeroengine.TrapStackExhausted},
		} {
			_, err := inst.Call(context.Background(), tc.export, tc.args...)
			var trap *wazeroengine.TrapError
			if !errors.As(err, &trap) || trap.Kind != tc.want {
				t.Errorf("%s%v: got %v, want trap %v", tc.export, tc.args, err, tc.want)
			}
		}
	})
}

func TestInstantiationTrap(t *testing.T) {
	// One page of memory and a data segment at 65536.
	oob := module(
		[]byte{5, 1, 0x00, 1},
		[]byte{11, 1, 0, 0x41, 0x80, 0x80, 0x04, 0x0b, 1, 'x'},
	)
	forEachEngine(t, wazeroengine.Config{}, func(t *testing.T, e *wazeroengine.Engine) {
		_, err := e.Instantiate(context.Background(), "", oob)
		var trap *wazeroengine.TrapError
		if !errors.As(err, &trap) || trap.Kind != wazeroengine.TrapMemoryOutOfBounds {
			t.Errorf("Instantiate = %v, want an out-of-bounds trap", err)
		}
	})
}

func TestMemoryCap(t *testing.T) {
	forEachEngine(t, wazeroengine.Config{MaxMemoryPages: 2}, func(t *testing.T, e *wazeroengine.Engine) {
		inst := instantiate(t, e, double(nil))
		for i, want := range []uint32{1, 0xffffffff} {
			got, err := inst.Call(context.Background(), "grow", 1)
			if err != nil || uint32(got[0]) != want {
				t.Errorf("grow #%d = %v, %v; want %#x", i, got, err, want)
			}
		}
	})
	if _, err := wazeroengine.New(context.Background(), wazeroengine.Config{MaxMemoryPages: 65537}); err == nil {
		t.Error("New accepted a cap over 65536 pages")
	}
}

func TestRefusedBeforeWazero(t *testing.T) {
	// A function type with an f32 parameter: valid WebAssembly that wazero runs,
	// but outside ssprove's subset.
	floats := module([]byte{1, 1, 0x60, 1, 0x7d, 0})
	forEachEngine(t, wazeroengine.Config{}, func(t *testing.T, e *wazeroengine.Engine) {
		_, err := e.Instantiate(context.Background(), "", floats)
		var u *wasm.UnsupportedError
		if !errors.As(err, &u) || u.Feature != wasm.FeatureFloats {
			t.Errorf("Instantiate = %v, want an UnsupportedError for floats", err)
		}
	})
}

func TestLinking(t *testing.T) {
	forEachEngine(t, wazeroengine.Config{}, func(t *testing.T, e *wazeroengine.Engine) {
		ctx := context.Background()
		// Without env, the import cannot resolve.
		if _, err := e.Instantiate(ctx, "", testModule); !errors.Is(err, wazeroengine.ErrUnknownModule) {
			t.Errorf("Instantiate without env = %v, want ErrUnknownModule", err)
		}
		// An instance registered as env provides it: its call_host is (i32)->i32.
		provider := instantiate(t, e, double(nil))
		if err := e.Register("env", provider); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Instantiate(ctx, "", testModule); err == nil {
			t.Error("Instantiate linked env.double, which the provider does not export")
		}
	})
}

type factorKey struct{}

// TestDefineHost: one host module serves every instance that imports it, and tells its
// callers apart through the ctx of their Call.
func TestDefineHost(t *testing.T) {
	forEachEngine(t, wazeroengine.Config{Uninterruptible: true}, func(t *testing.T, e *wazeroengine.Engine) {
		ctx := context.Background()
		err := e.DefineHost(ctx, wazeroengine.HostModule{Name: "env", Funcs: map[string]wazeroengine.HostFunc{
			"double": {
				Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32},
				Fn: func(ctx context.Context, args, results []uint64) error {
					results[0] = uint64(uint32(args[0]) * ctx.Value(factorKey{}).(uint32))
					return nil
				},
			},
		}})
		if err != nil {
			t.Fatal(err)
		}
		for _, factor := range []uint32{2, 3} {
			inst, err := e.Instantiate(ctx, "", testModule)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second call reuses the export wazeroengine kept
				got, err := inst.Call(context.WithValue(ctx, factorKey{}, factor), "call_host", 7)
				if err != nil || len(got) != 1 || uint32(got[0]) != 7*factor {
					t.Errorf("call_host(7) with factor %d = %v, %v", factor, got, err)
				}
			}
		}
	})
}
