package msis

import (
	"errors"
	"fmt"
	"math"
)

// Errors returned by [Problem.Estimate] and [Problem.EstimateL2], wrapped with
// the values that caused them; test with errors.Is.
var (
	// ErrInvalidProblem reports a size that is not positive, a log q that is
	// not a positive finite number, or a bound that is not finite and ≥ 1 (a
	// bound below 1 admits only x = 0).
	ErrInvalidProblem = errors.New("msis: invalid problem")

	// ErrTrivial reports β ≥ (q−1)/2: center-lifting any nonzero kernel vector
	// of M, which Gaussian elimination finds, already gives ‖x‖∞ ≤ β. Such
	// parameters have no security.
	ErrTrivial = errors.New("msis: bound admits a trivial solution")

	// ErrNoAttack reports that no BKZ block size b with MinBlock ≤ b ≤ w
	// reaches the bound in any sub-lattice of dimension w ≤ Width: the model
	// sees no lattice attack. That is not a security claim where the model
	// does not apply, for a Width below MinBlock in particular.
	ErrNoAttack = errors.New("msis: no BKZ block size reaches the bound")
)

// MinBlock is the smallest BKZ block size the model uses. Below it the
// root-Hermite formula is not calibrated (it even grows with b up to 36);
// the lattice-estimator switches to an experimental table there. A problem
// that already falls to BKZ-MinBlock is reported with Block = MinBlock, an
// upper bound on a cost of about 2^12 that only broken parameters reach.
const MinBlock = 40

// Core-SVP exponents: one sieve call in dimension b costs 2^(0.292·b)
// classically (Becker–Ducas–Gama–Laarhoven 2016) and 2^(0.265·b) with
// Grover-accelerated sieving (Laarhoven 2015).
const (
	ClassicalExponent = 0.292
	QuantumExponent   = 0.265
)

// Problem is an instance of SIS over Z_q, the unstructured form in which the
// module problem over R_q is estimated: find a nonzero integer x of length
// Width with A·x = 0 mod q for a uniform A with N rows, and ‖x‖∞ ≤ BetaInf.
type Problem struct {
	N       int     // rows: κ·d for Module-SIS of rank κ over a degree-d ring
	Width   int     // columns: m·d
	LogQ    float64 // log2 q
	BetaInf float64 // ℓ∞ bound β on the solution
}

// Estimate is the cheapest lattice-reduction attack the model finds.
type Estimate struct {
	Block       int     // BKZ block size b
	Dim         int     // dimension w ≤ Width of the sub-lattice attacked
	RootHermite float64 // δ(b)
	Classical   float64 // log2 of the core-SVP cost, 0.292·b
	Quantum     float64 // log2 of the quantum core-SVP cost, 0.265·b
}

// Ajtai returns the problem whose hardness makes the commitment c = M·z with
// M ∈ R_q^{κ×m}, R_q of degree d, binding for solutions of ℓ∞ norm at most
// betaInf: N = κ·d and Width = m·d. A non-positive argument, or a product that
// overflows int, gives a size of 0, which Estimate reports as
// ErrInvalidProblem.
func Ajtai(kappa, d, m int, logQ, betaInf float64) Problem {
	return Problem{N: mulSize(kappa, d), Width: mulSize(m, d), LogQ: logQ, BetaInf: betaInf}
}

// mulSize returns a·b, or 0 when an operand is not positive or the product
// overflows int.
func mulSize(a, b int) int {
	if a <= 0 || b <= 0 || a > math.MaxInt/b {
		return 0
	}
	return a * b
}

// Estimate returns the cheapest BKZ attack on p counting, pessimistically for
// the defender, every vector of Euclidean length at most β·√w in the attacked
// w-dimensional sub-lattice as a solution: an x with ‖x‖∞ ≤ β has ‖x‖₂ ≤ β·√w,
// so a lattice vector no shorter than that is never a solution, while a
// shorter one may still have an entry above β. Vectors of length q (the
// q-ary vectors q·e_i) are never counted: their ℓ∞ norm is q > β.
//
// Block is the smallest b ≥ MinBlock for which some w ≤ Width has
// δ(b)^(w−1)·q^(N/w) ≤ β·√w and < q, where δ(b) is [RootHermite]; Dim is the
// w at which the found length falls furthest below β·√w, and Block ≤ Dim.
// Errors: ErrInvalidProblem, ErrTrivial, ErrNoAttack.
func (p Problem) Estimate() (Estimate, error) {
	return p.estimate(0.5)
}

// EstimateL2 is [Problem.Estimate] with the bound read as a Euclidean one: an
// attack succeeds only once it finds ‖x‖₂ ≤ β. Every such x also has
// ‖x‖∞ ≤ β, so this prices a subset of the solutions and overstates the
// security of the ℓ∞ problem; it is the optimistic side of the bracket that
// Estimate closes from below. It is the lattice-estimator's SIS "lattice"
// attack for norm=2, except that w is optimized exactly where the estimator
// rounds an approximation of it.
func (p Problem) EstimateL2() (Estimate, error) {
	return p.estimate(0)
}

// estimate finds the smallest block size for the success condition
//
//	(w−1)·log δ + N·log q / w − c·log w ≤ log β,  (w−1)·log δ + N·log q / w < log q
//
// (all logs base 2), where c is ½ for the ℓ∞ → ℓ2 allowance β·√w and 0 for a
// Euclidean bound. The left sides only grow with log δ, which falls as b
// grows, so success is monotone in b and a bisection finds the smallest one.
func (p Problem) estimate(c float64) (Estimate, error) {
	if err := p.validate(); err != nil {
		return Estimate{}, err
	}
	if p.Width < MinBlock {
		return Estimate{}, fmt.Errorf("%w: width %d is below the smallest block size %d", ErrNoAttack, p.Width, MinBlock)
	}
	if _, ok := p.bestDim(logRootHermite(p.Width), c); !ok {
		return Estimate{}, fmt.Errorf("%w: not even BKZ-%d (the whole width) reaches β = %g", ErrNoAttack, p.Width, p.BetaInf)
	}
	lo, hi := MinBlock, p.Width // invariant: hi succeeds; lo−1 is not considered
	for lo < hi {
		mid := lo + (hi-lo)/2
		if _, ok := p.bestDim(logRootHermite(mid), c); ok {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	w, _ := p.bestDim(logRootHermite(lo), c)
	if lo > w {
		return Estimate{}, fmt.Errorf("%w: BKZ-%d would be needed on a lattice of dimension %d", ErrNoAttack, lo, w)
	}
	return Estimate{
		Block:       lo,
		Dim:         w,
		RootHermite: RootHermite(lo),
		Classical:   ClassicalExponent * float64(lo),
		Quantum:     QuantumExponent * float64(lo),
	}, nil
}

func (p Problem) validate() error {
	switch {
	case p.N <= 0 || p.Width <= 0:
		return fmt.Errorf("%w: sizes N = %d, Width = %d must be positive", ErrInvalidProblem, p.N, p.Width)
	case !(p.LogQ > 0) || math.IsInf(p.LogQ, 1):
		return fmt.Errorf("%w: log2 q = %g must be positive and finite", ErrInvalidProblem, p.LogQ)
	case !(p.BetaInf >= 1) || math.IsInf(p.BetaInf, 1):
		return fmt.Errorf("%w: bound β = %g must be finite and at least 1", ErrInvalidProblem, p.BetaInf)
	}
	// log2((q−1)/2) without forming q, which overflows float64 past 2^1024.
	if math.Log2(p.BetaInf) >= p.LogQ-1+math.Log2(-math.Expm1(-p.LogQ*math.Ln2)) {
		return fmt.Errorf("%w: β = %g ≥ (q−1)/2 with log2 q = %g", ErrTrivial, p.BetaInf, p.LogQ)
	}
	return nil
}

// bestDim returns the sub-lattice dimension w ≤ Width that minimizes the
// slack of the success condition for log2 δ = ld, and whether the condition
// holds there.
//
// Both sides of the condition are convex in w, so the w where the found vector
// is not a q-vector form an interval, the roots of ld·w² − (ld + log q)·w +
// N·log q, and the minimum of the left side over that interval lies at the
// clamped stationary point w0 of ld·w² − (c/ln 2)·w − N·log q = 0 (for c = 0,
// the familiar w* = √(N·log q / log δ)). The interval ends are tried as well
// so that rounding in the roots cannot hide a feasible dimension.
func (p Problem) bestDim(ld, c float64) (int, bool) {
	a := float64(p.N) * p.LogQ
	s := ld + p.LogQ
	disc := s*s - 4*ld*a
	if disc <= 0 {
		return 0, false
	}
	r := math.Sqrt(disc)
	lo := clampDim(math.Floor(2*a/(s+r))+1, p.Width)
	hi := clampDim(math.Ceil((s+r)/(2*ld))-1, p.Width)
	if lo > hi {
		return 0, false
	}
	k := c / math.Ln2
	w0 := (k + math.Sqrt(k*k+4*ld*a)) / (2 * ld)
	w0 = math.Min(math.Max(w0, float64(lo)), float64(hi))

	logBeta := math.Log2(p.BetaInf)
	best, bestSlack := 0, math.Inf(1)
	for _, w := range [...]int{int(math.Floor(w0)), int(math.Ceil(w0)), lo, hi} {
		if w < lo || w > hi {
			continue
		}
		fw := float64(w)
		g := (fw-1)*ld + a/fw
		if g >= p.LogQ {
			continue
		}
		if slack := g - c*math.Log2(fw) - logBeta; slack < bestSlack {
			best, bestSlack = w, slack
		}
	}
	return best, bestSlack <= 0
}

// clampDim converts a real dimension to an int in [1, width].
func clampDim(x float64, width int) int {
	switch {
	case !(x >= 1):
		return 1
	case x >= float64(width):
		return width
	}
	return int(x)
}

// RootHermite returns the root-Hermite factor δ(b) that BKZ with block size
// b ≥ 2 achieves, by the asymptotic formula of Chen's thesis (2013):
//
//	δ(b) = ((π·b)^(1/b) · b / (2πe))^(1/(2(b−1)))
//
// It decreases from b = MinBlock on: δ(50) ≈ 1.0121, δ(100) ≈ 1.0093,
// δ(500) ≈ 1.0034. For b below MinBlock it is not calibrated.
func RootHermite(b int) float64 {
	return math.Exp2(logRootHermite(b))
}

// logRootHermite is log2 δ(b), computed without the rounding of δ − 1.
func logRootHermite(b int) float64 {
	fb := float64(b)
	return (math.Log2(fb/(2*math.Pi*math.E)) + math.Log2(math.Pi*fb)/fb) / (2 * (fb - 1))
}
