package ajtai

import (
	"errors"
	"fmt"
	"math"

	"github.com/ssprove/ssprove/lattice/challenge"
	"github.com/ssprove/ssprove/lattice/msis"
	"github.com/ssprove/ssprove/lattice/ring"
)

// ErrParams is wrapped by every error about a parameter set.
var ErrParams = errors.New("ajtai: invalid parameters")

// Params is one parameter set of the commitment. Every value of the
// Goldilocks preset comes from Neo (ePrint 2025/294), §6, as fixed in
// DESIGN.md; M alone is the caller's, the length of the witness vectors.
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
	// Base is b = 2, the base of the digit decompositions. Digits lie in
	// {−(b−1), …, b−1}; b = 2 makes them bits and signs.
	Base uint64
	// K is k = 12, the digits Π_DEC splits a folded witness into.
	K int
	// Bound is B = b^k = 4096, the norm bound of a valid opening: ‖Z‖∞ < B.
	// Folding keeps (claims)·T·(b−1) < B (Neo's norm guard).
	Bound uint64
	// T = 216 is the operator-norm bound of the challenge set C
	// (coefficients in {−2, …, 2}); relaxed binding degrades with it.
	T uint64
}

// Goldilocks returns the preset for witness vectors of m entries. Its binding
// (Security) is about 213 bits classical and 193 quantum under the core-SVP
// estimate of package msis, for the bound folding needs, at every m.
func Goldilocks(m int) Params {
	return Params{Kappa: 16, D: ring.D, M: m, Base: 2, K: 12, Bound: 4096, T: challenge.T}
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
// 2^213 classical and 2^193 quantum operations, at every m ≥ 111.
func (p Params) Security() (msis.Estimate, error) {
	if err := p.Validate(); err != nil {
		return msis.Estimate{}, err
	}
	return msis.Ajtai(p.Kappa, p.D, p.M, math.Log2(q), p.BindingBound()).Estimate()
}
