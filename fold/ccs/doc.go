// Package ccs is the customizable constraint system (Setty, Thaler, Wahby,
// ePrint 2023/552) that Neo folds: m constraints over n variables given by
// sparse matrices M_1…M_t over F, multisets S_1…S_q of those matrices and
// constants c_1…c_q. An assignment z ∈ F^n satisfies it when
//
//	Σ_i c_i · ∘_{j ∈ S_i} (M_j·z) = 0,
//
// ∘ the entry-wise (Hadamard) product of vectors of length m, that is when
// every constraint (row) evaluates to zero. R1CS is the case t = 3, q = 2,
// S = ({A, B}, {C}), c = (1, −1), built by FromR1CS.
//
// The package also reads the R1CS instances and IVC chains exported by the
// Nightstream project (ReadR1CS, ReadChain), checks assignments with an error
// that names the first failing constraint, and hashes a structure into the
// Digest the folding transcript absorbs.
package ccs
