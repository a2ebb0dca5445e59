package gl64

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// TestCommitKernels checks every backend against gnark-crypto's arithmetic on
// shapes that hit the lane multiples the assembly takes and the odd ones it
// hands to the portable loops.
func TestCommitKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	shapes := []struct{ n, rows, stride int }{
		{1, 1, 1}, {3, 5, 7}, {4, 3, 9}, {8, 1, 8}, {8, 16, 20}, {16, 2, 16}, {56, 16, 112}, {128, 16, 128}, {24, 7, 31}, {40, 3, 41},
	}
	for b, c := range kernelsOf(t, CommitKernels) {
		for _, s := range shapes {
			acc, a, x := randVec(r, s.n*s.rows), randVec(r, s.n*s.rows), randVec(r, s.n)
			want := slices.Clone(acc)
			for row := range s.rows {
				for t := range s.n {
					var p goldilocks.Element
					p.Mul(&a[row*s.n+t], &x[t])
					want[row*s.n+t].Add(&want[row*s.n+t], &p)
				}
			}
			got := slices.Clone(acc)
			c.MulAcc(got, a, x)
			if !slices.Equal(got, want) {
				t.Fatalf("%s MulAcc n=%d rows=%d differs", b, s.n, s.rows)
			}

			wide := randVec(r, s.stride*s.rows)
			add, sub := slices.Clone(wide), slices.Clone(wide)
			wantAdd, wantSub := slices.Clone(wide), slices.Clone(wide)
			for row := range s.rows {
				for u := range s.n {
					i := row*s.stride + u
					wantAdd[i].Add(&wantAdd[i], &a[row*s.n+u])
					wantSub[i].Sub(&wantSub[i], &a[row*s.n+u])
				}
			}
			c.AddRows(add, a, s.stride, s.n)
			c.SubRows(sub, a, s.stride, s.n)
			if !slices.Equal(add, wantAdd) || !slices.Equal(sub, wantSub) {
				t.Fatalf("%s AddRows/SubRows width=%d rows=%d stride=%d differ", b, s.n, s.rows, s.stride)
			}
		}
	}
}

// TestCommitKernelsExtremes runs the largest words through every lane.
func TestCommitKernelsExtremes(t *testing.T) {
	for b, c := range kernelsOf(t, CommitKernels) {
		for _, w := range []uint64{Q - 1, 1 << 63, 1<<32 - 1, 0} {
			const n, rows = 128, 3
			acc, a, x := make([]E, n*rows), make([]E, n*rows), make([]E, n)
			for i := range acc {
				acc[i][0], a[i][0] = Q-1, w
			}
			for i := range x {
				x[i][0] = Q - 1
			}
			want := slices.Clone(acc)
			GenericCommit.MulAcc(want, a, x)
			c.MulAcc(acc, a, x)
			if !slices.Equal(acc, want) {
				t.Errorf("%s MulAcc w=%#x differs", b, w)
			}
			add, wantAdd := slices.Clone(a), slices.Clone(a)
			c.AddRows(add, acc, n, n)
			GenericCommit.AddRows(wantAdd, acc, n, n)
			if !slices.Equal(add, wantAdd) {
				t.Errorf("%s AddRows w=%#x differs", b, w)
			}
		}
	}
}
