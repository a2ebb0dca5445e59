package neo

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/lattice/ajtai"
)

// mergeSetup returns a random R1CS with small entries, an honest step of it
// and the commitment key of preset at its m.
func mergeSetup(t testing.TB, preset func(int) ajtai.Params) (*ccs.CCS, *ajtai.PublicParams, MCS, MCSWitness) {
	t.Helper()
	rng := rand.New(rand.NewPCG(41, 42))
	s, z := relR1CS(t, rng, 6, 4, 3, true)
	pp, err := ajtai.Setup(context.Background(), preset(s.NumVariables()), relSeed())
	if err != nil {
		t.Fatal(err)
	}
	tc := relCase{s: s, z: z, pp: pp}
	mcs, wit := honestMCS(t, tc)
	return s, pp, mcs, wit
}

// mergeInputs folds the step into two different accumulators (one fold and
// two folds), returning the prover's and the verifier's sides.
func mergeInputs(t testing.TB, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, wit MCSWitness) (a, b Acc, aW, bW AccWitness) {
	t.Helper()
	ctx := context.Background()
	var err error
	if a, aW, _, err = Fold(ctx, pp, s, Acc{}, AccWitness{}, mcs, wit); err != nil {
		t.Fatal(err)
	}
	if b, bW, _, err = Fold(ctx, pp, s, a, aW, mcs, wit); err != nil {
		t.Fatal(err)
	}
	return a, b, aW, bW
}

func TestMerge(t *testing.T) {
	ctx := context.Background()
	s, pp, mcs, wit := mergeSetup(t, ajtai.GoldilocksMerge)
	a, b, aW, bW := mergeInputs(t, pp, s, mcs, wit)
	if a.Claims[0].R[0] == b.Claims[0].R[0] {
		t.Fatal("the accumulators share their point: the test would not exercise two groups")
	}
	out, outW, proof, err := Merge(ctx, pp, s, a, b, aW, bW, mcs, wit)
	if err != nil {
		t.Fatal(err)
	}
	vout, err := VerifyMerge(pp, s, a, b, mcs, proof)
	if err != nil {
		t.Fatal(err)
	}
	if vout.Digest != out.Digest {
		t.Fatal("prover and verifier digests differ")
	}
	if err := Decide(ctx, pp, s, vout, outW); err != nil {
		t.Fatal(err)
	}
	// The merged accumulator folds and merges on.
	next, nextW, fproof, err := Fold(ctx, pp, s, out, outW, mcs, wit)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyFold(pp, s, vout, mcs, fproof); err != nil {
		t.Fatal(err)
	}
	_, againW, mproof, err := Merge(ctx, pp, s, next, out, nextW, outW, mcs, wit)
	if err != nil {
		t.Fatal(err)
	}
	vagain, err := VerifyMerge(pp, s, next, out, mcs, mproof)
	if err != nil {
		t.Fatal(err)
	}
	if err := Decide(ctx, pp, s, vagain, againW); err != nil {
		t.Fatal(err)
	}

	// The order of the accumulators is bound.
	if _, err := VerifyMerge(pp, s, b, a, mcs, proof); err == nil {
		t.Fatal("swapped accumulators accepted")
	}
	// A Merge proof is not a fold proof.
	if _, err := VerifyFold(pp, s, a, mcs, proof); err == nil {
		t.Fatal("merge proof accepted as a fold")
	}
	// A witness that does not open its accumulator is refused.
	badW := AccWitness{Z: append([][]int8{bW.Z[1]}, bW.Z[1:]...)}
	if _, _, _, err := Merge(ctx, pp, s, a, b, aW, badW, mcs, wit); err == nil {
		t.Fatal("merge with a wrong witness succeeded")
	}
}

func TestMergeGuard(t *testing.T) {
	ctx := context.Background()
	s, pp, mcs, wit := mergeSetup(t, ajtai.Goldilocks)
	a, b, aW, bW := mergeInputs(t, pp, s, mcs, wit)
	_, _, _, err := Merge(ctx, pp, s, a, b, aW, bW, mcs, wit)
	if !errors.Is(err, ajtai.ErrGuard) || !strings.Contains(err.Error(), "GoldilocksMerge") {
		t.Fatalf("Merge with k = 12: got %v, want ErrGuard naming GoldilocksMerge", err)
	}
	if _, err := VerifyMerge(pp, s, a, b, mcs, &FoldProof{}); !errors.Is(err, ajtai.ErrGuard) {
		t.Fatalf("VerifyMerge with k = 12: got %v, want ErrGuard", err)
	}
	if _, _, _, err := ProveTree(ctx, pp, s, []TreeNode{{Children: []int{1, 2}}, {}, {}}, []MCS{mcs, mcs, mcs}, []MCSWitness{wit, wit, wit}); !errors.Is(err, ajtai.ErrGuard) {
		t.Fatalf("ProveTree with k = 12: got %v, want ErrGuard", err)
	}
}

func TestMergeRejects(t *testing.T) {
	ctx := context.Background()
	s, pp, mcs, wit := mergeSetup(t, ajtai.GoldilocksMerge)
	a, b, aW, bW := mergeInputs(t, pp, s, mcs, wit)
	_, _, proof, err := Merge(ctx, pp, s, a, b, aW, bW, mcs, wit)
	if err != nil {
		t.Fatal(err)
	}
	copyFold := func() *FoldProof {
		return &FoldProof{CCS: deepCopyProof(proof.CCS), Parts: cloneClaims(proof.Parts)}
	}
	var one K
	one.SetOne()
	for _, tc := range []struct {
		name   string
		tamper func(p *FoldProof)
	}{
		{"phase-1 round", func(p *FoldProof) { p.CCS.Rounds[2][1].Add(&p.CCS.Rounds[2][1], &one) }},
		{"phase-2 round", func(p *FoldProof) { p.CCS.Sumcheck.Rounds[0][0].Add(&p.CCS.Sumcheck.Rounds[0][0], &one) }},
		{"phase-2 eval", func(p *FoldProof) { p.CCS.Sumcheck.Evals[0].Add(&p.CCS.Sumcheck.Evals[0], &one) }},
		{"y' of the second accumulator", func(p *FoldProof) {
			y := &p.CCS.Y[len(p.CCS.Y)-1][1][3]
			y.Add(y, &one)
		}},
		{"y' of the first accumulator", func(p *FoldProof) { p.CCS.Y[1][0][0].Add(&p.CCS.Y[1][0][0], &one) }},
		{"missing y'", func(p *FoldProof) { p.CCS.Y = p.CCS.Y[:len(p.CCS.Y)-1] }},
		{"part commitment", func(p *FoldProof) { p.Parts[1].C[0], p.Parts[2].C[0] = p.Parts[2].C[0], p.Parts[1].C[0] }},
		{"part evaluation", func(p *FoldProof) { p.Parts[0].Y[1][0].Add(&p.Parts[0].Y[1][0], &one) }},
		{"part public", func(p *FoldProof) { p.Parts[0].X[0].Add(&p.Parts[0].X[0], &one.A0) }},
		{"no parts", func(p *FoldProof) { p.Parts = nil }},
		{"no CCS proof", func(p *FoldProof) { p.CCS = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := copyFold()
			tc.tamper(p)
			if _, err := VerifyMerge(pp, s, a, b, mcs, p); err == nil {
				t.Fatal("tampered proof accepted")
			}
		})
	}
	if _, err := VerifyMerge(pp, s, a, b, mcs, copyFold()); err != nil {
		t.Fatalf("untampered copy rejected: %v", err)
	}
	other := mcs
	other.X = clone(mcs.X)
	other.X[0].Add(&other.X[0], &one.A0)
	if _, err := VerifyMerge(pp, s, a, b, other, proof); err == nil {
		t.Fatal("proof accepted for another step")
	}
	if _, err := VerifyMerge(pp, s, a, b, mcs, nil); !errors.Is(err, ErrShape) {
		t.Fatalf("nil proof: got %v, want ErrShape", err)
	}
	if _, _, _, err := Merge(ctx, pp, s, Acc{}, b, AccWitness{}, bW, mcs, wit); !errors.Is(err, ErrShape) {
		t.Fatalf("empty accumulator: got %v, want ErrShape", err)
	}
	if _, _, _, err := Merge(ctx, pp, s, a, b, aW, AccWitness{Z: bW.Z[1:]}, mcs, wit); !errors.Is(err, ErrShape) {
		t.Fatalf("short witness: got %v, want ErrShape", err)
	}
	if _, err := VerifyMerge(pp, s, a, Acc{}, mcs, proof); !errors.Is(err, ErrShape) {
		t.Fatalf("VerifyMerge of an empty accumulator: got %v, want ErrShape", err)
	}
}

// randomTree returns a random binary tree with the given number of leaves,
// its nodes in a random order.
func randomTree(rng *rand.Rand, leaves int) []TreeNode {
	n := 2*leaves - 1
	perm := rng.Perm(n)
	shape := make([]TreeNode, n)
	// Subtrees still to be joined, by node id; each join takes two at random.
	var open []int
	next := 0
	for range leaves {
		open = append(open, perm[next])
		next++
	}
	for len(open) > 1 {
		i := rng.IntN(len(open))
		l := open[i]
		open = append(open[:i], open[i+1:]...)
		j := rng.IntN(len(open))
		r := open[j]
		id := perm[next]
		next++
		shape[id].Children = []int{l, r}
		open[j] = id
	}
	return shape
}

func TestTree(t *testing.T) {
	ctx := context.Background()
	s, pp, mcs, wit := mergeSetup(t, ajtai.GoldilocksMerge)
	rng := rand.New(rand.NewPCG(43, 44))
	sizes := []int{3, 2 + rng.IntN(8)} // 3…9 leaves
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, leaves := range sizes {
		shape := randomTree(rng, leaves)
		steps := make([]MCS, len(shape))
		wits := make([]MCSWitness, len(shape))
		for i := range steps {
			steps[i], wits[i] = mcs, wit
		}
		proof, acc, accW, err := ProveTree(ctx, pp, s, shape, steps, wits)
		if err != nil {
			t.Fatalf("%d leaves: %v", leaves, err)
		}
		decide := func(a Acc) error { return Decide(ctx, pp, s, a, accW) }
		vacc, err := VerifyTree(pp, s, shape, proof, decide)
		if err != nil {
			t.Fatalf("%d leaves: %v", leaves, err)
		}
		if vacc.Digest != acc.Digest {
			t.Fatalf("%d leaves: digests differ", leaves)
		}
		// The same proof for another shape, or with two nodes' folds swapped, is rejected.
		swapped := &TreeProof{Steps: proof.Steps, Folds: append([]*FoldProof(nil), proof.Folds...)}
		root, _, _ := checkTree(shape)
		c := shape[root].Children
		swapped.Folds[c[0]], swapped.Folds[c[1]] = swapped.Folds[c[1]], swapped.Folds[c[0]]
		if _, err := VerifyTree(pp, s, shape, swapped, decide); err == nil {
			t.Fatalf("%d leaves: swapped folds accepted", leaves)
		}
		other := append([]TreeNode(nil), shape...)
		other[root] = TreeNode{Children: []int{c[1], c[0]}}
		if _, err := VerifyTree(pp, s, other, proof, decide); err == nil {
			t.Fatalf("%d leaves: proof accepted for the mirrored shape", leaves)
		}
	}
}

func TestTreeShape(t *testing.T) {
	for _, tc := range []struct {
		name  string
		shape []TreeNode
	}{
		{"empty", nil},
		{"one child", []TreeNode{{Children: []int{1}}, {}}},
		{"out of range", []TreeNode{{Children: []int{1, 3}}, {}, {}}},
		{"self", []TreeNode{{Children: []int{0, 1}}, {}}},
		{"shared child", []TreeNode{{Children: []int{1, 2}}, {Children: []int{2, 3}}, {}, {}}},
		{"two roots", []TreeNode{{}, {}}},
		{"cycle", []TreeNode{{}, {Children: []int{2, 3}}, {Children: []int{1, 4}}, {}, {}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := checkTree(tc.shape); !errors.Is(err, ErrTree) {
				t.Fatalf("got %v, want ErrTree", err)
			}
			if _, err := VerifyTree(nil, nil, tc.shape, nil, func(Acc) error { return nil }); !errors.Is(err, ErrTree) {
				t.Fatalf("VerifyTree: got %v, want ErrTree", err)
			}
		})
	}
	if _, _, err := checkTree([]TreeNode{{}}); err != nil {
		t.Fatalf("one leaf: %v", err)
	}
}

func TestTreeCancelled(t *testing.T) {
	s, pp, mcs, wit := mergeSetup(t, ajtai.GoldilocksMerge)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	shape := []TreeNode{{Children: []int{1, 2}}, {}, {}}
	if _, _, _, err := ProveTree(ctx, pp, s, shape, []MCS{mcs, mcs, mcs}, []MCSWitness{wit, wit, wit}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
