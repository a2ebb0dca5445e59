package interp

import (
	"crypto/sha256"
	"fmt"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// Compiled-only opcodes, in byte values WebAssembly leaves unused; every other instruction
// keeps its WebAssembly opcode.
const (
	opMemoryCopy = 0xe0
	opMemoryFill = 0xe1
	opCallImport = 0xe2 // call of an imported function: a = function index
)

// instr is one compiled instruction. a and b hold the decoded immediates: the slot of
// local.*, the index of global.* and call, the target of br/br_if (an index into
// compiled.targets), the first entry in compiled.tables and the count of br_table, the pc
// that if jumps to when false, the offset of loads and stores (a), the type of call_indirect
// (a, as a signature index into Module.sigs). Calls keep in b the stack height (from the frame
// base) once the call has returned, which is what Restore checks saved frames against. v is
// the constant of i32/i64.const.
type instr struct {
	op   uint8
	cost uint8
	a, b uint32
	v    uint64
}

// target is where a branch goes: the pc to continue at, and the stack height (from the frame
// base, locals included) at which the arity values carried by the branch land.
type target struct {
	pc, height, arity uint32
}

// compiled is one defined function in compiled form.
type compiled struct {
	code    []instr
	offsets []uint32 // module byte offset of each instruction, for traps
	targets []target
	tables  []uint32 // br_table target lists: indices into targets, the default last
	params  int
	results int
	locals  int // params plus declared locals: the slots at the frame base
	height  int // highest stack from the frame base, locals included
}

// Module is a compiled module, ready to be instantiated any number of times.
type Module struct {
	m     *wasm.Module
	funcs []compiled
	sigs  []string // canonical signature of each type
	// digest is the SHA-256 of the module's binary, which names the module in snapshots; only
	// Load knows the binary, so hasDigest is false after Compile.
	digest    [sha256.Size]byte
	hasDigest bool
}

// Load decodes, validates and compiles the module binary data, and keeps its SHA-256, which
// Snapshot and Restore need to tell modules apart.
func Load(data []byte, lim wasm.Limits) (*Module, error) {
	m, err := wasm.Load(data, lim)
	if err != nil {
		return nil, err
	}
	cm, err := Compile(m)
	if err != nil {
		return nil, err
	}
	cm.digest, cm.hasDigest = sha256.Sum256(data), true
	return cm, nil
}

// Digest is the SHA-256 of the module's binary; ok is false when the module was compiled
// with Compile, which does not see the binary.
func (m *Module) Digest() (d [sha256.Size]byte, ok bool) { return m.digest, m.hasDigest }

// Compile compiles every function of m, which must have passed wasm.Validate (wasm.Load does
// it). It checks enough on its own never to panic on an unvalidated module, and reports such
// a module with an error.
func Compile(m *wasm.Module) (*Module, error) {
	if m == nil {
		return nil, fmt.Errorf("interp: nil module")
	}
	cm := &Module{m: m, funcs: make([]compiled, len(m.Funcs)), sigs: make([]string, len(m.Types))}
	for i, t := range m.Types {
		cm.sigs[i] = signature(t)
	}
	var c compiler
	for i := range m.Funcs {
		if err := c.function(cm, i); err != nil {
			return nil, fmt.Errorf("interp: compile function %d: %w", m.NumImportedFuncs()+i, err)
		}
	}
	return cm, nil
}

// ctl is a block being compiled.
type ctl struct {
	loop            bool
	height          int // stack height below the block's parameters
	params, results int
	target          uint32 // index of the block's branch target
	elseFix         int    // pc of the if whose false jump is still to be patched, or -1
	dead            bool   // the rest of the block is unreachable
}

type compiler struct {
	m      *wasm.Module
	memory bool // the module has a memory, imported or its own
	f      *compiled
	ctls   []ctl
	height int
	skip   int // nesting of blocks entered inside dead code
}

func (c *compiler) function(cm *Module, i int) error {
	m := cm.m
	ft, ok := m.FuncType(uint32(m.NumImportedFuncs() + i))
	if !ok {
		return fmt.Errorf("unknown type %d", m.Funcs[i].TypeIndex)
	}
	f := &cm.funcs[i]
	f.params, f.results = len(ft.Params), len(ft.Results)
	f.locals = f.params + m.Funcs[i].NumLocals
	c.m, c.f, c.ctls, c.height, c.skip = m, f, c.ctls[:0], f.locals, 0
	c.memory = len(m.Memories) > 0
	for _, im := range m.Imports {
		c.memory = c.memory || im.Kind == wasm.ExternMemory
	}
	f.height = f.locals
	c.push(false, 0, f.results)
	return m.WalkBody(i, func(in *wasm.Instr) error {
		if len(c.ctls) == 0 {
			return fmt.Errorf("offset %#x: instruction after the function's end", in.Offset)
		}
		if err := c.instr(cm, in); err != nil {
			return fmt.Errorf("offset %#x: %w", in.Offset, err)
		}
		return nil
	})
}

func (c *compiler) emit(in *wasm.Instr, op uint8, a, b uint32, v uint64) {
	c.f.code = append(c.f.code, instr{op: op, cost: baseCost[op], a: a, b: b, v: v})
	c.f.offsets = append(c.f.offsets, uint32(in.Offset))
}

func (c *compiler) pc() uint32 { return uint32(len(c.f.code)) }

// push opens a block whose params are already on the stack.
func (c *compiler) push(loop bool, params, results int) {
	t := target{height: uint32(c.height - params), arity: uint32(results)}
	if loop {
		t.pc, t.arity = c.pc(), uint32(params)
	}
	c.f.targets = append(c.f.targets, t)
	c.ctls = append(c.ctls, ctl{loop: loop, height: c.height - params, params: params, results: results,
		target: uint32(len(c.f.targets) - 1), elseFix: -1})
}

// adjust applies an instruction's effect on the stack height.
func (c *compiler) adjust(pop, push int) error {
	if c.height-pop < c.ctls[len(c.ctls)-1].height {
		return fmt.Errorf("operand stack underflow")
	}
	c.height += push - pop
	if c.height > c.f.height {
		c.f.height = c.height
	}
	return nil
}

func (c *compiler) label(l uint32) (*ctl, error) {
	if uint64(l) >= uint64(len(c.ctls)) {
		return nil, fmt.Errorf("unknown label %d", l)
	}
	return &c.ctls[len(c.ctls)-1-int(l)], nil
}

// carry checks that the values a branch to l carries are on the stack of the current block.
func (c *compiler) carry(l *ctl) error {
	arity := l.results
	if l.loop {
		arity = l.params
	}
	if c.height-arity < c.ctls[len(c.ctls)-1].height {
		return fmt.Errorf("branch carries more values than the block holds")
	}
	return nil
}

// setDead marks the rest of the current block unreachable: nothing is emitted for it.
func (c *compiler) setDead() { c.ctls[len(c.ctls)-1].dead = true }

func (c *compiler) instr(cm *Module, in *wasm.Instr) error {
	top := &c.ctls[len(c.ctls)-1]
	if top.dead {
		switch in.Op {
		case wasm.OpBlock, wasm.OpLoop, wasm.OpIf:
			c.skip++
			return nil
		case wasm.OpEnd:
			if c.skip > 0 {
				c.skip--
				return nil
			}
		case wasm.OpElse:
			if c.skip > 0 {
				return nil
			}
		default:
			return nil
		}
	}
	op := in.Op
	switch op {
	case wasm.OpNop:
	case wasm.OpBlock, wasm.OpLoop:
		if c.height-in.BlockParams < top.height {
			return fmt.Errorf("block parameters underflow the stack")
		}
		c.push(op == wasm.OpLoop, in.BlockParams, in.BlockResults)
	case wasm.OpIf:
		if err := c.adjust(1, 0); err != nil {
			return err
		}
		if c.height-in.BlockParams < top.height {
			return fmt.Errorf("block parameters underflow the stack")
		}
		c.push(false, in.BlockParams, in.BlockResults)
		c.ctls[len(c.ctls)-1].elseFix = int(c.pc())
		c.emit(in, uint8(wasm.OpIf), 0, 0, 0)
	case wasm.OpElse:
		if top.elseFix < 0 {
			return fmt.Errorf("else without if")
		}
		if !top.dead {
			if c.height != top.height+top.results {
				return fmt.Errorf("if branch ends with %d values, want %d", c.height-top.height, top.results)
			}
			c.emit(in, uint8(wasm.OpBr), top.target, 0, 0)
		}
		c.f.code[top.elseFix].a = c.pc()
		top.elseFix, top.dead = -1, false
		c.height = top.height + top.params
	case wasm.OpEnd:
		if !top.dead && c.height != top.height+top.results {
			return fmt.Errorf("block ends with %d values, want %d", c.height-top.height, top.results)
		}
		if top.elseFix >= 0 {
			c.f.code[top.elseFix].a = c.pc()
		}
		if !top.loop {
			c.f.targets[top.target].pc = c.pc()
		}
		c.height = top.height + top.results
		if c.height > c.f.height {
			c.f.height = c.height
		}
		c.ctls = c.ctls[:len(c.ctls)-1]
		if len(c.ctls) == 0 {
			c.emit(in, uint8(wasm.OpReturn), 0, 0, 0)
		}
	case wasm.OpBr, wasm.OpBrIf:
		if op == wasm.OpBrIf {
			if err := c.adjust(1, 0); err != nil {
				return err
			}
		}
		l, err := c.label(in.A)
		if err != nil {
			return err
		}
		if err := c.carry(l); err != nil {
			return err
		}
		c.emit(in, uint8(op), l.target, 0, 0)
		if op == wasm.OpBr {
			c.setDead()
		}
	case wasm.OpBrTable:
		if err := c.adjust(1, 0); err != nil {
			return err
		}
		start := uint32(len(c.f.tables))
		for _, t := range append(in.Targets, in.A) {
			l, err := c.label(t)
			if err != nil {
				return err
			}
			if err := c.carry(l); err != nil {
				return err
			}
			c.f.tables = append(c.f.tables, l.target)
		}
		c.emit(in, uint8(op), start, uint32(len(in.Targets)), 0)
		c.setDead()
	case wasm.OpReturn, wasm.OpUnreachable:
		if op == wasm.OpReturn {
			if err := c.carry(&c.ctls[0]); err != nil {
				return err
			}
		}
		c.emit(in, uint8(op), 0, 0, 0)
		c.setDead()
	case wasm.OpCall:
		ft, ok := c.m.FuncType(in.A)
		if !ok {
			return fmt.Errorf("unknown function %d", in.A)
		}
		if err := c.adjust(len(ft.Params), len(ft.Results)); err != nil {
			return err
		}
		if n := uint32(c.m.NumImportedFuncs()); in.A < n {
			c.emit(in, opCallImport, in.A, uint32(c.height), 0)
		} else {
			c.emit(in, uint8(op), in.A-n, uint32(c.height), 0)
		}
	case wasm.OpCallIndirect:
		if uint64(in.A) >= uint64(len(c.m.Types)) {
			return fmt.Errorf("unknown type %d", in.A)
		}
		ft := c.m.Types[in.A]
		if err := c.adjust(len(ft.Params)+1, len(ft.Results)); err != nil {
			return err
		}
		c.emit(in, uint8(op), in.A, uint32(c.height), 0)
	case wasm.OpLocalGet, wasm.OpLocalSet, wasm.OpLocalTee:
		if uint64(in.A) >= uint64(c.f.locals) {
			return fmt.Errorf("unknown local %d", in.A)
		}
		pop, push := 1, 1 // local.tee
		switch op {
		case wasm.OpLocalGet:
			pop = 0
		case wasm.OpLocalSet:
			push = 0
		}
		if err := c.adjust(pop, push); err != nil {
			return err
		}
		c.emit(in, uint8(op), in.A, 0, 0)
	default:
		pop, push, ok := effect(op)
		if !ok {
			return fmt.Errorf("opcode %#x not supported by the interpreter", op)
		}
		if (op >= wasm.OpI32Load && op <= wasm.OpMemoryGrow || op == wasm.OpMemoryCopy || op == wasm.OpMemoryFill) && !c.memory {
			return fmt.Errorf("memory instruction without a memory")
		}
		if err := c.adjust(pop, push); err != nil {
			return err
		}
		switch op {
		case wasm.OpMemoryCopy:
			c.emit(in, opMemoryCopy, 0, 0, 0)
		case wasm.OpMemoryFill:
			c.emit(in, opMemoryFill, 0, 0, 0)
		case wasm.OpI32Const:
			c.emit(in, uint8(op), 0, 0, uint64(uint32(in.Value)))
		case wasm.OpI64Const:
			c.emit(in, uint8(op), 0, 0, uint64(in.Value))
		case wasm.OpGlobalGet, wasm.OpGlobalSet:
			if _, ok := c.m.GlobalType(in.A); !ok {
				return fmt.Errorf("unknown global %d", in.A)
			}
			c.emit(in, uint8(op), in.A, 0, 0)
		default: // loads and stores keep their offset in a; the rest have no immediate
			c.emit(in, uint8(op), in.B, 0, 0)
		}
	}
	return nil
}

// effect gives the values popped and pushed by the instructions whose effect is fixed.
func effect(op wasm.Opcode) (pop, push int, ok bool) {
	switch {
	case op == wasm.OpI32Const, op == wasm.OpI64Const, op == wasm.OpGlobalGet, op == wasm.OpMemorySize:
		return 0, 1, true
	case op == wasm.OpGlobalSet, op == wasm.OpDrop:
		return 1, 0, true
	case op == wasm.OpSelect, op == wasm.OpSelectTyped:
		return 3, 1, true
	case op == wasm.OpMemoryGrow:
		return 1, 1, true
	case op == wasm.OpMemoryCopy, op == wasm.OpMemoryFill:
		return 3, 0, true
	case op >= wasm.OpI32Load && op <= wasm.OpI64Load32U:
		return 1, 1, true
	case op >= wasm.OpI32Store && op <= wasm.OpI64Store32:
		return 2, 0, true
	case op == wasm.OpI32Eqz, op == wasm.OpI64Eqz,
		op >= wasm.OpI32Clz && op <= wasm.OpI32Popcnt, op >= wasm.OpI64Clz && op <= wasm.OpI64Popcnt,
		op == wasm.OpI32WrapI64, op == wasm.OpI64ExtendI32S, op == wasm.OpI64ExtendI32U,
		op >= wasm.OpI32Extend8S && op <= wasm.OpI64Extend32S:
		return 1, 1, true
	case op >= wasm.OpI32Eq && op <= wasm.OpI32GeU, op >= wasm.OpI64Eq && op <= wasm.OpI64GeU,
		op >= wasm.OpI32Add && op <= wasm.OpI32Rotr, op >= wasm.OpI64Add && op <= wasm.OpI64Rotr:
		return 2, 1, true
	}
	return 0, 0, false
}

// baseCost is the fuel each compiled opcode costs; see the package documentation.
var baseCost = func() (c [256]uint8) {
	for i := range c {
		c[i] = 1
	}
	for _, op := range []wasm.Opcode{wasm.OpI32DivS, wasm.OpI32DivU, wasm.OpI32RemS, wasm.OpI32RemU,
		wasm.OpI64DivS, wasm.OpI64DivU, wasm.OpI64RemS, wasm.OpI64RemU} {
		c[op] = 4
	}
	for op := wasm.OpI32Load; op <= wasm.OpMemorySize; op++ {
		c[op] = 2
	}
	c[wasm.OpCall], c[wasm.OpCallIndirect], c[opCallImport] = 10, 10, 10
	c[wasm.OpMemoryGrow] = 10
	c[opMemoryCopy], c[opMemoryFill] = 4, 4
	return c
}()
