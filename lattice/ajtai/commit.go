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
	// ErrNorm is returned by Verify for a witness with an entry of norm B or more.
	ErrNorm = errors.New("ajtai: witness over the norm bound")
	// ErrMismatch is returned by Verify when the witness does not open the commitment.
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
// kept in memory. It is how Π_DEC commits to its k digit matrices. Zs must not be empty; a witness of the
// wrong length or with an unreduced word is an error naming it.
func (pp *PublicParams) CommitBatch(ctx context.Context, Zs [][]goldilocks.Element) ([]Commitment, error) {
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
	if err := kajtai.CommitBatch(ctx, pp.mat, Zs, outs); err != nil {
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
	for i := range c {
		if got[i] != c[i] {
			return fmt.Errorf("%w (ring element %d differs)", ErrMismatch, i)
		}
	}
	return nil
}
