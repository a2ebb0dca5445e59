package ajtai

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/internal/gltest"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// testMatrices returns M from testSource stored and regenerated, and M
// from testWords in every Storage.
func testMatrices(t testing.TB, kappa, m int) map[string]*Matrix {
	t.Helper()
	mats := map[string]*Matrix{}
	for name, store := range map[string]bool{"stored": true, "regenerated": false} {
		mat, err := NewMatrix(context.Background(), kappa, m, testSource(kappa, 7), store)
		if err != nil {
			t.Fatal(err)
		}
		mats[name] = mat
	}
	for _, keep := range []Storage{Regenerate, StoreCoefficients, StoreAll} {
		mat, err := NewWordMatrix(context.Background(), kappa, m, testWords(kappa, 7), keep)
		if err != nil {
			t.Fatal(err)
		}
		if mat.Storage() != keep {
			t.Fatalf("NewWordMatrix(%v) keeps %v", keep, mat.Storage())
		}
		mats["words/"+keep.String()] = mat
	}
	return mats
}

// testWords is a pseudorandom matrix as canonical words, the extremes 0
// and q − 1 among them.
func testWords(kappa int, seed uint64) Words {
	return func(dst []uint64, lo, hi int) {
		for j := lo; j < hi; j++ {
			r := rand.New(rand.NewPCG(seed, uint64(j)))
			for i := range dst[(j-lo)*kappa*D : (j-lo+1)*kappa*D] {
				x := r.Uint64N(gl64.Q)
				if r.IntN(16) == 0 {
					x = []uint64{0, gl64.Q - 1}[r.IntN(2)]
				}
				dst[(j-lo)*kappa*D+i] = x
			}
		}
	}
}

// schoolbook returns P_i = Σ_j M_ij·z_j in F[X], unreduced: κ rows of 2D−1
// coefficients.
func schoolbook(mat *Matrix, Z []E) []E {
	const width = 2*D - 1
	p := make([]E, mat.kappa*width)
	col := make([]E, mat.kappa*D)
	for j := range mat.m {
		mat.src(col, j, j+1)
		for i := range mat.kappa {
			for a := range D {
				for b := range D {
					var x E
					x.Mul(&col[i*D+a], &Z[j*D+b])
					p[i*width+a+b].Add(&p[i*width+a+b], &x)
				}
			}
		}
	}
	return p
}

// TestCommitQuotients checks P_i = c_i + Φ81·q_i against the schoolbook
// product, coefficient by coefficient, and that c is Commit's, on every
// backend, for stored and regenerated matrices and every kind of witness
// (digit columns take the additions path, the others the NTT).
func TestCommitQuotients(t *testing.T) {
	ctx := context.Background()
	gltest.ForEachBackend(t, func(t *testing.T) {
		for _, m := range []int{1, 3, 40} {
			for name, mat := range testMatrices(t, 3, m) {
				for _, kind := range []string{"zero", "bits", "sparse-digits", "full"} {
					Z := make([]E, D*m)
					witnesses[kind](rand.New(rand.NewPCG(uint64(m), 5)), Z)
					out, quo := make([]E, 3*D), make([]E, 3*(D-1))
					if err := CommitQuotients(ctx, mat, Z, out, quo); err != nil {
						t.Fatal(err)
					}
					want := make([]E, 3*D)
					if err := Commit(ctx, mat, Z, want); err != nil {
						t.Fatal(err)
					}
					if i := firstDifference(out, want); i >= 0 {
						t.Fatalf("m = %d, %s, %s: commitment word %d differs from Commit's", m, name, kind, i)
					}
					p := schoolbook(mat, Z)
					for i := range 3 {
						got := make([]E, 2*D-1)
						copy(got, out[i*D:(i+1)*D])
						for t, c := range quo[i*(D-1) : (i+1)*(D-1)] {
							// Φ81·c·X^t = c·X^t + c·X^(t+27) + c·X^(t+54).
							for _, e := range []int{t, t + 27, t + D} {
								got[e].Add(&got[e], &c)
							}
						}
						if e := firstDifference(got, p[i*(2*D-1):(i+1)*(2*D-1)]); e >= 0 {
							t.Fatalf("m = %d, %s, %s: row %d: c + Φ81·q differs from Σ M·z at X^%d", m, name, kind, i, e)
						}
					}
				}
			}
		}
	})
}

func firstDifference(a, b []E) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

func TestCommitQuotientsErrors(t *testing.T) {
	ctx := context.Background()
	const kappa, m = 2, 5
	mat := testMatrices(t, kappa, m)["stored"]
	Z, out, quo := make([]E, D*m), make([]E, kappa*D), make([]E, kappa*(D-1))
	for _, c := range []struct {
		name        string
		mat         *Matrix
		Z, out, quo []E
	}{
		{"nil matrix", nil, Z, out, quo},
		{"short witness", mat, Z[1:], out, quo},
		{"short output", mat, Z, out[1:], quo},
		{"short quotients", mat, Z, out, quo[1:]},
		{"long quotients", mat, Z, out, make([]E, kappa*D)},
	} {
		if err := CommitQuotients(ctx, c.mat, c.Z, c.out, c.quo); !errors.Is(err, ErrShape) {
			t.Errorf("%s: %v, want ErrShape", c.name, err)
		}
	}
	bad := make([]E, D*m)
	bad[D+3][0] = 1<<64 - 1
	if err := CommitQuotients(ctx, mat, bad, out, quo); !errors.Is(err, ErrEntry) {
		t.Errorf("unreduced entry: %v, want ErrEntry", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := CommitQuotients(cancelled, mat, Z, out, quo); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// referenceCombine is CombineColumns from the definition, with gnark's E2
// arithmetic on the source's columns.
func referenceCombine(mat *Matrix, v []K) []K {
	out := make([]K, mat.kappa*D)
	col := make([]E, mat.kappa*D)
	for j := range mat.m {
		mat.src(col, j, j+1)
		for k := range col {
			var x K
			x.MulByElement(&v[j], &col[k])
			out[k].Add(&out[k], &x)
		}
	}
	return out
}

func randomK(r *rand.Rand, n int) []K {
	v := make([]K, n)
	for i := range v {
		v[i].A0.SetUint64(r.Uint64())
		v[i].A1.SetUint64(r.Uint64())
	}
	return v
}

// TestCombineColumns compares CombineColumns with the definition on every
// backend, stored and regenerated, for m around the chunk size and the
// goroutine split.
func TestCombineColumns(t *testing.T) {
	ctx := context.Background()
	gltest.ForEachBackend(t, func(t *testing.T) {
		for _, m := range []int{1, 3, chunkColumns, chunkColumns + 1, 100, 257} {
			for name, mat := range testMatrices(t, 4, m) {
				v := randomK(rand.New(rand.NewPCG(uint64(m), 9)), m)
				got := make([]K, 4*D)
				if err := CombineColumns(ctx, mat, v, got); err != nil {
					t.Fatal(err)
				}
				want := referenceCombine(mat, v)
				for k := range got {
					if got[k] != want[k] {
						t.Fatalf("m = %d, %s: entry %d is %v, want %v", m, name, k, got[k], want[k])
					}
				}
			}
		}
	})
}

func TestCombineColumnsErrors(t *testing.T) {
	ctx := context.Background()
	const kappa, m = 2, 70
	for name, mat := range testMatrices(t, kappa, m) {
		v, out := make([]K, m), make([]K, kappa*D)
		for _, c := range []struct {
			name   string
			mat    *Matrix
			v, out []K
		}{
			{"nil matrix", nil, v, out},
			{"short weights", mat, v[1:], out},
			{"long weights", mat, make([]K, m+1), out},
			{"short output", mat, v, out[1:]},
		} {
			if err := CombineColumns(ctx, c.mat, c.v, c.out); !errors.Is(err, ErrShape) {
				t.Errorf("%s, %s: %v, want ErrShape", name, c.name, err)
			}
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if err := CombineColumns(cancelled, mat, v, out); !errors.Is(err, context.Canceled) {
			t.Errorf("%s, cancelled: %v", name, err)
		}
	}
}

// TestCanonical checks the bulk conversion against SetUint64 word by word,
// on every backend and for lengths around the vector widths, with the
// extreme words 0 and q − 1.
func TestCanonical(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	gltest.ForEachBackend(t, func(t *testing.T) {
		for _, n := range []int{0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 864, 1000} {
			words := make([]uint64, n)
			for i := range words {
				words[i] = []uint64{0, 1, gl64.Q - 1, r.Uint64N(gl64.Q)}[r.IntN(4)]
			}
			src := Canonical(func(dst []uint64, lo, hi int) {
				if lo != 3 || hi != 4 {
					panic(fmt.Sprintf("columns [%d, %d)", lo, hi))
				}
				copy(dst, words)
			})
			got := make([]E, n)
			src(got, 3, 4)
			for i, x := range words {
				var want E
				want.SetUint64(x)
				if got[i] != want {
					t.Fatalf("n = %d: word %d = %#x became %v, want %v", n, i, x, got[i], want)
				}
			}
		}
	})
}

// TestLift compares Lift with SetInt64 on integers across the int32 range,
// its extremes included, for lengths around the vector widths, on every
// backend.
func TestLift(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	gltest.ForEachBackend(t, func(t *testing.T) {
		for _, n := range []int{0, 1, 3, 8, 9, 17, 64, 865} {
			Z := make([]int32, n)
			for i := range Z {
				Z[i] = []int32{0, 1, -1, math.MaxInt32, math.MinInt32, int32(r.Uint32())}[r.IntN(6)]
			}
			got := make([]E, n)
			Lift(got, Z)
			for i, z := range Z {
				var want E
				want.SetInt64(int64(z))
				if got[i] != want {
					t.Fatalf("n = %d: %d became %v, want %v", n, z, got[i], want)
				}
			}
		}
	})
}
