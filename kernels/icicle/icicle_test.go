//go:build icicle

package icicle

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/consensys/gnark-crypto/field/goldilocks/fft"
)

const q = 0xFFFF_FFFF_0000_0001

func TestMain(m *testing.M) {
	ds, err := Devices()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, d := range ds {
		fmt.Printf("icicle device %s: count %d, unavailable: %v\n", d.Type, d.Count, d.Err)
	}
	os.Exit(m.Run())
}

// randVec returns n random elements with edge values scattered among them.
func randVec(r *rand.Rand, n int) []E {
	v := make([]E, n)
	for i := range v {
		v[i][0] = r.Uint64N(q)
	}
	edges := []uint64{0, 1, q - 1, q - 2, 1 << 32, 1<<32 - 1, 1 << 63}
	for i := 0; i < n && i < len(edges); i++ {
		v[(i*7)%n][0] = edges[i]
	}
	return v
}

func diff(op string, got, want []E) error {
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("%s: element %d of %d: got %#x, want %#x", op, i, len(want), got[i][0], want[i][0])
		}
	}
	return nil
}

// onDevices runs f on every ICICLE device this process can use, logging why
// each other one is left out.
func onDevices(t *testing.T, f func(t *testing.T)) {
	ds, err := Devices()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := Use(CPU); err != nil {
			t.Error(err)
		}
	})
	for _, d := range ds {
		if d.Err != nil {
			t.Logf("skip ICICLE %s: %v", d.Type, d.Err)
			continue
		}
		if err := Use(d.Type); err != nil {
			t.Fatal(err)
		}
		t.Run(string(d.Type), f)
	}
}

func reverse(v []E) {
	l := bits.TrailingZeros(uint(len(v)))
	for i := range v {
		if j := int(bits.Reverse64(uint64(i)) >> (64 - l)); l > 0 && i < j {
			v[i], v[j] = v[j], v[i]
		}
	}
}

// TestNTTMatchesGnark checks every transform against gnark-crypto's FFT on
// random inputs of 2^1…2^20 points, from host memory and from a Buffer.
func TestNTTMatchesGnark(t *testing.T) {
	maxLog := 20
	if testing.Short() {
		maxLog = 14
	}
	onDevices(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for logn := 1; logn <= maxLog; logn++ {
			n := 1 << logn
			if err := checkNTT(r, n); err != nil {
				t.Fatalf("n=2^%d: %v", logn, err)
			}
		}
	})
}

func checkNTT(r *rand.Rand, n int) error {
	d, err := NewDomain(n)
	if err != nil {
		return err
	}
	ref := fft.NewDomain(uint64(n))
	x := randVec(r, n)
	shift := randVec(r, 1)[0]
	if shift.IsZero() {
		shift.SetOne()
	}

	dif := append([]E(nil), x...)
	ref.FFT(dif, fft.DIF)
	fwd := append([]E(nil), dif...)
	reverse(fwd)
	// p(shift·ω^i) = FFT of x[j]·shift^j.
	coset := append([]E(nil), x...)
	var s E
	s.SetOne()
	for i := range coset {
		coset[i].Mul(&coset[i], &s)
		s.Mul(&s, &shift)
	}
	ref.FFT(coset, fft.DIF)
	reverse(coset)

	tests := []struct {
		name      string
		in, want  []E
		run, back func(Data) error
	}{
		{"Forward", x, fwd, d.Forward, d.Inverse},
		{"ForwardDIF", x, dif, d.ForwardDIF, d.InverseDIT},
		{"ForwardCoset", x, coset,
			func(v Data) error { return d.ForwardCoset(v, shift) },
			func(v Data) error { return d.InverseCoset(v, shift) }},
	}
	for _, tc := range tests {
		got := append([]E(nil), tc.in...)
		if err := tc.run(Host(got)); err != nil {
			return fmt.Errorf("%s: %w", tc.name, err)
		}
		if err := diff(tc.name, got, tc.want); err != nil {
			return err
		}
		if err := tc.back(Host(got)); err != nil {
			return fmt.Errorf("%s inverse: %w", tc.name, err)
		}
		if err := diff(tc.name+" then its inverse", got, tc.in); err != nil {
			return err
		}
		buf, err := Upload(tc.in)
		if err != nil {
			return err
		}
		err = tc.run(buf)
		if err == nil {
			err = buf.CopyTo(got)
		}
		err = errors.Join(err, buf.Free())
		if err != nil {
			return fmt.Errorf("%s on a buffer: %w", tc.name, err)
		}
		if err := diff(tc.name+" on a buffer", got, tc.want); err != nil {
			return err
		}
	}
	return nil
}

// TestNTTBatch checks batches of transforms against one transform at a time.
func TestNTTBatch(t *testing.T) {
	onDevices(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, shape := range [][2]int{{1, 1}, {2, 3}, {64, 17}, {1024, 8}, {1 << 12, 2}} {
			n, count := shape[0], shape[1]
			d, err := NewDomain(n)
			if err != nil {
				t.Fatal(err)
			}
			ref := fft.NewDomain(uint64(n))
			v := randVec(r, n*count)
			want := append([]E(nil), v...)
			for i := 0; i < len(want); i += n {
				ref.FFT(want[i:i+n], fft.DIF)
				reverse(want[i : i+n])
			}
			got := append([]E(nil), v...)
			if err := d.ForwardBatch(Host(got)); err != nil {
				t.Fatalf("%d×%d: %v", count, n, err)
			}
			if err := diff(fmt.Sprintf("ForwardBatch %d×%d", count, n), got, want); err != nil {
				t.Fatal(err)
			}
			if err := d.InverseBatch(Host(got)); err != nil {
				t.Fatalf("%d×%d: %v", count, n, err)
			}
			if err := diff(fmt.Sprintf("InverseBatch %d×%d", count, n), got, v); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestNTTErrors(t *testing.T) {
	for _, n := range []int{0, 3, 1<<MaxLogSize + 1, -4} {
		if _, err := NewDomain(n); !errors.Is(err, ErrSize) {
			t.Errorf("NewDomain(%d) = %v, want ErrSize", n, err)
		}
	}
	d, err := NewDomain(8)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Forward(make(Host, 4)); !errors.Is(err, ErrLength) {
		t.Errorf("Forward of 4 elements on 8 points = %v, want ErrLength", err)
	}
	if err := d.ForwardBatch(make(Host, 12)); !errors.Is(err, ErrLength) {
		t.Errorf("ForwardBatch of 12 elements on 8 points = %v, want ErrLength", err)
	}
	if err := d.ForwardCoset(make(Host, 8), E{}); !errors.Is(err, ErrShift) {
		t.Errorf("ForwardCoset with a zero shift = %v, want ErrShift", err)
	}
}

// TestMontgomeryRoundTrip checks that ICICLE's Montgomery form is
// gnark-crypto's word: FromMontgomery gives the canonical values, and
// ToMontgomery brings the words back.
func TestMontgomeryRoundTrip(t *testing.T) {
	onDevices(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, n := range []int{1, 7, 1000, 1 << 16} {
			x := randVec(r, n)
			canon := make([]E, n)
			for i := range x {
				canon[i][0] = x[i].Uint64()
			}
			got := append([]E(nil), x...)
			if err := FromMontgomery(Host(got)); err != nil {
				t.Fatal(err)
			}
			if err := diff("FromMontgomery", got, canon); err != nil {
				t.Fatal(err)
			}
			if err := ToMontgomery(Host(got)); err != nil {
				t.Fatal(err)
			}
			if err := diff("ToMontgomery after FromMontgomery", got, x); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestVectorsMatchGnark checks the vector kernels against gnark-crypto, with
// operands in host memory, in buffers, and in place.
func TestVectorsMatchGnark(t *testing.T) {
	onDevices(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for _, n := range []int{0, 1, 2, 7, 8, 9, 1000, 1 << 16, 1<<20 + 3} {
			if err := checkVectors(r, n); err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
		}
	})
}

func checkVectors(r *rand.Rand, n int) error {
	x, y := randVec(r, n), randVec(r, n)
	gx, gy := goldilocks.Vector(x), goldilocks.Vector(y)
	want := make(goldilocks.Vector, n)
	ops := []struct {
		name string
		run  func(res, a, b Data) error
		ref  func()
	}{
		{"Add", Add, func() { want.Add(gx, gy) }},
		{"Sub", Sub, func() { want.Sub(gx, gy) }},
		{"Mul", Mul, func() { want.Mul(gx, gy) }},
	}
	for _, op := range ops {
		op.ref()
		got := make([]E, n)
		if err := op.run(Host(got), Host(x), Host(y)); err != nil {
			return fmt.Errorf("%s: %w", op.name, err)
		}
		if err := diff(op.name, got, want); err != nil {
			return err
		}
		copy(got, x)
		if err := op.run(Host(got), Host(got), Host(y)); err != nil {
			return fmt.Errorf("%s in place: %w", op.name, err)
		}
		if err := diff(op.name+" in place", got, want); err != nil {
			return err
		}
	}
	if s, err := Sum(Host(x)); err != nil || s != gx.Sum() {
		return fmt.Errorf("Sum = %#x, %v; want %#x", s[0], err, gx.Sum()[0])
	}
	if ip, err := InnerProduct(Host(x), Host(y)); err != nil || ip != gx.InnerProduct(gy) {
		return fmt.Errorf("InnerProduct = %#x, %v; want %#x", ip[0], err, gx.InnerProduct(gy)[0])
	}
	if n == 0 {
		return nil
	}
	return checkChain(x, y)
}

// checkChain keeps x and y on the device through a chain of kernels — NTT,
// product, sum, inverse NTT — and compares with the same chain on the host.
func checkChain(x, y []E) error {
	n := len(x)
	want := append([]E(nil), x...)
	if n&(n-1) == 0 {
		ref := fft.NewDomain(uint64(n))
		ref.FFT(want, fft.DIF)
		reverse(want)
	}
	gw := goldilocks.Vector(want)
	gw.Mul(gw, y)
	gw.Add(gw, y)
	wantIP := gw.InnerProduct(y)

	bx, err := Upload(x)
	if err != nil {
		return err
	}
	defer bx.Free()
	by, err := Upload(y)
	if err != nil {
		return err
	}
	defer by.Free()
	if n&(n-1) == 0 {
		d, err := NewDomain(n)
		if err != nil {
			return err
		}
		if err := d.Forward(bx); err != nil {
			return err
		}
	}
	if err := Mul(bx, bx, by); err != nil {
		return err
	}
	if err := Add(bx, bx, Host(y)); err != nil {
		return err
	}
	ip, err := InnerProduct(bx, by)
	if err != nil {
		return err
	}
	if ip != wantIP {
		return fmt.Errorf("chain: InnerProduct on buffers = %#x, want %#x", ip[0], wantIP[0])
	}
	got := make([]E, n)
	if err := bx.CopyTo(got); err != nil {
		return err
	}
	return diff("chain on buffers", got, want)
}

func TestBufferErrors(t *testing.T) {
	if _, err := NewBuffer(0); !errors.Is(err, ErrLength) {
		t.Errorf("NewBuffer(0) = %v, want ErrLength", err)
	}
	b, err := NewBuffer(4)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.CopyFrom(make([]E, 3)); !errors.Is(err, ErrLength) {
		t.Errorf("CopyFrom of 3 into 4 = %v, want ErrLength", err)
	}
	if err := Add(b, b, make(Host, 5)); !errors.Is(err, ErrLength) {
		t.Errorf("Add with a 5-element operand = %v, want ErrLength", err)
	}
	if err := b.Free(); err != nil {
		t.Fatal(err)
	}
	if err := b.Free(); err != nil {
		t.Errorf("second Free = %v, want nil", err)
	}
	if err := Add(b, b, b); !errors.Is(err, ErrFreed) {
		t.Errorf("Add on a freed buffer = %v, want ErrFreed", err)
	}
	if err := b.CopyTo(make([]E, 4)); !errors.Is(err, ErrFreed) {
		t.Errorf("CopyTo from a freed buffer = %v, want ErrFreed", err)
	}
}

func TestDevices(t *testing.T) {
	ds, err := Devices()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[DeviceType]bool{}
	for _, d := range ds {
		seen[d.Type] = true
		if (d.Err == nil) != (d.Count > 0) {
			t.Errorf("%s: count %d with error %v", d.Type, d.Count, d.Err)
		}
	}
	if !seen[CPU] || !seen[CUDA] {
		t.Errorf("Devices() = %v, want CPU and CUDA listed", ds)
	}
	if err := Use(DeviceType("TPU")); err == nil {
		t.Error("Use(TPU) succeeded")
	}
}

// TestCUDAReasons checks what Devices says for each way ICICLE's CUDA
// backend can be missing that this machine can stage.
func TestCUDAReasons(t *testing.T) {
	empty := t.TempDir()
	t.Setenv(BackendDirEnv, empty+"/nowhere")
	if d := probeCUDA(BackendDir()); d.Err == nil || !strings.Contains(d.Err.Error(), "no backend dir") {
		t.Errorf("missing %s: %v, want no backend dir", BackendDirEnv, d.Err)
	}
	t.Setenv(BackendDirEnv, empty)
	if d := probeCUDA(BackendDir()); d.Err == nil || !strings.Contains(d.Err.Error(), "library not found") {
		t.Errorf("empty backend dir: %v, want library not found", d.Err)
	}
	if err := os.WriteFile(empty+"/libicicle_backend_cuda_device.so", []byte("not a library"), 0o644); err != nil {
		t.Fatal(err)
	}
	if d := probeCUDA(BackendDir()); d.Err == nil || !strings.Contains(d.Err.Error(), "did not load") {
		t.Errorf("a broken backend library: %v, want did not load", d.Err)
	}
}
