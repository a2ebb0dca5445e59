// Package poseidon2 is a fast implementation of gnark-crypto's Poseidon2
// permutation of Goldilocks at width 12 (field/goldilocks/poseidon2,
// x^7 S-box), the permutation under the Fiat–Shamir transcript.
//
// It computes exactly what gnark-crypto's Permutation computes for the same
// round numbers, with gnark-crypto's round constants, about six times faster:
// the state is a fixed-size array of integers kept below 2^64 but reduced
// modulo q only when it leaves, products are reduced with 2^64 ≡ 2^32 − 1
// and 2^96 ≡ −1 instead of a Montgomery step, and the linear layers add in
// 128 bits and reduce once per word. The tests compare it with gnark-crypto
// word for word.
//
// A Permutation is immutable after New and safe for concurrent use.
package poseidon2
