package neo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/challenge"
	"github.com/ssprove/ssprove/lattice/ring"
)

const rlcProtocol = "ssprove/neo/rlc-test"

// rlcSetup is a set of claims with their witnesses, built honestly from
// random digit matrices and random dense CCS matrices.
type rlcSetup struct {
	pp     *ajtai.PublicParams
	mats   [][][]goldilocks.Element // M_1 … M_t, n×m dense, row-major
	claims []Claim
	Zs     [][]int8
}

func rlcSeed() []byte {
	seed := make([]byte, ajtai.SeedSize)
	for i := range seed {
		seed[i] = byte(i)
	}
	return seed
}

func rlcPP(t testing.TB, p ajtai.Params) *ajtai.PublicParams {
	t.Helper()
	pp, err := ajtai.Setup(context.Background(), p, rlcSeed())
	if err != nil {
		t.Fatal(err)
	}
	return pp
}

// newRLCSetup builds k claims over pp at one random point, with t CCS
// matrices of n rows and mIn public columns.
func newRLCSetup(t testing.TB, rng *rand.Rand, pp *ajtai.PublicParams, k, n, mIn, tMats int) *rlcSetup {
	t.Helper()
	p := pp.Params()
	s := &rlcSetup{pp: pp}
	for range tMats {
		M := make([][]goldilocks.Element, n)
		for r := range M {
			M[r] = make([]goldilocks.Element, p.M)
			for c := range M[r] {
				if rng.IntN(3) == 0 {
					M[r][c] = rlcElement(rng)
				}
			}
		}
		s.mats = append(s.mats, M)
	}
	R := make([]K, mle.NumVars(max(n, p.M)))
	for i := range R {
		R[i] = rlcExt(rng)
	}
	s.Zs = make([][]int8, k)
	for i := range s.Zs {
		s.Zs[i] = rlcDigits(rng, ring.D*p.M, int(p.Base)-1)
	}
	Cs, err := pp.CommitDigits(context.Background(), s.Zs)
	if err != nil {
		t.Fatal(err)
	}
	for i, Z := range s.Zs {
		lifted := rlcLift(Z)
		s.claims = append(s.claims, Claim{
			C: Cs[i],
			X: lifted[:ring.D*mIn],
			R: slices.Clone(R),
			Y: rlcEvaluate(t, lifted, s.mats, p.M, R),
		})
	}
	return s
}

func rlcElement(rng *rand.Rand) goldilocks.Element {
	return goldilocks.NewElement(rng.Uint64())
}

func rlcExt(rng *rand.Rand) K {
	return K{A0: rlcElement(rng), A1: rlcElement(rng)}
}

// rlcDigits returns n digits in [−most, most], a quarter of them at ±most
// and a quarter zero, so extremes occur in every column.
func rlcDigits(rng *rand.Rand, n, most int) []int8 {
	Z := make([]int8, n)
	for i := range Z {
		switch rng.IntN(4) {
		case 0:
			Z[i] = int8(most)
		case 1:
			Z[i] = int8(-most)
		case 2:
			Z[i] = int8(rng.IntN(2*most+1) - most)
		}
	}
	return Z
}

func rlcLift[T int8 | int32](Z []T) []goldilocks.Element {
	out := make([]goldilocks.Element, len(Z))
	for i, z := range Z {
		out[i].SetInt64(int64(z))
	}
	return out
}

// rlcEvaluate is a test-only evaluator of NEO.md §1.4 item 5, written out
// densely: Y[j][ρ] = Σ_c Z[ρ,c]·v_j[c] with v_0 = χ_R[:m] and
// v_j = M_jᵀ·χ_R[:n].
func rlcEvaluate(t testing.TB, Z []goldilocks.Element, mats [][][]goldilocks.Element, m int, R []K) [][]K {
	t.Helper()
	chi, err := mle.EqTable(R)
	if err != nil {
		t.Fatal(err)
	}
	vs := [][]K{chi[:m]}
	for _, M := range mats {
		v := make([]K, m)
		for r, row := range M {
			for c := range row {
				var x K
				x.MulByElement(&chi[r], &row[c])
				v[c].Add(&v[c], &x)
			}
		}
		vs = append(vs, v)
	}
	Y := make([][]K, len(vs))
	for j, v := range vs {
		Y[j] = make([]K, ring.D)
		for rho := range ring.D {
			for c := range m {
				var x K
				x.MulByElement(&v[c], &Z[c*ring.D+rho])
				Y[j][rho].Add(&Y[j][rho], &x)
			}
		}
	}
	return Y
}

// rlcSameClaim reports the first difference between a and b.
func rlcSameClaim(a, b Claim) error {
	switch {
	case len(a.C) != len(b.C) || len(a.X) != len(b.X) || len(a.R) != len(b.R) || len(a.Y) != len(b.Y):
		return errors.New("shapes differ")
	case !slices.Equal(a.C, b.C):
		return errors.New("commitments differ")
	case !slices.Equal(a.X, b.X):
		return errors.New("public columns differ")
	case !slices.Equal(a.R, b.R):
		return errors.New("points differ")
	}
	for j := range a.Y {
		if !slices.Equal(a.Y[j], b.Y[j]) {
			return fmt.Errorf("Y[%d] differs", j)
		}
	}
	return nil
}

// rlcSameState fails t unless a and b are in the same state: their next
// squeezes agree.
func rlcSameState(t *testing.T, a, b *transcript.Transcript) {
	t.Helper()
	x, y := a.Clone().ChallengeField("probe"), b.Clone().ChallengeField("probe")
	if x != y {
		t.Fatal("transcripts end in different states")
	}
}

func TestCombineHonest(t *testing.T) {
	tests := []struct {
		name   string
		params ajtai.Params
		k      int
	}{
		{"one claim is the identity", ajtai.Goldilocks(6), 1},
		{"two claims", ajtai.Goldilocks(6), 2},
		{"IVC b=2 k=12", ajtai.Goldilocks(6), 13},
		{"largest for b=2 k=12", ajtai.Goldilocks(6), 18},
		{"PCD merge b=2 k=13", ajtai.GoldilocksMerge(6), 27},
		{"IVC b=3 k=8", ajtai.GoldilocksTernary(6), 9},
		{"PCD merge b=3 k=9", ajtai.GoldilocksTernaryMerge(6), 19},
	}
	for ti, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ti), 1))
			pp := rlcPP(t, tc.params)
			const n, mIn, tMats = 9, 2, 3
			s := newRLCSetup(t, rng, pp, tc.k, n, mIn, tMats)
			p := pp.Params()

			trP := transcript.New(rlcProtocol)
			trV := transcript.New(rlcProtocol)
			before := trP.Clone()
			got, Z, rhos, err := Combine(context.Background(), trP, p, s.claims, s.Zs)
			if err != nil {
				t.Fatal(err)
			}
			gotV, err := VerifyCombine(trV, p, s.claims)
			if err != nil {
				t.Fatal(err)
			}
			if err := rlcSameClaim(got, gotV); err != nil {
				t.Fatalf("prover and verifier combine differently: %v", err)
			}
			rlcSameState(t, trP, trV)
			if tc.k == 1 {
				rlcSameState(t, trP, before)
				if err := rlcSameClaim(got, s.claims[0]); err != nil {
					t.Fatalf("one claim: %v", err)
				}
				if !slices.Equal(rlcLift(Z), rlcLift(s.Zs[0])) {
					t.Fatal("one claim: the witness changed")
				}
			}

			if len(rhos) != tc.k {
				t.Fatalf("%d challenges for %d claims", len(rhos), tc.k)
			}
			for i := range rhos {
				if rhos[i].NormInf() > 2 || rhos[i].OperatorNorm() > challenge.T {
					t.Fatalf("ρ_%d = %v is not in C", i, rhos[i])
				}
			}

			// Norm: ‖Z‖∞ ≤ k·T·(b−1) < B.
			bound := int64(tc.k) * int64(p.T) * int64(p.Base-1)
			if bound >= int64(p.Bound) {
				t.Fatalf("test case breaks the guard: %d ≥ %d", bound, p.Bound)
			}
			for i, z := range Z {
				if abs := max(int64(z), -int64(z)); abs > bound {
					t.Fatalf("Z[%d] = %d over k·T·(b−1) = %d", i, z, bound)
				}
			}

			// Z = Σ ρ_i·Z_i, column by column, against ring.MulSmall in F.
			lifted := rlcLift(Z)
			for c := range p.M {
				var want ring.Elem
				for i, Zi := range s.Zs {
					var col, prod ring.Elem
					copy(col[:], rlcLift(Zi[c*ring.D:(c+1)*ring.D]))
					prod.MulSmall(&col, &rhos[i])
					want.Add(&want, &prod)
				}
				if !slices.Equal(want[:], lifted[c*ring.D:(c+1)*ring.D]) {
					t.Fatalf("column %d of Z is not Σ ρ_i·Z_i", c)
				}
			}

			// The combined claim is the claim of the combined witness.
			C, err := pp.Commit(context.Background(), lifted)
			if err != nil {
				t.Fatal(err)
			}
			want := Claim{C: C, X: lifted[:ring.D*mIn], R: s.claims[0].R, Y: rlcEvaluate(t, lifted, s.mats, p.M, s.claims[0].R)}
			if err := rlcSameClaim(got, want); err != nil {
				t.Fatalf("combined claim does not describe the combined witness: %v", err)
			}
		})
	}
}

// TestCombineDeterministic checks that the challenges depend on the
// transcript: two equal transcripts give equal results, another one
// different challenges.
func TestCombineDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	pp := rlcPP(t, ajtai.Goldilocks(4))
	s := newRLCSetup(t, rng, pp, 3, 4, 1, 1)
	run := func(protocol string) ([]int32, []ring.Small) {
		_, Z, rhos, err := Combine(context.Background(), transcript.New(protocol), pp.Params(), s.claims, s.Zs)
		if err != nil {
			t.Fatal(err)
		}
		return Z, rhos
	}
	Z1, r1 := run(rlcProtocol)
	Z2, r2 := run(rlcProtocol)
	_, r3 := run(rlcProtocol + "/other")
	if !slices.Equal(Z1, Z2) || !slices.Equal(r1, r2) {
		t.Fatal("Combine is not deterministic")
	}
	if slices.Equal(r1, r3) {
		t.Fatal("challenges do not depend on the transcript")
	}
	if r1[0] == r1[1] {
		t.Fatal("ρ_0 = ρ_1")
	}
}

func TestCombineGuard(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	pp := rlcPP(t, ajtai.Goldilocks(2))
	s := newRLCSetup(t, rng, pp, 25, 2, 1, 1)
	p := pp.Params()
	for _, k := range []int{0, 19, 25} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			tr := transcript.New(rlcProtocol)
			before := tr.Clone()
			_, _, _, err := Combine(context.Background(), tr, p, s.claims[:k], s.Zs[:k])
			if !errors.Is(err, ajtai.ErrGuard) {
				t.Fatalf("Combine: got %v, want ErrGuard", err)
			}
			if !strings.Contains(err.Error(), fmt.Sprint(k, " claims")) {
				t.Fatalf("the error does not name the claim count: %v", err)
			}
			if _, err := VerifyCombine(tr, p, s.claims[:k]); !errors.Is(err, ajtai.ErrGuard) {
				t.Fatalf("VerifyCombine: got %v, want ErrGuard", err)
			}
			rlcSameState(t, tr, before)
		})
	}
	if k25 := 25 * int(p.T) * int(p.Base-1); !strings.Contains(fmt.Sprint(p.Guard(25)), fmt.Sprint(k25)) {
		t.Fatalf("the guard error does not name 25·T·(b−1) = %d: %v", k25, p.Guard(25))
	}
	merge := ajtai.GoldilocksMerge(2)
	if _, err := VerifyCombine(transcript.New(rlcProtocol), merge, s.claims); err != nil {
		t.Fatalf("25 claims with k = 13: %v", err)
	}
}

func TestCombineIncompatible(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	pp := rlcPP(t, ajtai.Goldilocks(4))
	p := pp.Params()
	tests := []struct {
		name   string
		edit   func(p *ajtai.Params, claims []Claim, Zs [][]int8)
		want   error
		prover bool // only the prover sees the witnesses
	}{
		{"other point", func(_ *ajtai.Params, c []Claim, _ [][]int8) { c[2].R[1].A1.SetOne() }, ErrPoint, false},
		{"shorter point", func(_ *ajtai.Params, c []Claim, _ [][]int8) { c[1].R = c[1].R[:1] }, ErrShape, false},
		{"longer X", func(_ *ajtai.Params, c []Claim, _ [][]int8) {
			c[1].X = append(c[1].X, make([]goldilocks.Element, ring.D)...)
		}, ErrShape, false},
		{"X not whole columns", func(_ *ajtai.Params, c []Claim, _ [][]int8) {
			for i := range c {
				c[i].X = c[i].X[:ring.D-1]
			}
		}, ErrShape, false},
		{"X wider than Z", func(_ *ajtai.Params, c []Claim, _ [][]int8) {
			for i := range c {
				c[i].X = make([]goldilocks.Element, ring.D*5)
			}
		}, ErrShape, false},
		{"fewer Y", func(_ *ajtai.Params, c []Claim, _ [][]int8) { c[2].Y = c[2].Y[:1] }, ErrShape, false},
		{"no Y", func(_ *ajtai.Params, c []Claim, _ [][]int8) {
			for i := range c {
				c[i].Y = nil
			}
		}, ErrShape, false},
		{"short Y vector", func(_ *ajtai.Params, c []Claim, _ [][]int8) { c[1].Y[1] = c[1].Y[1][:ring.D-1] }, ErrShape, false},
		{"short commitment", func(_ *ajtai.Params, c []Claim, _ [][]int8) { c[0].C = c[0].C[:p.Kappa-1] }, ErrShape, false},
		{"T below the challenges'", func(p *ajtai.Params, _ []Claim, _ [][]int8) { p.T = challenge.T - 1 }, ajtai.ErrParams, false},
		{"invalid params", func(p *ajtai.Params, _ []Claim, _ [][]int8) { p.Bound++ }, ajtai.ErrParams, false},
		{"missing witness", nil, ErrShape, true},
		{"short witness", func(_ *ajtai.Params, _ []Claim, Zs [][]int8) { Zs[1] = Zs[1][:len(Zs[1])-1] }, ErrShape, true},
		{"digit 2 with b = 2", func(_ *ajtai.Params, _ []Claim, Zs [][]int8) { Zs[2][ring.D+5] = 2 }, ErrNorm, true},
		{"digit −128", func(_ *ajtai.Params, _ []Claim, Zs [][]int8) { Zs[0][len(Zs[0])-1] = -128 }, ErrNorm, true},
	}
	for ti, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newRLCSetup(t, rand.New(rand.NewPCG(uint64(ti), rng.Uint64())), pp, 3, 4, 1, 2)
			params := p
			Zs := s.Zs
			if tc.edit != nil {
				tc.edit(&params, s.claims, Zs)
			} else {
				Zs = Zs[:2]
			}
			_, _, _, err := Combine(context.Background(), transcript.New(rlcProtocol), params, s.claims, Zs)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Combine: got %v, want %v", err, tc.want)
			}
			_, err = VerifyCombine(transcript.New(rlcProtocol), params, s.claims)
			if tc.prover {
				if err != nil {
					t.Fatalf("VerifyCombine rejects what only the witness breaks: %v", err)
				}
			} else if !errors.Is(err, tc.want) {
				t.Fatalf("VerifyCombine: got %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("nil transcript", func(t *testing.T) {
		s := newRLCSetup(t, rng, pp, 2, 4, 1, 1)
		if _, _, _, err := Combine(context.Background(), nil, p, s.claims, s.Zs); !errors.Is(err, ErrShape) {
			t.Fatalf("Combine: got %v", err)
		}
		if _, err := VerifyCombine(nil, p, s.claims); !errors.Is(err, ErrShape) {
			t.Fatalf("VerifyCombine: got %v", err)
		}
	})
}

func TestCombineCancelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	pp := rlcPP(t, ajtai.Goldilocks(4))
	s := newRLCSetup(t, rng, pp, 2, 4, 1, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, _, err := Combine(ctx, transcript.New(rlcProtocol), pp.Params(), s.claims, s.Zs); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// TestCombineDigitsMatchesMulSmall checks the integer rot(ρ) product,
// with no reduction mod q, against ring.Elem.MulSmall on the lifted values,
// at the extremes: digits ±(b−1) and beyond, challenges with every
// coefficient ±2, and arbitrary int8 multipliers.
func TestCombineDigitsMatchesMulSmall(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	const cols = 300 // above combineGrain, so several goroutines share the columns
	constant := func(v int8) ring.Small {
		var s ring.Small
		for i := range s {
			s[i] = v
		}
		return s
	}
	random := func(lo, hi int) ring.Small {
		var s ring.Small
		for i := range s {
			s[i] = int8(lo + rng.IntN(hi-lo+1))
		}
		return s
	}
	signs := func() ring.Small {
		var s ring.Small
		for i := range s {
			s[i] = int8(2 - 4*rng.IntN(2))
		}
		return s
	}
	tests := []struct {
		name string
		rhos []ring.Small
		most int // digits in [−most, most]
	}{
		{"all +2, bits", []ring.Small{constant(2), constant(-2)}, 1},
		{"±2, b = 3", []ring.Small{signs(), signs(), signs()}, 2},
		{"C, b = 2", []ring.Small{random(-2, 2), random(-2, 2), random(-2, 2), random(-2, 2)}, 1},
		{"int8 extremes", []ring.Small{constant(127), constant(-128), random(-128, 127)}, 127},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			Zs := make([][]int8, len(tc.rhos))
			for i := range Zs {
				Zs[i] = rlcDigits(rng, ring.D*cols, tc.most)
			}
			Zs[0][0], Zs[0][ring.D-1] = int8(tc.most), int8(-tc.most)
			if tc.most == 127 {
				Zs[1][3] = -128
			}
			Z, err := combineDigits(context.Background(), tc.rhos, Zs, 128)
			if err != nil {
				t.Fatal(err)
			}
			lifted := rlcLift(Z)
			for c := range cols {
				var want ring.Elem
				for i, Zi := range Zs {
					var col, prod ring.Elem
					copy(col[:], rlcLift(Zi[c*ring.D:(c+1)*ring.D]))
					prod.MulSmall(&col, &tc.rhos[i])
					want.Add(&want, &prod)
				}
				if !slices.Equal(want[:], lifted[c*ring.D:(c+1)*ring.D]) {
					t.Fatalf("column %d differs from Σ MulSmall", c)
				}
			}
		})
	}
}

// TestRotIntMatchesRot checks rot(ρ) over the integers against ring's rot
// on the lifted challenge, entry by entry.
func TestRotIntMatchesRot(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	for range 20 {
		var rho ring.Small
		for i := range rho {
			rho[i] = int8(rng.IntN(256) - 128)
		}
		ri := newRotInt(&rho)
		e := rho.Elem()
		rf := e.Rot()
		for c := range ring.D {
			for r := range ring.D {
				var want goldilocks.Element
				want.SetInt64(int64(ri[c][r]))
				if want != rf[r][c] {
					t.Fatalf("rot(ρ)[%d][%d] = %d differs from ring.Rot", r, c, ri[c][r])
				}
			}
		}
	}
}

func BenchmarkCombine(b *testing.B) {
	sizes := []int{1 << 10, 1 << 12}
	if !testing.Short() {
		sizes = append(sizes, 1<<14)
	}
	for _, m := range sizes {
		for _, k := range []int{2, 13} {
			b.Run(fmt.Sprintf("m=%d/claims=%d", m, k), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(uint64(m), uint64(k)))
				// The digits only: committing at these sizes would dominate
				// the setup, and combineDigits is what scales with m.
				Zs := make([][]int8, k)
				for i := range Zs {
					Zs[i] = make([]int8, ring.D*m)
					for j := range Zs[i] {
						Zs[i][j] = int8(rng.IntN(3) - 1) // density ⅔, as after Π_DEC's low planes
					}
				}
				tr := transcript.New(rlcProtocol)
				rhos, err := drawRhos(tr, k)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(k * ring.D * m))
				for b.Loop() {
					if _, err := combineDigits(context.Background(), rhos, Zs, 1); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*m), "ns/column")
			})
		}
	}
}

func BenchmarkVerifyCombine(b *testing.B) {
	// Verifier cost does not depend on m: κ commitments, m_in = 7 public
	// columns and t + 1 = 4 evaluation vectors per claim (R1CS).
	rng := rand.New(rand.NewPCG(1, 2))
	p := ajtai.Goldilocks(8)
	claims := make([]Claim, 13)
	R := []K{rlcExt(rng)}
	for i := range claims {
		c := Claim{C: make(ajtai.Commitment, p.Kappa), X: make([]goldilocks.Element, 7*ring.D), R: R, Y: make([][]K, 4)}
		for j := range c.C {
			for l := range c.C[j] {
				c.C[j][l] = rlcElement(rng)
			}
		}
		for j := range c.X {
			c.X[j] = rlcElement(rng)
		}
		for j := range c.Y {
			c.Y[j] = make([]K, ring.D)
			for l := range c.Y[j] {
				c.Y[j][l] = rlcExt(rng)
			}
		}
		claims[i] = c
	}
	for b.Loop() {
		if _, err := VerifyCombine(transcript.New(rlcProtocol), p, claims); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCombineDigitsOverflow checks that sums that could leave int32 are
// refused rather than wrapped.
func TestCombineDigitsOverflow(t *testing.T) {
	var rho ring.Small
	for i := range rho {
		rho[i] = -128
	}
	// OperatorNorm(ρ)·128 per claim; 2^31 is passed after ⌈2^31/that⌉ claims.
	k := int(math.MaxInt32/(int64(rho.OperatorNorm())*128)) + 1
	rhos := make([]ring.Small, k)
	Zs := make([][]int8, k)
	for i := range rhos {
		rhos[i] = rho
		Zs[i] = make([]int8, ring.D)
	}
	if _, err := combineDigits(context.Background(), rhos, Zs, 128); !errors.Is(err, ErrShape) {
		t.Fatalf("%d claims: got %v, want ErrShape", k, err)
	}
	if _, err := combineDigits(context.Background(), rhos[:k-1], Zs[:k-1], 128); err != nil {
		t.Fatalf("%d claims: %v", k-1, err)
	}
}
