// Package instrument rewrites WebAssembly binaries so that the two engines of the Starstream
// runtime, ssprove's interpreter (runtime/wasm/interp) and wazero
// (runtime/wasm/wazeroengine), can run the same program and agree on what it did.
//
// The engines differ in two ways that matter to a Starstream process:
//
//   - A process keeps its state between steps in its linear memory and in its mutable
//     globals. The interpreter can read and restore any global, but wazero only reaches
//     exported ones, so a process run on wazero could not be suspended, snapshotted and
//     resumed elsewhere. ExportGlobals exports every mutable global the module defines under
//     a reserved name (GlobalName), leaving the code untouched.
//
//   - Every transaction must be bounded by the same fuel on both engines: a transaction that
//     completes on one and runs out on the other would make the chain's outcome depend on
//     which engine a node uses. The interpreter meters fuel itself; wazero has no metering.
//     Meter adds it in the code: a mutable i64 global exported as FuelExport holds the fuel
//     left, and the instrumented code charges it with the interpreter's cost table (see the
//     interp package documentation), so that a call on the metered module under wazero
//     completes exactly when the same call on the original module under the interpreter
//     completes with the same budget, and leaves the same fuel.
//
// Both functions splice the binary at the section level: only the sections they change are
// re-encoded, everything else (custom sections included) is copied byte for byte. Neither
// renumbers anything: new globals come after the existing ones and no function is added, so
// exports, tables, snapshots and debugging information keep referring to the same things.
// Both decode and validate their input with wasm.Load and wasm.DefaultLimits, and validate
// their output the same way before returning it, so an output that the runtime would refuse
// is an error here rather than at instantiation.
package instrument
