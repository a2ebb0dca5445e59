// Package neo is Neo folding for CCS (Nguyen and Setty, ePrint 2025/294) over
// Goldilocks: the relations MCS (a fresh committed step) and ME (a committed
// evaluation claim), and the reductions that fold one into the other, Π_CCS,
// Π_RLC and Π_DEC. fold/NEO.md is the design this package implements, with
// the equations, the transcript order and the parameter choices.
//
// Witnesses are digit matrices Z ∈ F^{d×m} stored column-major as int8
// (Z[c·d+ρ] is digit ρ of column c), the layout of decomp.Embed and
// ajtai.CommitDigits. Matrices are indexed j = 0…t: j = 0 is the identity,
// implicit, and j ≥ 1 is the CCS's Matrices()[j−1]. Rows and columns share
// one index space of N = 2^ℓ_n entries, ℓ_n = mle.NumVars(max(rows, columns)).
package neo
