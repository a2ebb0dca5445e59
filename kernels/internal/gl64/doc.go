// Package gl64 holds the Goldilocks arithmetic that every kernel is built from:
// branch-free scalar operations on gnark-crypto's Montgomery words and the vector
// loops (portable Go, AVX-512, AVX2, NEON) that kernels/field and kernels/ntt
// dispatch to.
//
// Elements are goldilocks.Element values: one uint64 in Montgomery form with
// R = 2^64, always fully reduced (< q). Every function here keeps that invariant
// and works on the words directly, so callers never convert.
//
// Nothing here validates lengths: the public packages do that once, before the
// hot loop. Vector functions take equal-length slices and allow res to alias an
// input element for element.
package gl64
