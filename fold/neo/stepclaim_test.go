package neo

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/lattice/ajtai"
)

// stepClaims returns, for every step of chain, its claim at one random
// point (Prover.Claim), each checked true against the step's witness.
func stepClaims(t *testing.T, pp *ajtai.PublicParams, p *Prover, chain *ccs.Chain, rng *rand.Rand) []Claim {
	t.Helper()
	ctx := context.Background()
	s := chain.Steps[0].CCS
	r := randomPoint(rng, mle.NumVars(max(s.NumVariables(), s.NumConstraints())))
	claims := make([]Claim, len(chain.Steps))
	for i, st := range chain.Steps {
		mcs, wit, err := p.Commit(ctx, st.Z)
		if err != nil {
			t.Fatal(err)
		}
		if claims[i], err = p.Claim(mcs, wit, r); err != nil {
			t.Fatal(err)
		}
		if err := CheckClaim(ctx, pp, s, int(pp.Params().Base), claims[i], wit.Z); err != nil {
			t.Fatalf("step %d: Prover.Claim made a false claim: %v", i, err)
		}
	}
	return claims
}

// stepClaimChain proves a 3-step chain whose folds each carry a claim on
// their own step at one random point, with header data, and returns the
// proof, the claims, the data and the verification of a proof of the chain
// under given options, its decider included.
func stepClaimChain(t *testing.T) (*ChainProof, []Claim, []goldilocks.Element, func(*ChainProof, ...ChainOption) error) {
	t.Helper()
	ctx := context.Background()
	chain := chainR1CS(t, rand.New(rand.NewPCG(91, 92)), 2, 9, 3)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	p, err := NewProver(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	claims := stepClaims(t, pp, p, chain, rand.New(rand.NewPCG(93, 94)))
	data := []goldilocks.Element{goldilocks.NewElement(7), goldilocks.NewElement(11)}
	proof, _, accW, err := p.ProveChain(ctx, chain, WithStepClaims(claims), WithHeaderData(data))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range proof.Folds {
		// The step claim shares the step's instance: the step, then the
		// accumulator's k claims.
		if want := len(f.Parts) + 1; i > 0 && len(f.CCS.Y) != want {
			t.Fatalf("fold %d folds %d instances, want k+1 = %d", i, len(f.CCS.Y), want)
		}
	}
	v, err := NewVerifier(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	pub := publicOnly(chain)
	verify := func(proof *ChainProof, opts ...ChainOption) error {
		_, err := v.VerifyChain(ctx, pub, proof, decider(pp, s, accW), opts...)
		return err
	}
	return proof, claims, data, verify
}

// TestChainStepClaims folds a claim on each step's own witness into its
// fold and checks that the verifier accepts exactly the claims and header
// data the prover used.
func TestChainStepClaims(t *testing.T) {
	proof, claims, data, verifyChain := stepClaimChain(t)
	if err := verifyChain(proof, WithStepClaims(claims), WithHeaderData(data)); err != nil {
		t.Fatalf("honest proof rejected: %v", err)
	}
	enc := chainBytes(t, proof)
	var back ChainProof
	if err := back.UnmarshalBinary(enc); err != nil {
		t.Fatalf("a chain with step claims does not decode: %v", err)
	}
	if err := verifyChain(&back, WithStepClaims(claims), WithHeaderData(data)); err != nil {
		t.Fatalf("decoded proof rejected: %v", err)
	}
	var one K
	one.SetOne()
	falseY := cloneClaims(claims)
	falseY[1].Y[2][5].Add(&falseY[1].Y[2][5], &one)
	otherC := cloneClaims(claims)
	otherC[2].C = cloneClaims(claims[:1])[0].C
	otherR := cloneClaims(claims)
	otherR[0].R[0].Add(&otherR[0].R[0], &one)
	for _, tc := range []struct {
		name string
		opts []ChainOption
		want error // nil: any rejection
	}{
		{"no step claims", []ChainOption{WithHeaderData(data)}, nil},
		{"no header data", []ChainOption{WithStepClaims(claims)}, nil},
		{"other header data", []ChainOption{WithStepClaims(claims), WithHeaderData(data[:1])}, nil},
		{"a false evaluation", []ChainOption{WithStepClaims(falseY), WithHeaderData(data)}, nil},
		{"another point", []ChainOption{WithStepClaims(otherR), WithHeaderData(data)}, nil},
		{"a claim on another step", []ChainOption{WithStepClaims(otherC), WithHeaderData(data)}, ErrCommitment},
		{"too few claims", []ChainOption{WithStepClaims(claims[:2]), WithHeaderData(data)}, ErrShape},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := verifyChain(proof, tc.opts...)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("got %v, want a rejection (%v)", err, tc.want)
			}
		})
	}
}

// TestProveChainRefusesFalseStepClaim: a prover given a false step claim,
// or one on another step's commitment, refuses to fold it.
func TestProveChainRefusesFalseStepClaim(t *testing.T) {
	ctx := context.Background()
	chain := chainR1CS(t, rand.New(rand.NewPCG(95, 96)), 2, 5, 2)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	p, err := NewProver(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	claims := stepClaims(t, pp, p, chain, rand.New(rand.NewPCG(97, 98)))
	var one K
	one.SetOne()
	falseY := cloneClaims(claims)
	falseY[1].Y[0][0].Add(&falseY[1].Y[0][0], &one)
	if _, _, _, err := p.ProveChain(ctx, chain, WithStepClaims(falseY)); err == nil {
		t.Fatal("a false step claim was folded")
	}
	swapped := []Claim{claims[1], claims[0]}
	if _, _, _, err := p.ProveChain(ctx, chain, WithStepClaims(swapped)); !errors.Is(err, ErrCommitment) {
		t.Fatalf("claims on the other steps: got %v, want ErrCommitment", err)
	}
}
