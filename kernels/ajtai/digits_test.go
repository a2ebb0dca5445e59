package ajtai

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ssprove/ssprove/internal/gltest"
)

// digitWitnesses fill int8 witnesses: what folding commits to (bits,
// {−1, 0, 1} dense and sparse, base-3 digits, empty high planes), the int8
// extremes, and columns whose weight Σ|δ| sits on either side of digitLimit.
var digitWitnesses = map[string]func(r *rand.Rand, z []int8){
	"zero": func(*rand.Rand, []int8) {},
	"bits": func(r *rand.Rand, z []int8) {
		for i := range z {
			z[i] = int8(r.IntN(2))
		}
	},
	"ternary": func(r *rand.Rand, z []int8) {
		for i := range z {
			z[i] = int8(r.IntN(3) - 1)
		}
	},
	"sparse-ternary": func(r *rand.Rand, z []int8) {
		for j := 0; j < len(z); j += D {
			for range r.IntN(digitLimit + 1) {
				z[j+r.IntN(D)] = int8(2*r.IntN(2) - 1)
			}
		}
	},
	"small": func(r *rand.Rand, z []int8) {
		for i := range z {
			z[i] = int8(r.IntN(7) - 3)
		}
	},
	"sparse-small": func(r *rand.Rand, z []int8) {
		for j := 0; j < len(z); j += D {
			for range r.IntN(4) {
				z[j+r.IntN(D)] = int8(r.IntN(7) - 3)
			}
		}
	},
	"int8": func(r *rand.Rand, z []int8) {
		for i := range z {
			z[i] = int8(r.Uint32())
		}
	},
	"extremes": func(r *rand.Rand, z []int8) {
		for i := range z {
			z[i] = []int8{0, math.MinInt8, math.MaxInt8, -math.MaxInt8}[r.IntN(4)]
		}
	},
	"one-large": func(r *rand.Rand, z []int8) {
		for j := 0; j < len(z); j += D {
			z[j+r.IntN(D)] = []int8{math.MinInt8, math.MaxInt8, 9, -9, digitLimit, -digitLimit}[r.IntN(6)]
		}
	},
	// Every column weighs digitLimit or digitLimit+1, spread over digits of
	// both signs: the last column on the additions path and the first off it.
	"limit": func(r *rand.Rand, z []int8) {
		for j := 0; j < len(z); j += D {
			at := r.Perm(D)
			for left := digitLimit + r.IntN(2); left > 0; at = at[1:] {
				d := 1 + r.IntN(min(left, 3))
				left -= d
				if r.IntN(2) == 0 {
					d = -d
				}
				z[j+at[0]] = int8(d)
			}
		}
	},
	"mixed": func(r *rand.Rand, z []int8) {
		for j := 0; j < len(z); j += D {
			col := z[j : j+D]
			switch r.IntN(4) {
			case 0:
			case 1:
				col[r.IntN(D)] = math.MinInt8
			case 2:
				for i := range col {
					col[i] = int8(r.IntN(3) - 1)
				}
			case 3:
				col[r.IntN(D)] = int8(r.IntN(3) - 1)
			}
		}
	},
}

func digitKinds() []string {
	kinds := make([]string, 0, len(digitWitnesses))
	for name := range digitWitnesses {
		kinds = append(kinds, name)
	}
	slices.Sort(kinds)
	return kinds
}

// lift is Zs as field elements, δ < 0 as q + δ, independently of the kernel's
// table.
func lift(Zs [][]int8) [][]E {
	out := make([][]E, len(Zs))
	for w, Z := range Zs {
		out[w] = make([]E, len(Z))
		for i, d := range Z {
			out[w][i].SetInt64(int64(d))
		}
	}
	return out
}

func commitDigits(t testing.TB, mat *Matrix, Zs [][]int8) [][]E {
	t.Helper()
	outs := make([][]E, len(Zs))
	for w := range outs {
		outs[w] = make([]E, mat.kappa*D)
	}
	if err := CommitDigitsBatch(context.Background(), mat, Zs, outs); err != nil {
		t.Fatal(err)
	}
	return outs
}

// TestCommitDigitsBatchMatchesCommitBatch checks CommitDigitsBatch against
// CommitBatch of the lifted witnesses for every kind of digit matrix alone
// and mixed, batches of 1, 2, 12 (Π_DEC), 13 and 33 (more than a chunk's
// columns), odd m, stored and regenerated matrices, on every backend.
func TestCommitDigitsBatchMatchesCommitBatch(t *testing.T) {
	ctx := context.Background()
	shapes := []struct{ kappa, m int }{{1, 1}, {3, 7}, {16, 33}, {5, 65}}
	sizes := []int{1, 2, 12, 13, 33}
	if testing.Short() {
		shapes = []struct{ kappa, m int }{{1, 1}, {3, 7}, {4, 33}}
		sizes = []int{1, 2, 12, 13}
	}
	kinds := digitKinds()
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(13, 14))
		for _, s := range shapes {
			src := testSource(s.kappa, uint64(s.m)+200)
			for _, store := range []bool{true, false} {
				mat, err := NewMatrix(ctx, s.kappa, s.m, src, store)
				if err != nil {
					t.Fatal(err)
				}
				for _, n := range sizes {
					for _, mix := range append([]string{"mixed kinds"}, kinds...) {
						Zs := make([][]int8, n)
						for w := range Zs {
							kind := mix
							if mix == "mixed kinds" {
								kind = kinds[r.IntN(len(kinds))]
							}
							Zs[w] = make([]int8, D*s.m)
							digitWitnesses[kind](r, Zs[w])
						}
						want, got := batch(t, mat, lift(Zs)), commitDigits(t, mat, Zs)
						for w := range Zs {
							if !slices.Equal(got[w], want[w]) {
								t.Fatalf("κ=%d m=%d stored=%v batch of %d %s: witness %d differs from CommitBatch", s.kappa, s.m, store, n, mix, w)
							}
						}
					}
				}
			}
		}
	})
}

// TestCommitDigitsBatchReference checks every kind against the definition,
// so that the digits with |δ| > 1, which only CommitDigitsBatch sends down
// the additions path, do not rest on CommitBatch alone.
func TestCommitDigitsBatchReference(t *testing.T) {
	ctx := context.Background()
	const kappa, m = 3, 40
	mat, err := NewMatrix(ctx, kappa, m, testSource(kappa, 17), true)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(15, 16))
	kinds := digitKinds()
	Zs := make([][]int8, len(kinds))
	for w, kind := range kinds {
		Zs[w] = make([]int8, D*m)
		digitWitnesses[kind](r, Zs[w])
	}
	matchReference(t, mat, commitDigits(t, mat, Zs), lift(Zs), kinds)
}

func TestCommitDigitsBatchErrors(t *testing.T) {
	ctx := context.Background()
	const kappa, m = 2, 3
	mat, err := NewMatrix(ctx, kappa, m, testSource(kappa, 1), true)
	if err != nil {
		t.Fatal(err)
	}
	zs := func(n int) [][]int8 { return matrices[int8](n, D*m) }
	outs := func(n int) [][]E { return matrices[E](n, D*kappa) }
	short, long := zs(3), zs(2)
	short[1] = short[1][:D*m-1]
	long[0] = append(long[0], 0)
	shortOut := outs(3)
	shortOut[2] = shortOut[2][:D]
	for _, c := range []struct {
		name      string
		mat       *Matrix
		Zs        [][]int8
		outs      [][]E
		mentioned string
	}{
		{"nil matrix", nil, zs(1), outs(1), "nil matrix"},
		{"empty batch", mat, nil, nil, "empty batch"},
		{"fewer outputs", mat, zs(3), outs(2), "2 outputs for 3 witnesses"},
		{"more outputs", mat, zs(1), outs(2), "2 outputs for 1 witnesses"},
		{"short witness", mat, short, outs(3), "witness 1 has"},
		{"long witness", mat, long, outs(2), "witness 0 has"},
		{"short output", mat, zs(3), shortOut, "output 2 has"},
	} {
		if err := CommitDigitsBatch(ctx, c.mat, c.Zs, c.outs); !errors.Is(err, ErrShape) || !strings.Contains(fmt.Sprint(err), c.mentioned) {
			t.Errorf("%s: %v, want %v naming %q", c.name, err, ErrShape, c.mentioned)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	Zs := zs(2)
	Zs[1][0] = 1
	if err := CommitDigitsBatch(cancelled, mat, Zs, outs(2)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

// TestCommitDigitsBatchConcurrent runs digit and field batches of different
// sizes on one matrix at once: they share its pool of workers.
func TestCommitDigitsBatchConcurrent(t *testing.T) {
	ctx := context.Background()
	const kappa, m = 4, 100
	for _, store := range []bool{true, false} {
		mat, err := NewMatrix(ctx, kappa, m, testSource(kappa, 5), store)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(17, 18))
		type job struct {
			Zs   [][]int8
			want [][]E
		}
		jobs := make([]job, 8)
		for i := range jobs {
			Zs := make([][]int8, 1+i*3)
			for w := range Zs {
				Zs[w] = make([]int8, D*m)
				digitWitnesses["mixed"](r, Zs[w])
			}
			jobs[i] = job{Zs, separate(t, mat, lift(Zs))}
		}
		var wg sync.WaitGroup
		for i, j := range jobs {
			wg.Go(func() {
				for range 3 {
					outs := make([][]E, len(j.Zs))
					for w := range outs {
						outs[w] = make([]E, kappa*D)
					}
					var err error
					if i%2 == 0 {
						err = CommitDigitsBatch(ctx, mat, j.Zs, outs)
					} else {
						err = CommitBatch(ctx, mat, lift(j.Zs), outs)
					}
					if err != nil {
						t.Error(err)
						return
					}
					for w := range outs {
						if !slices.Equal(outs[w], j.want[w]) {
							t.Errorf("stored=%v batch of %d: witness %d differs", store, len(j.Zs), w)
							return
						}
					}
				}
			})
		}
		wg.Wait()
	}
}

func FuzzCommitDigits(f *testing.F) {
	f.Add([]byte{1, 0xff, 3, 0x80, 0, 0x7f, 0x41, 0xc2}, uint8(2), uint8(3), uint8(12))
	f.Add([]byte{}, uint8(0), uint8(0), uint8(0))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte, kappa, m, n uint8) {
		k, cols, size := int(kappa%4)+1, int(m%40)+1, int(n%16)+1
		mat, err := NewMatrix(ctx, k, cols, testSource(k, 9), cols%2 == 0)
		if err != nil {
			t.Fatal(err)
		}
		// The input, repeated, as digits: the top two bits of a byte choose
		// zero, ±1, a small digit or the next byte as any int8, so that skipped columns, both
		// paths and the edges of the weight limit all occur.
		Zs := make([][]int8, size)
		p := 0
		for w := range Zs {
			Zs[w] = make([]int8, D*cols)
			for i := range Zs[w] {
				if len(data) == 0 {
					break
				}
				x := data[p%len(data)]
				p++
				switch x >> 6 {
				case 1:
					Zs[w][i] = int8(x&1)*2 - 1
				case 2:
					Zs[w][i] = int8(x&7) - 3
				case 3:
					Zs[w][i] = int8(data[p%len(data)])
					p++
				}
			}
		}
		want, got := batch(t, mat, lift(Zs)), commitDigits(t, mat, Zs)
		for w := range Zs {
			if !slices.Equal(got[w], want[w]) {
				t.Fatalf("witness %d differs from CommitBatch", w)
			}
		}
	})
}
