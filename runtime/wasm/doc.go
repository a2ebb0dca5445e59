// Package wasm decodes and validates WebAssembly binary modules for the ssprove runtime.
//
// Every UTXO, token and coordination script is a WebAssembly program whose execution is later
// proven, so the runtime accepts only the part of WebAssembly it can execute deterministically and
// arithmetize: the MVP integer instruction set, mutable globals, sign-extension operators,
// multi-value, and memory.copy/memory.fill. Load refuses anything else (floats, SIMD, threads,
// reference types beyond one funcref table, other bulk-memory instructions, tail calls,
// exceptions, multi-memory, memory64, GC) with an *UnsupportedError naming the feature and where
// it appears, rather than executing part of a module.
//
// Inputs are untrusted: Decode bounds every count and size by the bytes actually present and by
// Limits before allocating, and neither Decode nor Validate recurses, so a hostile module costs
// time and memory proportional to its size. Errors are *DecodeError (malformed binary),
// *ValidationError (ill-typed or otherwise invalid) or *UnsupportedError, each with the byte
// offset and, inside code, the function index.
//
// A validated Module keeps function bodies in binary form together with their locals and, from
// Validate, the maximum operand-stack height and control depth of each, from which an
// interpreter compiles its own representation.
package wasm
