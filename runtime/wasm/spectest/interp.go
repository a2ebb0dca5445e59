package spectest

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
)

// InterpEngine runs the suite on ssprove's interpreter (package interp). Instances get
// unlimited fuel: the suite checks semantics, and the fuel rules have their own tests.
type InterpEngine struct {
	Limits wasm.Limits
	Config interp.Config // Fuel 0 means math.MaxUint64 here
}

// InterpConfig is RuntimeConfig with the interpreter as its Engine.
func InterpConfig(lim wasm.Limits) Config {
	cfg := RuntimeConfig(lim)
	cfg.Engine = &InterpEngine{Limits: lim}
	return cfg
}

// NewStore implements Engine.
func (e *InterpEngine) NewStore() (Store, error) {
	cfg := e.Config
	if cfg.Fuel == 0 {
		cfg.Fuel = math.MaxUint64
	}
	host, err := spectestHost()
	if err != nil {
		return nil, err
	}
	return &interpStore{lim: e.Limits, cfg: cfg, imports: interp.Imports{"spectest": host}}, nil
}

// spectestHost is the "spectest" module of the reference interpreter, without its float parts
// (modules that import them use float types and are refused at load).
func spectestHost() (map[string]interp.Extern, error) {
	m := map[string]interp.Extern{}
	print := func(name string, params ...wasm.ValType) error {
		f, err := interp.NewHostFunction(interp.HostFunc{Params: params,
			Fn: func(context.Context, *interp.Instance, []uint64, []uint64) error { return nil }})
		m[name] = interp.Extern{Func: f}
		return err
	}
	if err := errors.Join(print("print"), print("print_i32", wasm.I32), print("print_i64", wasm.I64),
		print("print_i32_i32", wasm.I32, wasm.I32)); err != nil {
		return nil, err
	}
	m["global_i32"] = interp.Extern{Global: &interp.Global{Type: wasm.GlobalType{Type: wasm.I32}, Value: 666}}
	m["global_i64"] = interp.Extern{Global: &interp.Global{Type: wasm.GlobalType{Type: wasm.I64}, Value: 666}}
	t, err := interp.NewTable(10, 20)
	if err != nil {
		return nil, err
	}
	m["table"] = interp.Extern{Table: t}
	mem, err := interp.NewMemory(1, 2)
	if err != nil {
		return nil, err
	}
	m["memory"] = interp.Extern{Memory: mem}
	return m, nil
}

type interpStore struct {
	lim     wasm.Limits
	cfg     interp.Config
	imports interp.Imports
}

func (s *interpStore) Instantiate(ctx context.Context, b []byte) (Instance, error) {
	m, err := wasm.Load(b, s.lim)
	if err != nil {
		return nil, err
	}
	cm, err := interp.Compile(m)
	if err != nil {
		return nil, err
	}
	inst, err := cm.Instantiate(ctx, s.imports, s.cfg)
	if err != nil {
		return nil, interpError(err)
	}
	return &interpInstance{inst: inst}, nil
}

func (s *interpStore) Register(as string, i Instance) error {
	ii, ok := i.(*interpInstance)
	if !ok {
		return fmt.Errorf("spectest: register %q: instance of another engine", as)
	}
	s.imports[as] = ii.inst.Exports()
	return nil
}

func (s *interpStore) Close() error { return nil }

type interpInstance struct{ inst *interp.Instance }

func (i *interpInstance) Invoke(ctx context.Context, field string, args []uint64) ([]uint64, error) {
	res, st, err := i.inst.Call(ctx, field, args...)
	if err != nil {
		return nil, interpError(err)
	}
	if st != interp.Done {
		return nil, fmt.Errorf("spectest: %q suspended", field)
	}
	return res, nil
}

func (i *interpInstance) Get(field string) (uint64, error) {
	x, ok := i.inst.Export(field)
	if !ok || x.Global == nil {
		return 0, fmt.Errorf("spectest: no exported global %q", field)
	}
	return x.Global.Value, nil
}

// interpError marks the interpreter's traps the way the runner tells them apart.
func interpError(err error) error {
	var t *interp.Trap
	if !errors.As(err, &t) {
		return err
	}
	if t.Code.Exhaustion() {
		return fmt.Errorf("%w: %w", ErrExhaustion, err)
	}
	return fmt.Errorf("%w: %w", ErrTrap, err)
}
