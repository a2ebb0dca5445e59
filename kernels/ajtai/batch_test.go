package ajtai

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/gltest"
)

// witnessKinds lists the keys of witnesses in a fixed order, so that seeded
// tests draw the same batches every run.
func witnessKinds() []string {
	kinds := make([]string, 0, len(witnesses))
	for name := range witnesses {
		kinds = append(kinds, name)
	}
	slices.Sort(kinds)
	return kinds
}

// separate commits to each witness with its own Commit.
func separate(t testing.TB, mat *Matrix, Zs [][]E) [][]E {
	t.Helper()
	outs := make([][]E, len(Zs))
	for w, Z := range Zs {
		outs[w] = make([]E, mat.kappa*D)
		if err := Commit(context.Background(), mat, Z, outs[w]); err != nil {
			t.Fatal(err)
		}
	}
	return outs
}

func batch(t testing.TB, mat *Matrix, Zs [][]E) [][]E {
	t.Helper()
	outs := make([][]E, len(Zs))
	for w := range outs {
		outs[w] = make([]E, mat.kappa*D)
	}
	if err := CommitBatch(context.Background(), mat, Zs, outs); err != nil {
		t.Fatal(err)
	}
	return outs
}

// TestCommitBatchMatchesCommit checks CommitBatch against one Commit per
// witness, for batches of a single kind of witness and of mixed kinds, on
// stored and regenerated matrices. The sizes cover one witness, batches
// smaller than a group of 8 transforms, Π_DEC's 12, one past it, and more
// witnesses than a chunk has columns (so one column fills the transforms);
// with dense witnesses, 13 per column also splits the chunk's transforms
// unevenly.
func TestCommitBatchMatchesCommit(t *testing.T) {
	ctx := context.Background()
	shapes := []struct{ kappa, m int }{{1, 1}, {3, 7}, {16, 33}, {5, 65}}
	sizes := []int{1, 2, 3, 12, 13, 33}
	if testing.Short() {
		shapes = []struct{ kappa, m int }{{1, 1}, {3, 7}, {4, 33}}
		sizes = []int{1, 3, 12, 13, 33}
	}
	kinds := witnessKinds()
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, s := range shapes {
			src := testSource(s.kappa, uint64(s.m)+100)
			for _, store := range []bool{true, false} {
				mat, err := NewMatrix(ctx, s.kappa, s.m, src, store)
				if err != nil {
					t.Fatal(err)
				}
				for _, n := range sizes {
					for _, mix := range append([]string{"mixed kinds"}, kinds...) {
						Zs := make([][]E, n)
						for w := range Zs {
							kind := mix
							if mix == "mixed kinds" {
								kind = kinds[r.IntN(len(kinds))]
							}
							Zs[w] = make([]E, D*s.m)
							witnesses[kind](r, Zs[w])
						}
						want, got := separate(t, mat, Zs), batch(t, mat, Zs)
						for w := range Zs {
							if !slices.Equal(got[w], want[w]) {
								t.Fatalf("κ=%d m=%d stored=%v batch of %d %s: witness %d differs from Commit", s.kappa, s.m, store, n, mix, w)
							}
						}
					}
				}
			}
		}
	})
}

// TestCommitBatchReference checks one mixed batch against the definition
// directly, so that CommitBatch does not rest on Commit alone.
func TestCommitBatchReference(t *testing.T) {
	ctx := context.Background()
	const kappa, m = 3, 40
	mat, err := NewMatrix(ctx, kappa, m, testSource(kappa, 11), false)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 8))
	kinds := witnessKinds()
	Zs := make([][]E, len(kinds))
	for w, kind := range kinds {
		Zs[w] = make([]E, D*m)
		witnesses[kind](r, Zs[w])
	}
	matchReference(t, mat, batch(t, mat, Zs), Zs, kinds)
}

// matrices returns n zero vectors of l entries each.
func matrices[T any](n, l int) [][]T {
	s := make([][]T, n)
	for i := range s {
		s[i] = make([]T, l)
	}
	return s
}

// matchReference checks each commitment in got against Reference of its
// witness, naming the witness's kind when one differs.
func matchReference(t *testing.T, mat *Matrix, got, Zs [][]E, kinds []string) {
	t.Helper()
	for w, Z := range Zs {
		want, err := Reference(context.Background(), mat, Z)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got[w], want) {
			t.Fatalf("witness %d (%s) differs from the reference", w, kinds[w])
		}
	}
}

func TestCommitBatchErrors(t *testing.T) {
	ctx := context.Background()
	const kappa, m = 2, 3
	mat, err := NewMatrix(ctx, kappa, m, testSource(kappa, 1), true)
	if err != nil {
		t.Fatal(err)
	}
	zs := func(n int) [][]E { return matrices[E](n, D*m) }
	outs := func(n int) [][]E { return matrices[E](n, D*kappa) }
	unreduced := zs(3)
	unreduced[2][D+5][0] = goldilocks.Modulus().Uint64()
	short := zs(3)
	short[1] = short[1][:D*m-1]
	shortOut := outs(3)
	shortOut[2] = shortOut[2][:D]
	for _, c := range []struct {
		name      string
		mat       *Matrix
		Zs, outs  [][]E
		want      error
		mentioned string
	}{
		{"nil matrix", nil, zs(1), outs(1), ErrShape, "nil matrix"},
		{"empty batch", mat, nil, nil, ErrShape, "empty batch"},
		{"fewer outputs", mat, zs(3), outs(2), ErrShape, "2 outputs for 3 witnesses"},
		{"short witness", mat, short, outs(3), ErrShape, "witness 1 has"},
		{"short output", mat, zs(3), shortOut, ErrShape, "output 2 has"},
		{"unreduced entry", mat, unreduced, outs(3), ErrEntry, "witness 2: "},
	} {
		if err := CommitBatch(ctx, c.mat, c.Zs, c.outs); !errors.Is(err, c.want) || !strings.Contains(fmt.Sprint(err), c.mentioned) {
			t.Errorf("%s: %v, want %v naming %q", c.name, err, c.want, c.mentioned)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := CommitBatch(cancelled, mat, zs(2), outs(2)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

// TestCommitBatchConcurrent runs batches of different sizes on one matrix at
// once: they share its pool of workers, whose buffers each resizes.
func TestCommitBatchConcurrent(t *testing.T) {
	ctx := context.Background()
	const kappa, m = 4, 100
	for _, store := range []bool{true, false} {
		mat, err := NewMatrix(ctx, kappa, m, testSource(kappa, 3), store)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(9, 10))
		type job struct{ Zs, want [][]E }
		jobs := make([]job, 8)
		for i := range jobs {
			Zs := make([][]E, 1+i*3)
			for w := range Zs {
				Zs[w] = make([]E, D*m)
				witnesses["mixed"](r, Zs[w])
			}
			jobs[i] = job{Zs, separate(t, mat, Zs)}
		}
		var wg sync.WaitGroup
		for _, j := range jobs {
			wg.Go(func() {
				for range 3 {
					outs := make([][]E, len(j.Zs))
					for w := range outs {
						outs[w] = make([]E, kappa*D)
					}
					if err := CommitBatch(ctx, mat, j.Zs, outs); err != nil {
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

func FuzzCommitBatch(f *testing.F) {
	f.Add([]byte{1, 2, 3, 0, 0, 0, 0, 0}, uint8(2), uint8(3), uint8(12))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte, kappa, m, n uint8) {
		k, cols, size := int(kappa%4)+1, int(m%40)+1, int(n%16)+1
		mat, err := NewMatrix(ctx, k, cols, testSource(k, 9), cols%2 == 0)
		if err != nil {
			t.Fatal(err)
		}
		Zs := make([][]E, size)
		words := gltest.WordsOf(data, size*D*cols)
		for w := range Zs {
			Zs[w] = make([]E, D*cols)
			for i := range Zs[w] {
				// Mostly zeros, ones and minus ones, so that both paths and
				// skipped columns all occur; the rest any field element.
				switch x := words[w*D*cols+i]; x % 8 {
				case 0, 1, 2, 3:
				case 4:
					Zs[w][i] = one
				case 5:
					Zs[w][i] = minusOne
				default:
					Zs[w][i].SetUint64(x)
				}
			}
		}
		want, got := separate(t, mat, Zs), batch(t, mat, Zs)
		for w := range Zs {
			if !slices.Equal(got[w], want[w]) {
				t.Fatalf("witness %d differs from Commit", w)
			}
		}
	})
}
