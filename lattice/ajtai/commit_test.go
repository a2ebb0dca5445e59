package ajtai

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

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

func equalCommitments(a, b Commitment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCommitBatch checks CommitBatch against Commit per witness, on keys
// of every storage mode, and that Π_DEC's use of it
// holds: the commitments to the digit matrices of Z recompose to Z's.
func TestCommitBatch(t *testing.T) {
	const m = 41
	kinds := []string{"full", "bits", "digits", "bounded", "zero"}
	for _, pp := range keys(t, m) {
		r := rand.New(rand.NewPCG(11, 12))
		for _, n := range []int{1, 2, 3, 12, 13} {
			Zs := make([][]goldilocks.Element, n)
			for w := range Zs {
				Zs[w] = randomWitness(r, kinds[r.IntN(len(kinds))], ring.D*m)
			}
			cs, err := pp.CommitBatch(ctx, Zs)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != n {
				t.Fatalf("%d commitments for %d witnesses", len(cs), n)
			}
			for w, Z := range Zs {
				want, err := pp.Commit(ctx, Z)
				if err != nil {
					t.Fatal(err)
				}
				if !equalCommitments(cs[w], want) {
					t.Fatalf("%s batch of %d: witness %d differs from Commit", pp.mat.Storage(), n, w)
				}
			}
		}

		Z := randomWitness(r, "bounded", ring.D*m)
		p := pp.Params()
		parts, err := decomp.Split(Z, p.Base, p.K)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := pp.CommitBatch(ctx, parts)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := Recompose(cs, p.Base)
		if err != nil {
			t.Fatal(err)
		}
		c, err := pp.Commit(ctx, Z)
		if err != nil {
			t.Fatal(err)
		}
		if !equalCommitments(rec, c) {
			t.Fatalf("%s: the digit commitments do not recompose to Z's", pp.mat.Storage())
		}
	}
}

func TestCommitBatchErrors(t *testing.T) {
	const m = 5
	pp := setup(t, m)
	good := func() []goldilocks.Element { return make([]goldilocks.Element, ring.D*m) }
	unreduced := good()
	unreduced[7][0] = q
	for _, c := range []struct {
		name      string
		Zs        [][]goldilocks.Element
		want      error
		mentioned string
	}{
		{"no witnesses", nil, ErrShape, "no witnesses"},
		{"short witness", [][]goldilocks.Element{good(), good()[:ring.D*m-1]}, ErrShape, "witness 1 has"},
		{"long witness", [][]goldilocks.Element{append(good(), goldilocks.Element{}), good()}, ErrShape, "witness 0 has"},
		{"unreduced entry", [][]goldilocks.Element{good(), unreduced}, ErrEntry, "witness 1"},
	} {
		if cs, err := pp.CommitBatch(ctx, c.Zs); cs != nil || !errors.Is(err, c.want) || !strings.Contains(fmt.Sprint(err), c.mentioned) {
			t.Errorf("%s: %v, %v; want %v naming %q", c.name, cs, err, c.want, c.mentioned)
		}
	}
}

// BenchmarkCommitBatch is Π_DEC's commitment step: 12 witnesses of 2^16
// entries each, m = 2^16/54 columns, digits in {−1, 0, 1} (what Π_DEC
// produces) or full field elements, one CommitBatch against 12 Commits, with M
// kept in memory and with M regenerated from the seed (AES-256-CTR) in every
// commitment. The metric is witness entries committed per second.
func BenchmarkCommitBatch(b *testing.B) {
	const n, batch = 1 << 16, 12
	m := (n + ring.D - 1) / ring.D
	for _, opts := range storageOptions {
		pp := setup(b, m, opts...)
		matrix := pp.mat.Storage().String()
		for _, kind := range []string{"digits", "full"} {
			r := rand.New(rand.NewPCG(1, 1))
			Zs := make([][]goldilocks.Element, batch)
			for w := range Zs {
				Zs[w] = randomWitness(r, kind, ring.D*m)
			}
			run := func(name string, commit func() error) {
				gltest.EachBackend(b, func(be accel.Backend) {
					b.Run(fmt.Sprintf("%s/%s/%s/%s", be, matrix, kind, name), func(b *testing.B) {
						for b.Loop() {
							if err := commit(); err != nil {
								b.Fatal(err)
							}
						}
						b.ReportMetric(float64(batch*n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
					})
				})
			}
			run("batch", func() error {
				_, err := pp.CommitBatch(ctx, Zs)
				return err
			})
			run("separate", func() error {
				for _, Z := range Zs {
					if _, err := pp.Commit(ctx, Z); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
}

// randomDigits is a digit matrix of kind bits, ternary ({−1, 0, 1}), small
// (±3), int8 (any byte, −128 included) or zero-columns (ternary with every
// other column zero).
func randomDigits(r *rand.Rand, kind string, n int) []int8 {
	Z := make([]int8, n)
	for i := range Z {
		switch kind {
		case "bits":
			Z[i] = int8(r.IntN(2))
		case "ternary":
			Z[i] = int8(r.IntN(3) - 1)
		case "small":
			Z[i] = int8(r.IntN(7) - 3)
		case "int8":
			Z[i] = int8(r.Uint32())
		case "zero-columns":
			if i/ring.D%2 == 1 {
				Z[i] = int8(r.IntN(3) - 1)
			}
		}
	}
	return Z
}

// lifted is Z as field elements.
func lifted[T int8 | int32](Z []T) []goldilocks.Element {
	out := make([]goldilocks.Element, len(Z))
	for i, d := range Z {
		out[i].SetInt64(int64(d))
	}
	return out
}

// TestCommitDigits checks CommitDigits against CommitBatch of the lifted
// matrices, on keys of every storage mode, and
// Π_DEC's use of it: the commitments to the int8 digit planes of Z
// recompose to Z's.
func TestCommitDigits(t *testing.T) {
	const m = 41
	kinds := []string{"bits", "ternary", "small", "int8", "zero-columns"}
	for _, pp := range keys(t, m) {
		r := rand.New(rand.NewPCG(13, 14))
		for _, n := range []int{1, 2, 12, 13} {
			Zs := make([][]int8, n)
			lift := make([][]goldilocks.Element, n)
			for w := range Zs {
				Zs[w] = randomDigits(r, kinds[r.IntN(len(kinds))], ring.D*m)
				lift[w] = lifted(Zs[w])
			}
			got, err := pp.CommitDigits(ctx, Zs)
			if err != nil {
				t.Fatal(err)
			}
			want, err := pp.CommitBatch(ctx, lift)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("%d commitments for %d witnesses", len(got), n)
			}
			for w := range Zs {
				if !equalCommitments(got[w], want[w]) {
					t.Fatalf("%s batch of %d: witness %d differs from CommitBatch", pp.mat.Storage(), n, w)
				}
			}
		}

		Z := randomWitness(r, "bounded", ring.D*m)
		p := pp.Params()
		parts, err := decomp.Split(Z, p.Base, p.K)
		if err != nil {
			t.Fatal(err)
		}
		planes := make([][]int8, len(parts))
		for i, part := range parts {
			planes[i] = make([]int8, len(part))
			for j := range part {
				planes[i][j] = int8(ring.Signed(part[j]))
			}
		}
		cs, err := pp.CommitDigits(ctx, planes)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := Recompose(cs, p.Base)
		if err != nil {
			t.Fatal(err)
		}
		c, err := pp.Commit(ctx, Z)
		if err != nil {
			t.Fatal(err)
		}
		if !equalCommitments(rec, c) {
			t.Fatalf("%s: the digit-plane commitments do not recompose to Z's", pp.mat.Storage())
		}
		for i, plane := range planes {
			if err := pp.VerifyDigits(ctx, cs[i], plane, int(p.Base)); err != nil {
				t.Fatalf("%s: plane %d does not open its commitment: %v", pp.mat.Storage(), i, err)
			}
		}
	}
}

func TestCommitDigitsErrors(t *testing.T) {
	const m = 5
	pp := setup(t, m)
	good := func() []int8 { return make([]int8, ring.D*m) }
	for _, c := range []struct {
		name      string
		Zs        [][]int8
		mentioned string
	}{
		{"no witnesses", nil, "no witnesses"},
		{"empty batch", [][]int8{}, "no witnesses"},
		{"short witness", [][]int8{good(), good()[:ring.D*m-1]}, "witness 1 has"},
		{"long witness", [][]int8{append(good(), 0), good()}, "witness 0 has"},
		{"empty witness", [][]int8{good(), good(), nil}, "witness 2 has"},
	} {
		if cs, err := pp.CommitDigits(ctx, c.Zs); cs != nil || !errors.Is(err, ErrShape) || !strings.Contains(fmt.Sprint(err), c.mentioned) {
			t.Errorf("%s: %v, %v; want %v naming %q", c.name, cs, err, ErrShape, c.mentioned)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	Z := good()
	Z[0] = 1
	if cs, err := pp.CommitDigits(cancelled, [][]int8{Z}); cs != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v, %v", cs, err)
	}
}

func TestVerifyDigits(t *testing.T) {
	const m = 50
	pp := setup(t, m)
	r := rand.New(rand.NewPCG(15, 16))
	Z := randomDigits(r, "small", ring.D*m)
	cs, err := pp.CommitDigits(ctx, [][]int8{Z})
	if err != nil {
		t.Fatal(err)
	}
	c := cs[0]
	for _, bound := range []int{4, 5, 128, 4096} {
		if err := pp.VerifyDigits(ctx, c, Z, bound); err != nil {
			t.Errorf("honest opening with ‖Z‖∞ = 3 < %d rejected: %v", bound, err)
		}
	}
	if err := pp.VerifyDigits(ctx, c, Z, 3); !errors.Is(err, ErrNorm) {
		t.Errorf("‖Z‖∞ = 3 against bound 3: %v", err)
	}

	wrongZ := slices.Clone(Z)
	if wrongZ[7*ring.D+3] == 0 {
		wrongZ[7*ring.D+3] = 1
	} else {
		wrongZ[7*ring.D+3] = 0
	}
	if err := pp.VerifyDigits(ctx, c, wrongZ, 4); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong witness: %v", err)
	}
	wrongC := slices.Clone(c)
	wrongC[15][53].Add(&wrongC[15][53], new(goldilocks.Element).SetOne())
	if err := pp.VerifyDigits(ctx, wrongC, Z, 4); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong commitment: %v", err)
	}
	// A witness opening c as field elements opens it as digits too.
	if err := pp.Verify(ctx, c, lifted(Z)); err != nil {
		t.Errorf("Verify of the lifted witness: %v", err)
	}

	// An over-norm witness is refused even with its own commitment, at
	// either end of the int8 range; the entries just inside are accepted.
	for _, c := range []struct {
		v       int8
		bound   int
		wantErr error
	}{
		{math.MinInt8, 128, ErrNorm},
		{math.MinInt8, 129, nil},
		{math.MaxInt8, 127, ErrNorm},
		{math.MaxInt8, 128, nil},
		{-2, 2, ErrNorm},
		{1, 2, nil},
	} {
		big := make([]int8, ring.D*m)
		big[m*ring.D-1] = c.v
		cb, err := pp.CommitDigits(ctx, [][]int8{big})
		if err != nil {
			t.Fatal(err)
		}
		if err := pp.VerifyDigits(ctx, cb[0], big, c.bound); !errors.Is(err, c.wantErr) {
			t.Errorf("entry %d, bound %d: %v, want %v", c.v, c.bound, err, c.wantErr)
		}
	}
	zero := make([]int8, ring.D*m)
	cz, err := pp.CommitDigits(ctx, [][]int8{zero})
	if err != nil {
		t.Fatal(err)
	}
	for _, bound := range []int{0, -1} {
		if err := pp.VerifyDigits(ctx, cz[0], zero, bound); !errors.Is(err, ErrNorm) {
			t.Errorf("bound %d: %v", bound, err)
		}
	}

	if err := pp.VerifyDigits(ctx, c[:15], Z, 4); !errors.Is(err, ErrShape) {
		t.Errorf("short commitment: %v", err)
	}
	if err := pp.VerifyDigits(ctx, append(slices.Clone(c), ring.Elem{}), Z, 4); !errors.Is(err, ErrShape) {
		t.Errorf("long commitment: %v", err)
	}
	if err := pp.VerifyDigits(ctx, c, Z[1:], 4); !errors.Is(err, ErrShape) {
		t.Errorf("short witness: %v", err)
	}
	if err := pp.VerifyDigits(ctx, c, nil, 4); !errors.Is(err, ErrShape) {
		t.Errorf("nil witness: %v", err)
	}
}

// BenchmarkCommitDigits is Π_DEC's commitment step as folding runs it: 12
// digit matrices of 2^16 entries in {−1, 0, 1}, m = 2^16/54 columns,
// committed from int8 (CommitDigits) and from the same values as field
// elements (CommitBatch), with M kept in memory and regenerated from the
// seed. The metric is witness entries committed per second.
func BenchmarkCommitDigits(b *testing.B) {
	const n, batch = 1 << 16, 12
	m := (n + ring.D - 1) / ring.D
	for _, opts := range storageOptions {
		pp := setup(b, m, opts...)
		matrix := pp.mat.Storage().String()
		r := rand.New(rand.NewPCG(1, 1))
		digits := make([][]int8, batch)
		field := make([][]goldilocks.Element, batch)
		for w := range digits {
			digits[w] = randomDigits(r, "ternary", ring.D*m)
			field[w] = lifted(digits[w])
		}
		run := func(name string, commit func() error) {
			gltest.EachBackend(b, func(be accel.Backend) {
				b.Run(fmt.Sprintf("%s/%s/%s", be, matrix, name), func(b *testing.B) {
					for b.Loop() {
						if err := commit(); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(batch*n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
				})
			})
		}
		run("int8", func() error {
			_, err := pp.CommitDigits(ctx, digits)
			return err
		})
		run("field", func() error {
			_, err := pp.CommitBatch(ctx, field)
			return err
		})
	}
}
