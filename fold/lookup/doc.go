// Package lookup is the logUp argument: table lookups and the fractional
// sums memory checking reduces to, proven without committing a single
// inverse.
//
// A statement is a list of groups, each a set of leaves Num[i]/(α − φ_i)
// over its columns, counted with a sign, where φ_i = Σ_{k<W} γ^k·Tuple[k][i]
// + γ^W fingerprints the tuple of width W in row i; it holds when the
// signed sum of all leaves is zero for random α, γ ∈ K, which (with high
// probability over α, γ) means the multisets of signed tuples, weighted by
// Num, cancel. A lookup of inputs into a table is the groups
// {inputs, +1 each} and {table, −multiplicity} (Table); a read/write memory
// is its initial set and writes against its reads and final set (Memory).
//
// The multisets are of all the tuples of the argument together, so a
// tuple of one relation can cancel a tuple of another: a lookup into one
// table can be counted by a row of another. EVERY RELATION (each Table, each
// Memory) IN ONE ARGUMENT MUST CARRY A TAG OF ITS OWN, the first entry of
// its tuples. Tuples of different widths are already told apart by the γ^W
// that ends every fingerprint ((x) and (x, 0) differ); tuples of the same
// width only by their entries, and a committed input can hold anything, so
// only the tag keeps two relations of the same width apart. Table and
// NewMemory take the tag, and refuse RangeTag, the memories' range lookups'
// own; the verifier checks the tag columns of the claims, which the prover
// fills, against the tags (Claim.CheckConstant, Memory.CheckClaims).
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
// or against public columns with Claim.CheckTuple, Claim.CheckNum,
// Claim.CheckConstant and Claim.CheckRange. No
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
// before calling Prove or Verify. ProveMemory and VerifyMemory bind the
// memory's public statement (Memory.Bind) themselves; a caller that puts a
// memory's groups into a larger argument calls Bind, and checks the
// memory's claims with Memory.CheckClaims.
package lookup
