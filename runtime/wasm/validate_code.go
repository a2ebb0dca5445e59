package wasm

// function type-checks body i (a defined function) with the algorithm of the spec's validation
// appendix: an operand stack of types and a stack of control frames, walked once, iteratively.
func (v *validator) function(i int) error {
	m := v.m
	f := &m.Funcs[i]
	v.r = reader{data: f.Body, end: len(f.Body), fn: m.numImportedFuncs + i}
	v.in.offset = 0
	if uint64(f.TypeIndex) >= uint64(len(m.Types)) {
		return v.rebase(f, v.invalidf(0, "unknown type %d", f.TypeIndex))
	}
	ft := m.Types[f.TypeIndex]
	if err := v.expandLocals(f, ft); err != nil {
		return v.rebase(f, err)
	}
	v.vals, v.ctrls = v.vals[:0], v.ctrls[:0]
	v.results, v.maxStack, v.maxDepth = ft.Results, 0, 0
	if err := v.pushCtrl(OpBlock, nil, ft.Results); err != nil {
		return v.rebase(f, err)
	}
	for len(v.ctrls) > 0 {
		if v.r.pos >= v.r.end {
			return v.rebase(f, v.r.errorf(v.r.pos, "END opcode expected"))
		}
		if err := readInstr(&v.r, &v.in); err != nil {
			return v.rebase(f, err)
		}
		if err := v.instr(); err != nil {
			return v.rebase(f, err)
		}
	}
	if v.r.pos != v.r.end {
		return v.rebase(f, v.r.errorf(v.r.pos, "section size mismatch: %d bytes after the function's final end", v.r.end-v.r.pos))
	}
	f.MaxStack, f.MaxDepth = v.maxStack, v.maxDepth
	return nil
}

// rebase turns an offset within the body into an offset within the module.
func (v *validator) rebase(f *Func, err error) error {
	switch e := err.(type) {
	case *DecodeError:
		e.Offset += f.BodyOffset
	case *ValidationError:
		e.Offset += f.BodyOffset
	case *UnsupportedError:
		e.Offset += f.BodyOffset
	}
	return err
}

func (v *validator) expandLocals(f *Func, ft FuncType) error {
	total := uint64(len(ft.Params))
	for _, g := range f.Locals {
		total += uint64(g.Count)
	}
	if total > uint64(v.lim.MaxLocals) {
		return v.r.errorf(0, "too many locals: more than %d", v.lim.MaxLocals)
	}
	v.locals = append(v.locals[:0], ft.Params...)
	for _, g := range f.Locals {
		for range g.Count {
			v.locals = append(v.locals, g.Type)
		}
	}
	return nil
}

// memAccess gives the value type, log2 of the natural alignment, and direction of a load or store.
func memAccess(op Opcode) (t ValType, natural uint32, store bool) {
	switch op {
	case OpI32Load:
		return I32, 2, false
	case OpI64Load:
		return I64, 3, false
	case OpI32Load8S, OpI32Load8U:
		return I32, 0, false
	case OpI32Load16S, OpI32Load16U:
		return I32, 1, false
	case OpI64Load8S, OpI64Load8U:
		return I64, 0, false
	case OpI64Load16S, OpI64Load16U:
		return I64, 1, false
	case OpI64Load32S, OpI64Load32U:
		return I64, 2, false
	case OpI32Store:
		return I32, 2, true
	case OpI64Store:
		return I64, 3, true
	case OpI32Store8:
		return I32, 0, true
	case OpI32Store16:
		return I32, 1, true
	case OpI64Store8:
		return I64, 0, true
	case OpI64Store16:
		return I64, 1, true
	}
	return I64, 2, true // OpI64Store32, the last one isMemAccess admits
}

// numeric gives the operand and result types of the plain numeric instructions.
func numeric(op Opcode) (in []ValType, out ValType, ok bool) {
	var (
		i32x1 = typeI32
		i64x1 = typeI64
		i32x2 = []ValType{I32, I32}
		i64x2 = []ValType{I64, I64}
	)
	switch {
	case op == OpI32Eqz:
		return i32x1, I32, true
	case op >= OpI32Eq && op <= OpI32GeU:
		return i32x2, I32, true
	case op == OpI64Eqz:
		return i64x1, I32, true
	case op >= OpI64Eq && op <= OpI64GeU:
		return i64x2, I32, true
	case op >= OpI32Clz && op <= OpI32Popcnt, op == OpI32Extend8S, op == OpI32Extend16S:
		return i32x1, I32, true
	case op >= OpI32Add && op <= OpI32Rotr:
		return i32x2, I32, true
	case op >= OpI64Clz && op <= OpI64Popcnt, op >= OpI64Extend8S && op <= OpI64Extend32S:
		return i64x1, I64, true
	case op >= OpI64Add && op <= OpI64Rotr:
		return i64x2, I64, true
	case op == OpI32WrapI64:
		return i64x1, I32, true
	case op == OpI64ExtendI32S, op == OpI64ExtendI32U:
		return i32x1, I64, true
	}
	return nil, 0, false
}

func (v *validator) instr() error {
	in := &v.in
	m := v.m
	switch op := in.op; op {
	case OpUnreachable:
		v.setUnreachable()
	case OpNop:
	case OpBlock, OpLoop:
		params, results, err := v.blockType(in.bt)
		if err != nil {
			return err
		}
		if err := v.popVals(params); err != nil {
			return err
		}
		return v.pushCtrl(op, params, results)
	case OpIf:
		params, results, err := v.blockType(in.bt)
		if err != nil {
			return err
		}
		if _, err := v.popExpect(I32); err != nil {
			return err
		}
		if err := v.popVals(params); err != nil {
			return err
		}
		return v.pushCtrl(op, params, results)
	case OpElse:
		if v.ctrls[len(v.ctrls)-1].op != OpIf {
			return v.invalidf(in.offset, "else without a matching if")
		}
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		return v.pushCtrl(OpElse, f.params, f.results)
	case OpEnd:
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		if f.op == OpIf && !sameTypes(f.params, f.results) {
			return v.invalidf(in.offset, "type mismatch: if without else must leave its parameters as results")
		}
		v.pushVals(f.results)
	case OpBr:
		l, err := v.label(in.a)
		if err != nil {
			return err
		}
		if err := v.popVals(l.labelTypes()); err != nil {
			return err
		}
		v.setUnreachable()
	case OpBrIf:
		l, err := v.label(in.a)
		if err != nil {
			return err
		}
		if _, err := v.popExpect(I32); err != nil {
			return err
		}
		// Unlike br_table, br_if leaves the label's types, not what was popped (spec appendix).
		if err := v.popVals(l.labelTypes()); err != nil {
			return err
		}
		v.pushVals(l.labelTypes())
	case OpBrTable:
		if _, err := v.popExpect(I32); err != nil {
			return err
		}
		def, err := v.label(in.a)
		if err != nil {
			return err
		}
		arity := len(def.labelTypes())
		for _, t := range in.targets {
			l, err := v.label(t)
			if err != nil {
				return err
			}
			if len(l.labelTypes()) != arity {
				return v.invalidf(in.offset, "type mismatch: br_table targets of different arity")
			}
			if err := v.recheckVals(l.labelTypes()); err != nil {
				return err
			}
		}
		if err := v.popVals(def.labelTypes()); err != nil {
			return err
		}
		v.setUnreachable()
	case OpReturn:
		if err := v.popVals(v.results); err != nil {
			return err
		}
		v.setUnreachable()
	case OpCall:
		ft, ok := m.FuncType(in.a)
		if !ok {
			return v.invalidf(in.offset, "unknown function %d", in.a)
		}
		return v.call(ft)
	case OpCallIndirect:
		if uint64(in.b) >= uint64(len(m.tables)) {
			return v.invalidf(in.offset, "unknown table %d", in.b)
		}
		if uint64(in.a) >= uint64(len(m.Types)) {
			return v.invalidf(in.offset, "unknown type %d", in.a)
		}
		if _, err := v.popExpect(I32); err != nil {
			return err
		}
		return v.call(m.Types[in.a])
	case OpDrop:
		_, err := v.popVal()
		return err
	case OpSelect, OpSelectTyped:
		if _, err := v.popExpect(I32); err != nil {
			return err
		}
		want := unknown
		if op == OpSelectTyped {
			want = in.valType
		}
		t1, err := v.popExpect(want)
		if err != nil {
			return err
		}
		t2, err := v.popExpect(want)
		if err != nil {
			return err
		}
		if t1 != t2 && t1 != unknown && t2 != unknown {
			return v.invalidf(in.offset, "type mismatch: select of %s and %s", t2, t1)
		}
		if t1 == unknown {
			t1 = t2
		}
		if want != unknown {
			t1 = want
		}
		v.pushVal(t1)
	case OpLocalGet, OpLocalSet, OpLocalTee:
		if uint64(in.a) >= uint64(len(v.locals)) {
			return v.invalidf(in.offset, "unknown local %d", in.a)
		}
		t := v.locals[in.a]
		if op == OpLocalGet {
			v.pushVal(t)
			return nil
		}
		if _, err := v.popExpect(t); err != nil {
			return err
		}
		if op == OpLocalTee {
			v.pushVal(t)
		}
	case OpGlobalGet, OpGlobalSet:
		g, ok := m.GlobalType(in.a)
		if !ok {
			return v.invalidf(in.offset, "unknown global %d", in.a)
		}
		if op == OpGlobalGet {
			v.pushVal(g.Type)
			return nil
		}
		if !g.Mutable {
			return v.invalidf(in.offset, "global is immutable: global.set of global %d", in.a)
		}
		_, err := v.popExpect(g.Type)
		return err
	case OpMemorySize:
		if err := v.needMemory(); err != nil {
			return err
		}
		v.pushVal(I32)
	case OpMemoryGrow:
		if err := v.needMemory(); err != nil {
			return err
		}
		if _, err := v.popExpect(I32); err != nil {
			return err
		}
		v.pushVal(I32)
	case OpMemoryCopy, OpMemoryFill:
		if err := v.needMemory(); err != nil {
			return err
		}
		return v.popVals(typeI32x3)
	case OpI32Const:
		v.pushVal(I32)
	case OpI64Const:
		v.pushVal(I64)
	default:
		if isMemAccess(op) {
			return v.memAccess()
		}
		ins, out, ok := numeric(op)
		if !ok {
			return v.r.errorf(in.offset, "illegal opcode %#x", op)
		}
		if err := v.popVals(ins); err != nil {
			return err
		}
		v.pushVal(out)
	}
	return nil
}

func (v *validator) call(ft FuncType) error {
	if err := v.popVals(ft.Params); err != nil {
		return err
	}
	v.pushVals(ft.Results)
	return nil
}

func (v *validator) memAccess() error {
	if err := v.needMemory(); err != nil {
		return err
	}
	t, natural, store := memAccess(v.in.op)
	if v.in.a > natural {
		return v.invalidf(v.in.offset, "alignment must not be larger than natural: 2^%d > %d bytes", v.in.a, 1<<natural)
	}
	if store {
		if _, err := v.popExpect(t); err != nil {
			return err
		}
	}
	if _, err := v.popExpect(I32); err != nil {
		return err
	}
	if !store {
		v.pushVal(t)
	}
	return nil
}

func sameTypes(a, b []ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
