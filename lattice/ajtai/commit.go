package ajtai

import (
	"context"
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	kajtai "github.com/ssprove/ssprove/kernels/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

var (
	// ErrShape is wrapped by every error about dimensions.
	ErrShape = errors.New("ajtai: wrong dimensions")
	// ErrNorm is returned by Verify for a witness with an entry of norm B or more.
	ErrNorm = errors.New("ajtai: witness over the norm bound")
	// ErrMismatch is returned by Verify when the witness does not open the commitment.
	ErrMismatch = errors.New("ajtai: witness does not open the commitment")
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
	c := make(Commitment, p.Kappa)
	for i := range c {
		copy(c[i][:], out[i*ring.D:])
	}
	return c, nil
}

// Verify checks that Z opens c: ‖Z‖∞ < B and M·cf⁻¹(Z) = c. It returns nil
// only then, ErrNorm (naming the entry) or ErrMismatch otherwise.
func (pp *PublicParams) Verify(ctx context.Context, c Commitment, Z []goldilocks.Element) error {
	p := pp.params
	if len(c) != p.Kappa {
		return fmt.Errorf("%w: commitment has %d ring elements, want κ = %d", ErrShape, len(c), p.Kappa)
	}
	for i := range Z {
		if Z[i][0] >= q {
			return fmt.Errorf("%w: entry %d is not a reduced field element", ErrNorm, i)
		}
		if n := decomp.NormInf(Z[i : i+1]); n >= p.Bound {
			return fmt.Errorf("%w: row %d of column %d has norm %d ≥ B = %d", ErrNorm, i%p.D, i/p.D, n, p.Bound)
		}
	}
	got, err := pp.Commit(ctx, Z)
	if err != nil {
		return err
	}
	for i := range c {
		if got[i] != c[i] {
			return fmt.Errorf("%w (ring element %d differs)", ErrMismatch, i)
		}
	}
	return nil
}
