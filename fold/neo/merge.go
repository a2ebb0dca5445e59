package neo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/sched"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/lattice/ajtai"
)

// nodePCD is the node kind of a PCD merge (fold/NEO.md §2.2 step 2).
const nodePCD = 1

// ErrTree is wrapped by the errors about a PCD tree's shape that is not a
// tree, or a tree proof that does not fit its shape.
var ErrTree = errors.New("neo: malformed PCD tree")

// mergeGuard checks the norm guard for a merge's 2k + 1 claims (fold/NEO.md
// §3.3) and names the preset to use instead when it fails: no regrouping of
// the claims helps, only a larger k.
func mergeGuard(p ajtai.Params) error {
	err := p.Guard(2*p.K + 1)
	if err == nil || !errors.Is(err, ajtai.ErrGuard) {
		return err
	}
	switch p.Base {
	case 2:
		return fmt.Errorf("%w; merges need ajtai.GoldilocksMerge (k = 13)", err)
	case 3:
		return fmt.Errorf("%w; merges need ajtai.GoldilocksTernaryMerge (k = 9)", err)
	}
	return fmt.Errorf("%w; merges need a larger k", err)
}

// startMerge returns a merge's transcript after §2.2 steps 1–3: the header,
// the node, and both input accumulators' digests in order.
func (nd node) startMerge(a, b Acc) *transcript.Transcript {
	tr := transcript.New(foldProtocol)
	tr.AppendField("header", nd.header[:]...)
	tr.AppendUint64("node", nodePCD, nd.index)
	tr.AppendField("acc", a.Digest[:]...)
	tr.AppendField("acc", b.Digest[:]...)
	return tr
}

// checkMergeInput checks that acc holds k claims, as a fold produces, and
// that accW has a witness for each.
func checkMergeInput(pp *ajtai.PublicParams, acc Acc, accW *AccWitness) error {
	if err := checkAcc(pp, acc); err != nil {
		return err
	}
	if len(acc.Claims) == 0 {
		return fmt.Errorf("%w: an empty accumulator cannot be merged; fold its step instead", ErrShape)
	}
	if accW != nil && len(accW.Z) != len(acc.Claims) {
		return fmt.Errorf("%w: %d witnesses for an accumulator of %d claims", ErrShape, len(accW.Z), len(acc.Claims))
	}
	return nil
}

// Merge folds two accumulators a and b, opened by aW and bW, and the step
// mcs, opened by wit, into one accumulator (fold/NEO.md §5.1, a PCD node):
// Π_CCS with 2k + 1 claims at three points (the step's and the two
// accumulators', §2.9), then Π_RLC and Π_DEC, on a transcript that absorbs
// both digests in order. It returns the new accumulator, its witness and
// the proof VerifyMerge checks.
//
// The parameters must pass the norm guard for 2k + 1 claims: the Goldilocks
// presets do not, and Merge refuses them with an error wrapping
// ajtai.ErrGuard that names the merge preset to use. The step is checked
// first (CheckMCS), as by Fold; a or b empty or with a witness that does not
// fit is an error wrapping ErrShape.
//
// Merge is a merge outside a tree: its header binds pp and s only and its
// node index is 0. ProveTree also binds the tree's shape and node ids.
func Merge(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, a, b Acc, aW, bW AccWitness, mcs MCS, wit MCSWitness) (Acc, AccWitness, *FoldProof, error) {
	if pp == nil || s == nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("neo: Merge: %w: nil commitment key or CCS", ErrShape)
	}
	dm, err := dimsOf(pp, s)
	if err != nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("neo: Merge: %w", err)
	}
	if err := mergeGuard(pp.Params()); err != nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("neo: Merge: %w", err)
	}
	if err := CheckMCS(ctx, pp, s, mcs, wit); err != nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("neo: Merge: step: %w", err)
	}
	out, outW, proof, err := proveMerge(ctx, pp, s, node{header: newHeader(pp, s, dm, nil)}, a, b, aW, bW, mcs, wit.Z)
	if err != nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("neo: Merge: %w", err)
	}
	return out, outW, proof, nil
}

// proveMerge is Merge after the guard and the step are checked, at the node
// nd.
func proveMerge(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, nd node, a, b Acc, aW, bW AccWitness, mcs MCS, Z []int8) (Acc, AccWitness, *FoldProof, error) {
	if err := checkMergeInput(pp, a, &aW); err != nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("first accumulator: %w", err)
	}
	if err := checkMergeInput(pp, b, &bW); err != nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("second accumulator: %w", err)
	}
	tm := nd.stats.timer()
	tr := nd.startMerge(a, b)
	carriedZ := slices.Concat(aW.Z, bW.Z)
	claims, ccsProof, err := proveCCSGroups(ctx, tr, pp, s, mcs, MCSWitness{Z: Z}, [][]Claim{a.Claims, b.Claims}, carriedZ, 0)
	if err != nil {
		return Acc{}, AccWitness{}, nil, fmt.Errorf("Π_CCS: %w", err)
	}
	tm.lap(ccsTime)
	out, outW, parts, err := finishFold(ctx, tr, pp, s, claims, append([][]int8{Z}, carriedZ...), &tm)
	if err != nil {
		return Acc{}, AccWitness{}, nil, err
	}
	return out, outW, &FoldProof{CCS: ccsProof, Parts: parts}, nil
}

// VerifyMerge checks the merge of a and b with the step mcs and returns the
// new accumulator, the one Merge returned with it. a and b must be
// accumulators the verifier derived itself (VerifyFold, VerifyMerge), in
// Merge's order: their claims are bound by their digests only.
//
// The errors are VerifyFold's, and the guard's error of Merge for
// parameters that cannot merge.
func VerifyMerge(pp *ajtai.PublicParams, s *ccs.CCS, a, b Acc, mcs MCS, proof *FoldProof) (Acc, error) {
	if pp == nil || s == nil {
		return Acc{}, fmt.Errorf("neo: VerifyMerge: %w: nil commitment key or CCS", ErrShape)
	}
	dm, err := dimsOf(pp, s)
	if err != nil {
		return Acc{}, fmt.Errorf("neo: VerifyMerge: %w", err)
	}
	out, err := verifyMerge(pp, s, node{header: newHeader(pp, s, dm, nil)}, a, b, mcs, proof)
	if err != nil {
		return Acc{}, fmt.Errorf("neo: VerifyMerge: %w", err)
	}
	return out, nil
}

// verifyMerge is VerifyMerge at the node nd.
func verifyMerge(pp *ajtai.PublicParams, s *ccs.CCS, nd node, a, b Acc, mcs MCS, proof *FoldProof) (Acc, error) {
	if err := mergeGuard(pp.Params()); err != nil {
		return Acc{}, err
	}
	if err := checkMergeInput(pp, a, nil); err != nil {
		return Acc{}, fmt.Errorf("first accumulator: %w", err)
	}
	if err := checkMergeInput(pp, b, nil); err != nil {
		return Acc{}, fmt.Errorf("second accumulator: %w", err)
	}
	if proof == nil {
		return Acc{}, fmt.Errorf("%w: no proof", ErrShape)
	}
	return verifyRest(nd.startMerge(a, b), pp, s, mcs, [][]Claim{a.Claims, b.Claims}, 0, proof)
}

// TreeNode is one node of a PCD tree's shape (fold/NEO.md §5.2). Each node
// has a step: a leaf (no children) folds its step into the empty
// accumulator, an inner node (two children) merges its children's
// accumulators, first Children[0]'s, with its step.
type TreeNode struct {
	Children []int
}

// TreeProof proves a PCD tree: the commitment and public input of every
// node's step, and every node's fold or merge, indexed like the shape.
type TreeProof struct {
	Steps []MCS
	Folds []*FoldProof
}

// checkTree returns the root of shape and its nodes with every node after
// its children, or an error wrapping ErrTree when shape is not a tree:
// no nodes, a node with other than 0 or 2 children, a child out of range,
// a node used as a child twice, other than one root, or a cycle.
func checkTree(shape []TreeNode) (root int, order []int, err error) {
	if len(shape) == 0 {
		return 0, nil, fmt.Errorf("%w: no nodes", ErrTree)
	}
	parent := make([]int, len(shape))
	for i := range parent {
		parent[i] = -1
	}
	for i, nd := range shape {
		if len(nd.Children) != 0 && len(nd.Children) != 2 {
			return 0, nil, fmt.Errorf("%w: node %d has %d children, want 0 or 2", ErrTree, i, len(nd.Children))
		}
		for _, c := range nd.Children {
			switch {
			case c < 0 || c >= len(shape):
				return 0, nil, fmt.Errorf("%w: node %d has child %d, want 0…%d", ErrTree, i, c, len(shape)-1)
			case parent[c] >= 0:
				return 0, nil, fmt.Errorf("%w: node %d is a child of nodes %d and %d", ErrTree, c, parent[c], i)
			}
			parent[c] = i
		}
	}
	root = -1
	for i, p := range parent {
		if p >= 0 {
			continue
		}
		if root >= 0 {
			return 0, nil, fmt.Errorf("%w: nodes %d and %d are both roots", ErrTree, root, i)
		}
		root = i
	}
	if root < 0 {
		return 0, nil, fmt.Errorf("%w: no root: the nodes form a cycle", ErrTree)
	}
	// Every node but the root has one parent, so the walk from the root
	// reaches every node exactly when there is no cycle.
	var walk func(int)
	walk = func(i int) {
		for _, c := range shape[i].Children {
			walk(c)
		}
		order = append(order, i)
	}
	walk(root)
	if len(order) != len(shape) {
		return 0, nil, fmt.Errorf("%w: %d of %d nodes are not below the root: they form a cycle", ErrTree, len(shape)-len(order), len(shape))
	}
	return root, order, nil
}

// treeHeader returns H for a tree (§2.2 step 1): the header of pp and s
// together with the shape, so that every fold of the proof is bound to its
// place in the tree.
func treeHeader(pp *ajtai.PublicParams, s *ccs.CCS, dm dims, shape []TreeNode) [4]goldilocks.Element {
	base := newHeader(pp, s, dm, nil)
	tr := transcript.New(headerProtocol)
	tr.AppendField("base", base[:]...)
	desc := []uint64{uint64(len(shape))}
	for _, nd := range shape {
		desc = append(desc, uint64(len(nd.Children)))
		for _, c := range nd.Children {
			desc = append(desc, uint64(c))
		}
	}
	tr.AppendUint64("tree", desc...)
	return [4]goldilocks.Element(tr.ChallengeFields("header", 4))
}

// treeMerges reports whether shape has an inner node.
func treeMerges(shape []TreeNode) bool {
	return slices.ContainsFunc(shape, func(nd TreeNode) bool { return len(nd.Children) > 0 })
}

// treeAcc is what a node of ProveTree hands its parent.
type treeAcc struct {
	acc Acc
	w   AccWitness
}

// ProveTree proves a PCD tree (fold/NEO.md §5.2): node i folds steps[i],
// opened by wits[i], into the empty accumulator when it is a leaf, or merges
// its children's accumulators with it. The nodes run on fold/sched, each as
// soon as its children are done, so independent subtrees fold in parallel;
// every transcript depends only on the header and the children's digests,
// so the proof does not depend on the schedule. The first error cancels the
// rest. It returns the proof and the root's accumulator and witness, which
// Decide opens.
//
// The shape is checked first (ErrTree), then the guard for merges (as
// Merge), then every step (CheckMCS, naming the node).
func ProveTree(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, shape []TreeNode, steps []MCS, wits []MCSWitness) (*TreeProof, Acc, AccWitness, error) {
	root, _, err := checkTree(shape)
	if err != nil {
		return nil, Acc{}, AccWitness{}, fmt.Errorf("neo: ProveTree: %w", err)
	}
	if pp == nil || s == nil {
		return nil, Acc{}, AccWitness{}, fmt.Errorf("neo: ProveTree: %w: nil commitment key or CCS", ErrShape)
	}
	if len(steps) != len(shape) || len(wits) != len(shape) {
		return nil, Acc{}, AccWitness{}, fmt.Errorf("neo: ProveTree: %w: %d steps and %d witnesses for %d nodes", ErrTree, len(steps), len(wits), len(shape))
	}
	dm, err := dimsOf(pp, s)
	if err != nil {
		return nil, Acc{}, AccWitness{}, fmt.Errorf("neo: ProveTree: %w", err)
	}
	if treeMerges(shape) {
		if err := mergeGuard(pp.Params()); err != nil {
			return nil, Acc{}, AccWitness{}, fmt.Errorf("neo: ProveTree: %w", err)
		}
	}
	for i := range steps {
		if err := CheckMCS(ctx, pp, s, steps[i], wits[i]); err != nil {
			return nil, Acc{}, AccWitness{}, fmt.Errorf("neo: ProveTree: node %d: %w", i, err)
		}
	}
	header := treeHeader(pp, s, dm, shape)
	proof := &TreeProof{Steps: slices.Clone(steps), Folds: make([]*FoldProof, len(shape))}
	jobs := make([]sched.Job[treeAcc], len(shape))
	for i, nd := range shape {
		jobs[i] = sched.Job[treeAcc]{
			Name: fmt.Sprintf("node %d", i),
			Deps: nd.Children,
			Run: func(ctx context.Context, in []treeAcc) (treeAcc, error) {
				at := node{header: header, index: uint64(i)}
				var out treeAcc
				var err error
				if len(in) == 0 {
					out.acc, out.w, proof.Folds[i], err = proveFold(ctx, pp, s, at, Acc{}, AccWitness{}, steps[i], wits[i].Z)
				} else {
					out.acc, out.w, proof.Folds[i], err = proveMerge(ctx, pp, s, at, in[0].acc, in[1].acc, in[0].w, in[1].w, steps[i], wits[i].Z)
				}
				return out, err
			},
		}
	}
	results, err := sched.Run(ctx, jobs)
	if err != nil {
		return nil, Acc{}, AccWitness{}, fmt.Errorf("neo: ProveTree: %w", err)
	}
	return proof, results[root].acc, results[root].w, nil
}

// VerifyTree checks proof against shape: every node's fold or merge, each
// after its children, then decide on the root's accumulator, which it
// returns. As for VerifyChain, decide is the decider and a nil decide is
// refused. The errors name the node: ErrTree for a shape that is not a tree
// or a proof of another number of nodes, VerifyFold's and VerifyMerge's
// errors for a rejected node, decide's error wrapped.
func VerifyTree(pp *ajtai.PublicParams, s *ccs.CCS, shape []TreeNode, proof *TreeProof, decide func(Acc) error) (Acc, error) {
	if decide == nil {
		return Acc{}, fmt.Errorf("neo: VerifyTree: %w: no decider", ErrShape)
	}
	root, order, err := checkTree(shape)
	if err != nil {
		return Acc{}, fmt.Errorf("neo: VerifyTree: %w", err)
	}
	if pp == nil || s == nil || proof == nil {
		return Acc{}, fmt.Errorf("neo: VerifyTree: %w: nil commitment key, CCS or proof", ErrShape)
	}
	if len(proof.Steps) != len(shape) || len(proof.Folds) != len(shape) {
		return Acc{}, fmt.Errorf("neo: VerifyTree: %w: %d steps and %d folds for %d nodes", ErrTree, len(proof.Steps), len(proof.Folds), len(shape))
	}
	dm, err := dimsOf(pp, s)
	if err != nil {
		return Acc{}, fmt.Errorf("neo: VerifyTree: %w", err)
	}
	header := treeHeader(pp, s, dm, shape)
	accs := make([]Acc, len(shape))
	for _, i := range order {
		at := node{header: header, index: uint64(i)}
		if ch := shape[i].Children; len(ch) == 0 {
			accs[i], err = verifyFold(pp, s, at, Acc{}, proof.Steps[i], proof.Folds[i])
		} else {
			accs[i], err = verifyMerge(pp, s, at, accs[ch[0]], accs[ch[1]], proof.Steps[i], proof.Folds[i])
			accs[ch[0]], accs[ch[1]] = Acc{}, Acc{}
		}
		if err != nil {
			return Acc{}, fmt.Errorf("neo: VerifyTree: node %d: %w", i, err)
		}
	}
	if err := decide(accs[root]); err != nil {
		return Acc{}, fmt.Errorf("neo: VerifyTree: decider: %w", err)
	}
	return accs[root], nil
}
