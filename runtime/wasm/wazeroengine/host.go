package wazeroengine

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// HostModule is a module of Go functions that an instance may import from.
type HostModule struct {
	Name  string
	Funcs map[string]HostFunc
}

// HostFunc is a Go function with a WebAssembly signature. Fn gets the arguments
// and fills results (len(Results) values, pre-zeroed), as raw bits like
// Instance.Call. args and results do not overlap. An error aborts the whole call
// into the instance: Instance.Call returns an error with it in the chain, and it
// is not a trap.
type HostFunc struct {
	Params, Results []wasm.ValType
	Fn              func(ctx context.Context, args, results []uint64) error
}

// instantiate builds h as an anonymous wazero module: its name only matters to
// the import resolver, so two instances may each have their own "env".
func (h HostModule) instantiate(ctx context.Context, rt wazero.Runtime) (api.Module, error) {
	b := rt.NewHostModuleBuilder(h.Name)
	for name, f := range h.Funcs {
		params, err := valueTypes(f.Params)
		if err != nil {
			return nil, fmt.Errorf("wazeroengine: host %s.%s: %w", h.Name, name, err)
		}
		results, err := valueTypes(f.Results)
		if err != nil {
			return nil, fmt.Errorf("wazeroengine: host %s.%s: %w", h.Name, name, err)
		}
		b = b.NewFunctionBuilder().WithGoFunction(goFunction(f), params, results).Export(name)
	}
	compiled, err := b.Compile(ctx)
	if err != nil {
		return nil, fmt.Errorf("wazeroengine: host %s: %w", h.Name, err)
	}
	defer compiled.Close(ctx)
	mod, err := rt.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return nil, fmt.Errorf("wazeroengine: host %s: %w", h.Name, err)
	}
	return mod, nil
}

func goFunction(f HostFunc) api.GoFunction {
	np, nr := len(f.Params), len(f.Results)
	return api.GoFunc(func(ctx context.Context, stack []uint64) {
		// wazero passes arguments and takes results in the same slice; Fn gets
		// them apart so that writing a result cannot clobber an argument.
		buf := make([]uint64, np+nr)
		args, results := buf[:np:np], buf[np:]
		copy(args, stack[:np])
		// wazero's compiler leaves whatever its registers held above an i32;
		// the engine contract is that the high bits are zero.
		for i, t := range f.Params {
			if t == wasm.I32 {
				args[i] &= 0xFFFF_FFFF
			}
		}
		if err := f.Fn(ctx, args, results); err != nil {
			// A panic is how a wazero host function aborts the call: wazero
			// recovers it and returns err, wrapped, from the Call that entered wasm.
			panic(fmt.Errorf("host function: %w", err))
		}
		copy(stack, results)
	})
}

func valueTypes(ts []wasm.ValType) ([]api.ValueType, error) {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		switch t {
		case wasm.I32:
			out[i] = api.ValueTypeI32
		case wasm.I64:
			out[i] = api.ValueTypeI64
		default:
			return nil, fmt.Errorf("value type %#x is not i32 or i64", byte(t))
		}
	}
	return out, nil
}
