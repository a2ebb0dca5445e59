package msis

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// Goldilocks preset (DESIGN.md, "The arithmetic"; Neo, ePrint 2025/294, §6).
const (
	presetKappa = 16
	presetD     = 54
	presetB     = 4096 // b^k with b = 2, k = 12
	presetT     = 216  // operator-norm bound of the challenge set
)

// presetLogQ is log2(2^64 − 2^32 + 1).
var presetLogQ = 64 + math.Log2(1-0x1p-32+0x1p-64)

// Bounds on ‖x‖∞ that binding reduces to (see the package documentation).
const (
	betaBinding      = 2*presetB - 1           // (d,m,B)-binding
	betaRelaxed      = 4*presetT*presetB - 1   // (d,m,B,C)-relaxed binding
	betaRelaxedTwoB  = 4*presetT*2*presetB - 1 // (d,m,2B,C)-relaxed binding, as the folding needs
	presetMinimumSec = 128
)

func TestRootHermiteReferencePoints(t *testing.T) {
	// The lattice-estimator (reduction.py) inverts δ(b) to the smallest b with
	// δ(b) ≤ δ and documents β(1.0121) = 50, β(1.0093) = 100 and
	// β(1.0024) = 808 (Chen's thesis reports 800 for the last).
	for _, tc := range []struct {
		delta float64
		block int
	}{
		{1.0121, 50},
		{1.0093, 100},
		{1.0024, 808},
	} {
		if got := RootHermite(tc.block); got > tc.delta {
			t.Errorf("δ(%d) = %.6f, want ≤ %g", tc.block, got, tc.delta)
		}
		if got := RootHermite(tc.block - 1); got <= tc.delta {
			t.Errorf("δ(%d) = %.6f, want > %g", tc.block-1, got, tc.delta)
		}
	}
	// Values worked by hand from the formula.
	for _, tc := range []struct {
		block int
		delta float64
	}{
		{100, 1.009259},
		{400, 1.003982},
		{500, 1.003404},
	} {
		if got := RootHermite(tc.block); math.Abs(got-tc.delta) > 2e-6 {
			t.Errorf("δ(%d) = %.6f, want %.6f", tc.block, got, tc.delta)
		}
	}
}

func TestRootHermiteDecreasing(t *testing.T) {
	prev := RootHermite(MinBlock)
	for b := MinBlock + 1; b <= 1<<16; b++ {
		cur := RootHermite(b)
		if !(cur < prev) || cur <= 1 {
			t.Fatalf("δ(%d) = %v after δ(%d) = %v: want strictly decreasing and > 1", b, cur, b-1, prev)
		}
		prev = cur
	}
	for b := 1 << 16; b < 1<<40; b *= 3 {
		if !(logRootHermite(b+1) < logRootHermite(b)) || !(logRootHermite(b) > 0) {
			t.Fatalf("log2 δ not decreasing and positive at b = %d", b)
		}
	}
}

func TestEstimatorReference(t *testing.T) {
	// lattice-estimator, SIS.lattice(SIS.Parameters(n=113, q=2048,
	// length_bound=512, norm=2)): "δ: 1.011391, β: 61, d: 276, tag:
	// euclidean", with m defaulting to ceil(113·ln 2048) = 862. Its rop uses
	// another cost model; block and dimension are what must agree.
	p := Problem{N: 113, Width: 862, LogQ: 11, BetaInf: 512}
	e, err := p.EstimateL2()
	if err != nil {
		t.Fatal(err)
	}
	if e.Block != 61 || e.Dim != 276 {
		t.Errorf("EstimateL2 = %+v, want block 61, dimension 276", e)
	}
	if math.Abs(e.RootHermite-1.011391) > 2e-6 {
		t.Errorf("δ = %.6f, want 1.011391", e.RootHermite)
	}
	if math.Abs(e.Classical-0.292*61) > 1e-9 || math.Abs(e.Quantum-0.265*61) > 1e-9 {
		t.Errorf("costs %v, %v, want 0.292·61, 0.265·61", e.Classical, e.Quantum)
	}
}

// bruteForce finds the smallest block size by trying every b and every w.
// It returns block 0 when the model finds no attack.
func bruteForce(p Problem, c float64) Estimate {
	a := float64(p.N) * p.LogQ
	logBeta := math.Log2(p.BetaInf)
	for b := MinBlock; b <= p.Width; b++ {
		ld := logRootHermite(b)
		best, bestSlack := 0, math.Inf(1)
		for w := 1; w <= p.Width; w++ {
			fw := float64(w)
			g := (fw-1)*ld + a/fw
			if g >= p.LogQ {
				continue
			}
			if slack := g - c*math.Log2(fw) - logBeta; slack < bestSlack {
				best, bestSlack = w, slack
			}
		}
		if bestSlack <= 0 {
			if b > best {
				return Estimate{}
			}
			return Estimate{Block: b, Dim: best}
		}
	}
	return Estimate{}
}

func TestEstimateMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	attacks := 0
	for i := range 300 {
		p := Problem{
			N:     1 + rng.IntN(60),
			Width: MinBlock + rng.IntN(500),
			LogQ:  3 + 40*rng.Float64(),
		}
		p.BetaInf = math.Exp2((p.LogQ - 2) * rng.Float64())
		for _, c := range []float64{0, 0.5} {
			want := bruteForce(p, c)
			got, err := p.estimate(c)
			switch {
			case want.Block == 0:
				if !errors.Is(err, ErrNoAttack) {
					t.Fatalf("case %d %+v c=%v: got %+v, %v; want ErrNoAttack", i, p, c, got, err)
				}
			case err != nil:
				t.Fatalf("case %d %+v c=%v: %v; want %+v", i, p, c, err, want)
			case got.Block != want.Block || got.Dim != want.Dim:
				t.Fatalf("case %d %+v c=%v: got block %d dim %d, want %d %d", i, p, c, got.Block, got.Dim, want.Block, want.Dim)
			default:
				attacks++
			}
		}
	}
	if attacks < 100 {
		t.Errorf("only %d of 600 cases had an attack; the generator is too lopsided", attacks)
	}
}

func TestEstimateMonotone(t *testing.T) {
	base := Ajtai(presetKappa, presetD, 1<<16, presetLogQ, betaBinding)
	block := func(p Problem) int {
		t.Helper()
		e, err := p.Estimate()
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		return e.Block
	}
	b0 := block(base)

	moreRows := base
	moreRows.N += presetD
	if b := block(moreRows); b <= b0 {
		t.Errorf("κ+1: block %d, want > %d", b, b0)
	}
	largerBound := base
	largerBound.BetaInf *= 4
	if b := block(largerBound); b >= b0 {
		t.Errorf("4β: block %d, want < %d", b, b0)
	}
	// Widening only adds sub-lattices to choose from: never harder, and
	// strictly easier while the width caps the best dimension.
	narrow := base
	narrow.Width = 5000
	bn := block(narrow)
	if bn <= b0 {
		t.Errorf("width 5000: block %d, want > %d (width-capped)", bn, b0)
	}
	for _, width := range []int{5001, 5500, 6000, 7000, 1 << 20, 1 << 40} {
		wide := narrow
		wide.Width = width
		b := block(wide)
		t.Logf("width %d: block %d", width, b)
		if b > bn {
			t.Errorf("width %d: block %d, want ≤ %d", width, b, bn)
		}
		bn = b
	}
	// The ℓ∞ → ℓ2 allowance β·√w can only help the attacker.
	l2, err := base.EstimateL2()
	if err != nil {
		t.Fatal(err)
	}
	if l2.Block <= b0 {
		t.Errorf("EstimateL2 block %d, want > Estimate's %d", l2.Block, b0)
	}
}

// TestPreset prints the estimate for the Goldilocks Ajtai commitment and
// checks it against the table in the package documentation.
func TestPreset(t *testing.T) {
	for _, tc := range []struct {
		name    string
		beta    float64
		block   int // Estimate, same for every m below
		l2Block int // EstimateL2
	}{
		{"binding 2B-1", betaBinding, 2066, 5445},
		{"relaxed 4TB-1", betaRelaxed, 801, 1515},
		{"relaxed(2B) 8TB-1", betaRelaxedTwoB, 730, 1349},
	} {
		for _, logM := range []int{10, 16, 20, 24} {
			p := Ajtai(presetKappa, presetD, 1<<logM, presetLogQ, tc.beta)
			e, err := p.Estimate()
			if err != nil {
				t.Fatalf("%s m=2^%d: %v", tc.name, logM, err)
			}
			l2, err := p.EstimateL2()
			if err != nil {
				t.Fatalf("%s m=2^%d: %v", tc.name, logM, err)
			}
			t.Logf("%-18s m=2^%-2d β=%-8.0f ℓ∞: b=%4d w=%5d δ=%.6f %6.1f bits (quantum %6.1f) | ℓ2: b=%4d %6.1f bits",
				tc.name, logM, tc.beta, e.Block, e.Dim, e.RootHermite, e.Classical, e.Quantum, l2.Block, l2.Classical)
			if e.Block != tc.block || l2.Block != tc.l2Block {
				t.Errorf("%s m=2^%d: blocks %d, %d; the documented table says %d, %d", tc.name, logM, e.Block, l2.Block, tc.block, tc.l2Block)
			}
			if e.Classical < presetMinimumSec {
				t.Errorf("%s m=2^%d: %.1f classical bits < %d", tc.name, logM, e.Classical, presetMinimumSec)
			}
		}
	}
}

func TestEstimateErrors(t *testing.T) {
	good := Ajtai(presetKappa, presetD, 1<<10, presetLogQ, betaBinding)
	for _, tc := range []struct {
		name string
		p    Problem
		want error
	}{
		{"zero rows", Problem{0, 100, 64, 10}, ErrInvalidProblem},
		{"negative width", Problem{10, -1, 64, 10}, ErrInvalidProblem},
		{"zero log q", Problem{10, 100, 0, 10}, ErrInvalidProblem},
		{"NaN log q", Problem{10, 100, math.NaN(), 10}, ErrInvalidProblem},
		{"infinite log q", Problem{10, 100, math.Inf(1), 10}, ErrInvalidProblem},
		{"bound below 1", Problem{10, 100, 64, 0.5}, ErrInvalidProblem},
		{"NaN bound", Problem{10, 100, 64, math.NaN()}, ErrInvalidProblem},
		{"infinite bound", Problem{10, 100, 64, math.Inf(1)}, ErrInvalidProblem},
		{"overflowing Ajtai", Ajtai(math.MaxInt/2, 3, 10, 64, 10), ErrInvalidProblem},
		{"negative kappa", Ajtai(-16, 54, 10, 64, 10), ErrInvalidProblem},
		{"β = (q−1)/2", Problem{10, 1000, math.Log2(4097), 2048}, ErrTrivial},
		{"β = q", Problem{10, 1000, 20, 1 << 20}, ErrTrivial},
		{"β just below (q−1)/2", Problem{10, 1000, math.Log2(4097), 2047}, nil},
		{"huge q", Problem{10, 100, 5000, 2}, ErrNoAttack},
		{"log q overflowing N·log q", Problem{10, 100, 1e308, 2}, ErrNoAttack},
		{"huge q, huge bound", Problem{10, 1000, 5000, 1e300}, nil},
		{"narrower than a block", Problem{10, MinBlock - 1, 64, 1 << 40}, ErrNoAttack},
		{"square", Problem{864, 864, presetLogQ, betaRelaxedTwoB}, ErrNoAttack},
		{"preset", good, nil},
	} {
		for _, f := range []func() (Estimate, error){tc.p.Estimate, tc.p.EstimateL2} {
			e, err := f()
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: %+v, %v; want %v", tc.name, e, err, tc.want)
			}
			if err != nil && e != (Estimate{}) {
				t.Errorf("%s: non-zero estimate %+v with error", tc.name, e)
			}
		}
	}
}

// checkEstimate verifies what Estimate promises about a result: the success
// condition holds at (Block, Dim), and fails for Block−1 at every dimension.
func checkEstimate(t *testing.T, p Problem, c float64, e Estimate) {
	t.Helper()
	a := float64(p.N) * p.LogQ
	holds := func(b, w int) bool {
		ld := logRootHermite(b)
		fw := float64(w)
		g := (fw-1)*ld + a/fw
		return g < p.LogQ && g-c*math.Log2(fw) <= math.Log2(p.BetaInf)
	}
	if e.Block < MinBlock || e.Block > e.Dim || e.Dim > p.Width {
		t.Fatalf("%+v: estimate %+v out of range", p, e)
	}
	if !holds(e.Block, e.Dim) {
		t.Fatalf("%+v: estimate %+v does not satisfy the success condition", p, e)
	}
	if e.Block > MinBlock {
		if _, ok := p.bestDim(logRootHermite(e.Block-1), c); ok {
			t.Fatalf("%+v: block %d already succeeds", p, e.Block-1)
		}
	}
}

func FuzzEstimate(f *testing.F) {
	f.Add(864, 55296, 64.0, 8191.0)
	f.Add(113, 862, 11.0, 512.0)
	f.Add(1, 40, 2.0, 1.0)
	f.Add(5000, 1<<30, 30.0, 1e6)
	f.Fuzz(func(t *testing.T, n, width int, logQ, beta float64) {
		p := Problem{N: n, Width: width, LogQ: logQ, BetaInf: beta}
		for _, c := range []float64{0, 0.5} {
			e, err := p.estimate(c)
			if err != nil {
				if !errors.Is(err, ErrInvalidProblem) && !errors.Is(err, ErrTrivial) && !errors.Is(err, ErrNoAttack) {
					t.Fatalf("%+v: unexpected error %v", p, err)
				}
				continue
			}
			checkEstimate(t, p, c, e)
		}
	})
}

func BenchmarkEstimate(b *testing.B) {
	p := Ajtai(presetKappa, presetD, 1<<24, presetLogQ, betaRelaxedTwoB)
	for b.Loop() {
		if _, err := p.Estimate(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "estimates/s")
}
