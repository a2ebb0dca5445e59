package wasm

// ValType is a value type. Only the integer types are supported; the others are refused at
// decode time with an *UnsupportedError.
type ValType byte

const (
	I32 ValType = 0x7f
	I64 ValType = 0x7e
)

func (t ValType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	}
	return "unknown"
}

// FuncType is a function signature; multi-value results are allowed.
type FuncType struct {
	Params, Results []ValType
}

// ExternKind says what an import or export refers to.
type ExternKind byte

const (
	ExternFunc   ExternKind = 0
	ExternTable  ExternKind = 1
	ExternMemory ExternKind = 2
	ExternGlobal ExternKind = 3
)

// SizeLimits are the bounds of a table (in entries) or memory (in 64 KiB pages).
type SizeLimits struct {
	Min    uint32
	Max    uint32 // meaningful only when HasMax
	HasMax bool
}

// TableType describes a table; its element type is always funcref.
type TableType struct{ Limits SizeLimits }

// MemoryType describes a 32-bit, unshared memory.
type MemoryType struct{ Limits SizeLimits }

// GlobalType describes a global variable.
type GlobalType struct {
	Type    ValType
	Mutable bool
}

// Import is one entry of the import section; the field matching Kind is set.
type Import struct {
	Module, Name string
	Kind         ExternKind
	TypeIndex    uint32 // ExternFunc
	Table        TableType
	Memory       MemoryType
	Global       GlobalType
	Offset       int
}

// Export is one entry of the export section.
type Export struct {
	Name   string
	Kind   ExternKind
	Index  uint32 // in the index space of Kind, imports first
	Offset int
}

// ConstInstr is one instruction of a constant expression.
type ConstInstr struct {
	Op     Opcode
	Value  int64 // the constant of i32.const/i64.const, the index of global.get
	Offset int
}

// ConstExpr is a constant expression (global initializer, segment offset) without its final end.
// After Validate it is exactly one i32.const, i64.const or global.get of an imported, immutable
// global of the expected type.
type ConstExpr struct {
	Instrs []ConstInstr
	Offset int // offset of the first instruction
}

// Global is a global defined by the module.
type Global struct {
	Type GlobalType
	Init ConstExpr
}

// Func is a function defined by the module. Its body stays in binary form: the interpreter
// compiles it once, after validation, from Body.
type Func struct {
	TypeIndex uint32
	// Locals are the declared locals as the binary groups them; parameters come before them.
	Locals    []LocalGroup
	NumLocals int // declared locals, parameters not counted
	// Body holds the instructions after the local declarations, through the final end.
	// It aliases the slice given to Decode.
	Body       []byte
	BodyOffset int // offset of Body[0] in the module binary
	// Filled in by Validate, for sizing interpreter frames:
	MaxStack int // highest operand stack, in values, the locals not counted
	MaxDepth int // deepest control nesting, the function's own block counting 1
}

// LocalGroup is a run of locals of one type. Groups are not expanded up front: a small module
// could otherwise make the decoder allocate a slot for each of millions of locals.
type LocalGroup struct {
	Count uint32
	Type  ValType
}

// ElemSegment is an active element segment initializing part of a table with function indices.
type ElemSegment struct {
	Table  uint32
	Offset ConstExpr
	Funcs  []uint32
}

// DataSegment is an active data segment initializing part of a memory. Init aliases the slice
// given to Decode.
type DataSegment struct {
	Memory uint32
	Offset ConstExpr
	Init   []byte
}

// CustomSection is a custom section, kept in the order it appeared. Data aliases the input.
type CustomSection struct {
	Name   string
	Data   []byte
	Offset int
}

// Module is a decoded module. Index spaces (functions, tables, memories, globals) list imports
// first, then the module's own definitions, as in the spec.
type Module struct {
	Types    []FuncType
	Imports  []Import
	Funcs    []Func
	Tables   []TableType
	Memories []MemoryType
	Globals  []Global
	Exports  []Export
	Start    uint32 // meaningful only when HasStart
	HasStart bool
	Elems    []ElemSegment
	Data     []DataSegment
	// DataCount is the data count section's value, when there is one.
	DataCount    uint32
	HasDataCount bool
	Customs      []CustomSection

	limits      Limits
	startOffset int
	// Index spaces, imports first, built by Decode (and rebuilt by Validate).
	funcTypes                            []uint32
	tables                               []TableType
	memories                             []MemoryType
	globals                              []GlobalType
	numImportedFuncs, numImportedGlobals int
}

func (m *Module) buildIndexSpaces() {
	m.funcTypes, m.tables, m.memories, m.globals = m.funcTypes[:0], m.tables[:0], m.memories[:0], m.globals[:0]
	m.numImportedFuncs, m.numImportedGlobals = 0, 0
	for _, im := range m.Imports {
		switch im.Kind {
		case ExternFunc:
			m.funcTypes = append(m.funcTypes, im.TypeIndex)
			m.numImportedFuncs++
		case ExternTable:
			m.tables = append(m.tables, im.Table)
		case ExternMemory:
			m.memories = append(m.memories, im.Memory)
		case ExternGlobal:
			m.globals = append(m.globals, im.Global)
			m.numImportedGlobals++
		}
	}
	for _, f := range m.Funcs {
		m.funcTypes = append(m.funcTypes, f.TypeIndex)
	}
	m.tables = append(m.tables, m.Tables...)
	m.memories = append(m.memories, m.Memories...)
	for _, g := range m.Globals {
		m.globals = append(m.globals, g.Type)
	}
}

// NumImportedFuncs is the number of imported functions: defined function i has index
// NumImportedFuncs()+i.
func (m *Module) NumImportedFuncs() int { return m.numImportedFuncs }

// NumImportedGlobals is the number of imported globals: defined global i has index
// NumImportedGlobals()+i.
func (m *Module) NumImportedGlobals() int { return m.numImportedGlobals }

// FuncType returns the signature of function idx (imports counted).
func (m *Module) FuncType(idx uint32) (FuncType, bool) {
	if uint64(idx) >= uint64(len(m.funcTypes)) || uint64(m.funcTypes[idx]) >= uint64(len(m.Types)) {
		return FuncType{}, false
	}
	return m.Types[m.funcTypes[idx]], true
}

// GlobalType returns the type of global idx (imports counted).
func (m *Module) GlobalType(idx uint32) (GlobalType, bool) {
	if uint64(idx) >= uint64(len(m.globals)) {
		return GlobalType{}, false
	}
	return m.globals[idx], true
}
