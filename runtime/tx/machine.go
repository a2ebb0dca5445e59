package tx

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
)

// Ref limits of runtime/ABI.md.
const (
	MaxRefRows   = 4096
	MaxArenaRows = 65536
)

// Activation kinds, as activation() reports them.
const (
	KindStart  = 0
	KindResume = 1
	KindYield  = 2
	KindBurn   = 3
	KindReturn = 4
	KindEffect = 5
)

type activation struct {
	ref, caller, kind uint64
	iface             [4]uint64
}

// proc is a process of the running transaction.
type proc struct {
	pid     uint64
	kind    program.Kind
	prog    *loaded
	inst    instance
	state   *State // an input's saved state, restored when it first runs
	status  Status
	input   bool
	created bool
	touched bool // resumed (an input) or created: its record changes at commit
	version uint64

	yieldTo uint64 // where yield, burn and return go
	handler uint64 // while InEffect: the only process that may resume it
	act     activation

	hasInit          bool
	initRef, creator uint64

	datum         [DatumSlots]uint64
	amount, owner uint64
	// ownerBefore and stateBefore are an input's owner and state hash at rest.
	ownerBefore uint64
	stateBefore [32]byte
	building    uint64 // ref under construction, 0 for none

	calls      int
	controlled bool // made its control call in the current step
}

type ref struct {
	creator uint64
	size    int
	rows    [][4]uint64
}

func (r *ref) complete() bool { return len(r.rows) == r.size }

// machine runs one transaction on one backend.
type machine struct {
	ctx context.Context
	x   *Executor
	st  Store
	be  backend

	procs    map[uint64]*proc
	order    []*proc // by id
	root     *proc
	startID  uint64
	nextID   uint64
	refs     []*ref
	arena    int
	handlers map[[4]uint64][]uint64

	fuel, used uint64
	trace      *Trace

	minted, burned map[program.Hash]uint64

	next   *proc // the target of the current step's control call
	ended  bool
	failed error // the violation a host call raised, returned by the step
}

// closeAll releases the transaction's instances: on wazero each holds compiled code and
// host modules until closed.
func (m *machine) closeAll() {
	for _, p := range m.order {
		if p.inst != nil {
			p.inst.close(context.WithoutCancel(m.ctx))
		}
	}
}

func (m *machine) add(p *proc) {
	m.procs[p.pid] = p
	m.order = append(m.order, p)
}

func (m *machine) execute(t *Transaction) (*Result, error) {
	coordHash, err := resolve(m.st, t.Coordinator)
	if err != nil {
		return nil, fmt.Errorf("coordinator: %w", err)
	}
	mint, err := m.resolveAmounts(t.Mint)
	if err != nil {
		return nil, fmt.Errorf("mint: %w", err)
	}
	burn, err := m.resolveAmounts(t.Burn)
	if err != nil {
		return nil, fmt.Errorf("burn: %w", err)
	}
	args := make([][4]uint64, len(t.Args))
	for i, a := range t.Args {
		if a.Program == "" {
			args[i] = a.Words
			continue
		}
		h, err := resolve(m.st, a.Program)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %w", i, err)
		}
		args[i] = h
	}
	coord, err := m.x.program(m.st, coordHash)
	if err != nil {
		return nil, fmt.Errorf("coordinator: %w", err)
	}
	root := &proc{pid: m.alloc(), kind: program.Coord, prog: coord, status: Running, created: true, touched: true, hasInit: true}
	m.root = root
	m.add(root)

	var inputs []ledger.Input
	for _, in := range t.Inputs {
		p, err := m.loadInput(in)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, ledger.Input{ID: p.pid, Version: p.version})
	}
	slices.SortFunc(m.order, func(a, b *proc) int { return cmpID(a.pid, b.pid) })

	init := &ref{creator: 0, size: 1 + len(inputs) + len(args)}
	init.rows = append(init.rows, [4]uint64{uint64(len(inputs)), uint64(len(args))})
	for _, in := range inputs {
		init.rows = append(init.rows, [4]uint64{in.ID, in.Version})
	}
	init.rows = append(init.rows, args...)
	if init.size > MaxRefRows {
		return nil, fmt.Errorf("%w: the arguments and inputs take %d rows, over %d", ErrRefTooLarge, init.size, MaxRefRows)
	}
	root.initRef = m.newRef(init)
	root.act = activation{ref: root.initRef, kind: KindStart}

	content := Content{
		NextID: m.startID, Coordinator: coordHash, Inputs: inputs, Args: args,
		Mint: sortedAmounts(mint), Burn: sortedAmounts(burn), Fuel: m.fuel,
	}

	for cur := root; ; {
		if err := m.step(cur); err != nil {
			return nil, err
		}
		if m.ended {
			break
		}
		cur = m.next
	}
	if err := m.finish(mint, burn); err != nil {
		return nil, err
	}
	return m.result(content)
}

func cmpID(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (m *machine) alloc() uint64 {
	id := m.nextID
	m.nextID++
	return id
}

func (m *machine) resolveAmounts(in map[string]uint64) (map[program.Hash]uint64, error) {
	out := make(map[program.Hash]uint64, len(in))
	for name, v := range in {
		h, err := resolve(m.st, name)
		if err != nil {
			return nil, err
		}
		if _, dup := out[h]; dup {
			return nil, fmt.Errorf("program %s named twice", h.Short())
		}
		if v != 0 {
			out[h] = v
		}
	}
	return out, nil
}

func (m *machine) loadInput(in Input) (*proc, error) {
	u, err := m.st.UTXO(in.ID)
	switch {
	case errors.Is(err, ledger.ErrSpent):
		return nil, fmt.Errorf("input %d: %w: %w", in.ID, ErrSpent, err)
	case errors.Is(err, ledger.ErrUnknownUTXO):
		return nil, fmt.Errorf("input %d: %w: %w", in.ID, ErrUnknownProcess, err)
	case err != nil:
		return nil, fmt.Errorf("input %d: %w", in.ID, err)
	}
	if in.Version != nil && *in.Version != u.Version {
		return nil, fmt.Errorf("input %d: %w: the transaction consumes version %d, the ledger has version %d", in.ID, ErrSpent, *in.Version, u.Version)
	}
	prog, err := m.x.program(m.st, u.Program)
	if err != nil {
		return nil, fmt.Errorf("input %d: %w", in.ID, err)
	}
	state, err := DecodeState(u.State)
	if err != nil {
		return nil, fmt.Errorf("input %d: %w", in.ID, err)
	}
	if len(state.Globals) != len(prog.globals) {
		return nil, fmt.Errorf("input %d: %w: %d globals saved, the program has %d", in.ID, ErrState, len(state.Globals), len(prog.globals))
	}
	p := &proc{
		pid: u.ID, kind: u.Kind, prog: prog, state: state, status: Suspended, input: true,
		version: u.Version, datum: state.Datum, amount: u.Amount, owner: u.Owner,
		ownerBefore: u.Owner, stateBefore: sha256.Sum256(u.State),
	}
	m.add(p)
	return p, nil
}

func (m *machine) newRef(r *ref) uint64 {
	m.refs = append(m.refs, r)
	m.arena += r.size
	return uint64(len(m.refs))
}

// step runs one step of p.
func (m *machine) step(p *proc) error {
	if err := m.ctx.Err(); err != nil {
		return err
	}
	if p.inst == nil {
		if err := m.instantiate(p); err != nil {
			return &Violation{PID: p.pid, Seq: -1, Err: err}
		}
	}
	p.controlled = false
	m.next, m.failed = nil, nil
	p.inst.setFuel(m.fuel - m.used)
	err := p.inst.step(m.ctx)
	left := p.inst.fuel()
	m.used = m.fuel - left
	switch {
	case m.failed != nil:
		return m.failed
	case err != nil && m.ctx.Err() != nil:
		return m.ctx.Err()
	case err != nil && p.inst.outOfFuel(err):
		m.used = m.fuel
		return &Violation{PID: p.pid, Seq: -1, Err: fmt.Errorf("%w: budget %d", ErrOutOfFuel, m.fuel)}
	case err != nil:
		return &Violation{PID: p.pid, Seq: -1, Err: fmt.Errorf("%w: %w", ErrTrap, err)}
	case !p.controlled:
		return &Violation{PID: p.pid, Seq: -1, Err: ErrNoControl}
	}
	return nil
}

func (m *machine) instantiate(p *proc) error {
	hosts := make(map[string]hostFn, len(p.prog.info.HostCalls))
	for _, name := range p.prog.info.HostCalls {
		fn, ok := hostTable[name]
		if !ok {
			return fmt.Errorf("host function %q not implemented", name)
		}
		hosts[name] = m.bind(p, name, fn)
	}
	var tracer interp.Tracer
	if m.trace.Instructions != nil {
		cols := &interp.Columns{}
		m.trace.Instructions[p.pid] = cols
		tracer = cols
	}
	inst, err := m.be.instantiate(m.ctx, p.prog, hosts, tracer)
	if err != nil {
		return fmt.Errorf("instantiate: %w", err)
	}
	p.inst = inst
	if s := p.state; s != nil {
		mem := inst.memory()
		have := uint32(len(mem) / pageSize)
		if s.Pages < have || !inst.grow(s.Pages-have) {
			return fmt.Errorf("%w: saved memory of %d pages does not fit the program's (%d pages now)", ErrState, s.Pages, have)
		}
		mem = inst.memory()
		clear(mem[copy(mem, s.Memory):])
		for i, name := range p.prog.globals {
			inst.setGlobal(name, s.Globals[i])
		}
	}
	return nil
}

// finish checks the rules that hold only at the end of the transaction.
func (m *machine) finish(mint, burn map[program.Hash]uint64) error {
	for _, p := range m.order {
		switch {
		case p.kind == program.Coord && p.status != Returned:
			return &Violation{PID: p.pid, Seq: -1, Err: fmt.Errorf("%w: coordination script is %v", ErrNotFinished, p.status)}
		case p.kind != program.Coord && p.touched && p.status != Suspended && p.status != Burned:
			return &Violation{PID: p.pid, Seq: -1, Err: fmt.Errorf("%w: %v is %v, not yielded or burned", ErrNotFinished, p.kind, p.status)}
		}
	}
	for _, p := range m.order {
		if p.kind != program.Token || p.status == Burned {
			continue
		}
		if p.owner == 0 {
			return &Violation{PID: p.pid, Seq: -1, Err: ErrUnboundToken}
		}
		if o, ok := m.procs[p.owner]; ok && o.status == Burned {
			return &Violation{PID: p.pid, Seq: -1, Err: fmt.Errorf("%w: owner %d burned", ErrUnboundToken, o.pid)}
		}
	}
	for _, side := range []struct {
		name          string
		did, declared map[program.Hash]uint64
	}{{"minted", m.minted, mint}, {"burned", m.burned, burn}} {
		if !maps.Equal(side.did, side.declared) {
			return &Violation{Seq: -1, Err: fmt.Errorf("%w: %s %s, declared %s", ErrUnbalanced, side.name, amounts(side.did), amounts(side.declared))}
		}
	}
	return nil
}

func amounts(m map[program.Hash]uint64) string {
	if len(m) == 0 {
		return "nothing"
	}
	s := ""
	for i, k := range sortedHashes(m) {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%d of %s", m[k], k.Short())
	}
	return s
}

// result builds the Result and the ledger commit of a finished transaction.
func (m *machine) result(content Content) (*Result, error) {
	hash := Hash(&content)
	owned, err := m.ownedAtRest()
	if err != nil {
		return nil, err
	}
	r := &Result{
		Content: content, Hash: hash, Trace: m.trace, FuelUsed: m.used,
		Minted: m.minted, Burned: m.burned, OwnedAtRest: owned,
	}
	c := &ledger.Commit{Tx: hash, NextID: m.nextID}
	for _, p := range m.order {
		row := Process{
			PID: p.pid, Program: p.prog.hash, Kind: p.kind, Input: p.input, Created: p.created,
			Version: p.version, Status: p.status, Amount: p.amount, Owner: p.owner,
			OwnerBefore: p.ownerBefore, InitRef: p.initRef, Creator: p.creator, HostCalls: p.calls,
			StateBefore: p.stateBefore, DatumAfter: p.datum,
		}
		if p.state != nil {
			row.DatumBefore = p.state.Datum
		}
		if p.input && !p.touched {
			row.Status = Untouched
		}
		if p.kind != program.Coord && p.touched {
			if p.input {
				c.Inputs = append(c.Inputs, ledger.Input{ID: p.pid, Version: p.version})
			}
			switch p.status {
			case Burned:
				c.Burned = append(c.Burned, p.pid)
			case Suspended:
				state := m.save(p)
				row.StateHash = sha256.Sum256(state)
				version := uint64(0)
				if p.input {
					version = p.version + 1
				}
				c.Put = append(c.Put, &ledger.UTXO{
					ID: p.pid, Version: version, Program: p.prog.hash, Kind: p.kind,
					Amount: p.amount, Owner: p.owner, State: state, Tx: hash,
				})
			}
		}
		r.Processes = append(r.Processes, row)
	}
	record, err := json.Marshal(recordOf(r))
	if err != nil {
		return nil, err
	}
	c.Record = record
	r.Commit = c
	return r, nil
}

// ownedAtRest is Result.OwnedAtRest. Execution writes nothing to the store, so the
// store still says what was at rest before the transaction.
func (m *machine) ownedAtRest() (map[uint64]int, error) {
	out := make(map[uint64]int)
	for _, p := range m.order {
		owner := uint64(0)
		switch {
		case !p.input:
			continue
		case p.kind == program.UTXO:
			owner = p.pid
		case p.kind == program.Token && p.ownerBefore != 0:
			owner = p.ownerBefore
		default:
			continue
		}
		if _, done := out[owner]; done {
			continue
		}
		ids, err := m.st.OwnedBy(owner)
		if err != nil {
			return nil, fmt.Errorf("tokens owned by %d: %w", owner, err)
		}
		out[owner] = len(ids)
	}
	return out, nil
}

func (m *machine) save(p *proc) []byte {
	if p.inst == nil { // an input changed by others (unbound) but never run
		return p.state.Encode()
	}
	mem := p.inst.memory()
	s := State{Pages: uint32(len(mem) / pageSize), Memory: mem, Datum: p.datum}
	for _, name := range p.prog.globals {
		s.Globals = append(s.Globals, p.inst.global(name))
	}
	return s.Encode()
}
