package interp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// callInto calls f with args and writes its results to res. Functions of this instance run
// on its own stacks; host functions and functions of other instances are called in Go.
func (inst *Instance) callInto(ctx context.Context, f *Function, args, res []uint64) (Status, error) {
	if err := ctx.Err(); err != nil {
		return Done, fmt.Errorf("interp: %w", err)
	}
	switch {
	case f.host != nil:
		err := f.host.Fn(ctx, inst, args, res)
		if errors.Is(err, ErrSuspend) {
			// Resume supplies the results; what the host wrote before suspending would
			// otherwise land on the stack and in snapshots.
			clear(res)
			inst.pending, inst.pendingArgs = f, append([]uint64(nil), args...)
			return Suspended, nil
		}
		if err != nil {
			return Done, fmt.Errorf("interp: host function: %w", err)
		}
		return Done, nil
	case f.inst != inst:
		other := f.inst
		if other.reentry >= maxReentry {
			return Done, &Trap{Code: TrapCallStackExhausted, Func: -1, PC: -1, Offset: -1}
		}
		other.reentry++
		depth0 := len(other.frames)
		out, st, err := other.callFunction(ctx, f, args)
		other.reentry--
		if st == Suspended {
			// other cannot be resumed from here: the call into it is a Go call of ours.
			other.unwind(0, depth0)
			return Done, errors.New("interp: a host function suspended inside a call to another instance")
		}
		copy(res, out)
		return Done, err
	}
	sp0 := inst.sp
	if !inst.reserve(sp0 + len(args)) {
		return Done, &Trap{Code: TrapValueStackExhausted, Func: -1, PC: -1, Offset: -1}
	}
	copy(inst.stack[sp0:], args)
	inst.sp = sp0 + len(args)
	depth0 := len(inst.frames)
	if err := inst.enter(uint32(f.idx), 0); err != nil {
		return Done, err
	}
	st, err := inst.run(ctx, depth0)
	if st == Suspended || err != nil {
		return st, err
	}
	copy(res, inst.stack[sp0:inst.sp])
	inst.sp = sp0
	return Done, nil
}

// reserve makes the value stack at least n slots long, and reports false when Config.MaxStack
// does not allow it.
func (inst *Instance) reserve(n int) bool {
	if n <= len(inst.stack) {
		return true
	}
	if n > inst.cfg.MaxStack {
		return false
	}
	s := make([]uint64, min(max(2*len(inst.stack), n), inst.cfg.MaxStack))
	copy(s, inst.stack[:inst.sp])
	inst.stack = s
	return true
}

// enter pushes a frame for defined function idx, whose arguments are the top of the stack;
// pc is the caller's call instruction, where the trap is reported if the limits forbid it.
func (inst *Instance) enter(idx uint32, pc int) error {
	fn := &inst.mod.funcs[idx]
	base := inst.sp - fn.params
	trap := func(code TrapCode) error {
		if len(inst.frames) == 0 {
			return &Trap{Code: code, Func: inst.mod.m.NumImportedFuncs() + int(idx), PC: 0, Offset: -1}
		}
		return inst.trapAt(code, inst.frames[len(inst.frames)-1].fn, pc)
	}
	if len(inst.frames) >= inst.cfg.MaxCallDepth {
		return trap(TrapCallStackExhausted)
	}
	if !inst.reserve(base + fn.height) {
		return trap(TrapValueStackExhausted)
	}
	clear(inst.stack[inst.sp : base+fn.locals])
	inst.sp = base + fn.locals
	inst.frames = append(inst.frames, frame{fn: idx, base: uint32(base)})
	return nil
}

// trapAt builds the trap of the instruction at pc of defined function fidx.
func (inst *Instance) trapAt(code TrapCode, fidx uint32, pc int) *Trap {
	fn := &inst.mod.funcs[fidx]
	off := -1
	if pc >= 0 && pc < len(fn.offsets) {
		off = int(fn.offsets[pc])
	}
	return &Trap{Code: code, Func: inst.mod.m.NumImportedFuncs() + int(fidx), PC: pc, Offset: off}
}

// run executes from the innermost frame until the frame stack is back to depth0 frames.
func (inst *Instance) run(ctx context.Context, depth0 int) (Status, error) {
	inst.startRun()
	st, err := inst.loop(ctx, depth0)
	inst.endRun(st, err)
	return st, err
}

// loop is run's interpreter loop. The registers below are the innermost frame's; they go back
// to the Instance around anything that may look at it (calls out, traps, suspension).
func (inst *Instance) loop(ctx context.Context, depth0 int) (Status, error) {
	mod := inst.mod
	fr := inst.frames[len(inst.frames)-1]
	fidx := fr.fn
	fn := &mod.funcs[fidx]
	code := fn.code
	pc := int(fr.pc)
	base := int(fr.base)
	stack := inst.stack
	sp := inst.sp
	fuel := inst.fuel
	var mem []byte
	if inst.memory != nil {
		mem = inst.memory.bytes
	}
	var hostRes [8]uint64
	var tc TrapCode // set before goto trapped
step:
	for {
		c := &code[pc]
		if fuel < uint64(c.cost) {
			pc++
			tc = stepOutOfFuel
			goto trapped
		}
		fuel -= uint64(c.cost)
		pc++
		switch c.op {
		case byte(wasm.OpUnreachable):
			tc = TrapUnreachable
			goto trapped
		case byte(wasm.OpIf):
			sp--
			if uint32(stack[sp]) == 0 {
				pc = int(c.a)
			}
		case byte(wasm.OpBr):
			t := &fn.targets[c.a]
			dst := base + int(t.height)
			n := int(t.arity)
			copy(stack[dst:dst+n], stack[sp-n:sp])
			sp, pc = dst+n, int(t.pc)
		case byte(wasm.OpBrIf):
			sp--
			if uint32(stack[sp]) != 0 {
				t := &fn.targets[c.a]
				dst := base + int(t.height)
				n := int(t.arity)
				copy(stack[dst:dst+n], stack[sp-n:sp])
				sp, pc = dst+n, int(t.pc)
			}
		case byte(wasm.OpBrTable):
			sp--
			i := uint32(stack[sp])
			if i > c.b {
				i = c.b
			}
			t := &fn.targets[fn.tables[c.a+i]]
			dst := base + int(t.height)
			n := int(t.arity)
			copy(stack[dst:dst+n], stack[sp-n:sp])
			sp, pc = dst+n, int(t.pc)
		case byte(wasm.OpReturn):
			n := fn.results
			copy(stack[base:base+n], stack[sp-n:sp])
			sp = base + n
			inst.frames = inst.frames[:len(inst.frames)-1]
			if len(inst.frames) == depth0 {
				inst.sp, inst.fuel = sp, fuel
				return Done, nil
			}
			fr = inst.frames[len(inst.frames)-1]
			fidx, pc, base = fr.fn, int(fr.pc), int(fr.base)
			fn = &mod.funcs[fidx]
			code = fn.code
		case byte(wasm.OpCall):
			inst.frames[len(inst.frames)-1].pc = uint32(pc)
			inst.sp = sp
			if err := inst.enter(c.a, pc-1); err != nil {
				inst.fuel = fuel
				return Done, err
			}
			fr = inst.frames[len(inst.frames)-1]
			fidx, pc, base = fr.fn, 0, int(fr.base)
			fn = &mod.funcs[fidx]
			code, stack, sp = fn.code, inst.stack, inst.sp
		case byte(wasm.OpCallIndirect), opCallImport:
			var f *Function
			if c.op == opCallImport {
				f = inst.funcs[c.a]
			} else {
				sp--
				i := uint32(stack[sp])
				if inst.table == nil || uint64(i) >= uint64(len(inst.table.elems)) {
					tc = TrapUndefinedElement
					goto trapped
				}
				if f = inst.table.elems[i]; f == nil {
					tc = TrapUninitializedElement
					goto trapped
				}
				if f.sig != mod.sigs[c.a] {
					tc = TrapIndirectCallType
					goto trapped
				}
			}
			inst.frames[len(inst.frames)-1].pc = uint32(pc)
			inst.sp = sp
			if f.inst == inst && f.host == nil {
				if err := inst.enter(uint32(f.idx), pc-1); err != nil {
					inst.fuel = fuel
					return Done, err
				}
				fr = inst.frames[len(inst.frames)-1]
				fidx, pc, base = fr.fn, 0, int(fr.base)
				fn = &mod.funcs[fidx]
				code, stack, sp = fn.code, inst.stack, inst.sp
				continue
			}
			np, nr := len(f.typ.Params), len(f.typ.Results)
			var res []uint64
			if nr <= len(hostRes) {
				res = hostRes[:nr]
			} else {
				res = make([]uint64, nr)
			}
			inst.fuel = fuel
			st, err := inst.callInto(ctx, f, stack[sp-np:sp], res)
			fuel, stack = inst.credit(), inst.stack
			if inst.memory != nil {
				mem = inst.memory.bytes
			}
			if err != nil {
				inst.sp = sp
				var t *Trap
				if errors.As(err, &t) && t.Func < 0 {
					tc = t.Code
					goto trapped
				}
				return Done, err
			}
			sp -= np
			copy(stack[sp:], res)
			sp += nr
			if st == Suspended {
				inst.sp = sp
				return Suspended, nil
			}
		case byte(wasm.OpDrop):
			sp--
		case byte(wasm.OpSelect), byte(wasm.OpSelectTyped):
			sp -= 2
			if uint32(stack[sp+1]) == 0 {
				stack[sp-1] = stack[sp]
			}
		case byte(wasm.OpLocalGet):
			stack[sp] = stack[base+int(c.a)]
			sp++
		case byte(wasm.OpLocalSet):
			sp--
			stack[base+int(c.a)] = stack[sp]
		case byte(wasm.OpLocalTee):
			stack[base+int(c.a)] = stack[sp-1]
		case byte(wasm.OpGlobalGet):
			stack[sp] = inst.globals[c.a].Value
			sp++
		case byte(wasm.OpGlobalSet):
			sp--
			inst.globals[c.a].Value = stack[sp]

		case byte(wasm.OpI32Load), byte(wasm.OpI64Load), byte(wasm.OpI32Load8S), byte(wasm.OpI32Load8U),
			byte(wasm.OpI32Load16S), byte(wasm.OpI32Load16U), byte(wasm.OpI64Load8S), byte(wasm.OpI64Load8U),
			byte(wasm.OpI64Load16S), byte(wasm.OpI64Load16U), byte(wasm.OpI64Load32S), byte(wasm.OpI64Load32U):
			ea := uint64(uint32(stack[sp-1])) + uint64(c.a)
			w := loadWidth[c.op]
			if ea+w > uint64(len(mem)) {
				tc = TrapMemoryOutOfBounds
				goto trapped
			}
			stack[sp-1] = load(c.op, mem[ea:ea+w])
		case byte(wasm.OpI32Store), byte(wasm.OpI64Store), byte(wasm.OpI32Store8), byte(wasm.OpI32Store16),
			byte(wasm.OpI64Store8), byte(wasm.OpI64Store16), byte(wasm.OpI64Store32):
			sp -= 2
			ea := uint64(uint32(stack[sp])) + uint64(c.a)
			v := stack[sp+1]
			switch c.op {
			case byte(wasm.OpI32Store8), byte(wasm.OpI64Store8):
				if ea >= uint64(len(mem)) {
					tc = TrapMemoryOutOfBounds
					goto trapped
				}
				mem[ea] = byte(v)
			case byte(wasm.OpI32Store16), byte(wasm.OpI64Store16):
				if ea+2 > uint64(len(mem)) {
					tc = TrapMemoryOutOfBounds
					goto trapped
				}
				binary.LittleEndian.PutUint16(mem[ea:], uint16(v))
			case byte(wasm.OpI32Store), byte(wasm.OpI64Store32):
				if ea+4 > uint64(len(mem)) {
					tc = TrapMemoryOutOfBounds
					goto trapped
				}
				binary.LittleEndian.PutUint32(mem[ea:], uint32(v))
			default:
				if ea+8 > uint64(len(mem)) {
					tc = TrapMemoryOutOfBounds
					goto trapped
				}
				binary.LittleEndian.PutUint64(mem[ea:], v)
			}
		case byte(wasm.OpMemorySize):
			stack[sp] = uint64(len(mem) / PageSize)
			sp++
		case byte(wasm.OpMemoryGrow):
			n := uint32(stack[sp-1])
			m := inst.memory
			if uint64(m.Pages())+uint64(n) > uint64(m.max) {
				stack[sp-1] = uint64(math.MaxUint32)
				continue
			}
			cost := uint64(n) * growPageCost
			if fuel < cost {
				tc = TrapOutOfFuel
				goto trapped
			}
			fuel -= cost
			stack[sp-1] = uint64(uint32(m.grow(n)))
			mem = m.bytes
		case opMemoryCopy, opMemoryFill:
			sp -= 3
			d, x, n := uint64(uint32(stack[sp])), stack[sp+1], uint64(uint32(stack[sp+2]))
			src := uint64(uint32(x))
			if c.op == opMemoryFill {
				src = d
			}
			if d+n > uint64(len(mem)) || src+n > uint64(len(mem)) {
				tc = TrapMemoryOutOfBounds
				goto trapped
			}
			cost := n / bytesPerFuel
			if fuel < cost {
				tc = TrapOutOfFuel
				goto trapped
			}
			fuel -= cost
			if c.op == opMemoryCopy {
				copy(mem[d:d+n], mem[src:src+n])
			} else {
				b := byte(x)
				for i := range mem[d : d+n] {
					mem[d+uint64(i)] = b
				}
			}
		case byte(wasm.OpI32Const), byte(wasm.OpI64Const):
			stack[sp] = c.v
			sp++

		case byte(wasm.OpI32Eqz):
			stack[sp-1] = b2u(uint32(stack[sp-1]) == 0)
		case byte(wasm.OpI64Eqz):
			stack[sp-1] = b2u(stack[sp-1] == 0)
		case byte(wasm.OpI32Eq), byte(wasm.OpI32Ne), byte(wasm.OpI32LtS), byte(wasm.OpI32LtU), byte(wasm.OpI32GtS),
			byte(wasm.OpI32GtU), byte(wasm.OpI32LeS), byte(wasm.OpI32LeU), byte(wasm.OpI32GeS), byte(wasm.OpI32GeU):
			sp--
			a, b := uint32(stack[sp-1]), uint32(stack[sp])
			stack[sp-1] = b2u(compare(c.op-byte(wasm.OpI32Eq), int64(int32(a)), int64(int32(b)), uint64(a), uint64(b)))
		case byte(wasm.OpI64Eq), byte(wasm.OpI64Ne), byte(wasm.OpI64LtS), byte(wasm.OpI64LtU), byte(wasm.OpI64GtS),
			byte(wasm.OpI64GtU), byte(wasm.OpI64LeS), byte(wasm.OpI64LeU), byte(wasm.OpI64GeS), byte(wasm.OpI64GeU):
			sp--
			a, b := stack[sp-1], stack[sp]
			stack[sp-1] = b2u(compare(c.op-byte(wasm.OpI64Eq), int64(a), int64(b), a, b))

		case byte(wasm.OpI32Add):
			sp--
			stack[sp-1] = uint64(uint32(stack[sp-1]) + uint32(stack[sp]))
		case byte(wasm.OpI32Sub):
			sp--
			stack[sp-1] = uint64(uint32(stack[sp-1]) - uint32(stack[sp]))
		case byte(wasm.OpI32Mul):
			sp--
			stack[sp-1] = uint64(uint32(stack[sp-1]) * uint32(stack[sp]))
		case byte(wasm.OpI32DivS), byte(wasm.OpI32DivU), byte(wasm.OpI32RemS), byte(wasm.OpI32RemU):
			sp--
			var r uint32
			if r, tc = div32(c.op, uint32(stack[sp-1]), uint32(stack[sp])); tc != 0 {
				goto trapped
			}
			stack[sp-1] = uint64(r)
		case byte(wasm.OpI32And):
			sp--
			stack[sp-1] = uint64(uint32(stack[sp-1]) & uint32(stack[sp]))
		case byte(wasm.OpI32Or):
			sp--
			stack[sp-1] = uint64(uint32(stack[sp-1]) | uint32(stack[sp]))
		case byte(wasm.OpI32Xor):
			sp--
			stack[sp-1] = uint64(uint32(stack[sp-1]) ^ uint32(stack[sp]))
		case byte(wasm.OpI32Shl):
			sp--
			stack[sp-1] = uint64(uint32(stack[sp-1]) << (stack[sp] & 31))
		case byte(wasm.OpI32ShrS):
			sp--
			stack[sp-1] = uint64(uint32(int32(stack[sp-1]) >> (stack[sp] & 31)))
		case byte(wasm.OpI32ShrU):
			sp--
			stack[sp-1] = uint64(uint32(stack[sp-1]) >> (stack[sp] & 31))
		case byte(wasm.OpI32Rotl):
			sp--
			stack[sp-1] = uint64(bits.RotateLeft32(uint32(stack[sp-1]), int(stack[sp]&31)))
		case byte(wasm.OpI32Rotr):
			sp--
			stack[sp-1] = uint64(bits.RotateLeft32(uint32(stack[sp-1]), -int(stack[sp]&31)))
		case byte(wasm.OpI32Clz):
			stack[sp-1] = uint64(bits.LeadingZeros32(uint32(stack[sp-1])))
		case byte(wasm.OpI32Ctz):
			stack[sp-1] = uint64(bits.TrailingZeros32(uint32(stack[sp-1])))
		case byte(wasm.OpI32Popcnt):
			stack[sp-1] = uint64(bits.OnesCount32(uint32(stack[sp-1])))

		case byte(wasm.OpI64Add):
			sp--
			stack[sp-1] += stack[sp]
		case byte(wasm.OpI64Sub):
			sp--
			stack[sp-1] -= stack[sp]
		case byte(wasm.OpI64Mul):
			sp--
			stack[sp-1] *= stack[sp]
		case byte(wasm.OpI64DivS), byte(wasm.OpI64DivU), byte(wasm.OpI64RemS), byte(wasm.OpI64RemU):
			sp--
			var r uint64
			if r, tc = div64(c.op, stack[sp-1], stack[sp]); tc != 0 {
				goto trapped
			}
			stack[sp-1] = r
		case byte(wasm.OpI64And):
			sp--
			stack[sp-1] &= stack[sp]
		case byte(wasm.OpI64Or):
			sp--
			stack[sp-1] |= stack[sp]
		case byte(wasm.OpI64Xor):
			sp--
			stack[sp-1] ^= stack[sp]
		case byte(wasm.OpI64Shl):
			sp--
			stack[sp-1] <<= stack[sp] & 63
		case byte(wasm.OpI64ShrS):
			sp--
			stack[sp-1] = uint64(int64(stack[sp-1]) >> (stack[sp] & 63))
		case byte(wasm.OpI64ShrU):
			sp--
			stack[sp-1] >>= stack[sp] & 63
		case byte(wasm.OpI64Rotl):
			sp--
			stack[sp-1] = bits.RotateLeft64(stack[sp-1], int(stack[sp]&63))
		case byte(wasm.OpI64Rotr):
			sp--
			stack[sp-1] = bits.RotateLeft64(stack[sp-1], -int(stack[sp]&63))
		case byte(wasm.OpI64Clz):
			stack[sp-1] = uint64(bits.LeadingZeros64(stack[sp-1]))
		case byte(wasm.OpI64Ctz):
			stack[sp-1] = uint64(bits.TrailingZeros64(stack[sp-1]))
		case byte(wasm.OpI64Popcnt):
			stack[sp-1] = uint64(bits.OnesCount64(stack[sp-1]))

		case byte(wasm.OpI32WrapI64):
			stack[sp-1] = uint64(uint32(stack[sp-1]))
		case byte(wasm.OpI64ExtendI32S):
			stack[sp-1] = uint64(int64(int32(stack[sp-1])))
		case byte(wasm.OpI64ExtendI32U):
			stack[sp-1] = uint64(uint32(stack[sp-1]))
		case byte(wasm.OpI32Extend8S):
			stack[sp-1] = uint64(uint32(int32(int8(stack[sp-1]))))
		case byte(wasm.OpI32Extend16S):
			stack[sp-1] = uint64(uint32(int32(int16(stack[sp-1]))))
		case byte(wasm.OpI64Extend8S):
			stack[sp-1] = uint64(int64(int8(stack[sp-1])))
		case byte(wasm.OpI64Extend16S):
			stack[sp-1] = uint64(int64(int16(stack[sp-1])))
		case byte(wasm.OpI64Extend32S):
			stack[sp-1] = uint64(int64(int32(stack[sp-1])))
		default:
			inst.sp, inst.fuel = sp, fuel
			return Done, fmt.Errorf("interp: function %d pc %d: unknown compiled opcode %#x", int(fidx)+mod.m.NumImportedFuncs(), pc-1, c.op)
		}
	}
trapped:
	if tc == stepOutOfFuel {
		// Tracing runs the loop on one instruction's credit at a time, so every instruction
		// comes here first; the hot loop is left as it is untraced.
		var ok bool
		if fuel, ok = inst.traceStep(fidx, pc-1, sp, fuel); ok {
			pc--
			goto step
		}
		tc = TrapOutOfFuel
	}
	inst.sp, inst.fuel = sp, fuel
	return Done, inst.trapAt(tc, fidx, pc-1)
}

// stepOutOfFuel is the trap code of the fuel check before each instruction, which is
// TrapOutOfFuel unless tracing (see traceStep).
const stepOutOfFuel TrapCode = -1

// Fuel costs beyond an instruction's own; see the package documentation.
const (
	growPageCost = 1024
	bytesPerFuel = 64
)

var loadWidth = func() (w [256]uint64) {
	for op, n := range map[wasm.Opcode]uint64{
		wasm.OpI32Load: 4, wasm.OpI64Load: 8, wasm.OpI32Load8S: 1, wasm.OpI32Load8U: 1, wasm.OpI32Load16S: 2,
		wasm.OpI32Load16U: 2, wasm.OpI64Load8S: 1, wasm.OpI64Load8U: 1, wasm.OpI64Load16S: 2,
		wasm.OpI64Load16U: 2, wasm.OpI64Load32S: 4, wasm.OpI64Load32U: 4,
	} {
		w[op] = n
	}
	return w
}()

// load reads the value a load instruction produces from b, which has its width.
func load(op byte, b []byte) uint64 {
	switch op {
	case byte(wasm.OpI32Load), byte(wasm.OpI64Load32U):
		return uint64(binary.LittleEndian.Uint32(b))
	case byte(wasm.OpI64Load):
		return binary.LittleEndian.Uint64(b)
	case byte(wasm.OpI32Load8S):
		return uint64(uint32(int32(int8(b[0]))))
	case byte(wasm.OpI32Load8U), byte(wasm.OpI64Load8U):
		return uint64(b[0])
	case byte(wasm.OpI32Load16S):
		return uint64(uint32(int32(int16(binary.LittleEndian.Uint16(b)))))
	case byte(wasm.OpI32Load16U), byte(wasm.OpI64Load16U):
		return uint64(binary.LittleEndian.Uint16(b))
	case byte(wasm.OpI64Load8S):
		return uint64(int64(int8(b[0])))
	case byte(wasm.OpI64Load16S):
		return uint64(int64(int16(binary.LittleEndian.Uint16(b))))
	default: // OpI64Load32S
		return uint64(int64(int32(binary.LittleEndian.Uint32(b))))
	}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// compare evaluates comparison k, counted from eq in the order the i32 and
// i64 opcodes share (eq, ne, lt_s, lt_u, gt_s, gt_u, le_s, le_u, ge_s, ge_u),
// on operands given as 64-bit values: i32 operands sign- or zero-extended by
// the caller, so one function serves both widths.
func compare(k byte, sa, sb int64, ua, ub uint64) bool {
	switch k {
	case 0:
		return ua == ub
	case 1:
		return ua != ub
	case 2:
		return sa < sb
	case 3:
		return ua < ub
	case 4:
		return sa > sb
	case 5:
		return ua > ub
	case 6:
		return sa <= sb
	case 7:
		return ua <= ub
	case 8:
		return sa >= sb
	default:
		return ua >= ub
	}
}

// div32 is i32 division and remainder with the spec's traps; Go defines INT_MIN % -1 as 0,
// as WebAssembly does, but INT_MIN / -1 must trap. div32 and div64 stay two functions:
// folding them into one on widened operands, as compare does, measured 13% slower on
// BenchmarkFNV, which never divides, through the layout of the dispatch loop.
func div32(op byte, a, b uint32) (uint32, TrapCode) {
	if b == 0 {
		return 0, TrapDivideByZero
	}
	switch op {
	case byte(wasm.OpI32DivS):
		if int32(a) == math.MinInt32 && int32(b) == -1 {
			return 0, TrapIntegerOverflow
		}
		return uint32(int32(a) / int32(b)), 0
	case byte(wasm.OpI32DivU):
		return a / b, 0
	case byte(wasm.OpI32RemS):
		return uint32(int32(a) % int32(b)), 0
	default: // OpI32RemU
		return a % b, 0
	}
}

func div64(op byte, a, b uint64) (uint64, TrapCode) {
	if b == 0 {
		return 0, TrapDivideByZero
	}
	switch op {
	case byte(wasm.OpI64DivS):
		if int64(a) == math.MinInt64 && int64(b) == -1 {
			return 0, TrapIntegerOverflow
		}
		return uint64(int64(a) / int64(b)), 0
	case byte(wasm.OpI64DivU):
		return a / b, 0
	case byte(wasm.OpI64RemS):
		return uint64(int64(a) % int64(b)), 0
	default: // OpI64RemU
		return a % b, 0
	}
}
