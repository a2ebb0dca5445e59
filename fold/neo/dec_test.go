package neo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

// bigClaim returns an ME(B) claim about an int32 witness with entries
// anywhere in (−B, B), the extremes included, built with field arithmetic
// only: pp.Commit on the field matrix and the reference evaluator.
func bigClaim(t testing.TB, rng *rand.Rand, tc relCase) (Claim, []int32) {
	t.Helper()
	B := int32(tc.pp.Params().Bound)
	m := tc.s.NumVariables()
	Z := make([]int32, ring.D*m)
	for i := range Z {
		Z[i] = rng.Int32N(2*B-1) - (B - 1)
	}
	Z[0], Z[len(Z)-1] = B-1, 1-B
	F := make([]goldilocks.Element, len(Z))
	for i := range Z {
		F[i].SetInt64(int64(Z[i]))
	}
	C, err := tc.pp.Commit(context.Background(), F)
	if err != nil {
		t.Fatal(err)
	}
	r := randomPoint(rng, mle.NumVars(max(m, tc.s.NumConstraints())))
	return Claim{C: C, X: F[:ring.D*tc.s.NumPublic()], R: r, Y: refProducts(Z, refWeights(t, tc.s, r))}, Z
}

// sameState fails unless the two transcripts squeeze the same challenge.
func sameState(t testing.TB, a, b *transcript.Transcript) {
	t.Helper()
	if a.Clone().ChallengeField("probe") != b.Clone().ChallengeField("probe") {
		t.Fatal("transcripts differ")
	}
}

func TestDecompose(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range relCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.pp.Params()
			parent, Z := bigClaim(t, rng, tc)
			// The first fold's case: Π_RLC is the identity and Π_DEC splits
			// an MCS witness, whose planes 1…k−1 are zero.
			_, wit := honestMCS(t, tc)
			first := honestClaim(t, rng, tc, wit.Z)
			for _, in := range []struct {
				name   string
				parent Claim
				Z      []int32
			}{{"ME(B)", parent, Z}, {"MCS", first, widen(wit.Z)}} {
				t.Run(in.name, func(t *testing.T) {
					ptr, vtr := transcript.New("test/dec"), transcript.New("test/dec")
					parts, planes, err := Decompose(ctx, ptr, tc.pp, tc.s, in.parent, in.Z)
					if err != nil {
						t.Fatal(err)
					}
					if len(parts) != p.K || len(planes) != p.K {
						t.Fatalf("%d parts and %d planes, want k = %d", len(parts), len(planes), p.K)
					}
					back, err := decomp.RecomposeSmall(planes, p.Base)
					if err != nil {
						t.Fatal(err)
					}
					if fmt.Sprint(back) != fmt.Sprint(in.Z) {
						t.Fatal("Σ b^i·Z_i differs from Z")
					}
					for i := range parts {
						if err := CheckClaim(ctx, tc.pp, tc.s, int(p.Base), parts[i], planes[i]); err != nil {
							t.Fatalf("part %d: %v", i, err)
						}
					}
					if err := VerifyDecompose(vtr, tc.pp, tc.s, in.parent, parts); err != nil {
						t.Fatal(err)
					}
					sameState(t, ptr, vtr)
				})
			}

			tr := transcript.New("test/dec")
			parts, _, err := Decompose(ctx, tr, tc.pp, tc.s, parent, Z)
			if err != nil {
				t.Fatal(err)
			}
			for _, bad := range []struct {
				name   string
				mutate func([]Claim) []Claim
				want   error
				substr string
			}{
				{"k−1 parts", func(ps []Claim) []Claim { return ps[1:] }, ErrShape, "parts"},
				{"short Y", func(ps []Claim) []Claim { ps[2].Y = ps[2].Y[1:]; return ps }, ErrShape, "part 2"},
				{"other point", func(ps []Claim) []Claim {
					ps[1].R = clone(ps[1].R)
					ps[1].R[0].A0.SetOne()
					return ps
				}, ErrPoint, "part 1"},
				{"X digit b", func(ps []Claim) []Claim {
					ps[0].X = clone(ps[0].X)
					ps[0].X[3].SetUint64(p.Base)
					return ps
				}, ErrNorm, "X of part 0"},
				{"commitment", func(ps []Claim) []Claim {
					ps[p.K-1].C = clone(ps[p.K-1].C)
					ps[p.K-1].C[5][0].Add(&ps[p.K-1].C[5][0], new(goldilocks.Element).SetOne())
					return ps
				}, ErrCommitment, "ring element 5"},
				{"X", func(ps []Claim) []Claim {
					ps[1].X = clone(ps[1].X)
					if ps[1].X[ring.D+2].IsZero() {
						ps[1].X[ring.D+2].SetOne()
					} else {
						ps[1].X[ring.D+2].SetZero()
					}
					return ps
				}, ErrPublic, "row 2 of column 1"},
				{"Y", func(ps []Claim) []Claim {
					ps[3].Y = clone(ps[3].Y)
					ps[3].Y[2] = clone(ps[3].Y[2])
					ps[3].Y[2][7].A0.Add(&ps[3].Y[2][7].A0, new(goldilocks.Element).SetOne())
					return ps
				}, ErrEvaluation, "Y_i[2][7]"},
				{"parts swapped", func(ps []Claim) []Claim {
					ps[0], ps[1] = ps[1], ps[0]
					return ps
				}, ErrCommitment, ""},
			} {
				t.Run(bad.name, func(t *testing.T) {
					vtr := transcript.New("test/dec")
					err := VerifyDecompose(vtr, tc.pp, tc.s, parent, bad.mutate(clone(parts)))
					if !errors.Is(err, bad.want) {
						t.Fatalf("got %v, want %v", err, bad.want)
					}
					if !strings.Contains(fmt.Sprint(err), bad.substr) {
						t.Fatalf("%v does not say %q", err, bad.substr)
					}
					sameState(t, vtr, transcript.New("test/dec"))
				})
			}
			// A parent of the wrong shape is refused before anything else.
			short := parent
			short.Y = short.Y[:1]
			if err := VerifyDecompose(transcript.New("test/dec"), tc.pp, tc.s, short, parts); !errors.Is(err, ErrShape) {
				t.Fatalf("short parent: got %v, want ErrShape", err)
			}
		})
	}
}

func TestDecomposeRejects(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(11, 12))
	tc := relCases(t)[0]
	parent, Z := bigClaim(t, rng, tc)
	B := int32(tc.pp.Params().Bound)

	over := clone(Z)
	over[ring.D+1] = -B
	tr := transcript.New("test/dec")
	if _, _, err := Decompose(ctx, tr, tc.pp, tc.s, parent, over); !errors.Is(err, decomp.ErrRange) {
		t.Fatalf("entry −B: got %v, want decomp.ErrRange", err)
	}
	sameState(t, tr, transcript.New("test/dec"))
	if _, _, err := Decompose(ctx, tr, tc.pp, tc.s, parent, Z[1:]); !errors.Is(err, ErrShape) {
		t.Fatalf("short Z: got %v, want ErrShape", err)
	}
	short := parent
	short.R = short.R[1:]
	if _, _, err := Decompose(ctx, tr, tc.pp, tc.s, short, Z); !errors.Is(err, ErrShape) {
		t.Fatalf("short R: got %v, want ErrShape", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := Decompose(cancelled, tr, tc.pp, tc.s, parent, Z); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: got %v, want context.Canceled", err)
	}
	sameState(t, tr, transcript.New("test/dec"))
}

// TestDecomposeTranscript checks that what Π_DEC absorbs binds its messages:
// provers whose parts differ leave different transcripts.
func TestDecomposeTranscript(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(13, 14))
	tc := relCases(t)[2]
	parent, Z := bigClaim(t, rng, tc)
	a, b := transcript.New("test/dec"), transcript.New("test/dec")
	if _, _, err := Decompose(ctx, a, tc.pp, tc.s, parent, Z); err != nil {
		t.Fatal(err)
	}
	Z[len(Z)-2]++
	if _, _, err := Decompose(ctx, b, tc.pp, tc.s, parent, Z); err != nil {
		t.Fatal(err)
	}
	if a.ChallengeField("probe") == b.ChallengeField("probe") {
		t.Fatal("different decompositions leave the same transcript")
	}
}

// BenchmarkDecompose measures Π_DEC's prover on a b = 2, k = 12 ME(B) claim:
// split, k commitments and the evaluations, in columns per second.
func BenchmarkDecompose(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	s, _ := relR1CS(b, rng, 1<<10-16, 15, 0, true)
	pp, err := ajtaiSetup(s.NumVariables())
	if err != nil {
		b.Fatal(err)
	}
	tc := relCase{s: s, pp: pp}
	// An honest RLC output is far below B (fold/NEO.md §3.2): ±100.
	m := s.NumVariables()
	Z := make([]int32, ring.D*m)
	for i := range Z {
		Z[i] = rng.Int32N(201) - 100
	}
	parent := Claim{C: make([]ring.Elem, pp.Params().Kappa), X: make([]goldilocks.Element, ring.D*s.NumPublic()),
		R: randomPoint(rng, mle.NumVars(max(m, s.NumConstraints()))), Y: make([][]K, 4)}
	for j := range parent.Y {
		parent.Y[j] = make([]K, ring.D)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := Decompose(ctx, transcript.New("bench"), tc.pp, tc.s, parent, Z); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(m)*float64(b.N)/b.Elapsed().Seconds(), "columns/s")
}
