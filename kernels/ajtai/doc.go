// Package ajtai is the Ajtai commitment kernel: c_i = Σ_j M_ij·z_j in
// R_q = F_q[X]/Φ81(X), Φ81 = X^54 + X^27 + 1, for a matrix M ∈ R_q^{κ×m} and a
// witness Z ∈ F^{54×m} whose column j holds the coefficients of z_j. It is the
// prover's hot loop; package lattice/ajtai builds the commitment scheme
// (parameters, setup from a seed, openings) on top of it.
//
// Two ways to multiply run side by side, chosen per column:
//
//   - A column of digits in {−1, 0, 1} with few non-zero entries costs
//     additions only: z_j·M_ij is the sum of ±X^t·M_ij over its non-zero
//     digits t, and X^t is a shift of the coefficients, so each such digit adds
//     (or subtracts) the κ rows of column j of M, shifted, into accumulators of
//     degree < 109 that are reduced mod Φ81 once at the end. This is the
//     pay-per-bit property: committing to bits (one non-zero digit per
//     witness value) costs κ·54 additions per set bit.
//   - Any other column goes through the NTT: z_j, zero-padded to 128
//     coefficients, is transformed once, and its κ products are pointwise
//     multiply-accumulates against the pre-transformed matrix. 128 points
//     suffice because a product of two elements of degree < 54 has degree
//     ≤ 106, so no wrap-around occurs and the sum of all products can be
//     transformed back and reduced mod Φ81 once. Φ81 has no NTT of its own
//     over Goldilocks (81 does not divide q − 1), which is why the
//     transform is the plain cyclic one of a larger power of two.
//
// A Matrix keeps M in memory as its Storage says: in both forms
// (coefficients padded to whole vectors, and NTT evaluations), in
// coefficient form only (a verifier's key: what CombineColumns reads, under
// a third of the memory, and Commit transforms the columns it needs), or not
// at all, every call regenerating the columns it needs from the Source, that
// expansion (and the transforms of M it implies) being part of the cost. CommitBatch
// commits to several witnesses in one pass over M, so that each column is
// read or regenerated once for all of them: with M regenerated that is most of
// the cost of a commitment (about 5× less time for 12 witnesses of 2^16
// entries), with M stored the arithmetic dominates and it gains 0–15%.
// CommitDigitsBatch is the same for witnesses held as int8 digit matrices,
// the form folding keeps them in: a byte per entry instead of eight, and a
// digit δ costs |δ| row additions on the additions path, so columns of small
// digits of any sign take it while Σ|δ| stays within the ±1 columns' limit.
//
// Two kernels serve openings checked at a random point instead of by
// committing again: CommitQuotients also returns the quotients by Φ81 that
// the reduction computes anyway, and CombineColumns combines the columns of
// M with weights in the extension K, one pass over M with no transforms.
// Canonical turns a filler of canonical words (a seed's expansion) into a
// Source, converting to field elements in bulk on the vector loops;
// NewWordMatrix builds a Matrix from such a filler, which lets
// CombineColumns on a regenerated matrix skip the conversion.
//
// The inner loops run on the backend accel.Selected returns (portable Go,
// AVX-512, AVX2; NEON runs the portable loops with its own NTT). With cuda
// selected and ssprove's CUDA library loaded, Commit, CommitBatch and
// CommitDigitsBatch run on the GPU with the matrix resident there (uploaded
// once per Matrix), the witnesses copied in per call. Columns are
// spread over GOMAXPROCS goroutines, each with its own accumulators. Commit is
// not constant-time: its running time depends on how many columns of Z are
// sparse digits, which is the point of the pay-per-bit path.
package ajtai
