package wazeroengine

import (
	"context"

	"github.com/ssprove/ssprove/runtime/wasm/engine"
)

// AsEngine puts e behind the shared engine.Engine interface. Instances it makes are
// anonymous (not registered) and are *Instance; closing the returned engine closes e.
func AsEngine(e *Engine) engine.Engine { return sharedEngine{e} }

type sharedEngine struct{ e *Engine }

func (s sharedEngine) Instantiate(ctx context.Context, wasmBytes []byte, hosts ...engine.HostModule) (engine.Instance, error) {
	hs := make([]HostModule, len(hosts))
	for k, h := range hosts {
		funcs := make(map[string]HostFunc, len(h.Funcs))
		for name, f := range h.Funcs {
			funcs[name] = HostFunc(f)
		}
		hs[k] = HostModule{Name: h.Name, Funcs: funcs}
	}
	inst, err := s.e.Instantiate(ctx, "", wasmBytes, hs...)
	if err != nil {
		return nil, err
	}
	return inst, nil
}

func (s sharedEngine) Close(ctx context.Context) error { return s.e.Close(ctx) }

var _ engine.Instance = (*Instance)(nil)
