package interp

import (
	"context"
	"errors"
	"fmt"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/engine"
)

// NewEngine is the interpreter behind the shared engine.Engine interface. Every instance
// it makes is loaded with lim and instantiated with cfg (cfg.Fuel is required, as for
// Instantiate; each instance has its own budget). Instances it returns are
// *EngineInstance, whose Interp gives the interpreter's own API (Fuel...).
//
// A host function cannot suspend through this interface: a call whose host function
// returns ErrSuspend fails with an error, and the instance is then left suspended.
func NewEngine(lim wasm.Limits, cfg Config) engine.Engine {
	return &interpEngine{lim: lim, cfg: cfg}
}

type interpEngine struct {
	lim wasm.Limits
	cfg Config
}

func (e *interpEngine) Instantiate(ctx context.Context, bin []byte, hosts ...engine.HostModule) (engine.Instance, error) {
	m, err := Load(bin, e.lim)
	if err != nil {
		return nil, err
	}
	imports := make(Imports, len(hosts))
	for _, h := range hosts {
		mod := make(map[string]Extern, len(h.Funcs))
		for name, f := range h.Funcs {
			fn, err := NewHostFunction(hostFunc(f))
			if err != nil {
				return nil, fmt.Errorf("interp: host %s.%s: %w", h.Name, name, err)
			}
			mod[name] = Extern{Func: fn}
		}
		imports[h.Name] = mod
	}
	inst, err := m.Instantiate(ctx, imports, e.cfg)
	if err != nil {
		return nil, err
	}
	return &EngineInstance{inst: inst}, nil
}

// Close does nothing: the interpreter holds nothing but memory.
func (e *interpEngine) Close(context.Context) error { return nil }

// hostFunc adapts f to the interpreter, giving it arguments and pre-zeroed results that do
// not overlap, as engine.HostFunc promises.
func hostFunc(f engine.HostFunc) HostFunc {
	np, nr := len(f.Params), len(f.Results)
	h := HostFunc{Params: f.Params, Results: f.Results}
	if f.Fn != nil {
		h.Fn = func(ctx context.Context, _ *Instance, args, results []uint64) error {
			buf := make([]uint64, np+nr)
			a, r := buf[:np:np], buf[np:]
			copy(a, args)
			if err := f.Fn(ctx, a, r); err != nil {
				return err
			}
			copy(results, r)
			return nil
		}
	}
	return h
}

// EngineInstance is an interpreter instance behind the engine.Instance interface.
type EngineInstance struct {
	inst *Instance
}

// Interp is the interpreter instance, for what the shared interface does not cover.
func (i *EngineInstance) Interp() *Instance { return i.inst }

// Call calls export; a call that suspends is an error.
func (i *EngineInstance) Call(ctx context.Context, export string, args ...uint64) ([]uint64, error) {
	res, st, err := i.inst.Call(ctx, export, args...)
	if err != nil {
		return nil, err
	}
	if st == Suspended {
		return nil, errors.New("interp: call suspended, which engine.Instance does not support")
	}
	return res, nil
}

// Memory is the memory's content, or nil when the instance has none.
func (i *EngineInstance) Memory() []byte {
	if m := i.inst.Memory(); m != nil {
		return m.Bytes()
	}
	return nil
}

// Global is the value of the exported global name.
func (i *EngineInstance) Global(name string) (uint64, error) {
	x, ok := i.inst.Export(name)
	if !ok || x.Global == nil {
		return 0, fmt.Errorf("interp: no exported global %q", name)
	}
	return x.Global.Value, nil
}
