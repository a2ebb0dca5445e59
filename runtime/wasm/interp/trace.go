package interp

import "github.com/ssprove/ssprove/runtime/wasm"

// Tracer receives every instruction an instance executes, in order, when Config.Tracer is
// set. The *Step and the slices in it are reused: they are valid only during the call, so a
// sink copies what it keeps.
//
// Tracing rides on the fuel check the interpreter makes anyway: while tracing, the run loop
// is given credit for exactly one instruction at a time, so every instruction takes the
// out-of-fuel branch, where the step is recorded before it runs and completed (its results)
// before the next one. An untraced run never takes that branch, so it pays nothing.
//
// What is reported:
//   - Every compiled instruction that runs, numbered from 0 over the instance's whole life
//     (Snapshot keeps the count, so a restored instance goes on numbering). block, loop, end
//     and nop are compiled away and never appear. An instruction that runs out of fuel does
//     not run and is not reported; one that traps otherwise is reported with Trap set and no
//     results.
//   - Args are the values the instruction pops, deepest first, and Results the values it
//     pushes. A call of a function of this instance reports its arguments and no results: the
//     callee's steps follow, and its return step carries the results. A call of a host
//     function (or of another instance's function, which runs with that instance's tracer)
//     carries both; if the host function suspends, the step is reported at suspension with no
//     results, and Resume's values appear as the stack the next steps read. A host function
//     that calls back into this instance has its call step reported, without results, when
//     the nested call starts.
//   - One memory event at most per step: loads and stores report the byte address, the width
//     in bytes, and the bytes read or the bytes before and after the store (little-endian,
//     zero-extended, whatever the value's sign extension). memory.copy and memory.fill report
//     one range event (destination, length, and the source or fill byte), not one per byte: a
//     prover expands it. An access out of bounds traps and reports no event.
//   - global.get and global.set report the global's index and its value before and after.
type Tracer interface {
	Step(*Step)
}

// Step is one executed instruction.
type Step struct {
	N      uint64 // step number
	Func   uint32 // function index, imports counted
	PC     uint32 // index of the compiled instruction in its function
	Offset uint32 // byte offset of the instruction in the module binary
	Op     byte   // WebAssembly opcode; memory.copy, memory.fill and calls of imports have their compiled opcodes (OpMemoryCopy, OpMemoryFill, OpCallImport)
	// Imm is the instruction's immediate: the constant of i32/i64.const, the local or global
	// index, the memory offset of loads and stores, the callee of call (imports counted), the
	// type index of call_indirect.
	Imm     uint64
	SP      uint32   // value-stack height before the instruction, locals and all frames included
	Args    []uint64 // values popped
	Results []uint64 // values pushed
	Mem     MemAccess
	Global  GlobalAccess
	Call    CallEvent
	Trap    TrapCode // the trap the instruction raised, or 0
}

// Compiled opcodes that have no single-byte WebAssembly opcode, as Step.Op reports them.
const (
	OpMemoryCopy = opMemoryCopy
	OpMemoryFill = opMemoryFill
	OpCallImport = opCallImport
)

// MemKind says what memory access a step made.
type MemKind uint8

const (
	MemNone  MemKind = iota
	MemRead          // Addr, Width, Value
	MemWrite         // Addr, Width, Old, Value
	MemCopy          // Addr (destination), Width (length), Src
	MemFill          // Addr, Width (length), Value (the byte)
)

// MemAccess is a step's memory access.
type MemAccess struct {
	Kind  MemKind
	Addr  uint64
	Width uint32
	Src   uint64
	Old   uint64
	Value uint64
}

// GlobalKind says what global access a step made.
type GlobalKind uint8

const (
	GlobalNone GlobalKind = iota
	GlobalRead
	GlobalWrite
)

// GlobalAccess is a step's global access; a read has Old == New.
type GlobalAccess struct {
	Kind     GlobalKind
	Index    uint32
	Old, New uint64
}

// CallKind says what control transfer between functions a step made.
type CallKind uint8

const (
	CallNone   CallKind = iota
	CallWasm            // a call of a function of this instance; its steps follow
	CallHost            // a call of a host function or of another instance's function
	CallReturn          // a return, or the end of the function
)

// CallEvent is a step's call or return. Func is the callee (imports counted) or, for a
// return, the function returning; a call_indirect of another instance's function that this
// one does not import reports -1.
type CallEvent struct {
	Kind CallKind
	Func int
}

// tracing is an instance's trace state.
type tracing struct {
	sink Tracer
	// held is fuel taken from the run loop's budget, which is then given back one
	// instruction's cost at a time.
	held    uint64
	steps   uint64
	pending bool // step holds an instruction that ran but whose results are not reported
	push    int  // values the pending instruction pushes
	step    Step
	args    []uint64
}

// stackEffect is what the instructions whose effect is fixed by their opcode pop and push.
var stackEffect = func() (e [256][2]uint8) {
	for op := range 256 {
		if pop, push, ok := effect(wasm.Opcode(op)); ok {
			e[op] = [2]uint8{uint8(pop), uint8(push)}
		}
	}
	e[wasm.OpIf], e[wasm.OpBrIf], e[wasm.OpBrTable] = [2]uint8{1, 0}, [2]uint8{1, 0}, [2]uint8{1, 0}
	e[wasm.OpLocalGet], e[wasm.OpLocalSet], e[wasm.OpLocalTee] = [2]uint8{0, 1}, [2]uint8{1, 0}, [2]uint8{1, 1}
	e[opMemoryCopy], e[opMemoryFill] = [2]uint8{3, 0}, [2]uint8{3, 0}
	return e
}()

// traceStep is the run loop's out-of-fuel branch, taken at pc of defined function fidx with
// the stack at sp and fuel left to the loop. Untraced, it only says that the fuel is out.
// Traced, it completes the previous step, takes back the loop's unspent credit, and unless
// the fuel is out records the instruction and returns the credit it may spend: its cost,
// plus what memory.grow, memory.copy or memory.fill will charge (or all that is left, when
// that cannot be paid, so that the instruction traps as it would untraced). The loop's stack
// and memory slices are the instance's, which is where it reads them.
func (inst *Instance) traceStep(fidx uint32, pc, sp int, fuel uint64) (uint64, bool) {
	t := inst.tracer
	if t == nil {
		return fuel, false
	}
	stack := inst.stack
	var mem []byte
	if inst.memory != nil {
		mem = inst.memory.bytes
	}
	t.flush(stack, sp)
	t.held += fuel
	mod := inst.mod
	fn := &mod.funcs[fidx]
	c := &fn.code[pc]
	s := &t.step
	// Field by field: assigning a whole Step, which holds slices, is a typed copy with
	// write barriers, and costs more than the rest of the step.
	s.N, s.Func, s.PC, s.Offset = t.steps, uint32(mod.m.NumImportedFuncs())+fidx, uint32(pc), fn.offsets[pc]
	s.Op, s.Imm, s.SP, s.Trap = c.op, 0, uint32(sp), 0
	s.Mem, s.Global, s.Call = MemAccess{}, GlobalAccess{}, CallEvent{}
	pop, push := int(stackEffect[c.op][0]), int(stackEffect[c.op][1])
	extra := uint64(0)
	switch c.op {
	case byte(wasm.OpI32Const), byte(wasm.OpI64Const):
		s.Imm = c.v
	case byte(wasm.OpLocalGet), byte(wasm.OpLocalSet), byte(wasm.OpLocalTee):
		s.Imm = uint64(c.a)
	case byte(wasm.OpGlobalGet):
		s.Imm = uint64(c.a)
		v := inst.globals[c.a].Value
		s.Global = GlobalAccess{Kind: GlobalRead, Index: c.a, Old: v, New: v}
	case byte(wasm.OpGlobalSet):
		s.Imm = uint64(c.a)
		s.Global = GlobalAccess{Kind: GlobalWrite, Index: c.a, Old: inst.globals[c.a].Value, New: stack[sp-1]}
	case byte(wasm.OpReturn):
		pop, push = fn.results, fn.results
		s.Call = CallEvent{Kind: CallReturn, Func: int(s.Func)}
	case byte(wasm.OpCall):
		callee := &mod.funcs[c.a]
		pop = callee.params
		s.Imm = uint64(mod.m.NumImportedFuncs()) + uint64(c.a)
		s.Call = CallEvent{Kind: CallWasm, Func: int(s.Imm)}
	case opCallImport:
		f := inst.funcs[c.a]
		pop, push = len(f.typ.Params), len(f.typ.Results)
		s.Imm = uint64(c.a)
		s.Call = CallEvent{Kind: CallHost, Func: int(c.a)}
	case byte(wasm.OpCallIndirect):
		s.Imm = uint64(c.a)
		pop = 1
		if f := inst.indirect(stack[sp-1], mod.sigs[c.a]); f != nil {
			pop += len(f.typ.Params)
			s.Call = CallEvent{Kind: CallHost, Func: inst.funcIndex(f)}
			if f.inst == inst && f.host == nil {
				s.Call.Kind = CallWasm
			} else {
				push = len(f.typ.Results)
			}
		}
	case byte(wasm.OpMemoryGrow):
		if m := inst.memory; uint64(m.Pages())+uint64(uint32(stack[sp-1])) <= uint64(m.max) {
			extra = uint64(uint32(stack[sp-1])) * growPageCost
		}
	case opMemoryCopy, opMemoryFill:
		d, x, n := uint64(uint32(stack[sp-3])), stack[sp-2], uint64(uint32(stack[sp-1]))
		s.Mem = MemAccess{Kind: MemFill, Addr: d, Width: uint32(n), Value: uint64(byte(x))}
		src := d
		if c.op == opMemoryCopy {
			src = uint64(uint32(x))
			s.Mem = MemAccess{Kind: MemCopy, Addr: d, Width: uint32(n), Src: src}
		}
		if d+n > uint64(len(mem)) || src+n > uint64(len(mem)) {
			s.Mem = MemAccess{}
		} else {
			extra = n / bytesPerFuel
		}
	default:
		if w := loadWidth[c.op]; w > 0 {
			s.Imm = uint64(c.a)
			if ea := uint64(uint32(stack[sp-1])) + uint64(c.a); ea+w <= uint64(len(mem)) {
				s.Mem = MemAccess{Kind: MemRead, Addr: ea, Width: uint32(w), Value: rawLoad(mem[ea : ea+w])}
			}
		} else if w := storeWidth[c.op]; w > 0 {
			s.Imm = uint64(c.a)
			if ea := uint64(uint32(stack[sp-2])) + uint64(c.a); ea+w <= uint64(len(mem)) {
				s.Mem = MemAccess{Kind: MemWrite, Addr: ea, Width: uint32(w), Old: rawLoad(mem[ea : ea+w]),
					Value: stack[sp-1] & (^uint64(0) >> (64 - 8*w))}
			}
		}
	}
	t.args = append(t.args[:0], stack[sp-pop:sp]...)
	s.Args = t.args
	credit := uint64(c.cost) + extra
	if t.held < uint64(c.cost) {
		fuel, t.held = t.held, 0
		return fuel, false
	}
	t.steps++
	t.pending, t.push = true, push
	credit = min(credit, t.held)
	t.held -= credit
	return credit, true
}

// flush reports the pending step, whose results are the top push values of the stack.
func (t *tracing) flush(stack []uint64, sp int) {
	if !t.pending {
		return
	}
	t.pending = false
	t.step.Results = stack[sp-t.push : sp]
	t.sink.Step(&t.step)
}

// startRun takes the fuel of a run starting in a traced instance into held, so that its loop
// runs on one instruction's credit at a time. A step still pending is a host call that calls
// back into this instance: it is reported now, without its results.
func (inst *Instance) startRun() {
	if t := inst.tracer; t != nil {
		t.push = 0
		t.flush(nil, 0)
		t.held += inst.fuel
		inst.fuel = 0
	}
}

// endRun reports the last step of a traced run, which ended with st and err, and gives the
// fuel back.
func (inst *Instance) endRun(st Status, err error) {
	t := inst.tracer
	if t == nil {
		return
	}
	if t.pending && (st == Suspended || err != nil) {
		t.push = 0
		if tr, ok := err.(*Trap); ok {
			t.step.Trap = tr.Code
		}
	}
	t.flush(inst.stack, inst.sp)
	inst.fuel += t.held
	t.held = 0
}

// steps is the number of steps traced so far, which numbers the next one.
func (inst *Instance) steps() uint64 {
	if inst.tracer == nil {
		return 0
	}
	return inst.tracer.steps
}

// credit is the fuel the run loop may spend after a call out: all of it untraced, none
// traced, where it goes back to held.
func (inst *Instance) credit() uint64 {
	if t := inst.tracer; t != nil {
		t.held += inst.fuel
		inst.fuel = 0
	}
	return inst.fuel
}

// indirect is the function call_indirect would call with table index i and signature sig,
// or nil when it traps.
func (inst *Instance) indirect(i uint64, sig string) *Function {
	if inst.table == nil || uint64(uint32(i)) >= uint64(len(inst.table.elems)) {
		return nil
	}
	f := inst.table.elems[uint32(i)]
	if f == nil || f.sig != sig {
		return nil
	}
	return f
}

// funcIndex is f's index in the instance's function space, or -1.
func (inst *Instance) funcIndex(f *Function) int {
	if f.inst == inst && f.host == nil {
		return inst.mod.m.NumImportedFuncs() + f.idx
	}
	if i, err := inst.importIndex(f); err == nil {
		return i
	}
	return -1
}

var storeWidth = func() (w [256]uint64) {
	for op, n := range map[wasm.Opcode]uint64{
		wasm.OpI32Store: 4, wasm.OpI64Store: 8, wasm.OpI32Store8: 1, wasm.OpI32Store16: 2,
		wasm.OpI64Store8: 1, wasm.OpI64Store16: 2, wasm.OpI64Store32: 4,
	} {
		w[op] = n
	}
	return w
}()

// rawLoad reads b, at most 8 bytes, little-endian and zero-extended.
func rawLoad(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}
