// Package engine is the small interface that both of ssprove's WebAssembly engines sit
// behind: the interpreter (runtime/wasm/interp, through interp.NewEngine) and wazero
// (runtime/wasm/wazeroengine, through wazeroengine.AsEngine). It covers what plain
// execution needs: instantiate a module with host functions, call an export, read the
// memory and exported globals.
//
// Values are raw words: an i32 is in the low 32 bits with the high bits zero (arguments
// and results alike, in both directions of a host call), an i64 is as is.
//
// Errors are each engine's own: a trap is an *interp.Trap on the interpreter and a
// *wazeroengine.TrapError on wazero; use errors.As with the engine's type. An error
// returned by a host function is in the chain of the error of the Call it aborted.
//
// What only the interpreter has — fuel, suspension and Resume, snapshots, tracing —
// stays on interp's own API; a host function cannot suspend a call made through this
// interface (the interpreter's adapter reports it as an error).
//
// The package imports nothing but runtime/wasm, so that both engines can depend on it.
package engine
