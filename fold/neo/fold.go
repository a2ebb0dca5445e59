package neo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

// Transcript protocols and labels of one fold (fold/NEO.md §2.2).
const (
	foldProtocol   = "ssprove/neo/fold/v1"
	headerProtocol = "ssprove/neo/header/v1"
	// nodeIVC is the node kind of an IVC step (1 is a PCD node).
	nodeIVC = 0
)

// ErrChain is wrapped by the errors about a chain proof that does not fit
// the chain it is checked against: another number of steps, or a step whose
// public input is not the chain's.
var ErrChain = errors.New("neo: proof does not fit the chain")

// ErrDigitPlanes is wrapped by the errors about a step with a witness value
// beyond the chain's digit-plane bound (WithDigitPlanes): refused by the
// prover, or its nonzero plane seen by the verifier.
var ErrDigitPlanes = errors.New("neo: witness value beyond the digit-plane bound")

// FoldProof is what one fold sends (fold/NEO.md §5.4): the Π_CCS proof and
// the Π_DEC messages. Π_RLC sends nothing.
type FoldProof struct {
	CCS *CCSProof
	// Parts are the k ME(b) claims Π_DEC splits the folded claim into: their
	// C, X and Y are the messages; R repeats the point Π_CCS ends at, which
	// the verifier knows and checks it against.
	Parts []Claim
}

// ChainProof proves an IVC chain: the commitment and public input of every
// step, and the fold of each step into the accumulator of the steps before
// it. It is linear in the number of steps and not zero-knowledge; the final
// accumulator's witness is what a decider opens (Decide).
type ChainProof struct {
	Steps []MCS
	Folds []*FoldProof
}

// node is where a fold sits: the header H every fold of one proof starts
// from, and the step's index (§2.2 steps 1 and 2).
type node struct {
	header [4]goldilocks.Element
	index  uint64
	stats  *Stats // where the prover adds its times; nil for none
}

// newHeader returns H (§2.2 step 1): the commitment key's seed, the
// parameters, the CCS digest and, for a chain, its spec and y0, squeezed
// into 4 field elements.
func newHeader(pp *ajtai.PublicParams, s *ccs.CCS, dm dims, chain *ccs.Chain) [4]goldilocks.Element {
	tr := transcript.New(headerProtocol)
	seed := pp.Seed()
	tr.AppendBytes("pp", seed[:])
	p := pp.Params()
	tr.AppendUint64("params", uint64(p.Kappa), uint64(p.D), p.Base, uint64(p.K), p.Bound, p.T,
		uint64(dm.m), uint64(dm.n), uint64(dm.ell))
	digest := s.Digest()
	tr.AppendField("ccs", digest[:]...)
	if chain != nil {
		sp := &chain.Spec
		ivc := []uint64{uint64(sp.YLen), uint64(sp.Const1)}
		for _, i := range sp.YPrev {
			ivc = append(ivc, uint64(i))
		}
		for _, i := range sp.YStep {
			ivc = append(ivc, uint64(i))
		}
		tr.AppendUint64("ivc", ivc...)
		tr.AppendField("y0", chain.Y0...)
	}
	return [4]goldilocks.Element(tr.ChallengeFields("header", 4))
}

// start returns the fold's transcript after §2.2 steps 1–3: the header, the
// node, and the input accumulator's digest when it holds claims. The digest
// is all of the accumulator that is absorbed: it was squeezed after the
// claims were, so it binds them.
func (nd node) start(acc Acc) *transcript.Transcript {
	tr := transcript.New(foldProtocol)
	tr.AppendField("header", nd.header[:]...)
	tr.AppendUint64("node", nodeIVC, nd.index)
	if len(acc.Claims) > 0 {
		tr.AppendField("acc", acc.Digest[:]...)
	}
	return tr
}

// checkAcc checks that acc is empty (no claims, a zero digest: the input of
// a first fold) or holds k claims, as a fold produces.
func checkAcc(pp *ajtai.PublicParams, acc Acc) error {
	switch k := pp.Params().K; {
	case len(acc.Claims) == 0 && acc.Digest != [4]goldilocks.Element{}:
		return fmt.Errorf("%w: accumulator without claims has a digest", ErrShape)
	case len(acc.Claims) != 0 && len(acc.Claims) != k:
		return fmt.Errorf("%w: accumulator holds %d claims, want 0 or k = %d", ErrShape, len(acc.Claims), k)
	}
	return nil
}

// Prover proves folds of one CCS under one commitment key. NewProver checks
// that they fit and computes once what every fold of that CCS starts from:
// the dimensions and the header of a fold outside a chain. A Prover is
// immutable, so one value may serve many proofs, from many goroutines at
// once: each call owns its transcript and scratch.
//
// The CCS's matrices are already in the layout the kernels read (CSR rows
// for M_j·z and M_jᵀ·χ_r), so what each fold still derives from the CCS is
// small against the fold: the phase-2 composition (a few dozen terms) and
// the eq tables of its own points.
type Prover struct {
	pp     *ajtai.PublicParams
	s      *ccs.CCS
	dm     dims
	header [4]goldilocks.Element
}

// NewProver returns the Prover of s under pp. A nil key or CCS, or a key
// for witnesses of another width than s's, is an error wrapping ErrShape.
func NewProver(pp *ajtai.PublicParams, s *ccs.CCS) (*Prover, error) {
	if pp == nil || s == nil {
		return nil, fmt.Errorf("neo: NewProver: %w: nil commitment key or CCS", ErrShape)
	}
	dm, err := dimsOf(pp, s)
	if err != nil {
		return nil, fmt.Errorf("neo: NewProver: %w", err)
	}
	return &Prover{pp: pp, s: s, dm: dm, header: newHeader(pp, s, dm, nil)}, nil
}

// Fold folds the step mcs, opened by wit, into the accumulator acc, opened
// by accW (fold/NEO.md §5.1): Π_CCS, then Π_RLC (its norm guard first),
// then Π_DEC, on a transcript of its own that starts from the parameters,
// the CCS digest and acc's digest and ends by squeezing the new
// accumulator's digest (§2.2). The first fold starts from the empty Acc and
// AccWitness. It returns the new accumulator of k claims, its witness and
// the proof VerifyFold checks.
//
// The step is checked first (CheckMCS): a step that does not satisfy the
// CCS is refused with an error wrapping ErrUnsatisfied and the
// *ccs.UnsatisfiedError naming the constraint. An accumulator of other
// than 0 or k claims, or a witness that does not fit it, is an error
// wrapping ErrShape.
//
// Fold is a fold outside a chain: its header binds the key and the CCS
// only, and its node index is 0, so that successive folds are ordered by
// the digests alone. ProveChain also binds the chain's spec, y0 and each
// step's index.
func (p *Prover) Fold(ctx context.Context, acc Acc, accW AccWitness, mcs MCS, wit MCSWitness) (Acc, AccWitness, *FoldProof, error) {
	if err := CheckMCS(ctx, p.pp, p.s, mcs, wit); err != nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("neo: Fold: step: %w", err)
	}
	out, outW, proof, err := proveFold(ctx, p.pp, p.s, node{header: p.header}, acc, accW, mcs, wit.Z)
	if err != nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("neo: Fold: %w", err)
	}
	return out, outW, proof, nil
}

// Commit makes the step instance of the assignment z and its witness: the
// canonical digits of z in the key's base b (decomp.Embed, one int8 per
// digit), their commitment, and x = z[:m_in]. It is what ProveChain does
// with each step before folding it, for callers that fold steps of their
// own with Fold. It does not check that z satisfies the CCS (Fold does); a
// z of another length, or with a value that has no d digits in base b (b =
// 2 holds values below 2^54 in magnitude), is an error wrapping ErrShape.
func (p *Prover) Commit(ctx context.Context, z []goldilocks.Element) (MCS, MCSWitness, error) {
	if len(z) != p.s.NumVariables() {
		return MCS{}, MCSWitness{}, fmt.Errorf("neo: Commit: %w: assignment of %d values, want m = %d", ErrShape, len(z), p.s.NumVariables())
	}
	Z, err := stepWitness(z, p.pp.Params().Base)
	if err != nil {
		return MCS{}, MCSWitness{}, fmt.Errorf("neo: Commit: %w", err)
	}
	c, quo, err := p.pp.CommitDigitsOpening(ctx, Z)
	if err != nil {
		return MCS{}, MCSWitness{}, fmt.Errorf("neo: Commit: %w", err)
	}
	return MCS{C: c, X: slices.Clone(z[:p.s.NumPublic()])}, MCSWitness{Z: Z, quotients: quo}, nil
}

// Fold is (*Prover).Fold with a Prover of s under pp made for this call
// alone; errors of NewProver are Fold's.
func Fold(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, acc Acc, accW AccWitness, mcs MCS, wit MCSWitness) (Acc, AccWitness, *FoldProof, error) {
	p, err := NewProver(pp, s)
	if err != nil {
		return Acc{}, AccWitness{}, nil, err
	}
	return p.Fold(ctx, acc, accW, mcs, wit)
}

// proveFold is Fold after the step is checked: Π_CCS, Π_RLC and Π_DEC at
// the node nd.
func proveFold(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, nd node, acc Acc, accW AccWitness, mcs MCS, Z []int8) (Acc, AccWitness, *FoldProof, error) {
	return proveFoldWith(ctx, pp, s, nd, acc, accW, mcs, Z, nil)
}

// proveFoldWith is proveFold with step claims (none or one) on Z folded
// beside the accumulator, as a point group of their own (WithStepClaims).
func proveFoldWith(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, nd node, acc Acc, accW AccWitness, mcs MCS, Z []int8, step []Claim) (Acc, AccWitness, *FoldProof, error) {
	tr, claims, Zs, ccsProof, tm, err := proveFoldCCS(ctx, pp, s, nd, acc, accW, mcs, Z, step)
	if err != nil {
		return Acc{}, AccWitness{}, nil, err
	}
	out, outW, parts, err := finishFold(ctx, tr, pp, s, claims, Zs, &tm)
	if err != nil {
		return Acc{}, AccWitness{}, nil, err
	}
	return out, outW, &FoldProof{CCS: ccsProof, Parts: parts}, nil
}

// proveFoldCCS is a fold up to Π_CCS (§2.2 steps 1–9): the accumulator's
// checks, the transcript at the node, the step claims, and Π_CCS. It
// returns the transcript, the claims Π_CCS leaves and their witnesses (the
// step's first), the Π_CCS proof, and the timer running since the fold
// began.
func proveFoldCCS(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, nd node, acc Acc, accW AccWitness, mcs MCS, Z []int8, step []Claim) (*transcript.Transcript, []Claim, [][]int8, *CCSProof, timer, error) {
	tm := nd.stats.timer()
	if err := checkAcc(pp, acc); err != nil {
		return nil, nil, nil, nil, tm, err
	}
	if len(accW.Z) != len(acc.Claims) {
		return nil, nil, nil, nil, tm, fmt.Errorf("%w: %d witnesses for an accumulator of %d claims", ErrShape, len(accW.Z), len(acc.Claims))
	}
	tr := nd.start(acc)
	groups := foldGroups(acc, step)
	for _, c := range step {
		if err := checkStepClaim(c, mcs, pp.Params().Base); err != nil {
			return nil, nil, nil, nil, tm, err
		}
		absorbStepClaim(tr, c)
	}
	carriedZ := accW.Z
	claims, ccsProof, err := proveCCSGroups(ctx, tr, pp, s, mcs, MCSWitness{Z: Z}, groups, carriedZ, len(step))
	if err != nil {
		return nil, nil, nil, nil, tm, fmt.Errorf("neo: ProveCCS: %w", err)
	}
	tm.lap(ccsTime)
	return tr, claims, append([][]int8{Z}, carriedZ...), ccsProof, tm, nil
}

// finishFold runs Π_RLC and Π_DEC on the claims Π_CCS left on tr, opened by
// Zs, and squeezes the new accumulator's digest (§2.2 steps 10–12). parts
// are the Π_DEC messages, a copy of the accumulator's claims. tm gets
// the times of Π_RLC and Π_DEC, and counts the fold.
func finishFold(ctx context.Context, tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, claims []Claim, Zs [][]int8, tm *timer) (Acc, AccWitness, []Claim, error) {
	parent, Z, _, err := Combine(ctx, tr, pp.Params(), claims, Zs)
	if err != nil {
		return Acc{}, AccWitness{}, nil, err
	}
	tm.lap(rlcTime)
	if err := ctx.Err(); err != nil {
		return Acc{}, AccWitness{}, nil, err
	}
	claimsOut, planes, err := decompose(ctx, tr, pp, s, parent, Z, tm)
	if err != nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("neo: Decompose: %w", err)
	}
	if tm.stats != nil {
		tm.stats.Folds++
	}
	acc := Acc{Claims: claimsOut, Digest: [4]goldilocks.Element(tr.ChallengeFields("acc/digest", 4))}
	return acc, AccWitness{Z: planes}, cloneClaims(claimsOut), nil
}

// foldGroups returns the point groups Π_CCS folds beside the step: the
// accumulator's claims, then the step claims, each a group when it has
// claims. The step claims come last: they are on the step's own witness,
// which Π_CCS folds once (newGroupedStatement's onStep).
func foldGroups(acc Acc, step []Claim) [][]Claim {
	var groups [][]Claim
	if len(acc.Claims) > 0 {
		groups = append(groups, acc.Claims)
	}
	if len(step) > 0 {
		groups = append(groups, step)
	}
	return groups
}

// cloneClaims returns a copy of claims sharing no slice with them, so that a
// proof and the accumulator it was made with can change independently.
func cloneClaims(claims []Claim) []Claim {
	out := make([]Claim, len(claims))
	for i, c := range claims {
		out[i] = Claim{C: slices.Clone(c.C), X: slices.Clone(c.X), R: slices.Clone(c.R), Y: make([][]K, len(c.Y))}
		for j, y := range c.Y {
			out[i].Y[j] = slices.Clone(y)
		}
	}
	return out
}

// Verifier checks folds of one CCS under one commitment key: the public
// half of a Prover, holding no witness. Like a Prover it is immutable and
// safe for concurrent use.
type Verifier struct {
	pp     *ajtai.PublicParams
	s      *ccs.CCS
	dm     dims
	header [4]goldilocks.Element
}

// NewVerifier returns the Verifier of s under pp, with NewProver's checks
// and errors.
func NewVerifier(pp *ajtai.PublicParams, s *ccs.CCS) (*Verifier, error) {
	if pp == nil || s == nil {
		return nil, fmt.Errorf("neo: NewVerifier: %w: nil commitment key or CCS", ErrShape)
	}
	dm, err := dimsOf(pp, s)
	if err != nil {
		return nil, fmt.Errorf("neo: NewVerifier: %w", err)
	}
	return &Verifier{pp: pp, s: s, dm: dm, header: newHeader(pp, s, dm, nil)}, nil
}

// Fold checks one fold of the step mcs into acc and returns the new
// accumulator, the one (*Prover).Fold returned with it. acc must be the
// accumulator the previous Fold returned, or the empty Acc: its claims are
// not checked against its digest, which was squeezed after them on the
// verifier's own transcript.
//
// A malformed proof or one that fails a check is an error: wrapping
// sumcheck.ErrReject for Π_CCS, and ErrShape, ErrPoint, ErrNorm,
// ErrCommitment, ErrPublic or ErrEvaluation for Π_DEC, as the checks of
// VerifyCCS and VerifyDecompose say; a guard that fails for the claim count,
// ajtai.ErrGuard.
func (v *Verifier) Fold(acc Acc, mcs MCS, proof *FoldProof) (Acc, error) {
	out, err := verifyFold(v.pp, v.s, node{header: v.header}, acc, mcs, proof)
	if err != nil {
		return Acc{}, fmt.Errorf("neo: VerifyFold: %w", err)
	}
	return out, nil
}

// VerifyFold is (*Verifier).Fold with a Verifier of s under pp made for
// this call alone; errors of NewVerifier are VerifyFold's.
func VerifyFold(pp *ajtai.PublicParams, s *ccs.CCS, acc Acc, mcs MCS, proof *FoldProof) (Acc, error) {
	v, err := NewVerifier(pp, s)
	if err != nil {
		return Acc{}, err
	}
	return v.Fold(acc, mcs, proof)
}

// verifyFold is VerifyFold at the node nd.
func verifyFold(pp *ajtai.PublicParams, s *ccs.CCS, nd node, acc Acc, mcs MCS, proof *FoldProof) (Acc, error) {
	return verifyFoldWith(pp, s, nd, acc, mcs, proof, nil)
}

// verifyFoldWith is verifyFold of a fold that carries the step claims step
// (none or one) beside the accumulator.
func verifyFoldWith(pp *ajtai.PublicParams, s *ccs.CCS, nd node, acc Acc, mcs MCS, proof *FoldProof, step []Claim) (Acc, error) {
	tr, groups, err := startFold(pp, nd, acc, mcs, proof, step)
	if err != nil {
		return Acc{}, err
	}
	return verifyRest(tr, pp, s, mcs, groups, len(step), proof)
}

// startFold checks the accumulator and the proof's presence, starts the
// fold's transcript at the node and absorbs the step claims, as the prover
// does before Π_CCS; it returns the transcript and Π_CCS's point groups.
func startFold(pp *ajtai.PublicParams, nd node, acc Acc, mcs MCS, proof *FoldProof, step []Claim) (*transcript.Transcript, [][]Claim, error) {
	if err := checkAcc(pp, acc); err != nil {
		return nil, nil, err
	}
	if proof == nil {
		return nil, nil, fmt.Errorf("%w: no proof", ErrShape)
	}
	tr := nd.start(acc)
	for _, c := range step {
		if err := checkStepClaim(c, mcs, pp.Params().Base); err != nil {
			return nil, nil, err
		}
		absorbStepClaim(tr, c)
	}
	return tr, foldGroups(acc, step), nil
}

// verifyRest checks, on tr, the Π_CCS of the step mcs with the carried
// claims in groups (the last onStep on the step's witness), then Π_RLC and
// Π_DEC, and squeezes the new
// accumulator's digest: what a fold and a merge verify once their
// transcript has started (§2.2 steps 4–12).
func verifyRest(tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, groups [][]Claim, onStep int, proof *FoldProof) (Acc, error) {
	claims, err := verifyCCSGroups(tr, pp, s, mcs, groups, proof.CCS, onStep)
	if err != nil {
		return Acc{}, fmt.Errorf("neo: VerifyCCS: %w", err)
	}
	parent, err := VerifyCombine(tr, pp.Params(), claims)
	if err != nil {
		return Acc{}, err
	}
	if err := VerifyDecompose(tr, pp, s, parent, proof.Parts); err != nil {
		return Acc{}, err
	}
	return Acc{Claims: cloneClaims(proof.Parts), Digest: [4]goldilocks.Element(tr.ChallengeFields("acc/digest", 4))}, nil
}

// chainCCS returns the one structure every step of chain has, and an error
// wrapping ErrShape when there are no steps, a step has none, or steps have
// different ones: an accumulator holds claims about one structure's matrices
// (fold/NEO.md §7.3, item 6).
func chainCCS(chain *ccs.Chain) (*ccs.CCS, error) {
	if chain == nil || len(chain.Steps) == 0 {
		return nil, fmt.Errorf("%w: a chain of no steps", ErrShape)
	}
	s := chain.Steps[0].CCS
	if s == nil {
		return nil, fmt.Errorf("%w: step 0 has no CCS", ErrShape)
	}
	for i := range chain.Steps[1:] {
		si := chain.Steps[i+1].CCS
		if si == nil {
			return nil, fmt.Errorf("%w: step %d has no CCS", ErrShape, i+1)
		}
		if si != s && si.Digest() != s.Digest() {
			return nil, fmt.Errorf("%w: step %d has another CCS than step 0; a proof folds one structure", ErrShape, i+1)
		}
	}
	return s, nil
}

// stepWitness returns the digits of a step's assignment z, decomp.Embed in
// base b as int8: the canonical MCS witness, whose public columns are the
// ones a verifier rebuilds from x. Embed's digits are those of |z| in base
// b, negated for z < 0 (z read in (−q/2, q/2)); they are computed here on
// the integers, a value's digits stopping at its last nonzero one, instead
// of through the field.
func stepWitness(z []goldilocks.Element, b uint64) ([]int8, error) {
	// b^d, saturated: every magnitude below it has d digits.
	limit := uint64(1)
	for range ring.D {
		hi, lo := bits.Mul64(limit, b)
		if hi != 0 {
			limit = math.MaxUint64
			break
		}
		limit = lo
	}
	out := make([]int8, len(z)*ring.D)
	for j := range z {
		v := ring.Signed(z[j])
		mag := uint64(v)
		if v < 0 {
			mag = uint64(-v)
		}
		if mag >= limit {
			return nil, fmt.Errorf("%w: assignment has no %d digits in base %d: %w", ErrShape, ring.D, b,
				&decomp.RangeError{Index: j, Value: v, Base: b, Digits: ring.D})
		}
		col := out[j*ring.D : (j+1)*ring.D]
		for ρ := 0; mag != 0; ρ++ {
			d := int8(mag % b)
			if v < 0 {
				d = -d
			}
			col[ρ] = d
			mag /= b
		}
	}
	return out, nil
}

// ChainOption configures ProveChain and VerifyChain.
type ChainOption func(*chainConfig)

type chainConfig struct {
	progress func(done, total int)
	stats    *Stats
	planes   int  // digit planes a step's witness may use, when bounded
	bounded  bool // WithDigitPlanes was given
	// stepClaims[i] is folded with step i (WithStepClaims).
	stepClaims []Claim
	withClaims bool
	headerData []goldilocks.Element // bound into H (WithHeaderData)
	// committed[i], witnesses[i] are step i's instance and witness when
	// the caller made them already (WithCommitted).
	committed []MCS
	witnesses []MCSWitness
}

// WithCommitted has ProveChain fold the steps' instances and witnesses the
// caller already made with Prover.Commit, one per step in order, instead of
// committing every step again: a caller whose own protocol absorbs the
// commitments before the folding (fold/ARITH.md §7.4) commits once. Each
// instance's public input must be its step's (else the error wraps
// ErrChain); the commitments are the caller's own and are not recomputed, so
// a wrong one gives a proof the verifier rejects. VerifyChain ignores it.
func WithCommitted(steps []MCS, wits []MCSWitness) ChainOption {
	return func(c *chainConfig) { c.committed, c.witnesses = steps, wits }
}

// commitStep returns step i's instance and witness: the caller's
// (WithCommitted) or p.Commit's.
func (c *chainConfig) commitStep(ctx context.Context, p *Prover, i int, step *ccs.Step) (MCS, MCSWitness, error) {
	if c.committed == nil {
		return p.Commit(ctx, step.Z)
	}
	if !slices.Equal(c.committed[i].X, step.Public) {
		return MCS{}, MCSWitness{}, fmt.Errorf("%w: the committed instance states another public input than the step's", ErrChain)
	}
	return c.committed[i], c.witnesses[i], nil
}

// stepClaim returns the claim step i's fold carries besides the
// accumulator: none, or the one WithStepClaims gave.
func (c *chainConfig) stepClaim(i int) []Claim {
	if !c.withClaims {
		return nil
	}
	return c.stepClaims[i : i+1]
}

// checkStepClaims returns an error unless the step claims, when given, are
// one per step of a chain of n.
func (c *chainConfig) checkStepClaims(n int) error {
	if c.withClaims && len(c.stepClaims) != n {
		return fmt.Errorf("%w: %d step claims for a chain of %d steps", ErrShape, len(c.stepClaims), n)
	}
	return nil
}

func newChainConfig(opts []ChainOption) chainConfig {
	var c chainConfig
	for _, o := range opts {
		o(&c)
	}
	return c
}

// report calls the progress callback, if any, after done of total folds.
func (c *chainConfig) report(done, total int) {
	if c.progress != nil {
		c.progress(done, total)
	}
}

// WithProgress has ProveChain and VerifyChain call fn after each fold, on
// the calling goroutine, with the number of folds done so far (1, 2, …) and
// the chain's length: a long chain takes a while per fold, and a caller
// showing progress has no other way to learn of it. fn runs between folds,
// so a slow fn slows the proof.
func WithProgress(fn func(done, total int)) ChainOption {
	return func(c *chainConfig) { c.progress = fn }
}

// WithStats has ProveChain add the time of each part of every fold, and of
// every step's commitment, to st. VerifyChain ignores it.
func WithStats(st *Stats) ChainOption {
	return func(c *chainConfig) { c.stats = st }
}

// WithDigitPlanes bounds every step's witness to its first planes digit
// planes: |z| < b^planes for every value z (b = 2, planes = 32: below 2^32),
// which a caller whose constraints assume small cells needs in place of
// range checks (fold/ARITH.md §4). ProveChain refuses a step beyond it;
// VerifyChain checks that each fold's evaluations of the step's digit
// matrix, y'_{0,0}[ρ] = Σ_c Z[ρ, c]·eq(r', c), vanish for ρ ≥ planes. The
// folding makes those evaluations true (a false one is a false claim the
// verifier or the decider rejects), and a nonzero digit row has a nonzero
// multilinear extension, which vanishes at the random point r' with
// probability at most ℓ_n/|K|. Both sides must give the same bound; planes
// outside 1…d is an error of the call that takes the option.
func WithDigitPlanes(planes int) ChainOption {
	return func(c *chainConfig) { c.planes, c.bounded = planes, true }
}

// checkPlanes returns an error when cfg's bound is out of range.
func (c *chainConfig) checkPlanes() error {
	if c.bounded && (c.planes < 1 || c.planes > ring.D) {
		return fmt.Errorf("%w: digit-plane bound %d outside 1…%d", ErrShape, c.planes, ring.D)
	}
	return nil
}

// stepPlanes returns an error wrapping ErrDigitPlanes naming the first
// column of the digit matrix Z with a nonzero digit at a plane ≥ planes; 0
// planes bounds nothing.
func stepPlanes(Z []int8, planes int) error {
	if planes == 0 {
		return nil
	}
	for c := 0; c < len(Z)/ring.D; c++ {
		for ρ, δ := range Z[c*ring.D+planes : (c+1)*ring.D] {
			if δ != 0 {
				return fmt.Errorf("%w: value %d has digit %d at plane %d ≥ %d", ErrDigitPlanes, c, δ, planes+ρ, planes)
			}
		}
	}
	return nil
}

// foldPlanes returns an error wrapping ErrDigitPlanes when the fold's
// evaluations of the step's digit matrix (instance 0, the identity j = 0)
// are not zero at every plane ≥ planes; 0 planes bounds nothing.
func foldPlanes(proof *FoldProof, planes int) error {
	if planes == 0 || proof == nil || proof.CCS == nil || len(proof.CCS.Y) == 0 || len(proof.CCS.Y[0]) == 0 {
		return nil // the fold's own checks refuse a proof this short
	}
	y := proof.CCS.Y[0][0]
	for ρ := planes; ρ < len(y); ρ++ {
		if !y[ρ].IsZero() {
			return fmt.Errorf("%w: the step's digit plane %d evaluates to nonzero", ErrDigitPlanes, ρ)
		}
	}
	return nil
}

// checkChainCCS returns chain's one structure (chainCCS), and an error
// wrapping ErrShape when it is not s.
func checkChainCCS(chain *ccs.Chain, s *ccs.CCS) error {
	cs, err := chainCCS(chain)
	if err != nil {
		return err
	}
	if cs != s && cs.Digest() != s.Digest() {
		return fmt.Errorf("%w: the chain's CCS is not the one this key and structure were set up for", ErrShape)
	}
	return nil
}

// ProveChain proves the IVC chain (fold/NEO.md §5.2): it checks every step
// and the links between them (ccs.Chain.Check), then, step by step, commits
// to the step's digits (pp.CommitDigits of decomp.Embed(z) in base b) and
// folds the step into the accumulator of the steps before it. It returns
// the proof, the final accumulator and its witness, which Decide opens.
//
// Every step must have the Prover's CCS, else the error wraps ErrShape. An
// unsatisfied step is refused before anything is folded, with an error
// wrapping ErrUnsatisfied and the *ccs.UnsatisfiedError, naming the step;
// broken links are an error wrapping ccs.ErrLink. ctx is checked between
// steps and inside each fold; a cancelled proof returns ctx's error.
func (p *Prover) ProveChain(ctx context.Context, chain *ccs.Chain, opts ...ChainOption) (*ChainProof, Acc, AccWitness, error) {
	proof, end, err := p.proveChain(ctx, "ProveChain", chain, opts, false)
	if err != nil {
		return nil, Acc{}, AccWitness{}, err
	}
	return proof, end.acc, end.accW, nil
}

// chainEnd is where a chain's proof ends: the final accumulator and its
// witness, or, when the last fold stops after Π_RLC (ProveCombined), the
// combined claim and its witness.
type chainEnd struct {
	acc      Acc
	accW     AccWitness
	combined Claim
	Z        []int32
	// quotients open Z when the last fold combined its step alone, whose
	// commitment made them (MCSWitness.quotients); nil otherwise.
	quotients ajtai.Quotients
}

// proveChain is ProveChain, and with combine ProveCombined, whose errors
// it prefixes with name.
func (p *Prover) proveChain(ctx context.Context, name string, chain *ccs.Chain, opts []ChainOption, combine bool) (*ChainProof, chainEnd, error) {
	fail := func(err error) (*ChainProof, chainEnd, error) {
		return nil, chainEnd{}, fmt.Errorf("neo: %s: %w", name, err)
	}
	if err := checkChainCCS(chain, p.s); err != nil {
		return fail(err)
	}
	if err := chain.Check(); err != nil {
		if errors.Is(err, ccs.ErrUnsatisfied) {
			err = fmt.Errorf("%w: %w", ErrUnsatisfied, err)
		}
		return fail(err)
	}
	cfg := newChainConfig(opts)
	if err := cfg.checkPlanes(); err != nil {
		return fail(err)
	}
	if err := cfg.checkStepClaims(len(chain.Steps)); err != nil {
		return fail(err)
	}
	if cfg.committed != nil && (len(cfg.committed) != len(chain.Steps) || len(cfg.witnesses) != len(chain.Steps)) {
		return fail(fmt.Errorf("%w: %d committed steps and %d witnesses for a chain of %d steps",
			ErrShape, len(cfg.committed), len(cfg.witnesses), len(chain.Steps)))
	}
	header := extendHeader(newHeader(p.pp, p.s, p.dm, chain), cfg.headerData)
	n := len(chain.Steps)
	proof := &ChainProof{Steps: make([]MCS, n), Folds: make([]*FoldProof, n)}
	var end chainEnd
	for i := range chain.Steps {
		step := &chain.Steps[i]
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		stepErr := func(err error) (*ChainProof, chainEnd, error) {
			return fail(fmt.Errorf("step %d (%s): %w", i, step.Instruction, err))
		}
		tm := cfg.stats.timer()
		mcs, wit, err := cfg.commitStep(ctx, p, i, step)
		if err != nil {
			return stepErr(err)
		}
		tm.lap(commitTime)
		if err := stepPlanes(wit.Z, cfg.planes); err != nil {
			return stepErr(err)
		}
		nd := node{header: header, index: uint64(i), stats: cfg.stats}
		if combine && i == n-1 {
			var alone bool
			proof.Folds[i], end.combined, end.Z, alone, err = proveCombinedFold(ctx, p.pp, p.s, nd, end.acc, end.accW, mcs, wit.Z, cfg.stepClaim(i))
			if alone {
				end.quotients = wit.quotients
			}
		} else {
			end.acc, end.accW, proof.Folds[i], err = proveFoldWith(ctx, p.pp, p.s, nd, end.acc, end.accW, mcs, wit.Z, cfg.stepClaim(i))
		}
		if err != nil {
			return stepErr(err)
		}
		proof.Steps[i] = mcs
		cfg.report(i+1, n)
	}
	if combine {
		end.acc, end.accW = Acc{}, AccWitness{}
	}
	return proof, end, nil
}

// ProveChain is (*Prover).ProveChain with a Prover of the chain's CCS under
// pp made for this call alone. Every step must have one CCS, which pp must
// fit, else the error wraps ErrShape.
func ProveChain(ctx context.Context, pp *ajtai.PublicParams, chain *ccs.Chain, opts ...ChainOption) (*ChainProof, Acc, AccWitness, error) {
	s, err := chainCCS(chain)
	if err != nil {
		return nil, Acc{}, AccWitness{}, fmt.Errorf("neo: ProveChain: %w", err)
	}
	p, err := NewProver(pp, s)
	if err != nil {
		return nil, Acc{}, AccWitness{}, fmt.Errorf("neo: ProveChain: %w", err)
	}
	return p.ProveChain(ctx, chain, opts...)
}

// VerifyChain checks proof against chain, of which it reads the structures,
// the spec, y0 and each step's public input, never a witness: the links
// (ccs.Chain.CheckLinks: the constant 1, y_prev of step 0 is y0, y_prev of
// step i is y_step of step i−1), that each step of the proof states the
// chain's public input, every fold in order, and finally decide on the
// final accumulator. It returns the final accumulator.
//
// decide is the decider: for a proof that carries no opening, the caller's
// call of Decide with the final witness. A nil decide is refused, since a
// chain whose final accumulator nobody opens proves nothing.
//
// The errors name the step: ErrShape for a chain of another CCS than the
// Verifier's, ccs.ErrLink for a broken link, ErrChain for a proof of
// another number of steps or another public input, Fold's errors for a
// rejected fold, and decide's error wrapped. ctx is checked between folds;
// a cancelled verification returns ctx's error.
func (v *Verifier) VerifyChain(ctx context.Context, chain *ccs.Chain, proof *ChainProof, decide func(Acc) error, opts ...ChainOption) (Acc, error) {
	if decide == nil {
		return Acc{}, fmt.Errorf("neo: VerifyChain: %w: no decider", ErrShape)
	}
	acc, _, err := v.verifyChain(ctx, "VerifyChain", chain, proof, opts, false)
	if err != nil {
		return Acc{}, err
	}
	if err := decide(acc); err != nil {
		return Acc{}, fmt.Errorf("neo: VerifyChain: decider: %w", err)
	}
	return acc, nil
}

// verifyChain is VerifyChain up to the decider, and with combine the same
// for a proof whose last fold stops after Π_RLC, returning the combined
// claim instead of an accumulator. Its errors are prefixed with name.
func (v *Verifier) verifyChain(ctx context.Context, name string, chain *ccs.Chain, proof *ChainProof, opts []ChainOption, combine bool) (Acc, Claim, error) {
	fail := func(err error) (Acc, Claim, error) {
		return Acc{}, Claim{}, fmt.Errorf("neo: %s: %w", name, err)
	}
	if err := checkChainCCS(chain, v.s); err != nil {
		return fail(err)
	}
	if proof == nil {
		return fail(fmt.Errorf("%w: nil proof", ErrShape))
	}
	n := len(chain.Steps)
	if len(proof.Steps) != n || len(proof.Folds) != n {
		return fail(fmt.Errorf("%w: %d steps and %d folds for a chain of %d steps", ErrChain, len(proof.Steps), len(proof.Folds), n))
	}
	if err := chain.CheckLinks(); err != nil {
		return fail(err)
	}
	for i := range chain.Steps {
		if !slices.Equal(proof.Steps[i].X, chain.Steps[i].Public) {
			return fail(fmt.Errorf("%w: step %d states another public input than the chain's", ErrChain, i))
		}
	}
	cfg := newChainConfig(opts)
	if err := cfg.checkPlanes(); err != nil {
		return fail(err)
	}
	if err := cfg.checkStepClaims(n); err != nil {
		return fail(err)
	}
	header := extendHeader(newHeader(v.pp, v.s, v.dm, chain), cfg.headerData)
	var acc Acc
	var combined Claim
	for i := range chain.Steps {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		if err := foldPlanes(proof.Folds[i], cfg.planes); err != nil {
			return fail(fmt.Errorf("step %d: %w", i, err))
		}
		nd := node{header: header, index: uint64(i)}
		var err error
		if combine && i == n-1 {
			combined, err = verifyCombinedFold(v.pp, v.s, nd, acc, proof.Steps[i], proof.Folds[i], cfg.stepClaim(i))
			acc = Acc{}
		} else {
			acc, err = verifyFoldWith(v.pp, v.s, nd, acc, proof.Steps[i], proof.Folds[i], cfg.stepClaim(i))
		}
		if err != nil {
			return fail(fmt.Errorf("step %d: %w", i, err))
		}
		cfg.report(i+1, n)
	}
	return acc, combined, nil
}

// VerifyChain is (*Verifier).VerifyChain with a Verifier of the chain's CCS
// under pp made for this call alone.
func VerifyChain(ctx context.Context, pp *ajtai.PublicParams, chain *ccs.Chain, proof *ChainProof, decide func(Acc) error, opts ...ChainOption) (Acc, error) {
	if decide == nil {
		return Acc{}, fmt.Errorf("neo: VerifyChain: %w: no decider", ErrShape)
	}
	s, err := chainCCS(chain)
	if err != nil {
		return Acc{}, fmt.Errorf("neo: VerifyChain: %w", err)
	}
	v, err := NewVerifier(pp, s)
	if err != nil {
		return Acc{}, fmt.Errorf("neo: VerifyChain: %w", err)
	}
	return v.VerifyChain(ctx, chain, proof, decide, opts...)
}
