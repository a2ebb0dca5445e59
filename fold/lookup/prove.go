package lookup

import (
	"context"
	"fmt"

	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/sumcheck"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/kernels/ext"
)

// grain is the table length from which loops here are split across cores.
const grain = 1 << 13

// block is how many entries a worker runs through each kernel call at a
// time, so that a scratch row of them stays in L1.
const block = 256

// Prove proves that the signed fractional sums of groups add to zero, and
// returns the proof and the claims Verify will return (for the caller to
// prove against its commitments). The caller must have bound every column
// into tr (commitments or values) before the call: α and γ are drawn first
// thing from tr, after the groups' shapes.
//
// It fails with ErrShape on malformed groups, and with ErrUnbalanced when the
// sums do not add to zero: the statement is false (for a table lookup, Table
// names the input that is not in the table before it comes to this).
func Prove(ctx context.Context, tr *transcript.Transcript, groups []Group) (*Proof, []Claim, error) {
	if tr == nil {
		return nil, nil, fmt.Errorf("lookup: Prove: nil transcript: %w", ErrShape)
	}
	shapes, err := checkGroups(groups)
	if err != nil {
		return nil, nil, fmt.Errorf("lookup: Prove: %w", err)
	}
	// One empty call checks that the backend has K kernels; the chunked calls
	// below have lengths equal by construction and then cannot fail.
	if err := ext.Mul(nil, nil, nil); err != nil {
		return nil, nil, fmt.Errorf("lookup: Prove: %w", err)
	}
	p := &prover{groups: groups, shapes: shapes}
	p.alpha, p.gamma = challenges(tr, shapes)
	if err := p.buildTrees(ctx); err != nil {
		return nil, nil, fmt.Errorf("lookup: Prove: %w", err)
	}
	roots := p.roots()
	for g := range roots {
		if roots[g].Q.IsZero() {
			return nil, nil, fmt.Errorf("lookup: Prove: group %q has a leaf whose fingerprint is α, so the sum is undefined: %w",
				shapes[g].Name, ErrUnbalanced)
		}
	}
	if sum := balance(shapes, roots); !sum.P.IsZero() {
		return nil, nil, fmt.Errorf("lookup: Prove: the signed sums of the %d groups add to %s/%s, not 0: %w",
			len(groups), sum.P.String(), sum.Q.String(), ErrUnbalanced)
	}
	return p.reduce(ctx, tr, roots)
}

// checkGroups returns the shapes of groups, or an error wrapping ErrShape
// when a group's columns do not have one common power-of-two length.
func checkGroups(groups []Group) ([]Shape, error) {
	if len(groups) > MaxGroups {
		return nil, fmt.Errorf("%d groups, at most %d: %w", len(groups), MaxGroups, ErrShape)
	}
	for i := range groups {
		g := &groups[i]
		if len(g.Tuple) < 1 || len(g.Tuple) > MaxWidth {
			return nil, fmt.Errorf("group %q has %d tuple columns, want 1…%d: %w", g.Name, len(g.Tuple), MaxWidth, ErrShape)
		}
		n := len(g.Tuple[0])
		if n == 0 || n&(n-1) != 0 || mle.NumVars(n) > MaxVars {
			return nil, fmt.Errorf("group %q: tuple column 0 has %d entries, want a power of two up to 2^%d: %w",
				g.Name, n, MaxVars, ErrShape)
		}
		for k, c := range g.Tuple {
			if len(c) != n {
				return nil, fmt.Errorf("group %q: tuple column %d has %d entries, column 0 has %d: %w", g.Name, k, len(c), n, ErrShape)
			}
		}
		if g.Num != nil && len(g.Num) != n {
			return nil, fmt.Errorf("group %q: Num has %d entries, the tuple columns %d: %w", g.Name, len(g.Num), n, ErrShape)
		}
	}
	shapes := Shapes(groups)
	if err := checkShapes(shapes); err != nil {
		return nil, err
	}
	return shapes, nil
}

// tree is a group's fraction tree, layer k at [2^k, 2^(k+1)) of p and q: the
// children of node x of layer k are x and 2^k + x of layer k + 1. A group
// without Num has no p leaves: they would all be 1.
type tree struct {
	vars     int
	p, q     []K
	constant []bool // per tuple column: every entry is the first (a tag)
}

// level returns layer k of a tree's p or q.
func level(s []K, k int) []K { return s[1<<k : 2<<k : 2<<k] }

func (t *tree) root() Fraction { return Fraction{P: t.p[1], Q: t.q[1]} }

// prover is one Prove after the challenges α, γ are drawn.
type prover struct {
	groups       []Group
	shapes       []Shape
	alpha, gamma K
	trees        []tree
}

// buildTrees computes every group's fraction tree from the leaves up.
func (p *prover) buildTrees(ctx context.Context) error {
	p.trees = make([]tree, len(p.groups))
	for i := range p.groups {
		if err := ctx.Err(); err != nil {
			return err
		}
		g := &p.groups[i]
		n := len(g.Tuple[0])
		t := &p.trees[i]
		t.vars = mle.NumVars(n)
		t.q = make([]K, 2*n)
		if g.Num != nil {
			t.p = make([]K, 2*n)
			leaves := level(t.p, t.vars)
			for j := range g.Num {
				leaves[j].A0 = g.Num[j]
			}
		} else {
			t.p = make([]K, max(n, 2)) // layers 0…ℓ−1 only
			if t.vars == 0 {
				t.p[1].SetOne()
			}
		}
		t.constant = constantColumns(g.Tuple)
		leafDenominators(level(t.q, t.vars), g.Tuple, t.constant, p.alpha, p.gamma)
		for k := t.vars - 1; k >= 0; k-- {
			var pLo, pHi []K
			if g.Num != nil || k+1 < t.vars {
				child := level(t.p, k+1)
				pLo, pHi = child[:1<<k], child[1<<k:]
			}
			child := level(t.q, k+1)
			combine(level(t.p, k), level(t.q, k), pLo, pHi, child[:1<<k], child[1<<k:])
		}
	}
	return nil
}

func (p *prover) roots() []Fraction {
	roots := make([]Fraction, len(p.trees))
	for g := range p.trees {
		roots[g] = p.trees[g].root()
	}
	return roots
}

// constantColumns reports, per column, whether every entry equals the
// first, as in the tag columns: such a column costs nothing per leaf, and
// its multilinear extension is the constant. A column that varies is
// usually found out at its second entry.
func constantColumns(cols [][]F) []bool {
	c := make([]bool, len(cols))
	for k, col := range cols {
		c[k] = true
		for i := range col {
			if col[i] != col[0] {
				c[k] = false
				break
			}
		}
	}
	return c
}

// leafDenominators sets q[i] = α − γ^W − Σ_{k<W} γ^k·cols[k][i] (the
// fingerprint of the row) for W columns, of which those marked constant go
// into the part every leaf shares: the columns are over F, so each other
// one costs two base multiplications per leaf (none for the first).
func leafDenominators(q []K, cols [][]F, constant []bool, alpha, gamma K) {
	pow := powers(gamma, len(cols))
	var base, t K
	base.Sub(&alpha, &pow[len(cols)])
	var vary []int
	for k, c := range constant {
		if c {
			t.MulByElement(&pow[k], &cols[k][0])
			base.Sub(&base, &t)
		} else {
			vary = append(vary, k)
		}
	}
	neg := make([]K, len(pow))
	for k := range pow {
		neg[k].Neg(&pow[k])
	}
	parallel.For(len(q), grain, func(lo, hi int) {
		for b := lo; b < hi; b += block {
			e := min(b+block, hi)
			for i := range q[b:e] {
				q[b+i] = base
			}
			for _, k := range vary {
				if k == 0 { // γ^0 = 1: a subtraction in the first coordinate
					for i, x := range cols[k][b:e] {
						q[b+i].A0.Sub(&q[b+i].A0, &x)
					}
					continue
				}
				_ = ext.MulAddBase(q[b:e], neg[k], cols[k][b:e])
			}
		}
	})
}

// combine sets the nodes p = pLo·qHi + pHi·qLo, q = qLo·qHi of a layer from
// the halves of the layer below; nil pLo and pHi stand for all ones.
func combine(p, q, pLo, pHi, qLo, qHi []K) {
	parallel.For(len(q), grain, func(lo, hi int) {
		var scratch [block]K
		for b := lo; b < hi; b += block {
			e := min(b+block, hi)
			if pLo == nil {
				_ = ext.Add(p[b:e], qLo[b:e], qHi[b:e])
			} else {
				t := scratch[:e-b]
				_ = ext.Mul(p[b:e], pLo[b:e], qHi[b:e])
				_ = ext.Mul(t, pHi[b:e], qLo[b:e])
				_ = ext.Add(p[b:e], p[b:e], t)
			}
			_ = ext.Mul(q[b:e], qLo[b:e], qHi[b:e])
		}
	})
}

// reduce runs the layer sum-checks from the roots down to the leaves (the
// trees' tables are consumed) and sends the tuple evaluations.
func (p *prover) reduce(ctx context.Context, tr *transcript.Transcript, roots []Fraction) (*Proof, []Claim, error) {
	proof := &Proof{Roots: roots}
	tr.AppendExt(labelRoots, flatten(roots)...)
	r := newReduction(p.shapes, append([]Fraction(nil), roots...))
	proof.Layers = make([]sumcheck.Proof, r.layers)
	for k := range r.layers {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("lookup: Prove: layer %d: %w", k, err)
		}
		slots, n := r.layer(k)
		g, claim := r.composition(slots, n, tr.ChallengeExt(labelLambda))
		eq, err := mle.EqTable(r.point)
		if err != nil {
			return nil, nil, fmt.Errorf("lookup: Prove: layer %d: %w", k, err)
		}
		tables := make([][]K, 1, n)
		tables[0] = eq
		h := 1 << k
		for _, s := range slots {
			t := &p.trees[s.group]
			if s.hasP {
				pk := level(t.p, k+1)
				tables = append(tables, pk[:h:h], pk[h:])
			}
			q := level(t.q, k+1)
			tables = append(tables, q[:h:h], q[h:])
		}
		sp, next, err := sumcheck.Prove(ctx, tr, claim, g, tables)
		if err != nil {
			return nil, nil, fmt.Errorf("lookup: Prove: layer %d: %w", k, err)
		}
		proof.Layers[k] = *sp
		r.advance(tr, k, slots, sp.Evals, next)
	}

	proof.Tuples = make([][]K, len(p.groups))
	eqs := make(map[int][]K) // groups with the same ℓ share their leaf point
	for i := range p.groups {
		c := &r.leaves[i]
		evals, err := p.tupleEvals(i, c.Point, r.leafQ[i], eqs)
		if err != nil {
			return nil, nil, fmt.Errorf("lookup: Prove: group %q: %w", p.groups[i].Name, err)
		}
		proof.Tuples[i] = evals
		tr.AppendExt(labelTuple, proof.Tuples[i]...)
		c.Tuple = append([]K(nil), proof.Tuples[i]...)
	}
	return proof, r.leaves, nil
}

// powers returns 1, γ, …, γ^w.
func powers(gamma K, w int) []K {
	pow := make([]K, w+1)
	pow[0].SetOne()
	for k := 1; k <= w; k++ {
		pow[k].Mul(&pow[k-1], &gamma)
	}
	return pow
}

// tupleEvals returns the evaluations of group g's tuple columns at its leaf
// point. All but the last are the constants of the constant columns and
// passes over the others, with the eq tables of the points cached in eqs;
// the last follows from the leaf claim, q̃ = α − Σ_{k<W} γ^k·t_k(r) − γ^W,
// which an honest reduction makes exact.
func (p *prover) tupleEvals(g int, point []K, leafQ K, eqs map[int][]K) ([]K, error) {
	cols := p.groups[g].Tuple
	last := len(cols) - 1
	if last > 0 && p.gamma.IsZero() {
		last = len(cols) // γ^last cannot be divided out: evaluate them all
	}
	evals := make([]K, last, len(cols))
	var vary []int
	var varying [][]F
	for k := range last {
		if p.trees[g].constant[k] {
			evals[k].A0 = cols[k][0]
		} else {
			vary = append(vary, k)
			varying = append(varying, cols[k])
		}
	}
	if len(vary) > 0 {
		eq, ok := eqs[len(point)]
		if !ok {
			var err error
			if eq, err = mle.EqTable(point); err != nil {
				return nil, err
			}
			eqs[len(point)] = eq
		}
		for j, e := range evaluateColumns(varying, eq) {
			evals[vary[j]] = e
		}
	}
	if last == len(cols) {
		return evals, nil
	}
	// γ^last·t_last = α − q̃ − γ^W − Σ_{k<last} γ^k·t_k
	pow := powers(p.gamma, len(cols))
	var rest, x K
	rest.Sub(&p.alpha, &leafQ)
	rest.Sub(&rest, &pow[len(cols)])
	for k := range evals {
		x.Mul(&pow[k], &evals[k])
		rest.Sub(&rest, &x)
	}
	x.Inverse(&pow[last])
	rest.Mul(&rest, &x)
	return append(evals, rest), nil
}

// evaluateColumns returns Σ_i eq[i]·col[i] for each column over F: the
// multilinear extensions of the columns at the point of the table eq, in
// one pass that reads eq once for all of them.
func evaluateColumns(cols [][]F, eq []K) []K {
	w := parallel.Workers(len(eq), grain)
	parts := make([][]K, w)
	parallel.Split(len(eq), w, func(c, lo, hi int) {
		acc := make([]K, len(cols))
		for k, col := range cols {
			v, _ := ext.InnerBase(eq[lo:hi], col[lo:hi])
			acc[k] = v
		}
		parts[c] = acc
	})
	out := parts[0]
	for _, part := range parts[1:] {
		for k := range out {
			out[k].Add(&out[k], &part[k])
		}
	}
	return out
}
