// Package spectest runs the WebAssembly specification test suite, as converted by
// wast2json (wabt 1.0.32), against ssprove's WASM decoder and engines.
//
// It is how runtime/wasm proves conformance: every command of every script ends up
// passed, failed or skipped with a short, stable reason, and the report's last line,
// "N passed, N failed, N skipped", is what CI reads. Commands that need a feature
// ssprove rejects on purpose (floats, SIMD, reference types, the text format) are
// skipped, never failed, so "zero failures" means the integer MVP subset conforms.
//
// The package depends on no decoder or engine: callers plug them in through
// [Config] — a [Loader] for decoding and validation, and an optional [Engine] for
// everything that executes code. Without an engine, only loading is checked and the
// execution commands are skipped.
package spectest
