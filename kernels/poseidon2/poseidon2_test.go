package poseidon2

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	gnark "github.com/consensys/gnark-crypto/field/goldilocks/poseidon2"
)

const q = 0xFFFF_FFFF_0000_0001

// check compares Permute with gnark-crypto's permutation on in.
func check(t *testing.T, p *Permutation, ref *gnark.Permutation, in [Width]goldilocks.Element) {
	t.Helper()
	got, want := in, in
	p.Permute(&got)
	if err := ref.Permutation(want[:]); err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("Permute(%v) word %d = %v, gnark-crypto gives %v", values(in), i, got[i].Uint64(), want[i].Uint64())
		}
	}
}

// values returns the canonical values of s, for messages.
func values(s [Width]goldilocks.Element) (v [Width]uint64) {
	for i := range s {
		v[i] = s[i].Uint64()
	}
	return v
}

func fill(f func(i int) uint64) (s [Width]goldilocks.Element) {
	for i := range s {
		s[i].SetUint64(f(i))
	}
	return s
}

func TestMatchesGnark(t *testing.T) {
	rounds := []struct{ full, partial int }{{8, 22}, {6, 17}, {2, 0}, {4, 1}}
	states := map[string][Width]goldilocks.Element{
		"zero":        {},
		"q-1":         fill(func(int) uint64 { return q - 1 }),
		"one":         fill(func(int) uint64 { return 1 }),
		"index":       fill(func(i int) uint64 { return uint64(i) }),
		"powers of 2": fill(func(i int) uint64 { return 1 << (5*i + 3) }),
		"2^63":        fill(func(int) uint64 { return 1 << 63 }),
		"2^32":        fill(func(int) uint64 { return 1 << 32 }),
		"2^32-1":      fill(func(int) uint64 { return 1<<32 - 1 }),
		"alternating": fill(func(i int) uint64 { return uint64(i%2) * (q - 1) }),
	}
	for i := range Width {
		states["unit "+string(rune('a'+i))] = fill(func(j int) uint64 { return uint64(min(1, max(0, 1-(i-j)*(i-j)))) })
	}
	for _, r := range rounds {
		p, err := New(r.full, r.partial)
		if err != nil {
			t.Fatal(err)
		}
		ref := gnark.NewPermutation(Width, r.full, r.partial)
		for name, s := range states {
			t.Run(name, func(t *testing.T) { check(t, p, ref, s) })
		}
		n := 2000
		if testing.Short() || r.full != 8 {
			n = 200
		}
		rng := rand.New(rand.NewPCG(uint64(r.full), uint64(r.partial)))
		for range n {
			check(t, p, ref, fill(func(int) uint64 { return rng.Uint64N(q) }))
		}
	}
}

// TestChained feeds each output back in, so that the states tested are the
// permutation's own outputs, as in a sponge.
func TestChained(t *testing.T) {
	p, err := New(8, 22)
	if err != nil {
		t.Fatal(err)
	}
	ref := gnark.NewPermutation(Width, 8, 22)
	var got, want [Width]goldilocks.Element
	for range 1000 {
		p.Permute(&got)
		if err := ref.Permutation(want[:]); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("chained outputs differ: %v, gnark-crypto %v", values(got), values(want))
		}
	}
}

// TestConcurrent runs one Permutation from several goroutines; with -race
// it checks that Permute only reads the Permutation.
func TestConcurrent(t *testing.T) {
	p, err := New(8, 22)
	if err != nil {
		t.Fatal(err)
	}
	ref := gnark.NewPermutation(Width, 8, 22)
	var want [Width]goldilocks.Element
	for range 100 {
		if err := ref.Permutation(want[:]); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	got := make([][Width]goldilocks.Element, 4)
	for g := range got {
		wg.Go(func() {
			for range 100 {
				p.Permute(&got[g])
			}
		})
	}
	wg.Wait()
	for g := range got {
		if got[g] != want {
			t.Fatalf("goroutine %d: %v, want %v", g, values(got[g]), values(want))
		}
	}
}

// FuzzMatchesGnark compares Permute with gnark-crypto's permutation on
// states read from the input, eight bytes to a word, every 64-bit value
// (reduced modulo q) allowed.
func FuzzMatchesGnark(f *testing.F) {
	f.Add(make([]byte, 8*Width))
	f.Add(bytes.Repeat([]byte{0xFF}, 8*Width))
	f.Add(binary.LittleEndian.AppendUint64(nil, q-1))
	p, err := New(8, 22)
	if err != nil {
		f.Fatal(err)
	}
	ref := gnark.NewPermutation(Width, 8, 22)
	f.Fuzz(func(t *testing.T, b []byte) {
		var buf [8 * Width]byte
		copy(buf[:], b)
		s := fill(func(i int) uint64 { return binary.LittleEndian.Uint64(buf[8*i:]) })
		check(t, p, ref, s)
	})
}

func TestNewRejects(t *testing.T) {
	for _, r := range []struct{ full, partial int }{{0, 22}, {-2, 22}, {7, 22}, {8, -1}, {MaxRounds + 2, 22}, {8, MaxRounds + 1}} {
		if _, err := New(r.full, r.partial); !errors.Is(err, ErrRounds) {
			t.Errorf("New(%d, %d) error %v, want ErrRounds", r.full, r.partial, err)
		}
	}
}

func BenchmarkPermute(b *testing.B) {
	var s [Width]goldilocks.Element
	for i := range s {
		s[i].SetUint64(uint64(i))
	}
	b.Run("fast", func(b *testing.B) {
		p, err := New(8, 22)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			p.Permute(&s)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "permutations/s")
	})
	b.Run("gnark", func(b *testing.B) {
		p := gnark.NewPermutation(Width, 8, 22)
		for b.Loop() {
			_ = p.Permutation(s[:])
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "permutations/s")
	})
}
