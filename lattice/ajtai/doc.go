// Package ajtai is the Ajtai matrix commitment of Neo (ePrint 2025/294, §3)
// over R_q = F_q[X]/Φ81: public parameters expanded from a seed, commitments
// c = M·cf⁻¹(Z) ∈ R_q^κ to witness matrices Z ∈ F^{d×m}, openings checked
// with their norm bound, and the linear operations folding applies to
// commitments (sums, products by challenges, base-b recomposition).
//
// A witness vector z ∈ F^m enters as Z = decomp.Embed(z, b, d): column j holds
// the d balanced base-b digits of z_j, so ‖Z‖∞ < b and committing to bits
// costs only additions (the pay-per-bit property; see kernels/ajtai). Z is
// stored column-major, Z[j·d+t] being coefficient t of the ring element z_j.
// Folding holds such matrices as int8 digits, a byte per entry, and
// CommitDigits and VerifyDigits take them in that form; CommitBatch and
// CommitDigits commit several witnesses with one pass over the matrix.
//
// CommitSmall and VerifySmall are the opening a verifier checks without
// the matrix products: the prover sends with a witness of small integers
// the quotients of its products by Φ81, and the verifier tests the identity
// at one point of F_{q²} drawn from a hash of the whole opening, a single
// pass over M (streamed from the seed when it is not stored). A verifier
// that keeps its key needs M in coefficient form only: Setup's
// CoefficientsOnly option.
//
// The hot loop is kernels/ajtai, on the backend package accel selects.
package ajtai
