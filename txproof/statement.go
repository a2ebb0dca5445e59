package txproof

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/tx"
)

// StatementVersion is the version of Statement this package writes and reads.
const StatementVersion = 1

// Limits on a statement, checked before anything is allocated when decoding.
const (
	MaxProcs  = 4096
	MaxIfaces = 1024
	MaxSteps  = 1 << 16
)

var (
	// ErrFormat is the error of bytes that are not an encoded statement.
	ErrFormat = errors.New("txproof: bad statement encoding")
	// ErrStatement is the error of a statement that is malformed or contradicts itself.
	ErrStatement = errors.New("txproof: inconsistent statement")
	// ErrHash is the error of a statement whose hash is not its transaction's.
	ErrHash = errors.New("txproof: statement hash is not the transaction's")
)

// Statement is the public statement of a transaction proof (fold/ARITH.md § 6.1).
// Processes are named by their index: 0 is the dummy (no process), index i ≥ 1 is Procs[i−1].
type Statement struct {
	Version uint16
	// Tx is the transaction as it ran: the preimage of Hash.
	Tx tx.Content
	// Hash is tx.Hash(&Tx).
	Hash [32]byte
	// Procs are the processes in index order: the root coordination script, the inputs
	// in the transaction's order, the created processes in creation order, then the
	// external owners (owners of input tokens that are not inputs) by ascending pid.
	Procs []Proc
	// Ifaces are the interfaces the trace names (handler calls and effects), ascending,
	// distinct, none all-zero.
	Ifaces [][4]uint64
	// Datum are the (process, slot) pairs get_datum and set_datum touched, ascending.
	Datum []DatumCell
	// Kinds are the host calls per host function, in tx.HostFunctions order.
	Kinds [tx.NumHostFunctions]uint32
	// Rows (R, rows per step, one of interleave.StepRows) and Steps (S) are the proof's layout.
	// FromResult leaves them 0: the prover sets them once it has laid the trace out.
	Rows, Steps uint32
}

// Proc is one process of a statement.
type Proc struct {
	PID     uint64
	Role    Role
	Kind    Kind
	Program program.Hash // zero for external owners
	Amount  uint64       // tokens
	// InitRef and Creator (a process index) are what init() returns to a created
	// process; the root's init ref is 1 and its creator 0.
	InitRef uint64
	Creator uint32
	// OwnerBefore and OwnerAfter are a token's owner (a process index, 0 for none)
	// before and after the transaction.
	OwnerBefore, OwnerAfter uint32
	// OwnsBefore is how many tokens an input UTXO or an external owner owned at rest.
	OwnsBefore  uint64
	StatusAfter Status
	HostCalls   uint32
	// StateBefore is the SHA-256 of an input's state at rest, StateAfter that of a
	// yielded process's saved state. Neither is proven (fold/ARITH.md § 5.9): the ledger
	// checks them when it applies the statement.
	StateBefore, StateAfter [32]byte
	DatumBefore, DatumAfter [tx.DatumSlots]uint64
}

// DatumCell is a (process index, slot) pair.
type DatumCell struct {
	Proc uint32
	Slot uint8
}

func (a DatumCell) compare(b DatumCell) int {
	return cmp.Or(cmp.Compare(a.Proc, b.Proc), cmp.Compare(a.Slot, b.Slot))
}

// Role is how a process takes part in a transaction.
type Role uint8

// Roles, in the order they appear in Statement.Procs.
const (
	RoleRoot Role = iota
	RoleInput
	RoleCreated
	RoleExternal
)

func (r Role) String() string {
	switch r {
	case RoleRoot:
		return "root"
	case RoleInput:
		return "input"
	case RoleCreated:
		return "created"
	case RoleExternal:
		return "external owner"
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// Kind is a process's kind.
type Kind uint8

// Process kinds (fold/ARITH.md § 2.1).
const (
	KindCoord Kind = iota
	KindUTXO
	KindToken
)

func (k Kind) String() string {
	switch k {
	case KindCoord:
		return "coordination script"
	case KindUTXO:
		return "UTXO"
	case KindToken:
		return "token"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

func kindOf(k program.Kind) (Kind, error) {
	switch k {
	case program.Coord:
		return KindCoord, nil
	case program.UTXO:
		return KindUTXO, nil
	case program.Token:
		return KindToken, nil
	}
	return 0, fmt.Errorf("%w: process kind %v", ErrStatement, k)
}

// Status is where a process stands at the end of a transaction, coded as the proof's
// process memory codes it (fold/ARITH.md § 2.1).
type Status uint8

// Statuses. A finished transaction leaves its processes returned (coordination scripts),
// yielded or burned, and the inputs it did not touch at rest; StatusNone is an external
// owner's, which is not a process of the transaction. The others are where a process
// stands while a transaction runs.
const (
	StatusNone     Status = iota
	StatusNew             // not created yet
	StatusIdle            // created, never run
	StatusRest            // an input left untouched
	StatusYielded         // tx.Suspended after a yield
	StatusRunning         // tx.Running
	StatusWaiting         // tx.Waiting
	StatusInEffect        // tx.InEffect
	StatusBurned          // tx.Burned
	StatusReturned        // tx.Returned
	numStatus
)

var statusNames = [numStatus]string{"none", "new", "idle", "untouched", "yielded", "running", "waiting", "in effect", "burned", "returned"}

func (s Status) String() string {
	if s < numStatus {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

func statusOf(s tx.Status) (Status, error) {
	switch s {
	case tx.Idle:
		return StatusIdle, nil
	case tx.Untouched:
		return StatusRest, nil
	case tx.Suspended:
		return StatusYielded, nil
	case tx.Running:
		return StatusRunning, nil
	case tx.Waiting:
		return StatusWaiting, nil
	case tx.InEffect:
		return StatusInEffect, nil
	case tx.Burned:
		return StatusBurned, nil
	case tx.Returned:
		return StatusReturned, nil
	}
	return 0, fmt.Errorf("%w: status %v", ErrStatement, s)
}

// FromResult states what the executed transaction r did. Rows and Steps are left 0 for
// the prover. A Result over the statement's limits is an error wrapping ErrStatement.
func FromResult(r *tx.Result) (*Statement, error) {
	s := &Statement{Version: StatementVersion, Tx: r.Content, Hash: r.Hash}
	// The statement owns its lists: a prover or a test changing it leaves r as it was.
	s.Tx.Inputs, s.Tx.Args = slices.Clone(r.Inputs), slices.Clone(r.Args)
	s.Tx.Mint, s.Tx.Burn = slices.Clone(r.Mint), slices.Clone(r.Burn)
	byPID := make(map[uint64]*tx.Process, len(r.Processes))
	for i := range r.Processes {
		byPID[r.Processes[i].PID] = &r.Processes[i]
	}
	// The table in index order: root, inputs, created, external owners.
	var order []*tx.Process
	root := byPID[r.NextID]
	if root == nil {
		return nil, fmt.Errorf("%w: no root coordination script (pid %d)", ErrStatement, r.NextID)
	}
	order = append(order, root)
	for _, in := range r.Inputs {
		p := byPID[in.ID]
		if p == nil || !p.Input {
			return nil, fmt.Errorf("%w: input %d is not in the process table", ErrStatement, in.ID)
		}
		order = append(order, p)
	}
	for i := range r.Processes {
		if p := &r.Processes[i]; p.Created && p != root {
			order = append(order, p)
		}
	}
	var external []uint64
	for _, p := range order {
		if o := p.OwnerBefore; o != 0 && byPID[o] == nil && !slices.Contains(external, o) {
			external = append(external, o)
		}
	}
	slices.Sort(external)
	if n := len(order) + len(external); n > MaxProcs {
		return nil, fmt.Errorf("%w: %d processes, over the limit of %d", ErrStatement, n, MaxProcs)
	}
	index := make(map[uint64]uint32, len(order)+len(external))
	for i, p := range order {
		index[p.PID] = uint32(i + 1)
	}
	for i, pid := range external {
		index[pid] = uint32(len(order) + i + 1)
	}
	indexOf := func(pid uint64) (uint32, error) {
		if pid == 0 {
			return 0, nil
		}
		i, ok := index[pid]
		if !ok {
			return 0, fmt.Errorf("%w: process %d is not in the statement", ErrStatement, pid)
		}
		return i, nil
	}

	for i, p := range order {
		q := Proc{
			PID: p.PID, Program: p.Program, Amount: p.Amount, InitRef: p.InitRef,
			HostCalls: uint32(p.HostCalls), StateBefore: p.StateBefore, StateAfter: p.StateHash,
			DatumBefore: p.DatumBefore, DatumAfter: p.DatumAfter,
		}
		switch {
		case i == 0:
			q.Role = RoleRoot
		case p.Input:
			q.Role = RoleInput
		default:
			q.Role = RoleCreated
		}
		var err error
		if q.Kind, err = kindOf(p.Kind); err != nil {
			return nil, fmt.Errorf("process %d: %w", p.PID, err)
		}
		if q.StatusAfter, err = statusOf(p.Status); err != nil {
			return nil, fmt.Errorf("process %d: %w", p.PID, err)
		}
		if q.Creator, err = indexOf(p.Creator); err != nil {
			return nil, fmt.Errorf("creator of %d: %w", p.PID, err)
		}
		if q.OwnerBefore, err = indexOf(p.OwnerBefore); err != nil {
			return nil, fmt.Errorf("owner of %d: %w", p.PID, err)
		}
		if q.OwnerAfter, err = indexOf(p.Owner); err != nil {
			return nil, fmt.Errorf("owner of %d: %w", p.PID, err)
		}
		if p.Input && p.Kind == program.UTXO {
			q.OwnsBefore = uint64(r.OwnedAtRest[p.PID])
		}
		s.Procs = append(s.Procs, q)
	}
	for _, pid := range external {
		s.Procs = append(s.Procs, Proc{PID: pid, Role: RoleExternal, Kind: KindUTXO, OwnsBefore: uint64(r.OwnedAtRest[pid])})
	}

	counts := r.Trace.Counts()
	for name, n := range counts {
		code, ok := tx.HostCode(name)
		if !ok {
			return nil, fmt.Errorf("%w: host call %q", ErrStatement, name)
		}
		s.Kinds[code] = uint32(n)
	}
	ifaces := map[[4]uint64]bool{}
	cells := map[DatumCell]bool{}
	for _, ev := range r.Trace.Events {
		switch ev.Call {
		case "install_handler", "uninstall_handler", "get_handler_for", "call_effect_handler":
			if len(ev.Data) < 4 {
				return nil, fmt.Errorf("%w: %v carries no interface", ErrStatement, &ev)
			}
			if id := [4]uint64(ev.Data[:4]); id != ([4]uint64{}) && !ifaces[id] {
				ifaces[id] = true
				s.Ifaces = append(s.Ifaces, id)
			}
		case "get_datum", "set_datum":
			if len(ev.Args) == 0 || ev.Args[0] >= tx.DatumSlots || index[ev.PID] == 0 {
				return nil, fmt.Errorf("%w: %v", ErrStatement, &ev)
			}
			if cell := (DatumCell{Proc: index[ev.PID], Slot: uint8(ev.Args[0])}); !cells[cell] {
				cells[cell] = true
				s.Datum = append(s.Datum, cell)
			}
		}
	}
	if len(s.Ifaces) > MaxIfaces {
		return nil, fmt.Errorf("%w: %d interfaces, over the limit of %d", ErrStatement, len(s.Ifaces), MaxIfaces)
	}
	slices.SortFunc(s.Ifaces, compareWords)
	slices.SortFunc(s.Datum, DatumCell.compare)
	return s, nil
}

func compareWords(a, b [4]uint64) int { return slices.Compare(a[:], b[:]) }

// Absorb absorbs the statement into a proof's transcript, whole and once, before
// anything that depends on it (fold/ARITH.md § 7.4).
func (s *Statement) Absorb(tr *transcript.Transcript) {
	tr.AppendBytes("tx/statement", s.Encode())
}
