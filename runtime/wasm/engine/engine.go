package engine

import (
	"context"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// HostFunc is a Go function with a WebAssembly signature. Fn gets the arguments and fills
// results (len(Results) values, pre-zeroed), as raw words. args and results do not overlap
// and are only valid during the call. An error aborts the whole call into the instance:
// Instance.Call returns an error with it in the chain.
type HostFunc struct {
	Params, Results []wasm.ValType
	Fn              func(ctx context.Context, args, results []uint64) error
}

// HostModule is a named module of host functions that an instance may import from.
type HostModule struct {
	Name  string
	Funcs map[string]HostFunc
}

// Engine instantiates modules. An Engine and its instances are not safe for concurrent use.
type Engine interface {
	// Instantiate loads wasm (refusing, with wasm.Load's error, what ssprove does not
	// support), links its imports against hosts, initializes its segments and runs its
	// start function. hosts are private to the new instance.
	Instantiate(ctx context.Context, wasm []byte, hosts ...HostModule) (Instance, error)
	// Close releases the engine and every instance it made.
	Close(ctx context.Context) error
}

// Instance is an instantiated module.
type Instance interface {
	// Call calls the exported function export with args and returns its results, as
	// raw words.
	Call(ctx context.Context, export string, args ...uint64) ([]uint64, error)
	// Memory is the instance's memory, or nil when it has none. It is a view that
	// growth invalidates: callers must not write to it or keep it across calls.
	Memory() []byte
	// Global is the value of the exported global name, as a raw word.
	Global(name string) (uint64, error)
}
