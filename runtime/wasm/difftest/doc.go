// Package difftest runs random well-typed modules from wasmtest.Generate on ssprove's
// interpreter and on wazero and checks that they agree on results, traps, final memory
// and globals. It has no code of its own beyond its tests: `go test` checks a fixed set
// of seeds, and FuzzDifferential lets `go test -fuzz` search further.
package difftest
