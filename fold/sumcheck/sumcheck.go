package sumcheck

import (
	"context"
	"errors"
	"fmt"
	"math/bits"

	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/kernels/ext"
)

// K is the sum-check extension field F_q[u]/(u² − 7).
type K = ext.K

// MaxDegree is the highest total degree of g that Prove and Verify accept: 8,
// what the CCS and range-check polynomials of folding need. A round
// polynomial then has MaxDegree+1 evaluations, which the ProductEvals kernel
// must be able to produce in one call.
const MaxDegree = 8

// The kernel's bounds cover MaxDegree; this fails to compile otherwise.
var _ [ext.MaxEvals - (MaxDegree + 1)]struct{}
var _ [ext.MaxFactors - MaxDegree]struct{}

// MaxRounds is the most variables a sum-check here runs over (tables of up
// to 2^32 entries, mle.MaxVars).
const MaxRounds = 32

// MaxPolys is the most tables one sum-check reads. It bounds what a decoded
// proof may claim.
const MaxPolys = 1 << 16

// Errors wrapped by what Prove, ProveRounds, Verify, VerifyRounds and the
// proof decoder return.
var (
	ErrClaim    = errors.New("sumcheck: the tables do not sum to the claimed value") // Prove, ProveRounds
	ErrShape    = errors.New("sumcheck: malformed input")                            // tables, degrees, lengths
	ErrReject   = errors.New("sumcheck: proof rejected")                             // Verify, VerifyRounds
	ErrEncoding = errors.New("sumcheck: malformed proof encoding")                   // UnmarshalBinary
)

// Composition is the polynomial g combining the multilinear tables:
// Σ_{x∈{0,1}^ℓ} g(P_0(x), …, P_{n−1}(x)) is what a sum-check proves.
// Prove calls Evaluate from several goroutines at once; it must not modify
// or keep vals.
type Composition interface {
	NumPolys() int       // n, the number of tables g reads
	Degree() int         // the degree of g as a polynomial in its n inputs, 1…MaxDegree
	Evaluate(vals []K) K // g at one point; len(vals) = NumPolys()
}

// Term is Coeff · Π_{j ∈ Factors} P_j (a factor may repeat; no factors is
// the constant Coeff).
type Term struct {
	Coeff   K
	Factors []int
}

// Products is a Composition that is a sum of products of tables. Prove
// recognises it and runs the ext.ProductEvals kernel instead of evaluating g
// point by point.
type Products struct {
	N     int // number of tables
	Terms []Term
}

// Product returns g = Π_{j ∈ factors} P_j over n tables, one term with
// coefficient 1.
func Product(n int, factors ...int) Products {
	var one K
	one.SetOne()
	return Products{N: n, Terms: []Term{{Coeff: one, Factors: factors}}}
}

// NumPolys returns N.
func (p Products) NumPolys() int { return p.N }

// Degree returns the length of the longest term.
func (p Products) Degree() int {
	d := 0
	for _, t := range p.Terms {
		d = max(d, len(t.Factors))
	}
	return d
}

// Evaluate returns Σ_k Coeff_k · Π_{j ∈ Factors_k} vals[j]. Every factor
// must index vals; Prove and Verify check that before calling it.
func (p Products) Evaluate(vals []K) K {
	var sum, prod K
	for _, t := range p.Terms {
		prod = t.Coeff
		for _, f := range t.Factors {
			prod.Mul(&prod, &vals[f])
		}
		sum.Add(&sum, &prod)
	}
	return sum
}

// check returns an error wrapping ErrShape when a factor does not index one
// of the N tables.
func (p Products) check() error {
	for k, t := range p.Terms {
		for _, f := range t.Factors {
			if f < 0 || f >= p.N {
				return fmt.Errorf("sumcheck: term %d has factor %d, want 0…%d: %w", k, f, p.N-1, ErrShape)
			}
		}
	}
	return nil
}

// shape checks g and returns its number of tables and degree.
func shape(g Composition) (n, d int, err error) {
	if p, ok := g.(*Products); g == nil || ok && p == nil {
		return 0, 0, fmt.Errorf("sumcheck: nil composition: %w", ErrShape)
	}
	n, d = g.NumPolys(), g.Degree()
	if n < 1 || n > MaxPolys {
		return 0, 0, fmt.Errorf("sumcheck: composition of %d tables, want 1…%d: %w", n, MaxPolys, ErrShape)
	}
	if d < 1 || d > MaxDegree {
		return 0, 0, fmt.Errorf("sumcheck: composition of degree %d, want 1…%d: %w", d, MaxDegree, ErrShape)
	}
	if p, ok := products(g); ok {
		if err := p.check(); err != nil {
			return 0, 0, err
		}
	}
	return n, d, nil
}

// products returns g as Products when it is one.
func products(g Composition) (Products, bool) {
	switch p := g.(type) {
	case Products:
		return p, true
	case *Products:
		return *p, true
	}
	return Products{}, false
}

// Proof is a sum-check proof: for round i, the evaluations s_i(0) and
// s_i(2), …, s_i(d) of its round polynomial (d = g's degree; s_i(1) is the
// round's claim minus s_i(0), so it is not sent), and the claimed
// evaluations P_j(r) of every table at the final point r.
type Proof struct {
	Rounds [][]K
	Evals  []K
}

// Check is the caller's check of a sum-check's final evaluations: that every
// table P_j takes the value evals[j] at point, against a commitment or by
// evaluating a table the verifier knows (an eq table, a public column), or by
// handing the values on as claims that a later step checks. Verify cannot do
// it, since it sees no table, and a proof proves nothing without it.
type Check func(point, evals []K) error

// Transcript labels. The header record keeps a proof for one shape from
// being read as one for another, and the rounds of ProveRounds from being
// read as a full sum-check: they start with their own shape label.
const (
	labelShape     = "sumcheck/shape"
	labelRounds    = "sumcheck/rounds/shape"
	labelTerms     = "sumcheck/terms"
	labelCoeffs    = "sumcheck/coeffs"
	labelClaim     = "sumcheck/claim"
	labelRound     = "sumcheck/round"
	labelChallenge = "sumcheck/challenge"
	labelEvals     = "sumcheck/evals"
)

// absorbStatement binds what is proven: the shape, g itself when it is
// Products (its terms and coefficients; any other Composition is the
// caller's to bind), and the claim.
func absorbStatement(tr *transcript.Transcript, g Composition, numVars, n, d int, claim K) {
	tr.AppendUint64(labelShape, uint64(numVars), uint64(n), uint64(d))
	if p, ok := products(g); ok {
		shape := []uint64{uint64(len(p.Terms))}
		coeffs := make([]K, len(p.Terms))
		for k, t := range p.Terms {
			coeffs[k] = t.Coeff
			shape = append(shape, uint64(len(t.Factors)))
			for _, f := range t.Factors {
				shape = append(shape, uint64(f))
			}
		}
		tr.AppendUint64(labelTerms, shape...)
		tr.AppendExt(labelCoeffs, coeffs...)
	}
	tr.AppendExt(labelClaim, claim)
}

// Prove proves Σ_x g(P(x)) = claim over the transcript, binding the tables in
// place (their contents are consumed; the caller's slice headers are left
// as they were), and returns the proof and the point r. Variable
// 0 (the most significant index bit) is bound first. It fails with ErrClaim
// when the tables do not sum to claim and with ErrShape on malformed input:
// no tables, a count other than g.NumPolys(), lengths that differ or are not
// a power of two, a degree outside 1…MaxDegree, a Products factor that is not
// a table, the same slice passed twice, or a g whose Evaluate has a higher
// degree than its Degree says. Tables must not share memory at all, since
// binding one would change the other: to read a table twice, repeat its
// index in g. After an error the transcript is in no
// particular state and the tables may be partly bound.
func Prove(ctx context.Context, tr *transcript.Transcript, claim K, g Composition, polys [][]K) (*Proof, []K, error) {
	if tr == nil {
		return nil, nil, fmt.Errorf("sumcheck: Prove: nil transcript: %w", ErrShape)
	}
	n, d, err := shape(g)
	if err != nil {
		return nil, nil, fmt.Errorf("sumcheck: Prove: %w", err)
	}
	numVars, err := tableShape(polys, n)
	if err != nil {
		return nil, nil, fmt.Errorf("sumcheck: Prove: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("sumcheck: Prove: %w", err)
	}
	absorbStatement(tr, g, numVars, n, d, claim)

	p := newProver(g, d, polys)
	rounds, point, cur, err := proveRounds(ctx, tr, claim, d, numVars, func(_ context.Context, i int, point, s []K) error {
		// Each round first binds the tables to the previous challenge, in
		// the same pass over them.
		var bind *K
		if i > 0 {
			bind = &point[i-1]
		}
		return p.round(s, 1<<(numVars-1-i), bind)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("sumcheck: Prove: %w", err)
	}
	proof := &Proof{Rounds: rounds, Evals: make([]K, n)}
	var bind *K
	if numVars > 0 {
		bind = &point[numVars-1]
	}
	p.finish(proof.Evals, bind)
	// The verifier's last check: with no rounds it is the claim itself;
	// otherwise it catches a g whose degree exceeds Degree() in the last
	// round, which no earlier round can.
	if v := g.Evaluate(proof.Evals); !v.Equal(&cur) {
		if numVars == 0 {
			return nil, nil, fmt.Errorf("sumcheck: Prove: g of the tables is %s, the claim is %s: %w", v.String(), claim.String(), ErrClaim)
		}
		return nil, nil, fmt.Errorf("sumcheck: Prove: g(Evals) = %s, the last round gives %s: g has a degree above its Degree() %d: %w", v.String(), cur.String(), d, ErrShape)
	}
	tr.AppendExt(labelEvals, proof.Evals...)
	return proof, point, nil
}

// tableShape checks the tables against g's n and returns their number of
// variables.
func tableShape(polys [][]K, n int) (int, error) {
	if len(polys) != n {
		return 0, fmt.Errorf("%d tables for a composition of %d: %w", len(polys), n, ErrShape)
	}
	size := len(polys[0])
	numVars := bits.TrailingZeros(uint(size))
	if size == 0 || size&(size-1) != 0 || numVars > MaxRounds {
		return 0, fmt.Errorf("table 0 has %d entries, want a power of two up to 2^%d: %w", size, MaxRounds, ErrShape)
	}
	seen := make(map[*K]int, n)
	for j, f := range polys {
		if len(f) != size {
			return 0, fmt.Errorf("table %d has %d entries, table 0 has %d: %w", j, len(f), size, ErrShape)
		}
		if k, ok := seen[&f[0]]; ok {
			return 0, fmt.Errorf("tables %d and %d are the same slice: %w", k, j, ErrShape)
		}
		seen[&f[0]] = j
	}
	return numVars, nil
}

// Verify checks p against claim for a g over numVars variables on the
// transcript: every round, that g(p.Evals) equals the last round polynomial
// at the point r, and finally check(r, p.Evals), the caller's check that the
// tables take those values at r. It returns r.
//
// check is required because Verify sees no table: for any claim there is a
// proof whose Evals are made up and pass everything else. An error from check
// is returned wrapped with ErrReject.
//
// A proof of the wrong shape or that fails a check is an error wrapping
// ErrReject; a bad g, numVars, transcript or a nil check is an error wrapping
// ErrShape.
func Verify(tr *transcript.Transcript, claim K, g Composition, numVars int, p *Proof, check Check) ([]K, error) {
	if tr == nil {
		return nil, fmt.Errorf("sumcheck: Verify: nil transcript: %w", ErrShape)
	}
	if check == nil {
		return nil, fmt.Errorf("sumcheck: Verify: nil check of the final evaluations: %w", ErrShape)
	}
	n, d, err := shape(g)
	if err != nil {
		return nil, fmt.Errorf("sumcheck: Verify: %w", err)
	}
	if numVars < 0 || numVars > MaxRounds {
		return nil, fmt.Errorf("sumcheck: Verify: %d variables, want 0…%d: %w", numVars, MaxRounds, ErrShape)
	}
	if p == nil {
		return nil, fmt.Errorf("sumcheck: Verify: nil proof: %w", ErrReject)
	}
	if err := checkRounds(p.Rounds, numVars, d); err != nil {
		return nil, fmt.Errorf("sumcheck: Verify: %w", err)
	}
	if len(p.Evals) != n {
		return nil, fmt.Errorf("sumcheck: Verify: %d final evaluations for %d tables: %w", len(p.Evals), n, ErrReject)
	}

	absorbStatement(tr, g, numVars, n, d, claim)
	point, cur := verifyRounds(tr, claim, d, p.Rounds)
	tr.AppendExt(labelEvals, p.Evals...)
	if v := g.Evaluate(p.Evals); !v.Equal(&cur) {
		return nil, fmt.Errorf("sumcheck: Verify: g(Evals) = %s, the last round gives %s: %w", v.String(), cur.String(), ErrReject)
	}
	if err := check(point, p.Evals); err != nil {
		return nil, fmt.Errorf("sumcheck: Verify: final evaluations: %w: %w", ErrReject, err)
	}
	return point, nil
}
