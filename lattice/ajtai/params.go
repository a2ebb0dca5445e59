package ajtai

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"

	"github.com/ssprove/ssprove/lattice/challenge"
	"github.com/ssprove/ssprove/lattice/msis"
	"github.com/ssprove/ssprove/lattice/ring"
)

var (
	// ErrParams is wrapped by every error about a parameter set.
	ErrParams = errors.New("ajtai: invalid parameters")
	// ErrGuard is wrapped by every error of Guard: the parameters cannot fold
	// that many claims in one Π_RLC.
	ErrGuard = errors.New("ajtai: norm guard fails")
)

// Params is one parameter set of the commitment. The Goldilocks preset's
// values come from Neo (ePrint 2025/294), §6, as fixed in DESIGN.md; the
// other presets change only b and k, as chosen in fold/NEO.md §3.3. M alone
// is the caller's, the length of the witness vectors.
//
// The presets differ in what they fold. An IVC chain folds one new step
// into k carried claims, k+1 claims per Π_RLC; a PCD merge folds two
// accumulators and a step, 2k+1 claims. Witnesses whose entries may be any
// field element need b = 3: with b = 2 the d = 54 digits reach only
// |s| < 2^54, while 3^54 > q/2 embeds every element. The Security figures
// quoted for each preset hold at every m ≥ 71; narrower matrices give the
// attack less room and estimate higher, or not at all.
type Params struct {
	// Kappa is κ, the rows of M and ring elements in a commitment: 16. With
	// d = 54 the commitment is κ·d = 864 field elements, the rank of the
	// SIS lattice binding rests on (see Security).
	Kappa int
	// D is d = 54, the degree of Φ81 and the number of digits per witness
	// value. It is fixed by the ring; Validate refuses anything else.
	D int
	// M is m, the number of columns of M: witness vectors have m entries.
	M int
	// Base is b, the base of the digit decompositions: 2 or 3 in the
	// presets. Digits lie in {−(b−1), …, b−1}; b = 2 makes them bits and
	// signs.
	Base uint64
	// K is k, the digits Π_DEC splits a folded witness into: 12 or 13 for
	// b = 2, 8 or 9 for b = 3.
	K int
	// Bound is B = b^k, the norm bound of a valid opening: ‖Z‖∞ < B.
	// Folding keeps claims·T·(b−1) < B (Neo's norm guard, see Guard).
	Bound uint64
	// T = 216 is the operator-norm bound of the challenge set C
	// (coefficients in {−2, …, 2}); relaxed binding degrades with it.
	T uint64
}

// Goldilocks returns the preset for IVC chains whose witness vectors have m
// small entries: b = 2, k = 12, B = 4096. Its guard holds for
// the 13 claims of a chain step (2808 < 4096) and at most 18; it cannot
// merge (25 claims: 5400 ≥ 4096), which is what GoldilocksMerge is for.
// Binding (Security): BKZ block 730, about 213 bits classical and 193
// quantum.
func Goldilocks(m int) Params {
	return Params{Kappa: 16, D: ring.D, M: m, Base: 2, K: 12, Bound: 4096, T: challenge.T}
}

// GoldilocksMerge returns the preset for PCD trees of witnesses with small
// entries: b = 2, k = 13, B = 8192 (fold/NEO.md §3.3, the smallest k whose
// guard holds for a merge). Its guard holds for the 27 claims of a merge
// (5832 < 8192) and at most 37, so it also folds chains. The price is one
// more digit plane per fold than Goldilocks and a weaker bound: BKZ block
// 666, about 194 bits classical and 176 quantum.
func GoldilocksMerge(m int) Params {
	return Params{Kappa: 16, D: ring.D, M: m, Base: 2, K: 13, Bound: 8192, T: challenge.T}
}

// GoldilocksTernary returns the preset for IVC chains of witnesses with
// entries anywhere in the field: b = 3, k = 8, B = 6561 (fold/NEO.md §3.3).
// Its guard holds for the 9 claims of a chain step (3888 < 6561) and at
// most 15; it cannot merge (17 claims: 7344 ≥ 6561). Binding: BKZ block
// 686, about 200 bits classical and 182 quantum.
func GoldilocksTernary(m int) Params {
	return Params{Kappa: 16, D: ring.D, M: m, Base: 3, K: 8, Bound: 6561, T: challenge.T}
}

// GoldilocksTernaryMerge returns the preset for PCD trees of witnesses with
// entries anywhere in the field: b = 3, k = 9, B = 19683 (fold/NEO.md §3.3).
// Its guard holds for the 19 claims of a merge (8208 < 19683) and at most
// 45. Binding: BKZ block 596, about 174 bits classical and 158 quantum.
func GoldilocksTernaryMerge(m int) Params {
	return Params{Kappa: 16, D: ring.D, M: m, Base: 3, K: 9, Bound: 19683, T: challenge.T}
}

// Validate checks that the parameter set is consistent: d matches the ring,
// sizes are positive, B = b^k.
func (p Params) Validate() error {
	switch {
	case p.D != ring.D:
		return fmt.Errorf("%w: d = %d, the ring fixes d = %d", ErrParams, p.D, ring.D)
	case p.Kappa < 1 || p.M < 1:
		return fmt.Errorf("%w: κ = %d, m = %d must be positive", ErrParams, p.Kappa, p.M)
	case p.Base < 2 || p.K < 1:
		return fmt.Errorf("%w: b = %d, k = %d", ErrParams, p.Base, p.K)
	case p.T < 1:
		return fmt.Errorf("%w: T = %d", ErrParams, p.T)
	}
	bk := uint64(1)
	for range p.K {
		if bk > math.MaxUint64/p.Base {
			return fmt.Errorf("%w: b^k = %d^%d overflows", ErrParams, p.Base, p.K)
		}
		bk *= p.Base
	}
	if bk != p.Bound {
		return fmt.Errorf("%w: B = %d, but b^k = %d^%d = %d", ErrParams, p.Bound, p.Base, p.K, bk)
	}
	return nil
}

// BindingBound is the ℓ∞ bound of the Module-SIS problem that folding's
// binding reduces to: (d,m,2B,C)-relaxed binding follows from
// (d,m,4TB)-binding, whose collisions have norm below 8TB (msis doc).
func (p Params) BindingBound() float64 {
	return 8*float64(p.T)*float64(p.Bound) - 1
}

// Security estimates the hardness of that problem (package msis: BKZ with
// core-SVP costs, the module structure ignored, the ℓ∞ bound counted
// pessimistically). For the Goldilocks preset it gives block size 730, about
// 2^213 classical and 2^193 quantum operations, at every m ≥ 71; each preset
// quotes its own figures.
func (p Params) Security() (msis.Estimate, error) {
	if err := p.Validate(); err != nil {
		return msis.Estimate{}, err
	}
	return msis.Ajtai(p.Kappa, p.D, p.M, math.Log2(q), p.BindingBound()).Estimate()
}

// Guard checks Neo's norm guard for one Π_RLC of the given number of claims,
// each with a witness of norm below b: the combination has norm at most
// claims·T·(b−1), which Π_DEC can split into k digits only when it is below
// B = b^k. Prover and verifier check it with the actual count before drawing
// the challenges; a failure is a configuration error, not a rejected proof.
// It returns the Validate error for an invalid parameter set and an error
// wrapping ErrGuard, naming the numbers, when the guard fails or claims < 1.
func (p Params) Guard(claims int) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("ajtai: Guard: %w", err)
	}
	if claims < 1 {
		return fmt.Errorf("%w: %d claims, want at least 1", ErrGuard, claims)
	}
	hi, step := bits.Mul64(p.T, p.Base-1) // the norm one claim adds
	if hi != 0 || step >= p.Bound {
		return fmt.Errorf("%w: T·(b−1) = %d·%d ≥ B = %d, not even one claim fits", ErrGuard, p.T, p.Base-1, p.Bound)
	}
	// step < B, so at least one claim fits.
	most := (p.Bound - 1) / step
	if uint64(claims) > most {
		return fmt.Errorf("%w: %d claims · T = %d · (b−1) = %d is %s ≥ B = %d; these parameters fold at most %d claims",
			ErrGuard, claims, p.T, p.Base-1, normBound(uint64(claims), step), p.Bound, most)
	}
	return nil
}

// normBound formats claims·step, which may overflow a uint64 when a caller
// asks for absurdly many claims.
func normBound(claims, step uint64) string {
	if hi, lo := bits.Mul64(claims, step); hi == 0 {
		return strconv.FormatUint(lo, 10)
	}
	return "above 2^64"
}
