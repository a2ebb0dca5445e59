package instrument

import (
	"errors"
	"fmt"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// FuelExport is the name of the mutable i64 global in which a metered module keeps the fuel
// left.
const FuelExport = "__ssprove_fuel"

// OutOfFuel reports whether fuel, the value of a metered module's FuelExport global after a
// call trapped, says that the call ran out of fuel rather than trapped on its own. The
// instrumentation subtracts first and traps when the result is negative, and it never
// leaves the global negative otherwise, so a negative value is proof of running out, whatever
// trap the engine reported (unreachable, or divide by zero where the code was nested too
// deeply for the usual check; see Meter).
func OutOfFuel(fuel int64) bool { return fuel < 0 }

// Meter is MeterWithFuel(bin, 0): the caller sets the fuel global before every call.
func Meter(bin []byte) ([]byte, error) { return MeterWithFuel(bin, 0) }

// MeterWithFuel returns bin with fuel metering compiled in, for engines that have none. A new
// mutable i64 global, after all existing globals and exported as FuelExport, starts at
// initial (which also pays for the start function, as interp.Config.Fuel does) and holds the
// fuel left; the caller sets it to the budget before a call and reads it afterwards.
//
// The charges are those of the interpreter (runtime/wasm/interp), instruction for
// instruction, with one difference in timing: the static cost of each straight-line run of
// code is charged when the run starts, not instruction by instruction. Runs end at every
// instruction that may transfer control, calls included, so a charge never pays for code
// that a branch skips or for a callee. The costs that depend on values are charged around
// their instructions: a branch to the function's outermost label pays 1 more, for the
// function's end that it lands on in the interpreter; memory.copy and memory.fill pay n/64
// before they run, and memory.grow pays 1024 a page after it succeeded. Hence, for any budget
// F from 0 to math.MaxInt64 (interp takes a uint64; the global is signed):
//
//   - the metered call completes if and only if the interpreter, given F, completes the same
//     call on bin, and then results, memory, globals and the fuel left in the global equal
//     the interpreter's (Instance.Fuel);
//   - when the interpreter runs out of fuel, the metered call traps with the global negative
//     (OutOfFuel);
//   - when the interpreter traps on its own, the metered call traps the same way, or runs
//     out of fuel first, since it charges earlier; a metered trap with the global not
//     negative is always the trap the interpreter reports.
//
// What a trap leaves behind is not comparable: the metered module stops at the start of the
// run it cannot pay for, before side effects the interpreter performs up to the instruction
// it cannot pay for, and it traps after a memory.grow that it could not pay for, with the
// memory grown. Callers discard the state of a call that ran out, as a transaction does.
// Where the call stack runs out is each engine's own, as without metering; the scratch locals
// and the few operand slots the charges use make wazero's frames slightly larger. A host
// function spends nothing beyond the 10 of its call, as in the interpreter; one that charges
// more (interp's Instance.UseFuel) must subtract it from the global itself.
//
// The checks trap with unreachable inside an if block; in code already nested as deeply as
// wasm.DefaultLimits allows, an if would pass the limit, so there the check divides by zero
// instead. Functions that need them get one or two i32 locals more, after their own. bin is
// decoded and validated with wasm.DefaultLimits, and a module that already exports FuelExport
// is refused.
func MeterWithFuel(bin []byte, initial int64) ([]byte, error) {
	if initial < 0 {
		return nil, fmt.Errorf("instrument: negative initial fuel %d", initial)
	}
	lim := wasm.DefaultLimits()
	m, err := wasm.Load(bin, lim)
	if err != nil {
		return nil, fmt.Errorf("instrument: %w", err)
	}
	for _, e := range m.Exports {
		if e.Name == FuelExport {
			return nil, fmt.Errorf("instrument: module already exports %q: %w", FuelExport, ErrReserved)
		}
	}
	nglobals := m.NumImportedGlobals() + len(m.Globals)
	if nglobals+1 > lim.MaxGlobals || len(m.Exports)+1 > lim.MaxExports {
		return nil, fmt.Errorf("instrument: adding the fuel global: %w", ErrLimit)
	}
	fuel := uint32(nglobals)
	secs, err := splitSections(bin)
	if err != nil {
		return nil, fmt.Errorf("instrument: %w", err)
	}
	repl := make(map[byte][]byte, 3)

	count, rest, err := vecPayload(secs, secGlobal)
	if err != nil {
		return nil, fmt.Errorf("instrument: global section: %w", err)
	}
	g := appendU32(nil, count+1)
	g = append(g, rest...)
	g = append(g, byte(wasm.I64), 1, byte(wasm.OpI64Const))
	g = wasm.AppendSigned(g, initial)
	repl[secGlobal] = append(g, byte(wasm.OpEnd))

	if repl[secExport], err = appendExports(secs, []wasm.Export{{Name: FuelExport, Kind: wasm.ExternGlobal, Index: fuel}}); err != nil {
		return nil, fmt.Errorf("instrument: %w", err)
	}

	if len(m.Funcs) > 0 {
		mt := meterer{bin: bin, m: m, fuel: fuel, maxNesting: lim.MaxNesting, maxLocals: lim.MaxLocals}
		code := appendU32(nil, uint32(len(m.Funcs)))
		for i := range m.Funcs {
			if code, err = mt.function(code, i); err != nil {
				return nil, fmt.Errorf("instrument: function %d: %w", m.NumImportedFuncs()+i, err)
			}
		}
		repl[secCode] = code
	}
	return finish(secs, repl)
}

// meterer rewrites function bodies. Its buffers are reused from one function to the next.
type meterer struct {
	bin        []byte
	m          *wasm.Module
	fuel       uint32 // index of the fuel global
	maxNesting int
	maxLocals  int

	// The function being rewritten.
	scratch  uint32 // index of the first scratch local
	nscratch int    // scratch locals used so far
	out      []byte // the rewritten instructions of the runs already ended
	seg      []byte // the instructions of the current run, instrumentation included
	cost     uint64 // the static cost of the current run
	depth    int    // control frames open here, the function's own included
	segDepth int    // depth at the start of the current run, where its charge goes
	targets  []uint32
}

// function appends the code section entry of defined function i, metered, to dst.
func (mt *meterer) function(dst []byte, i int) ([]byte, error) {
	m := mt.m
	f := &m.Funcs[i]
	ft, ok := m.FuncType(uint32(m.NumImportedFuncs() + i))
	if !ok {
		return nil, fmt.Errorf("unknown type %d", f.TypeIndex)
	}
	nlocals := len(ft.Params) + f.NumLocals
	mt.scratch, mt.nscratch = uint32(nlocals), 0
	mt.out, mt.seg, mt.cost = mt.out[:0], mt.seg[:0], 0
	mt.depth, mt.segDepth = 1, 1

	// WalkBody gives each instruction's start; its end is where the next one starts, so
	// each instruction is handled when the next one arrives.
	var prev wasm.Instr
	started := false
	err := m.WalkBody(i, func(in *wasm.Instr) error {
		if started {
			if err := mt.instr(&prev, in.Offset); err != nil {
				return err
			}
		}
		prev, started = *in, true
		if in.Op == wasm.OpBrTable {
			// WalkBody reuses the slice for the next instruction.
			mt.targets = append(mt.targets[:0], in.Targets...)
			prev.Targets = mt.targets
		}
		return nil
	})
	if err == nil && started {
		err = mt.instr(&prev, f.BodyOffset+len(f.Body))
	}
	if err != nil {
		return nil, err
	}
	if mt.depth != 0 || len(mt.seg) != 0 {
		return nil, errors.New("body does not end with its final end")
	}
	if nlocals+mt.nscratch > mt.maxLocals {
		return nil, fmt.Errorf("%d scratch locals: %w", mt.nscratch, ErrLimit)
	}

	groups := len(f.Locals)
	if mt.nscratch > 0 {
		groups++
	}
	body := appendU32(nil, uint32(groups))
	for _, g := range f.Locals {
		body = appendU32(body, g.Count)
		body = append(body, byte(g.Type))
	}
	if mt.nscratch > 0 {
		body = appendU32(body, uint32(mt.nscratch))
		body = append(body, byte(wasm.I32))
	}
	dst = appendU32(dst, uint32(len(body)+len(mt.out)))
	dst = append(dst, body...)
	return append(dst, mt.out...), nil
}

// instr adds in, which ends at byte end of the module, to the current run.
func (mt *meterer) instr(in *wasm.Instr, end int) error {
	if in.Offset < 0 || end < in.Offset || end > len(mt.bin) {
		return fmt.Errorf("instruction at %#x: bad extent", in.Offset)
	}
	raw := mt.bin[in.Offset:end]
	fnLabel := uint32(mt.depth - 1) // the label of the function's own block, here
	mt.cost += cost(in.Op)
	switch in.Op {
	case wasm.OpEnd:
		if mt.depth == 1 {
			mt.cost++ // the function's end is the interpreter's return
		}
	case wasm.OpBr:
		if in.A == fnLabel {
			mt.cost++ // lands on the function's end
		}
	case wasm.OpBrIf:
		if in.A == fnLabel {
			// Pays 1 more only when taken: charge cond != 0.
			s := mt.local(0)
			mt.seg = appendIdx(mt.seg, wasm.OpLocalSet, s)
			mt.seg = appendIdx(mt.seg, wasm.OpGlobalGet, mt.fuel)
			mt.seg = appendIdx(mt.seg, wasm.OpLocalGet, s)
			mt.seg = append(mt.seg, byte(wasm.OpI32Const), 0, byte(wasm.OpI32Ne), byte(wasm.OpI64ExtendI32U))
			mt.debit()
			mt.seg = appendIdx(mt.seg, wasm.OpLocalGet, s)
		}
	case wasm.OpBrTable:
		mt.brTable(in, fnLabel)
	case wasm.OpMemoryGrow:
		// Pages are paid for only when the grow succeeds, which only the grow itself can
		// tell (the engine's cap on memory is not in the module): pay after it.
		s, t := mt.local(0), mt.local(1)
		mt.seg = appendIdx(mt.seg, wasm.OpLocalTee, s)
		mt.seg = append(mt.seg, raw...)
		mt.seg = appendIdx(mt.seg, wasm.OpLocalTee, t)
		mt.seg = appendIdx(mt.seg, wasm.OpGlobalGet, mt.fuel)
		mt.seg = appendIdx(mt.seg, wasm.OpLocalGet, s)
		mt.seg = append(mt.seg, byte(wasm.OpI64ExtendI32U), byte(wasm.OpI64Const))
		mt.seg = wasm.AppendSigned(mt.seg, growPageCost)
		mt.seg = append(mt.seg, byte(wasm.OpI64Mul), byte(wasm.OpI64Const), 0)
		mt.seg = appendIdx(mt.seg, wasm.OpLocalGet, t)
		mt.seg = append(mt.seg, byte(wasm.OpI32Const), 0x7f, byte(wasm.OpI32Ne), byte(wasm.OpSelect))
		mt.debit()
		return nil
	case wasm.OpMemoryCopy, wasm.OpMemoryFill:
		// The length is the top operand: charge length/64 before the instruction runs.
		s := mt.local(0)
		mt.seg = appendIdx(mt.seg, wasm.OpLocalTee, s)
		mt.seg = appendIdx(mt.seg, wasm.OpGlobalGet, mt.fuel)
		mt.seg = appendIdx(mt.seg, wasm.OpLocalGet, s)
		mt.seg = append(mt.seg, byte(wasm.OpI64ExtendI32U), byte(wasm.OpI64Const), bytesPerFuelShift, byte(wasm.OpI64ShrU))
		mt.debit()
	}
	mt.seg = append(mt.seg, raw...)
	switch in.Op {
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf:
		mt.depth++
	case wasm.OpEnd:
		mt.depth--
	}
	if endsRun(in.Op) {
		mt.flush()
	}
	return nil
}

// brTable charges the extra 1 of a br_table whose chosen target may be the function's label.
func (mt *meterer) brTable(in *wasm.Instr, fnLabel uint32) {
	hits := 0
	for _, t := range in.Targets {
		if t == fnLabel {
			hits++
		}
	}
	if in.A == fnLabel {
		hits++
	}
	switch hits {
	case 0:
		return
	case len(in.Targets) + 1:
		mt.cost++
		return
	}
	// The index selects Targets[i], or the default from len(Targets) on: charge 1 when the
	// index falls in a run of entries that name the function's label.
	s := mt.local(0)
	mt.seg = appendIdx(mt.seg, wasm.OpLocalSet, s)
	mt.seg = appendIdx(mt.seg, wasm.OpGlobalGet, mt.fuel)
	terms := 0
	or := func() {
		if terms++; terms > 1 {
			mt.seg = append(mt.seg, byte(wasm.OpI32Or))
		}
	}
	term := func(lo, n uint32) { // lo <= s < lo+n, unsigned, as one i32 0 or 1
		mt.seg = appendIdx(mt.seg, wasm.OpLocalGet, s)
		if lo != 0 {
			mt.seg = appendI32(mt.seg, lo)
			mt.seg = append(mt.seg, byte(wasm.OpI32Sub))
		}
		mt.seg = appendI32(mt.seg, n)
		mt.seg = append(mt.seg, byte(wasm.OpI32LtU))
		or()
	}
	n := uint32(len(in.Targets))
	for i := uint32(0); i < n; {
		if in.Targets[i] != fnLabel {
			i++
			continue
		}
		j := i
		for j < n && in.Targets[j] == fnLabel {
			j++
		}
		term(i, j-i)
		i = j
	}
	if in.A == fnLabel {
		mt.seg = appendIdx(mt.seg, wasm.OpLocalGet, s)
		mt.seg = appendI32(mt.seg, n)
		mt.seg = append(mt.seg, byte(wasm.OpI32GeU))
		or()
	}
	mt.seg = append(mt.seg, byte(wasm.OpI64ExtendI32U))
	mt.debit()
	mt.seg = appendIdx(mt.seg, wasm.OpLocalGet, s)
}

// debit subtracts the i64 on top of the stack, after the fuel global's value below it, from
// the fuel global, and traps when the result is negative.
func (mt *meterer) debit() {
	mt.seg = append(mt.seg, byte(wasm.OpI64Sub))
	mt.seg = appendIdx(mt.seg, wasm.OpGlobalSet, mt.fuel)
	mt.seg = mt.check(mt.seg, mt.depth)
}

// flush ends the current run: its charge, then its code, go to out.
func (mt *meterer) flush() {
	if mt.cost > 0 {
		mt.out = appendIdx(mt.out, wasm.OpGlobalGet, mt.fuel)
		mt.out = append(mt.out, byte(wasm.OpI64Const))
		mt.out = wasm.AppendSigned(mt.out, int64(mt.cost))
		mt.out = append(mt.out, byte(wasm.OpI64Sub))
		mt.out = appendIdx(mt.out, wasm.OpGlobalSet, mt.fuel)
		mt.out = mt.check(mt.out, mt.segDepth)
	}
	mt.out = append(mt.out, mt.seg...)
	mt.seg, mt.cost, mt.segDepth = mt.seg[:0], 0, mt.depth
}

// check appends code that traps when the fuel global is negative, at a place where depth
// control frames are open.
func (mt *meterer) check(b []byte, depth int) []byte {
	if depth < mt.maxNesting {
		b = appendIdx(b, wasm.OpGlobalGet, mt.fuel)
		return append(b, byte(wasm.OpI64Const), 0, byte(wasm.OpI64LtS),
			byte(wasm.OpIf), 0x40, byte(wasm.OpUnreachable), byte(wasm.OpEnd))
	}
	// One block more would be nested too deeply: 1 / (fuel >= 0) traps without one.
	b = append(b, byte(wasm.OpI32Const), 1)
	b = appendIdx(b, wasm.OpGlobalGet, mt.fuel)
	return append(b, byte(wasm.OpI64Const), 0, byte(wasm.OpI64GeS), byte(wasm.OpI32DivU), byte(wasm.OpDrop))
}

// local returns the index of scratch local k, declaring it.
func (mt *meterer) local(k int) uint32 {
	mt.nscratch = max(mt.nscratch, k+1)
	return mt.scratch + uint32(k)
}

// endsRun reports the instructions after which a run of straight-line code ends: those that
// may transfer control, and those where control may arrive from elsewhere (the start of a
// loop, the end of a block). block is not one: it is only ever entered from the code before it.
func endsRun(op wasm.Opcode) bool {
	switch op {
	case wasm.OpLoop, wasm.OpIf, wasm.OpElse, wasm.OpEnd, wasm.OpBr, wasm.OpBrIf, wasm.OpBrTable,
		wasm.OpReturn, wasm.OpUnreachable, wasm.OpCall, wasm.OpCallIndirect:
		return true
	}
	return false
}

// Costs beyond an instruction's own, as runtime/wasm/interp charges them.
const (
	growPageCost      = 1024
	bytesPerFuelShift = 6 // 64 bytes per unit of fuel
)

// cost is what the interpreter charges for op, its value-dependent parts aside. else costs 1
// because the interpreter compiles it to a branch over the else arm, taken when the then arm
// falls through to it (the only way to reach it); block, loop, nop and end are compiled away,
// the function's final end aside, which is a return (see meterer.instr).
func cost(op wasm.Opcode) uint64 {
	switch op {
	case wasm.OpNop, wasm.OpBlock, wasm.OpLoop, wasm.OpEnd:
		return 0
	case wasm.OpI32DivS, wasm.OpI32DivU, wasm.OpI32RemS, wasm.OpI32RemU,
		wasm.OpI64DivS, wasm.OpI64DivU, wasm.OpI64RemS, wasm.OpI64RemU:
		return 4
	case wasm.OpCall, wasm.OpCallIndirect, wasm.OpMemoryGrow:
		return 10
	case wasm.OpMemoryCopy, wasm.OpMemoryFill:
		return 4
	}
	if op >= wasm.OpI32Load && op <= wasm.OpMemorySize {
		return 2
	}
	return 1
}

func appendIdx(b []byte, op wasm.Opcode, idx uint32) []byte {
	return appendU32(append(b, byte(op)), idx)
}

// appendI32 appends i32.const v, v taken as the bits of an i32.
func appendI32(b []byte, v uint32) []byte {
	return wasm.AppendSigned(append(b, byte(wasm.OpI32Const)), int64(int32(v)))
}
