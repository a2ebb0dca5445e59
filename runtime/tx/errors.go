package tx

import (
	"errors"
	"fmt"
)

// Rule violations, one per rule of runtime/ABI.md. A failed transaction's error has one of
// them in its chain (errors.Is), wrapped in a *Violation that says where it happened.
var (
	// Who may call what.
	ErrOnlyCoordinator = errors.New("only a coordination script may do this")
	ErrOnlyUTXO        = errors.New("only a UTXO or token may do this")
	ErrUTXOCallsUTXO   = errors.New("a UTXO may not call a UTXO")

	// The step convention.
	ErrAfterControl = errors.New("host call after a control call in the same step")
	ErrNoControl    = errors.New("step returned without a control call")

	// Control transfers.
	ErrNotSuspended = errors.New("target is not suspended")
	ErrWrongResumer = errors.New("target waits on an effect handled by another process")
	ErrNoHandler    = errors.New("no handler installed for the interface")
	ErrSelfEffect   = errors.New("a process may not handle its own effect")
	ErrHandlerGone  = errors.New("the handler has returned")

	// Handlers.
	ErrHandlerNotTop = errors.New("the caller is not the innermost handler of the interface")

	// Processes.
	ErrUnknownProcess = errors.New("unknown process")
	ErrUnknownProgram = errors.New("program not deployed")
	ErrNoInit         = errors.New("init is only available in the transaction that created the process")
	ErrNotToken       = errors.New("not a token")
	ErrAmount         = errors.New("token amount must be positive")

	// Tokens.
	ErrTokenBound     = errors.New("token is already bound")
	ErrNotOwner       = errors.New("only a token's owner may unbind it")
	ErrTokenOwnsToken = errors.New("a token may not own a token")
	ErrBadOwner       = errors.New("an owner must be a live UTXO")
	ErrBurnOwnsTokens = errors.New("a UTXO that owns tokens may not burn")
	ErrUnboundToken   = errors.New("live token left unbound")

	// Refs and memory.
	ErrRef         = errors.New("bad ref")
	ErrRefBuilding = errors.New("a ref is already under construction")
	ErrNoRef       = errors.New("no ref under construction")
	ErrRefTooLarge = errors.New("ref over the size limits")
	ErrRefNotOwner = errors.New("only a ref's creator may write it")
	ErrMemory      = errors.New("pointer outside the caller's memory")
	ErrDatumSlot   = errors.New("datum slot out of range")

	// The transaction as a whole.
	ErrNotFinished = errors.New("process not finished at the end of the transaction")
	ErrUnbalanced  = errors.New("minted or burned amounts differ from the declared ones")
	ErrOutOfFuel   = errors.New("transaction out of fuel")
	ErrTrap        = errors.New("process trapped")

	// Inputs.
	ErrDuplicateInput = errors.New("input listed twice")
	ErrSpent          = errors.New("input already spent")

	// ErrEngineMismatch is returned by the check mode when the two engines disagree.
	ErrEngineMismatch = errors.New("engines disagree")
)

// rules are the sentinels a Violation may carry, for telling failures apart by rule.
var rules = []error{
	ErrOnlyCoordinator, ErrOnlyUTXO, ErrUTXOCallsUTXO, ErrAfterControl, ErrNoControl,
	ErrNotSuspended, ErrWrongResumer, ErrNoHandler, ErrSelfEffect, ErrHandlerGone,
	ErrHandlerNotTop, ErrUnknownProcess, ErrUnknownProgram, ErrNoInit, ErrNotToken, ErrAmount,
	ErrTokenBound, ErrNotOwner, ErrTokenOwnsToken, ErrBadOwner, ErrBurnOwnsTokens, ErrUnboundToken,
	ErrRef, ErrRefBuilding, ErrNoRef, ErrRefTooLarge, ErrRefNotOwner, ErrMemory, ErrDatumSlot,
	ErrNotFinished, ErrUnbalanced, ErrOutOfFuel, ErrTrap, ErrState,
}

// Violation is a failed transaction's error: which process did what, at which host call
// of the trace (-1 when the failure is not at a host call, as for the end-of-transaction
// checks).
type Violation struct {
	PID  uint64
	Call string
	Seq  int
	Err  error
}

func (v *Violation) Error() string {
	switch {
	case v.Call != "":
		return fmt.Sprintf("process %d: %s (host call #%d): %v", v.PID, v.Call, v.Seq, v.Err)
	case v.PID != 0:
		return fmt.Sprintf("process %d: %v", v.PID, v.Err)
	}
	return v.Err.Error()
}

func (v *Violation) Unwrap() error { return v.Err }
