package txproof

import (
	"fmt"
	"math"
	"slices"

	"github.com/ssprove/ssprove/fold/interleave"
	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/tx"
)

// Check runs the native checks of fold/ARITH.md § 6.2 on the statement: its shape and
// limits, its hash, and the end-of-transaction rules of runtime/tx that the proof binds
// the final values for but does not check itself. A broken rule of the runtime is an
// error wrapping the runtime's sentinel (tx.ErrNotFinished, tx.ErrUnboundToken,
// tx.ErrBurnOwnsTokens, tx.ErrUnbalanced, tx.ErrAmount) and naming the process; a
// statement that contradicts itself wraps ErrStatement; a hash that is not the
// transaction's wraps ErrHash.
func (s *Statement) Check() error {
	if err := s.checkShape(); err != nil {
		return err
	}
	if h := tx.Hash(&s.Tx); s.Hash != h {
		return fmt.Errorf("%w: %x, the transaction hashes to %x", ErrHash, s.Hash[:8], h[:8])
	}
	if err := s.checkEnd(); err != nil {
		return err
	}
	if err := s.checkBalance(); err != nil {
		return err
	}
	return s.checkCounts()
}

// procError is a failed check of process index i.
func (s *Statement) procError(i int, err error, format string, args ...any) error {
	p := &s.Procs[i-1]
	return fmt.Errorf("txproof: process %d (pid %d, %v %v): %w: %s", i, p.PID, p.Role, p.Kind, err, fmt.Sprintf(format, args...))
}

// proc is process index i, nil for the dummy and indices out of range.
func (s *Statement) proc(i uint32) *Proc {
	if i == 0 || uint64(i) > uint64(len(s.Procs)) {
		return nil
	}
	return &s.Procs[i-1]
}

// checkShape is rule 1: limits, roles in order, pids, and the fields each role has.
func (s *Statement) checkShape() error {
	t := &s.Tx
	switch {
	case s.Version != StatementVersion:
		return fmt.Errorf("%w: version %d, want %d", ErrStatement, s.Version, StatementVersion)
	case len(t.Inputs) > tx.MaxInputs || len(t.Args) > tx.MaxArgRows || len(t.Mint) > tx.MaxAssets || len(t.Burn) > tx.MaxAssets:
		return fmt.Errorf("%w: transaction over its limits", ErrStatement)
	case len(s.Procs) == 0 || len(s.Procs) > MaxProcs:
		return fmt.Errorf("%w: %d processes, want 1 to %d", ErrStatement, len(s.Procs), MaxProcs)
	case len(s.Ifaces) > MaxIfaces || len(s.Datum) > tx.DatumSlots*len(s.Procs):
		return fmt.Errorf("%w: %d interfaces, %d datum cells: over the limits", ErrStatement, len(s.Ifaces), len(s.Datum))
	case !slices.Contains(interleave.StepRows(), int(s.Rows)):
		return fmt.Errorf("%w: %d rows per step, want one of %v", ErrStatement, s.Rows, interleave.StepRows())
	case s.Steps == 0 || s.Steps > MaxSteps:
		return fmt.Errorf("%w: %d steps, want 1 to %d", ErrStatement, s.Steps, MaxSteps)
	case t.Fuel == 0 || t.Fuel > tx.MaxFuel:
		return fmt.Errorf("%w: fuel budget %d", ErrStatement, t.Fuel)
	}
	for _, list := range [][]tx.Amount{t.Mint, t.Burn} {
		for i, a := range list {
			if a.Amount == 0 || i > 0 && compareWords(list[i-1].Program, a.Program) >= 0 {
				return fmt.Errorf("%w: mint and burn must be sorted by program, distinct and nonzero", ErrStatement)
			}
		}
	}
	if hostCalls := sum(s.Kinds[:]); hostCalls > uint64(s.Steps)*uint64(s.Rows-1) {
		return fmt.Errorf("%w: %d host calls do not fit %d steps of %d rows", ErrStatement, hostCalls, s.Steps, s.Rows)
	}

	if len(s.Procs) < 1+len(t.Inputs) {
		return fmt.Errorf("%w: %d processes for %d inputs and the root", ErrStatement, len(s.Procs), len(t.Inputs))
	}
	pids := make(map[uint64]bool, len(s.Procs))
	created := uint64(0)
	for i := range s.Procs {
		p := &s.Procs[i]
		idx := i + 1
		bad := func(format string, args ...any) error { return s.procError(idx, ErrStatement, format, args...) }
		if p.PID == 0 || pids[p.PID] {
			return bad("pid 0 or listed twice")
		}
		pids[p.PID] = true
		if p.Kind > KindToken {
			return bad("no such kind")
		}
		if p.StatusAfter >= numStatus {
			return bad("no such status")
		}

		// Roles in order, with the pids they imply.
		switch {
		case i == 0:
			if p.Role != RoleRoot || p.Kind != KindCoord || p.PID != t.NextID || p.InitRef != 1 {
				return bad("the first process must be the root coordination script, pid %d (the transaction's next id), init ref 1", t.NextID)
			}
		case i <= len(t.Inputs):
			if in := t.Inputs[i-1]; p.Role != RoleInput || p.PID != in.ID {
				return bad("input %d of the transaction is %d", i-1, in.ID)
			}
			if p.Kind == KindCoord || p.PID >= t.NextID {
				return bad("an input is a UTXO or token at rest, with an id below %d", t.NextID)
			}
		case p.Role == RoleCreated:
			created++
			if prev := s.Procs[i-1].Role; prev != RoleCreated && prev != RoleInput && prev != RoleRoot || p.PID != t.NextID+created {
				return bad("created processes follow the inputs, with pids %d, %d, … in order", t.NextID+1, t.NextID+2)
			}
		case p.Role == RoleExternal:
			if p.PID >= t.NextID || s.Procs[i-1].Role == RoleExternal && s.Procs[i-1].PID >= p.PID {
				return bad("external owners come last, by ascending pid below %d", t.NextID)
			}
		default:
			return bad("role out of order")
		}

		// The fields each role and kind may have.
		input, creation := p.Role == RoleInput, p.Role == RoleCreated || p.Role == RoleRoot
		switch {
		case p.Role == RoleExternal && (p.Kind != KindUTXO || p.Program != (program.Hash{}) || p.StatusAfter != StatusNone ||
			p.HostCalls != 0 || p.DatumAfter != ([tx.DatumSlots]uint64{}) || p.StateAfter != ([32]byte{})):
			return bad("an external owner is a UTXO outside the transaction: no program, status, host calls, state or datum")
		case p.Role != RoleExternal && p.StatusAfter == StatusNone:
			return bad("no final status")
		case p.Kind != KindToken && (p.Amount != 0 || p.OwnerBefore != 0 || p.OwnerAfter != 0):
			return bad("only tokens have an amount and an owner")
		case !input && p.OwnerBefore != 0:
			return bad("only an input token has an owner before the transaction")
		case p.OwnsBefore != 0 && p.Kind != KindUTXO:
			return bad("only a UTXO owns tokens")
		case p.OwnsBefore != 0 && p.Role != RoleInput && p.Role != RoleExternal:
			return bad("a process created by the transaction owned nothing before it")
		case !creation && (p.InitRef != 0 || p.Creator != 0):
			return bad("only processes the transaction created have an init ref and a creator")
		case !input && (p.StateBefore != ([32]byte{}) || p.DatumBefore != ([tx.DatumSlots]uint64{})):
			return bad("only inputs have a state and datum before the transaction")
		case p.StateAfter != ([32]byte{}) && p.StatusAfter != StatusYielded:
			return bad("only a yielded process leaves a state")
		case p.StatusAfter == StatusRest && input && (p.HostCalls != 0 || p.OwnerAfter != p.OwnerBefore || p.DatumAfter != p.DatumBefore):
			return bad("an untouched input is an input that made no host call and whose owner and datum did not change")
		}
		if p.Role == RoleCreated {
			if c := s.proc(p.Creator); c == nil || int(p.Creator) >= idx || c.Kind != KindCoord {
				return bad("creator %d is not a coordination script created before it", p.Creator)
			}
		}
		for _, o := range []uint32{p.OwnerBefore, p.OwnerAfter} {
			if q := s.proc(o); o != 0 && (q == nil || q.Kind != KindUTXO) {
				return bad("owner %d is not a UTXO of the statement", o)
			}
		}
		if q := s.proc(p.OwnerBefore); q != nil && q.Role != RoleInput && q.Role != RoleExternal {
			return bad("owner before %d did not exist before the transaction", p.OwnerBefore)
		}
	}
	ownsInput := make(map[uint32]bool)
	for _, p := range s.Procs {
		ownsInput[p.OwnerBefore] = true
	}
	for i, p := range s.Procs {
		if p.Role == RoleExternal && !ownsInput[uint32(i+1)] {
			return s.procError(i+1, ErrStatement, "owns no input token")
		}
	}

	for i, id := range s.Ifaces {
		if id == ([4]uint64{}) || i > 0 && compareWords(s.Ifaces[i-1], id) >= 0 {
			return fmt.Errorf("%w: interfaces must be sorted, distinct and nonzero", ErrStatement)
		}
	}
	for i, c := range s.Datum {
		if p := s.proc(c.Proc); p == nil || p.Role == RoleExternal || c.Slot >= tx.DatumSlots || i > 0 && s.Datum[i-1].compare(c) >= 0 {
			return fmt.Errorf("%w: datum cell %d (process %d, slot %d): cells must be sorted, distinct, of the transaction's processes", ErrStatement, i, c.Proc, c.Slot)
		}
	}
	// Rule 5: a datum slot the trace never touched keeps its value.
	touched := make(map[DatumCell]bool, len(s.Datum))
	for _, c := range s.Datum {
		touched[c] = true
	}
	for i := range s.Procs {
		p := &s.Procs[i]
		for slot := range tx.DatumSlots {
			if !touched[DatumCell{Proc: uint32(i + 1), Slot: uint8(slot)}] && p.DatumAfter[slot] != p.DatumBefore[slot] {
				return s.procError(i+1, ErrStatement, "datum slot %d changed, but no host call touched it", slot)
			}
		}
	}
	return nil
}

// checkEnd is rule 3: what machine.finish checks, on the final statuses and owners.
func (s *Statement) checkEnd() error {
	for i := range s.Procs {
		p := &s.Procs[i]
		switch {
		case p.Role == RoleExternal:
		case p.Kind == KindCoord && p.StatusAfter != StatusReturned:
			return s.procError(i+1, tx.ErrNotFinished, "a coordination script ends %v", p.StatusAfter)
		case p.Kind != KindCoord && p.StatusAfter != StatusYielded && p.StatusAfter != StatusBurned && (p.Role != RoleInput || p.StatusAfter != StatusRest):
			return s.procError(i+1, tx.ErrNotFinished, "a %v ends %v, not yielded or burned", p.Kind, p.StatusAfter)
		}
		if p.Kind != KindToken {
			continue
		}
		if p.StatusAfter == StatusBurned {
			if p.OwnerAfter != 0 {
				return s.procError(i+1, ErrStatement, "a burned token is bound to %d", p.OwnerAfter)
			}
			continue
		}
		if p.OwnerAfter == 0 {
			return s.procError(i+1, tx.ErrUnboundToken, "no owner")
		}
		if o := s.proc(p.OwnerAfter); o.StatusAfter == StatusBurned {
			return s.procError(i+1, tx.ErrUnboundToken, "owner %d burned", o.PID)
		}
	}
	// A burned UTXO owns nothing: neither tokens of the transaction (above) nor tokens
	// still at rest, which OwnsBefore counts with the input tokens it owned.
	owns, err := s.ownsAfter()
	if err != nil {
		return err
	}
	for i, n := range owns {
		if n != 0 && s.Procs[i].StatusAfter == StatusBurned {
			return s.procError(i+1, tx.ErrBurnOwnsTokens, "it still owns %d tokens", n)
		}
	}
	return nil
}

// ownsAfter is how many live tokens each UTXO owns at the end (the final tok of the
// proof's process memory, fold/ARITH.md § 6.1): what it owned at rest, less its input
// tokens, plus the tokens of the transaction bound to it at the end. Entries of other
// kinds are 0.
func (s *Statement) ownsAfter() ([]uint64, error) {
	owns := make([]uint64, len(s.Procs))
	for i, p := range s.Procs {
		owns[i] = p.OwnsBefore
	}
	for _, p := range s.Procs {
		if p.OwnerBefore == 0 {
			continue
		}
		if owns[p.OwnerBefore-1] == 0 {
			return nil, s.procError(int(p.OwnerBefore), ErrStatement, "owns fewer tokens at rest than the inputs bound to it")
		}
		owns[p.OwnerBefore-1]--
	}
	for _, p := range s.Procs {
		if p.Kind == KindToken && p.StatusAfter != StatusBurned && p.OwnerAfter != 0 {
			owns[p.OwnerAfter-1]++
		}
	}
	return owns, nil
}

// checkBalance is rule 4: the amounts minted by creations and burned by burns are the
// declared ones.
func (s *Statement) checkBalance() error {
	minted, burned := map[program.Hash]uint64{}, map[program.Hash]uint64{}
	for i := range s.Procs {
		p := &s.Procs[i]
		if p.Kind != KindToken {
			continue
		}
		if p.Role == RoleCreated {
			if p.Amount == 0 {
				return s.procError(i+1, tx.ErrAmount, "created with amount 0")
			}
			if err := add(minted, p.Program, p.Amount); err != nil {
				return s.procError(i+1, err, "minting %d", p.Amount)
			}
		}
		if p.StatusAfter == StatusBurned {
			if err := add(burned, p.Program, p.Amount); err != nil {
				return s.procError(i+1, err, "burning %d", p.Amount)
			}
		}
	}
	for _, side := range []struct {
		name     string
		did      map[program.Hash]uint64
		declared []tx.Amount
	}{{"minted", minted, s.Tx.Mint}, {"burned", burned, s.Tx.Burn}} {
		ok := len(side.did) == len(side.declared)
		for _, a := range side.declared {
			ok = ok && side.did[a.Program] == a.Amount
		}
		if !ok {
			return fmt.Errorf("txproof: %w: %s %v, declared %v", tx.ErrUnbalanced, side.name, side.did, side.declared)
		}
	}
	return nil
}

func add(m map[program.Hash]uint64, h program.Hash, v uint64) error {
	if m[h] > math.MaxUint64-v {
		return fmt.Errorf("%w: amounts of %s overflow", tx.ErrUnbalanced, h.Short())
	}
	m[h] += v
	return nil
}

// checkCounts is rule 6 and what the host-call counts imply: every host call is some
// process's, and the creations, burns and returns they count are the statement's.
func (s *Statement) checkCounts() error {
	var calls uint64
	var kinds [3]uint32
	var burns, returns uint32
	for _, p := range s.Procs {
		calls += uint64(p.HostCalls)
		if p.Role == RoleCreated {
			kinds[p.Kind]++
		}
		switch p.StatusAfter {
		case StatusBurned:
			burns++
		case StatusReturned:
			returns++
		}
	}
	code := func(name string) uint32 {
		c, _ := tx.HostCode(name)
		return s.Kinds[c]
	}
	switch {
	case calls != sum(s.Kinds[:]):
		return fmt.Errorf("%w: the processes made %d host calls, the host functions count %d", ErrStatement, calls, sum(s.Kinds[:]))
	case code("new_coord") != kinds[KindCoord] || code("new_utxo") != kinds[KindUTXO] || code("new_token") != kinds[KindToken]:
		return fmt.Errorf("%w: the creations counted are not the processes created", ErrStatement)
	case code("burn") != burns || code("return") != returns:
		return fmt.Errorf("%w: %d burns and %d returns counted, %d burned and %d returned processes", ErrStatement, code("burn"), code("return"), burns, returns)
	}
	return nil
}

func sum(xs []uint32) uint64 {
	var n uint64
	for _, x := range xs {
		n += uint64(x)
	}
	return n
}
