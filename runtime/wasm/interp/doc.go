// Package interp is ssprove's deterministic WebAssembly interpreter.
//
// Compile turns a validated *wasm.Module into flat code once: fixed-size instructions with
// their immediates decoded, every branch resolved to a target pc plus the stack height to keep
// and the number of values it carries, block/loop/end gone, dead code after an unconditional
// branch dropped. An Instance runs that code on one []uint64 value stack (locals are slots of
// it) and a stack of plain frames; WebAssembly calls never recurse in Go, so the whole state of
// a running call is data in the Instance, which is what later lets it be snapshotted.
//
// # Fuel
//
// Every instruction costs fuel, charged before it runs; when the budget cannot pay, the call
// traps with TrapOutOfFuel at that instruction. The budget (Config.Fuel) belongs to the
// instance and is spent across calls, start function included; Fuel and AddFuel read and refill
// it. Costs depend only on the code and the values computed, so the same module and input
// spend the same fuel on every run and machine:
//
//	class                                                     cost
//	block, loop, end, nop (compiled away)                        0
//	const, local.*, global.*, drop, select, br, br_if, br_table,
//	if, else, return, unreachable, comparisons, add, sub, mul,
//	and, or, xor, shifts, rotates, clz, ctz, popcnt, extend, wrap 1
//	div, rem                                                     4
//	loads, stores, memory.size                                   2
//	call, call_indirect (host functions included)               10
//	memory.grow                                                 10, + 1024 per page added
//	memory.copy, memory.fill                                     4, + 1 per whole 64 bytes
//
// memory.grow pays for pages only when it succeeds, so a refused grow bomb costs 10. The extra
// cost of memory.copy and memory.fill is charged after the bounds check and before the copy.
// A host function spends no fuel beyond its call; it may charge more with Instance.UseFuel.
//
// The context given to Call is checked when a call starts and at every call of a host function
// or of another instance's function; fuel is what bounds the code in between.
//
// # Limits
//
// Config.MaxCallDepth bounds the frames of one instance and Config.MaxStack its value stack;
// passing either traps with TrapCallStackExhausted or TrapValueStackExhausted. Memories grow up
// to the smaller of the module's maximum and Config.MaxMemoryPages; memory.grow past it returns
// -1 as the spec allows.
//
// # Tracing
//
// Config.Tracer receives every instruction executed, with its operands, results, memory and
// global accesses, calls and returns (see Tracer). Fuel, results and snapshots are the same
// traced or not; an untraced instance runs the same loop at the same speed. Counter and
// Columns are two sinks: a count, and the columns a prover commits to.
//
// # Suspension
//
// A host function may return ErrSuspend: Call then returns Suspended with the instance stopped
// just after the host call, its frames and stack kept, and the instance refuses other calls.
// Resume supplies that host call's results and runs on, to the end or the next suspension.
// Only the outermost call may suspend: a suspension inside a call that a host function made,
// or inside another instance's function, is an error.
//
// Snapshot encodes an idle or suspended instance as bytes (see snapshot.go for the layout),
// named by the SHA-256 of the module binary, which is why it needs a module from Load.
// Restore checks every field of them against the module and Config before it builds the
// instance, and the restored instance runs on bit for bit as the original would have, fuel
// included. State shared with other instances (an imported memory, table or mutable global)
// is not the instance's to record: Snapshot refuses such instances.
package interp
