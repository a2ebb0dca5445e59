package neo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/sumcheck"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/ring"
)

// ccsTranscript is a fold transcript after the steps before Π_CCS (fold/NEO.md
// §2.2 steps 1–3), stood in for by the node record.
func ccsTranscript() *transcript.Transcript {
	tr := transcript.New("ssprove/neo/fold/v1")
	tr.AppendUint64("node", 0, 1)
	return tr
}

// ccsCarried returns k ME(b) claims at one random point about random digit
// matrices below b, and those matrices.
func ccsCarried(t testing.TB, rng *rand.Rand, s *ccs.CCS, pp *ajtai.PublicParams, k int) ([]Claim, [][]int8) {
	t.Helper()
	b := int(pp.Params().Base)
	R := randomPoint(rng, mle.NumVars(max(s.NumVariables(), s.NumConstraints())))
	Zs := make([][]int8, k)
	claims := make([]Claim, k)
	for i := range Zs {
		Zs[i] = rlcDigits(rng, ring.D*s.NumVariables(), b-1)
		claims[i] = ccsClaimAt(t, s, pp, Zs[i], R)
	}
	return claims, Zs
}

// ccsClaimAt returns the honest claim about Z at R.
func ccsClaimAt(t testing.TB, s *ccs.CCS, pp *ajtai.PublicParams, Z []int8, R []K) Claim {
	t.Helper()
	X := make([]goldilocks.Element, ring.D*s.NumPublic())
	for i := range X {
		X[i] = digitElement(Z[i])
	}
	Y, err := Evaluations(s, Z, R)
	if err != nil {
		t.Fatal(err)
	}
	return Claim{C: commitDigits(t, pp, Z), X: X, R: R, Y: Y}
}

func TestCCSCompleteness(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(11, 12))
	for _, tc := range relCases(t) {
		for _, k := range []int{0, 1, 3} {
			t.Run(fmt.Sprintf("%s/carried=%d", tc.name, k), func(t *testing.T) {
				b := int(tc.pp.Params().Base)
				inst, wit := honestMCS(t, tc)
				carried, carriedZ := ccsCarried(t, rng, tc.s, tc.pp, k)
				ptr, vtr := ccsTranscript(), ccsTranscript()
				out, proof, err := ProveCCS(ctx, ptr, tc.pp, tc.s, inst, wit, carried, carriedZ)
				if err != nil {
					t.Fatal(err)
				}
				if len(proof.Rounds) != digitVars || len(proof.Rounds[0]) != 2*b {
					t.Fatalf("phase 1 has %d rounds of %d evaluations, want %d of %d", len(proof.Rounds), len(proof.Rounds[0]), digitVars, 2*b)
				}
				vout, err := VerifyCCS(vtr, tc.pp, tc.s, inst, carried, proof)
				if err != nil {
					t.Fatalf("honest proof rejected: %v", err)
				}
				sameState(t, ptr, vtr)
				if fmt.Sprint(out) != fmt.Sprint(vout) {
					t.Fatal("prover and verifier output different claims")
				}
				if len(out) != 1+k {
					t.Fatalf("%d output claims, want %d", len(out), 1+k)
				}
				Zs := append([][]int8{wit.Z}, carriedZ...)
				for i, c := range out {
					if fmt.Sprint(c.R) != fmt.Sprint(out[0].R) {
						t.Fatalf("claim %d is not at the shared point", i)
					}
					if err := CheckClaim(ctx, tc.pp, tc.s, b, c, Zs[i]); err != nil {
						t.Fatalf("output claim %d: %v", i, err)
					}
				}
				// The first fold's output carried into the next one.
				inst2, wit2 := honestMCS(t, tc)
				ptr, vtr = ccsTranscript(), ccsTranscript()
				out2, proof2, err := ProveCCS(ctx, ptr, tc.pp, tc.s, inst2, wit2, out, Zs)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := VerifyCCS(vtr, tc.pp, tc.s, inst2, out, proof2); err != nil {
					t.Fatalf("second step rejected: %v", err)
				}
				for i, c := range out2 {
					if err := CheckClaim(ctx, tc.pp, tc.s, b, c, append([][]int8{wit2.Z}, Zs...)[i]); err != nil {
						t.Fatalf("second step, output claim %d: %v", i, err)
					}
				}
			})
		}
	}
}

// TestCCSParallel runs a step wide enough for the column loops to split
// across workers, for the race detector.
func TestCCSParallel(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(19, 20))
	s, z := relR1CS(t, rng, 1000, 23, 0, true)
	pp, err := ajtai.Setup(ctx, ajtai.Goldilocks(s.NumVariables()), relSeed())
	if err != nil {
		t.Fatal(err)
	}
	tc := relCase{s: s, z: z, pp: pp}
	inst, wit := honestMCS(t, tc)
	carried, carriedZ := ccsCarried(t, rng, s, pp, 2)
	ptr, vtr := ccsTranscript(), ccsTranscript()
	out, proof, err := ProveCCS(ctx, ptr, pp, s, inst, wit, carried, carriedZ)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyCCS(vtr, pp, s, inst, carried, proof); err != nil {
		t.Fatal(err)
	}
	sameState(t, ptr, vtr)
	for i, Z := range append([][]int8{wit.Z}, carriedZ...) {
		if err := CheckClaim(ctx, pp, s, 2, out[i], Z); err != nil {
			t.Fatalf("output claim %d: %v", i, err)
		}
	}
}

func TestCCSRefusesBadWitness(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(13, 14))
	for _, tc := range relCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			b := int8(tc.pp.Params().Base)
			inst, wit := honestMCS(t, tc)
			carried, carriedZ := ccsCarried(t, rng, tc.s, tc.pp, 2)

			// An unsatisfied row: output of core row 0 off by one, recommitted.
			z := clone(tc.z)
			col := tc.outBase
			z[col].Add(&z[col], new(goldilocks.Element).SetOne())
			bad := clone(wit.Z)
			copy(bad[col*ring.D:(col+1)*ring.D], embed(t, z[col:col+1], uint64(b)))
			badInst := MCS{C: commitDigits(t, tc.pp, bad), X: inst.X}
			if err := CheckMCS(ctx, tc.pp, tc.s, badInst, MCSWitness{Z: bad}); !errors.Is(err, ErrUnsatisfied) {
				t.Fatalf("test witness not unsatisfied: %v", err)
			}
			for _, k := range []int{0, 2} {
				_, _, err := ProveCCS(ctx, ccsTranscript(), tc.pp, tc.s, badInst, MCSWitness{Z: bad}, carried[:k], carriedZ[:k])
				if !refusedInRound0(err) {
					t.Fatalf("unsatisfied witness, %d carried: got %v, want phase 1 to refuse", k, err)
				}
			}

			// A digit of b: refused up front, and, forced past that check,
			// by the range-check term of the sum-check.
			over := clone(wit.Z)
			over[len(over)-2] = b
			if _, _, err := ProveCCS(ctx, ccsTranscript(), tc.pp, tc.s, inst, MCSWitness{Z: over}, nil, nil); !errors.Is(err, ErrNorm) {
				t.Fatalf("digit b: got %v, want ErrNorm", err)
			}
			overZ := clone(carriedZ[1])
			overZ[ring.D*3+7] = -b
			overClaim := ccsClaimAt(t, tc.s, tc.pp, overZ, carried[1].R)
			if _, _, err := ProveCCS(ctx, ccsTranscript(), tc.pp, tc.s, inst, wit, []Claim{carried[0], overClaim}, [][]int8{carriedZ[0], overZ}); !errors.Is(err, ErrNorm) {
				t.Fatalf("carried digit −b: got %v, want ErrNorm", err)
			}
			// The claim is honest about overZ, so only the range check can
			// catch it.
			_, _, err := proveCCS(ctx, ccsTranscript(), tc.pp, tc.s, inst, []Claim{carried[0], overClaim}, [][]int8{wit.Z, carriedZ[0], overZ})
			if !refusedInRound0(err) {
				t.Fatalf("forced carried digit −b: got %v, want phase 1 to refuse", err)
			}
			// A digit of 3b in the MCS witness, forced.
			_, _, err = proveCCS(ctx, ccsTranscript(), tc.pp, tc.s, inst, nil, [][]int8{withDigit(wit.Z, ring.D*(tc.s.NumVariables()-1)+3, 3*b)})
			if !refusedInRound0(err) {
				t.Fatalf("forced MCS digit 3b: got %v, want phase 1 to refuse", err)
			}

			// A carried witness that does not open its claim's Y.
			wrong := clone(carried)
			wrong[0].Y = clone(wrong[0].Y)
			wrong[0].Y[1] = clone(wrong[0].Y[1])
			wrong[0].Y[1][9].A0.Add(&wrong[0].Y[1][9].A0, new(goldilocks.Element).SetOne())
			// Phase 1 reads the claimed Y, so it is phase 2, whose tables
			// come from the witnesses, that refuses.
			if _, _, err := ProveCCS(ctx, ccsTranscript(), tc.pp, tc.s, inst, wit, wrong, carriedZ); !errors.Is(err, sumcheck.ErrClaim) || !strings.Contains(err.Error(), "phase 2") {
				t.Fatalf("carried Y off: got %v, want phase 2 to refuse", err)
			}
		})
	}
}

// refusedInRound0 reports whether err is the first round of phase 1
// refusing the claimed sum, where fold/NEO.md §2.5 says every false witness
// is caught.
func refusedInRound0(err error) bool {
	return errors.Is(err, sumcheck.ErrClaim) && strings.Contains(err.Error(), "phase 1: sumcheck: ProveRounds: round 0 sums to")
}

// withDigit returns a copy of Z with Z[i] = δ.
func withDigit(Z []int8, i int, δ int8) []int8 {
	Z = clone(Z)
	Z[i] = δ
	return Z
}

func TestCCSRejectsTamperedProof(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(15, 16))
	for _, tc := range relCases(t)[:3] {
		t.Run(tc.name, func(t *testing.T) {
			inst, wit := honestMCS(t, tc)
			carried, carriedZ := ccsCarried(t, rng, tc.s, tc.pp, 2)
			_, proof, err := ProveCCS(ctx, ccsTranscript(), tc.pp, tc.s, inst, wit, carried, carriedZ)
			if err != nil {
				t.Fatal(err)
			}
			one := K{}
			one.SetOne()
			bump := func(x *K) { x.Add(x, &one) }
			cases := []struct {
				name string
				edit func(p *CCSProof)
			}{
				{"phase 1 round 0", func(p *CCSProof) { bump(&p.Rounds[0][0]) }},
				{"phase 1 round 3", func(p *CCSProof) { bump(&p.Rounds[3][1]) }},
				{"phase 1 round 5", func(p *CCSProof) { bump(&p.Rounds[5][len(p.Rounds[5])-1]) }},
				{"phase 2 round 0", func(p *CCSProof) { bump(&p.Sumcheck.Rounds[0][2]) }},
				{"phase 2 last round", func(p *CCSProof) { bump(&p.Sumcheck.Rounds[len(p.Sumcheck.Rounds)-1][0]) }},
				{"phase 2 eval", func(p *CCSProof) { bump(&p.Sumcheck.Evals[1]) }},
				{"y' MCS identity", func(p *CCSProof) { bump(&p.Y[0][0][0]) }},
				{"y' MCS matrix", func(p *CCSProof) { bump(&p.Y[0][2][53]) }},
				{"y' carried", func(p *CCSProof) { bump(&p.Y[2][3][20]) }},
				{"y' carried digit 40", func(p *CCSProof) { bump(&p.Y[1][1][40]) }},
				{"short phase 1", func(p *CCSProof) { p.Rounds = p.Rounds[1:] }},
				{"short round", func(p *CCSProof) { p.Rounds[2] = p.Rounds[2][1:] }},
				{"no phase 2", func(p *CCSProof) { p.Sumcheck = nil }},
				{"short y'", func(p *CCSProof) { p.Y = p.Y[:2] }},
				{"short y'[1]", func(p *CCSProof) { p.Y[1] = p.Y[1][1:] }},
				{"short y'[0][0]", func(p *CCSProof) { p.Y[0][0] = p.Y[0][0][1:] }},
			}
			for _, bad := range cases {
				t.Run(bad.name, func(t *testing.T) {
					p := deepCopyProof(proof)
					bad.edit(p)
					if _, err := VerifyCCS(ccsTranscript(), tc.pp, tc.s, inst, carried, p); !errors.Is(err, sumcheck.ErrReject) {
						t.Fatalf("got %v, want sumcheck.ErrReject", err)
					}
				})
			}
			if _, err := VerifyCCS(ccsTranscript(), tc.pp, tc.s, inst, carried, nil); !errors.Is(err, sumcheck.ErrReject) {
				t.Fatalf("nil proof: got %v", err)
			}
			// The proof is bound to its statement.
			x := clone(inst.X)
			x[0].SetUint64(2)
			if _, err := VerifyCCS(ccsTranscript(), tc.pp, tc.s, MCS{C: inst.C, X: x}, carried, proof); !errors.Is(err, sumcheck.ErrReject) {
				t.Fatalf("other x: got %v, want sumcheck.ErrReject", err)
			}
			other := clone(carried)
			other[1].Y = clone(other[1].Y)
			other[1].Y[0] = clone(other[1].Y[0])
			bump(&other[1].Y[0][5])
			if _, err := VerifyCCS(ccsTranscript(), tc.pp, tc.s, inst, other, proof); !errors.Is(err, sumcheck.ErrReject) {
				t.Fatalf("other carried Y: got %v, want sumcheck.ErrReject", err)
			}
			if _, err := VerifyCCS(ccsTranscript(), tc.pp, tc.s, inst, carried[:1], proof); !errors.Is(err, sumcheck.ErrReject) {
				t.Fatalf("one carried claim dropped: got %v, want sumcheck.ErrReject", err)
			}
		})
	}
}

func deepCopyProof(p *CCSProof) *CCSProof {
	q := &CCSProof{Sumcheck: &sumcheck.Proof{Evals: clone(p.Sumcheck.Evals)}}
	for _, r := range p.Rounds {
		q.Rounds = append(q.Rounds, clone(r))
	}
	for _, r := range p.Sumcheck.Rounds {
		q.Sumcheck.Rounds = append(q.Sumcheck.Rounds, clone(r))
	}
	for _, y := range p.Y {
		var yy [][]K
		for _, v := range y {
			yy = append(yy, clone(v))
		}
		q.Y = append(q.Y, yy)
	}
	return q
}

func TestCCSBadInputs(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(17, 18))
	tc := relCases(t)[0]
	inst, wit := honestMCS(t, tc)
	carried, carriedZ := ccsCarried(t, rng, tc.s, tc.pp, 2)
	apart := clone(carried)
	apart[1].R = randomPoint(rng, len(apart[1].R))
	shortR := clone(carried)
	shortR[0].R = shortR[0].R[1:]
	big := clone(inst.X)
	big[0].SetUint64(1 << 60)
	for _, bad := range []struct {
		name     string
		inst     MCS
		wit      []int8
		carried  []Claim
		carriedZ [][]int8
		want     error
		witness  bool // only the witness is wrong: nothing for VerifyCCS to see
	}{
		{"short C", MCS{C: inst.C[1:], X: inst.X}, wit.Z, nil, nil, ErrShape, false},
		{"short x", MCS{C: inst.C, X: inst.X[1:]}, wit.Z, nil, nil, ErrShape, false},
		{"short Z", inst, wit.Z[1:], nil, nil, ErrShape, true},
		{"missing carried witness", inst, wit.Z, carried, carriedZ[:1], ErrShape, true},
		{"short carried witness", inst, wit.Z, carried, [][]int8{carriedZ[0], carriedZ[1][2:]}, ErrShape, true},
		{"carried apart", inst, wit.Z, apart, carriedZ, ErrPoint, false},
		{"carried R short", inst, wit.Z, shortR, carriedZ, ErrShape, false},
		{"x of 2^60", MCS{C: inst.C, X: big}, wit.Z, nil, nil, ErrPublic, false},
	} {
		t.Run(bad.name, func(t *testing.T) {
			_, _, err := ProveCCS(ctx, ccsTranscript(), tc.pp, tc.s, bad.inst, MCSWitness{Z: bad.wit}, bad.carried, bad.carriedZ)
			if !errors.Is(err, bad.want) {
				t.Fatalf("ProveCCS: got %v, want %v", err, bad.want)
			}
			if bad.witness {
				return
			}
			if _, err := VerifyCCS(ccsTranscript(), tc.pp, tc.s, bad.inst, bad.carried, &CCSProof{}); !errors.Is(err, bad.want) {
				t.Fatalf("VerifyCCS: got %v, want %v", err, bad.want)
			}
		})
	}
	if _, _, err := ProveCCS(ctx, nil, tc.pp, tc.s, inst, wit, nil, nil); !errors.Is(err, ErrShape) {
		t.Fatalf("nil transcript: got %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := ProveCCS(cctx, ccsTranscript(), tc.pp, tc.s, inst, wit, nil, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: got %v", err)
	}
}

func TestRangePoly(t *testing.T) {
	for b := 2; b <= 4; b++ {
		c := rangePoly(b)
		if len(c) != 2*b {
			t.Fatalf("b = %d: %d coefficients, want 2b", b, len(c))
		}
		for v := -b - 2; v <= b+2; v++ {
			var x, acc goldilocks.Element
			x.SetInt64(int64(v))
			for e := len(c) - 1; e >= 0; e-- {
				acc.Mul(&acc, &x)
				acc.Add(&acc, &c[e])
			}
			if zero := acc.IsZero(); zero != (v > -b && v < b) {
				t.Fatalf("b = %d: R_b(%d) = %s", b, v, acc.String())
			}
		}
	}
}

func BenchmarkProveCCS(b *testing.B) {
	for _, bc := range []struct {
		name         string
		core, inputs int
		carried      int
	}{
		{"n=16/k=12", 9, 6, 12},
		{"n=2^10/k=0", 1000, 23, 0},
		{"n=2^10/k=12", 1000, 23, 12},
	} {
		b.Run(bc.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			s, z := relR1CS(b, rng, bc.core, bc.inputs, 0, true)
			pp, err := ajtai.Setup(context.Background(), ajtai.Goldilocks(s.NumVariables()), relSeed())
			if err != nil {
				b.Fatal(err)
			}
			tc := relCase{s: s, z: z, pp: pp}
			inst, wit := honestMCS(b, tc)
			carried, carriedZ := ccsCarried(b, rng, s, pp, bc.carried)
			var proof *CCSProof
			b.Run("prove", func(b *testing.B) {
				for b.Loop() {
					if _, proof, err = ProveCCS(context.Background(), ccsTranscript(), pp, s, inst, wit, carried, carriedZ); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*s.NumConstraints())/b.Elapsed().Seconds(), "constraints/s")
			})
			b.Run("verify", func(b *testing.B) {
				for b.Loop() {
					if _, err := VerifyCCS(ccsTranscript(), pp, s, inst, carried, proof); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "proofs/s")
			})
		})
	}
}
