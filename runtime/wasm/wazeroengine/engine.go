// Package wazeroengine runs WebAssembly modules on wazero, the second engine beside
// ssprove's own interpreter: the fast path for plain execution, and the reference
// the interpreter is checked against.
//
// wazero is configured to execute exactly what ssprove accepts. Every module goes
// through [wasm.Load] first and is refused with its error (an
// *[wasm.UnsupportedError] for floats and other features outside the subset) before
// wazero sees it; wazero's own feature set is narrowed to the same subset (MVP,
// mutable globals, sign extension, multi-value, and bulk memory for memory.copy and
// memory.fill) as a second line. There is no WASI and no start export convention:
// a module reaches the host only through the [HostModule]s it is given.
//
// Determinism is wazero's for the integer subset; what differs between engines is
// only where the call stack runs out, which is why exhaustion is its own [TrapKind].
// A context that is done closes the running module (unless Config.Uninterruptible):
// that is a backstop against a runaway host, not a metering mechanism.
package wazeroengine

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// features is the wazero counterpart of what wasm.Load accepts. Bulk memory is
// there for memory.copy and memory.fill (and the data count section); Load refuses
// its other instructions. Reference types stay off, which also keeps wazero on the
// MVP instantiation rule: all segment bounds are checked before any is written.
const features = api.CoreFeaturesV1 |
	api.CoreFeatureSignExtensionOps |
	api.CoreFeatureMultiValue |
	api.CoreFeatureBulkMemoryOperations

// maxPages is the spec's bound on a 32-bit memory: 4 GiB.
const maxPages = 65536

// Config selects how modules run.
type Config struct {
	// Compiler selects wazero's optimizing compiler; false selects its interpreter,
	// which runs on every platform.
	Compiler bool
	// MaxMemoryPages caps every memory, in 64 KiB pages: memory.grow beyond it
	// fails (returns -1), and a module whose memory starts larger is refused.
	// A module's declared maximum above the cap is lowered to it. Zero means the
	// spec's 65536 pages.
	MaxMemoryPages uint32
	// Limits bound what wasm.Load accepts; zero fields take wasm.DefaultLimits.
	Limits wasm.Limits
	// Uninterruptible stops a done context from closing a running module, which
	// costs wazero a goroutine per call. Only for modules that bound themselves,
	// such as those metered by runtime/wasm/instrument: the context is then seen
	// only when a call starts.
	Uninterruptible bool
}

// Engine is a wazero runtime with a namespace of instances that modules may import
// from. It is not safe for concurrent use.
type Engine struct {
	rt     wazero.Runtime
	limits wasm.Limits
	// names are the module names imports resolve against. wazero's own registry
	// is not used: every wazero instance is anonymous, so that a name can be bound
	// after instantiation (Register) and rebound, as the spec's register allows.
	names map[string]api.Module
	// modules keeps every module loaded so far, by the SHA-256 of its bytes, until
	// Close.
	modules map[[32]byte]*loaded
}

// New starts an engine. ctx is only used while starting it.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	pages := cfg.MaxMemoryPages
	switch {
	case pages == 0:
		pages = maxPages
	case pages > maxPages:
		return nil, fmt.Errorf("wazeroengine: memory cap %d pages is over the spec's %d", pages, maxPages)
	}
	var rc wazero.RuntimeConfig
	if cfg.Compiler {
		rc = wazero.NewRuntimeConfigCompiler()
	} else {
		rc = wazero.NewRuntimeConfigInterpreter()
	}
	rc = rc.WithCoreFeatures(features).
		WithMemoryLimitPages(pages).
		WithCloseOnContextDone(!cfg.Uninterruptible)
	return &Engine{
		rt:      wazero.NewRuntimeWithConfig(ctx, rc),
		limits:  cfg.Limits,
		names:   make(map[string]api.Module),
		modules: make(map[[32]byte]*loaded),
	}, nil
}

// Close releases every instance and host module of the engine.
func (e *Engine) Close(ctx context.Context) error {
	if err := e.rt.Close(ctx); err != nil {
		return fmt.Errorf("wazeroengine: close: %w", err)
	}
	return nil
}

// Instantiate loads wasmBytes with wasm.Load, links its imports, initializes its
// segments and runs its start function.
//
// Imports resolve first against hosts, then against the instances registered in
// the engine; a name found in neither is a link error. hosts are private to this
// instance. A non-empty name registers the new instance under it, as Register does.
//
// Errors: those of wasm.Load unchanged in the chain (*wasm.UnsupportedError…);
// ErrUnknownModule for an import from a module name nobody provides; a *TrapError
// when a segment is out of bounds or the start function traps; any other error is
// a link or resource error.
func (e *Engine) Instantiate(ctx context.Context, name string, wasmBytes []byte, hosts ...HostModule) (*Instance, error) {
	mod, err := e.load(ctx, wasmBytes)
	if err != nil {
		return nil, err
	}
	m := mod.m
	local := make(map[string]api.Module, len(hosts))
	for _, h := range hosts {
		local[h.Name] = nil
	}
	for _, im := range m.Imports {
		if _, ok := local[im.Module]; !ok && e.names[im.Module] == nil {
			return nil, fmt.Errorf("wazeroengine: import %s.%s: %w", im.Module, im.Name, ErrUnknownModule)
		}
	}
	// wazero's Memory() of a module without one is a typed nil, so remember it here.
	inst := &Instance{hasMem: len(m.Memories) > 0 || importsMemory(m)}
	for _, h := range hosts {
		mod, err := h.instantiate(ctx, e.rt)
		if err != nil {
			inst.closeHosts(ctx)
			return nil, err
		}
		inst.hosts = append(inst.hosts, mod)
		local[h.Name] = mod
	}
	resolve := func(module string) api.Module {
		if m, ok := local[module]; ok {
			return m
		}
		return e.names[module] // nil for an unknown name: wazero reports it
	}
	mc := wazero.NewModuleConfig().WithName("").WithStartFunctions()
	wm, err := e.rt.InstantiateModule(experimental.WithImportResolver(ctx, resolve), mod.compiled, mc)
	if err != nil {
		inst.closeHosts(ctx)
		if trap := instantiationTrap(err); trap != nil {
			return nil, fmt.Errorf("wazeroengine: instantiate: %w", trap)
		}
		return nil, fmt.Errorf("wazeroengine: instantiate: %w", err)
	}
	inst.mod = wm
	if name != "" {
		e.names[name] = wm
	}
	return inst, nil
}

// loaded is a module as Load accepted it and wazero compiled it.
type loaded struct {
	m        *wasm.Module
	compiled wazero.CompiledModule
}

// load loads and compiles wasmBytes once per engine: a Starstream transaction
// instantiates the same programs over and over, and loading and compiling dominate
// instantiation. Errors: wasm.Load's, or a compile error (a *TrapError for an element
// segment out of its table's bounds).
func (e *Engine) load(ctx context.Context, wasmBytes []byte) (*loaded, error) {
	key := sha256.Sum256(wasmBytes)
	if l, ok := e.modules[key]; ok {
		return l, nil
	}
	m, err := wasm.Load(wasmBytes, e.limits)
	if err != nil {
		return nil, fmt.Errorf("wazeroengine: %w", err)
	}
	c, err := e.rt.CompileModule(ctx, wasmBytes)
	if err != nil {
		// With reference types off, wazero checks element segments against
		// the module's own tables when compiling.
		if trap := instantiationTrap(err); trap != nil {
			return nil, fmt.Errorf("wazeroengine: instantiate: %w", trap)
		}
		return nil, fmt.Errorf("wazeroengine: compile: %w", err)
	}
	l := &loaded{m: m, compiled: c}
	e.modules[key] = l
	return l, nil
}

// DefineHost instantiates h once and makes it importable under h.Name by every
// module instantiated after it, as Register does for instances. Its functions are
// shared: when callers must be told apart, they do it through the ctx given to Call,
// which reaches every host function.
func (e *Engine) DefineHost(ctx context.Context, h HostModule) error {
	mod, err := h.instantiate(ctx, e.rt)
	if err != nil {
		return err
	}
	e.names[h.Name] = mod
	return nil
}

// Register makes inst's exports importable under name by the modules instantiated
// after it. Registering a name again rebinds it; instances already linked keep
// what they imported.
func (e *Engine) Register(name string, inst *Instance) error {
	if inst == nil || inst.mod == nil {
		return errors.New("wazeroengine: register: no instance")
	}
	e.names[name] = inst.mod
	return nil
}

// Instance is an instantiated module. It is not safe for concurrent use.
type Instance struct {
	hasMem bool
	mod    api.Module
	hosts  []api.Module
	// funcs keeps the exports called so far: wazero's ExportedFunction builds a new
	// call engine, stack included, every time it is asked.
	funcs map[string]api.Function
}

// Call calls the exported function export. Values are raw bits: an i32 in the low
// 32 bits with the high bits zero, as ssprove's interpreter returns it, an i64 as
// is. A trap is a *TrapError; an error returned by a host
// function is in the chain as the host returned it; a done ctx gives an error
// wrapping ctx's error and leaves the instance closed.
func (i *Instance) Call(ctx context.Context, export string, args ...uint64) ([]uint64, error) {
	fn := i.funcs[export]
	if fn == nil {
		if fn = i.mod.ExportedFunction(export); fn == nil {
			return nil, fmt.Errorf("wazeroengine: call %q: %w", export, ErrNotExported)
		}
		if i.funcs == nil {
			i.funcs = make(map[string]api.Function)
		}
		i.funcs[export] = fn
	}
	res, err := fn.Call(ctx, args...)
	if err != nil {
		if trap := callTrap(err); trap != nil {
			err = trap
		}
		return nil, fmt.Errorf("wazeroengine: call %q: %w", export, err)
	}
	// wazero's compiler may leave junk above an i32 result; clear it so both
	// engines return the same words.
	for k, t := range fn.Definition().ResultTypes() {
		if t == api.ValueTypeI32 {
			res[k] &= 0xFFFF_FFFF
		}
	}
	return res, nil
}

// Memory returns the instance's memory (exported or not), or nil when it has none.
// The slice is a view, not a copy: it sees later writes, writing to it writes the
// memory, and it becomes stale when the memory grows.
func (i *Instance) Memory() []byte {
	if !i.hasMem {
		return nil
	}
	mem := i.mod.Memory()
	if mem == nil {
		return nil
	}
	b, _ := mem.Read(0, mem.Size()) // the whole memory is always in range
	return b
}

// Global returns the value of the exported global name, as raw bits.
func (i *Instance) Global(name string) (uint64, error) {
	g := i.mod.ExportedGlobal(name)
	if g == nil {
		return 0, fmt.Errorf("wazeroengine: global %q: %w", name, ErrNotExported)
	}
	if g.Type() == api.ValueTypeI32 {
		return g.Get() & 0xFFFF_FFFF, nil
	}
	return g.Get(), nil
}

// SetGlobal sets the exported mutable global name to v (raw bits; an i32 takes the low
// 32 bits).
func (i *Instance) SetGlobal(name string, v uint64) error {
	g := i.mod.ExportedGlobal(name)
	if g == nil {
		return fmt.Errorf("wazeroengine: global %q: %w", name, ErrNotExported)
	}
	mg, ok := g.(api.MutableGlobal)
	if !ok {
		return fmt.Errorf("wazeroengine: global %q is immutable", name)
	}
	if g.Type() == api.ValueTypeI32 {
		v &= 0xFFFF_FFFF
	}
	mg.Set(v)
	return nil
}

// GrowMemory adds n pages to the instance's memory, as memory.grow would, and reports
// whether it could.
func (i *Instance) GrowMemory(n uint32) bool {
	if !i.hasMem {
		return false
	}
	mem := i.mod.Memory()
	if mem == nil {
		return false
	}
	_, ok := mem.Grow(n)
	return ok
}

// Close releases the instance and its host modules. Instances that imported from
// it must not be used afterwards.
func (i *Instance) Close(ctx context.Context) error {
	err := i.mod.Close(ctx)
	i.closeHosts(ctx)
	if err != nil {
		return fmt.Errorf("wazeroengine: close instance: %w", err)
	}
	return nil
}

// closeHosts releases the instance's host modules. Their Close cannot fail in a
// way the caller could act on: they hold no resources besides memory.
func (i *Instance) closeHosts(ctx context.Context) {
	for _, h := range i.hosts {
		_ = h.Close(ctx)
	}
	i.hosts = nil
}

// ErrUnknownModule is wrapped by Instantiate when an import names a module that
// is neither among its host modules nor registered.
var ErrUnknownModule = errors.New("unknown import module")

// ErrNotExported is wrapped by Call and Global when the instance exports no
// function or global of that name.
var ErrNotExported = errors.New("not exported")

func importsMemory(m *wasm.Module) bool {
	for _, im := range m.Imports {
		if im.Kind == wasm.ExternMemory {
			return true
		}
	}
	return false
}
