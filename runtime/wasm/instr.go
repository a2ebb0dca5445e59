package wasm

import "fmt"

// blockType is the type annotation of block, loop and if.
type blockType struct {
	kind  blockKind
	val   ValType // blockValue
	index uint32  // blockIndex: a type index
}

type blockKind byte

const (
	blockEmpty blockKind = iota // [] -> []
	blockValue                  // [] -> [val]
	blockIndex                  // Types[index]
)

// instr is one decoded instruction with its immediates.
type instr struct {
	op      Opcode
	offset  int
	bt      blockType
	a, b    uint32   // index immediates; memarg align (a) and offset (b); call_indirect type (a), table (b); br_table default (a)
	value   int64    // i32.const / i64.const
	targets []uint32 // br_table labels; the backing array is reused from one instruction to the next
	valType ValType  // typed select
}

// readValType reads a value type, refusing the types of unsupported features by name.
func readValType(r *reader) (ValType, error) {
	off := r.pos
	b, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch b {
	case byte(I32), byte(I64):
		return ValType(b), nil
	case 0x7d:
		return 0, r.unsupported(off, FeatureFloats, "value type f32")
	case 0x7c:
		return 0, r.unsupported(off, FeatureFloats, "value type f64")
	case 0x7b:
		return 0, r.unsupported(off, FeatureSIMD, "value type v128")
	case 0x70:
		return 0, r.unsupported(off, FeatureReferenceTypes, "value type funcref")
	case 0x6f:
		return 0, r.unsupported(off, FeatureReferenceTypes, "value type externref")
	case 0x64, 0x63:
		return 0, r.unsupported(off, FeatureFuncRefs, "typed reference value type")
	}
	return 0, r.errorf(off, "malformed value type %#02x", b)
}

func readBlockType(r *reader) (blockType, error) {
	if r.pos >= r.end {
		return blockType{}, r.errorf(r.pos, "unexpected end")
	}
	switch b := r.data[r.pos]; {
	case b == 0x40:
		r.pos++
		return blockType{kind: blockEmpty}, nil
	case b >= 0x40 && b < 0x80: // a negative one-byte s33: a value type
		t, err := readValType(r)
		return blockType{kind: blockValue, val: t}, err
	}
	off := r.pos
	v, err := r.s33()
	if err != nil {
		return blockType{}, err
	}
	if v < 0 || v > 0xffffffff {
		return blockType{}, r.errorf(off, "malformed block type")
	}
	return blockType{kind: blockIndex, index: uint32(v)}, nil
}

func (r *reader) zeroByte() error {
	off := r.pos
	b, err := r.byte()
	if err != nil {
		return err
	}
	if b != 0 {
		return r.errorf(off, "zero byte expected")
	}
	return nil
}

// readInstr decodes the instruction at r.pos into in. Floats and other unsupported opcodes are
// refused here, before their immediates, so nothing downstream sees them.
func readInstr(r *reader, in *instr) error {
	in.offset = r.pos
	b, err := r.byte()
	if err != nil {
		return err
	}
	op := Opcode(b)
	in.op = op
	switch {
	case op == OpBlock || op == OpLoop || op == OpIf:
		in.bt, err = readBlockType(r)
	case op == OpBr || op == OpBrIf || op == OpCall || (op >= OpLocalGet && op <= OpGlobalSet):
		in.a, err = r.u32()
	case op == OpBrTable:
		var n int
		if n, err = r.count("branch targets", r.remaining()); err != nil {
			return err
		}
		in.targets = in.targets[:0]
		for range n {
			var l uint32
			if l, err = r.u32(); err != nil {
				return err
			}
			in.targets = append(in.targets, l)
		}
		in.a, err = r.u32()
	case op == OpCallIndirect:
		if in.a, err = r.u32(); err != nil {
			return err
		}
		in.b, err = r.u32()
	case op == OpSelectTyped:
		var n int
		if n, err = r.count("select types", r.remaining()); err != nil {
			return err
		}
		if n != 1 {
			return r.invalidf(in.offset, "invalid result arity: typed select with %d types", n)
		}
		in.valType, err = readValType(r)
	case isMemAccess(op):
		off := r.pos
		if in.a, err = r.u32(); err != nil {
			return err
		}
		if in.a&0x40 != 0 {
			return r.unsupported(off, FeatureMultiMemory, "memory index in memarg")
		}
		in.b, err = r.u32()
	case op == OpMemorySize || op == OpMemoryGrow:
		err = r.zeroByte()
	case op == OpI32Const:
		var v int32
		v, err = r.s32()
		in.value = int64(v)
	case op == OpI64Const:
		in.value, err = r.s64()
	case op == OpMiscPrefix:
		return readMiscInstr(r, in)
	case isPlain(op):
	default:
		if f := unsupportedOp(b); f != "" {
			return r.unsupported(in.offset, f, fmt.Sprintf("opcode %#02x", b))
		}
		return r.errorf(in.offset, "illegal opcode %#02x", b)
	}
	return err
}

func readMiscInstr(r *reader, in *instr) error {
	sub, err := r.u32()
	if err != nil {
		return err
	}
	if f := unsupportedMiscOp(sub); f != "" {
		return r.unsupported(in.offset, f, fmt.Sprintf("opcode 0xfc %d", sub))
	}
	switch sub {
	case 10:
		in.op = OpMemoryCopy
		if err := r.zeroByte(); err != nil {
			return err
		}
		return r.zeroByte()
	case 11:
		in.op = OpMemoryFill
		return r.zeroByte()
	}
	return r.errorf(in.offset, "illegal opcode 0xfc %d", sub)
}

func isMemAccess(op Opcode) bool {
	return op >= OpI32Load && op <= OpI64Store32 && unsupportedOp(byte(op)) == ""
}

// isPlain reports the supported opcodes that take no immediates.
func isPlain(op Opcode) bool {
	switch {
	case op == OpUnreachable, op == OpNop, op == OpElse, op == OpEnd, op == OpReturn, op == OpDrop, op == OpSelect,
		op >= OpI32Eqz && op <= OpI64GeU,
		op >= OpI32Clz && op <= OpI64Rotr,
		op == OpI32WrapI64, op == OpI64ExtendI32S, op == OpI64ExtendI32U,
		op >= OpI32Extend8S && op <= OpI64Extend32S:
		return true
	}
	return false
}
