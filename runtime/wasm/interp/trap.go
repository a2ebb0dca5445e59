package interp

import (
	"errors"
	"fmt"
)

// TrapCode says why execution trapped.
type TrapCode int

const (
	TrapUnreachable TrapCode = iota + 1
	TrapDivideByZero
	TrapIntegerOverflow
	TrapMemoryOutOfBounds
	TrapTableOutOfBounds // an element segment that does not fit its table, at instantiation
	TrapUndefinedElement
	TrapUninitializedElement
	TrapIndirectCallType
	TrapCallStackExhausted
	TrapValueStackExhausted
	TrapOutOfFuel
)

var trapText = [...]string{
	TrapUnreachable:          "unreachable executed",
	TrapDivideByZero:         "integer divide by zero",
	TrapIntegerOverflow:      "integer overflow",
	TrapMemoryOutOfBounds:    "out of bounds memory access",
	TrapTableOutOfBounds:     "out of bounds table access",
	TrapUndefinedElement:     "undefined element",
	TrapUninitializedElement: "uninitialized element",
	TrapIndirectCallType:     "indirect call type mismatch",
	TrapCallStackExhausted:   "call stack exhausted",
	TrapValueStackExhausted:  "value stack exhausted",
	TrapOutOfFuel:            "out of fuel",
}

func (c TrapCode) String() string {
	if c > 0 && int(c) < len(trapText) {
		return trapText[c]
	}
	return fmt.Sprintf("trap(%d)", int(c))
}

// Exhaustion reports the traps that stand for running out of a resource rather than a fault
// of the program's logic: call depth and value stack.
func (c TrapCode) Exhaustion() bool {
	return c == TrapCallStackExhausted || c == TrapValueStackExhausted
}

// Trap is a WebAssembly trap. Func is the function index (imports counted) and PC the index
// of the compiled instruction that trapped, Offset its byte offset in the module binary; all
// three are -1 for a trap outside any function (a segment at instantiation).
type Trap struct {
	Code   TrapCode
	Func   int
	PC     int
	Offset int
}

func (t *Trap) Error() string {
	if t.Func < 0 {
		return "wasm trap: " + t.Code.String()
	}
	return fmt.Sprintf("wasm trap: %s in function %d at pc %d (offset %#x)", t.Code, t.Func, t.PC, t.Offset)
}

// ErrSuspend is what a host function returns to suspend the calling instance.
var ErrSuspend = errors.New("interp: suspend requested")
