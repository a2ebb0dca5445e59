package tx

import (
	"context"
	"errors"
	"fmt"

	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/instrument"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
	"github.com/ssprove/ssprove/runtime/wasm/wazeroengine"
)

// Engine selects what runs the processes of a transaction.
type Engine int

const (
	// Wazero runs processes on wazero's compiler: the fast path for plain runs.
	Wazero Engine = iota
	// Interp runs them on ssprove's interpreter, which can trace every instruction:
	// the path the prover uses.
	Interp
	// Check runs the transaction on both and fails with ErrEngineMismatch when any
	// result, trace or final state differs.
	Check
)

func (e Engine) String() string {
	switch e {
	case Wazero:
		return "wazero"
	case Interp:
		return "interp"
	case Check:
		return "check"
	}
	return fmt.Sprintf("Engine(%d)", int(e))
}

// ParseEngine reads an engine name as String writes it.
func ParseEngine(s string) (Engine, error) {
	for _, e := range []Engine{Wazero, Interp, Check} {
		if e.String() == s {
			return e, nil
		}
	}
	return 0, fmt.Errorf("tx: unknown engine %q (want wazero, interp or check)", s)
}

// hostFn is one host function bound to the process that imports it.
type hostFn func(args, results []uint64) error

// instance is a running process as the machine sees it, whatever engine runs it.
type instance interface {
	// step calls the process's step export.
	step(ctx context.Context) error
	// memory is the process's memory, writable, invalidated by growth.
	memory() []byte
	grow(pages uint32) bool
	global(name string) uint64
	setGlobal(name string, v uint64)
	// fuel and setFuel read and set what the process may still spend.
	fuel() uint64
	setFuel(uint64)
	// outOfFuel says whether err, returned by step, is the process running out of fuel.
	outOfFuel(err error) bool
	close(ctx context.Context)
}

// backend makes instances of one engine.
type backend interface {
	instantiate(ctx context.Context, p *loaded, hosts map[string]hostFn, tracer interp.Tracer) (instance, error)
	close(ctx context.Context) error
}

// loaded is a deployed program prepared for the engines: checked, with its mutable
// globals exported so that either engine can save and restore them.
type loaded struct {
	hash    program.Hash
	info    *program.Info
	bin     []byte   // module with its mutable globals exported
	globals []string // export names of the mutable globals, in index order
	interp  *interp.Module
	metered []byte // bin with fuel metering, for wazero; made on first use
}

func load(module []byte, lim wasm.Limits) (*loaded, error) {
	info, err := program.Check(module, lim)
	if err != nil {
		return nil, err
	}
	bin, err := instrument.ExportGlobals(module)
	if err != nil {
		return nil, fmt.Errorf("export globals: %w", err)
	}
	l := &loaded{hash: info.Hash, info: info, bin: bin}
	m := info.Module
	for i, g := range m.Globals {
		if g.Type.Mutable {
			l.globals = append(l.globals, instrument.GlobalName(uint32(m.NumImportedGlobals()+i)))
		}
	}
	return l, nil
}

func hostSignature(name string) (wasm.FuncType, error) {
	t, ok := program.Imports[name]
	if !ok {
		return wasm.FuncType{}, fmt.Errorf("no host function %q", name)
	}
	return t, nil
}

// interpBackend runs processes on runtime/wasm/interp.
type interpBackend struct{ lim wasm.Limits }

func (b *interpBackend) instantiate(ctx context.Context, p *loaded, hosts map[string]hostFn, tracer interp.Tracer) (instance, error) {
	if p.interp == nil {
		m, err := interp.Load(p.bin, b.lim)
		if err != nil {
			return nil, err
		}
		p.interp = m
	}
	funcs := make(map[string]interp.Extern, len(hosts))
	for name, fn := range hosts {
		t, err := hostSignature(name)
		if err != nil {
			return nil, err
		}
		hf, err := interp.NewHostFunction(interp.HostFunc{
			Params: t.Params, Results: t.Results,
			Fn: func(_ context.Context, _ *interp.Instance, args, results []uint64) error {
				return fn(args, results)
			},
		})
		if err != nil {
			return nil, err
		}
		funcs[name] = interp.Extern{Func: hf}
	}
	inst, err := p.interp.Instantiate(ctx, interp.Imports{program.HostModule: funcs}, interp.Config{Fuel: 1, Tracer: tracer})
	if err != nil {
		return nil, err
	}
	return &interpInstance{inst: inst}, nil
}

func (b *interpBackend) close(context.Context) error { return nil }

type interpInstance struct{ inst *interp.Instance }

func (i *interpInstance) step(ctx context.Context) error {
	_, st, err := i.inst.Call(ctx, program.StepExport)
	if err == nil && st != interp.Done {
		return errors.New("step suspended") // no host function of ours suspends
	}
	return err
}

func (i *interpInstance) memory() []byte { return i.inst.Memory().Bytes() }

func (i *interpInstance) grow(pages uint32) bool { return i.inst.Memory().Grow(pages) }

func (i *interpInstance) global(name string) uint64 {
	ex, _ := i.inst.Export(name)
	return ex.Global.Value
}

func (i *interpInstance) setGlobal(name string, v uint64) {
	ex, _ := i.inst.Export(name)
	if ex.Global.Type.Type == wasm.I32 {
		v &= 0xFFFF_FFFF
	}
	ex.Global.Value = v
}

func (i *interpInstance) fuel() uint64 { return i.inst.Fuel() }

func (i *interpInstance) setFuel(f uint64) {
	cur := i.inst.Fuel()
	if f < cur {
		i.inst.UseFuel(cur - f)
	} else {
		i.inst.AddFuel(f - cur)
	}
}

func (i *interpInstance) close(context.Context) {}

func (i *interpInstance) outOfFuel(err error) bool {
	var trap *interp.Trap
	return errors.As(err, &trap) && trap.Code == interp.TrapOutOfFuel
}

// wazeroBackend runs processes on wazero, metered so that fuel means what it means on
// the interpreter. One host module serves every process: building and compiling one per
// process cost more than the rest of a transaction. A host function finds the calling
// process's bindings in the ctx of its step.
type wazeroBackend struct{ e *wazeroengine.Engine }

// hostsKey is the ctx key of the running process's host functions.
type hostsKey struct{}

func newWazeroBackend(ctx context.Context, lim wasm.Limits) (*wazeroBackend, error) {
	// Metering bounds every call, and the machine checks ctx before each step.
	e, err := wazeroengine.New(ctx, wazeroengine.Config{Compiler: true, Limits: lim, Uninterruptible: true})
	if err != nil {
		return nil, err
	}
	funcs := make(map[string]wazeroengine.HostFunc, len(program.Imports))
	for name, t := range program.Imports {
		funcs[name] = wazeroengine.HostFunc{
			Params: t.Params, Results: t.Results,
			Fn: func(ctx context.Context, args, results []uint64) error {
				return ctx.Value(hostsKey{}).(map[string]hostFn)[name](args, results)
			},
		}
	}
	if err := e.DefineHost(ctx, wazeroengine.HostModule{Name: program.HostModule, Funcs: funcs}); err != nil {
		e.Close(ctx)
		return nil, err
	}
	return &wazeroBackend{e: e}, nil
}

func (b *wazeroBackend) instantiate(ctx context.Context, p *loaded, hosts map[string]hostFn, _ interp.Tracer) (instance, error) {
	if p.metered == nil {
		m, err := instrument.Meter(p.bin)
		if err != nil {
			return nil, fmt.Errorf("meter: %w", err)
		}
		p.metered = m
	}
	inst, err := b.e.Instantiate(ctx, "", p.metered)
	if err != nil {
		return nil, err
	}
	return &wazeroInstance{inst: inst, hosts: hosts}, nil
}

func (b *wazeroBackend) close(ctx context.Context) error { return b.e.Close(ctx) }

type wazeroInstance struct {
	inst  *wazeroengine.Instance
	hosts map[string]hostFn // the process's host functions, for the shared host module
}

func (w *wazeroInstance) step(ctx context.Context) error {
	_, err := w.inst.Call(context.WithValue(ctx, hostsKey{}, w.hosts), program.StepExport)
	return err
}

func (w *wazeroInstance) memory() []byte { return w.inst.Memory() }

func (w *wazeroInstance) grow(pages uint32) bool { return w.inst.GrowMemory(pages) }

func (w *wazeroInstance) global(name string) uint64 {
	v, _ := w.inst.Global(name) // the names are the ones ExportGlobals added
	return v
}

func (w *wazeroInstance) setGlobal(name string, v uint64) { _ = w.inst.SetGlobal(name, v) }

func (w *wazeroInstance) fuel() uint64 {
	v := int64(w.global(instrument.FuelExport))
	if v < 0 {
		return 0
	}
	return uint64(v)
}

func (w *wazeroInstance) setFuel(f uint64) {
	w.setGlobal(instrument.FuelExport, f) // at most MaxFuel: Transaction.check
}

func (w *wazeroInstance) close(ctx context.Context) { _ = w.inst.Close(ctx) }

func (w *wazeroInstance) outOfFuel(err error) bool {
	var trap *wazeroengine.TrapError
	return errors.As(err, &trap) && instrument.OutOfFuel(int64(w.global(instrument.FuelExport)))
}
