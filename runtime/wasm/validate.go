package wasm

import "fmt"

// maxMemoryPages is the spec's bound on a 32-bit memory: 4 GiB.
const maxMemoryPages = 65536

// Load decodes and validates a module: the only way a module should reach an interpreter.
func Load(data []byte, lim Limits) (*Module, error) {
	m, err := Decode(data, lim)
	if err != nil {
		return nil, err
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

// Validate applies the spec's validation rules to a decoded module: module-level constraints and
// the type-checking algorithm of the validation appendix on every function body. On success it
// records each function's MaxStack and MaxDepth.
//
// Errors are *ValidationError, *UnsupportedError for unsupported instructions, and *DecodeError
// for malformed instruction encodings, which only show when bodies are walked here.
func Validate(m *Module) error {
	m.buildIndexSpaces()
	v := &validator{m: m, lim: m.limits.withDefaults()}
	v.r.fn = -1
	if err := v.module(); err != nil {
		return err
	}
	for i := range m.Funcs {
		if err := v.function(i); err != nil {
			return err
		}
	}
	return nil
}

type validator struct {
	m   *Module
	lim Limits
	r   reader

	// Per-function state, reused across functions.
	vals   []ValType
	ctrls  []ctrlFrame
	locals []ValType
	popped []ValType
	in     instr

	results  []ValType // of the function being checked
	maxStack int
	maxDepth int
}

// unknown is the type of a value popped from the polymorphic stack after an unconditional branch.
const unknown ValType = 0

type ctrlFrame struct {
	op              Opcode
	params, results []ValType
	height          int
	unreachable     bool
}

var (
	typeI32 = []ValType{I32}
	typeI64 = []ValType{I64}

	typeI32x3 = []ValType{I32, I32, I32}
)

func (v *validator) invalidf(off int, format string, args ...any) error {
	return v.r.invalidf(off, format, args...)
}

func (v *validator) module() error {
	m := v.m
	for _, im := range m.Imports {
		if im.Kind == ExternFunc && int(im.TypeIndex) >= len(m.Types) {
			return v.invalidf(im.Offset, "unknown type %d", im.TypeIndex)
		}
	}
	for i, g := range m.Globals {
		if err := v.constExpr(g.Init, g.Type.Type, fmt.Sprintf("global %d", m.numImportedGlobals+i)); err != nil {
			return err
		}
	}
	names := make(map[string]struct{}, len(m.Exports))
	for _, ex := range m.Exports {
		if _, dup := names[ex.Name]; dup {
			return v.invalidf(ex.Offset, "duplicate export name %q", ex.Name)
		}
		names[ex.Name] = struct{}{}
		var n int
		switch ex.Kind {
		case ExternFunc:
			n = len(m.funcTypes)
		case ExternTable:
			n = len(m.tables)
		case ExternMemory:
			n = len(m.memories)
		case ExternGlobal:
			n = len(m.globals)
		}
		if int64(ex.Index) >= int64(n) {
			return v.invalidf(ex.Offset, "unknown %s %d in export %q", kindName(ex.Kind), ex.Index, ex.Name)
		}
	}
	if m.HasStart {
		ft, ok := m.FuncType(m.Start)
		if !ok {
			return v.invalidf(m.startOffset, "unknown function %d as start function", m.Start)
		}
		if len(ft.Params) != 0 || len(ft.Results) != 0 {
			return v.invalidf(m.startOffset, "start function %d must take and return nothing", m.Start)
		}
	}
	for i, seg := range m.Elems {
		if int(seg.Table) >= len(m.tables) {
			return v.invalidf(seg.Offset.Offset, "unknown table %d in element segment %d", seg.Table, i)
		}
		if err := v.constExpr(seg.Offset, I32, fmt.Sprintf("element segment %d", i)); err != nil {
			return err
		}
		for _, f := range seg.Funcs {
			if int(f) >= len(m.funcTypes) {
				return v.invalidf(seg.Offset.Offset, "unknown function %d in element segment %d", f, i)
			}
		}
	}
	for i, seg := range m.Data {
		if int(seg.Memory) >= len(m.memories) {
			return v.invalidf(seg.Offset.Offset, "unknown memory %d in data segment %d", seg.Memory, i)
		}
		if err := v.constExpr(seg.Offset, I32, fmt.Sprintf("data segment %d", i)); err != nil {
			return err
		}
	}
	return nil
}

func kindName(k ExternKind) string {
	return [...]string{"function", "table", "memory", "global"}[k&3]
}

// constExpr checks an initializer. As in spec 2.0, global.get may only read imported, immutable
// globals: defined globals are not initialized yet when initializers run.
func (v *validator) constExpr(e ConstExpr, want ValType, what string) error {
	var n int
	var got ValType
	for _, in := range e.Instrs {
		switch in.Op {
		case OpI32Const:
			got = I32
		case OpI64Const:
			got = I64
		case OpGlobalGet:
			if in.Value >= int64(v.m.numImportedGlobals) {
				return v.invalidf(in.Offset, "unknown global %d in the initializer of %s: only imported globals can be read", in.Value, what)
			}
			g := v.m.globals[in.Value]
			if g.Mutable {
				return v.invalidf(in.Offset, "constant expression required in %s: global %d is mutable", what, in.Value)
			}
			got = g.Type
		default:
			return v.invalidf(in.Offset, "constant expression required in %s: opcode %#x", what, in.Op)
		}
		n++
	}
	if n != 1 || got != want {
		return v.invalidf(e.Offset, "type mismatch in %s: want one %s", what, want)
	}
	return nil
}

func (v *validator) pushVal(t ValType) {
	v.vals = append(v.vals, t)
	if len(v.vals) > v.maxStack {
		v.maxStack = len(v.vals)
	}
}

func (v *validator) pushVals(ts []ValType) {
	for _, t := range ts {
		v.pushVal(t)
	}
}

func (v *validator) popVal() (ValType, error) {
	top := &v.ctrls[len(v.ctrls)-1]
	if len(v.vals) == top.height {
		if top.unreachable {
			return unknown, nil
		}
		return 0, v.invalidf(v.in.offset, "type mismatch: operand stack empty")
	}
	t := v.vals[len(v.vals)-1]
	v.vals = v.vals[:len(v.vals)-1]
	return t, nil
}

func (v *validator) popExpect(want ValType) (ValType, error) {
	got, err := v.popVal()
	if err != nil {
		return 0, err
	}
	if got != want && got != unknown && want != unknown {
		return 0, v.invalidf(v.in.offset, "type mismatch: want %s, got %s", want, got)
	}
	return got, nil
}

func (v *validator) popVals(ts []ValType) error {
	for i := len(ts) - 1; i >= 0; i-- {
		if _, err := v.popExpect(ts[i]); err != nil {
			return err
		}
	}
	return nil
}

// recheckVals pops ts and pushes back what was actually there, keeping unknown values unknown,
// as br_table needs.
func (v *validator) recheckVals(ts []ValType) error {
	v.popped = v.popped[:0]
	for i := len(ts) - 1; i >= 0; i-- {
		t, err := v.popExpect(ts[i])
		if err != nil {
			return err
		}
		v.popped = append(v.popped, t)
	}
	for i := len(v.popped) - 1; i >= 0; i-- {
		v.pushVal(v.popped[i])
	}
	return nil
}

func (v *validator) pushCtrl(op Opcode, params, results []ValType) error {
	if len(v.ctrls) >= v.lim.MaxNesting {
		return v.r.errorf(v.in.offset, "blocks nested deeper than %d", v.lim.MaxNesting)
	}
	v.ctrls = append(v.ctrls, ctrlFrame{op: op, params: params, results: results, height: len(v.vals)})
	if len(v.ctrls) > v.maxDepth {
		v.maxDepth = len(v.ctrls)
	}
	v.pushVals(params)
	return nil
}

func (v *validator) popCtrl() (ctrlFrame, error) {
	f := v.ctrls[len(v.ctrls)-1]
	if err := v.popVals(f.results); err != nil {
		return f, err
	}
	if len(v.vals) != f.height {
		return f, v.invalidf(v.in.offset, "type mismatch: %d values left at the end of a block", len(v.vals)-f.height)
	}
	v.ctrls = v.ctrls[:len(v.ctrls)-1]
	return f, nil
}

func (f *ctrlFrame) labelTypes() []ValType {
	if f.op == OpLoop {
		return f.params
	}
	return f.results
}

func (v *validator) setUnreachable() {
	top := &v.ctrls[len(v.ctrls)-1]
	v.vals = v.vals[:top.height]
	top.unreachable = true
}

func (v *validator) label(l uint32) (*ctrlFrame, error) {
	if uint64(l) >= uint64(len(v.ctrls)) {
		return nil, v.invalidf(v.in.offset, "unknown label %d", l)
	}
	return &v.ctrls[len(v.ctrls)-1-int(l)], nil
}

func (v *validator) blockType(bt blockType) (params, results []ValType, err error) {
	switch bt.kind {
	case blockValue:
		if bt.val == I32 {
			return nil, typeI32, nil
		}
		return nil, typeI64, nil
	case blockIndex:
		if uint64(bt.index) >= uint64(len(v.m.Types)) {
			return nil, nil, v.invalidf(v.in.offset, "unknown type %d", bt.index)
		}
		t := v.m.Types[bt.index]
		return t.Params, t.Results, nil
	}
	return nil, nil, nil
}

func (v *validator) needMemory() error {
	if len(v.m.memories) == 0 {
		return v.invalidf(v.in.offset, "unknown memory 0")
	}
	return nil
}
