package interp

import (
	"context"
	"math"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
)

// compileModule loads, validates and compiles tm.
func compileModule(t testing.TB, tm wasmtest.Module) *Module {
	t.Helper()
	m, err := wasm.Load(tm.Bytes(), wasm.DefaultLimits())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	cm, err := Compile(m)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return cm
}

// instantiate compiles tm and instantiates it with cfg (unlimited fuel when zero) and imports.
func instantiate(t testing.TB, tm wasmtest.Module, cfg Config, imports Imports) *Instance {
	t.Helper()
	if cfg.Fuel == 0 {
		cfg.Fuel = math.MaxUint64
	}
	inst, err := compileModule(t, tm).Instantiate(context.Background(), imports, cfg)
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	return inst
}
