package lookup

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/sumcheck"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/kernels/ext"
)

// K is the sum-check extension field F_q[u]/(u² − 7).
type K = ext.K

// F is the base field.
type F = goldilocks.Element

// Limits on a statement, which also bound what a decoded proof may hold.
const (
	// MaxGroups is the most groups in one proof: a layer's sum-check reads
	// an eq table and four tables per group, at most sumcheck.MaxPolys.
	MaxGroups = (sumcheck.MaxPolys - 1) / 4
	MaxVars   = mle.MaxVars // ℓ of one group: 2^32 leaves
	MaxWidth  = 64          // tuple columns of one group
)

// Errors wrapped by what Prove and Verify return.
var (
	ErrUnbalanced = errors.New("lookup: the fractional sums do not balance") // Prove: the statement is false
	ErrShape      = errors.New("lookup: malformed input")                    // groups, shapes, columns
	ErrReject     = errors.New("lookup: proof rejected")                     // Verify
	ErrEncoding   = errors.New("lookup: malformed proof encoding")           // UnmarshalBinary
)

// Group is one set of logUp leaves: the fractions Num[i] / (α − φ_i) for
// i < 2^ℓ, where φ_i = Σ_{k<W} γ^k·Tuple[k][i] + γ^W fingerprints the row's
// tuple of width W, counted with a minus sign when Neg is set. The statement
// a proof makes is that the signed sum over all groups is zero.
//
// The γ^W term ends every tuple with an implicit 1, so that tuples of
// different widths never have the same fingerprint: without it (x) and
// (x, 0) would. Tuples of the same width are told apart only by their
// entries, which is why every relation in an argument starts its tuples
// with a tag of its own (see the package documentation).
type Group struct {
	Name  string // names the group in errors and claims
	Num   []F    // numerators; nil means every numerator is 1
	Tuple [][]F  // the tuple columns, each of length 2^ℓ (ℓ ≥ 0)
	Neg   bool
}

// Shape is what the verifier knows of a group: everything but the values.
type Shape struct {
	Name   string
	Vars   int // ℓ
	Width  int // number of tuple columns
	HasNum bool
	Neg    bool
}

// Shape returns the shape of g, for a verifier that is given the groups (a
// test, or a caller that proves and verifies in one process). The number of
// variables is that of g's first column (of Num when it has no column); Prove
// checks the lengths.
func (g *Group) Shape() Shape {
	n := len(g.Num)
	if len(g.Tuple) > 0 {
		n = len(g.Tuple[0])
	}
	return Shape{Name: g.Name, Vars: mle.NumVars(n), Width: len(g.Tuple), HasNum: g.Num != nil, Neg: g.Neg}
}

// Shapes returns the shapes of groups.
func Shapes(groups []Group) []Shape {
	s := make([]Shape, len(groups))
	for i := range groups {
		s[i] = groups[i].Shape()
	}
	return s
}

// Claim is an evaluation claim the verifier leaves to its caller: the
// multilinear extensions of the group's columns take these values at Point.
// The caller checks them against the columns' commitments, or, for public
// columns, itself: CheckTuple and CheckNum evaluate a fixed column,
// CheckConstant checks a constant one (a tag), CheckRange the range table.
type Claim struct {
	Group string
	Point []K
	Num   K   // Num's evaluation (1 when the group has no Num)
	Tuple []K // one per tuple column
}

// Fraction is a node p/q of a group's fraction tree.
type Fraction struct {
	P, Q K
}

// Proof is a logUp-GKR proof: per group, the root of its fraction tree; per
// layer k, the sum-check that reduces the claims on the nodes of layer k of
// every group with more than k variables to claims on layer k + 1; per group,
// its tuple columns at the point where the reduction reached its leaves.
type Proof struct {
	Roots  []Fraction
	Layers []sumcheck.Proof // Layers[k] has k rounds
	Tuples [][]K
}

// Transcript labels.
const (
	labelGroups = "logup/groups"
	labelName   = "logup/name"
	labelShape  = "logup/shape"
	labelAlpha  = "logup/alpha"
	labelGamma  = "logup/gamma"
	labelRoots  = "logup/roots"
	labelLambda = "logup/lambda"
	labelTau    = "logup/tau"
	labelTuple  = "logup/tuple"
)

// checkShapes returns an error wrapping ErrShape unless shapes are within the
// limits and their names distinct (claims are told apart by name).
func checkShapes(shapes []Shape) error {
	if len(shapes) > MaxGroups {
		return fmt.Errorf("%d groups, at most %d: %w", len(shapes), MaxGroups, ErrShape)
	}
	names := make(map[string]int, len(shapes))
	for i, s := range shapes {
		if s.Vars < 0 || s.Vars > MaxVars {
			return fmt.Errorf("group %q has %d variables, want 0…%d: %w", s.Name, s.Vars, MaxVars, ErrShape)
		}
		if s.Width < 1 || s.Width > MaxWidth {
			return fmt.Errorf("group %q has %d tuple columns, want 1…%d: %w", s.Name, s.Width, MaxWidth, ErrShape)
		}
		if j, ok := names[s.Name]; ok {
			return fmt.Errorf("groups %d and %d are both named %q: %w", j, i, s.Name, ErrShape)
		}
		names[s.Name] = i
	}
	return nil
}

// challenges binds the shapes into tr and draws α and γ. Everything the
// leaves depend on is in tr by then: the caller's columns, and what each
// group is.
func challenges(tr *transcript.Transcript, shapes []Shape) (alpha, gamma K) {
	tr.AppendUint64(labelGroups, uint64(len(shapes)))
	for _, s := range shapes {
		tr.AppendBytes(labelName, []byte(s.Name))
		tr.AppendUint64(labelShape, uint64(s.Vars), uint64(s.Width), bit(s.HasNum), bit(s.Neg))
	}
	return tr.ChallengeExt(labelAlpha), tr.ChallengeExt(labelGamma)
}

func bit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// balance returns Σ_g ±P_g/Q_g as the fraction P/Q, cross-multiplied so
// that nothing is inverted; Q is nonzero when every Q_g is.
func balance(shapes []Shape, roots []Fraction) Fraction {
	var sum Fraction
	sum.Q.SetOne()
	var t K
	for g, r := range roots {
		t.Mul(&r.P, &sum.Q)
		if shapes[g].Neg {
			t.Neg(&t)
		}
		sum.P.Mul(&sum.P, &r.Q)
		sum.P.Add(&sum.P, &t)
		sum.Q.Mul(&sum.Q, &r.Q)
	}
	return sum
}

// slot places one group's tables in the sum-check of a layer, after the eq
// table at index 0: p_lo, p_hi, q_lo, q_hi from index at, or only q_lo, q_hi
// when the children are the leaves of a group without Num (every p is 1).
type slot struct {
	group int
	hasP  bool
	at    int
}

// reduction is the state prover and verifier share while they walk the
// layers: the claims on the current layer at the common point, and the leaf
// claims of the groups whose leaves were reached. Sharing it keeps their
// transcripts identical by construction.
type reduction struct {
	shapes []Shape
	layers int        // the most variables of any group
	point  []K        // ρ: the point of the current layer's claims
	claims []Fraction // per group, p_k(ρ), q_k(ρ) while the group is active
	leaves []Claim    // per group, filled in when its leaves are reached (Num only)
	leafQ  []K        // per group, q̃ at its leaves
}

func newReduction(shapes []Shape, roots []Fraction) *reduction {
	r := &reduction{
		shapes: shapes,
		claims: roots,
		leaves: make([]Claim, len(shapes)),
		leafQ:  make([]K, len(shapes)),
	}
	for g, s := range shapes {
		r.layers = max(r.layers, s.Vars)
		if s.Vars == 0 {
			r.finish(g)
		}
	}
	return r
}

// finish records the current claim of group g as the claim on its leaves.
func (r *reduction) finish(g int) {
	c := &r.leaves[g]
	c.Group = r.shapes[g].Name
	c.Point = append([]K(nil), r.point...)
	c.Num = r.claims[g].P
	r.leafQ[g] = r.claims[g].Q
}

// layer returns the slots of the groups active in the sum-check of layer k
// (those with more than k variables) and the number of tables it reads.
func (r *reduction) layer(k int) ([]slot, int) {
	var slots []slot
	n := 1
	for g, s := range r.shapes {
		if s.Vars <= k {
			continue
		}
		hasP := s.HasNum || s.Vars > k+1
		slots = append(slots, slot{group: g, hasP: hasP, at: n})
		if hasP {
			n += 4
		} else {
			n += 2
		}
	}
	return slots, n
}

// composition returns the polynomial the sum-check of a layer runs over, for
// slots of n tables and the batching challenge λ, and the sum it must have:
// Σ_j λ^{2j}·p_j(ρ) + λ^{2j+1}·q_j(ρ) over the active groups j. The
// polynomial is the same combination of p = p_lo·q_hi + p_hi·q_lo and
// q = q_lo·q_hi at each x, times eq(ρ, x).
func (r *reduction) composition(slots []slot, n int, lambda K) (sumcheck.Products, K) {
	g := sumcheck.Products{N: n, Terms: make([]sumcheck.Term, 0, 3*len(slots))}
	var claim, cp, cq, t K
	cp.SetOne()
	for _, s := range slots {
		cq.Mul(&cp, &lambda)
		c := r.claims[s.group]
		t.Mul(&cp, &c.P)
		claim.Add(&claim, &t)
		t.Mul(&cq, &c.Q)
		claim.Add(&claim, &t)
		if s.hasP {
			pLo, pHi, qLo, qHi := s.at, s.at+1, s.at+2, s.at+3
			g.Terms = append(g.Terms,
				sumcheck.Term{Coeff: cp, Factors: []int{0, pLo, qHi}},
				sumcheck.Term{Coeff: cp, Factors: []int{0, pHi, qLo}},
				sumcheck.Term{Coeff: cq, Factors: []int{0, qLo, qHi}})
		} else {
			qLo, qHi := s.at, s.at+1
			g.Terms = append(g.Terms,
				sumcheck.Term{Coeff: cp, Factors: []int{0, qLo}},
				sumcheck.Term{Coeff: cp, Factors: []int{0, qHi}},
				sumcheck.Term{Coeff: cq, Factors: []int{0, qLo, qHi}})
		}
		cp.Mul(&cq, &lambda)
	}
	return g, claim
}

// advance takes the sum-check of layer k to the claims on layer k + 1: it
// draws τ, moves every active group's claim to p_{k+1}(τ, ρ') =
// p_lo(ρ') + τ·(p_hi(ρ') − p_lo(ρ')) (likewise q) from the evaluations, and
// finishes the groups whose leaves are layer k + 1.
func (r *reduction) advance(tr *transcript.Transcript, k int, slots []slot, evals, next []K) {
	tau := tr.ChallengeExt(labelTau)
	r.point = append(append(make([]K, 0, len(next)+1), tau), next...)
	var one K
	one.SetOne()
	for _, s := range slots {
		c := &r.claims[s.group]
		if s.hasP {
			c.P = line(evals[s.at], evals[s.at+1], tau)
			c.Q = line(evals[s.at+2], evals[s.at+3], tau)
		} else {
			c.P = one
			c.Q = line(evals[s.at], evals[s.at+1], tau)
		}
		if r.shapes[s.group].Vars == k+1 {
			r.finish(s.group)
		}
	}
}

// line returns lo + τ·(hi − lo).
func line(lo, hi, tau K) K {
	var d K
	d.Sub(&hi, &lo)
	d.Mul(&d, &tau)
	d.Add(&d, &lo)
	return d
}

// fingerprint returns the leaf denominator of the tuple t:
// α − (Σ_{k<W} γ^k·t[k] + γ^W) for W = len(t).
func fingerprint(alpha, gamma K, t []K) K {
	var acc, pow, x K
	acc = alpha
	pow.SetOne()
	for i := range t {
		x.Mul(&pow, &t[i])
		acc.Sub(&acc, &x)
		pow.Mul(&pow, &gamma)
	}
	acc.Sub(&acc, &pow)
	return acc
}

// Verify checks p for groups of the given shapes and returns the claims the
// caller must check against the columns, one per group in the order of
// shapes. A proof that does not match the shapes or fails a check is an error
// wrapping ErrReject; bad shapes are an error wrapping ErrShape.
//
// THE CALLER MUST CHECK EVERY CLAIM against the columns it bound into tr
// before the call: Verify sees no column.
func Verify(tr *transcript.Transcript, shapes []Shape, p *Proof) ([]Claim, error) {
	if tr == nil {
		return nil, fmt.Errorf("lookup: Verify: nil transcript: %w", ErrShape)
	}
	if err := checkShapes(shapes); err != nil {
		return nil, fmt.Errorf("lookup: Verify: %w", err)
	}
	if err := checkStructure(shapes, p); err != nil {
		return nil, fmt.Errorf("lookup: Verify: %w", err)
	}
	alpha, gamma := challenges(tr, shapes)

	tr.AppendExt(labelRoots, flatten(p.Roots)...)
	for g, root := range p.Roots {
		if root.Q.IsZero() {
			return nil, fmt.Errorf("lookup: Verify: group %q has a zero denominator at its root: %w", shapes[g].Name, ErrReject)
		}
	}
	if sum := balance(shapes, p.Roots); !sum.P.IsZero() {
		return nil, fmt.Errorf("lookup: Verify: the roots sum to %s/%s, not 0: %w", sum.P.String(), sum.Q.String(), ErrReject)
	}

	r := newReduction(shapes, append([]Fraction(nil), p.Roots...))
	for k := range r.layers {
		slots, n := r.layer(k)
		g, claim := r.composition(slots, n, tr.ChallengeExt(labelLambda))
		layer := &p.Layers[k]
		// Table 0 is eq(ρ, ·), which the verifier evaluates itself; the
		// others' evaluations become the claims of the next layer.
		eqAt := func(point, evals []K) error {
			eq, err := mle.Eq(r.point, point)
			if err != nil {
				return err
			}
			if !eq.Equal(&evals[0]) {
				return fmt.Errorf("the eq table's evaluation is %s, eq(ρ, r) is %s", evals[0].String(), eq.String())
			}
			return nil
		}
		next, err := sumcheck.Verify(tr, claim, g, k, layer, eqAt)
		if err != nil {
			return nil, fmt.Errorf("lookup: Verify: layer %d: %w: %w", k, ErrReject, err)
		}
		r.advance(tr, k, slots, layer.Evals, next)
	}

	var one K
	one.SetOne()
	claims := r.leaves
	for g, s := range shapes {
		tr.AppendExt(labelTuple, p.Tuples[g]...)
		if !s.HasNum && !claims[g].Num.Equal(&one) {
			return nil, fmt.Errorf("lookup: Verify: group %q has no Num but its leaves evaluate to %s, not 1: %w",
				s.Name, claims[g].Num.String(), ErrReject)
		}
		if fp := fingerprint(alpha, gamma, p.Tuples[g]); !fp.Equal(&r.leafQ[g]) {
			return nil, fmt.Errorf("lookup: Verify: group %q: the tuple evaluations give the denominator %s, the reduction %s: %w",
				s.Name, fp.String(), r.leafQ[g].String(), ErrReject)
		}
		claims[g].Tuple = append([]K(nil), p.Tuples[g]...)
	}
	return claims, nil
}

// checkStructure returns an error wrapping ErrReject, naming what is wrong,
// when the counts in p do not match shapes. The sum-check rounds are checked
// by sumcheck.Verify.
func checkStructure(shapes []Shape, p *Proof) error {
	if p == nil {
		return fmt.Errorf("nil proof: %w", ErrReject)
	}
	if len(p.Roots) != len(shapes) {
		return fmt.Errorf("%d roots for %d groups: %w", len(p.Roots), len(shapes), ErrReject)
	}
	if len(p.Tuples) != len(shapes) {
		return fmt.Errorf("%d tuple evaluations for %d groups: %w", len(p.Tuples), len(shapes), ErrReject)
	}
	r := &reduction{shapes: shapes}
	for g, s := range shapes {
		r.layers = max(r.layers, s.Vars)
		if len(p.Tuples[g]) != s.Width {
			return fmt.Errorf("group %q: %d tuple evaluations for %d columns: %w", s.Name, len(p.Tuples[g]), s.Width, ErrReject)
		}
	}
	if len(p.Layers) != r.layers {
		return fmt.Errorf("%d layers, the deepest group has %d: %w", len(p.Layers), r.layers, ErrReject)
	}
	for k := range p.Layers {
		if _, n := r.layer(k); len(p.Layers[k].Evals) != n {
			return fmt.Errorf("layer %d: %d evaluations for %d tables: %w", k, len(p.Layers[k].Evals), n, ErrReject)
		}
	}
	return nil
}

// flatten lists the fractions as P_0, Q_0, P_1, Q_1, … for the transcript.
func flatten(fs []Fraction) []K {
	out := make([]K, 0, 2*len(fs))
	for _, f := range fs {
		out = append(out, f.P, f.Q)
	}
	return out
}
