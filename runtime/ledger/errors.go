package ledger

import (
	"encoding/hex"
	"errors"
	"fmt"
)

// Errors of opening and reading a ledger. Like every error here they are wrapped with what
// was being done ("ledger: open /x/ledger.db: not a ledger: …"); compare with errors.Is.
var (
	ErrExists    = errors.New("already exists")
	ErrNotLedger = errors.New("not a ledger")
	ErrSchema    = errors.New("unsupported schema")
	ErrCorrupt   = errors.New("corrupt ledger")
	ErrLocked    = errors.New("in use by another process")
	ErrReadOnly  = errors.New("opened read-only")
	ErrClosed    = errors.New("ledger closed")
)

// Errors of programs.
var (
	ErrUnknownProgram = errors.New("unknown program")
	ErrNameTaken      = errors.New("program name taken")
	ErrAlreadyNamed   = errors.New("program already has a name")
	ErrBadName        = errors.New("bad program name")
	ErrModuleSize     = errors.New("bad module size")
)

// Errors of UTXOs and transactions. Every rule a Commit breaks is ErrInvalidCommit; a few
// rules have a sentinel of their own as well (ErrUnknownProgram, ErrBadOwner), so that the
// executor can report them as the ABI names them.
var (
	ErrUnknownUTXO   = errors.New("unknown utxo")
	ErrSpent         = errors.New("utxo spent")
	ErrStale         = errors.New("stale utxo version")
	ErrUnknownTx     = errors.New("unknown transaction")
	ErrDuplicateTx   = errors.New("transaction already applied")
	ErrInvalidCommit = errors.New("invalid commit")
	ErrBadOwner      = errors.New("token owner is not a live utxo")
)

// SpentError is returned for a UTXO that was burned: by UTXO, and by Apply for an input
// that a transaction already burned. errors.Is(err, ErrSpent) holds.
type SpentError struct {
	ID      uint64
	Version uint64   // the last version it had
	Tx      [32]byte // the transaction that burned it
}

func (e *SpentError) Error() string {
	return fmt.Sprintf("utxo %d was burned at version %d by tx %s", e.ID, e.Version, shortHex(e.Tx))
}

func (e *SpentError) Is(target error) bool { return target == ErrSpent }

// StaleError is returned by Apply for an input whose version is not the one at rest:
// another transaction consumed it first. errors.Is(err, ErrStale) holds.
type StaleError struct {
	ID   uint64
	Have uint64 // the version at rest
	Want uint64 // the version the commit consumed
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("utxo %d is at version %d, not %d", e.ID, e.Have, e.Want)
}

func (e *StaleError) Is(target error) bool { return target == ErrStale }

// shortHex is the first 12 hex digits of a hash, as program.Hash.Short writes them.
func shortHex(h [32]byte) string { return hex.EncodeToString(h[:6]) + "…" }
