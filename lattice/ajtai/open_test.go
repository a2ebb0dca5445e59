package ajtai

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/consensys/gnark-crypto/field/goldilocks/extensions"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
	kajtai "github.com/ssprove/ssprove/kernels/ajtai"
	"github.com/ssprove/ssprove/lattice/ring"
)

// smallWitness is d·m entries with |z| < bound, the extremes ±(bound−1)
// among them.
func smallWitness(r *rand.Rand, n, bound int) []int32 {
	Z := make([]int32, n)
	for i := range Z {
		switch r.IntN(8) {
		case 0:
			Z[i] = int32(bound - 1)
		case 1:
			Z[i] = int32(1 - bound)
		default:
			Z[i] = int32(r.IntN(2*bound-1) - bound + 1)
		}
	}
	return Z
}

// TestCommitSmall checks that CommitSmall's commitment is Commit's of the
// lifted witness, for entries across the int32 range.
func TestCommitSmall(t *testing.T) {
	const m = 37
	r := rand.New(rand.NewPCG(21, 22))
	for _, pp := range keys(t, m) {
		for _, bound := range []int{1, 2, 4096, math.MaxInt32} {
			Z := smallWitness(r, ring.D*m, bound)
			c, quo, err := pp.CommitSmall(ctx, Z)
			if err != nil {
				t.Fatal(err)
			}
			want, err := pp.Commit(ctx, lifted(Z))
			if err != nil {
				t.Fatal(err)
			}
			if !equalCommitments(c, want) {
				t.Errorf("%s, bound %d: CommitSmall differs from Commit of the lifted witness", pp.mat.Storage(), bound)
			}
			if len(quo) != pp.Params().Kappa*(ring.D-1) {
				t.Errorf("%d quotient coefficients", len(quo))
			}
		}
		if _, _, err := pp.CommitSmall(ctx, make([]int32, ring.D*m-1)); !errors.Is(err, ErrShape) {
			t.Errorf("short witness: %v", err)
		}
	}
}

// TestCommitDigitsOpening checks that CommitDigitsOpening gives
// CommitSmall's commitment and quotients for a digit matrix, with digits
// of every magnitude the commitment kernel takes, every backend.
func TestCommitDigitsOpening(t *testing.T) {
	const m = 41
	r := rand.New(rand.NewPCG(26, 27))
	for _, bound := range []int{2, 3, 128} {
		Z := smallWitness(r, ring.D*m, bound)
		digits := make([]int8, len(Z))
		for i, z := range Z {
			digits[i] = int8(z)
		}
		for _, pp := range keys(t, m) {
			want, wantQ, err := pp.CommitSmall(ctx, Z)
			if err != nil {
				t.Fatal(err)
			}
			gltest.EachBackend(t, func(be accel.Backend) {
				c, q, err := pp.CommitDigitsOpening(ctx, digits)
				if err != nil {
					t.Fatal(err)
				}
				if !equalCommitments(c, want) || !slices.Equal(q, wantQ) {
					t.Errorf("%s, %s, digits below %d: not CommitSmall's commitment and quotients", pp.mat.Storage(), be, bound)
				}
			})
		}
	}
	if _, _, err := keys(t, m)[0].CommitDigitsOpening(ctx, make([]int8, ring.D*m+1)); !errors.Is(err, ErrShape) {
		t.Errorf("long witness: %v", err)
	}
}

// TestVerifySmallAccepts opens honest commitments on stored and
// regenerated matrices, every backend, several m.
func TestVerifySmallAccepts(t *testing.T) {
	const bound = 4096
	for _, m := range []int{1, 3, 64, 1000, 4096} {
		r := rand.New(rand.NewPCG(uint64(m), 23))
		Z := smallWitness(r, ring.D*m, bound)
		for _, pp := range keys(t, m) {
			c, quo, err := pp.CommitSmall(ctx, Z)
			if err != nil {
				t.Fatal(err)
			}
			gltest.EachBackend(t, func(be accel.Backend) {
				if err := pp.VerifySmall(ctx, c, Z, quo, bound); err != nil {
					t.Errorf("m = %d, %s, %s: honest opening rejected: %v", m, pp.mat.Storage(), be, err)
				}
			})
		}
	}
}

// TestVerifySmallRejects tampers with every part of an opening.
func TestVerifySmallRejects(t *testing.T) {
	const m, bound = 64, 4096
	r := rand.New(rand.NewPCG(24, 25))
	Z := smallWitness(r, ring.D*m, bound)
	for _, pp := range keys(t, m) {
		c, quo, err := pp.CommitSmall(ctx, Z)
		if err != nil {
			t.Fatal(err)
		}
		check := func(name string, c Commitment, Z []int32, quo Quotients, bound int, want error) {
			t.Helper()
			if err := pp.VerifySmall(ctx, c, Z, quo, bound); !errors.Is(err, want) {
				t.Errorf("%s, %s: %v, want %v", pp.mat.Storage(), name, err, want)
			}
		}
		for _, at := range []int{0, 1, ring.D - 1, ring.D, 27*ring.D + 13, len(Z) - 1} {
			bad := slices.Clone(Z)
			if bad[at] > 0 { // towards zero, so the entry stays under the bound
				bad[at]--
			} else {
				bad[at]++
			}
			if bad[at] == Z[at] || bad[at] >= bound || -bad[at] >= bound {
				t.Fatalf("entry %d: %d → %d", at, Z[at], bad[at])
			}
			check(fmt.Sprintf("entry %d changed", at), c, bad, quo, bound, ErrMismatch)
		}
		for _, at := range [][2]int{{0, 0}, {7, 26}, {15, 53}} {
			bad := slices.Clone(c)
			bad[at[0]][at[1]].Add(&bad[at[0]][at[1]], new(goldilocks.Element).SetOne())
			check(fmt.Sprintf("commitment %d coefficient %d changed", at[0], at[1]), bad, Z, quo, bound, ErrMismatch)
		}
		for _, at := range []int{0, 52, 8*(ring.D-1) + 30, len(quo) - 1} {
			bad := slices.Clone(quo)
			bad[at].Add(&bad[at], new(goldilocks.Element).SetOne())
			check(fmt.Sprintf("quotient word %d changed", at), c, Z, bad, bound, ErrMismatch)
		}

		atBound := slices.Clone(Z)
		atBound[100] = -bound
		check("entry at −bound", c, atBound, quo, bound, ErrNorm)
		atBound[100] = bound
		check("entry at bound", c, atBound, quo, bound, ErrNorm)
		check("entry at bound − 1 < ‖Z‖∞", c, Z, quo, bound-1, ErrNorm)
		check("bound 0", c, Z, quo, 0, ErrNorm)
		check("min int32", c, append([]int32{math.MinInt32}, Z[1:]...), quo, math.MaxInt32, ErrNorm)

		check("short commitment", c[:len(c)-1], Z, quo, bound, ErrShape)
		check("long commitment", append(slices.Clone(c), ring.Elem{}), Z, quo, bound, ErrShape)
		check("short witness", c, Z[1:], quo, bound, ErrShape)
		check("long witness", c, append(slices.Clone(Z), 0), quo, bound, ErrShape)
		check("short quotients", c, Z, quo[1:], bound, ErrShape)
		check("nil quotients", c, Z, nil, bound, ErrShape)

		unreduced := slices.Clone(c)
		unreduced[3][5][0] = q
		check("unreduced commitment word", unreduced, Z, quo, bound, ErrEntry)
		unreducedQ := slices.Clone(quo)
		unreducedQ[9][0] = 1<<64 - 1
		check("unreduced quotient word", c, Z, unreducedQ, bound, ErrEntry)
	}
}

// TestVerifySmallPointDependsOnQuotients forges quotients that satisfy the
// identity at the honest opening's α: q_0 + (X − α)(X − ᾱ), whose added
// polynomial has coefficients in F and vanishes at α. openAt accepts the
// forgery at that α, so only hashing the quotients into α, which moves the
// point, makes VerifySmall reject it.
func TestVerifySmallPointDependsOnQuotients(t *testing.T) {
	const m, bound = 64, 4096
	pp := setup(t, m, WithMemory(0))
	Z := smallWitness(rand.New(rand.NewPCG(26, 27)), ring.D*m, bound)
	c, quo, err := pp.CommitSmall(ctx, Z)
	if err != nil {
		t.Fatal(err)
	}
	alpha := pp.openingPoint(c, Z, quo)
	// (X − α)(X − ᾱ) = X² − 2·a0·X + (a0² − 7·a1²) for α = a0 + a1·u, u² = 7.
	var trace, norm, x, seven goldilocks.Element
	trace.Double(&alpha.A0)
	norm.Square(&alpha.A0)
	seven.SetUint64(7)
	x.Square(&alpha.A1).Mul(&x, &seven)
	norm.Sub(&norm, &x)
	forged := slices.Clone(quo)
	forged[0].Add(&forged[0], &norm)
	forged[1].Sub(&forged[1], &trace)
	forged[2].Add(&forged[2], new(goldilocks.Element).SetOne())
	if err := pp.openAt(ctx, alpha, c, Z, forged); err != nil {
		t.Fatalf("the forgery fails even at the α it was made for: %v", err)
	}
	if err := pp.VerifySmall(ctx, c, Z, forged, bound); !errors.Is(err, ErrMismatch) {
		t.Errorf("forged quotients: %v, want ErrMismatch", err)
	}
	if err := pp.openAt(ctx, extensions.E2{A0: alpha.A1, A1: alpha.A0}, c, Z, forged); !errors.Is(err, ErrMismatch) {
		t.Errorf("forged quotients at another point: %v, want ErrMismatch", err)
	}
}

// BenchmarkVerifySmall opens one witness of |z| < 4096 at m = 2^14 and
// 2^15 on stored and regenerated matrices, beside VerifyDigits of the 12
// digit planes the same witness decomposes into, the check it replaces.
func BenchmarkVerifySmall(b *testing.B) {
	const bound, planes = 4096, 12
	for _, m := range []int{1 << 14, 1 << 15} {
		for _, opts := range storageOptions {
			pp := setup(b, m, opts...)
			matrix := pp.mat.Storage().String()
			r := rand.New(rand.NewPCG(1, 1))
			Z := smallWitness(r, ring.D*m, bound)
			c, quo, err := pp.CommitSmall(ctx, Z)
			if err != nil {
				b.Fatal(err)
			}
			digits := make([][]int8, planes)
			for k := range digits {
				digits[k] = randomDigits(r, "ternary", ring.D*m)
			}
			cs, err := pp.CommitDigits(ctx, digits)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("m=%d/%s/VerifySmall", m, matrix), func(b *testing.B) {
				for b.Loop() {
					if err := pp.VerifySmall(ctx, c, Z, quo, bound); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("m=%d/%s/VerifyDigits×%d", m, matrix, planes), func(b *testing.B) {
				for b.Loop() {
					for k := range digits {
						if err := pp.VerifyDigits(ctx, cs[k], digits[k], 2); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

// BenchmarkCommitSmall commits to one witness of |z| < 4096 at m = 2^14
// and 2^15, stored and regenerated, beside Commit of the same witness
// lifted to field elements.
func BenchmarkCommitSmall(b *testing.B) {
	const bound = 4096
	for _, m := range []int{1 << 14, 1 << 15} {
		for _, opts := range storageOptions {
			pp := setup(b, m, opts...)
			matrix := pp.mat.Storage().String()
			Z := smallWitness(rand.New(rand.NewPCG(1, 2)), ring.D*m, bound)
			lifted := lifted(Z)
			b.Run(fmt.Sprintf("m=%d/%s/CommitSmall", m, matrix), func(b *testing.B) {
				for b.Loop() {
					if _, _, err := pp.CommitSmall(ctx, Z); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("m=%d/%s/Commit", m, matrix), func(b *testing.B) {
				for b.Loop() {
					if _, err := pp.Commit(ctx, lifted); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkCombineColumns is VerifySmall's pass over M at m = 2^15 on a
// regenerated key, beside the same pass over columns converted to field
// elements first (the Source that Commit reads, the path CombineColumns
// took before it read the words as they come) and over a key of stored
// coefficients.
func BenchmarkCombineColumns(b *testing.B) {
	const m = 1 << 15
	p := Goldilocks(m)
	words, err := expander(testSeedArray(), p.Kappa)
	if err != nil {
		b.Fatal(err)
	}
	converted, err := kajtai.NewMatrix(ctx, p.Kappa, m, kajtai.Canonical(words), false)
	if err != nil {
		b.Fatal(err)
	}
	mats := map[string]*kajtai.Matrix{
		"converted":    converted,
		"regenerated":  setup(b, m, WithMemory(0)).mat,
		"coefficients": setup(b, m, CoefficientsOnly()).mat,
	}
	v := make([]extensions.E2, m)
	r := rand.New(rand.NewPCG(5, 6))
	for i := range v {
		v[i].A0.SetUint64(r.Uint64())
		v[i].A1.SetUint64(r.Uint64())
	}
	out := make([]extensions.E2, p.Kappa*ring.D)
	for _, name := range []string{"converted", "regenerated", "coefficients"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := kajtai.CombineColumns(ctx, mats[name], v, out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
