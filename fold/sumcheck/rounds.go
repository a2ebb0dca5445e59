package sumcheck

import (
	"context"
	"fmt"

	"github.com/ssprove/ssprove/fold/transcript"
)

// ProveRounds runs numVars rounds of a sum-check of the given degree whose
// round polynomials the caller computes, with no final evaluations: the
// first phase of a sum-check that the caller finishes itself, such as
// Π_CCS's rounds over the digit variables, which read tables Prove cannot.
//
// For round i, round receives the challenges so far, point = (r_0, …,
// r_{i−1}), and fills s, zero on entry and of length degree+1, with s_i(0),
// s_i(1), …, s_i(degree). It must not keep point or s. ProveRounds checks
// s_i(0) + s_i(1) against the running claim (claim in round 0), sends s_i(0),
// s_i(2), …, s_i(degree) exactly as a round of Prove, and draws r_i. It
// returns the rounds sent (Proof{Rounds: rounds} encodes them), the point and
// next = s_last(r_last), the value the summed polynomial must take at the
// point (claim when numVars is 0). Checking next is the caller's: against
// the tables at the point, or as the claim of a following Prove over the
// remaining variables.
//
// The transcript absorbs, in this order: (numVars, degree) under a shape
// label of its own, so that these rounds never read as a full sum-check of
// Prove; the claim; then each round as Prove absorbs it, the round's
// evaluations followed by its challenge.
//
// A round 0 that does not sum to claim is an error wrapping ErrClaim; a
// later round that disagrees with the previous one (a round polynomial of
// degree above degree, or wrong values), a degree outside 1…MaxDegree,
// numVars outside 0…MaxRounds, a nil transcript or round are errors wrapping
// ErrShape. An error from round or ctx is returned wrapped. After an error
// the transcript is in no particular state.
func ProveRounds(ctx context.Context, tr *transcript.Transcript, claim K, degree, numVars int, round func(ctx context.Context, i int, point, s []K) error) (rounds [][]K, point []K, next K, err error) {
	if err := roundsShape(tr, degree, numVars); err != nil {
		return nil, nil, K{}, fmt.Errorf("sumcheck: ProveRounds: %w", err)
	}
	if round == nil {
		return nil, nil, K{}, fmt.Errorf("sumcheck: ProveRounds: nil round function: %w", ErrShape)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, K{}, fmt.Errorf("sumcheck: ProveRounds: %w", err)
	}
	absorbRounds(tr, degree, numVars, claim)
	rounds, point, next, err = proveRounds(ctx, tr, claim, degree, numVars, round)
	if err != nil {
		return nil, nil, K{}, fmt.Errorf("sumcheck: ProveRounds: %w", err)
	}
	return rounds, point, next, nil
}

// VerifyRounds replays the rounds of ProveRounds for claim, degree and
// numVars on the transcript, absorbing what ProveRounds absorbs, and returns
// the point and next = s_last(r_last), the value the summed polynomial must
// take at the point. Each round is checked against the previous one by
// construction (s_i(1) is the running claim minus s_i(0)), so the only check
// left, and the one that makes the rounds prove anything, is the caller's
// check of next: against the tables at the point, or as the claim of a
// following Verify over the remaining variables.
//
// Rounds of the wrong number or length are an error wrapping ErrReject; a
// degree outside 1…MaxDegree, numVars outside 0…MaxRounds or a nil
// transcript are errors wrapping ErrShape.
func VerifyRounds(tr *transcript.Transcript, claim K, degree, numVars int, rounds [][]K) (point []K, next K, err error) {
	if err := roundsShape(tr, degree, numVars); err != nil {
		return nil, K{}, fmt.Errorf("sumcheck: VerifyRounds: %w", err)
	}
	if err := checkRounds(rounds, numVars, degree); err != nil {
		return nil, K{}, fmt.Errorf("sumcheck: VerifyRounds: %w", err)
	}
	absorbRounds(tr, degree, numVars, claim)
	point, next = verifyRounds(tr, claim, degree, rounds)
	return point, next, nil
}

// roundsShape checks the arguments ProveRounds and VerifyRounds share.
func roundsShape(tr *transcript.Transcript, degree, numVars int) error {
	if tr == nil {
		return fmt.Errorf("nil transcript: %w", ErrShape)
	}
	if degree < 1 || degree > MaxDegree {
		return fmt.Errorf("degree %d, want 1…%d: %w", degree, MaxDegree, ErrShape)
	}
	if numVars < 0 || numVars > MaxRounds {
		return fmt.Errorf("%d variables, want 0…%d: %w", numVars, MaxRounds, ErrShape)
	}
	return nil
}

// absorbRounds binds the statement of ProveRounds: its shape and the claim.
func absorbRounds(tr *transcript.Transcript, degree, numVars int, claim K) {
	tr.AppendUint64(labelRounds, uint64(numVars), uint64(degree))
	tr.AppendExt(labelClaim, claim)
}

// proveRounds is the prover's round loop of Prove and ProveRounds, after the
// statement is absorbed: round fills s_i(0), …, s_i(d), which must sum to
// the running claim over {0, 1}; s_i is sent compressed and r_i drawn. It
// returns the rounds, the point and the running claim after the last round.
// The prover runs the verifier's check too: in round 0 it refuses a false
// claim; later it catches round polynomials that do not meet, which would
// otherwise give a proof no verifier accepts.
func proveRounds(ctx context.Context, tr *transcript.Transcript, claim K, d, numVars int, round func(ctx context.Context, i int, point, s []K) error) ([][]K, []K, K, error) {
	rounds := make([][]K, numVars)
	flat := make([]K, numVars*d)
	point := make([]K, numVars)
	s := make([]K, d+1)
	cur := claim
	for i := range numVars {
		if err := ctx.Err(); err != nil {
			return nil, nil, K{}, fmt.Errorf("round %d: %w", i, err)
		}
		clear(s)
		if err := round(ctx, i, point[:i:i], s); err != nil {
			return nil, nil, K{}, fmt.Errorf("round %d: %w", i, err)
		}
		var sum K
		sum.Add(&s[0], &s[1])
		if i == 0 && !sum.Equal(&cur) {
			return nil, nil, K{}, fmt.Errorf("round 0 sums to %s, the claim is %s: %w", sum.String(), cur.String(), ErrClaim)
		}
		if !sum.Equal(&cur) {
			return nil, nil, K{}, fmt.Errorf("round %d sums to %s, round %d at its challenge is %s: a round polynomial of degree above %d: %w", i, sum.String(), i-1, cur.String(), d, ErrShape)
		}
		sent := flat[i*d : (i+1)*d : (i+1)*d]
		sent[0] = s[0]
		copy(sent[1:], s[2:])
		tr.AppendExt(labelRound, sent...)
		point[i] = tr.ChallengeExt(labelChallenge)
		rounds[i] = sent
		cur = interpolate(s, point[i])
	}
	return rounds, point, cur, nil
}

// checkRounds checks that a proof has numVars rounds of d evaluations each,
// with an error wrapping ErrReject.
func checkRounds(rounds [][]K, numVars, d int) error {
	if len(rounds) != numVars {
		return fmt.Errorf("%d rounds for %d variables: %w", len(rounds), numVars, ErrReject)
	}
	for i, s := range rounds {
		if len(s) != d {
			return fmt.Errorf("round %d has %d evaluations, want %d for degree %d (every s(t) but s(1), which the claim implies): %w", i, len(s), d, d, ErrReject)
		}
	}
	return nil
}

// verifyRounds is the verifier's round loop of Verify and VerifyRounds, after
// the statement is absorbed and checkRounds has passed: it absorbs each
// round, draws its challenge, and returns the point and the running claim
// after the last round.
func verifyRounds(tr *transcript.Transcript, claim K, d int, rounds [][]K) ([]K, K) {
	cur := claim
	point := make([]K, len(rounds))
	full := make([]K, d+1)
	for i, s := range rounds {
		// s(0) + s(1) = cur by construction: the check of every round is
		// that the polynomial through these values meets the next one.
		full[0] = s[0]
		full[1].Sub(&cur, &s[0])
		copy(full[2:], s[1:])
		tr.AppendExt(labelRound, s...)
		point[i] = tr.ChallengeExt(labelChallenge)
		cur = interpolate(full, point[i])
	}
	return point, cur
}
