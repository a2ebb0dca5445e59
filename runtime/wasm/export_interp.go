package wasm

import "fmt"

// Instr is one decoded instruction of a function body, as WalkBody hands it to a compiler.
type Instr struct {
	Op     Opcode
	Offset int // in the module binary
	// BlockParams and BlockResults are the arities of block, loop and if, their type resolved.
	BlockParams, BlockResults int
	// A and B are the index immediates: the label of br/br_if, the default label of br_table,
	// the function of call, the type (A) and table (B) of call_indirect, the local or global,
	// and the alignment (A) and offset (B) of a load or store.
	A, B uint32
	// Value is the constant of i32.const (sign-extended) and i64.const.
	Value int64
	// Targets are br_table's labels; the slice is reused for the next instruction.
	Targets []uint32
}

// WalkBody decodes the body of defined function i (0 is the first function the module defines,
// not counting imports) and calls visit for each instruction in order, the final end included.
// It exists so that an interpreter can compile bodies without a decoder of its own; the module
// must have passed Validate, which is what makes the walk total.
func (m *Module) WalkBody(i int, visit func(*Instr) error) error {
	if i < 0 || i >= len(m.Funcs) {
		return fmt.Errorf("wasm: no defined function %d", i)
	}
	f := &m.Funcs[i]
	r := reader{data: f.Body, end: len(f.Body), fn: m.numImportedFuncs + i}
	var in instr
	var out Instr
	for r.pos < r.end {
		if err := readInstr(&r, &in); err != nil {
			return err
		}
		out = Instr{Op: in.op, Offset: f.BodyOffset + in.offset, A: in.a, B: in.b, Value: in.value, Targets: in.targets}
		// in.bt is stale for anything but block, loop and if: readInstr sets it only for those.
		switch blk := in.op == OpBlock || in.op == OpLoop || in.op == OpIf; {
		case !blk:
		case in.bt.kind == blockValue:
			out.BlockResults = 1
		case in.bt.kind == blockIndex:
			if uint64(in.bt.index) >= uint64(len(m.Types)) {
				return fmt.Errorf("wasm: function %d at offset %#x: unknown block type %d", r.fn, out.Offset, in.bt.index)
			}
			t := m.Types[in.bt.index]
			out.BlockParams, out.BlockResults = len(t.Params), len(t.Results)
		}
		if err := visit(&out); err != nil {
			return err
		}
	}
	return nil
}
