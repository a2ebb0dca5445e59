package neo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

// CombinedChainProof is a chain proof whose last fold stops after Π_RLC
// (fold/NEO.md §5.3's alternative, fold/ARITH.md §8.3): that fold sends its
// Π_CCS proof and no Π_DEC parts, and the proof opens the one ME(B) claim
// Π_RLC leaves with its witness, of norm below B, instead of opening the k
// ME(b) claims Π_DEC would split it into.
//
// Π_RLC reduces the fold's claims to ME(B) and Π_DEC reduces ME(B) to
// ME(b)^k; deciding ME(B) directly drops the second reduction, which a
// chain needs only to fold on. Against an OpenedChainProof the prover saves
// the last Π_DEC (its k commitments), the opening is one matrix of 2-byte
// entries instead of k of 1-byte digits, and the verifier checks one
// commitment, by a random evaluation (ajtai.VerifySmall) that reads the
// key's coefficients once and needs no stored key.
type CombinedChainProof struct {
	// ChainProof holds every step and fold; the last fold's Parts are empty.
	ChainProof
	// Opening is the witness Z of the combined claim, d×m column-major,
	// every entry below B in magnitude.
	Opening []int32
	// Quotients let the verifier check the commitment to Opening at a
	// random point (ajtai.VerifySmall).
	Quotients ajtai.Quotients
}

// ProveCombined proves the chain as ProveChain does, under the same
// options and with the same errors, except that the last fold stops after
// Π_RLC and the proof opens the combined claim (CombinedChainProof).
func (p *Prover) ProveCombined(ctx context.Context, chain *ccs.Chain, opts ...ChainOption) (*CombinedChainProof, error) {
	proof, end, err := p.proveChain(ctx, "ProveCombined", chain, opts, true)
	if err != nil {
		return nil, err
	}
	q := end.quotients
	if q == nil {
		var c ajtai.Commitment
		if c, q, err = p.pp.CommitSmall(ctx, end.Z); err != nil {
			return nil, fmt.Errorf("neo: ProveCombined: opening: %w", err)
		}
		if !slices.Equal(c, end.combined.C) {
			return nil, fmt.Errorf("neo: ProveCombined: %w: the combined witness does not open the combined commitment", ErrCommitment)
		}
	}
	return &CombinedChainProof{ChainProof: *proof, Opening: end.Z, Quotients: q}, nil
}

// VerifyCombined checks proof against chain as VerifyChain does, then
// decides the combined claim the last fold leaves with the proof's opening
// (DecideCombined). It returns that claim.
func (v *Verifier) VerifyCombined(ctx context.Context, chain *ccs.Chain, proof *CombinedChainProof, opts ...ChainOption) (Claim, error) {
	if proof == nil {
		return Claim{}, fmt.Errorf("neo: VerifyCombined: %w: nil proof", ErrShape)
	}
	_, c, err := v.verifyChain(ctx, "VerifyCombined", chain, &proof.ChainProof, opts, true)
	if err != nil {
		return Claim{}, err
	}
	if err := DecideCombined(ctx, v.pp, v.s, c, proof.Opening, proof.Quotients); err != nil {
		return Claim{}, fmt.Errorf("neo: VerifyCombined: decider: %w", err)
	}
	return c, nil
}

// Verify is (*Verifier).VerifyCombined with a Verifier of the chain's CCS
// under pp made for this call alone.
func (p *CombinedChainProof) Verify(ctx context.Context, pp *ajtai.PublicParams, chain *ccs.Chain, opts ...ChainOption) (Claim, error) {
	s, err := chainCCS(chain)
	if err != nil {
		return Claim{}, fmt.Errorf("neo: VerifyCombined: %w", err)
	}
	v, err := NewVerifier(pp, s)
	if err != nil {
		return Claim{}, fmt.Errorf("neo: VerifyCombined: %w", err)
	}
	return v.VerifyCombined(ctx, chain, p, opts...)
}

// proveCombinedFold is a fold that stops after Π_RLC: Π_CCS and Π_RLC as
// proveFoldWith runs them, returning the proof (no parts), the combined
// claim and its witness, and whether the step was combined alone: Π_RLC
// then combines with the identity, so the claim and witness are the
// step's.
func proveCombinedFold(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, nd node, acc Acc, accW AccWitness, mcs MCS, Z []int8, step []Claim) (*FoldProof, Claim, []int32, bool, error) {
	tr, claims, Zs, ccsProof, tm, err := proveFoldCCS(ctx, pp, s, nd, acc, accW, mcs, Z, step)
	if err != nil {
		return nil, Claim{}, nil, false, err
	}
	parent, W, _, err := Combine(ctx, tr, pp.Params(), claims, Zs)
	if err != nil {
		return nil, Claim{}, nil, false, err
	}
	tm.lap(rlcTime)
	if tm.stats != nil {
		tm.stats.Folds++
	}
	return &FoldProof{CCS: ccsProof}, parent, W, len(claims) == 1, nil
}

// verifyCombinedFold checks a fold that stops after Π_RLC and returns the
// combined claim.
func verifyCombinedFold(pp *ajtai.PublicParams, s *ccs.CCS, nd node, acc Acc, mcs MCS, proof *FoldProof, step []Claim) (Claim, error) {
	tr, groups, err := startFold(pp, nd, acc, mcs, proof, step)
	if err != nil {
		return Claim{}, err
	}
	if len(proof.Parts) != 0 {
		return Claim{}, fmt.Errorf("%w: the combined fold carries %d Π_DEC parts, want none", ErrShape, len(proof.Parts))
	}
	claims, err := verifyCCSGroups(tr, pp, s, mcs, groups, proof.CCS, len(step))
	if err != nil {
		return Claim{}, fmt.Errorf("neo: VerifyCCS: %w", err)
	}
	return VerifyCombine(tr, pp.Params(), claims)
}

// DecideCombined is the decider of a CombinedChainProof: it returns nil
// exactly when Z opens the ME(B) claim c for s under pp (Neo Def. 18 with
// the bound B), checking in order the shapes (ErrShape), ‖Z‖∞ < B and the
// commitment, both by ajtai.VerifySmall with the quotients q (ErrNorm for
// an entry at or over B, ErrCommitment for the rest), X = Z[:d·m_in]
// (ErrPublic) and Y[j] = Z·M_jᵀ·χ_R (ErrEvaluation).
func DecideCombined(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, c Claim, Z []int32, q ajtai.Quotients) error {
	if pp == nil || s == nil {
		return fmt.Errorf("neo: DecideCombined: %w: nil commitment key or CCS", ErrShape)
	}
	dm, err := dimsOf(pp, s)
	if err != nil {
		return fmt.Errorf("neo: DecideCombined: %w", err)
	}
	if err := dm.checkClaimShape(c); err != nil {
		return fmt.Errorf("neo: DecideCombined: %w", err)
	}
	if len(Z) != ring.D*dm.m {
		return fmt.Errorf("neo: DecideCombined: %w: Z has %d entries, want d·m = %d·%d", ErrShape, len(Z), ring.D, dm.m)
	}
	bound := pp.Params().Bound
	if err := pp.VerifySmall(ctx, c.C, Z, q, int(bound)); err != nil {
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("neo: DecideCombined: %w", err)
		case errors.Is(err, ajtai.ErrNorm):
			return fmt.Errorf("neo: DecideCombined: %w: %w", ErrNorm, err)
		}
		return fmt.Errorf("neo: DecideCombined: %w: %w", ErrCommitment, err)
	}
	if err := samePublic(c, Z); err != nil {
		return fmt.Errorf("neo: DecideCombined: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("neo: DecideCombined: %w", err)
	}
	ys, err := evaluationsSmall(s, Z, c.R, bound)
	if err != nil {
		return fmt.Errorf("neo: DecideCombined: %w", err)
	}
	if err := sameEvaluations(c, ys); err != nil {
		return fmt.Errorf("neo: DecideCombined: %w", err)
	}
	return nil
}

// smallBase is the base evaluationsSmall splits entries in: its digits,
// below 64 in magnitude, fit mulDigits's buckets (2·63+1 per row and
// vector), and two of them hold the Goldilocks preset's B = 4096.
const smallBase = 64

// evaluationsSmall is Evaluations for a matrix of entries below bound in
// magnitude: Z = Σ_p 64^p·Z_p in balanced base-64 digits, each plane's
// products by mulDigits's bucket sums, recombined.
func evaluationsSmall(s *ccs.CCS, Z []int32, r []K, bound uint64) ([][]K, error) {
	planes := 1
	for span := uint64(smallBase); span < bound; span *= smallBase {
		planes++
	}
	Zp, err := decomp.SplitSmall(Z, smallBase, planes)
	if err != nil {
		return nil, err
	}
	vs, err := ColumnWeights(s, r)
	if err != nil {
		return nil, err
	}
	yp, err := mulDigits(Zp, vs, smallBase-1)
	if err != nil {
		return nil, err
	}
	base := goldilocks.NewElement(smallBase)
	ys := yp[len(yp)-1]
	for p := len(yp) - 2; p >= 0; p-- {
		for j := range ys {
			for ρ := range ys[j] {
				ys[j][ρ].MulByElement(&ys[j][ρ], &base)
				ys[j][ρ].Add(&ys[j][ρ], &yp[p][j][ρ])
			}
		}
	}
	return ys, nil
}
