package neo

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/challenge"
	"github.com/ssprove/ssprove/lattice/ring"
)

// rhoLabel is the transcript label ρ_i is drawn under: "rlc/rho/i".
func rhoLabel(i int) string { return "rlc/rho/" + strconv.Itoa(i) }

// Combine is the prover of Π_RLC (fold/NEO.md §3): it folds the claims, all
// at one point R, and their witnesses Zs into one ME(B) claim and its
// witness Z = Σ ρ_i·Z_i, returned as int32 with ‖Z‖∞ ≤ len(claims)·T·(b−1) < B,
// together with the challenges ρ_i. Zs[i] must open claims[i] with every
// digit of norm at most b − 1; only the digit norm is checked here (it is
// what the bound rests on), the opening is CheckClaim's business.
//
// Nothing is absorbed before the challenges: the claims entering Π_RLC are
// already bound by the transcript, the new one's y' by Π_CCS (NEO.md §2.2
// step 8) and the carried ones' C, X, Y through the input accumulators'
// digests (step 3). The ρ_i are drawn in order with ChallengeSmall under
// rhoLabel(i). A single claim is combined with the identity ρ_0 = 1 and
// nothing is drawn (§2.2 step 10), so the first step of a chain folds into
// its input claim unchanged.
//
// The errors, all before the transcript is touched except a failed draw or
// a digit over b − 1: the parameters' guard for len(claims) (wrapping
// ajtai.ErrGuard), T below the challenge set's bound (ajtai.ErrParams),
// claims or witnesses that do not match (ErrShape), a digit over
// b − 1 (ErrNorm), and ctx's error.
func Combine(ctx context.Context, tr *transcript.Transcript, params ajtai.Params, claims []Claim, Zs [][]int8) (Claim, []int32, []ring.Small, error) {
	if err := checkClaims(tr, params, claims); err != nil {
		return Claim{}, nil, nil, fmt.Errorf("neo: Combine: %w", err)
	}
	if err := checkWitnesses(params, len(claims), Zs); err != nil {
		return Claim{}, nil, nil, fmt.Errorf("neo: Combine: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Claim{}, nil, nil, fmt.Errorf("neo: Combine: %w", err)
	}
	rhos, err := drawRhos(tr, len(claims))
	if err != nil {
		return Claim{}, nil, nil, fmt.Errorf("neo: Combine: %w", err)
	}
	Z, err := combineDigits(ctx, rhos, Zs, params.Base-1)
	if err != nil {
		return Claim{}, nil, nil, fmt.Errorf("neo: Combine: %w", err)
	}
	return combineClaims(claims, rhos), Z, rhos, nil
}

// VerifyCombine is the verifier of Π_RLC: it checks what Combine checks of
// the claims, draws the same challenges and returns the same combined claim,
// leaving tr in the same state as the prover's.
func VerifyCombine(tr *transcript.Transcript, params ajtai.Params, claims []Claim) (Claim, error) {
	if err := checkClaims(tr, params, claims); err != nil {
		return Claim{}, fmt.Errorf("neo: VerifyCombine: %w", err)
	}
	rhos, err := drawRhos(tr, len(claims))
	if err != nil {
		return Claim{}, fmt.Errorf("neo: VerifyCombine: %w", err)
	}
	return combineClaims(claims, rhos), nil
}

// checkClaims checks the guard for len(claims), then that the claims can be
// combined: κ ring elements each, one point R, equal shapes of X and Y.
func checkClaims(tr *transcript.Transcript, params ajtai.Params, claims []Claim) error {
	if err := params.Guard(len(claims)); err != nil {
		return err
	}
	// Guard's bound holds only if no challenge stretches a witness by more
	// than params.T.
	if params.T < challenge.T {
		return fmt.Errorf("%w: T = %d is below the challenge set's bound %d", ajtai.ErrParams, params.T, challenge.T)
	}
	if tr == nil {
		return fmt.Errorf("%w: nil transcript", ErrShape)
	}
	first := &claims[0]
	switch {
	case len(first.X)%ring.D != 0 || len(first.X) > ring.D*params.M:
		return fmt.Errorf("%w: claim 0 has %d public entries, want a multiple of d = %d up to d·m = %d",
			ErrShape, len(first.X), ring.D, ring.D*params.M)
	case len(first.Y) == 0:
		return fmt.Errorf("%w: claim 0 has no evaluation vectors", ErrShape)
	}
	for i := range claims {
		c := &claims[i]
		switch {
		case len(c.C) != params.Kappa:
			return fmt.Errorf("%w: claim %d has a commitment of %d ring elements, want κ = %d", ErrShape, i, len(c.C), params.Kappa)
		case len(c.X) != len(first.X):
			return fmt.Errorf("%w: claim %d has %d public entries, claim 0 has %d", ErrShape, i, len(c.X), len(first.X))
		case len(c.R) != len(first.R):
			return fmt.Errorf("%w: claim %d has a point of %d coordinates, claim 0 one of %d", ErrShape, i, len(c.R), len(first.R))
		case len(c.Y) != len(first.Y):
			return fmt.Errorf("%w: claim %d has %d evaluation vectors, claim 0 has %d", ErrShape, i, len(c.Y), len(first.Y))
		}
		for l := range c.R {
			if !c.R[l].Equal(&first.R[l]) {
				return fmt.Errorf("%w: claim %d is at another point than claim 0 (coordinate %d differs)", ErrPoint, i, l)
			}
		}
		for j, y := range c.Y {
			if len(y) != ring.D {
				return fmt.Errorf("%w: claim %d: Y[%d] has %d entries, want d = %d", ErrShape, i, j, len(y), ring.D)
			}
		}
	}
	return nil
}

// checkWitnesses checks that there is one witness of d·m digits per claim.
// Their norm is checked while they are combined, which reads them anyway.
func checkWitnesses(params ajtai.Params, claims int, Zs [][]int8) error {
	if len(Zs) != claims {
		return fmt.Errorf("%w: %d witnesses for %d claims", ErrShape, len(Zs), claims)
	}
	for i, Z := range Zs {
		if len(Z) != ring.D*params.M {
			return fmt.Errorf("%w: witness %d has %d digits, want d·m = %d·%d = %d",
				ErrShape, i, len(Z), ring.D, params.M, ring.D*params.M)
		}
	}
	return nil
}

// drawRhos draws ρ_0 … ρ_{k−1}, or returns the identity for k = 1.
func drawRhos(tr *transcript.Transcript, k int) ([]ring.Small, error) {
	rhos := make([]ring.Small, k)
	if k == 1 {
		rhos[0][0] = 1
		return rhos, nil
	}
	for i := range rhos {
		rho, err := tr.ChallengeSmall(rhoLabel(i))
		if err != nil {
			return nil, err
		}
		rhos[i] = rho
	}
	return rhos, nil
}

// identityDigits is combineDigits of one claim combined with ρ = 1 (a
// first fold, or a combined proof's one step): its digits as they are, no
// ring product. It reports false, for combineDigits's general path and its
// errors, when that is not the case or a digit is over maxDigit.
func identityDigits(rhos []ring.Small, Zs [][]int8, maxDigit uint64) ([]int32, bool) {
	var one ring.Small
	one[0] = 1
	if len(rhos) != 1 || rhos[0] != one {
		return nil, false
	}
	Z := make([]int32, len(Zs[0]))
	for i, δ := range Zs[0] {
		if a := int64(δ); uint64(max(a, -a)) > maxDigit {
			return nil, false
		}
		Z[i] = int32(δ)
	}
	return Z, true
}

// combineClaims returns Σ ρ_i·claims[i] on C, X and Y; R is shared.
func combineClaims(claims []Claim, rhos []ring.Small) Claim {
	first := &claims[0]
	out := Claim{
		C: make(ajtai.Commitment, len(first.C)),
		X: make([]goldilocks.Element, len(first.X)),
		R: slices.Clone(first.R),
		Y: make([][]K, len(first.Y)),
	}
	for j := range out.Y {
		out.Y[j] = make([]K, ring.D)
	}
	for i := range claims {
		rho := &rhos[i]
		c := &claims[i]
		// checkClaims made every commitment κ long, so Add cannot fail.
		out.C, _ = ajtai.Add(out.C, ajtai.MulChallenge(rho, c.C))
		mulAddColumns(out.X, c.X, rho)
		for j, y := range c.Y {
			mulAddExt(out.Y[j], y, rho)
		}
	}
	return out
}

// mulAddColumns adds ρ·x to acc, reading both as columns of d field
// elements, each a ring element.
func mulAddColumns(acc, x []goldilocks.Element, rho *ring.Small) {
	for c := 0; c < len(x); c += ring.D {
		var e ring.Elem
		copy(e[:], x[c:c+ring.D])
		e.MulSmall(&e, rho)
		for t := range e {
			acc[c+t].Add(&acc[c+t], &e[t])
		}
	}
}

// mulAddExt adds ρ·y to acc for y ∈ K^d: rot(ρ) has entries in F, so it
// acts on the two components of y separately (NEO.md §1.2).
func mulAddExt(acc, y []K, rho *ring.Small) {
	var a0, a1 ring.Elem
	for t := range y {
		a0[t], a1[t] = y[t].A0, y[t].A1
	}
	a0.MulSmall(&a0, rho)
	a1.MulSmall(&a1, rho)
	for t := range acc {
		acc[t].A0.Add(&acc[t].A0, &a0[t])
		acc[t].A1.Add(&acc[t].A1, &a1[t])
	}
}

// rotInt is rot(ρ) over the integers, stored by columns: column t is
// cf(X^t·ρ) reduced mod Φ81 in Z. Every entry is a signed sum of at most
// three coefficients of ρ, so |entry| ≤ 3·128 fits an int16.
type rotInt [ring.D][ring.D]int16

// newRotInt returns rot(ρ) over the integers.
func newRotInt(rho *ring.Small) *rotInt {
	m := new(rotInt)
	var col [ring.D]int16
	for i, c := range rho {
		col[i] = int16(c)
	}
	for t := range m {
		m[t] = col
		// X·X^53 = X^54 = −X^27 − 1.
		top := col[ring.D-1]
		copy(col[1:], col[:ring.D-1])
		col[0] = -top
		col[halfD] -= top
	}
	return m
}

// halfD is d/2: combineDigits packs rows r and r + halfD of a column into one
// int64.
const halfD = ring.D / 2

// rotPacked is rot(ρ) by columns with rows r and r + halfD packed into one
// int64 as row[r] + row[r+halfD]·2^32. Sums of packed words are exact
// integer sums, so as long as every row's running sum stays within int32,
// the low halfD of a packed sum is row r's sum and the high halfD row
// r + halfD's: two rows per multiply-add with no masking.
type rotPacked [ring.D][halfD]int64

func newRotPacked(rho *ring.Small) *rotPacked {
	m := new(rotPacked)
	for t, col := range newRotInt(rho) {
		for r := range halfD {
			m[t][r] = int64(col[r]) + int64(col[r+halfD])<<32
		}
	}
	return m
}

// combineGrain is the number of columns below which combineDigits stays on
// one goroutine, and ctxEvery how many columns it combines between checks of
// ctx: a column costs up to len(Zs)·54·27 multiply-adds.
const (
	combineGrain = 128
	ctxEvery     = 1024
)

// combineDigits returns Σ rot(ρ_i)·Zs[i] column by column, in integers, as
// §3.4 describes: each nonzero digit δ at row t of a column adds δ times
// column t of rot(ρ_i). It fails on a digit of norm above maxDigit, and
// when digits of that norm could take a sum out of int32.
func combineDigits(ctx context.Context, rhos []ring.Small, Zs [][]int8, maxDigit uint64) ([]int32, error) {
	// Every running sum of a row is at most Σ_i OperatorNorm(ρ_i)·maxDigit.
	var norm uint64
	for i := range rhos {
		norm += uint64(rhos[i].OperatorNorm())
	}
	if hi, lo := bits.Mul64(norm, min(maxDigit, 128)); hi != 0 || lo > math.MaxInt32 {
		return nil, fmt.Errorf("%w: %d claims with digits up to %d could reach %d·%d, beyond int32",
			ErrShape, len(rhos), maxDigit, norm, maxDigit)
	}
	if Z, ok := identityDigits(rhos, Zs, maxDigit); ok {
		return Z, nil
	}
	rots := make([]*rotPacked, len(rhos))
	for i := range rhos {
		rots[i] = newRotPacked(&rhos[i])
	}
	Z := make([]int32, len(Zs[0]))
	cols := len(Z) / ring.D
	w := parallel.Workers(cols, combineGrain)
	errs := make([]error, w)
	parallel.Split(cols, w, func(chunk, lo, hi int) {
		for blk := lo; blk < hi; blk += ctxEvery {
			if ctx.Err() != nil {
				return
			}
			if err := combineColumns(Z, rots, Zs, blk, min(blk+ctxEvery, hi), maxDigit); err != nil {
				errs[chunk] = err
				return
			}
		}
	})
	// The chunks are in column order, so the first error names the first
	// bad column.
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return Z, nil
}

// combineColumns computes columns [lo, hi) of combineDigits.
func combineColumns(Z []int32, rots []*rotPacked, Zs [][]int8, lo, hi int, maxDigit uint64) error {
	for c := lo; c < hi; c++ {
		var acc [halfD]int64
		for i, Zi := range Zs {
			rot := rots[i]
			for t, delta := range (*[ring.D]int8)(Zi[c*ring.D:]) {
				if delta == 0 {
					continue
				}
				d := int64(delta)
				if uint64(max(d, -d)) > maxDigit {
					return fmt.Errorf("%w: witness %d has digit %d in row %d of column %d, want norm at most b−1 = %d",
						ErrNorm, i, delta, t, c, maxDigit)
				}
				row := &rot[t]
				for r := range acc {
					acc[r] += d * row[r]
				}
			}
		}
		out := (*[ring.D]int32)(Z[c*ring.D:])
		for r, p := range acc {
			low := int32(p) // p mod 2^32 read as signed: row r's sum
			out[r] = low
			out[r+halfD] = int32((p - int64(low)) >> 32)
		}
	}
	return nil
}
