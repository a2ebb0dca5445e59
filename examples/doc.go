// Package examples holds example Starstream programs for ssprove and their scenarios:
// hand-written WebAssembly text (.wat) and one C program, each with its compiled .wasm
// checked in beside it, and transaction files (tx*.json) that run them on a ledger.
// README.md says what each example shows; the Go code here only tests that the checked-in
// modules are deployable and match their sources. `make examples` rebuilds them.
package examples
