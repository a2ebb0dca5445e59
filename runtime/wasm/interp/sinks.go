package interp

// Counter is a Tracer that counts: steps, steps per opcode, memory accesses, global
// accesses, calls and returns.
type Counter struct {
	Steps        uint64
	Ops          [256]uint64 // steps per Step.Op
	MemReads     uint64
	MemWrites    uint64
	MemRanges    uint64 // memory.copy and memory.fill
	GlobalReads  uint64
	GlobalWrites uint64
	Calls        uint64 // calls of functions of the instance
	HostCalls    uint64
	Returns      uint64
	Traps        uint64
}

// Step counts s.
func (c *Counter) Step(s *Step) {
	c.Steps++
	c.Ops[s.Op]++
	switch s.Mem.Kind {
	case MemRead:
		c.MemReads++
	case MemWrite:
		c.MemWrites++
	case MemCopy, MemFill:
		c.MemRanges++
	}
	switch s.Global.Kind {
	case GlobalRead:
		c.GlobalReads++
	case GlobalWrite:
		c.GlobalWrites++
	}
	switch s.Call.Kind {
	case CallWasm:
		c.Calls++
	case CallHost:
		c.HostCalls++
	case CallReturn:
		c.Returns++
	}
	if s.Trap != 0 {
		c.Traps++
	}
}

// Columns is a Tracer that keeps the trace in memory as columns, the layout a prover
// commits to: row i of every row column is step i since the last Reset. What a prover looks
// up in the module's program table by (Func, PC) (the opcode's immediate, the byte offset)
// is not repeated. Args and Results, which have any length, keep their count and their
// first three and first value; a call's further arguments and results are on the value
// stack, where the prover's stack memory has them. Memory, global, call and trap events,
// which most steps lack, are kept apart, each with the number of its step, so that a row
// costs what every step needs and no more.
type Columns struct {
	N        []uint64 // Step.N
	Func     []uint32
	PC       []uint32
	Op       []uint8
	SP       []uint32
	NArgs    []uint32
	A, B, C  []uint64 // Args[0], Args[1], Args[2], or 0
	NResults []uint32
	Result   []uint64 // Results[0], or 0

	Mem     MemColumns
	Globals GlobalColumns
	Calls   CallColumns
	Traps   TrapColumns
}

// MemColumns are the steps' memory accesses, as MemAccess has them.
type MemColumns struct {
	N     []uint64
	Kind  []MemKind
	Addr  []uint64
	Width []uint32
	Src   []uint64
	Old   []uint64
	Value []uint64
}

// GlobalColumns are the steps' global accesses, as GlobalAccess has them.
type GlobalColumns struct {
	N        []uint64
	Kind     []GlobalKind
	Index    []uint32
	Old, New []uint64
}

// CallColumns are the steps' calls and returns, as CallEvent has them.
type CallColumns struct {
	N    []uint64
	Kind []CallKind
	Func []int32
}

// TrapColumns are the steps that trapped, and how.
type TrapColumns struct {
	N    []uint64
	Code []TrapCode
}

// Len is the number of rows.
func (c *Columns) Len() int { return len(c.N) }

// Reset empties the columns, keeping their storage for the next trace.
func (c *Columns) Reset() {
	m, g, k, t := &c.Mem, &c.Globals, &c.Calls, &c.Traps
	*c = Columns{
		N: c.N[:0], Func: c.Func[:0], PC: c.PC[:0], Op: c.Op[:0], SP: c.SP[:0], NArgs: c.NArgs[:0],
		A: c.A[:0], B: c.B[:0], C: c.C[:0], NResults: c.NResults[:0], Result: c.Result[:0],
		Mem: MemColumns{N: m.N[:0], Kind: m.Kind[:0], Addr: m.Addr[:0], Width: m.Width[:0], Src: m.Src[:0],
			Old: m.Old[:0], Value: m.Value[:0]},
		Globals: GlobalColumns{N: g.N[:0], Kind: g.Kind[:0], Index: g.Index[:0], Old: g.Old[:0], New: g.New[:0]},
		Calls:   CallColumns{N: k.N[:0], Kind: k.Kind[:0], Func: k.Func[:0]},
		Traps:   TrapColumns{N: t.N[:0], Code: t.Code[:0]},
	}
}

// Step appends s as a row, and its events.
func (c *Columns) Step(s *Step) {
	var abc [3]uint64
	copy(abc[:], s.Args)
	var r uint64
	if len(s.Results) > 0 {
		r = s.Results[0]
	}
	c.N = append(c.N, s.N)
	c.Func = append(c.Func, s.Func)
	c.PC = append(c.PC, s.PC)
	c.Op = append(c.Op, s.Op)
	c.SP = append(c.SP, s.SP)
	c.NArgs = append(c.NArgs, uint32(len(s.Args)))
	c.A = append(c.A, abc[0])
	c.B = append(c.B, abc[1])
	c.C = append(c.C, abc[2])
	c.NResults = append(c.NResults, uint32(len(s.Results)))
	c.Result = append(c.Result, r)
	if a := &s.Mem; a.Kind != MemNone {
		m := &c.Mem
		m.N = append(m.N, s.N)
		m.Kind = append(m.Kind, a.Kind)
		m.Addr = append(m.Addr, a.Addr)
		m.Width = append(m.Width, a.Width)
		m.Src = append(m.Src, a.Src)
		m.Old = append(m.Old, a.Old)
		m.Value = append(m.Value, a.Value)
	}
	if a := &s.Global; a.Kind != GlobalNone {
		g := &c.Globals
		g.N = append(g.N, s.N)
		g.Kind = append(g.Kind, a.Kind)
		g.Index = append(g.Index, a.Index)
		g.Old = append(g.Old, a.Old)
		g.New = append(g.New, a.New)
	}
	if s.Call.Kind != CallNone {
		k := &c.Calls
		k.N = append(k.N, s.N)
		k.Kind = append(k.Kind, s.Call.Kind)
		k.Func = append(k.Func, int32(s.Call.Func))
	}
	if s.Trap != 0 {
		c.Traps.N = append(c.Traps.N, s.N)
		c.Traps.Code = append(c.Traps.Code, s.Trap)
	}
}
