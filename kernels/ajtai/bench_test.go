package ajtai

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
)

// BenchmarkCommit commits to n witness entries (m = ⌈n/54⌉ columns, κ = 16,
// the matrix stored) on every backend; the metric is entries committed per
// second.
func BenchmarkCommit(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1 << 16, 1 << 20} {
		m := (n + D - 1) / D
		mat, err := NewMatrix(ctx, 16, m, testSource(16, 1), true)
		if err != nil {
			b.Fatal(err)
		}
		for _, kind := range []string{"full", "bits"} {
			Z := make([]E, D*m)
			witnesses[kind](rand.New(rand.NewPCG(1, 1)), Z)
			out := make([]E, 16*D)
			benchBackends(b, fmt.Sprintf("%s/n=%d", kind, n), func(b *testing.B) {
				for b.Loop() {
					if err := Commit(ctx, mat, Z, out); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
			})
		}
	}
}

// benchBackends runs f as the benchmark <backend>/name on every backend.
func benchBackends(b *testing.B, name string, f func(b *testing.B)) {
	gltest.EachBackend(b, func(be accel.Backend) { b.Run(be.String()+"/"+name, f) })
}

// BenchmarkColumn is the cost per column of the two paths on a stored
// matrix, to place digitLimit: dense columns against digit columns with k
// non-zero entries (all take the additions path up to digitLimit).
func BenchmarkColumn(b *testing.B) {
	ctx := context.Background()
	const m = 4096
	mat, err := NewMatrix(ctx, 16, m, testSource(16, 1), true)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]E, 16*D)
	run := func(name string, Z []E) {
		benchBackends(b, name, func(b *testing.B) {
			for b.Loop() {
				if err := Commit(ctx, mat, Z, out); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*m), "ns/column")
		})
	}
	Z := make([]E, D*m)
	witnesses["full"](r, Z)
	run("dense", Z)
	for _, k := range []int{1, 2, 4, digitLimit} {
		Z := make([]E, D*m)
		for j := range m {
			for _, t := range r.Perm(D)[:k] {
				Z[j*D+t] = minusOne
			}
		}
		run(fmt.Sprintf("digits=%d", k), Z)
	}
}

// BenchmarkCommitBatch commits to 12 witnesses of 2^16 entries each (κ = 16),
// as Π_DEC does with its digit matrices after every fold: one CommitBatch
// against 12 Commits, on a stored matrix and on one regenerated from
// testSource in every commitment, on every backend. bits and digits (entries
// in {0, 1} and {−1, 0, 1}) are what Π_DEC produces and take the NTT path,
// sparse-digits the additions path. The metric is witness entries committed
// per second over the whole batch.
func BenchmarkCommitBatch(b *testing.B) {
	ctx := context.Background()
	const kappa, n, batch = 16, 1 << 16, 12
	m := (n + D - 1) / D
	for _, store := range []bool{true, false} {
		mat, err := NewMatrix(ctx, kappa, m, testSource(kappa, 1), store)
		if err != nil {
			b.Fatal(err)
		}
		matrix := map[bool]string{true: "stored", false: "regenerated"}[store]
		for _, kind := range []string{"bits", "digits", "sparse-digits", "full"} {
			r := rand.New(rand.NewPCG(1, 1))
			Zs, outs := make([][]E, batch), make([][]E, batch)
			for w := range Zs {
				Zs[w], outs[w] = make([]E, D*m), make([]E, kappa*D)
				witnesses[kind](r, Zs[w])
			}
			report := func(b *testing.B) {
				b.ReportMetric(float64(batch*n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
			}
			benchBackends(b, fmt.Sprintf("%s/%s/batch", matrix, kind), func(b *testing.B) {
				for b.Loop() {
					if err := CommitBatch(ctx, mat, Zs, outs); err != nil {
						b.Fatal(err)
					}
				}
				report(b)
			})
			benchBackends(b, fmt.Sprintf("%s/%s/separate", matrix, kind), func(b *testing.B) {
				for b.Loop() {
					for w := range Zs {
						if err := Commit(ctx, mat, Zs[w], outs[w]); err != nil {
							b.Fatal(err)
						}
					}
				}
				report(b)
			})
		}
	}
}

// BenchmarkCommitDigitsBatch commits to 12 int8 digit matrices of 2^16
// entries each (κ = 16) against CommitBatch of the same values as field
// elements, stored and regenerated, on every backend: dense {−1, 0, 1} (what
// Π_DEC's low planes hold), sparse {−1, 0, 1} (its high planes) and sparse
// digits up to ±3, which only the int8 input sends down the additions path.
// The metric is witness entries committed per second over the whole batch.
func BenchmarkCommitDigitsBatch(b *testing.B) {
	ctx := context.Background()
	const kappa, n, batch = 16, 1 << 16, 12
	m := (n + D - 1) / D
	for _, store := range []bool{true, false} {
		mat, err := NewMatrix(ctx, kappa, m, testSource(kappa, 1), store)
		if err != nil {
			b.Fatal(err)
		}
		matrix := map[bool]string{true: "stored", false: "regenerated"}[store]
		for _, kind := range []string{"ternary", "sparse-ternary", "sparse-small"} {
			r := rand.New(rand.NewPCG(1, 1))
			Zs, outs := make([][]int8, batch), make([][]E, batch)
			for w := range Zs {
				Zs[w], outs[w] = make([]int8, D*m), make([]E, kappa*D)
				digitWitnesses[kind](r, Zs[w])
			}
			field := lift(Zs)
			report := func(b *testing.B) {
				b.ReportMetric(float64(batch*n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
			}
			benchBackends(b, fmt.Sprintf("%s/%s/int8", matrix, kind), func(b *testing.B) {
				for b.Loop() {
					if err := CommitDigitsBatch(ctx, mat, Zs, outs); err != nil {
						b.Fatal(err)
					}
				}
				report(b)
			})
			benchBackends(b, fmt.Sprintf("%s/%s/field", matrix, kind), func(b *testing.B) {
				for b.Loop() {
					if err := CommitBatch(ctx, mat, field, outs); err != nil {
						b.Fatal(err)
					}
				}
				report(b)
			})
		}
	}
}
