// Package program names and checks Starstream programs: the WebAssembly modules that UTXOs,
// tokens and coordination scripts are instances of.
//
// A program is content-addressed by its Hash, Poseidon2 over Goldilocks of the module's bytes
// (see Of for the exact construction, so that another implementation can reproduce it). Check
// says whether a module may be deployed: it must fit ssprove's WebAssembly subset, export
// `step` and `memory`, have no start function and import only the host functions of
// runtime/ABI.md with their exact signatures, which Imports lists.
package program
