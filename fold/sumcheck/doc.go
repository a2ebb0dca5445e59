// Package sumcheck proves and verifies sums over the Boolean hypercube,
//
//	Σ_{x∈{0,1}^ℓ} g(P_0(x), …, P_{n−1}(x)) = claim,
//
// where the P_j are multilinear polynomials given by their tables (package
// mle's layout: variable 0 is the most significant index bit) and g is a
// Composition of degree 1…MaxDegree, all over K = F_q[u]/(u² − 7). It is the
// protocol Neo's Π_CCS and the logUp arguments reduce to.
//
// Round i sends the round polynomial s_i by its evaluations s_i(0) and
// s_i(2), …, s_i(d) (s_i(1) is the running claim minus s_i(0)) and receives
// the challenge r_i from the Fiat–Shamir transcript; at the end the prover
// sends Evals, the values P_j(r) at the point r = (r_0, …, r_{ℓ−1}). Verify
// checks every round and that g(Evals) is what the last round promised, but
// it cannot see the tables, so it takes the caller's Check as an argument:
// that every P_j takes the value Evals[j] at r, against a commitment, by
// evaluating a table it knows (an eq table), or by passing the values on as
// claims for a later step. Without that check a proof proves nothing.
//
// Prove and Verify absorb into the transcript, in this order: the shape
// (ℓ, n, d), the terms and coefficients of g when it is Products, the claim,
// each round polynomial before its challenge, and Evals. Any other
// Composition, and the tables themselves (their commitments), are the
// caller's to bind before calling them.
//
// ProveRounds and VerifyRounds run rounds alone, for a sum-check in phases:
// the caller computes each round polynomial (from tables Prove cannot read,
// such as Π_CCS's digit variables) and is left with the point so far and
// the value the summed polynomial must take there, which it checks itself
// or hands as the claim to a following Prove and Verify over the remaining
// variables. They send rounds exactly as Prove does but absorb their own
// shape record, (ℓ, d), then the claim and the rounds: no terms and no
// Evals.
//
// The prover runs each round as one pass over the tables, split across cores
// with package parallel: binding the previous round's challenge and
// evaluating the next round polynomial chunk by chunk while the chunk is in
// cache, with the kernels of package ext (so on the selected accel backend).
// A Products composition runs ext.ProductEvals per term; any other
// Composition is evaluated point by point.
package sumcheck
