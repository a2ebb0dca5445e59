package neo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/sumcheck"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/ring"
)

// TestChainRejectsReplacedRound replaces, in one fold of a chain proof,
// one sum-check round by another well-formed polynomial of the same degree,
// for every fold and every round of both phases of Π_CCS: the same round of
// another fold (an honest polynomial for another statement), and the round
// plus c·X(X−1), which keeps s(0) and s(1), so the round still sums to the
// running claim and only the challenges after it can expose it.
func TestChainRejectsReplacedRound(t *testing.T) {
	ctx := context.Background()
	chain := chainR1CS(t, rand.New(rand.NewPCG(51, 52)), 2, 5, 3)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	proof, _, accW, err := ProveChain(ctx, pp, chain)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(p *ChainProof) error {
		_, err := VerifyChain(ctx, pp, publicOnly(chain), p, decider(pp, s, accW))
		return err
	}
	if err := verify(copyChainProof(proof)); err != nil {
		t.Fatalf("untampered copy: %v", err)
	}
	phases := []struct {
		name   string
		rounds func(*CCSProof) [][]K
	}{
		{"phase 1", func(p *CCSProof) [][]K { return p.Rounds }},
		{"phase 2", func(p *CCSProof) [][]K { return p.Sumcheck.Rounds }},
	}
	var c K
	c.A0.SetUint64(5)
	c.A1.SetUint64(3)
	replacements := []struct {
		name    string
		replace func(round []K, step, i int, rounds func(*CCSProof) [][]K)
	}{
		{"another fold's round", func(round []K, step, i int, rounds func(*CCSProof) [][]K) {
			copy(round, rounds(proof.Folds[(step+1)%len(proof.Folds)].CCS)[i])
		}},
		{"plus c·X(X−1)", func(round []K, _, _ int, _ func(*CCSProof) [][]K) {
			// round holds s(0), s(2), …, s(d): entry e ≥ 1 is s(e+1).
			for e := 1; e < len(round); e++ {
				var x, p K
				x.A0.SetUint64(uint64((e + 1) * e))
				p.Mul(&c, &x)
				round[e].Add(&round[e], &p)
			}
		}},
	}
	for step := range proof.Folds {
		for _, ph := range phases {
			for i := range ph.rounds(proof.Folds[step].CCS) {
				for _, rp := range replacements {
					t.Run(fmt.Sprintf("step %d/%s round %d/%s", step, ph.name, i, rp.name), func(t *testing.T) {
						p := copyChainProof(proof)
						round := ph.rounds(p.Folds[step].CCS)[i]
						before := clone(round)
						rp.replace(round, step, i, ph.rounds)
						if slices.Equal(before, round) {
							t.Fatal("the replacement is the round itself")
						}
						err := verify(p)
						if !errors.Is(err, sumcheck.ErrReject) || !strings.Contains(err.Error(), fmt.Sprintf("step %d:", step)) {
							t.Fatalf("got %v, want step %d rejected by the sum-check", err, step)
						}
					})
				}
			}
		}
	}
}

// TestFoldRejectsAnotherCCS verifies proofs about one R1CS against another
// of the same n, m, m_in and t (and the same terms, as every R1CS has):
// the header's CCS digest makes every challenge another, and where a
// verifier is forced onto the prover's transcript anyway, the decider,
// which evaluates the matrices, refuses the final accumulator.
func TestFoldRejectsAnotherCCS(t *testing.T) {
	ctx := context.Background()
	a := chainR1CS(t, rand.New(rand.NewPCG(53, 54)), 2, 5, 3)
	b := chainR1CS(t, rand.New(rand.NewPCG(55, 56)), 2, 5, 1)
	sA, sB := a.Steps[0].CCS, b.Steps[0].CCS
	if sA.NumConstraints() != sB.NumConstraints() || sA.NumVariables() != sB.NumVariables() ||
		sA.NumPublic() != sB.NumPublic() || len(sA.Matrices()) != len(sB.Matrices()) {
		t.Fatal("the two structures differ in their dimensions")
	}
	if sA.Digest() == sB.Digest() {
		t.Fatal("the two structures are the same")
	}
	pp := chainSetup(t, a)
	proof, _, accW, err := ProveChain(ctx, pp, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyChain(ctx, pp, publicOnly(a), proof, decider(pp, sA, accW)); err != nil {
		t.Fatalf("the proof against its own CCS: %v", err)
	}

	// The chain's public data with B's structure in every step.
	asB := publicOnly(a)
	for i := range asB.Steps {
		asB.Steps[i].CCS = sB
	}
	if _, err := VerifyChain(ctx, pp, asB, proof, decider(pp, sB, accW)); !errors.Is(err, sumcheck.ErrReject) || !strings.Contains(err.Error(), "step 0:") {
		t.Fatalf("chain against another CCS: got %v, want step 0 rejected by the sum-check", err)
	}

	// One fold outside a chain.
	pA, err := NewProver(pp, sA)
	if err != nil {
		t.Fatal(err)
	}
	vA, err := NewVerifier(pp, sA)
	if err != nil {
		t.Fatal(err)
	}
	vB, err := NewVerifier(pp, sB)
	if err != nil {
		t.Fatal(err)
	}
	_, _, fp, err := pA.Fold(ctx, Acc{}, AccWitness{}, proof.Steps[0], MCSWitness{Z: stepDigits(t, pp, a.Steps[0])})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vA.Fold(Acc{}, proof.Steps[0], fp); err != nil {
		t.Fatalf("fold against its own CCS: %v", err)
	}
	if _, err := vB.Fold(Acc{}, proof.Steps[0], fp); !errors.Is(err, sumcheck.ErrReject) {
		t.Fatalf("fold against another CCS: got %v, want sumcheck.ErrReject", err)
	}

	// A verifier of B forced onto A's transcript (the header of A): the
	// folds read B only through its terms, which are A's, so it is the
	// decider that must tell the structures apart.
	dm, err := dimsOf(pp, sA)
	if err != nil {
		t.Fatal(err)
	}
	header := newHeader(pp, sA, dm, a)
	var acc Acc
	for i := range proof.Folds {
		if acc, err = verifyFold(pp, sB, node{header: header, index: uint64(i)}, acc, proof.Steps[i], proof.Folds[i]); err != nil {
			if !errors.Is(err, sumcheck.ErrReject) {
				t.Fatalf("forced fold %d: got %v, want sumcheck.ErrReject", i, err)
			}
			return
		}
	}
	if err := Decide(ctx, pp, sB, acc, accW); !errors.Is(err, ErrEvaluation) {
		t.Fatalf("decider of another CCS: got %v, want ErrEvaluation", err)
	}
}

// stepDigits returns the canonical MCS witness of a chain step.
func stepDigits(t testing.TB, pp *ajtai.PublicParams, step ccs.Step) []int8 {
	t.Helper()
	Z, err := stepWitness(step.Z, pp.Params().Base)
	if err != nil {
		t.Fatal(err)
	}
	return Z
}

// idleChain returns a chain whose steps all state one public input
// x = (1, y, y): the step keeps the state y (y_step·1 = y_prev) and squares
// a private w of its own (w·w = w²), so the steps differ only in their
// witnesses and commitments. The verifier's public checks cannot order
// such steps; only the proof can.
func idleChain(t testing.TB, steps int) *ccs.Chain {
	t.Helper()
	var one goldilocks.Element
	one.SetOne()
	entry := func(row, col int) mle.Entry { return mle.Entry{Row: row, Col: col, Val: one} }
	// Columns: 0 the constant, 1 y_prev, 2 y_step, 3 w, 4 w².
	var ms [3]*mle.Sparse
	for h, es := range [3][]mle.Entry{
		{entry(0, 1), entry(1, 3)},
		{entry(0, 0), entry(1, 3)},
		{entry(0, 2), entry(1, 4)},
	} {
		var err error
		if ms[h], err = mle.NewSparse(2, 5, es); err != nil {
			t.Fatal(err)
		}
	}
	s, err := ccs.FromR1CS(ms[0], ms[1], ms[2], 3)
	if err != nil {
		t.Fatal(err)
	}
	var y goldilocks.Element
	y.SetUint64(7)
	chain := &ccs.Chain{Name: "idle", Spec: ccs.StepSpec{YLen: 1, Const1: 0, YPrev: []int{1}, YStep: []int{2}}, Y0: []goldilocks.Element{y}}
	for i := range steps {
		z := make([]goldilocks.Element, 5)
		z[0].SetOne()
		z[1], z[2] = y, y
		z[3].SetInt64(int64(i) - 11)
		z[4].Square(&z[3])
		chain.Steps = append(chain.Steps, ccs.Step{Index: i, Instruction: "idle", CCS: s, Public: clone(z[:3]), Z: z})
	}
	if err := chain.Check(); err != nil {
		t.Fatal(err)
	}
	return chain
}

// TestChainRejectsReorderedSteps moves steps of a chain whose steps all
// state the same public input, so that VerifyChain's public checks pass
// and only the folds can catch the new order: each fold is bound to its
// index and to the digest of the accumulator before it.
func TestChainRejectsReorderedSteps(t *testing.T) {
	ctx := context.Background()
	chain := idleChain(t, 4)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	proof, _, accW, err := ProveChain(ctx, pp, chain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyChain(ctx, pp, publicOnly(chain), proof, decider(pp, s, accW)); err != nil {
		t.Fatalf("untampered: %v", err)
	}
	if slices.Equal(proof.Steps[1].C, proof.Steps[2].C) {
		t.Fatal("steps 1 and 2 have one commitment: swapping them would change nothing")
	}
	for _, tc := range []struct {
		name  string
		order []int // position i of the tampered proof holds step (MCS and fold) order[i]
		first int   // the first position that must be rejected
	}{
		{"steps 1 and 2 swapped", []int{0, 2, 1, 3}, 1},
		{"first and last swapped", []int{3, 1, 2, 0}, 0},
		{"steps 1…3 rotated", []int{0, 2, 3, 1}, 1},
		{"step 2 moved to position 1", []int{0, 2, 2, 3}, 1},
		{"step 1 moved to position 3", []int{0, 1, 2, 1}, 3},
		{"the first step moved to position 2", []int{0, 1, 0, 3}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := copyChainProof(proof)
			for i, j := range tc.order {
				p.Steps[i], p.Folds[i] = proof.Steps[j], proof.Folds[j]
			}
			_, err := VerifyChain(ctx, pp, publicOnly(chain), p, decider(pp, s, accW))
			if !errors.Is(err, sumcheck.ErrReject) || !strings.Contains(err.Error(), fmt.Sprintf("step %d:", tc.first)) {
				t.Fatalf("got %v, want step %d rejected by the sum-check", err, tc.first)
			}
		})
	}
	t.Run("a fold moved, its step kept", func(t *testing.T) {
		p := copyChainProof(proof)
		p.Folds[2] = proof.Folds[1]
		_, err := VerifyChain(ctx, pp, publicOnly(chain), p, decider(pp, s, accW))
		if !errors.Is(err, sumcheck.ErrReject) || !strings.Contains(err.Error(), "step 2:") {
			t.Fatalf("got %v, want step 2 rejected by the sum-check", err)
		}
	})

	// Outside a chain every fold is node 0, so only the digests order them.
	t.Run("Prover.Fold", func(t *testing.T) {
		p, err := NewProver(pp, s)
		if err != nil {
			t.Fatal(err)
		}
		v, err := NewVerifier(pp, s)
		if err != nil {
			t.Fatal(err)
		}
		var acc Acc
		var w AccWitness
		folds := make([]*FoldProof, 3)
		for i := range folds {
			if acc, w, folds[i], err = p.Fold(ctx, acc, w, proof.Steps[i], MCSWitness{Z: stepDigits(t, pp, chain.Steps[i])}); err != nil {
				t.Fatal(err)
			}
		}
		var inOrder Acc
		for i, fp := range folds {
			if inOrder, err = v.Fold(inOrder, proof.Steps[i], fp); err != nil {
				t.Fatalf("in order, fold %d: %v", i, err)
			}
		}
		first, err := v.Fold(Acc{}, proof.Steps[0], folds[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Fold(first, proof.Steps[2], folds[2]); !errors.Is(err, sumcheck.ErrReject) {
			t.Fatalf("fold 2 second: got %v, want sumcheck.ErrReject", err)
		}
	})
}

// TestFoldRejectsWitnessChangedAfterCommitment changes a step's witness to
// another satisfying one after its commitment is made: w of an idle step
// replaced, so that only the commitment is wrong. The prover refuses it;
// forced through (proveFold, which skips CheckMCS), Π_DEC's recomposition
// of the commitments refuses it; and with the first Π_DEC part's
// commitment rewritten so that the parts recompose to what the verifier
// derives, the accumulator no longer opens, which the next fold or the
// decider refuses.
func TestFoldRejectsWitnessChangedAfterCommitment(t *testing.T) {
	ctx := context.Background()
	chain := idleChain(t, 4)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	p, err := NewProver(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	steps := make([]MCS, 3)
	wits := make([]MCSWitness, 3)
	for i := range steps {
		wits[i].Z = stepDigits(t, pp, chain.Steps[i])
		steps[i] = MCS{C: commitDigits(t, pp, wits[i].Z), X: clone(chain.Steps[i].Public)}
	}
	// The witness of the unused step 3 satisfies s and states the same x.
	changed := MCSWitness{Z: stepDigits(t, pp, chain.Steps[3])}

	for _, tc := range []struct {
		name   string
		bad    int  // the step whose witness is changed
		patch  bool // rewrite the first part's commitment
		reject int  // the fold the verifier rejects; len(steps) for the decider
	}{
		{"stale commitment, first fold", 0, false, 0},
		{"stale commitment, last fold", 2, false, 2},
		{"parts patched, first fold", 0, true, 1},
		{"parts patched, last fold", 2, true, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var acc Acc
			var accW AccWitness
			var err error
			folds := make([]*FoldProof, len(steps))
			for i := range steps {
				if i != tc.bad {
					if acc, accW, folds[i], err = p.Fold(ctx, acc, accW, steps[i], wits[i]); err != nil {
						t.Fatalf("fold %d: %v", i, err)
					}
					continue
				}
				if _, _, _, err := p.Fold(ctx, acc, accW, steps[i], changed); !errors.Is(err, ErrCommitment) {
					t.Fatalf("Prover.Fold of the changed witness: got %v, want ErrCommitment", err)
				}
				in := acc
				if acc, accW, folds[i], err = proveFold(ctx, pp, s, node{header: p.header}, acc, accW, steps[i], changed.Z); err != nil {
					t.Fatalf("forced fold %d: %v", i, err)
				}
				if tc.patch {
					acc = patchParts(t, pp, s, node{header: p.header}, in, steps[i], folds[i])
				}
			}
			var vacc Acc
			for i := range steps {
				if vacc, err = v.Fold(vacc, steps[i], folds[i]); err != nil {
					if i != tc.reject || !errors.Is(err, ErrCommitment) {
						t.Fatalf("fold %d: got %v, want fold %d rejected with ErrCommitment", i, err, tc.reject)
					}
					return
				}
			}
			if tc.reject != len(steps) {
				t.Fatalf("every fold accepted, want fold %d rejected", tc.reject)
			}
			if vacc.Digest != acc.Digest {
				t.Fatal("the verifier's digest differs from the forger's")
			}
			if err := Decide(ctx, pp, s, vacc, accW); !errors.Is(err, ErrCommitment) {
				t.Fatalf("decider: got %v, want ErrCommitment", err)
			}
		})
	}
}

// patchParts rewrites the commitment of the first Π_DEC part of proof so
// that the parts recompose, Σ b^i·C_i, to the commitment the verifier
// derives for the combined claim from the step's stated commitment. It
// returns the accumulator the patched proof yields, as the verifier
// derives it.
func patchParts(t testing.TB, pp *ajtai.PublicParams, s *ccs.CCS, nd node, acc Acc, mcs MCS, proof *FoldProof) Acc {
	t.Helper()
	tr := nd.start(acc)
	claims, err := VerifyCCS(tr, pp, s, mcs, acc.Claims, proof.CCS)
	if err != nil {
		t.Fatal(err)
	}
	parent, err := VerifyCombine(tr, pp.Params(), claims)
	if err != nil {
		t.Fatal(err)
	}
	var b, pow goldilocks.Element
	b.SetUint64(pp.Params().Base)
	pow.SetOne()
	sum := make(ajtai.Commitment, len(parent.C))
	for _, part := range proof.Parts {
		for r := range sum {
			var e ring.Elem
			e.ScalarMul(&part.C[r], &pow)
			sum[r].Add(&sum[r], &e)
		}
		pow.Mul(&pow, &b)
	}
	first := proof.Parts[0].C
	for r := range first {
		var d ring.Elem
		d.Sub(&parent.C[r], &sum[r])
		first[r].Add(&first[r], &d)
	}
	out, err := verifyFold(pp, s, nd, acc, mcs, proof)
	if err != nil {
		t.Fatalf("patched fold: %v", err)
	}
	return out
}

// TestTreeRandomShapes proves and verifies random binary trees of 1…16
// leaves, every node with a step of its own (GoldilocksMerge, k = 13), and
// tampers with each proof: two children swapped in the proof or in the
// shape, a leaf's step and fold moved to another leaf, one bit flipped in a
// node's fold.
func TestTreeRandomShapes(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(57, 58))
	leaves := []int{1, 16}
	for range 6 {
		leaves = append(leaves, 2+rng.IntN(14))
	}
	if testing.Short() {
		leaves = leaves[:3]
	}
	// Steps that differ in their witnesses only: where two nodes trade
	// places, no public input tells them apart.
	chain := idleChain(t, 2*slices.Max(leaves)-1)
	s := chain.Steps[0].CCS
	pp, err := ajtai.Setup(ctx, ajtai.GoldilocksMerge(s.NumVariables()), relSeed())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range leaves {
		t.Run(fmt.Sprintf("%d leaves", n), func(t *testing.T) {
			shape := randomTree(rng, n)
			steps := make([]MCS, len(shape))
			wits := make([]MCSWitness, len(shape))
			for i := range shape {
				wits[i].Z = stepDigits(t, pp, chain.Steps[i])
				steps[i] = MCS{C: commitDigits(t, pp, wits[i].Z), X: clone(chain.Steps[i].Public)}
			}
			proof, acc, accW, err := ProveTree(ctx, pp, s, shape, steps, wits)
			if err != nil {
				t.Fatal(err)
			}
			decide := func(a Acc) error { return Decide(ctx, pp, s, a, accW) }
			vacc, err := VerifyTree(pp, s, shape, proof, decide)
			if err != nil {
				t.Fatalf("untampered: %v", err)
			}
			if vacc.Digest != acc.Digest {
				t.Fatal("the verifier's root digest differs from the prover's")
			}

			var inner, leafs []int
			for i, nd := range shape {
				if len(nd.Children) == 0 {
					leafs = append(leafs, i)
				} else {
					inner = append(inner, i)
				}
			}
			type tamper struct {
				name  string
				shape []TreeNode
				proof *TreeProof
				want  error
				node  int // the node named in the error, or −1 for any
			}
			copyProof := func() *TreeProof {
				return &TreeProof{Steps: slices.Clone(proof.Steps), Folds: slices.Clone(proof.Folds)}
			}
			var cases []tamper
			if len(inner) > 0 {
				at := inner[rng.IntN(len(inner))]
				c := shape[at].Children
				p := copyProof()
				p.Steps[c[0]], p.Steps[c[1]] = p.Steps[c[1]], p.Steps[c[0]]
				p.Folds[c[0]], p.Folds[c[1]] = p.Folds[c[1]], p.Folds[c[0]]
				cases = append(cases, tamper{fmt.Sprintf("children of node %d swapped in the proof", at), shape, p, sumcheck.ErrReject, -1})
				mirrored := slices.Clone(shape)
				mirrored[at] = TreeNode{Children: []int{c[1], c[0]}}
				cases = append(cases, tamper{fmt.Sprintf("children of node %d swapped in the shape", at), mirrored, proof, sumcheck.ErrReject, -1})
				from, to := leafs[0], leafs[1+rng.IntN(len(leafs)-1)]
				p = copyProof()
				p.Steps[to], p.Folds[to] = proof.Steps[from], proof.Folds[from]
				cases = append(cases, tamper{fmt.Sprintf("leaf %d's step and fold moved to leaf %d", from, to), shape, p, sumcheck.ErrReject, to})
			}
			at := rng.IntN(len(shape))
			p := copyProof()
			p.Folds[at] = &FoldProof{CCS: deepCopyProof(proof.Folds[at].CCS), Parts: cloneClaims(proof.Folds[at].Parts)}
			rounds := p.Folds[at].CCS.Sumcheck.Rounds
			x := &rounds[rng.IntN(len(rounds))][0].A1
			x.SetUint64(x.Uint64() ^ 1<<rng.IntN(64))
			cases = append(cases, tamper{fmt.Sprintf("a bit of node %d's phase-2 round flipped", at), shape, p, sumcheck.ErrReject, at})
			p = copyProof()
			p.Folds[at] = &FoldProof{CCS: deepCopyProof(proof.Folds[at].CCS), Parts: cloneClaims(proof.Folds[at].Parts)}
			part := p.Folds[at].Parts[rng.IntN(len(p.Folds[at].Parts))]
			y := &part.Y[rng.IntN(len(part.Y))][rng.IntN(ring.D)].A0
			y.SetUint64(y.Uint64() ^ 1<<rng.IntN(64))
			cases = append(cases, tamper{fmt.Sprintf("a bit of node %d's Π_DEC evaluation flipped", at), shape, p, ErrEvaluation, at})

			for _, tc := range cases {
				_, err := VerifyTree(pp, s, tc.shape, tc.proof, decide)
				if !errors.Is(err, tc.want) {
					t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
				} else if tc.node >= 0 && !strings.Contains(err.Error(), fmt.Sprintf("node %d:", tc.node)) {
					t.Errorf("%s: %v does not name node %d", tc.name, err, tc.node)
				}
			}
			// The tampered copies share nothing the proof's own folds hold.
			if _, err := VerifyTree(pp, s, shape, proof, decide); err != nil {
				t.Fatalf("untampered, after the tampering: %v", err)
			}
		})
	}
}

// TestCCSTwoGroupsBruteForce runs Π_CCS with carried claims at two points
// (fold/NEO.md §2.9) and checks the proof against the polynomial Q of
// §2.3, evaluated here straight from its definition and the witnesses:
// Σ_{hypercube} Q is the claimed sum T, and the sum-check ends at
// Q(α', r'). A witness that does not satisfy the CCS gives another Q,
// which fails both.
func TestCCSTwoGroupsBruteForce(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(59, 60))
	for _, tc := range relCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			mcs, wit := honestMCS(t, tc)
			g1, z1 := ccsCarried(t, rng, tc.s, tc.pp, 2)
			g2, z2 := ccsCarried(t, rng, tc.s, tc.pp, 3)
			groups := [][]Claim{g1, g2}
			Zs := slices.Concat([][]int8{wit.Z}, z1, z2)
			tr := ccsTranscript()
			replay := tr.Clone()
			out, proof, err := proveGroups(ctx, tr, tc.pp, tc.s, mcs, groups, Zs, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := verifyCCSGroups(ccsTranscript(), tc.pp, tc.s, mcs, groups, proof, 0); err != nil {
				t.Fatalf("honest proof rejected: %v", err)
			}

			// The challenges, drawn as fold/NEO.md §2.2 steps 4 and 5 say.
			b := int(tc.pp.Params().Base)
			ell := mle.NumVars(max(tc.s.NumConstraints(), tc.s.NumVariables()))
			replay.AppendCommitment("mcs/c", mcs.C)
			replay.AppendField("mcs/x", mcs.X...)
			q := &bruteQ{s: tc.s, b: b, ell: ell, Zs: Zs, groups: [][]int{{1, 2}, {3, 4, 5}}, points: [][]K{g1[0].R, g2[0].R}}
			draw := func(label string, n int) []K {
				x := make([]K, n)
				for i := range x {
					x[i] = replay.ChallengeExt(label)
				}
				return x
			}
			q.alpha = draw("ccs/alpha", digitVars)
			beta := draw("ccs/beta", digitVars+ell)
			q.betaA, q.betaR = beta[:digitVars], beta[digitVars:]
			q.gamma = replay.ChallengeExt("ccs/gamma")
			q.tabulate(t)

			T := q.claim(slices.Concat(g1, g2))
			if sum := q.hypercubeSum(); !sum.Equal(&T) {
				t.Fatalf("Σ Q over the hypercube is %s, the claimed sum T is %s", sum.String(), T.String())
			}
			alphaP, c1, err := sumcheck.VerifyRounds(replay, T, 2*b, digitVars, proof.Rounds)
			if err != nil {
				t.Fatal(err)
			}
			rP := out[0].R
			final := chainRounds(c1, proof.Sumcheck.Rounds, rP)
			if v := q.at(alphaP, rP); !v.Equal(&final) {
				t.Fatalf("the sum-check ends at %s, Q(α', r') is %s", final.String(), v.String())
			}

			// Q of an unsatisfied witness: the output of core row 0 off by
			// one, its digits still below b.
			bad := clone(wit.Z)
			col := tc.outBase
			z := clone(tc.z)
			z[col].Add(&z[col], new(goldilocks.Element).SetOne())
			copy(bad[col*ring.D:(col+1)*ring.D], embed(t, z[col:col+1], uint64(b)))
			q.Zs = slices.Concat([][]int8{bad}, z1, z2)
			q.tabulate(t)
			if sum := q.hypercubeSum(); sum.Equal(&T) {
				t.Fatal("Σ Q of an unsatisfied witness is the claimed sum")
			}
			if v := q.at(alphaP, rP); v.Equal(&final) {
				t.Fatal("Q(α', r') of an unsatisfied witness is where the sum-check ends")
			}
		})
	}
}

// bruteQ evaluates Q of fold/NEO.md §2.3 from its definition: every
// multilinear extension as a sum over its whole table of eq weights, no
// binding, no sparse products, none of the prover's tables.
type bruteQ struct {
	s      *ccs.CCS
	b, ell int
	Zs     [][]int8 // instance 0 the MCS, then the carried claims in order
	groups [][]int  // the instances of each point group
	points [][]K    // r_g

	alpha, betaA, betaR []K
	gamma               K

	// Tables over the Boolean hypercube, digit a < 64 major, row r < N minor.
	z [][]K       // z[i][a·N+r] = Z_i[a, r]
	e [][][]K     // e[i][j][a·N+r] = (Z_i·M_jᵀ)[a, r] for j ≥ 1
	m [][]K       // m[j][r] = (M_j·z_0)[r], z_0 the recomposed MCS witness
	f func([]K) K // the CCS polynomial of the values m_j
}

// tabulate fills the tables from Zs and the CCS's matrices made dense.
func (q *bruteQ) tabulate(t testing.TB) {
	t.Helper()
	n, cols, N := q.s.NumConstraints(), q.s.NumVariables(), 1<<q.ell
	dense := make([][][]goldilocks.Element, 0, len(q.s.Matrices()))
	for _, mj := range q.s.Matrices() {
		d := make([][]goldilocks.Element, n)
		for r := range d {
			d[r] = make([]goldilocks.Element, cols)
		}
		for e := range mj.Entries() {
			d[e.Row][e.Col].Add(&d[e.Row][e.Col], &e.Val)
		}
		dense = append(dense, d)
	}
	digit := func(Z []int8, a, c int) goldilocks.Element {
		var x goldilocks.Element
		if a < ring.D {
			x.SetInt64(int64(Z[c*ring.D+a]))
		}
		return x
	}
	q.z, q.e = make([][]K, len(q.Zs)), make([][][]K, len(q.Zs))
	for i, Z := range q.Zs {
		q.z[i] = make([]K, digitPad*N)
		for a := range digitPad {
			for c := range cols {
				q.z[i][a*N+c].A0 = digit(Z, a, c)
			}
		}
		q.e[i] = make([][]K, len(dense))
		for j, d := range dense {
			tab := make([]K, digitPad*N)
			for a := range ring.D {
				for r := range n {
					var acc, p goldilocks.Element
					for c := range cols {
						x := digit(Z, a, c)
						p.Mul(&x, &d[r][c])
						acc.Add(&acc, &p)
					}
					tab[a*N+r].A0 = acc
				}
			}
			q.e[i][j] = tab
		}
	}
	z0 := make([]goldilocks.Element, cols)
	var bb goldilocks.Element
	bb.SetUint64(uint64(q.b))
	for c := range cols {
		for a := ring.D - 1; a >= 0; a-- {
			x := digit(q.Zs[0], a, c)
			z0[c].Mul(&z0[c], &bb).Add(&z0[c], &x)
		}
	}
	q.m = make([][]K, len(dense))
	for j, d := range dense {
		q.m[j] = make([]K, N)
		for r := range n {
			var p goldilocks.Element
			for c := range cols {
				p.Mul(&d[r][c], &z0[c])
				q.m[j][r].A0.Add(&q.m[j][r].A0, &p)
			}
		}
	}
	terms := q.s.Terms()
	q.f = func(mv []K) K {
		var sum K
		for _, term := range terms {
			p := K{A0: term.Coeff}
			for _, j := range term.Matrices {
				p.Mul(&p, &mv[j])
			}
			sum.Add(&sum, &p)
		}
		return sum
	}
}

// eqK is eq(x, y) = Π_k (x_k·y_k + (1 − x_k)(1 − y_k)).
func eqK(x, y []K) K {
	var e, one K
	e.SetOne()
	one.SetOne()
	for k := range x {
		var p, nx, ny K
		p.Mul(&x[k], &y[k])
		nx.Sub(&one, &x[k])
		ny.Sub(&one, &y[k])
		nx.Mul(&nx, &ny)
		p.Add(&p, &nx)
		e.Mul(&e, &p)
	}
	return e
}

// bitsK returns the n bits of i, most significant first, as elements of K.
func bitsK(i, n int) []K {
	x := make([]K, n)
	for k := range x {
		if i>>(n-1-k)&1 == 1 {
			x[k].SetOne()
		}
	}
	return x
}

// weight returns γ^e.
func (q *bruteQ) weight(e int) K {
	var w K
	w.SetOne()
	for range e {
		w.Mul(&w, &q.gamma)
	}
	return w
}

// combine is Q at a point where eqB = eq(X, β), eqA = eq(X_a, α), eqR[g] =
// eq(X_r, r_g), and the tables take the values z, e and m.
func (q *bruteQ) combine(eqB, eqA K, eqR []K, z []K, e [][]K, m []K) K {
	kin := len(q.Zs)
	bracket := q.f(m)
	for i := range kin {
		// R_b(v) = v·Π_{s<b}(v² − s²)
		r := z[i]
		var sq K
		sq.Square(&z[i])
		for s := 1; s < q.b; s++ {
			var f, s2 K
			s2.A0.SetUint64(uint64(s * s))
			f.Sub(&sq, &s2)
			r.Mul(&r, &f)
		}
		w := q.weight(i + 1)
		r.Mul(&r, &w)
		bracket.Add(&bracket, &r)
	}
	var out K
	out.Mul(&eqB, &bracket)
	for g, members := range q.groups {
		var sum K
		for _, i := range members {
			for j := range len(e[i]) + 1 {
				v := z[i]
				if j > 0 {
					v = e[i][j-1]
				}
				w := q.weight(kin*(j+1) + i)
				v.Mul(&v, &w)
				sum.Add(&sum, &v)
			}
		}
		var p K
		p.Mul(&eqA, &eqR[g])
		p.Mul(&p, &sum)
		out.Add(&out, &p)
	}
	return out
}

// at returns Q(xa, xr), every table's multilinear extension summed over
// the whole table.
func (q *bruteQ) at(xa, xr []K) K {
	N := 1 << q.ell
	chi := make([]K, digitPad*N)
	for a := range digitPad {
		ea := eqK(xa, bitsK(a, digitVars))
		for r := range N {
			er := eqK(xr, bitsK(r, q.ell))
			chi[a*N+r].Mul(&ea, &er)
		}
	}
	ext := func(tab []K) K {
		var sum, p K
		for x := range tab {
			p.Mul(&chi[x], &tab[x])
			sum.Add(&sum, &p)
		}
		return sum
	}
	z := make([]K, len(q.Zs))
	e := make([][]K, len(q.Zs))
	for i := range q.Zs {
		z[i] = ext(q.z[i])
		for _, tab := range q.e[i] {
			e[i] = append(e[i], ext(tab))
		}
	}
	m := make([]K, len(q.m))
	for j, tab := range q.m {
		for r := range N {
			er := eqK(xr, bitsK(r, q.ell))
			var p K
			p.Mul(&er, &tab[r])
			m[j].Add(&m[j], &p)
		}
	}
	return q.combine(eqK(slices.Concat(xa, xr), slices.Concat(q.betaA, q.betaR)), eqK(xa, q.alpha), q.eqPoints(xr), z, e, m)
}

// eqPoints returns eq(xr, r_g) for every group.
func (q *bruteQ) eqPoints(xr []K) []K {
	out := make([]K, len(q.points))
	for g, r := range q.points {
		out[g] = eqK(xr, r)
	}
	return out
}

// hypercubeSum returns Σ Q(a, r) over a ∈ {0,1}^6, r ∈ {0,1}^ℓ_n, where
// every table is read at its entry.
func (q *bruteQ) hypercubeSum() K {
	N := 1 << q.ell
	var sum K
	z := make([]K, len(q.Zs))
	e := make([][]K, len(q.Zs))
	m := make([]K, len(q.m))
	for a := range digitPad {
		xa := bitsK(a, digitVars)
		for r := range N {
			xr := bitsK(r, q.ell)
			x := a*N + r
			for i := range q.Zs {
				z[i] = q.z[i][x]
				e[i] = e[i][:0]
				for _, tab := range q.e[i] {
					e[i] = append(e[i], tab[x])
				}
			}
			for j := range m {
				m[j] = q.m[j][r]
			}
			v := q.combine(eqK(slices.Concat(xa, xr), slices.Concat(q.betaA, q.betaR)), eqK(xa, q.alpha), q.eqPoints(xr), z, e, m)
			sum.Add(&sum, &v)
		}
	}
	return sum
}

// claim returns T = Σ_i Σ_j γ^{K_in·(j+1)+i}·Σ_{a<54} eq(α, a)·y_ij[a]
// over the carried claims, instance i = 1 first.
func (q *bruteQ) claim(carried []Claim) K {
	var T K
	for c, cl := range carried {
		i := c + 1
		for j, y := range cl.Y {
			w := q.weight(len(q.Zs)*(j+1) + i)
			for a, v := range y {
				var p K
				ea := eqK(q.alpha, bitsK(a, digitVars))
				p.Mul(&ea, &v)
				p.Mul(&p, &w)
				T.Add(&T, &p)
			}
		}
	}
	return T
}

// chainRounds follows sum-check rounds, each s(0), s(2), …, s(d) with s(1)
// the running claim minus s(0), from claim through the challenges point,
// and returns the last round's value at its challenge: by Lagrange
// interpolation on the nodes 0…d.
func chainRounds(claim K, rounds [][]K, point []K) K {
	cur := claim
	for i, sent := range rounds {
		full := make([]K, len(sent)+1)
		full[0] = sent[0]
		full[1].Sub(&cur, &sent[0])
		copy(full[2:], sent[1:])
		var next K
		for k := range full {
			term := full[k]
			for j := range full {
				if j == k {
					continue
				}
				var num, nodeJ K
				nodeJ.A0.SetUint64(uint64(j))
				num.Sub(&point[i], &nodeJ)
				var den goldilocks.Element
				den.SetInt64(int64(k - j))
				den.Inverse(&den)
				term.Mul(&term, &num)
				term.MulByElement(&term, &den)
			}
			next.Add(&next, &term)
		}
		cur = next
	}
	return cur
}

// TestMergeRejectsReplacedRound is TestChainRejectsReplacedRound for a PCD
// merge, whose Π_CCS runs over two point groups: every round of both
// phases plus c·X(X−1), which keeps s(0) and s(1), is rejected by the
// sum-check.
func TestMergeRejectsReplacedRound(t *testing.T) {
	ctx := context.Background()
	s, pp, mcs, wit := mergeSetup(t, ajtai.GoldilocksMerge)
	a, b, aW, bW := mergeInputs(t, pp, s, mcs, wit)
	_, _, proof, err := Merge(ctx, pp, s, a, b, aW, bW, mcs, wit)
	if err != nil {
		t.Fatal(err)
	}
	var c K
	c.A0.SetUint64(7)
	c.A1.SetUint64(2)
	for _, ph := range []struct {
		name   string
		rounds func(*CCSProof) [][]K
	}{
		{"phase 1", func(p *CCSProof) [][]K { return p.Rounds }},
		{"phase 2", func(p *CCSProof) [][]K { return p.Sumcheck.Rounds }},
	} {
		for i := range ph.rounds(proof.CCS) {
			p := &FoldProof{CCS: deepCopyProof(proof.CCS), Parts: cloneClaims(proof.Parts)}
			round := ph.rounds(p.CCS)[i]
			// round holds s(0), s(2), …, s(d): entry e ≥ 1 is s(e+1).
			for e := 1; e < len(round); e++ {
				var x, d K
				x.A0.SetUint64(uint64((e + 1) * e))
				d.Mul(&c, &x)
				round[e].Add(&round[e], &d)
			}
			if _, err := VerifyMerge(pp, s, a, b, mcs, p); !errors.Is(err, sumcheck.ErrReject) {
				t.Errorf("%s round %d replaced: got %v, want a sum-check rejection", ph.name, i, err)
			}
		}
	}
}
