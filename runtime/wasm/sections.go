package wasm

import "fmt"

func (d *decoder) customSection() error {
	r := d.r
	off := r.pos
	name, err := r.name()
	if err != nil {
		return err
	}
	data, err := r.bytes(uint32(r.remaining()))
	if err != nil {
		return err
	}
	d.m.Customs = append(d.m.Customs, CustomSection{Name: name, Data: data, Offset: off})
	return nil
}

func (d *decoder) typeSection() (err error) {
	d.m.Types, err = vec(d.r, "types", d.lim.MaxTypes, d.funcType)
	return err
}

func (d *decoder) funcType() (FuncType, error) {
	r := d.r
	off := r.pos
	form, err := r.byte()
	if err != nil {
		return FuncType{}, err
	}
	switch form {
	case 0x60:
	case 0x4e, 0x4f, 0x50, 0x5e, 0x5f:
		return FuncType{}, r.unsupported(off, FeatureGC, fmt.Sprintf("type form %#02x", form))
	default:
		return FuncType{}, r.errorf(off, "malformed function type form %#02x", form)
	}
	var t FuncType
	if t.Params, err = d.valTypes("parameters"); err != nil {
		return FuncType{}, err
	}
	if t.Results, err = d.valTypes("results"); err != nil {
		return FuncType{}, err
	}
	return t, nil
}

func (d *decoder) valTypes(what string) ([]ValType, error) {
	return vec(d.r, what, d.lim.MaxParams, func() (ValType, error) { return readValType(d.r) })
}

func (d *decoder) importSection() (err error) {
	d.m.Imports, err = vec(d.r, "imports", d.lim.MaxImports, d.importEntry)
	return err
}

func (d *decoder) importEntry() (Import, error) {
	r := d.r
	var im Import
	var err error
	im.Offset = r.pos
	if im.Module, err = r.name(); err != nil {
		return im, err
	}
	if im.Name, err = r.name(); err != nil {
		return im, err
	}
	kindOff := r.pos
	kind, err := r.byte()
	if err != nil {
		return im, err
	}
	im.Kind = ExternKind(kind)
	switch im.Kind {
	case ExternFunc:
		if d.numFuncs++; d.numFuncs > d.lim.MaxFunctions {
			return im, r.errorf(kindOff, "more than %d functions", d.lim.MaxFunctions)
		}
		im.TypeIndex, err = r.u32()
	case ExternTable:
		im.Table, err = d.tableType()
	case ExternMemory:
		im.Memory, err = d.memoryType()
	case ExternGlobal:
		if d.numGlobals++; d.numGlobals > d.lim.MaxGlobals {
			return im, r.errorf(kindOff, "more than %d globals", d.lim.MaxGlobals)
		}
		im.Global, err = d.globalType()
	case 4:
		return im, r.unsupported(kindOff, FeatureExceptions, "tag import")
	default:
		return im, r.errorf(kindOff, "malformed import kind %d", kind)
	}
	return im, err
}

func (d *decoder) functionSection() error {
	r := d.r
	d.hasFuncSection = true
	var err error
	d.funcTypeIdx, err = vec(r, "functions", d.lim.MaxFunctions-d.numFuncs, r.u32)
	d.numFuncs += len(d.funcTypeIdx)
	return err
}

func (d *decoder) tableSection() (err error) {
	d.m.Tables, err = vec(d.r, "tables", d.r.remaining(), d.tableType)
	return err
}

func (d *decoder) memorySection() (err error) {
	d.m.Memories, err = vec(d.r, "memories", d.r.remaining(), d.memoryType)
	return err
}

func (d *decoder) tableType() (TableType, error) {
	r := d.r
	off := r.pos
	et, err := r.byte()
	if err != nil {
		return TableType{}, err
	}
	switch et {
	case 0x70:
	case 0x6f:
		return TableType{}, r.unsupported(off, FeatureReferenceTypes, "externref table")
	case 0x64, 0x63:
		return TableType{}, r.unsupported(off, FeatureFuncRefs, "typed reference table")
	default:
		return TableType{}, r.errorf(off, "malformed reference type %#02x", et)
	}
	off = r.pos
	lim, err := d.limits(false)
	if err != nil {
		return TableType{}, err
	}
	if lim.HasMax && lim.Min > lim.Max {
		return TableType{}, r.invalidf(off, "size minimum must not be greater than maximum: %d > %d", lim.Min, lim.Max)
	}
	if d.numTables++; d.numTables > 1 {
		return TableType{}, r.unsupported(off, FeatureReferenceTypes, "multiple tables")
	}
	if lim.Min > d.lim.MaxTableSize {
		return TableType{}, r.errorf(off, "table of %d entries exceeds the limit of %d", lim.Min, d.lim.MaxTableSize)
	}
	return TableType{Limits: lim}, nil
}

func (d *decoder) memoryType() (MemoryType, error) {
	off := d.r.pos
	lim, err := d.limits(true)
	if err != nil {
		return MemoryType{}, err
	}
	switch {
	case lim.Min > maxMemoryPages || lim.HasMax && lim.Max > maxMemoryPages:
		return MemoryType{}, d.r.invalidf(off, "memory size must be at most 65536 pages (4GiB)")
	case lim.HasMax && lim.Min > lim.Max:
		return MemoryType{}, d.r.invalidf(off, "size minimum must not be greater than maximum: %d > %d", lim.Min, lim.Max)
	}
	if d.numMemories++; d.numMemories > 1 {
		return MemoryType{}, d.r.invalidf(off, "multiple memories")
	}
	if lim.Min > d.lim.MaxMemoryPages {
		return MemoryType{}, d.r.errorf(off, "memory of %d pages exceeds the limit of %d", lim.Min, d.lim.MaxMemoryPages)
	}
	return MemoryType{Limits: lim}, nil
}

// limits reads a limits flag byte and bounds. Shared (threads) and 64-bit memories have flags
// of their own; anything else is malformed.
func (d *decoder) limits(memory bool) (SizeLimits, error) {
	r := d.r
	off := r.pos
	flag, err := r.byte()
	if err != nil {
		return SizeLimits{}, err
	}
	switch {
	case flag <= 1:
	case memory && (flag == 2 || flag == 3):
		return SizeLimits{}, r.unsupported(off, FeatureThreads, "shared memory")
	case memory && flag >= 4 && flag <= 7:
		return SizeLimits{}, r.unsupported(off, FeatureMemory64, "64-bit memory")
	default:
		return SizeLimits{}, r.errorf(off, "malformed limits flags %#02x", flag)
	}
	var l SizeLimits
	if l.Min, err = r.u32(); err != nil {
		return l, err
	}
	if flag == 1 {
		l.HasMax = true
		l.Max, err = r.u32()
	}
	return l, err
}

func (d *decoder) globalType() (GlobalType, error) {
	t, err := readValType(d.r)
	if err != nil {
		return GlobalType{}, err
	}
	off := d.r.pos
	mut, err := d.r.byte()
	if err != nil {
		return GlobalType{}, err
	}
	if mut > 1 {
		return GlobalType{}, d.r.errorf(off, "malformed mutability %#02x", mut)
	}
	return GlobalType{Type: t, Mutable: mut == 1}, nil
}

func (d *decoder) globalSection() (err error) {
	d.m.Globals, err = vec(d.r, "globals", d.lim.MaxGlobals-d.numGlobals, d.global)
	d.numGlobals += len(d.m.Globals)
	return err
}

func (d *decoder) global() (g Global, err error) {
	if g.Type, err = d.globalType(); err != nil {
		return g, err
	}
	g.Init, err = d.constExpr()
	return g, err
}

// constExpr reads instructions up to the end that closes the expression. Which instructions are
// allowed is Validate's business; this only needs to find the end, so it tracks block nesting.
func (d *decoder) constExpr() (ConstExpr, error) {
	r := d.r
	e := ConstExpr{Offset: r.pos}
	var in instr
	depth := 0
	for {
		if err := readInstr(r, &in); err != nil {
			return e, err
		}
		switch in.op {
		case OpBlock, OpLoop, OpIf:
			depth++
		case OpEnd:
			if depth == 0 {
				return e, nil
			}
			depth--
		}
		v := in.value
		if in.op != OpI32Const && in.op != OpI64Const {
			v = int64(in.a)
		}
		e.Instrs = append(e.Instrs, ConstInstr{Op: in.op, Value: v, Offset: in.offset})
	}
}

func (d *decoder) exportSection() (err error) {
	d.m.Exports, err = vec(d.r, "exports", d.lim.MaxExports, d.export)
	return err
}

func (d *decoder) export() (ex Export, err error) {
	r := d.r
	ex.Offset = r.pos
	if ex.Name, err = r.name(); err != nil {
		return ex, err
	}
	kindOff := r.pos
	kind, err := r.byte()
	if err != nil {
		return ex, err
	}
	switch {
	case kind <= byte(ExternGlobal):
		ex.Kind = ExternKind(kind)
	case kind == 4:
		return ex, r.unsupported(kindOff, FeatureExceptions, "tag export")
	default:
		return ex, r.errorf(kindOff, "malformed export kind %d", kind)
	}
	ex.Index, err = r.u32()
	return ex, err
}

func (d *decoder) startSection() error {
	var err error
	d.m.startOffset = d.r.pos
	d.m.Start, err = d.r.u32()
	d.m.HasStart = true
	return err
}

func (d *decoder) elemSection() (err error) {
	d.m.Elems, err = vec(d.r, "element segments", d.lim.MaxSegments, d.elemSegment)
	return err
}

func (d *decoder) elemSegment() (seg ElemSegment, err error) {
	r := d.r
	off := r.pos
	flags, err := r.u32()
	if err != nil {
		return seg, err
	}
	switch flags {
	case 0:
	case 2:
		if seg.Table, err = r.u32(); err != nil {
			return seg, err
		}
	case 1:
		return seg, r.unsupported(off, FeatureBulkMemory, "passive element segment")
	case 3:
		return seg, r.unsupported(off, FeatureReferenceTypes, "declarative element segment")
	case 4, 5, 6, 7:
		return seg, r.unsupported(off, FeatureReferenceTypes, "element segment of expressions")
	default:
		return seg, r.errorf(off, "malformed element segment kind %d", flags)
	}
	if seg.Offset, err = d.constExpr(); err != nil {
		return seg, err
	}
	if flags == 2 {
		kindOff := r.pos
		kind, err := r.byte()
		if err != nil {
			return seg, err
		}
		if kind != 0 {
			return seg, r.errorf(kindOff, "malformed element kind %#02x", kind)
		}
	}
	seg.Funcs, err = vec(r, "element segment entries", r.remaining(), r.u32)
	return seg, err
}

func (d *decoder) dataCountSection() error {
	var err error
	d.m.DataCount, err = d.r.u32()
	d.m.HasDataCount = true
	return err
}

func (d *decoder) codeSection() error {
	r := d.r
	d.hasCodeSection = true
	off := r.pos
	n, err := r.count("function bodies", d.lim.MaxFunctions)
	if err != nil {
		return err
	}
	if n != len(d.funcTypeIdx) {
		return r.errorf(off, "function and code section have inconsistent lengths: %d functions declared, %d bodies", len(d.funcTypeIdx), n)
	}
	d.m.Funcs = make([]Func, n)
	numImported := d.numFuncs - n
	sectionEnd := r.end
	for i := range d.m.Funcs {
		r.fn = numImported + i
		size, err := r.u32()
		if err != nil {
			return err
		}
		if uint64(size) > uint64(r.remaining()) {
			return r.errorf(r.pos, "unexpected end of section or function: body of %d bytes, %d left", size, r.remaining())
		}
		r.end = r.pos + int(size)
		f := &d.m.Funcs[i]
		f.TypeIndex = d.funcTypeIdx[i]
		if err := d.locals(f); err != nil {
			return err
		}
		f.BodyOffset = r.pos
		f.Body = r.data[r.pos:r.end]
		r.pos, r.end = r.end, sectionEnd
	}
	r.fn = -1
	d.funcTypeIdx = nil
	return nil
}

func (d *decoder) locals(f *Func) error {
	r := d.r
	params := 0
	if int(f.TypeIndex) < len(d.m.Types) {
		params = len(d.m.Types[f.TypeIndex].Params)
	}
	n, err := r.count("local groups", r.remaining())
	if err != nil {
		return err
	}
	total := uint64(params)
	for range n {
		off := r.pos
		c, err := r.u32()
		if err != nil {
			return err
		}
		if total += uint64(c); total > uint64(d.lim.MaxLocals) {
			return r.errorf(off, "too many locals: more than %d", d.lim.MaxLocals)
		}
		t, err := readValType(r)
		if err != nil {
			return err
		}
		if c > 0 {
			f.Locals = append(f.Locals, LocalGroup{Count: c, Type: t})
		}
	}
	f.NumLocals = int(total) - params
	return nil
}

func (d *decoder) dataSection() error {
	r := d.r
	d.hasDataSection = true
	off := r.pos
	n, err := r.count("data segments", d.lim.MaxSegments)
	if err != nil {
		return err
	}
	if d.m.HasDataCount && uint32(n) != d.m.DataCount {
		return r.errorf(off, "data count and data section have inconsistent lengths: count %d, %d segments", d.m.DataCount, n)
	}
	d.m.Data = make([]DataSegment, n)
	for i := range d.m.Data {
		seg := &d.m.Data[i]
		off := r.pos
		flags, err := r.u32()
		if err != nil {
			return err
		}
		switch flags {
		case 0:
		case 1:
			return r.unsupported(off, FeatureBulkMemory, "passive data segment")
		case 2:
			if seg.Memory, err = r.u32(); err != nil {
				return err
			}
		default:
			return r.errorf(off, "malformed data segment kind %d", flags)
		}
		if seg.Offset, err = d.constExpr(); err != nil {
			return err
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		if seg.Init, err = r.bytes(size); err != nil {
			return err
		}
	}
	return nil
}
