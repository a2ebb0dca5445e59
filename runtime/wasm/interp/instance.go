package interp

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// Config bounds what an instance may use. Zero limits take the defaults below; Fuel has no
// default, because an unmetered run must be asked for (math.MaxUint64 is as good as unlimited).
type Config struct {
	Fuel           uint64 // budget for the instance's whole life, start function included; required
	MaxCallDepth   int    // frames; default 10 000
	MaxStack       int    // value-stack slots (8 bytes each), locals included; default 1 << 20
	MaxMemoryPages uint32 // host cap on any memory the module defines; default 1024 (64 MiB)
	Tracer         Tracer // receives every executed instruction; nil: no tracing, at no cost
}

func (c Config) withDefaults() (Config, error) {
	if c.Fuel == 0 {
		return c, errors.New("interp: Config.Fuel is zero; set a budget (math.MaxUint64 for none)")
	}
	return c.withLimits(), nil
}

// withLimits fills in the default limits, leaving Fuel alone.
func (c Config) withLimits() Config {
	if c.MaxCallDepth <= 0 {
		c.MaxCallDepth = 10_000
	}
	if c.MaxStack <= 0 {
		c.MaxStack = 1 << 20
	}
	if c.MaxMemoryPages == 0 {
		c.MaxMemoryPages = 1024
	}
	return c
}

// Status says how a call ended.
type Status int

const (
	Done      Status = iota // the function returned
	Suspended               // a host function asked to suspend; the call is stopped, not unwound
)

// maxReentry bounds how deeply calls through other instances may nest back into this one:
// those go through Go's stack, which must not be exhausted by a module.
const maxReentry = 64

// frame is a call in progress: fn indexes Module.funcs, pc is the next instruction to run
// (saved only while the frame is not the innermost), base is the stack slot of local 0.
type frame struct {
	fn, pc, base uint32
}

// Instance is an instantiated module. It is not safe for concurrent use.
type Instance struct {
	mod     *Module
	cfg     Config
	funcs   []*Function // index space: imports first
	globals []*Global
	memory  *Memory // nil when the module has none
	table   *Table  // nil when the module has none
	exports map[string]Extern

	stack     []uint64
	sp        int
	frames    []frame
	fuel      uint64
	reentry   int
	suspended bool
	tracer    *tracing // nil when untraced
	// While suspended: entry is the function Call was called with, pending the host function
	// that suspended and pendingArgs its arguments.
	entry       *Function
	pending     *Function
	pendingArgs []uint64
}

// Instantiate links m against imports, initializes globals, tables and memory, and runs the
// start function. A trap there (an out-of-bounds segment, the start function) is returned as
// a *Trap; anything that does not link is another error.
func (m *Module) Instantiate(ctx context.Context, imports Imports, cfg Config) (*Instance, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	inst, err := m.newInstance(imports, cfg)
	if err != nil {
		return nil, err
	}
	if err := inst.initSegments(); err != nil {
		return nil, err
	}
	if wm := m.m; wm.HasStart {
		if uint64(wm.Start) >= uint64(len(inst.funcs)) {
			return nil, fmt.Errorf("interp: unknown start function %d", wm.Start)
		}
		st, err := inst.call(ctx, inst.funcs[wm.Start], nil)
		if err != nil {
			return nil, fmt.Errorf("interp: start function: %w", err)
		}
		if st == Suspended {
			return nil, errors.New("interp: start function suspended, which is not supported")
		}
	}
	return inst, nil
}

// newInstance links m against imports and makes its globals, table, memory and exports in
// their initial state, segments not applied.
func (m *Module) newInstance(imports Imports, cfg Config) (*Instance, error) {
	wm := m.m
	inst := &Instance{mod: m, cfg: cfg, fuel: cfg.Fuel, exports: make(map[string]Extern, len(wm.Exports)),
		stack: make([]uint64, min(1024, cfg.MaxStack))}
	if cfg.Tracer != nil {
		inst.tracer = &tracing{sink: cfg.Tracer}
	}
	if err := inst.link(imports); err != nil {
		return nil, err
	}
	for i := range wm.Funcs {
		inst.funcs = append(inst.funcs, &Function{typ: wm.Types[wm.Funcs[i].TypeIndex], sig: m.sigs[wm.Funcs[i].TypeIndex], inst: inst, idx: i})
	}
	for _, g := range wm.Globals {
		v, err := inst.constExpr(g.Init)
		if err != nil {
			return nil, err
		}
		inst.globals = append(inst.globals, &Global{Type: g.Type, Value: v})
	}
	for _, t := range wm.Tables {
		inst.table = &Table{elems: make([]*Function, t.Limits.Min), declMax: t.Limits.Max, hasDeclMax: t.Limits.HasMax}
	}
	for _, mt := range wm.Memories {
		if mt.Limits.Min > cfg.MaxMemoryPages {
			return nil, fmt.Errorf("interp: memory of %d pages exceeds the host cap of %d", mt.Limits.Min, cfg.MaxMemoryPages)
		}
		mx := cfg.MaxMemoryPages
		if mt.Limits.HasMax {
			mx = min(mx, mt.Limits.Max)
		}
		inst.memory = &Memory{bytes: make([]byte, int(mt.Limits.Min)*PageSize), max: mx, declMax: mt.Limits.Max, hasDeclMax: mt.Limits.HasMax}
	}
	for _, e := range wm.Exports {
		x, err := inst.extern(e.Kind, e.Index)
		if err != nil {
			return nil, fmt.Errorf("interp: export %q: %w", e.Name, err)
		}
		inst.exports[e.Name] = x
	}
	return inst, nil
}

func (inst *Instance) link(imports Imports) error {
	wm := inst.mod.m
	for _, im := range wm.Imports {
		x, ok := imports[im.Module][im.Name]
		where := fmt.Sprintf("interp: import %s.%s", im.Module, im.Name)
		if !ok {
			return fmt.Errorf("%s: unknown import", where)
		}
		switch im.Kind {
		case wasm.ExternFunc:
			if x.Func == nil {
				return fmt.Errorf("%s: incompatible import type: not a function", where)
			}
			if uint64(im.TypeIndex) >= uint64(len(wm.Types)) || x.Func.sig != inst.mod.sigs[im.TypeIndex] {
				return fmt.Errorf("%s: incompatible import type: function signature differs", where)
			}
			inst.funcs = append(inst.funcs, x.Func)
		case wasm.ExternGlobal:
			if x.Global == nil || x.Global.Type != im.Global {
				return fmt.Errorf("%s: incompatible import type: not a global of type %v", where, im.Global)
			}
			inst.globals = append(inst.globals, x.Global)
		case wasm.ExternMemory:
			if x.Memory == nil || !limitsMatch(x.Memory.Pages(), x.Memory.declMax, x.Memory.hasDeclMax, im.Memory.Limits) {
				return fmt.Errorf("%s: incompatible import type: not a memory within %+v", where, im.Memory.Limits)
			}
			inst.memory = x.Memory
		case wasm.ExternTable:
			if x.Table == nil || !limitsMatch(uint32(len(x.Table.elems)), x.Table.declMax, x.Table.hasDeclMax, im.Table.Limits) {
				return fmt.Errorf("%s: incompatible import type: not a table within %+v", where, im.Table.Limits)
			}
			inst.table = x.Table
		default:
			return fmt.Errorf("%s: unknown import kind %d", where, im.Kind)
		}
	}
	return nil
}

// limitsMatch is the spec's import subtyping on limits: at least the minimum asked for, and a
// maximum at most the one asked for, if one is.
func limitsMatch(size, max uint32, hasMax bool, want wasm.SizeLimits) bool {
	if size < want.Min {
		return false
	}
	return !want.HasMax || (hasMax && max <= want.Max)
}

func (inst *Instance) extern(k wasm.ExternKind, idx uint32) (Extern, error) {
	switch {
	case k == wasm.ExternFunc && uint64(idx) < uint64(len(inst.funcs)):
		return Extern{Func: inst.funcs[idx]}, nil
	case k == wasm.ExternGlobal && uint64(idx) < uint64(len(inst.globals)):
		return Extern{Global: inst.globals[idx]}, nil
	case k == wasm.ExternMemory && idx == 0 && inst.memory != nil:
		return Extern{Memory: inst.memory}, nil
	case k == wasm.ExternTable && idx == 0 && inst.table != nil:
		return Extern{Table: inst.table}, nil
	}
	return Extern{}, fmt.Errorf("unknown %v index %d", k, idx)
}

func (inst *Instance) constExpr(e wasm.ConstExpr) (uint64, error) {
	if len(e.Instrs) != 1 {
		return 0, fmt.Errorf("interp: constant expression at offset %#x is not one instruction", e.Offset)
	}
	switch c := e.Instrs[0]; c.Op {
	case wasm.OpI32Const:
		return uint64(uint32(c.Value)), nil
	case wasm.OpI64Const:
		return uint64(c.Value), nil
	case wasm.OpGlobalGet:
		if c.Value < 0 || c.Value >= int64(len(inst.globals)) {
			return 0, fmt.Errorf("interp: constant expression at offset %#x: unknown global %d", c.Offset, c.Value)
		}
		return inst.globals[c.Value].Value, nil
	}
	return 0, fmt.Errorf("interp: constant expression at offset %#x: unsupported instruction", e.Offset)
}

// initSegments applies element then data segments in order, as the spec (2.0) does: a segment
// out of bounds traps, leaving the ones before it written, which imported tables and memories
// make visible.
func (inst *Instance) initSegments() error {
	wm := inst.mod.m
	for _, s := range wm.Elems {
		off, err := inst.constExpr(s.Offset)
		if err != nil {
			return err
		}
		if inst.table == nil {
			return errors.New("interp: element segment without a table")
		}
		if uint64(uint32(off))+uint64(len(s.Funcs)) > uint64(len(inst.table.elems)) {
			return &Trap{Code: TrapTableOutOfBounds, Func: -1, PC: -1, Offset: -1}
		}
		for i, fi := range s.Funcs {
			if uint64(fi) >= uint64(len(inst.funcs)) {
				return fmt.Errorf("interp: element segment names unknown function %d", fi)
			}
			inst.table.elems[uint32(off)+uint32(i)] = inst.funcs[fi]
		}
	}
	for _, s := range wm.Data {
		off, err := inst.constExpr(s.Offset)
		if err != nil {
			return err
		}
		if inst.memory == nil {
			return errors.New("interp: data segment without a memory")
		}
		if uint64(uint32(off))+uint64(len(s.Init)) > uint64(len(inst.memory.bytes)) {
			return &Trap{Code: TrapMemoryOutOfBounds, Func: -1, PC: -1, Offset: -1}
		}
		copy(inst.memory.bytes[uint32(off):], s.Init)
	}
	return nil
}

// Export returns what the instance exports under name.
func (inst *Instance) Export(name string) (Extern, bool) {
	x, ok := inst.exports[name]
	return x, ok
}

// Exports returns everything the instance exports, by name, as Imports of another wants it.
func (inst *Instance) Exports() map[string]Extern {
	m := make(map[string]Extern, len(inst.exports))
	for k, v := range inst.exports {
		m[k] = v
	}
	return m
}

// Memory is the instance's memory, or nil.
func (inst *Instance) Memory() *Memory { return inst.memory }

// Fuel is the fuel left.
func (inst *Instance) Fuel() uint64 { return inst.fuel + inst.heldFuel() }

// heldFuel is the fuel a traced run holds back from its loop (see Tracer).
func (inst *Instance) heldFuel() uint64 {
	if inst.tracer == nil {
		return 0
	}
	return inst.tracer.held
}

// AddFuel adds n to the fuel left, saturating.
func (inst *Instance) AddFuel(n uint64) {
	if left := inst.Fuel(); left+n < left {
		inst.fuel = ^uint64(0) - inst.heldFuel()
		return
	}
	inst.fuel += n
}

// UseFuel lets a host function charge n more; it reports false, charging nothing, when the
// fuel left cannot pay, and the host function should then fail.
func (inst *Instance) UseFuel(n uint64) bool {
	if inst.Fuel() < n {
		return false
	}
	if t := inst.tracer; t != nil {
		take := min(n, t.held)
		t.held -= take
		n -= take
	}
	inst.fuel -= n
	return true
}

// Call calls the exported function name with args (an i32 in the low 32 bits) and returns
// its results (an i32 zero-extended). A trap is a *Trap; an error from a host function is
// returned wrapped. When a host function suspends, Call returns Suspended and no results;
// the instance then refuses further calls until Resume has finished the suspended one.
func (inst *Instance) Call(ctx context.Context, name string, args ...uint64) ([]uint64, Status, error) {
	x, ok := inst.exports[name]
	if !ok || x.Func == nil {
		return nil, Done, fmt.Errorf("interp: no exported function %q", name)
	}
	if len(args) != len(x.Func.typ.Params) {
		return nil, Done, fmt.Errorf("interp: %q takes %d arguments, got %d", name, len(x.Func.typ.Params), len(args))
	}
	return inst.callFunction(ctx, x.Func, args)
}

// Resume continues the call that a host function suspended, as if that host function had
// returned results (an i32 in the low 32 bits, the high ones zero): they must match its
// result types. It returns what Call would have returned had the host function not
// suspended, or Suspended again when a host function suspends once more; fuel is counted as
// if the call had never stopped. The context is checked as Call checks it. An instance that
// Restore brought back resumes the same way, and gives bit for bit the same results, memory,
// globals and fuel as the instance it was snapshotted from.
func (inst *Instance) Resume(ctx context.Context, results ...uint64) ([]uint64, Status, error) {
	if !inst.suspended {
		return nil, Done, errors.New("interp: Resume of an instance that is not suspended")
	}
	p := inst.pending
	if len(results) != len(p.typ.Results) {
		return nil, Done, fmt.Errorf("interp: Resume: the suspended host function returns %d values, got %d", len(p.typ.Results), len(results))
	}
	for i, t := range p.typ.Results {
		if t == wasm.I32 && results[i] > math.MaxUint32 {
			return nil, Done, fmt.Errorf("interp: Resume: result %d is an i32 but %#x does not fit 32 bits", i, results[i])
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, Done, fmt.Errorf("interp: %w", err)
	}
	f := inst.entry
	inst.suspended, inst.entry, inst.pending, inst.pendingArgs = false, nil, nil, nil
	res := make([]uint64, len(f.typ.Results))
	if len(inst.frames) == 0 { // Call called the host function itself
		copy(res, results)
		return res, Done, nil
	}
	copy(inst.stack[inst.sp-len(results):], results)
	st, err := inst.run(ctx, 0)
	if st == Done && err == nil {
		copy(res, inst.stack[:inst.sp])
		inst.sp = 0
	}
	return inst.settle(f, res, 0, 0, st, err)
}

// Pending describes the host call an instance is suspended in: fn is its index among the
// module's imported functions, args what it was called with. ok is false when the instance
// is not suspended. After Restore, this is how the host learns what it is to answer.
func (inst *Instance) Pending() (fn int, args []uint64, ok bool) {
	if !inst.suspended {
		return 0, nil, false
	}
	fn, err := inst.importIndex(inst.pending)
	if err != nil {
		return 0, nil, false
	}
	return fn, append([]uint64(nil), inst.pendingArgs...), true
}

// importIndex finds f among the instance's imported functions.
func (inst *Instance) importIndex(f *Function) (int, error) {
	for i := range inst.mod.m.NumImportedFuncs() {
		if inst.funcs[i] == f {
			return i, nil
		}
	}
	return 0, errors.New("interp: the suspended host function is not one the module imports")
}

func (inst *Instance) callFunction(ctx context.Context, f *Function, args []uint64) ([]uint64, Status, error) {
	if inst.suspended {
		return nil, Done, errors.New("interp: instance is suspended; Resume it first")
	}
	res := make([]uint64, len(f.typ.Results))
	sp0, depth0 := inst.sp, len(inst.frames)
	st, err := inst.callInto(ctx, f, args, res)
	return inst.settle(f, res, sp0, depth0, st, err)
}

// settle ends a call of f started with sp0 and depth0 (or its resumption): it keeps the state
// of a suspension, which only an outermost call may leave, and unwinds anything else that
// did not return.
func (inst *Instance) settle(f *Function, res []uint64, sp0, depth0 int, st Status, err error) ([]uint64, Status, error) {
	if st == Suspended {
		if depth0 == 0 {
			inst.suspended, inst.entry = true, f
			return nil, Suspended, nil
		}
		err = errors.New("interp: a host function suspended inside a nested call")
	}
	if err != nil {
		inst.unwind(sp0, depth0)
		return nil, Done, err
	}
	for i, t := range f.typ.Results {
		if t == wasm.I32 {
			res[i] = uint64(uint32(res[i]))
		}
	}
	return res, Done, nil
}

// unwind drops what a call that failed left on the stacks, and any suspension it recorded.
func (inst *Instance) unwind(sp0, depth0 int) {
	inst.sp, inst.frames = sp0, inst.frames[:depth0]
	inst.suspended, inst.entry, inst.pending, inst.pendingArgs = false, nil, nil, nil
}

// call runs f to completion from the outside (start function).
func (inst *Instance) call(ctx context.Context, f *Function, args []uint64) (Status, error) {
	_, st, err := inst.callFunction(ctx, f, args)
	return st, err
}
