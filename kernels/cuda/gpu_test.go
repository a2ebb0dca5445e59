package cuda_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/ajtai"
	"github.com/ssprove/ssprove/kernels/cuda"
	"github.com/ssprove/ssprove/kernels/field"
	"github.com/ssprove/ssprove/kernels/ntt"
)

type E = goldilocks.Element

const q = 0xFFFF_FFFF_0000_0001

// needGPU skips tb, printing why, unless the library loads and sees a
// device, and selects the fastest CPU backend for the reference results of
// kernels/ntt, kernels/field and kernels/ajtai until tb ends.
func needGPU(tb testing.TB) {
	tb.Helper()
	if err := cuda.Available(); err != nil {
		tb.Skipf("skipping: %v", err)
	}
	prev, err := accel.Selected()
	if err != nil {
		tb.Fatal(err)
	}
	host := accel.Host(accel.CUDA)
	if _, err := accel.Use(host); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := accel.Use(prev); err != nil {
			tb.Errorf("restoring backend %s: %v", prev, err)
		}
	})
}

// random returns n elements below q (any word below q is an element in
// Montgomery form).
func random(r *rand.Rand, n int) []E {
	v := make([]E, n)
	for i := range v {
		v[i][0] = r.Uint64N(q)
	}
	return v
}

// onGPU uploads v, runs f on it and downloads the result.
func onGPU(t testing.TB, v []E, f func(b *cuda.Buffer) error) []E {
	t.Helper()
	b, err := cuda.Alloc(len(v))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := b.Free(); err != nil {
			t.Error(err)
		}
	}()
	if err := b.Upload(nil, v); err != nil {
		t.Fatal(err)
	}
	if err := f(b); err != nil {
		t.Fatal(err)
	}
	out := make([]E, len(v))
	if err := b.Download(nil, out); err != nil {
		t.Fatal(err)
	}
	return out
}

func firstDiff(got, want []E) string {
	for i := range want {
		if got[i] != want[i] {
			return fmt.Sprintf("index %d of %d: got %#x, want %#x", i, len(want), got[i][0], want[i][0])
		}
	}
	return ""
}

func TestDevices(t *testing.T) {
	needGPU(t)
	ds, err := cuda.Devices()
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) == 0 {
		t.Fatal("no devices listed although the library is available")
	}
	for _, d := range ds {
		if d.Name == "" || d.MemoryBytes == 0 || d.SMMajor == 0 {
			t.Errorf("device %d incomplete: %+v", d.Index, d)
		}
		t.Logf("device %d: %v", d.Index, d)
	}
}

// nttCase is one transform of a domain on both sides: count vectors.
type nttCase struct {
	name  string
	count int
	gpu   func(*cuda.Buffer) error
	cpu   func([]E) error
}

// TestNTTMatchesCPU compares every transform with kernels/ntt on the CPU,
// on random vectors of 2^1…2^24 points (2^16 with -short), and batches of
// odd counts.
func TestNTTMatchesCPU(t *testing.T) {
	needGPU(t)
	maxLog := 24
	if testing.Short() {
		maxLog = 16
	}
	r := rand.New(rand.NewPCG(1, 2))
	shift := E{r.Uint64N(q-1) + 1}
	for logn := 1; logn <= maxLog; logn++ {
		n := 1 << logn
		cd, err := cuda.NewDomain(n)
		if err != nil {
			t.Fatal(err)
		}
		hd, err := ntt.NewDomain(n)
		if err != nil {
			t.Fatal(err)
		}
		cases := []nttCase{
			{"Forward", 1, func(b *cuda.Buffer) error { return cd.Forward(nil, b) }, hd.Forward},
			{"Inverse", 1, func(b *cuda.Buffer) error { return cd.Inverse(nil, b) }, hd.Inverse},
			{"ForwardDIF", 1, func(b *cuda.Buffer) error { return cd.ForwardDIF(nil, b) }, hd.ForwardDIF},
			{"InverseDIT", 1, func(b *cuda.Buffer) error { return cd.InverseDIT(nil, b) }, hd.InverseDIT},
			{"ForwardCoset", 1, func(b *cuda.Buffer) error { return cd.ForwardCoset(nil, b, shift) }, func(v []E) error { return hd.ForwardCoset(v, shift) }},
			{"InverseCoset", 1, func(b *cuda.Buffer) error { return cd.InverseCoset(nil, b, shift) }, func(v []E) error { return hd.InverseCoset(v, shift) }},
		}
		// Odd batch counts: 1, 3, and as many as fit in about 2^18 elements.
		for _, count := range []int{1, 3, max(1, (1<<18)/n) | 1} {
			cases = append(cases,
				nttCase{fmt.Sprintf("ForwardBatch×%d", count), count, func(b *cuda.Buffer) error { return cd.ForwardBatch(nil, b) }, hd.ForwardBatch},
				nttCase{fmt.Sprintf("InverseBatch×%d", count), count, func(b *cuda.Buffer) error { return cd.InverseBatch(nil, b) }, hd.InverseBatch})
		}
		for _, c := range cases {
			v := random(r, n*c.count)
			want := slices.Clone(v)
			if err := c.cpu(want); err != nil {
				t.Fatalf("2^%d %s on the CPU: %v", logn, c.name, err)
			}
			if d := firstDiff(onGPU(t, v, c.gpu), want); d != "" {
				t.Errorf("2^%d %s: %s", logn, c.name, d)
			}
		}
		if err := cd.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestVectorsMatchCPU compares the vector kernels with kernels/field on the
// CPU, with and without the result aliasing an operand.
func TestVectorsMatchCPU(t *testing.T) {
	needGPU(t)
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 7, 1000, 1<<20 + 3} {
		a, b := random(r, n), random(r, n)
		s := E{r.Uint64N(q)}
		type op struct {
			name string
			gpu  func(res, a, b *cuda.Buffer) error
			cpu  func(res, a, b []E) error
		}
		for _, o := range []op{
			{"Add", func(res, a, b *cuda.Buffer) error { return cuda.Add(nil, res, a, b) }, field.Add},
			{"Sub", func(res, a, b *cuda.Buffer) error { return cuda.Sub(nil, res, a, b) }, field.Sub},
			{"Mul", func(res, a, b *cuda.Buffer) error { return cuda.Mul(nil, res, a, b) }, field.Mul},
			{"ScalarMul", func(res, a, _ *cuda.Buffer) error { return cuda.ScalarMul(nil, res, a, s) },
				func(res, a, _ []E) error { return field.ScalarMul(res, a, s) }},
			// MulAdd accumulates into its first operand: res is y.
			{"MulAdd", func(res, _, b *cuda.Buffer) error { return cuda.MulAdd(nil, res, s, b) },
				func(res, _, b []E) error { return field.MulAdd(res, s, b) }},
		} {
			for _, alias := range []bool{false, true} {
				want := slices.Clone(a)
				if err := o.cpu(want, a, b); err != nil {
					t.Fatal(err)
				}
				all, v, err := cuda.UploadAll(nil, a, b, a)
				if err != nil {
					t.Fatal(err)
				}
				res := v[2]
				if alias {
					res = v[0]
				}
				got := make([]E, n)
				err = o.gpu(res, v[0], v[1])
				if err == nil {
					err = res.Download(nil, got)
				}
				if err := errors.Join(err, all.Free()); err != nil {
					t.Fatalf("%s n=%d: %v", o.name, n, err)
				}
				if d := firstDiff(got, want); d != "" {
					t.Errorf("%s n=%d alias=%v: %s", o.name, n, alias, d)
				}
			}
		}
	}
}

// source is a pseudorandom matrix with kernels/ajtai's Source contract.
func source(kappa int, seed uint64) ajtai.Source {
	return func(dst []E, lo, hi int) {
		for j := lo; j < hi; j++ {
			r := rand.New(rand.NewPCG(seed, uint64(j)))
			for i := range kappa * cuda.D {
				dst[(j-lo)*kappa*cuda.D+i][0] = r.Uint64N(q)
			}
		}
	}
}

// witnessKinds fill witnesses of the kinds the CPU kernel treats apart.
var witnessKinds = map[string]func(r *rand.Rand, z []E){
	"zero": func(*rand.Rand, []E) {},
	"field": func(r *rand.Rand, z []E) {
		for i := range z {
			z[i][0] = r.Uint64N(q)
		}
	},
	"bits": func(r *rand.Rand, z []E) {
		for i := range z {
			z[i].SetUint64(r.Uint64N(2))
		}
	},
	"sparse ±1": func(r *rand.Rand, z []E) {
		for i := range z {
			if r.IntN(20) == 0 {
				z[i].SetInt64(int64(2*r.IntN(2) - 1))
			}
		}
	},
	"extremes": func(r *rand.Rand, z []E) {
		for i := range z {
			z[i][0] = []uint64{0, 1, q - 1, q - 2, 1 << 32, 1<<32 - 1}[r.IntN(6)]
		}
	},
}

// TestCommitMatchesCPU compares the commitment with kernels/ajtai on the
// CPU for every shape of κ, m and batch size and every witness kind.
func TestCommitMatchesCPU(t *testing.T) {
	needGPU(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 6))
	for _, kappa := range []int{1, 4, 13, 16} {
		for _, m := range []int{1, 7, 64, 1000, 4097} {
			src := source(kappa, uint64(kappa*100000+m))
			hm, err := ajtai.NewMatrix(ctx, kappa, m, src, false)
			if err != nil {
				t.Fatal(err)
			}
			cm, err := cuda.NewCommitMatrix(kappa, m, src)
			if err != nil {
				t.Fatal(err)
			}
			for _, batch := range []int{1, 3} {
				for kind, fill := range witnessKinds {
					zs, want := make([][]E, batch), make([][]E, batch)
					for w := range zs {
						zs[w], want[w] = make([]E, cuda.D*m), make([]E, cuda.D*kappa)
						fill(r, zs[w])
					}
					if err := ajtai.CommitBatch(ctx, hm, zs, want); err != nil {
						t.Fatal(err)
					}
					got := commitOnGPU(t, cm, zs)
					for w := range zs {
						if d := firstDiff(got[w*cuda.D*kappa:(w+1)*cuda.D*kappa], want[w]); d != "" {
							t.Errorf("κ=%d m=%d batch=%d %s witness %d: %s", kappa, m, batch, kind, w, d)
						}
					}
				}
			}
			if err := cm.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// commitOnGPU commits to zs with cm, copies included, and returns the
// commitments end to end.
func commitOnGPU(t testing.TB, cm *cuda.CommitMatrix, zs [][]E) []E {
	t.Helper()
	all, v, err := cuda.UploadAll(nil, slices.Concat(zs...), make([]E, len(zs)*cuda.D*cm.Kappa()))
	if err != nil {
		t.Fatal(err)
	}
	got := make([]E, v[1].Len())
	err = cm.Commit(nil, v[0], len(zs), v[1])
	if err == nil {
		err = v[1].Download(nil, got)
	}
	if err := errors.Join(err, all.Free()); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestBufferLifetime checks the explicit lifetime of buffers, views and
// handles.
func TestBufferLifetime(t *testing.T) {
	needGPU(t)
	b, err := cuda.Alloc(16)
	if err != nil {
		t.Fatal(err)
	}
	view, err := b.Slice(4, 12)
	if err != nil {
		t.Fatal(err)
	}
	in := random(rand.New(rand.NewPCG(7, 8)), 8)
	if err := view.Upload(nil, in); err != nil {
		t.Fatal(err)
	}
	whole := make([]E, 16)
	if err := b.Download(nil, whole); err != nil {
		t.Fatal(err)
	}
	if d := firstDiff(whole[4:12], in); d != "" {
		t.Errorf("upload through a view: %s", d)
	}
	if err := view.Free(); err == nil {
		t.Error("a view was freed on its own")
	}
	if _, err := b.Slice(10, 17); !errors.Is(err, cuda.ErrLength) {
		t.Errorf("slice past the end: %v, want ErrLength", err)
	}
	if err := b.Upload(nil, in); !errors.Is(err, cuda.ErrLength) {
		t.Errorf("upload of 8 into 16: %v, want ErrLength", err)
	}
	if err := b.Free(); err != nil {
		t.Fatal(err)
	}
	if err := b.Free(); err != nil {
		t.Errorf("second Free: %v", err)
	}
	if err := view.Download(nil, in); !errors.Is(err, cuda.ErrFreed) {
		t.Errorf("download from a view of a freed buffer: %v, want ErrFreed", err)
	}
	s, err := cuda.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(); !errors.Is(err, cuda.ErrFreed) {
		t.Errorf("sync of a closed stream: %v, want ErrFreed", err)
	}
	d, err := cuda.NewDomain(8)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.ForwardCoset(nil, nil, E{}); !errors.Is(err, cuda.ErrShift) {
		t.Errorf("zero coset shift: %v, want ErrShift", err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestDeviceError checks that a failing call carries CUDA's string and the
// operation: an allocation far beyond any GPU's memory.
func TestDeviceError(t *testing.T) {
	needGPU(t)
	_, err := cuda.Alloc(1 << 50)
	var e *cuda.Error
	if !errors.As(err, &e) || e.Op != "alloc 1125899906842624 elements" || e.Msg == "" {
		t.Fatalf("alloc of 2^53 bytes: %v, want a *cuda.Error naming the allocation with CUDA's string", err)
	}
	t.Logf("alloc of 2^53 bytes: %v", err)
}
