package neo

import (
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

// A step claim is an ME claim on a chain step's own witness, at a point the
// caller chose: the step's fold carries it beside the accumulator, as a
// second point group of Π_CCS, so that the folding (and the decider) make
// it true. It is how an argument outside the folding — a logUp memory
// argument over the whole transaction (fold/ARITH.md §7.3) — gets its
// claims on the committed steps checked without committing anything else.
// A step claim shares the step's instance in Π_CCS (newGroupedStatement's
// onStep): the step's witness is range-checked and evaluated once, and the
// claim adds an Eval term on it, no instance, no output claim and nothing
// to Π_RLC, whose guard is the plain chain's, (k+1)·T·(b−1) < B.

// WithStepClaims has ProveChain fold claims[i] into step i's fold, and
// VerifyChain expect it there: claims[i] must be a claim on step i's
// witness (its C the step's commitment, its X the step's public columns;
// Prover.Claim makes one), one per step. The claims are absorbed into each
// fold's transcript before Π_CCS; their R and Y are the caller's to send
// and check against its own argument.
func WithStepClaims(claims []Claim) ChainOption {
	return func(c *chainConfig) { c.stepClaims, c.withClaims = claims, true }
}

// WithHeaderData has ProveChain and VerifyChain bind data into the header
// H that every fold's transcript starts from, so that each fold depends on
// what the caller's protocol absorbed before it (a transaction transcript's
// digest). Both sides must give the same data.
func WithHeaderData(data []goldilocks.Element) ChainOption {
	return func(c *chainConfig) { c.headerData = slices.Clone(data) }
}

// extendHeader returns H with data bound into it.
func extendHeader(h [4]goldilocks.Element, data []goldilocks.Element) [4]goldilocks.Element {
	if data == nil {
		return h
	}
	tr := transcript.New(headerProtocol)
	tr.AppendField("base", h[:]...)
	tr.AppendField("caller", data...)
	return [4]goldilocks.Element(tr.ChallengeFields("header", 4))
}

// Claim returns the ME claim on the step (mcs, wit) at the point r:
// Y[j] = Z·M_jᵀ·χ_r (Evaluations), C and X the step's. r has ℓ_n
// coordinates.
func (p *Prover) Claim(mcs MCS, wit MCSWitness, r []K) (Claim, error) {
	X, err := publicDigits(mcs.X, p.pp.Params().Base)
	if err != nil {
		return Claim{}, fmt.Errorf("neo: Claim: %w", err)
	}
	Y, err := Evaluations(p.s, wit.Z, r)
	if err != nil {
		return Claim{}, fmt.Errorf("neo: Claim: %w", err)
	}
	return Claim{C: slices.Clone(mcs.C), X: X, R: slices.Clone(r), Y: Y}, nil
}

// publicDigits returns L_x of a step with public input x: its base-b digits,
// column-major, as a claim's X holds them.
func publicDigits(x []goldilocks.Element, b uint64) ([]goldilocks.Element, error) {
	X, err := decomp.Embed(x, b, ring.D)
	if err != nil {
		return nil, fmt.Errorf("%w: x has no %d digits in base %d: %w", ErrPublic, ring.D, b, err)
	}
	return X, nil
}

// checkStepClaim returns an error unless c is a claim on the step mcs: its
// commitment the step's and its public columns the digits of the step's x.
func checkStepClaim(c Claim, mcs MCS, b uint64) error {
	if !slices.Equal(c.C, mcs.C) {
		return fmt.Errorf("%w: the step claim is not on the step's commitment", ErrCommitment)
	}
	X, err := publicDigits(mcs.X, b)
	if err != nil {
		return err
	}
	if !slices.Equal(c.X, X) {
		return fmt.Errorf("%w: the step claim's public columns are not the step's", ErrPublic)
	}
	return nil
}

// absorbStepClaim binds c into a fold's transcript before Π_CCS draws its
// challenges: the claim is the prover's message, chosen before them.
func absorbStepClaim(tr *transcript.Transcript, c Claim) {
	tr.AppendCommitment("step/c", c.C)
	tr.AppendField("step/x", c.X...)
	tr.AppendExt("step/r", c.R...)
	tr.AppendExt("step/y", slices.Concat(c.Y...)...)
}
