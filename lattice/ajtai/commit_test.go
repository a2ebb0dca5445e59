package ajtai

import (
	"errors"
	"fmt"
	"math/rand/v2"
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

// TestCommitBatch checks CommitBatch against Commit per witness, on a stored
// matrix and on one regenerated from the seed, and that Π_DEC's use of it
// holds: the commitments to the digit matrices of Z recompose to Z's.
func TestCommitBatch(t *testing.T) {
	const m = 41
	kinds := []string{"full", "bits", "digits", "bounded", "zero"}
	stored, regenerated := setup(t, m), setup(t, m, WithMemory(0))
	if !stored.Stored() || regenerated.Stored() {
		t.Fatal("WithMemory(0) should make Setup regenerate M, and the default keep it")
	}
	for _, pp := range []*PublicParams{stored, regenerated} {
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
					t.Fatalf("stored=%v batch of %d: witness %d differs from Commit", pp.Stored(), n, w)
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
			t.Fatalf("stored=%v: the digit commitments do not recompose to Z's", pp.Stored())
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
	for _, opts := range [][]Option{nil, {WithMemory(0)}} {
		pp := setup(b, m, opts...)
		matrix := map[bool]string{true: "stored", false: "regenerated"}[pp.Stored()]
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
