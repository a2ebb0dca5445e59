// Package ext is element-wise arithmetic on vectors over K = F_q[u]/(u² − 7),
// the quadratic extension of Goldilocks the sum-checks run over, and the two
// loops sum-check provers spend their time in: binding a variable of a
// multilinear table and evaluating a round polynomial of a product of tables.
// Two loops mix K with the base field F, for tables of F weighted by K
// (logUp fingerprints, evaluations of F columns at a K point): MulAddBase and
// InnerBase.
//
// Vectors are []K with K = gnark-crypto's extensions.E2, whose values these
// functions reproduce exactly. Each call runs on the backend accel.Selected
// returns: AVX-512 and AVX2 have assembly for every loop; NEON runs the
// portable loops by design (no NEON assembly for K yet). ICICLE and CUDA,
// which offload NTTs and field vectors, have no K loops: with them selected
// these run on the fastest CPU backend here (accel.Host), as the rest of the
// prover does.
//
// Every function checks the lengths of its vectors and returns an error
// wrapping ErrLength otherwise; nil and empty vectors are valid. Unlike
// package field, these functions run on the calling goroutine: their callers
// (sum-check rounds, logUp sums) split work across cores at a coarser grain.
package ext
