// Package enginetest holds what the tests comparing ssprove's two WebAssembly engines
// share: the trap kinds both engines can be mapped to.
package enginetest

import (
	"errors"

	"github.com/ssprove/ssprove/runtime/wasm/interp"
	"github.com/ssprove/ssprove/runtime/wasm/wazeroengine"
)

// Trap is a trap kind both engines can be mapped to.
type Trap int

const (
	None Trap = iota
	Unreachable
	DivideByZero
	IntegerOverflow
	Memory
	// Table covers a call_indirect index past the table and an uninitialized entry:
	// wazero reports both as "invalid table access", where the interpreter tells them
	// apart, so they can only be compared at this coarser level.
	Table
	IndirectCallType
	// Exhausted is running out of call or value stack. Where that happens depends on
	// each engine's limits.
	Exhausted
	// OutOfFuel is the interpreter's alone; a metered module on wazero reports it
	// through its fuel global (runtime/wasm/instrument).
	OutOfFuel
)

var names = [...]string{"none", "unreachable", "divide by zero", "integer overflow",
	"memory out of bounds", "table access", "indirect call type mismatch", "stack exhausted", "out of fuel"}

func (t Trap) String() string { return names[t] }

// InterpTrap maps an error of interp's Call to its trap kind; an error that is not a
// trap is returned as is.
func InterpTrap(err error) (Trap, error) {
	var t *interp.Trap
	if !errors.As(err, &t) {
		return None, err
	}
	switch t.Code {
	case interp.TrapUnreachable:
		return Unreachable, nil
	case interp.TrapDivideByZero:
		return DivideByZero, nil
	case interp.TrapIntegerOverflow:
		return IntegerOverflow, nil
	case interp.TrapMemoryOutOfBounds:
		return Memory, nil
	case interp.TrapTableOutOfBounds, interp.TrapUndefinedElement, interp.TrapUninitializedElement:
		return Table, nil
	case interp.TrapIndirectCallType:
		return IndirectCallType, nil
	case interp.TrapCallStackExhausted, interp.TrapValueStackExhausted:
		return Exhausted, nil
	case interp.TrapOutOfFuel:
		return OutOfFuel, nil
	}
	return None, err
}

// WazeroTrap maps an error of wazeroengine's Call to its trap kind; an error that is
// not a trap is returned as is.
func WazeroTrap(err error) (Trap, error) {
	var t *wazeroengine.TrapError
	if !errors.As(err, &t) {
		return None, err
	}
	switch t.Kind {
	case wazeroengine.TrapUnreachable:
		return Unreachable, nil
	case wazeroengine.TrapDivideByZero:
		return DivideByZero, nil
	case wazeroengine.TrapIntegerOverflow:
		return IntegerOverflow, nil
	case wazeroengine.TrapMemoryOutOfBounds:
		return Memory, nil
	case wazeroengine.TrapTableOutOfBounds:
		return Table, nil
	case wazeroengine.TrapIndirectCallType:
		return IndirectCallType, nil
	case wazeroengine.TrapStackExhausted:
		return Exhausted, nil
	}
	return None, err
}
