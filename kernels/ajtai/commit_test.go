package ajtai

import (
	"context"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/gltest"
)

// testSource is a pseudorandom matrix: entry (i, j, t) depends only on its
// position, as the Source contract asks.
func testSource(kappa int, seed uint64) Source {
	return func(dst []E, lo, hi int) {
		for j := lo; j < hi; j++ {
			for i := range kappa {
				r := rand.New(rand.NewPCG(seed, uint64(j)<<16|uint64(i)))
				for t := range D {
					dst[((j-lo)*kappa+i)*D+t].SetUint64(r.Uint64())
				}
			}
		}
	}
}

type witness func(r *rand.Rand, z []E)

var witnesses = map[string]witness{
	"zero": func(*rand.Rand, []E) {},
	"bits": func(r *rand.Rand, z []E) {
		for i := range z {
			z[i].SetUint64(r.Uint64N(2))
		}
	},
	"sparse-digits": func(r *rand.Rand, z []E) {
		for j := 0; j < len(z); j += D {
			for range r.IntN(digitLimit + 1) {
				z[j+r.IntN(D)] = []E{one, minusOne}[r.IntN(2)]
			}
		}
	},
	"one-bit-per-column": func(r *rand.Rand, z []E) {
		for j := 0; j < len(z); j += D {
			z[j].SetUint64(r.Uint64N(2))
		}
	},
	"digits": func(r *rand.Rand, z []E) {
		for i := range z {
			z[i] = []E{{}, one, minusOne}[r.IntN(3)]
		}
	},
	"full": func(r *rand.Rand, z []E) {
		for i := range z {
			z[i].SetUint64(r.Uint64())
		}
	},
	"edges": func(r *rand.Rand, z []E) {
		for i := range z {
			z[i].SetUint64([]uint64{0, 1, goldilocks.Modulus().Uint64() - 1, 1 << 63, 1<<32 - 1}[r.IntN(5)])
		}
	},
	"mixed": func(r *rand.Rand, z []E) {
		for j := 0; j < len(z); j += D {
			col := z[j : j+D]
			switch r.IntN(4) {
			case 0:
				col[r.IntN(D)] = minusOne
			case 1:
				for i := range col {
					col[i].SetUint64(r.Uint64())
				}
			case 2:
				for i := range col {
					col[i].SetUint64(r.Uint64N(2))
				}
			}
		}
	},
}

func TestCommitMatchesReference(t *testing.T) {
	ctx := context.Background()
	shapes := []struct{ kappa, m int }{{1, 1}, {3, 2}, {16, 1}, {16, 31}, {2, 33}, {16, 70}, {5, 129}}
	if testing.Short() {
		// Under emulation (the arm64 run) the reference is slow; these still
		// cover a partial group, a whole chunk and more than one chunk.
		shapes = []struct{ kappa, m int }{{1, 1}, {3, 2}, {16, 9}, {2, 33}}
	}
	gltest.ForEachBackend(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, s := range shapes {
			src := testSource(s.kappa, uint64(s.m))
			stored, err := NewMatrix(ctx, s.kappa, s.m, src, true)
			if err != nil {
				t.Fatal(err)
			}
			streamed, err := NewMatrix(ctx, s.kappa, s.m, src, false)
			if err != nil {
				t.Fatal(err)
			}
			for name, fill := range witnesses {
				Z := make([]E, D*s.m)
				fill(r, Z)
				want, err := Reference(ctx, stored, Z)
				if err != nil {
					t.Fatal(err)
				}
				for _, mat := range []*Matrix{stored, streamed} {
					got := make([]E, s.kappa*D)
					if err := Commit(ctx, mat, Z, got); err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(got, want) {
						t.Fatalf("κ=%d m=%d %s stored=%v: Commit differs from the reference", s.kappa, s.m, name, mat.Stored())
					}
				}
			}
		}
	})
}

// TestCommitLinear checks Commit(Z1) + Commit(Z2) = Commit(Z1 + Z2) on a
// matrix too large for the reference, where sums of sparse digit columns
// become dense ones, so the two paths meet in one identity.
func TestCommitLinear(t *testing.T) {
	ctx := context.Background()
	const kappa, m = 16, 1000
	mat, err := NewMatrix(ctx, kappa, m, testSource(kappa, 7), true)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	z1, z2, sum := make([]E, D*m), make([]E, D*m), make([]E, D*m)
	witnesses["sparse-digits"](r, z1)
	witnesses["mixed"](r, z2)
	for i := range sum {
		sum[i].Add(&z1[i], &z2[i])
	}
	c1, c2, cs := make([]E, kappa*D), make([]E, kappa*D), make([]E, kappa*D)
	for _, c := range []struct {
		z, out []E
	}{{z1, c1}, {z2, c2}, {sum, cs}} {
		if err := Commit(ctx, mat, c.z, c.out); err != nil {
			t.Fatal(err)
		}
	}
	for i := range c1 {
		c1[i].Add(&c1[i], &c2[i])
	}
	if !slices.Equal(c1, cs) {
		t.Fatal("Commit is not additive")
	}
}

func TestCommitErrors(t *testing.T) {
	ctx := context.Background()
	mat, err := NewMatrix(ctx, 2, 3, testSource(2, 1), true)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]E, 2*D)
	if err := Commit(ctx, mat, make([]E, D*3-1), out); !errors.Is(err, ErrShape) {
		t.Errorf("short witness: %v", err)
	}
	if err := Commit(ctx, mat, make([]E, D*3), out[:D]); !errors.Is(err, ErrShape) {
		t.Errorf("short output: %v", err)
	}
	if err := Commit(ctx, nil, nil, out); !errors.Is(err, ErrShape) {
		t.Errorf("nil matrix: %v", err)
	}
	Z := make([]E, D*3)
	Z[D+5][0] = goldilocks.Modulus().Uint64()
	if err := Commit(ctx, mat, Z, out); !errors.Is(err, ErrEntry) {
		t.Errorf("unreduced entry: %v", err)
	}
	for _, s := range []struct{ kappa, m int }{{0, 1}, {1, 0}, {-1, 5}, {1 << 30, 1 << 20}} {
		if _, err := NewMatrix(ctx, s.kappa, s.m, testSource(1, 1), false); !errors.Is(err, ErrShape) {
			t.Errorf("NewMatrix(%d, %d): %v", s.kappa, s.m, err)
		}
	}
	if _, err := NewMatrix(ctx, 1, 1, nil, false); err == nil {
		t.Error("nil source accepted")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := Commit(cancelled, mat, make([]E, D*3), out); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	if _, err := NewMatrix(cancelled, 2, 100, testSource(2, 1), true); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled setup: %v", err)
	}
}

func FuzzCommit(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0}, uint8(2), uint8(3))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte, kappa, m uint8) {
		k, n := int(kappa%4)+1, int(m%40)+1
		mat, err := NewMatrix(ctx, k, n, testSource(k, 9), n%2 == 0)
		if err != nil {
			t.Fatal(err)
		}
		Z := make([]E, D*n)
		for i := range Z {
			if len(data) > 0 {
				// Small words (many zeros, ones and minus ones) exercise both paths.
				w := data[i%len(data)]
				switch w % 4 {
				case 0:
				case 1:
					Z[i] = one
				case 2:
					Z[i] = minusOne
				default:
					Z[i].SetUint64(binary.LittleEndian.Uint64(append(data[i%len(data):], make([]byte, 8)...)))
				}
			}
		}
		want, err := Reference(ctx, mat, Z)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]E, k*D)
		if err := Commit(ctx, mat, Z, got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatal("Commit differs from the reference")
		}
	})
}
