// Package msis estimates how hard the Module-SIS problems behind the binding
// of the Ajtai commitment are, so that a parameter set can state the security
// it gives and a test can fail when a change lowers it.
//
// # What binding reduces to
//
// The commitment is c = M·z with M ∈ R_q^{κ×m} uniform, R_q = F_q[X]/Φ81
// (d = 54), q = 2^64 − 2^32 + 1, κ = 16 (Neo, ePrint 2025/294, §3 and the
// Goldilocks preset of §6). A collision is a nonzero x ∈ R_q^m with M·x = 0
// and ‖x‖∞ ≤ β:
//
//   - (d,m,B)-binding: two openings with ‖Z‖∞ < B differ by ‖x‖∞ < 2B, so
//     β = 2B − 1; 8191 for B = 2^12.
//   - (d,m,B,C)-relaxed binding: from Δ₁·c = L(Z₁), Δ₂·c = L(Z₂) with
//     Δ₁, Δ₂ ∈ C − C of operator norm ≤ 2T, the vector Δ₂Z₁ − Δ₁Z₂ is a
//     collision of norm < 2·2T·B, so β = 4TB − 1; 3 538 943 for T = 216.
//     This is Neo's lemma that (d,m,2TB)-binding implies (d,m,B,C)-relaxed
//     binding.
//   - The folding needs (d,m,2B,C)-relaxed binding, so β = 8TB − 1 =
//     7 077 887 is the bound the preset must carry.
//
// The lemma and the 2B requirement are taken from the summary of the paper
// in the Neo implementation Nightstream (docs/neo-ai-summary.md, §6.3 and
// §8.1); the paper's own text was not at hand, so check them against it.
//
// # The model
//
// [Problem.Estimate] is the lattice-reduction estimate of the
// lattice-estimator's SIS "lattice" attack in core-SVP form. The module
// structure is ignored, as Neo does: the problem is SIS over Z_q with
// N = κ·d rows and up to Width = m·d columns. BKZ with block size b reaches
// root-Hermite factor δ(b) (see [RootHermite]); on the q-ary lattice
// {x ∈ Z^w : A_w·x = 0 mod q} of a sub-matrix of w columns, of volume q^N, it
// finds a vector of length δ(b)^(w−1)·q^(N/w) (the estimator's exponent w−1),
// and only q-vectors, of length q, once that exceeds q. The attacker picks the
// best w ≤ Width; the smallest b that succeeds costs 2^(0.292·b) classically
// and 2^(0.265·b) quantumly.
//
// The bound is on ‖x‖∞; a lattice-reduction estimate needs a Euclidean one.
// Estimate counts every non-q-vector no longer than β·√w as a solution:
// a true solution is that short, while a vector that short may still have an
// entry above β, so this overstates the attacker and is the pessimistic view
// for the defender. [Problem.EstimateL2] asks for ‖x‖₂ ≤ β, which only
// solutions satisfy but misses most of them: the optimistic view. The truth
// lies between.
//
// Not modelled: attacks that use the ring structure (Φ81 splits mod q into
// two factors of degree 27), the estimator's probabilistic ℓ∞ analysis and
// its ζ (coordinate-dropping) search, memory cost, and BKZ's polynomial
// overhead (core-SVP counts one sieve call).
//
// # The Goldilocks preset
//
// go test ./lattice/msis -run TestPreset -v prints, and checks, for κ = 16,
// d = 54, log2 q = 64 − 3.4·10⁻¹⁰:
//
//	bound                β          Estimate (ℓ∞, pessimistic)          EstimateL2
//	                                b      w    classical  quantum      b     classical
//	2B − 1               8191       2066   5962   603.3    547.5        5445  1589.9
//	4TB − 1              3538943    801    4092   233.9    212.3        1515   442.4
//	8TB − 1              7077887    730    3950   213.2    193.5        1349   393.9
//
// The rows are the same for m = 2^10, 2^16, 2^20 and 2^24, and for every
// m ≥ 111: the best w is far below m·d, so more columns give the attacker
// nothing. Under this model the preset clears 128 bits classically and
// quantumly by a wide margin, for the relaxed bound as well.
package msis
