package neo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

// Errors wrapped by the relation checkers and the reductions, one per kind
// of check, so that a caller (and a test) can tell which check failed.
var (
	// ErrShape is wrapped by every error about dimensions: of an instance,
	// a witness, a claim, or parameters that do not fit the CCS.
	ErrShape = errors.New("neo: wrong dimensions")
	// ErrNorm is wrapped when a witness digit is at or above its bound.
	ErrNorm = errors.New("neo: witness digit over the norm bound")
	// ErrPublic is wrapped when the public columns of a witness are not the
	// ones the instance states.
	ErrPublic = errors.New("neo: public columns do not match the instance")
	// ErrUnsatisfied is wrapped, together with ccs.ErrUnsatisfied and its
	// *ccs.UnsatisfiedError, when the recomposed witness violates the CCS.
	ErrUnsatisfied = errors.New("neo: witness does not satisfy the CCS")
	// ErrCommitment is wrapped when a witness does not open the commitment,
	// or a commitment does not recompose from its parts.
	ErrCommitment = errors.New("neo: commitment does not match")
	// ErrEvaluation is wrapped when an evaluation Y[j][ρ] of a claim is not
	// what the witness gives, or does not recompose from its parts.
	ErrEvaluation = errors.New("neo: evaluation does not match")
	// ErrPoint is wrapped when claims that must share their point R do not.
	ErrPoint = errors.New("neo: claims are not at the same point")
)

// dims are the sizes a commitment key and a CCS fix for every instance.
type dims struct {
	kappa int // ring elements per commitment
	m     int // CCS columns, the witness length
	n     int // CCS rows
	mIn   int // public inputs
	t     int // CCS matrices, the identity not counted
	ell   int // ℓ_n, coordinates of a row point
}

// dimsOf returns the sizes of pp and s, and an error wrapping ErrShape when
// they do not fit together: the commitment key must be for witnesses of
// exactly the CCS's m columns, each of d = ring.D digits.
func dimsOf(pp *ajtai.PublicParams, s *ccs.CCS) (dims, error) {
	p := pp.Params()
	m := s.NumVariables()
	if p.D != ring.D || p.M != m {
		return dims{}, fmt.Errorf("%w: commitment key for d×m = %d×%d witnesses, the CCS has m = %d columns of d = %d digits", ErrShape, p.D, p.M, m, ring.D)
	}
	n := s.NumConstraints()
	return dims{kappa: p.Kappa, m: m, n: n, mIn: s.NumPublic(), t: len(s.Matrices()), ell: mle.NumVars(max(n, m))}, nil
}

// checkClaimShape checks the first item of fold/NEO.md §1.4: the sizes of C,
// X, R and Y.
func (dm dims) checkClaimShape(c Claim) error {
	switch {
	case len(c.C) != dm.kappa:
		return fmt.Errorf("%w: commitment has %d ring elements, want κ = %d", ErrShape, len(c.C), dm.kappa)
	case len(c.X) != ring.D*dm.mIn:
		return fmt.Errorf("%w: X has %d entries, want d·m_in = %d·%d", ErrShape, len(c.X), ring.D, dm.mIn)
	case len(c.R) != dm.ell:
		return fmt.Errorf("%w: R has %d coordinates, want ℓ_n = %d", ErrShape, len(c.R), dm.ell)
	case len(c.Y) != dm.t+1:
		return fmt.Errorf("%w: Y has %d vectors, want t+1 = %d", ErrShape, len(c.Y), dm.t+1)
	}
	for j, y := range c.Y {
		if len(y) != ring.D {
			return fmt.Errorf("%w: Y[%d] has %d entries, want d = %d", ErrShape, j, len(y), ring.D)
		}
	}
	return nil
}

// checkNorm returns an error wrapping ErrNorm naming the first digit of Z,
// column-major d×m, with |δ| ≥ bound.
func checkNorm(Z []int8, bound int) error {
	for i, δ := range Z {
		if a := int(δ); a >= bound || -a >= bound {
			return fmt.Errorf("%w: row %d of column %d holds %d, |·| ≥ %d", ErrNorm, i%ring.D, i/ring.D, δ, bound)
		}
	}
	return nil
}

// digitElement returns the field element a digit stands for, q + δ when
// δ < 0.
func digitElement(δ int8) goldilocks.Element {
	var e goldilocks.Element
	e.SetInt64(int64(δ))
	return e
}

// CheckMCS returns nil exactly when wit opens inst for the CCS s under the
// commitment key pp (Neo Def. 17), with the checks of fold/NEO.md §1.3 made
// in this order, each failure wrapping its own error:
//
//  1. shapes (ErrShape): len(C) = κ, len(X) = m_in, len(Z) = d·m;
//  2. norm (ErrNorm): every digit |δ| < b;
//  3. public columns (ErrPublic): Z[:d·m_in] = decomp.Embed(X, b, d), the
//     canonical digits the verifier rebuilds X_0 from;
//  4. the recomposed z_c = Σ_ρ b^ρ·Z[ρ,c] satisfies s (ErrUnsatisfied, with
//     the *ccs.UnsatisfiedError naming the constraint);
//  5. C = L(Z) (ErrCommitment).
//
// b is pp's base. ctx is checked before the commitment, the costly part.
func CheckMCS(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, inst MCS, wit MCSWitness) error {
	dm, err := dimsOf(pp, s)
	if err != nil {
		return fmt.Errorf("neo: CheckMCS: %w", err)
	}
	switch {
	case len(inst.C) != dm.kappa:
		return fmt.Errorf("neo: CheckMCS: %w: commitment has %d ring elements, want κ = %d", ErrShape, len(inst.C), dm.kappa)
	case len(inst.X) != dm.mIn:
		return fmt.Errorf("neo: CheckMCS: %w: x has %d entries, want m_in = %d", ErrShape, len(inst.X), dm.mIn)
	case len(wit.Z) != ring.D*dm.m:
		return fmt.Errorf("neo: CheckMCS: %w: Z has %d digits, want d·m = %d·%d", ErrShape, len(wit.Z), ring.D, dm.m)
	}
	b := pp.Params().Base
	if err := checkNorm(wit.Z, int(b)); err != nil {
		return fmt.Errorf("neo: CheckMCS: %w", err)
	}
	X, err := decomp.Embed(inst.X, b, ring.D)
	if err != nil {
		return fmt.Errorf("neo: CheckMCS: %w: x has no %d digits in base %d: %w", ErrPublic, ring.D, b, err)
	}
	for i := range X {
		if e := digitElement(wit.Z[i]); e != X[i] {
			return fmt.Errorf("neo: CheckMCS: %w: digit %d of public input %d is %d, the canonical digit is %d", ErrPublic, i%ring.D, i/ring.D, wit.Z[i], ring.Signed(X[i]))
		}
	}
	z, err := recompose(wit.Z, b)
	if err != nil {
		return fmt.Errorf("neo: CheckMCS: %w", err)
	}
	if err := s.Check(z); err != nil {
		return fmt.Errorf("neo: CheckMCS: %w: %w", ErrUnsatisfied, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("neo: CheckMCS: %w", err)
	}
	if err := pp.VerifyDigits(ctx, inst.C, wit.Z, int(b)); err != nil {
		return fmt.Errorf("neo: CheckMCS: %w: %w", ErrCommitment, err)
	}
	return nil
}

// recompose returns z_c = Σ_ρ b^ρ·Z[ρ,c] for the column-major digit matrix
// Z. The digits are small, so each column is summed exactly in int64 by
// Horner's rule over runs of digits short enough not to overflow (all 54 at
// b = 2), and only the runs meet in the field: a conversion per run instead
// of one per digit and a product per digit. b must be at least 2; an error
// wraps ErrShape for a length that is not a multiple of d.
func recompose(Z []int8, b uint64) ([]goldilocks.Element, error) {
	if b < 2 || len(Z)%ring.D != 0 {
		return nil, fmt.Errorf("%w: %d digits in base %d", ErrShape, len(Z), b)
	}
	// run digits of |δ| ≤ 128 sum to below 128·b^run/(b−1) ≤ 2^7·b^run, kept
	// under 2^62.
	run, span := 0, uint64(1)
	for run < ring.D && span <= (1<<55)/b {
		run++
		span *= b
	}
	var step goldilocks.Element
	step.SetUint64(span)
	bi := int64(b)
	z := make([]goldilocks.Element, len(Z)/ring.D)
	parallel.For(len(z), digitGrain, func(lo, hi int) {
		var part goldilocks.Element
		for c := lo; c < hi; c++ {
			col := Z[c*ring.D : (c+1)*ring.D]
			var acc goldilocks.Element
			// Runs start at multiples of run, so every run below the top
			// one is whole and scales acc by b^run; acc is still zero when
			// the top one, possibly short, is added.
			for lo := (len(col) - 1) / run * run; lo >= 0; lo -= run {
				var v int64
				for _, δ := range slices.Backward(col[lo:min(lo+run, len(col))]) {
					v = v*bi + int64(δ)
				}
				part.SetInt64(v)
				acc.Mul(&acc, &step)
				acc.Add(&acc, &part)
			}
			z[c] = acc
		}
	})
	return z, nil
}

// ColumnWeights returns the vectors v_0…v_t of m entries that evaluation
// claims at the row point r take products with (fold/NEO.md §1.4):
// v_0 = χ_r[:m] for the identity and v_j = M_jᵀ·χ_r[:n], χ_r = mle.EqTable(r).
// A claim's Y[j][ρ] is Σ_c Z[ρ,c]·v_j[c]. r must have ℓ_n coordinates; the
// error otherwise wraps ErrShape.
func ColumnWeights(s *ccs.CCS, r []K) ([][]K, error) {
	m, n := s.NumVariables(), s.NumConstraints()
	if ell := mle.NumVars(max(n, m)); len(r) != ell {
		return nil, fmt.Errorf("neo: ColumnWeights: %w: point has %d coordinates, want ℓ_n = %d", ErrShape, len(r), ell)
	}
	chi, err := mle.EqTable(r)
	if err != nil {
		return nil, fmt.Errorf("neo: ColumnWeights: %w", err)
	}
	ms := s.Matrices()
	vs := make([][]K, len(ms)+1)
	vs[0] = chi[:m:m]
	for j, mj := range ms {
		vs[j+1] = make([]K, m)
		if err := mj.MulVecTK(vs[j+1], chi[:n]); err != nil {
			return nil, fmt.Errorf("neo: ColumnWeights: matrix %d: %w", j+1, err)
		}
	}
	return vs, nil
}

// Evaluations returns the t+1 vectors Y[j] = Z·M_jᵀ·χ_r (M_0 the identity)
// that an ME claim at r about the digit matrix Z states: what a prover
// sends and CheckClaim compares with. Z is column-major with d·m entries;
// the error for another length, or a point of other than ℓ_n coordinates,
// wraps ErrShape.
func Evaluations(s *ccs.CCS, Z []int8, r []K) ([][]K, error) {
	if m := s.NumVariables(); len(Z) != ring.D*m {
		return nil, fmt.Errorf("neo: Evaluations: %w: Z has %d digits, want d·m = %d·%d", ErrShape, len(Z), ring.D, m)
	}
	vs, err := ColumnWeights(s, r)
	if err != nil {
		return nil, fmt.Errorf("neo: Evaluations: %w", err)
	}
	ys, err := mulDigits([][]int8{Z}, vs, magnitude([][]int8{Z}))
	if err != nil {
		return nil, fmt.Errorf("neo: Evaluations: %w", err)
	}
	return ys[0], nil
}

// CheckClaim returns nil exactly when Z opens the ME claim c for the CCS s
// under pp with ‖Z‖∞ < bound (Neo Def. 18: bound b for ME(b), B for ME(B)),
// with the checks of fold/NEO.md §1.4 made in this order, each failure
// wrapping its own error:
//
//  1. shapes (ErrShape): len(C) = κ, len(X) = d·m_in, len(R) = ℓ_n,
//     len(Y) = t+1, every len(Y[j]) = d, and len(Z) = d·m;
//  2. norm (ErrNorm): every digit |δ| < bound;
//  3. C = L(Z) (ErrCommitment);
//  4. X = Z[:d·m_in] (ErrPublic);
//  5. Y[j][ρ] = Σ_c Z[ρ,c]·v_j[c] for every j and ρ (ErrEvaluation, naming
//     the first j and ρ that differ), v_j from ColumnWeights(s, c.R).
//
// Z is int8, so an ME(B) claim whose digits reach 128 or more cannot be
// given to it. ctx is checked before the commitment and the evaluations.
func CheckClaim(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, bound int, c Claim, Z []int8) error {
	dm, err := dimsOf(pp, s)
	if err != nil {
		return fmt.Errorf("neo: CheckClaim: %w", err)
	}
	if err := dm.checkClaimShape(c); err != nil {
		return fmt.Errorf("neo: CheckClaim: %w", err)
	}
	if len(Z) != ring.D*dm.m {
		return fmt.Errorf("neo: CheckClaim: %w: Z has %d digits, want d·m = %d·%d", ErrShape, len(Z), ring.D, dm.m)
	}
	if bound < 1 {
		return fmt.Errorf("neo: CheckClaim: %w: bound %d < 1 admits no witness", ErrNorm, bound)
	}
	if err := checkNorm(Z, bound); err != nil {
		return fmt.Errorf("neo: CheckClaim: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("neo: CheckClaim: %w", err)
	}
	if err := pp.VerifyDigits(ctx, c.C, Z, bound); err != nil {
		return fmt.Errorf("neo: CheckClaim: %w: %w", ErrCommitment, err)
	}
	if err := samePublic(c, Z); err != nil {
		return fmt.Errorf("neo: CheckClaim: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("neo: CheckClaim: %w", err)
	}
	ys, err := Evaluations(s, Z, c.R)
	if err != nil {
		return fmt.Errorf("neo: CheckClaim: %w", err)
	}
	if err := sameEvaluations(c, ys); err != nil {
		return fmt.Errorf("neo: CheckClaim: %w", err)
	}
	return nil
}

// samePublic returns an error wrapping ErrPublic naming the first entry of
// the claim's public columns X that is not Z's entry there (Z's integers
// read as field elements, q + z for z < 0).
func samePublic[T int8 | int32](c Claim, Z []T) error {
	for i := range c.X {
		var e goldilocks.Element
		e.SetInt64(int64(Z[i]))
		if e != c.X[i] {
			return fmt.Errorf("%w: X holds %d at row %d of column %d, Z holds %d", ErrPublic, ring.Signed(c.X[i]), i%ring.D, i/ring.D, Z[i])
		}
	}
	return nil
}

// sameEvaluations returns an error wrapping ErrEvaluation naming the first
// evaluation of the claim that ys, what its witness gives, does not match.
func sameEvaluations(c Claim, ys [][]K) error {
	for j, y := range ys {
		for ρ := range y {
			if y[ρ] != c.Y[j][ρ] {
				return fmt.Errorf("%w: Y[%d][%d] is %s, Z gives %s", ErrEvaluation, j, ρ, c.Y[j][ρ].String(), y[ρ].String())
			}
		}
	}
	return nil
}
