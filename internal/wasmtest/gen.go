package wasmtest

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// Choices is where the generator takes its decisions from: IntN returns a number in [0, n).
type Choices interface {
	IntN(n int) int
}

// ByteChoices draws choices from a byte string, as fuzz input gives them. Once the bytes
// run out every choice is 0, which the generator reads as "the simplest option", so any
// input, even empty, yields a small valid module.
type ByteChoices struct{ b []byte }

// NewByteChoices draws choices from b.
func NewByteChoices(b []byte) *ByteChoices { return &ByteChoices{b: b} }

// IntN consumes one byte, or two when n needs them.
func (c *ByteChoices) IntN(n int) int {
	if n <= 1 {
		return 0
	}
	v := 0
	for range min(4, 1+(bitsLen(n-1)-1)/8) {
		if len(c.b) == 0 {
			break
		}
		v = v<<8 | int(c.b[0])
		c.b = c.b[1:]
	}
	return v % n
}

func bitsLen(n int) int {
	l := 0
	for ; n > 0; n >>= 1 {
		l++
	}
	return l
}

var _ Choices = (*rand.Rand)(nil)

// Program is a random module with what a caller needs to run it.
type Program struct {
	Wasm    []byte
	Entry   string         // the exported function to call
	Params  []wasm.ValType // its parameters
	Results []wasm.ValType // and results
	Globals []string       // every global, exported under these names
}

// Generation bounds. Termination does not rest on them but on two globals that every
// module has (see Generate); these only keep modules small enough to run by the hundred.
const (
	maxFuncs     = 6
	maxStmts     = 6 // per block body
	maxExprDepth = 5
	maxNesting   = 4    // blocks, loops and ifs inside one another
	maxCode      = 3000 // bytes of one function body, roughly
	callBudget   = 300
	loopBudget   = 64
)

// interesting are constants where integer semantics have edge cases.
var interesting = []int64{
	0, 1, -1, 2, 7, 8, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
	math.MaxInt32, math.MinInt32, math.MaxUint32, math.MaxInt64, math.MinInt64,
	PageSize - 1, PageSize, 2 * PageSize,
}

// Generate builds a random module that passes wasm.Load: one memory (1–2 pages, with a
// maximum), mutable i32 and i64 globals, a funcref table partly filled, and functions whose
// bodies come from a type-directed generator covering the integer instruction set, memory
// access at and past the bounds, memory.size and memory.grow, block/loop/if with
// multi-value block types, br/br_if/br_table, calls (recursion included), call_indirect
// (mismatched types and bad indices included), select, local.tee, globals, drop and
// unreachable. Traps are expected and meant to be compared across engines.
//
// Every module terminates, and its call depth stays far from any engine's limit: each
// function starts by spending one unit of a call budget global, trapping with unreachable
// when it is gone, and every backward branch spends one unit of a loop budget global and is
// skipped (br_if falls through) when that is gone. Both are ordinary exported globals, so
// engines must agree on them too.
func Generate(c Choices) *Program {
	g := &gen{c: c}
	g.module()
	return g.program()
}

type global struct {
	t    wasm.ValType
	init int64
}

type function struct {
	typ    int // index into types
	locals []wasm.ValType
	code   []byte
}

// label is a branch target: the types a branch to it carries, and whether it is a loop
// (a backward branch, which must be metered).
type label struct {
	types []wasm.ValType
	loop  bool
}

type gen struct {
	c       Choices
	types   []wasm.FuncType
	globals []global
	funcs   []function
	pages   [2]uint32 // min, max
	table   uint32
	elems   []uint32
	data    []byte

	// The function being generated.
	fn     int
	locals []wasm.ValType // params, then declared locals
	labels []label        // innermost last; labels[0] is the function body
	code   []byte
	nest   int
}

// callGlobal and loopGlobal are the indices of the budget globals.
const callGlobal, loopGlobal = 0, 1

func (g *gen) n(n int) int { return g.c.IntN(n) }

func (g *gen) chance(percent int) bool { return g.n(100) < percent }

func (g *gen) valType() wasm.ValType {
	if g.n(2) == 0 {
		return wasm.I32
	}
	return wasm.I64
}

func (g *gen) valTypes(max int) []wasm.ValType {
	ts := make([]wasm.ValType, g.n(max+1))
	for i := range ts {
		ts[i] = g.valType()
	}
	return ts
}

// typeIndex returns the index of the type params -> results, adding it when new.
func (g *gen) typeIndex(params, results []wasm.ValType) int {
	for i, t := range g.types {
		if slices.Equal(t.Params, params) && slices.Equal(t.Results, results) {
			return i
		}
	}
	g.types = append(g.types, wasm.FuncType{Params: params, Results: results})
	return len(g.types) - 1
}

func (g *gen) module() {
	g.pages[0] = 1 + uint32(g.n(2))
	g.pages[1] = g.pages[0] + uint32(g.n(3))
	g.globals = []global{{wasm.I32, callBudget}, {wasm.I32, loopBudget}}
	for range 1 + g.n(4) {
		g.globals = append(g.globals, global{g.valType(), g.constant()})
	}
	nf := 1 + g.n(maxFuncs)
	// Types first, so that calls may go to any function, later ones included.
	g.funcs = make([]function, nf)
	for i := range g.funcs {
		g.funcs[i].typ = g.typeIndex(g.valTypes(3), g.valTypes(3))
	}
	// Spare types make call_indirect type mismatches likely.
	for range g.n(3) {
		g.typeIndex(g.valTypes(2), g.valTypes(2))
	}
	ne := g.n(2 * nf)
	for range ne {
		g.elems = append(g.elems, uint32(g.n(nf)))
	}
	g.table = uint32(ne + g.n(3)) // the entries past the elements stay uninitialized
	g.data = make([]byte, g.n(64))
	for i := range g.data {
		g.data[i] = byte(g.n(256))
	}
	for i := range g.funcs {
		g.function(i)
	}
}

func (g *gen) function(i int) {
	ft := g.types[g.funcs[i].typ]
	g.fn = i
	g.locals = append(slices.Clone(ft.Params), g.valTypes(4)...)
	g.labels = []label{{types: ft.Results}}
	g.code = nil
	g.nest = 0
	// The call budget: trap once it is spent, so that recursion stays shallow.
	g.emit(wasm.OpGlobalGet)
	g.uleb(callGlobal)
	g.emit(wasm.OpI32Eqz, wasm.OpIf)
	g.code = append(g.code, 0x40)
	g.emit(wasm.OpUnreachable, wasm.OpEnd, wasm.OpGlobalGet)
	g.uleb(callGlobal)
	g.code = append(g.code, I32Const(1)...)
	g.emit(wasm.OpI32Sub, wasm.OpGlobalSet)
	g.uleb(callGlobal)
	g.body(nil, ft.Results)
	g.funcs[i].locals = g.locals[len(ft.Params):]
	g.funcs[i].code = g.code
}

// emit appends single-byte opcodes.
func (g *gen) emit(ops ...wasm.Opcode) {
	for _, o := range ops {
		g.code = append(g.code, byte(o))
	}
}

// full reports that the function has reached its size budget: from then on, expressions
// are constants and statements are left out, which bounds the exponential growth of
// nested blocks.
func (g *gen) full() bool { return len(g.code) > maxCode }

func (g *gen) uleb(v uint64) { g.code = append(g.code, Uleb(v)...) }

// body generates the inside of a block whose params are on the stack and that must leave
// results: statements, then the params consumed, then the results.
func (g *gen) body(params, results []wasm.ValType) {
	for range g.n(maxStmts + 1) {
		if !g.full() {
			g.stmt(0)
		}
	}
	if slices.Equal(params, results) && g.chance(30) {
		return // the params pass through as the results
	}
	for i := len(params) - 1; i >= 0; i-- {
		g.consume(params[i])
	}
	g.values(results, 0)
}

// consume pops a value of type t: into a local of that type, or dropped.
func (g *gen) consume(t wasm.ValType) {
	if l, ok := g.local(t); ok && g.chance(50) {
		g.emit(wasm.OpLocalSet)
		g.uleb(uint64(l))
		return
	}
	g.emit(wasm.OpDrop)
}

func (g *gen) local(t wasm.ValType) (int, bool) {
	return g.pick(len(g.locals), func(i int) bool { return g.locals[i] == t })
}

// global picks a global of type t; only a reader may get the budgets, which must only
// ever decrease.
func (g *gen) global(t wasm.ValType, read bool) (int, bool) {
	return g.pick(len(g.globals), func(i int) bool { return g.globals[i].t == t && (read || i > loopGlobal) })
}

// pick chooses one of the indices below n that ok accepts.
func (g *gen) pick(n int, ok func(int) bool) (int, bool) {
	var is []int
	for i := range n {
		if ok(i) {
			is = append(is, i)
		}
	}
	if len(is) == 0 {
		return 0, false
	}
	return is[g.n(len(is))], true
}

// values generates code that pushes values of types ts.
func (g *gen) values(ts []wasm.ValType, depth int) {
	if len(ts) > 1 && depth < maxExprDepth && g.nest < maxNesting && g.chance(15) {
		g.multi(ts, depth)
		return
	}
	for _, t := range ts {
		g.expr(t, depth)
	}
}

// multi pushes several values with one instruction: a call or a block.
func (g *gen) multi(ts []wasm.ValType, depth int) {
	if f, ok := g.pick(len(g.funcs), func(i int) bool { return slices.Equal(g.types[g.funcs[i].typ].Results, ts) }); ok && g.chance(50) {
		g.call(f, depth)
		return
	}
	g.block(ts, depth)
}

func (g *gen) call(f int, depth int) {
	g.values(g.types[g.funcs[f].typ].Params, depth+1)
	g.emit(wasm.OpCall)
	g.uleb(uint64(f))
}

// callIndirect calls through the table with the signature of type ty; the index is
// usually an element with the right type, and sometimes anything at all.
func (g *gen) callIndirect(ty int, depth int) {
	g.values(g.types[ty].Params, depth+1)
	if e, ok := g.pick(len(g.elems), func(i int) bool { return g.funcs[g.elems[i]].typ == ty }); ok && g.chance(70) {
		g.code = append(g.code, I32Const(int32(e))...)
	} else if g.chance(50) {
		g.code = append(g.code, I32Const(int32(g.n(int(g.table)+2)))...)
	} else {
		g.expr(wasm.I32, depth+1)
	}
	g.emit(wasm.OpCallIndirect)
	g.uleb(uint64(ty))
	g.uleb(0)
}

// blockType emits the block type params -> results.
func (g *gen) blockType(params, results []wasm.ValType) {
	switch {
	case len(params) == 0 && len(results) == 0:
		g.code = append(g.code, 0x40)
	case len(params) == 0 && len(results) == 1 && g.chance(70):
		g.code = append(g.code, byte(results[0]))
	default:
		g.code = append(g.code, Sleb(int64(g.typeIndex(params, results)))...)
	}
}

// block pushes results with a block, loop or if, whose params come from outside.
func (g *gen) block(results []wasm.ValType, depth int) {
	g.nest++
	defer func() { g.nest-- }()
	params := g.valTypes(2)
	g.values(params, depth+1)
	kind := g.n(3)
	lbl := label{types: results}
	switch kind {
	case 0:
		g.emit(wasm.OpBlock)
	case 1:
		g.emit(wasm.OpLoop)
		lbl = label{types: params, loop: true}
	case 2:
		g.expr(wasm.I32, depth+1)
		g.emit(wasm.OpIf)
	}
	g.blockType(params, results)
	g.labels = append(g.labels, lbl)
	g.body(params, results)
	if kind == 2 && (g.chance(70) || !slices.Equal(params, results)) {
		g.emit(wasm.OpElse)
		g.body(params, results)
	}
	g.labels = g.labels[:len(g.labels)-1]
	g.emit(wasm.OpEnd)
}

// stmt generates code that leaves the stack as it was.
func (g *gen) stmt(depth int) {
	switch g.n(14) {
	case 0, 1:
		t := g.valType()
		if l, ok := g.local(t); ok {
			g.expr(t, depth)
			g.emit(wasm.OpLocalSet)
			g.uleb(uint64(l))
		}
	case 2:
		t := g.valType()
		if gl, ok := g.global(t, false); ok {
			g.expr(t, depth)
			g.emit(wasm.OpGlobalSet)
			g.uleb(uint64(gl))
		}
	case 3, 4:
		g.store(depth)
	case 5:
		t := g.valType()
		g.expr(t, depth)
		g.emit(wasm.OpDrop)
	case 6, 7:
		if g.nest < maxNesting {
			ts := g.valTypes(2)
			g.block(ts, depth)
			for i := len(ts) - 1; i >= 0; i-- {
				g.consume(ts[i])
			}
		}
	case 8:
		g.brIf(depth)
	case 9:
		g.backEdge(depth)
	case 10:
		f := g.n(len(g.funcs))
		g.call(f, depth)
		g.dropAll(g.types[g.funcs[f].typ].Results)
	case 11:
		ty := g.n(len(g.types))
		g.callIndirect(ty, depth)
		g.dropAll(g.types[ty].Results)
	case 12:
		g.code = append(g.code, I32Const(int32(g.n(3)))...)
		g.code = append(g.code, byte(wasm.OpMemoryGrow), 0, byte(wasm.OpDrop))
	case 13:
		g.emit(wasm.OpNop)
	}
}

func (g *gen) dropAll(ts []wasm.ValType) {
	for i := len(ts) - 1; i >= 0; i-- {
		g.consume(ts[i])
	}
}

// brIf branches out of a block when a generated condition holds; loops are left to
// backEdge, which meters them.
func (g *gen) brIf(depth int) {
	l, ok := g.pick(len(g.labels), func(i int) bool { return !g.labels[i].loop })
	if !ok {
		return
	}
	ts := g.labels[l].types
	g.values(ts, depth+1)
	g.expr(wasm.I32, depth+1)
	g.emit(wasm.OpBrIf)
	g.uleb(uint64(len(g.labels) - 1 - l))
	g.dropAll(ts)
}

// backEdge branches to an enclosing loop while the loop budget lasts.
func (g *gen) backEdge(depth int) {
	l, ok := g.pick(len(g.labels), func(i int) bool { return g.labels[i].loop })
	if !ok {
		return
	}
	ts := g.labels[l].types
	g.values(ts, depth+1)
	g.emit(wasm.OpGlobalGet)
	g.uleb(loopGlobal)
	g.code = append(g.code, I32Const(1)...)
	g.emit(wasm.OpI32Sub, wasm.OpGlobalSet)
	g.uleb(loopGlobal)
	g.emit(wasm.OpGlobalGet)
	g.uleb(loopGlobal)
	g.code = append(g.code, I32Const(0)...)
	g.emit(wasm.OpI32GtS)
	if g.chance(50) { // and a condition of the program's own
		g.expr(wasm.I32, depth+1)
		g.emit(wasm.OpI32And)
	}
	g.emit(wasm.OpBrIf)
	g.uleb(uint64(len(g.labels) - 1 - l))
	g.dropAll(ts)
}

// address pushes an i32 address: mostly in bounds, sometimes straddling or past the end
// of the initial memory (which memory.grow may have moved), sometimes anything.
func (g *gen) address(depth int) {
	end := int(g.pages[0]) * PageSize
	switch g.n(10) {
	case 0, 1, 2, 3, 4:
		g.code = append(g.code, I32Const(int32(g.n(128)))...)
	case 5, 6:
		g.code = append(g.code, I32Const(int32(end-g.n(24)))...)
	case 7:
		g.code = append(g.code, I32Const(int32(end+g.n(2*PageSize)))...)
	default:
		g.expr(wasm.I32, depth+1)
	}
}

var stores = []struct {
	op wasm.Opcode
	t  wasm.ValType
}{
	{wasm.OpI32Store, wasm.I32}, {wasm.OpI32Store8, wasm.I32}, {wasm.OpI32Store16, wasm.I32},
	{wasm.OpI64Store, wasm.I64}, {wasm.OpI64Store8, wasm.I64}, {wasm.OpI64Store16, wasm.I64}, {wasm.OpI64Store32, wasm.I64},
}

func (g *gen) store(depth int) {
	s := stores[g.n(len(stores))]
	g.address(depth)
	g.expr(s.t, depth+1)
	g.code = append(g.code, Mem(s.op, uint32(g.n(33)))...)
}

var (
	loads = map[wasm.ValType][]wasm.Opcode{
		wasm.I32: {wasm.OpI32Load, wasm.OpI32Load8S, wasm.OpI32Load8U, wasm.OpI32Load16S, wasm.OpI32Load16U},
		wasm.I64: {wasm.OpI64Load, wasm.OpI64Load8S, wasm.OpI64Load8U, wasm.OpI64Load16S, wasm.OpI64Load16U, wasm.OpI64Load32S, wasm.OpI64Load32U},
	}
	unops = map[wasm.ValType][]wasm.Opcode{
		wasm.I32: {wasm.OpI32Clz, wasm.OpI32Ctz, wasm.OpI32Popcnt, wasm.OpI32Extend8S, wasm.OpI32Extend16S},
		wasm.I64: {wasm.OpI64Clz, wasm.OpI64Ctz, wasm.OpI64Popcnt, wasm.OpI64Extend8S, wasm.OpI64Extend16S, wasm.OpI64Extend32S},
	}
	binops = map[wasm.ValType][]wasm.Opcode{
		wasm.I32: opRange(wasm.OpI32Add, wasm.OpI32Rotr),
		wasm.I64: opRange(wasm.OpI64Add, wasm.OpI64Rotr),
	}
	// compares are the binary comparisons of each operand type; they all give an i32.
	compares = map[wasm.ValType][]wasm.Opcode{
		wasm.I32: opRange(wasm.OpI32Eq, wasm.OpI32GeU),
		wasm.I64: opRange(wasm.OpI64Eq, wasm.OpI64GeU),
	}
)

func opRange(first, last wasm.Opcode) []wasm.Opcode {
	var ops []wasm.Opcode
	for o := first; o <= last; o++ {
		ops = append(ops, o)
	}
	return ops
}

func other(t wasm.ValType) wasm.ValType {
	if t == wasm.I32 {
		return wasm.I64
	}
	return wasm.I32
}

// expr generates code that pushes one value of type t. Choice 0 is a constant, so that
// exhausted choices and the depth limit end the recursion.
func (g *gen) expr(t wasm.ValType, depth int) {
	if depth >= maxExprDepth || g.full() {
		g.constOf(t)
		return
	}
	d := depth + 1
	switch g.n(22) {
	case 0, 1:
		g.constOf(t)
	case 2, 3:
		if l, ok := g.local(t); ok {
			g.emit(wasm.OpLocalGet)
			g.uleb(uint64(l))
			return
		}
		g.constOf(t)
	case 4:
		if l, ok := g.local(t); ok {
			g.expr(t, d)
			g.emit(wasm.OpLocalTee)
			g.uleb(uint64(l))
			return
		}
		g.constOf(t)
	case 5:
		if gl, ok := g.global(t, true); ok {
			g.emit(wasm.OpGlobalGet)
			g.uleb(uint64(gl))
			return
		}
		g.constOf(t)
	case 6, 7, 8, 9:
		g.expr(t, d)
		g.expr(t, d)
		ops := binops[t]
		g.emit(ops[g.n(len(ops))])
	case 10:
		g.expr(t, d)
		ops := unops[t]
		g.emit(ops[g.n(len(ops))])
	case 11:
		u := g.valType()
		g.expr(u, d)
		if g.chance(20) {
			g.emit(map[wasm.ValType]wasm.Opcode{wasm.I32: wasm.OpI32Eqz, wasm.I64: wasm.OpI64Eqz}[u])
		} else {
			g.expr(u, d)
			ops := compares[u]
			g.emit(ops[g.n(len(ops))])
		}
		if t == wasm.I64 {
			g.emit(wasm.OpI64ExtendI32U)
		}
	case 12:
		g.expr(other(t), d)
		switch {
		case t == wasm.I32:
			g.emit(wasm.OpI32WrapI64)
		case g.chance(50):
			g.emit(wasm.OpI64ExtendI32S)
		default:
			g.emit(wasm.OpI64ExtendI32U)
		}
	case 13, 14:
		g.address(d)
		ops := loads[t]
		g.code = append(g.code, Mem(ops[g.n(len(ops))], uint32(g.n(33)))...)
	case 15:
		if t == wasm.I32 {
			if g.chance(50) {
				g.code = append(g.code, I32Const(int32(g.n(3)))...)
			} else {
				g.expr(wasm.I32, d)
			}
			g.code = append(g.code, byte(wasm.OpMemoryGrow), 0)
			return
		}
		g.code = append(g.code, byte(wasm.OpMemorySize), 0)
		g.emit(wasm.OpI64ExtendI32U)
	case 16:
		g.expr(t, d)
		g.expr(t, d)
		g.expr(wasm.I32, d)
		g.emit(wasm.OpSelect)
	case 17:
		if g.nest < maxNesting {
			g.block([]wasm.ValType{t}, d)
			return
		}
		g.constOf(t)
	case 18:
		if f, ok := g.pick(len(g.funcs), func(i int) bool {
			return slices.Equal(g.types[g.funcs[i].typ].Results, []wasm.ValType{t})
		}); ok {
			g.call(f, d)
			return
		}
		g.constOf(t)
	case 19:
		if ty, ok := g.pick(len(g.types), func(i int) bool {
			return slices.Equal(g.types[i].Results, []wasm.ValType{t})
		}); ok {
			g.callIndirect(ty, d)
			return
		}
		g.constOf(t)
	case 20:
		g.stmt(d)
		g.expr(t, d)
	case 21:
		g.jump(d)
	}
}

// jump ends the current path: it is valid wherever a value is expected, because what
// follows it is unreachable.
func (g *gen) jump(depth int) {
	switch g.n(8) {
	case 0:
		g.emit(wasm.OpUnreachable)
	case 1, 2:
		g.values(g.labels[0].types, depth)
		g.emit(wasm.OpReturn)
	case 3, 4:
		l, ok := g.pick(len(g.labels), func(i int) bool { return !g.labels[i].loop })
		if !ok {
			g.emit(wasm.OpUnreachable)
			return
		}
		g.values(g.labels[l].types, depth)
		g.emit(wasm.OpBr)
		g.uleb(uint64(len(g.labels) - 1 - l))
	default:
		g.brTable(depth)
	}
}

// brTable branches to one of the forward labels that carry the same types as a chosen one.
func (g *gen) brTable(depth int) {
	l, ok := g.pick(len(g.labels), func(i int) bool { return !g.labels[i].loop })
	if !ok {
		g.emit(wasm.OpUnreachable)
		return
	}
	ts := g.labels[l].types
	var same []uint32
	for i, lb := range g.labels {
		if !lb.loop && slices.Equal(lb.types, ts) {
			same = append(same, uint32(len(g.labels)-1-i))
		}
	}
	g.values(ts, depth)
	if g.chance(60) {
		g.code = append(g.code, I32Const(int32(g.n(len(same)+3)))...)
	} else {
		g.expr(wasm.I32, depth)
	}
	g.emit(wasm.OpBrTable)
	n := g.n(5)
	g.uleb(uint64(n))
	for range n + 1 { // the targets, then the default
		g.uleb(uint64(same[g.n(len(same))]))
	}
}

func (g *gen) constOf(t wasm.ValType) {
	v := g.constant()
	if t == wasm.I32 {
		g.code = append(g.code, I32Const(int32(v))...)
		return
	}
	g.code = append(g.code, I64Const(v)...)
}

func (g *gen) constant() int64 {
	switch g.n(4) {
	case 0:
		return int64(g.n(16))
	case 1:
		return interesting[g.n(len(interesting))]
	default:
		return int64(uint64(g.n(1<<30))<<34 ^ uint64(g.n(1<<30))<<4 ^ uint64(g.n(16)))
	}
}

// program encodes the module.
func (g *gen) program() *Program {
	entry := g.types[g.funcs[len(g.funcs)-1].typ]
	p := &Program{Entry: "main", Params: entry.Params, Results: entry.Results}
	var typ, fns, glb, exp, code [][]byte
	for _, t := range g.types {
		typ = append(typ, Cat([]byte{0x60}, Types(t.Params...), Types(t.Results...)))
	}
	for i, f := range g.funcs {
		fns = append(fns, Uleb(uint64(f.typ)))
		var locals [][]byte
		for _, l := range f.locals {
			locals = append(locals, []byte{1, byte(l)})
		}
		body := Cat(Vec(locals...), f.code, []byte{byte(wasm.OpEnd)})
		code = append(code, Cat(Uleb(uint64(len(body))), body))
		if i == len(g.funcs)-1 {
			exp = append(exp, Cat(Name(p.Entry), []byte{0}, Uleb(uint64(i))))
		}
	}
	for i, gl := range g.globals {
		init := I64Const(gl.init)
		if gl.t == wasm.I32 {
			init = I32Const(int32(gl.init))
		}
		glb = append(glb, Cat([]byte{byte(gl.t), 1}, init, []byte{byte(wasm.OpEnd)}))
		name := "g" + strconv.Itoa(i)
		p.Globals = append(p.Globals, name)
		exp = append(exp, Cat(Name(name), []byte{3}, Uleb(uint64(i))))
	}
	var idx [][]byte
	for _, e := range g.elems {
		idx = append(idx, Uleb(uint64(e)))
	}
	p.Wasm = Cat([]byte("\x00asm"), []byte{1, 0, 0, 0},
		Section(1, Vec(typ...)),
		Section(3, Vec(fns...)),
		Section(4, Vec(Cat([]byte{0x70, 0}, Uleb(uint64(g.table))))),
		Section(5, Vec(Cat([]byte{1}, Uleb(uint64(g.pages[0])), Uleb(uint64(g.pages[1]))))),
		Section(6, Vec(glb...)),
		Section(7, Vec(exp...)),
		Section(9, Vec(Cat([]byte{0}, I32Const(0), []byte{byte(wasm.OpEnd)}, Vec(idx...)))),
		Section(10, Vec(code...)),
		Section(11, Vec(Cat([]byte{0}, I32Const(0), []byte{byte(wasm.OpEnd)}, Uleb(uint64(len(g.data))), g.data))),
	)
	return p
}

// Args draws arguments for params: half from the edges of the integer ranges, half
// random, i32 values zero-extended as both engines take them.
func Args(c Choices, params []wasm.ValType) []uint64 {
	edges := []uint64{0, 1, math.MaxUint64, math.MaxInt32, 1 << 31, math.MaxInt64, 1 << 63, PageSize}
	a := make([]uint64, len(params))
	for i, t := range params {
		if c.IntN(2) == 0 {
			a[i] = edges[c.IntN(len(edges))]
		} else {
			a[i] = uint64(c.IntN(1<<31))<<33 ^ uint64(c.IntN(1<<31))
		}
		if t == wasm.I32 {
			a[i] = uint64(uint32(a[i]))
		}
	}
	return a
}
