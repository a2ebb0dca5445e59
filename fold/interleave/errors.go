package interleave

import (
	"errors"
	"fmt"
)

// Errors wrapped by what the package returns.
var (
	// ErrLayout: a step size the package does not support.
	ErrLayout = errors.New("interleave: unsupported layout")
	// ErrInput: an Input that does not describe a transaction (bad roles,
	// unknown pids, wrong argument counts).
	ErrInput = errors.New("interleave: malformed input")
	// ErrTrace: a trace the rows cannot represent, or whose recorded results
	// differ from what the rows compute.
	ErrTrace = errors.New("interleave: trace not representable")
	// ErrRow: a row violates a constraint of the table.
	ErrRow = errors.New("interleave: row violates a constraint")
	// ErrRange: a cell is not below 2^32 in magnitude (ARITH.md § 4.1).
	ErrRange = errors.New("interleave: cell out of range")
	// ErrClaim: a claim of the memory argument does not match the column
	// evaluations (CheckClaims).
	ErrClaim = errors.New("interleave: memory argument claim rejected")
)

// RowError is a constraint a row violates, or a cell out of range.
type RowError struct {
	Step, Row int // the step and the row in it (0: the header)
	Op        Op  // the row's op (OpNone for padding and header rows)
	// Constraint names the violated constraint, or the range check.
	Constraint string
	// Cell is the out-of-range cell, or −1.
	Cell int
}

func (e *RowError) Error() string {
	if e.Cell >= 0 {
		return fmt.Sprintf("%v: step %d row %d (%v): %s: %s", ErrRange, e.Step, e.Row, e.Op, CellName(e.Cell), e.Constraint)
	}
	return fmt.Sprintf("%v: step %d row %d (%v): %s", ErrRow, e.Step, e.Row, e.Op, e.Constraint)
}

// Unwrap returns ErrRange or ErrRow.
func (e *RowError) Unwrap() error {
	if e.Cell >= 0 {
		return ErrRange
	}
	return ErrRow
}
