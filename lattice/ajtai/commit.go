package ajtai

import (
	"context"
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	kajtai "github.com/ssprove/ssprove/kernels/ajtai"
	"github.com/ssprove/ssprove/lattice/ring"
)

var (
	// ErrShape is wrapped by every error about dimensions.
	ErrShape = errors.New("ajtai: wrong dimensions")
	// ErrNorm is returned by Verify for a witness with an entry of norm B or
	// more, and by VerifyDigits for one over the bound it is given.
	ErrNorm = errors.New("ajtai: witness over the norm bound")
	// ErrMismatch is returned by Verify and VerifyDigits when the witness does
	// not open the commitment.
	ErrMismatch = errors.New("ajtai: witness does not open the commitment")
	// ErrEntry is returned for a witness word that is not a reduced field element.
	ErrEntry = kajtai.ErrEntry
)

// Commitment is c ∈ R_q^κ.
type Commitment []ring.Elem

// Commit returns c = M·cf⁻¹(Z) for Z ∈ F^{d×m} column-major (len d·m). It
// does not check the norm of Z: the map is linear and folding commits to
// whatever it must; Verify is where the bound applies.
func (pp *PublicParams) Commit(ctx context.Context, Z []goldilocks.Element) (Commitment, error) {
	p := pp.params
	if len(Z) != p.D*p.M {
		return nil, fmt.Errorf("%w: witness has %d entries, want d·m = %d·%d = %d", ErrShape, len(Z), p.D, p.M, p.D*p.M)
	}
	out := make([]goldilocks.Element, p.Kappa*ring.D)
	if err := kajtai.Commit(ctx, pp.mat, Z, out); err != nil {
		return nil, err
	}
	return pp.commitment(out), nil
}

// CommitBatch returns what Commit returns for each of Zs, in one pass over
// M: every column of M is read, or regenerated from the seed, once for the
// whole batch rather than once per witness, which matters most when M is not
// kept in memory. Zs must not be empty; a witness of the wrong length or
// with an unreduced word is an error naming it.
func (pp *PublicParams) CommitBatch(ctx context.Context, Zs [][]goldilocks.Element) ([]Commitment, error) {
	return commitBatch(ctx, pp, Zs, kajtai.CommitBatch)
}

// CommitDigits is CommitBatch for digit matrices held as int8, the form
// folding keeps its witnesses in (d·m bytes each instead of 8·d·m): entry δ
// stands for the field element δ (q + δ when negative). It is how Π_DEC
// commits to its k digit planes. Zs must not be empty; a witness of the
// wrong length is an error naming it.
func (pp *PublicParams) CommitDigits(ctx context.Context, Zs [][]int8) ([]Commitment, error) {
	return commitBatch(ctx, pp, Zs, kajtai.CommitDigitsBatch)
}

// commitBatch checks the shapes of Zs, commits to them with kernel and packs
// the commitments.
func commitBatch[T any](ctx context.Context, pp *PublicParams, Zs [][]T, kernel func(context.Context, *kajtai.Matrix, [][]T, [][]goldilocks.Element) error) ([]Commitment, error) {
	p := pp.params
	if len(Zs) == 0 {
		return nil, fmt.Errorf("%w: no witnesses to commit to", ErrShape)
	}
	for w, Z := range Zs {
		if len(Z) != p.D*p.M {
			return nil, fmt.Errorf("%w: witness %d has %d entries, want d·m = %d·%d = %d", ErrShape, w, len(Z), p.D, p.M, p.D*p.M)
		}
	}
	flat := make([]goldilocks.Element, len(Zs)*p.Kappa*ring.D)
	outs := make([][]goldilocks.Element, len(Zs))
	for w := range outs {
		outs[w] = flat[w*p.Kappa*ring.D : (w+1)*p.Kappa*ring.D]
	}
	if err := kernel(ctx, pp.mat, Zs, outs); err != nil {
		return nil, err
	}
	cs := make([]Commitment, len(Zs))
	for w := range cs {
		cs[w] = pp.commitment(outs[w])
	}
	return cs, nil
}

// commitment packs the kernel's κ·d coefficients into ring elements.
func (pp *PublicParams) commitment(out []goldilocks.Element) Commitment {
	c := make(Commitment, pp.params.Kappa)
	for i := range c {
		copy(c[i][:], out[i*ring.D:])
	}
	return c
}

// Verify checks that Z opens c: M·cf⁻¹(Z) = c and ‖Z‖∞ < B. It returns nil
// only then, ErrNorm (naming the entry) or ErrMismatch otherwise, and the
// errors of Commit for a witness of the wrong shape or with unreduced words.
func (pp *PublicParams) Verify(ctx context.Context, c Commitment, Z []goldilocks.Element) error {
	p := pp.params
	if len(c) != p.Kappa {
		return fmt.Errorf("%w: commitment has %d ring elements, want κ = %d", ErrShape, len(c), p.Kappa)
	}
	got, err := pp.Commit(ctx, Z)
	if err != nil {
		return err
	}
	for i := range Z {
		if s := ring.Signed(Z[i]); s >= int64(p.Bound) || -s >= int64(p.Bound) {
			return fmt.Errorf("%w: row %d of column %d holds %d, |·| ≥ B = %d", ErrNorm, i%p.D, i/p.D, s, p.Bound)
		}
	}
	return same(c, got)
}

// VerifyDigits checks that the digit matrix Z opens c with ‖Z‖∞ < bound:
// the bound is the caller's because digit matrices are held to b (an
// accumulator's witnesses) rather than to B. It returns nil only then,
// ErrShape for a commitment or witness of the wrong length, ErrNorm naming
// the first entry too large (or for a bound below 1, which no witness
// meets), and ErrMismatch when Z commits to something else. The norm is
// checked first: it is cheap, and a witness that fails it is not worth a
// commitment.
func (pp *PublicParams) VerifyDigits(ctx context.Context, c Commitment, Z []int8, bound int) error {
	p := pp.params
	if len(c) != p.Kappa {
		return fmt.Errorf("%w: commitment has %d ring elements, want κ = %d", ErrShape, len(c), p.Kappa)
	}
	if len(Z) != p.D*p.M {
		return fmt.Errorf("%w: witness has %d entries, want d·m = %d·%d = %d", ErrShape, len(Z), p.D, p.M, p.D*p.M)
	}
	if bound < 1 {
		return fmt.Errorf("%w: bound %d < 1 admits no witness", ErrNorm, bound)
	}
	for i, d := range Z {
		if s := int(d); s >= bound || -s >= bound {
			return fmt.Errorf("%w: row %d of column %d holds %d, |·| ≥ %d", ErrNorm, i%p.D, i/p.D, s, bound)
		}
	}
	got, err := pp.CommitDigits(ctx, [][]int8{Z})
	if err != nil {
		return err
	}
	return same(c, got[0])
}

// same is nil when the commitment c a verifier was given equals the one it
// recomputed, ErrMismatch naming the first differing ring element otherwise.
func same(c, got Commitment) error {
	for i := range c {
		if got[i] != c[i] {
			return fmt.Errorf("%w (ring element %d differs)", ErrMismatch, i)
		}
	}
	return nil
}
