package wazeroengine

import (
	"errors"
	"reflect"
	"strings"
)

// TrapKind says why execution trapped, in terms common to every engine so that
// results can be compared across engines.
type TrapKind int

const (
	TrapUnreachable       TrapKind = iota // the unreachable instruction
	TrapDivideByZero                      // integer division or remainder by zero
	TrapIntegerOverflow                   // signed division of the minimum by -1
	TrapMemoryOutOfBounds                 // a load, store, bulk operation or data segment out of bounds
	TrapTableOutOfBounds                  // call_indirect past the table or through an empty entry, or an element segment out of bounds
	TrapIndirectCallType                  // call_indirect with a signature mismatch
	TrapStackExhausted                    // the call stack ran out
	TrapOther                             // a wazero trap outside the integer subset's list
)

var trapKindNames = [...]string{
	TrapUnreachable:       "unreachable",
	TrapDivideByZero:      "integer divide by zero",
	TrapIntegerOverflow:   "integer overflow",
	TrapMemoryOutOfBounds: "out of bounds memory access",
	TrapTableOutOfBounds:  "out of bounds table access",
	TrapIndirectCallType:  "indirect call type mismatch",
	TrapStackExhausted:    "call stack exhausted",
	TrapOther:             "other trap",
}

func (k TrapKind) String() string {
	if k < 0 || int(k) >= len(trapKindNames) {
		return "unknown trap"
	}
	return trapKindNames[k]
}

// TrapError is a WebAssembly trap. Err is wazero's error, with its wasm stack trace.
type TrapError struct {
	Kind TrapKind
	Err  error
}

func (e *TrapError) Error() string { return "wasm trap: " + e.Kind.String() + ": " + e.Err.Error() }

func (e *TrapError) Unwrap() error { return e.Err }

// wazeroTrapPkg is the package of wazero's trap errors. It is internal to wazero,
// so its errors cannot be named, only recognized by their type's package; the
// tests pin every kind, so an upgrade that moves them fails loudly.
const wazeroTrapPkg = "github.com/tetratelabs/wazero/internal/wasmruntime"

// wazeroTraps maps the messages of wazero's trap errors to kinds. wazero reports
// "invalid table access" both for an index past the table and for an empty entry;
// both are TrapTableOutOfBounds here.
var wazeroTraps = map[string]TrapKind{
	"unreachable":                 TrapUnreachable,
	"integer divide by zero":      TrapDivideByZero,
	"integer overflow":            TrapIntegerOverflow,
	"out of bounds memory access": TrapMemoryOutOfBounds,
	"invalid table access":        TrapTableOutOfBounds,
	"indirect call type mismatch": TrapIndirectCallType,
	"stack overflow":              TrapStackExhausted,
}

// callTrap returns err as a *TrapError when it is a trap, else nil.
func callTrap(err error) *TrapError {
	for e := err; e != nil; e = errors.Unwrap(e) {
		t := reflect.TypeOf(e)
		if t.Kind() != reflect.Pointer || t.Elem().PkgPath() != wazeroTrapPkg {
			continue
		}
		kind, ok := wazeroTraps[e.Error()]
		if !ok {
			kind = TrapOther
		}
		return &TrapError{Kind: kind, Err: err}
	}
	return nil
}

// instantiationTrap returns err as a *TrapError when instantiation trapped: the
// start function trapped, or a segment did not fit. wazero reports the latter as
// plain errors (data[i]: out of bounds memory access; element[i].init exceeds
// min table size), recognized by their wording.
func instantiationTrap(err error) *TrapError {
	if trap := callTrap(err); trap != nil {
		return trap
	}
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "data[") && strings.HasSuffix(msg, "]: out of bounds memory access"):
		return &TrapError{Kind: TrapMemoryOutOfBounds, Err: err}
	case strings.HasPrefix(msg, "element[") && strings.HasSuffix(msg, "].init exceeds min table size"):
		return &TrapError{Kind: TrapTableOutOfBounds, Err: err}
	}
	return nil
}
