package neo

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/sumcheck"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/internal/gltest"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/ring"
)

const nightstreamDir = "../../../shared/testdata/nightstream"

// readChain reads a Nightstream chain export from the shared test data.
func readChain(t testing.TB, name string) *ccs.Chain {
	t.Helper()
	f, err := os.Open(filepath.Join(nightstreamDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ccs.ReadChain(f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// chainSetup returns the commitment key for the chain's CCS: the preset
// b = 2, k = 12 at the chain's m, from the fixed test seed.
func chainSetup(t testing.TB, chain *ccs.Chain) *ajtai.PublicParams {
	t.Helper()
	pp, err := ajtaiSetup(chain.Steps[0].CCS.NumVariables())
	if err != nil {
		t.Fatal(err)
	}
	return pp
}

// publicOnly returns the chain a verifier holds: the same structures, spec,
// y0 and public inputs, no assignment.
func publicOnly(c *ccs.Chain) *ccs.Chain {
	out := *c
	out.Steps = make([]ccs.Step, len(c.Steps))
	for i, s := range c.Steps {
		s.Public = clone(s.Public)
		s.Z = nil
		out.Steps[i] = s
	}
	return &out
}

// decider returns the decide function of VerifyChain for the final witness.
func decider(pp *ajtai.PublicParams, s *ccs.CCS, w AccWitness) func(Acc) error {
	return func(acc Acc) error { return Decide(context.Background(), pp, s, acc, w) }
}

// chainR1CS returns a random IVC chain of the given length over one R1CS:
// x = (1, y_prev, y_step) with states of yLen entries, each y_step[k] =
// y_prev[k] + y_prev[k+1 mod yLen] + c_k, and extra rows w_e = (a·x)(b·x)
// with small random coefficients over the constant and y_prev, so every
// value stays far below 2^54 and embeds with b = 2.
func chainR1CS(t testing.TB, rng *rand.Rand, yLen, extra, steps int) *ccs.Chain {
	t.Helper()
	nPub := 1 + 2*yLen
	n := nPub + extra
	small := func() goldilocks.Element {
		var x goldilocks.Element
		x.SetInt64(int64(rng.IntN(5)) - 2)
		return x
	}
	var one goldilocks.Element
	one.SetOne()
	var es [3][]mle.Entry
	cs := make([]goldilocks.Element, yLen)
	for k := range yLen {
		cs[k] = small()
		es[0] = append(es[0], mle.Entry{Row: k, Col: 1 + k, Val: one}, mle.Entry{Row: k, Col: 1 + (k+1)%yLen, Val: one}, mle.Entry{Row: k, Col: 0, Val: cs[k]})
		es[1] = append(es[1], mle.Entry{Row: k, Col: 0, Val: one})
		es[2] = append(es[2], mle.Entry{Row: k, Col: 1 + yLen + k, Val: one})
	}
	type lin []mle.Entry
	var ab [][2]lin
	for e := range extra {
		row := yLen + e
		var pair [2]lin
		for h := range 2 {
			cols := rng.Perm(1 + yLen)[:1+rng.IntN(2)]
			for _, c := range cols {
				pair[h] = append(pair[h], mle.Entry{Row: row, Col: c, Val: small()})
			}
			es[h] = append(es[h], pair[h]...)
		}
		ab = append(ab, pair)
		es[2] = append(es[2], mle.Entry{Row: row, Col: nPub + e, Val: one})
	}
	var ms [3]*mle.Sparse
	for h := range ms {
		var err error
		if ms[h], err = mle.NewSparse(yLen+extra, n, es[h]); err != nil {
			t.Fatal(err)
		}
	}
	s, err := ccs.FromR1CS(ms[0], ms[1], ms[2], nPub)
	if err != nil {
		t.Fatal(err)
	}

	spec := ccs.StepSpec{YLen: yLen, Const1: 0}
	for k := range yLen {
		spec.YPrev = append(spec.YPrev, 1+k)
		spec.YStep = append(spec.YStep, 1+yLen+k)
	}
	chain := &ccs.Chain{Name: "random", Spec: spec, Y0: make([]goldilocks.Element, yLen)}
	for k := range chain.Y0 {
		chain.Y0[k].SetInt64(int64(rng.IntN(7)) - 3)
	}
	y := chain.Y0
	dot := func(l lin, z []goldilocks.Element) goldilocks.Element {
		var acc, p goldilocks.Element
		for _, e := range l {
			p.Mul(&e.Val, &z[e.Col])
			acc.Add(&acc, &p)
		}
		return acc
	}
	for i := range steps {
		z := make([]goldilocks.Element, n)
		z[0].SetOne()
		copy(z[1:], y)
		for k := range yLen {
			z[1+yLen+k].Add(&y[k], &y[(k+1)%yLen]).Add(&z[1+yLen+k], &cs[k])
		}
		for e, pair := range ab {
			a, b := dot(pair[0], z), dot(pair[1], z)
			z[nPub+e].Mul(&a, &b)
		}
		chain.Steps = append(chain.Steps, ccs.Step{Index: i, Instruction: "random", CCS: s, Public: clone(z[:nPub]), Z: z})
		y = clone(z[1+yLen : nPub])
	}
	if err := chain.Check(); err != nil {
		t.Fatal(err)
	}
	return chain
}

func TestChainNightstreamValid(t *testing.T) {
	ctx := context.Background()
	chain := readChain(t, "test_starstream_tx_export_valid.json")
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	proof, acc, accW, err := ProveChain(ctx, pp, chain)
	if err != nil {
		t.Fatal(err)
	}
	if err := Decide(ctx, pp, s, acc, accW); err != nil {
		t.Fatalf("decider refuses the prover's accumulator: %v", err)
	}
	got, err := VerifyChain(context.Background(), pp, publicOnly(chain), proof, decider(pp, s, accW))
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest != acc.Digest {
		t.Fatal("verifier's final digest differs from the prover's")
	}
	if _, err := VerifyChain(context.Background(), pp, publicOnly(chain), proof, nil); !errors.Is(err, ErrShape) {
		t.Fatalf("no decider: got %v, want ErrShape", err)
	}
	// The decider is what opens the accumulator: a witness for another
	// accumulator is refused.
	other := AccWitness{Z: clone(accW.Z)}
	other.Z[0], other.Z[1] = other.Z[1], other.Z[0]
	if _, err := VerifyChain(context.Background(), pp, publicOnly(chain), proof, decider(pp, s, other)); !errors.Is(err, ErrCommitment) {
		t.Fatalf("swapped final witnesses: got %v, want ErrCommitment", err)
	}
}

func TestChainNightstreamInvalid(t *testing.T) {
	ctx := context.Background()
	chain := readChain(t, "test_starstream_tx_export_invalid.json")
	if err := chain.CheckLinks(); err != nil {
		t.Fatalf("the invalid chain's links should hold: %v", err)
	}
	pp := chainSetup(t, chain)
	_, _, _, err := ProveChain(ctx, pp, chain)
	var unsat *ccs.UnsatisfiedError
	if !errors.Is(err, ErrUnsatisfied) || !errors.As(err, &unsat) || !strings.Contains(err.Error(), "step 2") {
		t.Fatalf("got %v, want step 2 refused as unsatisfied", err)
	}

	// Forced past the check, with a Π_CCS prover that claims the sum its
	// false witness gives instead of the one the verifier computes.
	proof, _, _ := forceChain(t, pp, chain, 2, sameWitness, cheatCCS)
	_, err = VerifyChain(context.Background(), pp, publicOnly(chain), proof, func(Acc) error { return nil })
	if !errors.Is(err, sumcheck.ErrReject) || !strings.Contains(err.Error(), "step 2") {
		t.Fatalf("forced proof with a false claimed sum: got %v, want step 2 rejected by the sum-check", err)
	}
	// Forced with a satisfying witness (all zeros, committed) in place of
	// the step's, stated with the step's public input, and an honest Π_CCS:
	// only the public columns X_0 = Embed(x) tie x to the witness.
	// The prover's accumulator is about the zero witness throughout, so it
	// is the verifier's Π_DEC, recomposing X from the parts, that refuses.
	proof, _, accW := forceChain(t, pp, chain, 2, zeroWitness, proveCCS)
	_, err = VerifyChain(context.Background(), pp, publicOnly(chain), proof, decider(pp, chain.Steps[0].CCS, accW))
	if !errors.Is(err, ErrPublic) || !strings.Contains(err.Error(), "step 2") {
		t.Fatalf("forced proof about another witness: got %v, want step 2 rejected on X", err)
	}
}

// ccsProver is a Π_CCS prover: ProveCCS's arguments after the witness
// checks, as proveCCS takes them.
type ccsProver func(ctx context.Context, tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, carried []Claim, Zs [][]int8) ([]Claim, *CCSProof, error)

// forceChain proves chain as ProveChain does but without checking it, and
// with the step bad folded with the witness forge makes of its own, and
// proved by prove instead of ProveCCS.
func forceChain(t testing.TB, pp *ajtai.PublicParams, chain *ccs.Chain, bad int, forge func([]int8) []int8, prove ccsProver) (*ChainProof, Acc, AccWitness) {
	t.Helper()
	ctx := context.Background()
	s := chain.Steps[0].CCS
	dm, err := dimsOf(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	header := newHeader(pp, s, dm, chain)
	proof := &ChainProof{}
	var acc Acc
	var accW AccWitness
	for i, step := range chain.Steps {
		Z, err := stepWitness(step.Z, pp.Params().Base)
		if err != nil {
			t.Fatal(err)
		}
		if i == bad {
			Z = forge(Z)
		}
		mcs := MCS{C: commitDigits(t, pp, Z), X: clone(step.Public)}
		nd := node{header: header, index: uint64(i)}
		var fp *FoldProof
		if i != bad {
			acc, accW, fp, err = proveFold(ctx, pp, s, nd, acc, accW, mcs, Z)
		} else {
			tr := nd.start(acc)
			var claims []Claim
			var cp *CCSProof
			claims, cp, err = prove(ctx, tr, pp, s, mcs, acc.Claims, append([][]int8{Z}, accW.Z...))
			if err != nil {
				t.Fatal(err)
			}
			var parts []Claim
			acc, accW, parts, err = finishFold(ctx, tr, pp, s, claims, append([][]int8{Z}, accW.Z...), &timer{})
			fp = &FoldProof{CCS: cp, Parts: parts}
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		proof.Steps = append(proof.Steps, mcs)
		proof.Folds = append(proof.Folds, fp)
	}
	return proof, acc, accW
}

// cheatCCS is proveCCS with the claimed sum replaced by the one the witness
// gives, s_0(0) + s_0(1): for a false witness the only way past the
// prover's own round-0 check.
func cheatCCS(ctx context.Context, tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, carried []Claim, Zs [][]int8) ([]Claim, *CCSProof, error) {
	st, err := newCCSStatement(tr, pp, s, mcs, carried)
	if err != nil {
		return nil, nil, err
	}
	ph, err := newPhase1(st, s, Zs, magnitude(Zs))
	if err != nil {
		return nil, nil, err
	}
	s0 := make([]K, st.degree+1)
	if err := ph.round(ctx, 0, nil, s0); err != nil {
		return nil, nil, err
	}
	honest := st.claim
	if st.claim.Add(&s0[0], &s0[1]); st.claim == honest {
		return nil, nil, errors.New("cheatCCS: the witness gives the honest sum")
	}
	rounds, alphaP, c1, err := sumcheck.ProveRounds(ctx, tr, st.claim, st.degree, digitVars, ph.round)
	if err != nil {
		return nil, nil, err
	}
	tables, err := ph.phase2Tables(s, alphaP, carried)
	if err != nil {
		return nil, nil, err
	}
	proof2, rP, err := sumcheck.Prove(ctx, tr, c1, st.g, tables)
	if err != nil {
		return nil, nil, err
	}
	vs, err := ColumnWeights(s, rP)
	if err != nil {
		return nil, nil, err
	}
	ys, err := mulDigits(Zs, vs, magnitude(Zs))
	if err != nil {
		return nil, nil, err
	}
	absorbOutputs(tr, ys)
	return st.outputs(mcs, carried, rP, ys), &CCSProof{Rounds: rounds, Sumcheck: proof2, Y: ys}, nil
}

// zeroWitness returns the all-zero witness, which satisfies every R1CS.
func zeroWitness(Z []int8) []int8 { return make([]int8, len(Z)) }

// sameWitness returns Z.
func sameWitness(Z []int8) []int8 { return Z }

func TestChainRandom(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(21, 22))
	// Every length up to 8, the longest of issue 7's range (64) and
	// random ones in between.
	lengths := []int{1, 2, 3, 4, 5, 6, 7, 8, 64, 9 + rng.IntN(55), 9 + rng.IntN(55)}
	if testing.Short() {
		lengths = []int{1, 2, 5, 9 + rng.IntN(56)}
	}
	for _, steps := range lengths {
		chain := chainR1CS(t, rng, 1+rng.IntN(3), 2+rng.IntN(12), steps)
		pp := chainSetup(t, chain)
		if steps > 8 {
			// The state grows like a Fibonacci sequence and leaves the
			// 54 binary digits after a few dozen steps; base 3 holds
			// every field element.
			var err error
			if pp, err = ajtai.Setup(ctx, ajtai.GoldilocksTernary(chain.Steps[0].CCS.NumVariables()), relSeed()); err != nil {
				t.Fatal(err)
			}
		}
		s := chain.Steps[0].CCS
		proof, acc, accW, err := ProveChain(ctx, pp, chain)
		if err != nil {
			t.Fatalf("%d steps: %v", steps, err)
		}
		if len(acc.Claims) != pp.Params().K || len(accW.Z) != pp.Params().K {
			t.Fatalf("%d steps: accumulator of %d claims, %d witnesses, want k = %d", steps, len(acc.Claims), len(accW.Z), pp.Params().K)
		}
		if _, err := VerifyChain(context.Background(), pp, publicOnly(chain), proof, decider(pp, s, accW)); err != nil {
			t.Fatalf("%d steps: %v", steps, err)
		}
	}
}

// copyChainProof returns a copy of p that shares no slice with it.
func copyChainProof(p *ChainProof) *ChainProof {
	out := &ChainProof{Steps: make([]MCS, len(p.Steps)), Folds: make([]*FoldProof, len(p.Folds))}
	for i, st := range p.Steps {
		out.Steps[i] = MCS{C: clone(st.C), X: clone(st.X)}
	}
	for i, f := range p.Folds {
		out.Folds[i] = &FoldProof{CCS: deepCopyProof(f.CCS), Parts: cloneClaims(f.Parts)}
	}
	return out
}

func TestChainRejects(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	chain := chainR1CS(t, rng, 2, 5, 4)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	proof, _, accW, err := ProveChain(context.Background(), pp, chain)
	if err != nil {
		t.Fatal(err)
	}
	one := new(goldilocks.Element).SetOne()
	spec := chain.Spec
	for _, tc := range []struct {
		name   string
		tamper func(p *ChainProof, c *ccs.Chain)
		want   error
	}{
		{"part commitment", func(p *ChainProof, _ *ccs.Chain) {
			p.Folds[1].Parts[3].C[0][5].Add(&p.Folds[1].Parts[3].C[0][5], one)
		}, ErrCommitment},
		{"last part commitment of the last fold", func(p *ChainProof, _ *ccs.Chain) {
			last := p.Folds[3].Parts[len(p.Folds[3].Parts)-1]
			last.C[2][0].Add(&last.C[2][0], one)
		}, ErrCommitment},
		{"part X", func(p *ChainProof, _ *ccs.Chain) {
			p.Folds[2].Parts[0].X[1].Add(&p.Folds[2].Parts[0].X[1], one)
		}, ErrPublic},
		{"part Y", func(p *ChainProof, _ *ccs.Chain) {
			p.Folds[0].Parts[2].Y[1][4].A1.Add(&p.Folds[0].Parts[2].Y[1][4].A1, one)
		}, ErrEvaluation},
		{"y' of the MCS", func(p *ChainProof, _ *ccs.Chain) {
			p.Folds[1].CCS.Y[0][2][7].A0.Add(&p.Folds[1].CCS.Y[0][2][7].A0, one)
		}, sumcheck.ErrReject},
		{"y' of a carried claim", func(p *ChainProof, _ *ccs.Chain) {
			p.Folds[2].CCS.Y[5][0][0].A0.Add(&p.Folds[2].CCS.Y[5][0][0].A0, one)
		}, sumcheck.ErrReject},
		{"phase-1 round", func(p *ChainProof, _ *ccs.Chain) {
			p.Folds[3].CCS.Rounds[2][1].A0.Add(&p.Folds[3].CCS.Rounds[2][1].A0, one)
		}, sumcheck.ErrReject},
		{"MCS commitment", func(p *ChainProof, _ *ccs.Chain) {
			p.Steps[2].C[1][3].Add(&p.Steps[2].C[1][3], one)
		}, sumcheck.ErrReject},
		{"MCS X", func(p *ChainProof, _ *ccs.Chain) {
			p.Steps[1].X[2].Add(&p.Steps[1].X[2], one)
		}, ErrChain},
		{"public input of the last step, in proof and chain", func(p *ChainProof, c *ccs.Chain) {
			x := &p.Steps[3].X[spec.YStep[0]]
			x.Add(x, one)
			c.Steps[3].Public[spec.YStep[0]] = *x
		}, sumcheck.ErrReject},
		{"two folds swapped", func(p *ChainProof, _ *ccs.Chain) {
			p.Folds[1], p.Folds[2] = p.Folds[2], p.Folds[1]
		}, sumcheck.ErrReject},
		{"two steps swapped", func(p *ChainProof, _ *ccs.Chain) {
			p.Steps[1], p.Steps[2] = p.Steps[2], p.Steps[1]
			p.Folds[1], p.Folds[2] = p.Folds[2], p.Folds[1]
		}, ErrChain},
		{"two steps swapped in the chain too", func(p *ChainProof, c *ccs.Chain) {
			p.Steps[1], p.Steps[2] = p.Steps[2], p.Steps[1]
			p.Folds[1], p.Folds[2] = p.Folds[2], p.Folds[1]
			c.Steps[1], c.Steps[2] = c.Steps[2], c.Steps[1]
		}, ccs.ErrLink},
		{"y_prev not the previous y_step", func(p *ChainProof, c *ccs.Chain) {
			x := &p.Steps[2].X[spec.YPrev[1]]
			x.Add(x, one)
			c.Steps[2].Public[spec.YPrev[1]] = *x
		}, ccs.ErrLink},
		{"y_prev of step 0 not y0", func(p *ChainProof, c *ccs.Chain) {
			c.Y0 = clone(c.Y0)
			c.Y0[0].Add(&c.Y0[0], one)
		}, ccs.ErrLink},
		{"constant slot", func(p *ChainProof, c *ccs.Chain) {
			p.Steps[1].X[spec.Const1].SetUint64(2)
			c.Steps[1].Public[spec.Const1].SetUint64(2)
		}, ccs.ErrLink},
		{"a step dropped", func(p *ChainProof, _ *ccs.Chain) {
			p.Steps, p.Folds = p.Steps[:3], p.Folds[:3]
		}, ErrChain},
		{"a part missing", func(p *ChainProof, _ *ccs.Chain) {
			p.Folds[1].Parts = p.Folds[1].Parts[:len(p.Folds[1].Parts)-1]
		}, ErrShape},
		{"no Π_CCS proof", func(p *ChainProof, _ *ccs.Chain) {
			p.Folds[1].CCS = nil
		}, sumcheck.ErrReject},
		{"no fold proof", func(p *ChainProof, _ *ccs.Chain) {
			p.Folds[0] = nil
		}, ErrShape},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, c := copyChainProof(proof), publicOnly(chain)
			tc.tamper(p, c)
			_, err := VerifyChain(context.Background(), pp, c, p, decider(pp, s, accW))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	// The untouched proof still verifies: the copies share nothing with it.
	if _, err := VerifyChain(context.Background(), pp, publicOnly(chain), proof, decider(pp, s, accW)); err != nil {
		t.Fatal(err)
	}
}

func TestFold(t *testing.T) {
	ctx := context.Background()
	for _, tc := range relCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			mcs, wit := honestMCS(t, tc)
			var acc, vacc Acc
			var accW AccWitness
			for i := range 3 {
				var proof *FoldProof
				var err error
				if acc, accW, proof, err = Fold(ctx, tc.pp, tc.s, acc, accW, mcs, wit); err != nil {
					t.Fatalf("fold %d: %v", i, err)
				}
				if vacc, err = VerifyFold(tc.pp, tc.s, vacc, mcs, proof); err != nil {
					t.Fatalf("fold %d: %v", i, err)
				}
				if vacc.Digest != acc.Digest {
					t.Fatalf("fold %d: digests differ", i)
				}
			}
			if err := Decide(ctx, tc.pp, tc.s, vacc, accW); err != nil {
				t.Fatal(err)
			}

			// An unsatisfied step is refused, naming the constraint.
			z := clone(tc.z)
			z[tc.outBase].Add(&z[tc.outBase], new(goldilocks.Element).SetOne())
			bad := embed(t, z, tc.pp.Params().Base)
			_, _, _, err := Fold(ctx, tc.pp, tc.s, acc, accW, MCS{C: commitDigits(t, tc.pp, bad), X: mcs.X}, MCSWitness{Z: bad})
			var unsat *ccs.UnsatisfiedError
			if !errors.Is(err, ErrUnsatisfied) || !errors.As(err, &unsat) {
				t.Fatalf("unsatisfied step: got %v", err)
			}
			// A step whose commitment is not its witness's.
			if _, _, _, err := Fold(ctx, tc.pp, tc.s, acc, accW, MCS{C: acc.Claims[0].C, X: mcs.X}, wit); !errors.Is(err, ErrCommitment) {
				t.Fatalf("wrong step commitment: got %v, want ErrCommitment", err)
			}
		})
	}
}

func TestFoldBadInputs(t *testing.T) {
	ctx := context.Background()
	tc := relCases(t)[0]
	mcs, wit := honestMCS(t, tc)
	acc, accW, proof, err := Fold(ctx, tc.pp, tc.s, Acc{}, AccWitness{}, mcs, wit)
	if err != nil {
		t.Fatal(err)
	}
	short := Acc{Claims: acc.Claims[:3], Digest: acc.Digest}
	for _, c := range []struct {
		name string
		acc  Acc
		accW AccWitness
	}{
		{"empty accumulator with a digest", Acc{Digest: acc.Digest}, AccWitness{}},
		{"accumulator of 3 claims", short, AccWitness{Z: accW.Z[:3]}},
		{"witness count", acc, AccWitness{Z: accW.Z[:5]}},
	} {
		if _, _, _, err := Fold(ctx, tc.pp, tc.s, c.acc, c.accW, mcs, wit); !errors.Is(err, ErrShape) {
			t.Errorf("prover, %s: got %v, want ErrShape", c.name, err)
		}
		if c.name != "witness count" {
			if _, err := VerifyFold(tc.pp, tc.s, c.acc, mcs, proof); !errors.Is(err, ErrShape) {
				t.Errorf("verifier, %s: got %v, want ErrShape", c.name, err)
			}
		}
	}
	if _, _, _, err := Fold(ctx, nil, tc.s, Acc{}, AccWitness{}, mcs, wit); !errors.Is(err, ErrShape) {
		t.Errorf("nil key: got %v", err)
	}
	if _, err := VerifyFold(tc.pp, tc.s, Acc{}, mcs, nil); !errors.Is(err, ErrShape) {
		t.Errorf("nil proof: got %v", err)
	}
	// A proof for the first fold does not verify as a later one.
	if _, err := VerifyFold(tc.pp, tc.s, acc, mcs, proof); err == nil {
		t.Error("first fold's proof accepted against a full accumulator")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, _, err := Fold(cancelled, tc.pp, tc.s, acc, accW, mcs, wit); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	chain := chainR1CS(t, rand.New(rand.NewPCG(1, 1)), 1, 2, 2)
	if _, _, _, err := ProveChain(cancelled, chainSetup(t, chain), chain); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled chain: got %v", err)
	}
	if _, _, _, err := ProveChain(ctx, tc.pp, &ccs.Chain{}); !errors.Is(err, ErrShape) {
		t.Errorf("empty chain: got %v", err)
	}
	// A commitment key for another m.
	if _, _, _, err := ProveChain(ctx, tc.pp, chain); !errors.Is(err, ErrShape) {
		t.Errorf("key for another m: got %v", err)
	}
	// Two structures in one chain.
	other := chainR1CS(t, rand.New(rand.NewPCG(2, 2)), 1, 2, 1)
	mixed := *chain
	mixed.Steps = append(clone(chain.Steps), other.Steps[0])
	if _, _, _, err := ProveChain(ctx, chainSetup(t, chain), &mixed); !errors.Is(err, ErrShape) {
		t.Errorf("two structures: got %v", err)
	}
}

// foldProofBytes is the size of p as NEO.md §5.4 sends it: K values of 16
// bytes, commitments of κ·d field elements of 8 bytes, X digits of one byte;
// the parts' R is the verifier's own point and is not sent.
func foldProofBytes(p *FoldProof) int {
	const k, f = 16, 8
	n := 0
	for _, r := range p.CCS.Rounds {
		n += k * len(r)
	}
	for _, r := range p.CCS.Sumcheck.Rounds {
		n += k * len(r)
	}
	n += k * len(p.CCS.Sumcheck.Evals)
	for _, y := range p.CCS.Y {
		for _, v := range y {
			n += k * len(v)
		}
	}
	for _, part := range p.Parts {
		n += f * ring.D * len(part.C)
		n += len(part.X)
		for _, v := range part.Y {
			n += k * len(v)
		}
	}
	return n
}

// BenchmarkFold measures one fold of a full accumulator (k = 12 carried
// claims) for random R1CS steps of about 2^logN constraints and columns.
func BenchmarkFold(b *testing.B) {
	ctx := context.Background()
	for _, logN := range []int{10, 12, 14, 16} {
		b.Run(fmt.Sprintf("log%d", logN), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(3, 4))
			chain := chainR1CS(b, rng, 3, 1<<logN-7, 2)
			pp := chainSetup(b, chain)
			s := chain.Steps[0].CCS
			proof, _, _, err := ProveChain(ctx, pp, chain)
			if err != nil {
				b.Fatal(err)
			}
			dm, err := dimsOf(pp, s)
			if err != nil {
				b.Fatal(err)
			}
			nd := node{header: newHeader(pp, s, dm, chain), index: 1}
			// The accumulator after step 0, and step 1 to fold into it.
			first := nd
			first.index = 0
			Z0, _ := stepWitness(chain.Steps[0].Z, pp.Params().Base)
			acc, accW, _, err := proveFold(ctx, pp, s, first, Acc{}, AccWitness{}, proof.Steps[0], Z0)
			if err != nil {
				b.Fatal(err)
			}
			Z1, _ := stepWitness(chain.Steps[1].Z, pp.Params().Base)
			// The chain's own fold of step 1 is the one prove remakes, so
			// verify runs without prove.
			fp := proof.Folds[1]
			gltest.EachBackend(b, func(be accel.Backend) {
				b.Run(be.String()+"/prove", func(b *testing.B) {
					var st Stats
					at := nd
					at.stats = &st
					for b.Loop() {
						if _, _, fp, err = proveFold(ctx, pp, s, at, acc, accW, proof.Steps[1], Z1); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.N*s.NumConstraints())/b.Elapsed().Seconds(), "constraints/s")
					b.ReportMetric(float64(foldProofBytes(fp)), "bytes/fold")
					// The step's own commitment is the caller's; Stats counts Π_DEC's.
					for name, d := range map[string]time.Duration{"commit": st.Commit, "ccs": st.CCS, "rlc": st.RLC, "dec": st.Decompose} {
						b.ReportMetric(100*d.Seconds()/st.Total().Seconds(), name+"%")
					}
				})
				// The same fold carrying a claim on its own step
				// (WithStepClaims), as a transaction's steps fold
				// (fold/ARITH.md §7.3): k+2 claims on k+1 witnesses.
				b.Run(be.String()+"/prove+claim", func(b *testing.B) {
					p, err := NewProver(pp, s)
					if err != nil {
						b.Fatal(err)
					}
					r := randomPoint(rand.New(rand.NewPCG(5, 6)), dm.ell)
					claim, err := p.Claim(proof.Steps[1], MCSWitness{Z: Z1}, r)
					if err != nil {
						b.Fatal(err)
					}
					for b.Loop() {
						if _, _, _, err = proveFoldWith(ctx, pp, s, nd, acc, accW, proof.Steps[1], Z1, []Claim{claim}); err != nil {
							b.Fatal(err)
						}
					}
				})
				b.Run(be.String()+"/verify", func(b *testing.B) {
					for b.Loop() {
						if _, err := verifyFold(pp, s, nd, acc, proof.Steps[1], fp); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "folds/s")
				})
				b.Run(be.String()+"/decide", func(b *testing.B) {
					for b.Loop() {
						if err := Decide(ctx, pp, s, acc, accW); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
				})
			})
		})
	}
}

// chainBytes returns the encoding of p, to compare two proofs whole.
func chainBytes(t testing.TB, p *ChainProof) []byte {
	t.Helper()
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestChainProgress(t *testing.T) {
	ctx := context.Background()
	const steps = 4
	chain := chainR1CS(t, rand.New(rand.NewPCG(5, 6)), 2, 3, steps)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	for _, tc := range []struct {
		name string
		run  func(opt ChainOption) error
	}{
		{"prove", func(opt ChainOption) error {
			_, _, _, err := ProveChain(ctx, pp, chain, opt)
			return err
		}},
		{"verify", func(opt ChainOption) error {
			proof, _, accW, err := ProveChain(ctx, pp, chain)
			if err != nil {
				return err
			}
			_, err = VerifyChain(context.Background(), pp, publicOnly(chain), proof, decider(pp, s, accW), opt)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			err := tc.run(WithProgress(func(done, total int) {
				if total != steps {
					t.Errorf("total %d, want %d", total, steps)
				}
				got = append(got, done)
			}))
			if err != nil {
				t.Fatal(err)
			}
			if want := []int{1, 2, 3, 4}; !slices.Equal(got, want) {
				t.Fatalf("progress reported %v, want %v", got, want)
			}
		})
	}
}

// TestChainStats proves a chain with WithStats and expects every fold
// counted, every part timed, and the same proof as without it.
func TestChainStats(t *testing.T) {
	ctx := context.Background()
	const steps = 3
	chain := chainR1CS(t, rand.New(rand.NewPCG(15, 16)), 2, 40, steps)
	pp := chainSetup(t, chain)
	var st Stats
	proof, _, _, err := ProveChain(ctx, pp, chain, WithStats(&st))
	if err != nil {
		t.Fatal(err)
	}
	if st.Folds != steps {
		t.Errorf("Stats.Folds = %d, want %d", st.Folds, steps)
	}
	for name, d := range map[string]time.Duration{"Commit": st.Commit, "CCS": st.CCS, "RLC": st.RLC, "Decompose": st.Decompose} {
		if d <= 0 {
			t.Errorf("Stats.%s = %v, want a positive time", name, d)
		}
	}
	if st.Total() != st.Commit+st.CCS+st.RLC+st.Decompose {
		t.Errorf("Total %v is not the sum of the parts", st.Total())
	}
	plain, _, _, err := ProveChain(ctx, pp, chain)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(chainBytes(t, proof), chainBytes(t, plain)) {
		t.Error("WithStats changed the proof")
	}
}

// TestChainCancelBetweenFolds cancels from the progress callback, so the
// cancellation lands between two folds, and expects ctx's error naming no
// later fold.
func TestChainCancelBetweenFolds(t *testing.T) {
	chain := chainR1CS(t, rand.New(rand.NewPCG(7, 8)), 1, 2, 3)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	proof, _, accW, err := ProveChain(context.Background(), pp, chain)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		run  func(ctx context.Context, opt ChainOption) error
	}{
		{"prove", func(ctx context.Context, opt ChainOption) error {
			_, _, _, err := ProveChain(ctx, pp, chain, opt)
			return err
		}},
		{"verify", func(ctx context.Context, opt ChainOption) error {
			_, err := v.VerifyChain(ctx, publicOnly(chain), proof, decider(pp, s, accW), opt)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			calls := 0
			err := tc.run(ctx, WithProgress(func(done, _ int) {
				calls++
				if done == 1 {
					cancel()
				}
			}))
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want context.Canceled", err)
			}
			if calls != 1 {
				t.Fatalf("%d folds reported after cancelling at the first, want 1", calls)
			}
		})
	}
}

// TestProverReuse checks that one Prover and one Verifier serve several
// chains, one after the other and from two goroutines at once, with the
// proofs and accumulators of the one-shot functions.
func TestProverReuse(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(9, 10))
	const yLen = 2
	a := chainR1CS(t, rng, yLen, 3, 3)
	// b is a's tail: its structure, another y0 and other steps.
	b := *a
	b.Y0 = clone(a.Steps[0].Public[1+yLen:])
	b.Steps = clone(a.Steps[1:])
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
	pp := chainSetup(t, a)
	s := a.Steps[0].CCS
	p, err := NewProver(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	chains := []*ccs.Chain{a, &b, a}
	want := make([][]byte, len(chains))
	wantAcc := make([][4]goldilocks.Element, len(chains))
	for i, c := range chains {
		proof, acc, _, err := ProveChain(ctx, pp, c)
		if err != nil {
			t.Fatal(err)
		}
		want[i], wantAcc[i] = chainBytes(t, proof), acc.Digest
	}
	check := func(i int) error {
		proof, acc, accW, err := p.ProveChain(ctx, chains[i])
		if err != nil {
			return err
		}
		if got := chainBytes(t, proof); !slices.Equal(got, want[i]) || acc.Digest != wantAcc[i] {
			return fmt.Errorf("chain %d: the Prover's proof differs from ProveChain's", i)
		}
		vacc, err := v.VerifyChain(ctx, publicOnly(chains[i]), proof, decider(pp, s, accW))
		if err != nil {
			return fmt.Errorf("chain %d: %w", i, err)
		}
		if vacc.Digest != acc.Digest {
			return fmt.Errorf("chain %d: verifier's final digest differs from the prover's", i)
		}
		return nil
	}
	for i := range chains {
		if err := check(i); err != nil {
			t.Fatal(err)
		}
	}
	errs := make([]error, len(chains))
	var wg sync.WaitGroup
	for i := range chains {
		wg.Go(func() { errs[i] = check(i) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}

	// A Prover's Fold is Fold's.
	Z, err := stepWitness(a.Steps[0].Z, pp.Params().Base)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := pp.CommitDigits(ctx, [][]int8{Z})
	if err != nil {
		t.Fatal(err)
	}
	mcs := MCS{C: cs[0], X: clone(a.Steps[0].Public)}
	acc1, _, fp1, err := Fold(ctx, pp, s, Acc{}, AccWitness{}, mcs, MCSWitness{Z: Z})
	if err != nil {
		t.Fatal(err)
	}
	acc2, _, fp2, err := p.Fold(ctx, Acc{}, AccWitness{}, mcs, MCSWitness{Z: Z})
	if err != nil {
		t.Fatal(err)
	}
	if acc1.Digest != acc2.Digest {
		t.Fatal("the Prover's Fold differs from Fold")
	}
	if _, err := v.Fold(Acc{}, mcs, fp1); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyFold(pp, s, Acc{}, mcs, fp2); err != nil {
		t.Fatal(err)
	}

	// A chain of another structure is not the Prover's.
	other := chainR1CS(t, rand.New(rand.NewPCG(11, 12)), 2, 3, 1)
	if _, _, _, err := p.ProveChain(ctx, other); !errors.Is(err, ErrShape) {
		t.Fatalf("another CCS: got %v, want ErrShape", err)
	}
	if _, err := v.VerifyChain(ctx, publicOnly(other), &ChainProof{}, func(Acc) error { return nil }); !errors.Is(err, ErrShape) {
		t.Fatalf("verifier, another CCS: got %v, want ErrShape", err)
	}
	if _, err := NewProver(nil, s); !errors.Is(err, ErrShape) {
		t.Fatalf("nil key: got %v", err)
	}
	if _, err := NewVerifier(pp, nil); !errors.Is(err, ErrShape) {
		t.Fatalf("nil CCS: got %v", err)
	}
}

// TestProverCommit checks that Commit makes an instance CheckMCS accepts,
// the one ProveChain commits to, and refuses assignments it cannot embed.
func TestProverCommit(t *testing.T) {
	ctx := context.Background()
	chain := chainR1CS(t, rand.New(rand.NewPCG(17, 18)), 2, 5, 2)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	p, err := NewProver(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	proof, _, _, err := p.ProveChain(ctx, chain)
	if err != nil {
		t.Fatal(err)
	}
	for i, step := range chain.Steps {
		mcs, wit, err := p.Commit(ctx, step.Z)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckMCS(ctx, pp, s, mcs, wit); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if fmt.Sprint(mcs) != fmt.Sprint(proof.Steps[i]) {
			t.Fatalf("step %d: Commit's instance differs from ProveChain's", i)
		}
	}
	big := slices.Clone(chain.Steps[0].Z)
	big[len(big)-1].SetUint64(1 << 60)
	for name, z := range map[string][]goldilocks.Element{
		"short":             chain.Steps[0].Z[1:],
		"beyond 2^54 (b=2)": big,
	} {
		if _, _, err := p.Commit(ctx, z); !errors.Is(err, ErrShape) {
			t.Errorf("%s: err = %v, want ErrShape", name, err)
		}
	}
}

// TestChainDigitPlanes bounds a chain's witness values to their first
// planes digit planes: an honest chain within the bound proves and
// verifies; a step beyond it is refused by the prover, and its proof (made
// without the bound) is rejected by the verifier naming the step, also when
// the forger zeroes the telling evaluations, which the folding then
// catches; bounds out of range are refused.
func TestChainDigitPlanes(t *testing.T) {
	ctx := context.Background()
	chain := chainR1CS(t, rand.New(rand.NewPCG(81, 82)), 2, 6, 3)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	most := 0
	for _, st := range chain.Steps {
		for _, z := range st.Z {
			most = max(most, bits.Len64(absSigned(z)))
		}
	}
	if most < 2 {
		t.Fatalf("the chain's values use %d bits: too few to bound below them", most)
	}
	within, below := WithDigitPlanes(most), WithDigitPlanes(most-1)
	proof, _, accW, err := ProveChain(ctx, pp, chain, within)
	if err != nil {
		t.Fatalf("values of %d bits under a bound of %d planes: %v", most, most, err)
	}
	if _, err := VerifyChain(ctx, pp, publicOnly(chain), proof, decider(pp, s, accW), within); err != nil {
		t.Fatalf("honest proof rejected: %v", err)
	}
	if _, _, _, err := ProveChain(ctx, pp, chain, below); !errors.Is(err, ErrDigitPlanes) {
		t.Fatalf("prover under a bound below the values: got %v, want ErrDigitPlanes", err)
	}
	_, err = VerifyChain(ctx, pp, publicOnly(chain), proof, decider(pp, s, accW), below)
	if !errors.Is(err, ErrDigitPlanes) {
		t.Fatalf("verifier under a bound below the values: got %v, want ErrDigitPlanes", err)
	}
	// Zero the telling planes of every fold: the bound's check passes, and
	// the false evaluations fail the folding.
	forged := copyChainProof(proof)
	for _, f := range forged.Folds {
		y := f.CCS.Y[0][0]
		for ρ := most - 1; ρ < len(y); ρ++ {
			y[ρ].SetZero()
		}
	}
	_, err = VerifyChain(ctx, pp, publicOnly(chain), forged, decider(pp, s, accW), below)
	if err == nil || errors.Is(err, ErrDigitPlanes) {
		t.Fatalf("zeroed evaluations: got %v, want the folding to reject them", err)
	}
	for _, planes := range []int{0, -1, ring.D + 1} {
		if _, _, _, err := ProveChain(ctx, pp, chain, WithDigitPlanes(planes)); !errors.Is(err, ErrShape) {
			t.Errorf("ProveChain with %d planes: got %v, want ErrShape", planes, err)
		}
		if _, err := VerifyChain(ctx, pp, publicOnly(chain), proof, decider(pp, s, accW), WithDigitPlanes(planes)); !errors.Is(err, ErrShape) {
			t.Errorf("VerifyChain with %d planes: got %v, want ErrShape", planes, err)
		}
	}
}

// absSigned returns |z| for z read as a signed value (ring.Signed).
func absSigned(z goldilocks.Element) uint64 {
	v := ring.Signed(z)
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// TestChainCommitted: ProveChain folding the caller's own commitments
// (WithCommitted) makes the proof it makes when it commits itself, and
// refuses instances that do not fit the chain.
func TestChainCommitted(t *testing.T) {
	ctx := context.Background()
	chain := chainR1CS(t, rand.New(rand.NewPCG(99, 100)), 2, 5, 3)
	pp := chainSetup(t, chain)
	p, err := NewProver(pp, chain.Steps[0].CCS)
	if err != nil {
		t.Fatal(err)
	}
	steps := make([]MCS, len(chain.Steps))
	wits := make([]MCSWitness, len(chain.Steps))
	for i, st := range chain.Steps {
		if steps[i], wits[i], err = p.Commit(ctx, st.Z); err != nil {
			t.Fatal(err)
		}
	}
	own, _, _, err := p.ProveChain(ctx, chain)
	if err != nil {
		t.Fatal(err)
	}
	given, _, _, err := p.ProveChain(ctx, chain, WithCommitted(steps, wits))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(chainBytes(t, own), chainBytes(t, given)) {
		t.Fatal("folding the given commitments made another proof")
	}
	swapped := []MCS{steps[1], steps[0], steps[2]}
	if _, _, _, err := p.ProveChain(ctx, chain, WithCommitted(swapped, wits)); !errors.Is(err, ErrChain) {
		t.Errorf("instances of other steps: got %v, want ErrChain", err)
	}
	if _, _, _, err := p.ProveChain(ctx, chain, WithCommitted(steps[:2], wits[:2])); !errors.Is(err, ErrShape) {
		t.Errorf("too few instances: got %v, want ErrShape", err)
	}
}
