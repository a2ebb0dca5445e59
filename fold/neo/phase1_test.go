package neo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/internal/gltest"
	"github.com/ssprove/ssprove/lattice/ring"
)

// refRange returns N_i(t) of fold/NEO.md §2.5 straight from the definition:
// v(x, s) = Σ_p eq(α'_{<i}, p)·Z[(p, x, s), c] digit by digit, R_b by its
// coefficients, every weight by eqK on the index bits.
func refRange(t *testing.T, ph *phase1, i int, point []K) []K {
	t.Helper()
	st := ph.st
	rest := digitVars - 1 - i
	acc := make([]K, st.degree+1)
	for k, Z := range ph.Zs {
		for c := range ph.m {
			wc := eqK(bitsK(c, len(st.betaR)), st.betaR)
			for s := range 1 << rest {
				ws := eqK(bitsK(s, rest), st.betaA[i+1:])
				var v [2]K
				for p := range 1 << i {
					wp := eqK(bitsK(p, i), point[:i])
					for x := range 2 {
						a := p<<(rest+1) | x<<rest | s
						if a >= ring.D {
							continue
						}
						δ := digitElement(Z[c*ring.D+a])
						var e K
						e.MulByElement(&wp, &δ)
						v[x].Add(&v[x], &e)
					}
				}
				for tt := range acc {
					var vt, d, r, pow, e K
					d.Sub(&v[1], &v[0])
					vt.A0.SetUint64(uint64(tt))
					vt.Mul(&vt, &d)
					vt.Add(&vt, &v[0])
					pow.SetOne()
					for _, ce := range st.rb {
						e.MulByElement(&pow, &ce)
						r.Add(&r, &e)
						pow.Mul(&pow, &vt)
					}
					r.Mul(&r, &wc)
					r.Mul(&r, &ws)
					r.Mul(&r, &st.nc[k])
					acc[tt].Add(&acc[tt], &r)
				}
			}
		}
	}
	return acc
}

// TestRangeRoundPaths checks the three ways phase 1 computes its range-check
// sums (digit buckets, columns rebuilt from digits, tables kept in K)
// against the definition, every round, for digits below b and for digits
// far outside (a cheating prover's), on every backend.
func TestRangeRoundPaths(t *testing.T) {
	ctx := context.Background()
	gltest.ForEachBackend(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(61, 62))
		for _, tc := range relCases(t) {
			b := int(tc.pp.Params().Base)
			for _, most := range []int{b - 1, 90} {
				t.Run(fmt.Sprintf("%s/digits≤%d", tc.name, most), func(t *testing.T) {
					inst, wit := honestMCS(t, tc)
					carried, carriedZ := ccsCarried(t, rng, tc.s, tc.pp, 2)
					Zs := append([][]int8{wit.Z}, carriedZ...)
					if most >= b {
						Zs[1] = rlcDigits(rng, len(wit.Z), most)
					}
					st, err := newCCSStatement(ccsTranscript(), tc.pp, tc.s, inst, carried)
					if err != nil {
						t.Fatal(err)
					}
					ph, err := newPhase1(st, tc.s, Zs, magnitude(Zs))
					if err != nil {
						t.Fatal(err)
					}
					point := randomPoint(rng, digitVars)
					evals := make([]K, st.degree)
					for i := range digitVars {
						if err := ph.round(ctx, i, point[:i], evals); err != nil {
							t.Fatal(err)
						}
						want := refRange(t, ph, i, point)
						eqS, err := mle.EqTable(st.betaA[i+1:])
						if err != nil {
							t.Fatal(err)
						}
						paths := map[string]func() ([]K, error){}
						if i < materialRound {
							paths["columns"] = func() ([]K, error) { return ph.columnRound(i, point, eqS) }
							if patternCount(2<<i, ph.mags) <= maxPatterns {
								paths["buckets"] = func() ([]K, error) { return ph.bucketRound(i, point, eqS) }
							}
						} else {
							paths["tables"] = func() ([]K, error) { return ph.tableRound(eqS) }
						}
						for name, run := range paths {
							got, err := run()
							if err != nil {
								t.Fatal(err)
							}
							if fmt.Sprint(got) != fmt.Sprint(want) {
								t.Fatalf("round %d, %s: N_i = %v, want %v", i, name, got, want)
							}
						}
					}
				})
			}
		}
	})
}

// TestPatterns pins which rounds bucket: rounds 0…2 at b = 2, 0 and 1 at
// b = 3, round 0 only for digits up to 40.
func TestPatterns(t *testing.T) {
	for _, tc := range []struct{ mags, rounds int }{{1, 3}, {2, 2}, {40, 1}, {41, 0}} {
		got := 0
		for i := range digitVars {
			if patternCount(2<<i, tc.mags) <= maxPatterns {
				got = i + 1
			}
		}
		if got != tc.rounds {
			t.Errorf("digits ≤ %d: %d bucketed rounds, want %d", tc.mags, got, tc.rounds)
		}
	}
}

// TestExtrapolate extends random polynomials of every degree up to 8 from
// their first values and compares with direct evaluation.
func TestExtrapolate(t *testing.T) {
	rng := rand.New(rand.NewPCG(63, 64))
	for n := 1; n <= 9; n++ {
		coeffs := randomPoint(rng, n)
		vals := make([]K, 12)
		want := make([]K, len(vals))
		for x := range want {
			var pt, pow, e K
			pt.A0.SetUint64(uint64(x))
			pow.SetOne()
			for _, c := range coeffs {
				e.Mul(&pow, &c)
				want[x].Add(&want[x], &e)
				pow.Mul(&pow, &pt)
			}
		}
		copy(vals, want[:n])
		extrapolate(vals, n)
		if fmt.Sprint(vals) != fmt.Sprint(want) {
			t.Errorf("degree %d: extrapolated %v, want %v", n-1, vals, want)
		}
	}
}
