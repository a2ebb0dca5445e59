package tx

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/ssprove/ssprove/runtime/program"
)

// call is the implementation of one host function: it checks its rules against the
// machine, acts, fills results and records in ev what it read or wrote in memory.
type call func(m *machine, p *proc, args, results []uint64, ev *Event) error

// hostTable implements runtime/ABI.md; its keys are program.Imports's.
var hostTable = map[string]call{
	"resume":              (*machine).resume,
	"yield":               (*machine).yield,
	"burn":                (*machine).burn,
	"return":              (*machine).ret,
	"call_effect_handler": (*machine).callEffect,
	"activation":          (*machine).activation,
	"init":                (*machine).init,
	"new_utxo":            func(m *machine, p *proc, a, r []uint64, ev *Event) error { return m.create(p, program.UTXO, a, r, ev) },
	"new_token":           func(m *machine, p *proc, a, r []uint64, ev *Event) error { return m.create(p, program.Token, a, r, ev) },
	"new_coord":           func(m *machine, p *proc, a, r []uint64, ev *Event) error { return m.create(p, program.Coord, a, r, ev) },
	"program_hash":        (*machine).programHash,
	"amount":              (*machine).amount,
	"install_handler":     (*machine).installHandler,
	"uninstall_handler":   (*machine).uninstallHandler,
	"get_handler_for":     (*machine).getHandlerFor,
	"new_ref":             (*machine).newRefCall,
	"ref_push":            (*machine).refPush,
	"ref_get":             (*machine).refGet,
	"ref_write":           (*machine).refWrite,
	"bind":                (*machine).bindToken,
	"unbind":              (*machine).unbind,
	"get_datum":           (*machine).getDatum,
	"set_datum":           (*machine).setDatum,
}

// bind makes the host function name of process p.
func (m *machine) bind(p *proc, name string, fn call) hostFn {
	return func(args, results []uint64) error {
		seq := len(m.trace.Events)
		fail := func(err error) error {
			m.failed = &Violation{PID: p.pid, Call: name, Seq: seq, Err: err}
			return m.failed
		}
		if m.failed != nil {
			return m.failed
		}
		if p.controlled {
			return fail(ErrAfterControl)
		}
		ev := Event{PID: p.pid, Call: name, Args: slices.Clone(args)}
		if err := fn(m, p, args, results, &ev); err != nil {
			return fail(err)
		}
		p.calls++
		if len(results) > 0 {
			ev.Results = slices.Clone(results)
		}
		m.trace.Events = append(m.trace.Events, ev)
		return nil
	}
}

// Memory access through pointers (i32 arguments: the low 32 bits).

func (m *machine) readWords(p *proc, ptr uint64, ev *Event) ([4]uint64, error) {
	var w [4]uint64
	mem := p.inst.memory()
	a := uint64(uint32(ptr))
	if a+32 > uint64(len(mem)) {
		return w, fmt.Errorf("%w: 32 bytes at %#x, memory is %d bytes", ErrMemory, a, len(mem))
	}
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(mem[a+8*uint64(i):])
	}
	ev.Data = append(ev.Data, w[:]...)
	return w, nil
}

func (m *machine) writeWords(p *proc, ptr uint64, ev *Event, words ...uint64) error {
	mem := p.inst.memory()
	a := uint64(uint32(ptr))
	if a+8*uint64(len(words)) > uint64(len(mem)) {
		return fmt.Errorf("%w: %d bytes at %#x, memory is %d bytes", ErrMemory, 8*len(words), a, len(mem))
	}
	for i, w := range words {
		binary.LittleEndian.PutUint64(mem[a+8*uint64(i):], w)
	}
	ev.Data = append(ev.Data, words...)
	return nil
}

func (m *machine) lookup(pid uint64) (*proc, error) {
	if q, ok := m.procs[pid]; ok {
		return q, nil
	}
	return nil, fmt.Errorf("%w: %d is not an input of this transaction nor created by it", ErrUnknownProcess, pid)
}

// checkRef accepts 0 (no value) and complete refs.
func (m *machine) checkRef(id uint64) error {
	if id == 0 {
		return nil
	}
	_, err := m.ref(id)
	return err
}

func (m *machine) ref(id uint64) (*ref, error) {
	if id == 0 || id > uint64(len(m.refs)) {
		return nil, fmt.Errorf("%w: ref %d does not exist", ErrRef, id)
	}
	r := m.refs[id-1]
	if !r.complete() {
		return nil, fmt.Errorf("%w: ref %d is still under construction (%d of %d rows)", ErrRef, id, len(r.rows), r.size)
	}
	return r, nil
}

func onlyCoord(p *proc) error {
	if p.kind != program.Coord {
		return fmt.Errorf("%w (caller is a %v)", ErrOnlyCoordinator, p.kind)
	}
	return nil
}

func onlyUTXO(p *proc) error {
	if p.kind == program.Coord {
		return fmt.Errorf("%w (caller is a coordination script)", ErrOnlyUTXO)
	}
	return nil
}

// transfer hands control to q with activation a.
func (m *machine) transfer(p, q *proc, a activation) {
	q.act = a
	q.status = Running
	p.controlled = true
	m.next = q
}

// Control.

func (m *machine) resume(p *proc, args, _ []uint64, _ *Event) error {
	pid, val := args[0], args[1]
	q, err := m.lookup(pid)
	if err != nil {
		return err
	}
	if p.kind != program.Coord {
		if q.kind != program.Coord {
			return ErrUTXOCallsUTXO
		}
		return fmt.Errorf("%w (caller is a %v)", ErrOnlyCoordinator, p.kind)
	}
	if q == p {
		return fmt.Errorf("%w: a process may not resume itself", ErrNotSuspended)
	}
	if err := m.checkRef(val); err != nil {
		return err
	}
	switch q.status {
	case Idle, Suspended:
		q.yieldTo = p.pid
		q.touched = true
	case InEffect:
		if q.handler != p.pid {
			return fmt.Errorf("%w: %d handles its effect, not %d", ErrWrongResumer, q.handler, p.pid)
		}
		q.handler = 0
	default:
		return fmt.Errorf("%w: process %d is %v", ErrNotSuspended, q.pid, q.status)
	}
	p.status = Waiting
	m.transfer(p, q, activation{ref: val, caller: p.pid, kind: KindResume})
	return nil
}

// back finds the coordination script that yield, burn and return go back to.
func (m *machine) back(p *proc) (*proc, error) {
	q, ok := m.procs[p.yieldTo]
	if !ok || p.yieldTo == 0 {
		return nil, fmt.Errorf("%w: nobody resumed process %d", ErrNotSuspended, p.pid)
	}
	if q.status != Waiting {
		return nil, fmt.Errorf("%w: process %d, which resumed %d, is %v", ErrNotSuspended, q.pid, p.pid, q.status)
	}
	return q, nil
}

func (m *machine) yield(p *proc, args, _ []uint64, _ *Event) error {
	if err := onlyUTXO(p); err != nil {
		return err
	}
	if err := m.checkRef(args[0]); err != nil {
		return err
	}
	q, err := m.back(p)
	if err != nil {
		return err
	}
	p.status = Suspended
	m.transfer(p, q, activation{ref: args[0], caller: p.pid, kind: KindYield})
	return nil
}

func (m *machine) burn(p *proc, _, _ []uint64, _ *Event) error {
	if err := onlyUTXO(p); err != nil {
		return err
	}
	owned, err := m.owned(p.pid)
	if err != nil {
		return err
	}
	if len(owned) > 0 {
		return fmt.Errorf("%w: it owns %v", ErrBurnOwnsTokens, owned)
	}
	q, err := m.back(p)
	if err != nil {
		return err
	}
	if p.kind == program.Token {
		total, ok := addAmount(m.burned[p.prog.hash], p.amount)
		if !ok {
			return fmt.Errorf("%w: burned amounts overflow", ErrUnbalanced)
		}
		m.burned[p.prog.hash] = total
		p.owner = 0
	}
	p.status = Burned
	m.transfer(p, q, activation{caller: p.pid, kind: KindBurn})
	return nil
}

// owned lists the tokens owner owns now: those of this transaction bound to it, and
// those at rest in the ledger that this transaction has not loaded.
func (m *machine) owned(owner uint64) ([]uint64, error) {
	var out []uint64
	for _, q := range m.order {
		if q.kind == program.Token && q.owner == owner && q.status != Burned {
			out = append(out, q.pid)
		}
	}
	stored, err := m.st.OwnedBy(owner)
	if err != nil {
		return nil, err
	}
	for _, id := range stored {
		if _, loaded := m.procs[id]; !loaded {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (m *machine) ret(p *proc, _, _ []uint64, _ *Event) error {
	if err := onlyCoord(p); err != nil {
		return err
	}
	if p == m.root {
		p.status = Returned
		p.controlled = true
		m.ended = true
		return nil
	}
	q, err := m.back(p)
	if err != nil {
		return err
	}
	p.status = Returned
	m.transfer(p, q, activation{caller: p.pid, kind: KindReturn})
	return nil
}

func (m *machine) callEffect(p *proc, args, _ []uint64, ev *Event) error {
	iface, err := m.readWords(p, args[0], ev)
	if err != nil {
		return err
	}
	if err := m.checkRef(args[1]); err != nil {
		return err
	}
	stack := m.handlers[iface]
	if len(stack) == 0 {
		return fmt.Errorf("%w %v", ErrNoHandler, iface)
	}
	h := m.procs[stack[len(stack)-1]]
	switch {
	case h == p:
		return ErrSelfEffect
	case h.status == Returned:
		return fmt.Errorf("%w: %d", ErrHandlerGone, h.pid)
	case h.status != Waiting:
		return fmt.Errorf("%w: handler %d is %v", ErrNotSuspended, h.pid, h.status)
	}
	p.status = InEffect
	p.handler = h.pid
	m.transfer(p, h, activation{ref: args[1], caller: p.pid, kind: KindEffect, iface: iface})
	return nil
}

// Reading what happened.

func (m *machine) activation(p *proc, args, results []uint64, ev *Event) error {
	a := p.act
	if args[0] != 0 {
		if err := m.writeWords(p, args[0], ev, a.caller, a.kind, a.iface[0], a.iface[1], a.iface[2], a.iface[3]); err != nil {
			return err
		}
	}
	results[0] = a.ref
	return nil
}

func (m *machine) init(p *proc, args, results []uint64, ev *Event) error {
	if !p.hasInit {
		return ErrNoInit
	}
	if args[0] != 0 {
		if err := m.writeWords(p, args[0], ev, p.creator); err != nil {
			return err
		}
	}
	results[0] = p.initRef
	return nil
}

// Processes.

func (m *machine) create(p *proc, kind program.Kind, args, results []uint64, ev *Event) error {
	if err := onlyCoord(p); err != nil {
		return err
	}
	h, err := m.readWords(p, args[0], ev)
	if err != nil {
		return err
	}
	if err := m.checkRef(args[1]); err != nil {
		return err
	}
	var amount uint64
	if kind == program.Token {
		amount = args[2]
		if amount == 0 {
			return ErrAmount
		}
	}
	prog, err := m.x.program(m.st, h)
	if err != nil {
		return err
	}
	if kind == program.Token {
		total, ok := addAmount(m.minted[prog.hash], amount)
		if !ok {
			return fmt.Errorf("%w: minted amounts overflow", ErrUnbalanced)
		}
		m.minted[prog.hash] = total
	}
	q := &proc{
		pid: m.alloc(), kind: kind, prog: prog, status: Idle, created: true, touched: true,
		hasInit: true, initRef: args[1], creator: p.pid, amount: amount,
	}
	m.add(q)
	results[0] = q.pid
	return nil
}

func addAmount(a, b uint64) (uint64, bool) {
	if a > math.MaxUint64-b {
		return 0, false
	}
	return a + b, true
}

func (m *machine) programHash(p *proc, args, _ []uint64, ev *Event) error {
	q, err := m.lookup(args[0])
	if err != nil {
		return err
	}
	h := q.prog.hash
	return m.writeWords(p, args[1], ev, h[:]...)
}

func (m *machine) amount(p *proc, args, results []uint64, _ *Event) error {
	q, err := m.lookup(args[0])
	if err != nil {
		return err
	}
	if q.kind != program.Token {
		return fmt.Errorf("%w: process %d is a %v", ErrNotToken, q.pid, q.kind)
	}
	results[0] = q.amount
	return nil
}

// Handlers.

func (m *machine) installHandler(p *proc, args, _ []uint64, ev *Event) error {
	if err := onlyCoord(p); err != nil {
		return err
	}
	iface, err := m.readWords(p, args[0], ev)
	if err != nil {
		return err
	}
	m.handlers[iface] = append(m.handlers[iface], p.pid)
	return nil
}

func (m *machine) uninstallHandler(p *proc, args, _ []uint64, ev *Event) error {
	if err := onlyCoord(p); err != nil {
		return err
	}
	iface, err := m.readWords(p, args[0], ev)
	if err != nil {
		return err
	}
	stack := m.handlers[iface]
	if len(stack) == 0 || stack[len(stack)-1] != p.pid {
		return ErrHandlerNotTop
	}
	m.handlers[iface] = stack[:len(stack)-1]
	return nil
}

func (m *machine) getHandlerFor(p *proc, args, results []uint64, ev *Event) error {
	iface, err := m.readWords(p, args[0], ev)
	if err != nil {
		return err
	}
	stack := m.handlers[iface]
	if len(stack) == 0 {
		return fmt.Errorf("%w %v", ErrNoHandler, iface)
	}
	results[0] = stack[len(stack)-1]
	return nil
}

// Refs.

func (m *machine) newRefCall(p *proc, args, results []uint64, _ *Event) error {
	if p.building != 0 {
		return fmt.Errorf("%w: ref %d", ErrRefBuilding, p.building)
	}
	rows := args[0]
	if rows > MaxRefRows || uint64(m.arena)+rows > MaxArenaRows {
		return fmt.Errorf("%w: %d rows (a ref holds at most %d, the transaction %d in all, %d used)", ErrRefTooLarge, rows, MaxRefRows, MaxArenaRows, m.arena)
	}
	id := m.newRef(&ref{creator: p.pid, size: int(rows), rows: make([][4]uint64, 0, rows)})
	if rows > 0 {
		p.building = id
	}
	results[0] = id
	return nil
}

func (m *machine) refPush(p *proc, args, _ []uint64, _ *Event) error {
	if p.building == 0 {
		return ErrNoRef
	}
	r := m.refs[p.building-1]
	r.rows = append(r.rows, [4]uint64{args[0], args[1], args[2], args[3]})
	if r.complete() {
		p.building = 0
	}
	return nil
}

func (m *machine) refRow(id, row uint64) (*ref, error) {
	r, err := m.ref(id)
	if err != nil {
		return nil, err
	}
	if row >= uint64(r.size) {
		return nil, fmt.Errorf("%w: row %d of ref %d, which has %d", ErrRef, row, id, r.size)
	}
	return r, nil
}

func (m *machine) refGet(p *proc, args, _ []uint64, ev *Event) error {
	r, err := m.refRow(args[0], args[1])
	if err != nil {
		return err
	}
	row := r.rows[args[1]]
	return m.writeWords(p, args[2], ev, row[:]...)
}

func (m *machine) refWrite(p *proc, args, _ []uint64, _ *Event) error {
	r, err := m.refRow(args[0], args[1])
	if err != nil {
		return err
	}
	if r.creator != p.pid {
		return fmt.Errorf("%w: ref %d", ErrRefNotOwner, args[0])
	}
	r.rows[args[1]] = [4]uint64{args[2], args[3], args[4], args[5]}
	return nil
}

// Tokens.

func (m *machine) bindToken(p *proc, args, _ []uint64, _ *Event) error {
	if p.kind != program.Token {
		return fmt.Errorf("%w: the caller is a %v; only a token binds itself", ErrNotToken, p.kind)
	}
	if p.owner != 0 {
		return fmt.Errorf("%w to %d", ErrTokenBound, p.owner)
	}
	o, err := m.lookup(args[0])
	if err != nil {
		return err
	}
	switch {
	case o.kind == program.Token:
		return ErrTokenOwnsToken
	case o.kind != program.UTXO:
		return fmt.Errorf("%w: %d is a %v", ErrBadOwner, o.pid, o.kind)
	case o.status == Burned:
		return fmt.Errorf("%w: %d is burned", ErrBadOwner, o.pid)
	}
	p.owner = o.pid
	return nil
}

func (m *machine) unbind(p *proc, args, _ []uint64, _ *Event) error {
	t, err := m.lookup(args[0])
	if err != nil {
		return err
	}
	if t.kind != program.Token {
		return fmt.Errorf("%w: %d is a %v", ErrNotToken, t.pid, t.kind)
	}
	if t.owner != p.pid {
		return fmt.Errorf("%w: token %d is owned by %d, not %d", ErrNotOwner, t.pid, t.owner, p.pid)
	}
	t.owner = 0
	t.touched = true
	return nil
}

// Datum.

func (m *machine) getDatum(p *proc, args, results []uint64, _ *Event) error {
	if args[0] >= DatumSlots {
		return fmt.Errorf("%w: %d", ErrDatumSlot, args[0])
	}
	results[0] = p.datum[args[0]]
	return nil
}

func (m *machine) setDatum(p *proc, args, _ []uint64, _ *Event) error {
	if args[0] >= DatumSlots {
		return fmt.Errorf("%w: %d", ErrDatumSlot, args[0])
	}
	p.datum[args[0]] = args[1]
	return nil
}
