package neo

import (
	"context"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

// Π_DEC (fold/NEO.md §4) splits the ME(B) claim Π_RLC leaves into k ME(b)
// claims, one per base-b digit plane of its witness. Its messages are the
// parts' C_i, X_i and Y_i; both sides absorb them in the order of §2.2
// step 11: every C_i under "dec/c", then every X_i as int8 digits under
// "dec/x", then every Y_i under "dec/y" (j-major, then ρ).

// Decompose is the Π_DEC prover. Given the ME(B) claim c and its witness Z
// (column-major d×m, ‖Z‖∞ < B = b^k, the int32 output of Π_RLC), it splits Z
// into k digit planes Z_i with Z = Σ_i b^i·Z_i and ‖Z_i‖∞ < b, commits to
// them in one batch, and returns the k claims (C_i, X_i = Z_i[:d·m_in],
// c.R, Y_i = Evaluations(s, Z_i, c.R)) with their witnesses, having absorbed
// the parts into tr. c must have the shapes CheckClaim requires; the prover
// trusts its C, X and Y, which it produced itself. An entry of Z at or
// above B is an error wrapping decomp.ErrRange (for Π_RLC's output it
// means the norm guard was not checked); on any error tr is untouched.
func Decompose(ctx context.Context, tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, c Claim, Z []int32) ([]Claim, [][]int8, error) {
	parts, planes, err := decompose(ctx, tr, pp, s, c, Z, &timer{})
	if err != nil {
		return nil, nil, fmt.Errorf("neo: Decompose: %w", err)
	}
	return parts, planes, nil
}

// decompose is Decompose with its commitments' time and the rest's added
// to tm.
func decompose(ctx context.Context, tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, c Claim, Z []int32, tm *timer) ([]Claim, [][]int8, error) {
	dm, err := dimsOf(pp, s)
	if err != nil {
		return nil, nil, err
	}
	if err := dm.checkClaimShape(c); err != nil {
		return nil, nil, err
	}
	if len(Z) != ring.D*dm.m {
		return nil, nil, fmt.Errorf("%w: Z has %d entries, want d·m = %d·%d", ErrShape, len(Z), ring.D, dm.m)
	}
	p := pp.Params()
	planes, err := decomp.SplitSmall(Z, p.Base, p.K)
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	tm.lap(decomposeTime)
	cs, err := pp.CommitDigits(ctx, planes)
	if err != nil {
		return nil, nil, err
	}
	tm.lap(commitTime)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	vs, err := ColumnWeights(s, c.R)
	if err != nil {
		return nil, nil, err
	}
	ys, err := mulDigits(planes, vs, int(p.Base)-1) // SplitSmall's digits are below b
	if err != nil {
		return nil, nil, err
	}
	parts := make([]Claim, p.K)
	for i := range parts {
		X := make([]goldilocks.Element, ring.D*dm.mIn)
		for k := range X {
			X[k] = digitElement(planes[i][k])
		}
		parts[i] = Claim{C: cs[i], X: X, R: slices.Clone(c.R), Y: ys[i]}
	}
	absorbParts(tr, parts, planes, dm.mIn)
	tm.lap(decomposeTime)
	return parts, planes, nil
}

// absorbParts absorbs the Π_DEC messages in the order of fold/NEO.md §2.2
// step 11. xs[i][:d·m_in] are the digits of parts[i].X as int8.
func absorbParts(tr *transcript.Transcript, parts []Claim, xs [][]int8, mIn int) {
	for _, part := range parts {
		tr.AppendCommitment("dec/c", part.C)
	}
	for i := range parts {
		tr.AppendBytes("dec/x", int8Bytes(xs[i][:ring.D*mIn]))
	}
	for _, part := range parts {
		tr.AppendExt("dec/y", slices.Concat(part.Y...)...)
	}
}

// int8Bytes returns the two's complement bytes of digits.
func int8Bytes(digits []int8) []byte {
	out := make([]byte, len(digits))
	for i, δ := range digits {
		out[i] = byte(δ)
	}
	return out
}

// VerifyDecompose is the Π_DEC verifier: it returns nil exactly when parts
// are k claims that recompose to parent (fold/NEO.md §4), and then absorbs
// them into tr as Decompose does. The checks, each failure wrapping its own
// error, are:
//
//   - shapes (ErrShape): k parts, each and the parent of the shapes
//     CheckClaim requires;
//   - points (ErrPoint): every part at the parent's R;
//   - digits (ErrNorm): every entry of every X_i in {−(b−1), …, b−1};
//   - C = Σ_i b^i·C_i (ErrCommitment);
//   - X = Σ_i b^i·X_i (ErrPublic);
//   - Y[j] = Σ_i b^i·Y_i[j] for every j (ErrEvaluation, naming j and ρ).
//
// The parts' witnesses are not bounded here: the next fold's range check
// and the decider do that. On error tr is untouched, so a caller cannot go
// on with a transcript that absorbed rejected messages.
func VerifyDecompose(tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, parent Claim, parts []Claim) error {
	dm, err := dimsOf(pp, s)
	if err != nil {
		return fmt.Errorf("neo: VerifyDecompose: %w", err)
	}
	if err := dm.checkClaimShape(parent); err != nil {
		return fmt.Errorf("neo: VerifyDecompose: parent: %w", err)
	}
	p := pp.Params()
	if len(parts) != p.K {
		return fmt.Errorf("neo: VerifyDecompose: %w: %d parts, want k = %d", ErrShape, len(parts), p.K)
	}
	for i, part := range parts {
		if err := dm.checkClaimShape(part); err != nil {
			return fmt.Errorf("neo: VerifyDecompose: part %d: %w", i, err)
		}
	}
	for i, part := range parts {
		if !slices.Equal(part.R, parent.R) {
			return fmt.Errorf("neo: VerifyDecompose: %w: part %d", ErrPoint, i)
		}
	}
	xs := make([][]int8, len(parts))
	for i, part := range parts {
		if xs[i], err = smallDigits(part.X, p.Base); err != nil {
			return fmt.Errorf("neo: VerifyDecompose: X of part %d: %w", i, err)
		}
	}

	cs := make([]ajtai.Commitment, len(parts))
	for i, part := range parts {
		cs[i] = part.C
	}
	C, err := ajtai.Recompose(cs, p.Base)
	if err != nil {
		return fmt.Errorf("neo: VerifyDecompose: %w: %w", ErrShape, err)
	}
	for r := range C {
		if C[r] != parent.C[r] {
			return fmt.Errorf("neo: VerifyDecompose: %w: Σ b^i·C_i differs from C in ring element %d", ErrCommitment, r)
		}
	}
	var base goldilocks.Element
	base.SetUint64(p.Base)
	for k := range parent.X {
		var x goldilocks.Element
		for i := len(parts) - 1; i >= 0; i-- {
			x.Mul(&x, &base).Add(&x, &parts[i].X[k])
		}
		if x != parent.X[k] {
			return fmt.Errorf("neo: VerifyDecompose: %w: Σ b^i·X_i differs from X at row %d of column %d", ErrPublic, k%ring.D, k/ring.D)
		}
	}
	for j := range parent.Y {
		for ρ := range parent.Y[j] {
			var y K
			for i := len(parts) - 1; i >= 0; i-- {
				y.MulByElement(&y, &base).Add(&y, &parts[i].Y[j][ρ])
			}
			if y != parent.Y[j][ρ] {
				return fmt.Errorf("neo: VerifyDecompose: %w: Σ b^i·Y_i[%d][%d] differs from Y[%d][%d]", ErrEvaluation, j, ρ, j, ρ)
			}
		}
	}
	absorbParts(tr, parts, xs, dm.mIn)
	return nil
}

// smallDigits returns X as int8 digits, and an error wrapping ErrNorm naming
// the first entry whose balanced representative is not in {−(b−1), …, b−1}
// or does not fit an int8.
func smallDigits(X []goldilocks.Element, b uint64) ([]int8, error) {
	bound := int64(min(b, 128))
	out := make([]int8, len(X))
	for k := range X {
		v := ring.Signed(X[k])
		if v >= bound || -v >= bound {
			return nil, fmt.Errorf("%w: row %d of column %d holds %d, |·| ≥ b = %d", ErrNorm, k%ring.D, k/ring.D, v, b)
		}
		out[k] = int8(v)
	}
	return out, nil
}
