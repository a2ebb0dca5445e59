// Package lookup is the logUp argument: table lookups and the fractional
// sums memory checking reduces to, proven without committing a single
// inverse.
//
// A statement is a list of groups, each a set of leaves Num[i]/(α − Σ_k
// γ^k·Tuple[k][i]) over its columns, counted with a sign; it holds when the
// signed sum of all leaves is zero for random α, γ ∈ K, which (with high
// probability over α, γ) means the multisets of signed tuples, weighted by
// Num, cancel. A lookup of inputs into a table is the groups
// {inputs, +1 each} and {table, −multiplicity} (Table); a read/write memory
// is its initial set and writes against its reads and final set (Memory).
//
// The sums are proven as in Papini and Haböck, "Improving logarithmic
// derivative lookups using GKR" (ePrint 2023/1284, section 3): each group's
// leaves are the bottom layer of a binary tree of fractions, a node being
// p/q = p_lo/q_lo + p_hi/q_hi of its children, and the prover sends only the
// roots. Layer by layer a sum-check (package sumcheck, degree 3) reduces a
// claim on the nodes of layer k at a point to a claim on layer k + 1 at a new
// point, until the claims are on the leaves: the evaluations of Num and of
// the tuple columns, committed small integers, at a random point. Those are
// the Claims Verify returns; the caller checks them against its commitments,
// or against public columns with Claim.CheckTuple and Claim.CheckRange. No
// column of inverses or fingerprints is ever committed, which the lattice
// commitments of the folding scheme need (their cells must be small).
//
// The groups share the challenges: at layer k, every group with more than k
// variables is reduced in one sum-check, the groups' claims batched with
// powers of a random λ, so groups of the same size end at the same point.
//
// α and γ are drawn after Prove and Verify absorb the groups' shapes, and
// must be drawn after everything the columns depend on: the caller binds the
// columns (their commitments) and the multiplicities into the transcript
// before calling Prove or Verify.
package lookup
