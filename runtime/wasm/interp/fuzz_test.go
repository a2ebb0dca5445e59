package interp

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
)

// FuzzRun loads, compiles, instantiates and calls every export of arbitrary modules with zero
// arguments, under small limits: whatever the input, the result is values, a trap or an error,
// never a panic or a hang.
func FuzzRun(f *testing.F) {
	for _, tm := range []wasmtest.Module{fuelProgram(), wasmtest.FNV(nil), wasmtest.Sort([]int32{3, -1, 2})} {
		f.Add(tm.Bytes())
	}
	// The spec suite's modules, where present, reach far more of the interpreter.
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "..", "shared", "testdata", "wasm-spec", "json", "*.wasm"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := wasm.Load(b, wasm.DefaultLimits())
		if err != nil {
			return
		}
		cm, err := Compile(m)
		if err != nil {
			t.Fatalf("validated module does not compile: %v", err)
		}
		imports := Imports{}
		for _, im := range m.Imports {
			if im.Kind != wasm.ExternFunc {
				return
			}
			ft := m.Types[im.TypeIndex]
			h, err := NewHostFunction(HostFunc{Params: ft.Params, Results: ft.Results,
				Fn: func(context.Context, *Instance, []uint64, []uint64) error { return nil }})
			if err != nil {
				t.Fatal(err)
			}
			if imports[im.Module] == nil {
				imports[im.Module] = map[string]Extern{}
			}
			imports[im.Module][im.Name] = Extern{Func: h}
		}
		ctx := context.Background()
		inst, err := cm.Instantiate(ctx, imports, Config{Fuel: 20_000, MaxCallDepth: 100, MaxStack: 1 << 12, MaxMemoryPages: 4})
		if err != nil {
			return
		}
		for _, e := range m.Exports {
			if e.Kind == wasm.ExternFunc {
				ft, _ := m.FuncType(e.Index)
				_, _, _ = inst.Call(ctx, e.Name, make([]uint64, len(ft.Params))...)
			}
		}
	})
}
