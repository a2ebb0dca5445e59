package ext

import (
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/kernels/field"
)

// BatchInverse sets res[i] = 1/a[i] for every nonzero a[i]. An element
// a0 + a1·u has inverse (a0 − a1·u)/N with N = a0² − 7·a1² ∈ F, nonzero
// exactly when the element is (7 is not a square mod q), so the work is one
// batch inversion in F (field.BatchInverse, on the selected backend and all
// cores) between two cheap passes. Zero entries get 0 and the error is a
// *field.ZeroError listing them, every other entry still inverted. res may be
// a but must not otherwise overlap it.
func BatchInverse(res, a []K) error {
	if err := sameLength("BatchInverse", "res", len(res), "a", len(a)); err != nil {
		return err
	}
	if _, err := vectors("BatchInverse"); err != nil {
		return err
	}
	n := make([]goldilocks.Element, len(a))
	parallel.For(len(a), grain, func(lo, hi int) {
		var seven, t goldilocks.Element
		seven.SetUint64(7)
		for i := lo; i < hi; i++ {
			n[i].Square(&a[i].A0)
			t.Square(&a[i].A1)
			t.Mul(&t, &seven)
			n[i].Sub(&n[i], &t)
		}
	})
	zerr := field.BatchInverse(n, n)
	if zerr != nil {
		if _, ok := zerr.(*field.ZeroError); !ok {
			return fmt.Errorf("ext: BatchInverse: %w", zerr)
		}
	}
	parallel.For(len(a), grain, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			res[i].A0.Mul(&a[i].A0, &n[i])
			res[i].A1.Mul(&a[i].A1, &n[i])
			res[i].A1.Neg(&res[i].A1)
		}
	})
	return zerr
}

// FracSum returns Σ num[i]/den[i], the fractional sum of a logUp argument,
// with the denominators inverted by BatchInverse. A zero denominator is an
// error (a *field.ZeroError naming it): the sum is undefined there, and for a
// logUp challenge it means the challenge hit a table or lookup value.
func FracSum(num, den []K) (K, error) {
	if err := sameLength("FracSum", "num", len(num), "den", len(den)); err != nil {
		return K{}, err
	}
	inv := make([]K, len(den))
	if err := BatchInverse(inv, den); err != nil {
		return K{}, fmt.Errorf("ext: FracSum: %w", err)
	}
	v, err := vectors("FracSum")
	if err != nil {
		return K{}, err
	}
	parts := make([]K, parallel.Workers(len(num), grain))
	parallel.Split(len(num), len(parts), func(c, lo, hi int) {
		parts[c] = v.Inner(num[lo:hi], inv[lo:hi])
	})
	return v.Sum(parts), nil
}

// grain is the length from which the passes around the batch inversion are
// split across goroutines.
const grain = 1 << 14
