package interleave

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// Limits on an Input, checked before anything is allocated for it.
const (
	MaxProcs  = 1 << 16
	MaxIfaces = 1024
	MaxEvents = 1 << 22
	MaxInit   = 4096 // tx.MaxRefRows: the init ref is a ref
)

// Witness is the rows of a transaction, cut into steps.
type Witness struct {
	Layout *Layout
	// Y0 is the chain's initial state (ARITH.md § 2.4).
	Y0 []goldilocks.Element
	// Steps are the steps' witnesses z (Rows·Width cells, row-major); each
	// step's public input x is its first XLen cells.
	Steps [][]goldilocks.Element
	// Public is what the memory argument's verifier is told of the trace
	// (ARITH.md §§ 3.4, 3.5): the prover's caller compares it with its
	// statement.
	Public *Public
	// Calls and Scans count the host-call rows and the scan rows.
	Calls, Scans int
}

// X returns step s's public input x = (1, y_prev, y_next).
func (w *Witness) X(s int) []goldilocks.Element { return w.Steps[s][:XLen] }

// Build makes the rows of a transaction, steps of rowsPerStep rows (one of
// StepRows), and checks every step with Check. A trace whose rows violate the
// table is refused with the *RowError naming the op and the constraint.
// rowsPerStep 0 picks the smallest of StepRows whose one step holds every
// row (a step's rows below its header), else the largest: the rows do not
// depend on the step size, so they are made once and then laid out.
func Build(in *Input, rowsPerStep int) (*Witness, error) {
	w, err := build(in, rowsPerStep)
	if err != nil {
		return nil, err
	}
	for s, z := range w.Steps {
		if err := w.Layout.Check(s, z); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// row is one row's cells.
type row [Width]goldilocks.Element

func fe(v uint64) goldilocks.Element { return goldilocks.NewElement(v) }

func lo(v uint64) goldilocks.Element { return fe(v & 0xffffffff) }
func hi(v uint64) goldilocks.Element { return fe(v >> 32) }

type memKey struct {
	tag  int
	addr uint64
}

// memCell is a memory cell's value and the time of its last write.
type memCell struct {
	v [Slots]goldilocks.Element
	t uint64
}

// builder simulates the memories while it writes the rows: every value a row
// reads comes from the simulated memory, not from the trace, so the rows say
// what the trace's calls did, and the table decides whether that was allowed.
type builder struct {
	in    *Input
	index map[uint64]int // pid → process index
	mem   map[memKey]*memCell
	st    [StateLen]goldilocks.Element
	rows  []row
	g     uint64
}

func build(in *Input, rowsPerStep int) (*Witness, error) {
	if rowsPerStep != 0 {
		if _, err := NewLayout(rowsPerStep); err != nil {
			return nil, err
		}
	}
	if err := validate(in); err != nil {
		return nil, err
	}
	b := &builder{in: in, index: map[uint64]int{0: 0}, mem: make(map[memKey]*memCell)}
	datum := b.initial()
	y0 := b.st
	for i := range in.Events {
		if err := b.event(&in.Events[i]); err != nil {
			return nil, fmt.Errorf("host call #%d (%v by %d): %w", i, in.Events[i].Call, in.Events[i].PID, err)
		}
	}
	calls := len(b.rows)
	if !b.st[CellEnded].IsOne() {
		return nil, fmt.Errorf("%w: the root coordination script never returns", ErrTrace)
	}
	pub, err := b.public(datum)
	if err != nil {
		return nil, err
	}
	b.scans()
	l, err := fitLayout(rowsPerStep, len(b.rows))
	if err != nil {
		return nil, err
	}
	w := &Witness{Layout: l, Y0: y0[:], Public: pub, Calls: calls, Scans: len(b.rows) - calls}
	per := l.Rows - 1
	for start := 0; start < len(b.rows) || start == 0; start += per {
		for len(b.rows) < start+per {
			b.padding()
		}
		after := b.st[:]
		if start+per < len(b.rows) {
			after = b.rows[start+per][:StateLen]
		}
		w.Steps = append(w.Steps, step(l, b.rows[start:start+per], after))
	}
	return w, nil
}

// fitLayout returns the layout of rowsPerStep rows, or for 0 the smallest
// of stepRows whose one step holds rows rows below its header, else the
// largest.
func fitLayout(rowsPerStep, rows int) (*Layout, error) {
	if rowsPerStep == 0 {
		rowsPerStep = stepRows[len(stepRows)-1]
		for _, r := range stepRows {
			if rows <= r-1 {
				rowsPerStep = r
				break
			}
		}
	}
	return NewLayout(rowsPerStep)
}

// step lays out one step: the header with x, then its trace rows; after is
// the state after the last row.
func step(l *Layout, rows []row, after []goldilocks.Element) []goldilocks.Element {
	z := make([]goldilocks.Element, l.Cells())
	z[0] = goldilocks.One()
	copy(z[xPrev:], rows[0][:StateLen])
	copy(z[xNext:], after)
	for r := range rows {
		copy(z[(r+1)*Width:], rows[r][:])
	}
	return z
}

func validate(in *Input) error {
	switch {
	case len(in.Procs) == 0 || len(in.Procs) > MaxProcs:
		return fmt.Errorf("%w: %d processes (want 1 to %d)", ErrInput, len(in.Procs), MaxProcs)
	case len(in.Ifaces) > MaxIfaces:
		return fmt.Errorf("%w: %d interfaces, over %d", ErrInput, len(in.Ifaces), MaxIfaces)
	case len(in.InitRows) == 0 || len(in.InitRows) > MaxInit:
		return fmt.Errorf("%w: %d init ref rows (want 1 to %d)", ErrInput, len(in.InitRows), MaxInit)
	case len(in.Events) > MaxEvents:
		return fmt.Errorf("%w: %d host calls, over %d", ErrInput, len(in.Events), MaxEvents)
	case in.Procs[0].Role != RoleRoot || in.Procs[0].Kind != KindCoord:
		return fmt.Errorf("%w: process 1 is not the root coordination script", ErrInput)
	}
	pids := make(map[uint64]bool, len(in.Procs))
	for i, p := range in.Procs {
		switch {
		case i > 0 && (p.Role == RoleRoot || p.Role < in.Procs[i-1].Role):
			return fmt.Errorf("%w: process %d: roles out of order", ErrInput, i+1)
		case p.Role > RoleExternal || p.Kind > KindToken:
			return fmt.Errorf("%w: process %d: role %d, kind %d", ErrInput, i+1, p.Role, p.Kind)
		case p.PID == 0 || pids[p.PID]:
			return fmt.Errorf("%w: process %d: pid %d zero or repeated", ErrInput, i+1, p.PID)
		case int(p.Creator) > len(in.Procs) || int(p.OwnerBefore) > len(in.Procs):
			return fmt.Errorf("%w: process %d: creator or owner is not a process index", ErrInput, i+1)
		}
		pids[p.PID] = true
	}
	for i, f := range in.Ifaces {
		if f == ([4]uint64{}) || slices.Contains(in.Ifaces[:i], f) {
			return fmt.Errorf("%w: interface %d is zero or repeated", ErrInput, i+1)
		}
	}
	for i, e := range in.Events {
		if e.Call >= NumCalls || len(e.Args) != callArgs[e.Call] {
			return fmt.Errorf("%w: host call #%d: %v with %d arguments", ErrInput, i, e.Call, len(e.Args))
		}
		if !pids[e.PID] {
			return fmt.Errorf("%w: host call #%d: pid %d is not a process of the transaction", ErrInput, i, e.PID)
		}
	}
	return nil
}

// initial writes the memories' initial sets (ARITH.md § 3.2) and y0, and
// returns the datum cells the trace touches.
func (b *builder) initial() []Datum {
	in := b.in
	for i, p := range in.Procs {
		b.index[p.PID] = i + 1
	}
	datum := touchedDatum(in, b.index)
	for _, e := range initialSet(in, datum) {
		b.mem[memKey{e.Tag, e.Addr}] = &memCell{v: e.Value}
	}
	b.st = InitialState(in)
	return datum
}

// InitialState returns y0, the row state the first step starts from: the
// root running (index 1) on its start activation with ref 1, the first
// created process's index next, the init refs' rows in the arena, and empty
// handler lists. It depends only on the public part of in (its processes
// and init rows), so a verifier derives it from the statement.
func InitialState(in *Input) [StateLen]goldilocks.Element {
	firstCreated := uint64(len(in.Procs) + 1)
	for i, p := range in.Procs {
		if p.Role == RoleCreated {
			firstCreated = min(firstCreated, uint64(i+1))
		}
	}
	return [StateLen]goldilocks.Element{
		CellCur: fe(1), CellARef: fe(1), CellAKind: fe(ActStart), CellNNew: fe(firstCreated),
		CellNRef: fe(1), CellArena: fe(uint64(len(in.InitRows))), CellNNode: fe(1),
	}
}

// touchedDatum lists the datum cells the trace's get_datum and set_datum
// calls name, in ascending address order; a slot out of range names none
// (the row refuses it).
func touchedDatum(in *Input, index map[uint64]int) []Datum {
	seen := make(map[uint64]bool)
	var datum []Datum
	for _, e := range in.Events {
		if (e.Call != CallGetDatum && e.Call != CallSetDatum) || e.Args[0] >= DatumSlots {
			continue
		}
		d := Datum{Proc: uint32(index[e.PID]), Slot: uint8(e.Args[0])}
		if !seen[d.addr()] {
			seen[d.addr()] = true
			datum = append(datum, d)
		}
	}
	slices.SortFunc(datum, func(x, y Datum) int { return cmp.Compare(x.addr(), y.addr()) })
	return datum
}

// public returns what the verifier must be told of the built trace: the
// datum cells' and the processes' final values, read from the simulated
// memories after the last host call, and the host-call counts.
func (b *builder) public(datum []Datum) (*Public, error) {
	in := b.in
	pub := &Public{
		Input: in,
		Datum: datum,
		Calls: make([]uint64, len(in.Procs)),
		Final: make([]Final, len(in.Procs)),
	}
	for _, e := range in.Events {
		pub.Calls[b.index[e.PID]-1]++
		pub.Kinds[e.Call]++
	}
	for i := range pub.Final {
		c := b.mem[memKey{TagPROC, uint64(i + 1)}]
		s := c.v[procSt].Uint64()
		if s >= uint64(numStatus) {
			return nil, fmt.Errorf("%w: process %d ends with status code %d", ErrTrace, i+1, s)
		}
		pub.Final[i] = Final{Status: Status(s), Tok: c.v[procTok].Uint64()}
	}
	for k := range pub.Datum {
		d := &pub.Datum[k]
		c := b.mem[memKey{TagDATUM, d.addr()}]
		l, h := c.v[0].Uint64(), c.v[1].Uint64()
		if l >= 1<<32 || h >= 1<<32 {
			return nil, fmt.Errorf("%w: datum slot %d of process %d ends with limbs (%d, %d), not a word", ErrTrace, d.Slot, d.Proc, l, h)
		}
		d.After = l | h<<32
	}
	return pub, nil
}

func ifaceLimbs(f [4]uint64) []goldilocks.Element {
	return []goldilocks.Element{fe(0), fe(0), lo(f[0]), hi(f[0]), lo(f[1]), hi(f[1]), lo(f[2]), hi(f[2]), lo(f[3]), hi(f[3])}
}

// port is one port access of the row being built.
type port struct {
	base int
	key  memKey
	mode mode
	old  [Slots]goldilocks.Element
	new  [Mutable]goldilocks.Element
	rt   uint64
}

// rowBuilder is the row being built.
type rowBuilder struct {
	b     *builder
	r     row
	ports []*port
	next  [StateLen]goldilocks.Element
}

func (b *builder) newRow() *rowBuilder {
	return &rowBuilder{b: b, next: b.st}
}

// open reads memory cell (tag, a) on port base; the new value starts as the
// old one.
func (rb *rowBuilder) open(base, tag int, a uint64, m mode) *port {
	p := &port{base: base, key: memKey{tag, a}, mode: m}
	if c, ok := rb.b.mem[p.key]; ok && m != modeFresh {
		p.old, p.rt = c.v, c.t
	}
	copy(p.new[:], p.old[:Mutable])
	rb.ports = append(rb.ports, p)
	return p
}

// field returns the value of slot k, as a u64 (cells hold values below 2^32
// for an honest trace; a forged one may hold anything).
func (p *port) field(k int) uint64 { return p.old[k].Uint64() }

// finish writes the row: the ports' cells and memory writes, the selector,
// the status decoding and the state.
func (rb *rowBuilder) finish(op Op) error {
	b := rb.b
	r := &rb.r
	copy(r[:StateLen], b.st[:])
	seen := make(map[memKey]bool, len(rb.ports))
	for _, p := range rb.ports {
		if seen[p.key] {
			return fmt.Errorf("%w: two ports of one %v row access memory %d address %d", ErrTrace, op, p.key.tag, p.key.addr)
		}
		seen[p.key] = true
	}
	used := map[int]bool{}
	for _, p := range rb.ports {
		used[p.base] = true
		now := 4*b.g + uint64(portNum(p.base))
		if p.mode == modeFresh {
			if _, ok := b.mem[p.key]; ok {
				return fmt.Errorf("%w: %v writes memory %d address %d, which exists", ErrTrace, op, p.key.tag, p.key.addr)
			}
			p.rt = now - 1
		} else if op != OpNone {
			r[rdCell(p.base)] = fe(1)
		}
		if p.base == PR {
			r[PR+RAddr] = fe(p.key.addr)
			copy(r[PR+ROld:PR+ROld+4], p.old[:4])
			r[PR+RNew] = p.new[0]
		} else {
			r[tag(p.base)] = fe(uint64(p.key.tag))
			r[addr(p.base)] = fe(p.key.addr)
			copy(r[old(p.base, 0):old(p.base, Slots)], p.old[:])
			copy(r[nw(p.base, 0):nw(p.base, Mutable)], p.new[:])
		}
		r[rtCell(p.base)] = fe(p.rt)
		r[cdCell(p.base)] = cd(now, p.rt)
		if op == OpScan {
			continue
		}
		c := b.mem[p.key]
		if c == nil { // fresh, or a forged read of a cell that never existed
			c = &memCell{v: p.old}
			b.mem[p.key] = c
		}
		switch {
		case p.mode == modeRO:
		case p.base == PR: // only filled is mutable
			c.v[0] = p.new[0]
		default:
			copy(c.v[:Mutable], p.new[:])
		}
		c.t = now
	}
	for _, base := range []int{P1, P2, P3, PR} {
		if !used[base] {
			now := 4*b.g + uint64(portNum(base))
			r[rtCell(base)] = fe(now - 1)
			r[cdCell(base)] = cd(now, now-1)
		}
	}
	if op != OpNone {
		r[sel(op)] = fe(1)
	}
	// β decodes P2's status only where P2 holds a process record (the
	// table gates the decoding so); elsewhere P2 may hold any word (an arena
	// row, a scanned cell), and β is the one-hot NONE every row must have.
	status := StatusNone
	if s := r[old(P2, procSt)].Uint64(); s < uint64(numStatus) && rb.procOnP2(op) {
		status = Status(s)
	}
	r[beta(status)] = fe(1)
	b.rows = append(b.rows, *r)
	b.g++
	rb.next[CellG] = fe(b.g)
	b.st = rb.next
	return nil
}

// procOnP2 reports whether the row's P2 port reads a process record, which
// the status one-hot β decodes, on a host-call row.
func (rb *rowBuilder) procOnP2(op Op) bool {
	if op == OpNone || op == OpScan {
		return false
	}
	for _, p := range rb.ports {
		if p.base == P2 {
			return p.key.tag == TagPROC
		}
	}
	return false
}

// cd is 2^32 − now + rt.
func cd(now, rt uint64) goldilocks.Element {
	var v, n goldilocks.Element
	v.SetUint64(1<<32 + rt)
	n.SetUint64(now)
	v.Sub(&v, &n)
	return v
}

func (b *builder) padding() {
	rb := b.newRow()
	// A padding row has no port; finish cannot fail without one.
	_ = rb.finish(OpNone)
}

// scans appends the scan rows: one final read of every memory cell, PROC on P2
// and DATUM on P1 (where their output leaves are), REFS on R, in a fixed order.
func (b *builder) scans() {
	var proc, datum, other, refs []memKey
	for k := range b.mem {
		switch k.tag {
		case TagPROC:
			proc = append(proc, k)
		case TagDATUM:
			datum = append(datum, k)
		case TagREFS:
			refs = append(refs, k)
		default:
			other = append(other, k)
		}
	}
	for _, s := range [][]memKey{proc, datum, other, refs} {
		slices.SortFunc(s, func(x, y memKey) int {
			return cmp.Or(cmp.Compare(x.tag, y.tag), cmp.Compare(x.addr, y.addr))
		})
	}
	pop := func(q *[]memKey) (memKey, bool) {
		if len(*q) == 0 {
			return memKey{}, false
		}
		k := (*q)[0]
		*q = (*q)[1:]
		return k, true
	}
	for len(proc)+len(datum)+len(other)+len(refs) > 0 {
		rb := b.newRow()
		read := func(base int, k memKey) {
			rb.open(base, k.tag, k.addr, modeRO)
			switch {
			case base == P2 && k.tag == TagPROC && k.addr > 0:
				rb.r[CellOutP] = fe(1)
			case base == P1 && k.tag == TagDATUM:
				rb.r[CellOutD] = fe(1)
			}
		}
		if k, ok := pop(&datum); ok {
			read(P1, k)
		} else if k, ok := pop(&other); ok {
			read(P1, k)
		}
		if k, ok := pop(&proc); ok {
			read(P2, k)
		} else if k, ok := pop(&other); ok {
			read(P2, k)
		}
		if k, ok := pop(&other); ok {
			read(P3, k)
		}
		if k, ok := pop(&refs); ok {
			read(PR, k)
		}
		// Scan rows read distinct cells, so finish cannot fail.
		_ = rb.finish(OpScan)
	}
}
