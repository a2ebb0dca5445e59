package cuda_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/ajtai"
	"github.com/ssprove/ssprove/kernels/cuda"
	"github.com/ssprove/ssprove/kernels/ntt"
)

// cpuBackends returns the CPU backends available here, fastest first: the
// baselines every GPU benchmark runs against in the same process.
func cpuBackends() []accel.Backend {
	var bs []accel.Backend
	for _, b := range accel.All() {
		if b != accel.CUDA && b != accel.ICICLE && accel.Available(b) == nil {
			bs = append(bs, b)
		}
	}
	return bs
}

// onBackend runs f as sub-benchmark name with backend be selected.
func onBackend(b *testing.B, be accel.Backend, name string, f func(b *testing.B)) {
	b.Run(name, func(b *testing.B) {
		if _, err := accel.Use(be); err != nil {
			b.Fatal(err)
		}
		f(b)
	})
}

// BenchmarkNTT times a forward NTT of 2^20…2^26 points: on the GPU with the
// data resident (gpu), with the host↔device copies counted (gpu+copies),
// and on each CPU backend through kernels/ntt.
func BenchmarkNTT(b *testing.B) {
	needGPU(b)
	r := rand.New(rand.NewPCG(1, 1))
	for logn := 20; logn <= 26; logn++ {
		n := 1 << logn
		v := random(r, n)
		cd, err := cuda.NewDomain(n)
		if err != nil {
			b.Fatal(err)
		}
		buf, err := cuda.Alloc(n)
		if err != nil {
			b.Fatal(err)
		}
		if err := buf.Upload(nil, v); err != nil {
			b.Fatal(err)
		}
		rate := func(b *testing.B) {
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "elements/s")
		}
		b.Run(fmt.Sprintf("2^%d/gpu", logn), func(b *testing.B) {
			for b.Loop() {
				// Kernels are asynchronous: each one is waited for, so that
				// the clock counts the work, not its launch.
				if err := cd.Forward(nil, buf); err != nil {
					b.Fatal(err)
				}
				if err := (*cuda.Stream)(nil).Sync(); err != nil {
					b.Fatal(err)
				}
			}
			rate(b)
		})
		b.Run(fmt.Sprintf("2^%d/gpu+copies", logn), func(b *testing.B) {
			for b.Loop() {
				if err := buf.Upload(nil, v); err != nil {
					b.Fatal(err)
				}
				if err := cd.Forward(nil, buf); err != nil {
					b.Fatal(err)
				}
				if err := buf.Download(nil, v); err != nil {
					b.Fatal(err)
				}
			}
			rate(b)
		})
		if err := buf.Free(); err != nil {
			b.Fatal(err)
		}
		if err := cd.Close(); err != nil {
			b.Fatal(err)
		}
		hd, err := ntt.NewDomain(n)
		if err != nil {
			b.Fatal(err)
		}
		for _, be := range cpuBackends() {
			onBackend(b, be, fmt.Sprintf("2^%d/%s", logn, be), func(b *testing.B) {
				for b.Loop() {
					if err := hd.Forward(v); err != nil {
						b.Fatal(err)
					}
				}
				rate(b)
			})
		}
	}
}

// BenchmarkCommit commits to 2^20…2^24 witness entries of random field
// elements (m = ⌈n/54⌉ columns, κ = 16): on the GPU with the witness
// resident (gpu), with the witness's upload and the commitment's download
// counted (gpu+copies), and on each CPU backend with the matrix stored.
func BenchmarkCommit(b *testing.B) {
	needGPU(b)
	ctx := context.Background()
	const kappa = 16
	r := rand.New(rand.NewPCG(2, 2))
	for logn := 20; logn <= 24; logn++ {
		n := 1 << logn
		m := (n + cuda.D - 1) / cuda.D
		src := source(kappa, uint64(logn))
		z := random(r, cuda.D*m)
		out := make([]E, cuda.D*kappa)
		rate := func(b *testing.B) {
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		}
		cm, err := cuda.NewCommitMatrix(kappa, m, src)
		if err != nil {
			b.Fatal(err)
		}
		all, v, err := cuda.UploadAll(nil, z, out)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("2^%d/gpu", logn), func(b *testing.B) {
			for b.Loop() {
				if err := cm.Commit(nil, v[0], 1, v[1]); err != nil {
					b.Fatal(err)
				}
				if err := (*cuda.Stream)(nil).Sync(); err != nil {
					b.Fatal(err)
				}
			}
			rate(b)
		})
		b.Run(fmt.Sprintf("2^%d/gpu+copies", logn), func(b *testing.B) {
			for b.Loop() {
				if err := v[0].Upload(nil, z); err != nil {
					b.Fatal(err)
				}
				if err := cm.Commit(nil, v[0], 1, v[1]); err != nil {
					b.Fatal(err)
				}
				if err := v[1].Download(nil, out); err != nil {
					b.Fatal(err)
				}
			}
			rate(b)
		})
		if err := all.Free(); err != nil {
			b.Fatal(err)
		}
		if err := cm.Close(); err != nil {
			b.Fatal(err)
		}
		hm, err := ajtai.NewMatrix(ctx, kappa, m, src, true)
		if err != nil {
			b.Fatal(err)
		}
		for _, be := range cpuBackends() {
			onBackend(b, be, fmt.Sprintf("2^%d/%s", logn, be), func(b *testing.B) {
				for b.Loop() {
					if err := ajtai.Commit(ctx, hm, z, out); err != nil {
						b.Fatal(err)
					}
				}
				rate(b)
			})
		}
	}
}
