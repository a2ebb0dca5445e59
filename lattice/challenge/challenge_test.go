package challenge

import (
	"crypto/sha3"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/lattice/ring"
)

const modulus = 1<<64 - 1<<32 + 1 // q

// shakeSource yields uniform field elements from SHAKE128 of a seed: 8-byte
// little-endian words, those ≥ q skipped. It counts its squeezes.
type shakeSource struct {
	xof      *sha3.SHAKE
	squeezes int
}

func newShakeSource(seed string) *shakeSource {
	xof := sha3.NewSHAKE128()
	xof.Write([]byte(seed))
	return &shakeSource{xof: xof}
}

func (s *shakeSource) SqueezeField() goldilocks.Element {
	s.squeezes++
	var buf [8]byte
	for {
		s.xof.Read(buf[:])
		if v := binary.LittleEndian.Uint64(buf[:]); v < modulus {
			var e goldilocks.Element
			e.SetUint64(v)
			return e
		}
	}
}

// listSource yields the given canonical values in order, then repeats the
// last one forever.
type listSource struct {
	values   []uint64
	squeezes int
}

func (s *listSource) SqueezeField() goldilocks.Element {
	v := s.values[min(s.squeezes, len(s.values)-1)]
	s.squeezes++
	var e goldilocks.Element
	e.SetUint64(v)
	return e
}

func TestConstants(t *testing.T) {
	p := new(big.Int).Exp(big.NewInt(5), big.NewInt(half), nil)
	if p.Uint64() != pow {
		t.Fatalf("pow = %d, 5^27 = %v", uint64(pow), p)
	}
	q := new(big.Int).SetUint64(modulus)
	if q.Cmp(goldilocks.Modulus()) != 0 {
		t.Fatalf("modulus %v, gnark-crypto's %v", q, goldilocks.Modulus())
	}
	k := new(big.Int).Div(q, p)
	if l := new(big.Int).Mul(k, p); !l.IsUint64() || l.Uint64() != limit {
		t.Fatalf("limit = %d, ⌊q/5^27⌋·5^27 = %v", uint64(limit), l)
	}
	if 2*2*ring.D != T || 2*half != ring.D {
		t.Fatalf("T = %d, D = %d", T, ring.D)
	}
}

// TestProcedure follows the documented procedure by hand on chosen squeezes.
func TestProcedure(t *testing.T) {
	all := func(c int8) (s ring.Small) {
		for i := range s {
			s[i] = c
		}
		return s
	}
	// 5 = (0 1 0 0 …) and 7 = (2 1 0 0 …) in base 5, least significant first;
	// limit + 3 reduces to 3 mod 5^27 but must be rejected, not reduced.
	mixed := all(-2)
	mixed[0], mixed[1] = -2, -1
	mixed[27], mixed[28] = 0, -1
	tests := []struct {
		name     string
		values   []uint64
		want     ring.Small
		squeezes int
	}{
		{"zero is all −2", []uint64{0}, all(-2), 2},
		{"5^27 − 1 is all 2", []uint64{pow - 1}, all(2), 2},
		{"2·5^27 − 1 is all 2", []uint64{limit - 1}, all(2), 2},
		{"5^27 wraps to all −2", []uint64{pow}, all(-2), 2},
		{"first squeeze is the low half", []uint64{limit, 5, limit + 3, modulus - 1, 7}, mixed, 5},
		{"63 rejections then accepted", append(repeat(limit, MaxRejections-1), 0), all(-2), MaxRejections + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &listSource{values: tt.values}
			c, err := Sample(src)
			if err != nil {
				t.Fatal(err)
			}
			if c != tt.want {
				t.Fatalf("got %v, want %v", c, tt.want)
			}
			if src.squeezes != tt.squeezes {
				t.Fatalf("%d squeezes, want %d", src.squeezes, tt.squeezes)
			}
		})
	}
}

func repeat(v uint64, n int) []uint64 {
	s := make([]uint64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func TestBrokenSource(t *testing.T) {
	tests := []struct {
		name   string
		values []uint64
	}{
		{"constant q−1", []uint64{modulus - 1}},
		{"constant 2·5^27", []uint64{limit}},
		{"one half then nothing", []uint64{1, limit}},
		{"64 rejections", append(repeat(limit+1, MaxRejections), 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &listSource{values: tt.values}
			_, err := Sample(src)
			if !errors.Is(err, ErrSource) {
				t.Fatalf("got %v, want ErrSource", err)
			}
			accepted := 0
			for _, v := range tt.values[:min(len(tt.values), src.squeezes)] {
				if v < limit {
					accepted++
				}
			}
			if src.squeezes-accepted != MaxRejections {
				t.Fatalf("%d squeezes (%d accepted), want %d rejected", src.squeezes, accepted, MaxRejections)
			}
		})
	}
	if _, err := Sample(nil); !errors.Is(err, ErrSource) {
		t.Fatalf("nil source: got %v, want ErrSource", err)
	}
}

func sampleN(t testing.TB, seed string, n int) []ring.Small {
	src := newShakeSource(seed)
	out := make([]ring.Small, n)
	for i := range out {
		var err error
		if out[i], err = Sample(src); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestRangeAndNorm(t *testing.T) {
	for _, c := range sampleN(t, "range", 2000) {
		for i, x := range c {
			if x < -2 || x > 2 {
				t.Fatalf("coefficient %d = %d outside {−2…2}", i, x)
			}
		}
		if n := c.OperatorNorm(); n > T {
			t.Fatalf("operator norm %d > T", n)
		}
	}
}

// chiSquare returns, for each coefficient position, Pearson's statistic of
// the counts of −2…2 against the uniform distribution.
func chiSquare(cs []ring.Small) (stat [ring.D]float64) {
	var counts [ring.D][5]int
	for _, c := range cs {
		for i, x := range c {
			counts[i][x+2]++
		}
	}
	exp := float64(len(cs)) / 5
	for i := range counts {
		for _, n := range counts[i] {
			stat[i] += (float64(n) - exp) * (float64(n) - exp) / exp
		}
	}
	return stat
}

// chiLimit is far in the tail of χ² with 4 degrees of freedom (p ≈ 5·10^−5):
// with a deterministic source the test cannot flake, and a sampler skewed by
// a few percent at any position exceeds it.
const chiLimit = 25

func TestUniform(t *testing.T) {
	const n = 4000
	for i, s := range chiSquare(sampleN(t, "uniform", n)) {
		if s > chiLimit {
			t.Errorf("position %d: χ² = %.1f > %d", i, s, chiLimit)
		}
	}
	// The same statistic catches reducing every squeeze mod 5^27 without
	// rejection, which favours low top digits of each half.
	src := newShakeSource("uniform")
	biased := make([]ring.Small, n)
	for k := range biased {
		for h := range 2 {
			x := src.SqueezeField()
			v := x.Uint64() % pow
			for i := range half {
				biased[k][h*half+i] = int8(v%5) - 2
				v /= 5
			}
		}
	}
	stat := chiSquare(biased)
	if stat[half-1] <= chiLimit || stat[ring.D-1] <= chiLimit {
		t.Fatalf("χ² of the unrejected sampler's top digits %.1f, %.1f: the test has no power", stat[half-1], stat[ring.D-1])
	}
}

func TestDeterministic(t *testing.T) {
	a, b := sampleN(t, "seed", 50), sampleN(t, "seed", 50)
	c := sampleN(t, "other seed", 50)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("challenge %d differs between runs", i)
		}
		if a[i] == c[i] {
			t.Fatalf("challenge %d equal for different seeds", i)
		}
	}
}

// TestDifferencesInvertible checks the property folding relies on: the
// difference of two distinct challenges is invertible in R_q.
func TestDifferencesInvertible(t *testing.T) {
	cs := sampleN(t, "invertible", 210)
	elems := make([]ring.Elem, len(cs))
	for i := range cs {
		elems[i] = cs[i].Elem()
	}
	for i := range elems {
		for j := range i {
			var d ring.Elem
			d.Sub(&elems[i], &elems[j])
			if !d.IsInvertible() {
				t.Fatalf("c%d − c%d = %v is not invertible", i, j, d)
			}
		}
	}
}

// TestPinned fixes the output for one source, so that a change to the
// procedure cannot go unnoticed.
func TestPinned(t *testing.T) {
	want := []string{
		"[-2 2 -1 -2 -1 -1 -2 2 0 0 2 -2 0 -1 0 1 0 -1 -1 -2 -1 -1 0 2 1 -2 -1 -2 0 2 0 2 2 -1 1 -2 2 1 -1 0 -2 0 0 -1 -2 0 2 -1 0 2 -1 -1 1 -2]",
		"[-1 1 -1 1 1 -2 1 -2 2 -1 -1 0 -2 -1 -1 1 1 -1 -2 2 -1 -2 1 -2 1 1 0 2 0 -1 2 0 -1 2 -2 -2 2 0 1 1 0 -1 0 -2 0 0 0 -2 -2 2 1 2 -2 1]",
	}
	for i, c := range sampleN(t, "ssprove/lattice/challenge pinned", len(want)) {
		if got := fmt.Sprint([ring.D]int8(c)); got != want[i] {
			t.Errorf("challenge %d:\n got %s\nwant %s", i, got, want[i])
		}
	}
}

func BenchmarkSample(b *testing.B) {
	src := newShakeSource("bench")
	for b.Loop() {
		if _, err := Sample(src); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "challenges/s")
}
