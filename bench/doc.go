// Package bench times ssprove's kernels on every backend against gnark-crypto
// in one process, on the same inputs, and renders the comparison as a table.
//
// Absolute times on shared machines are noise; ratios measured side by side
// are not. So every report carries a reference run (gnark-crypto where it has
// the same function) and each figure is the median of several rounds that
// interleave the implementations, so that drift in the machine's speed hits
// them all alike. `go test -bench` in each kernel package remains the source
// of the figures in RESULTS.md; this package is what `ssprove bench` prints.
package bench
