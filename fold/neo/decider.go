package neo

import (
	"context"
	"fmt"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/lattice/ajtai"
)

// Decide is the decider (fold/NEO.md §5.3): it returns nil exactly when
// accW opens every claim of the accumulator acc for the CCS s under pp as
// an ME(b) claim, b the parameters' base: CheckClaim with bound b, each
// claim's shapes, digit norm, commitment, public columns and evaluations.
// Folding proves that the folded steps are satisfied only if this holds of
// the final accumulator.
//
// An accumulator of other than k claims (an empty one decides nothing), or
// a witness count that does not match, is an error wrapping ErrShape; a
// claim that does not open is CheckClaim's error, naming the claim. ctx is
// checked between claims and inside each check.
func Decide(ctx context.Context, pp *ajtai.PublicParams, s *ccs.CCS, acc Acc, accW AccWitness) error {
	if pp == nil || s == nil {
		return fmt.Errorf("neo: Decide: %w: nil commitment key or CCS", ErrShape)
	}
	p := pp.Params()
	if len(acc.Claims) != p.K {
		return fmt.Errorf("neo: Decide: %w: accumulator holds %d claims, want k = %d", ErrShape, len(acc.Claims), p.K)
	}
	if len(accW.Z) != len(acc.Claims) {
		return fmt.Errorf("neo: Decide: %w: %d witnesses for %d claims", ErrShape, len(accW.Z), len(acc.Claims))
	}
	for i, c := range acc.Claims {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("neo: Decide: %w", err)
		}
		if err := CheckClaim(ctx, pp, s, int(p.Base), c, accW.Z[i]); err != nil {
			return fmt.Errorf("neo: Decide: claim %d: %w", i, err)
		}
	}
	return nil
}
