package decomp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/lattice/ring"
)

var smallBases = []uint64{2, 3, 4, 7, 16, 127, 128}

// smallDigitCounts returns every digit count from 1 to two past the first
// whose b^n covers every int32.
func smallDigitCounts(b uint64) []int {
	var ns []int
	for n := 1; ; n++ {
		ns = append(ns, n)
		if lim := bound(b, n); lim == 0 || lim > 1<<31+1 {
			return append(ns, n+1, n+2)
		}
	}
}

// randomSmall returns size int32 values with |z| < b^n, biased like
// randomFitting towards the top of the range and towards zero.
func randomSmall(r *rand.Rand, size int, b uint64, n int) []int32 {
	lim := bound(b, n)
	if lim == 0 || lim > 1<<31+1 {
		lim = 1<<31 + 1
	}
	z := make([]int32, size)
	for j := range z {
		var m uint64
		switch r.IntN(4) {
		case 0:
			m = lim - 1 - r.Uint64N(min(lim, 4))
		case 1:
			m = r.Uint64N(min(lim, 3))
		default:
			m = r.Uint64N(lim)
		}
		s := -int64(m)
		if r.IntN(2) == 0 && m < 1<<31 {
			s = int64(m)
		}
		z[j] = int32(s)
	}
	return z
}

// lift returns z as field elements.
func lift(z []int32) []goldilocks.Element {
	v := make([]goldilocks.Element, len(z))
	for j, s := range z {
		v[j] = elem(int64(s))
	}
	return v
}

// checkSmallDigits checks int8 digits against Split's digits of the same
// values in the field, and their range.
func checkSmallDigits(t *testing.T, digits [][]int8, z []int32, b uint64) {
	t.Helper()
	want, err := Split(lift(z), b, len(digits))
	if err != nil {
		t.Fatal(err)
	}
	for i := range digits {
		if len(digits[i]) != len(z) {
			t.Fatalf("plane %d has %d entries, want %d", i, len(digits[i]), len(z))
		}
		for j, d := range digits[i] {
			if int64(d) != ring.Signed(want[i][j]) {
				t.Fatalf("digit %d of %d: got %d, Split says %d", i, z[j], d, ring.Signed(want[i][j]))
			}
			if uint64(max(d, -d)) > b-1 {
				t.Fatalf("digit %d of %d = %d out of range", i, z[j], d)
			}
		}
	}
}

func equalInt32(t *testing.T, got, want []int32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for j := range want {
		if got[j] != want[j] {
			t.Fatalf("entry %d: got %d, want %d", j, got[j], want[j])
		}
	}
}

func TestSplitSmallRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, b := range smallBases {
		for _, n := range smallDigitCounts(b) {
			for _, size := range sizes {
				t.Run(fmt.Sprintf("b=%d/n=%d/size=%d", b, n, size), func(t *testing.T) {
					z := randomSmall(r, size, b, n)
					digits, err := SplitSmall(z, b, n)
					if err != nil {
						t.Fatal(err)
					}
					if len(digits) != n {
						t.Fatalf("%d planes, want %d", len(digits), n)
					}
					checkSmallDigits(t, digits, z, b)
					back, err := RecomposeSmall(digits, b)
					if err != nil {
						t.Fatal(err)
					}
					equalInt32(t, back, z)
					// SplitSmallInto overwrites whatever the planes held.
					into := make([][]int8, n)
					for i := range into {
						into[i] = make([]int8, size)
						for j := range into[i] {
							into[i][j] = int8(r.IntN(256) - 128)
						}
					}
					if err := SplitSmallInto(into, z, b); err != nil {
						t.Fatal(err)
					}
					checkSmallDigits(t, into, z, b)
				})
			}
		}
	}
}

// TestSplitSmallBoundary checks that ±(b^n − 1) round-trip with every digit
// ±(b−1) and that ±b^n fail at their index, for every b^n an int32 reaches.
func TestSplitSmallBoundary(t *testing.T) {
	for _, b := range smallBases {
		for _, n := range smallDigitCounts(b) {
			lim := bound(b, n)
			if lim == 0 || lim > 1<<31 {
				continue
			}
			t.Run(fmt.Sprintf("b=%d/n=%d", b, n), func(t *testing.T) {
				var edge []int32
				if lim-1 <= math.MaxInt32 {
					edge = append(edge, int32(lim-1))
				}
				edge = append(edge, int32(-int64(lim-1)))
				for _, s := range edge {
					digits, err := SplitSmall([]int32{s}, b, n)
					if err != nil {
						t.Fatalf("%d: %v", s, err)
					}
					for i := range digits {
						if d := digits[i][0]; uint64(max(d, -d)) != b-1 || (d < 0) != (s < 0) {
							t.Fatalf("digit %d of %d is %d, want %d with its sign", i, s, d, b-1)
						}
					}
					back, err := RecomposeSmall(digits, b)
					if err != nil {
						t.Fatal(err)
					}
					equalInt32(t, back, []int32{s})
				}
				over := []int64{-int64(lim)}
				if lim <= math.MaxInt32 {
					over = append(over, int64(lim))
				}
				for _, s := range over {
					z := make([]int32, 100)
					z[37], z[80] = int32(s), int32(s)
					checkRange(t, "SplitSmall", func() error { _, err := SplitSmall(z, b, n); return err }, 37, s)
					checkRange(t, "SplitSmallInto", func() error { return SplitSmallInto(make2DSmall(n, len(z)), z, b) }, 37, s)
				}
			})
		}
	}
}

func make2DSmall(rows, cols int) [][]int8 {
	m := make([][]int8, rows)
	for i := range m {
		m[i] = make([]int8, cols)
	}
	return m
}

// TestSplitSmallExtremes checks the int32 ends and the presets' shapes.
func TestSplitSmallExtremes(t *testing.T) {
	z := []int32{math.MinInt32, math.MaxInt32, math.MinInt32 + 1, -1, 0, 1}
	for _, c := range []struct {
		b uint64
		n int
	}{{2, 32}, {2, 33}, {3, 20}, {128, 5}, {16, 8}} {
		digits, err := SplitSmall(z, c.b, c.n)
		if err != nil {
			t.Fatalf("b=%d n=%d: %v", c.b, c.n, err)
		}
		checkSmallDigits(t, digits, z, c.b)
		back, err := RecomposeSmall(digits, c.b)
		if err != nil {
			t.Fatal(err)
		}
		equalInt32(t, back, z)
	}
	// −2^31 has one digit, −1 at position 31.
	digits, err := SplitSmall([]int32{math.MinInt32}, 2, 32)
	if err != nil {
		t.Fatal(err)
	}
	for i := range digits {
		if want := int8(-1) * int8(i/31); digits[i][0] != want {
			t.Fatalf("digit %d of −2^31 = %d, want %d", i, digits[i][0], want)
		}
	}
	// 2^31 − 1 needs 31 bits, −2^31 needs 32; 3^19 < 2^31 ≤ 3^20.
	checkRange(t, "SplitSmall", func() error { _, err := SplitSmall(z, 2, 31); return err }, 0, math.MinInt32)
	checkRange(t, "SplitSmall", func() error { _, err := SplitSmall(z[1:], 2, 30); return err }, 0, math.MaxInt32)
	checkRange(t, "SplitSmall", func() error { _, err := SplitSmall(z, 3, 19); return err }, 0, math.MinInt32)
}

func TestRecomposeSmallOverflow(t *testing.T) {
	// planes puts each digit in its own plane, beside a zero entry.
	planes := func(digits ...int8) [][]int8 {
		p := make([][]int8, len(digits))
		for i, d := range digits {
			p[i] = []int8{0, d}
		}
		return p
	}
	repeat := func(n int, d int8) []int8 {
		s := make([]int8, n)
		for i := range s {
			s[i] = d
		}
		return s
	}
	tests := []struct {
		name   string
		digits [][]int8
		b      uint64
		fits   bool
		want   int32
	}{
		{"2^31 − 1", planes(repeat(31, 1)...), 2, true, math.MaxInt32},
		{"−2^31", planes(append(repeat(31, 0), -1)...), 2, true, math.MinInt32},
		{"2^31", planes(append(repeat(31, 0), 1)...), 2, false, 0},
		{"−2^31 − 1", planes(append(repeat(31, -1), -1)...), 2, false, 0},
		// A top digit past int32 that the lower digits cancel.
		{"2^31 − (2^31 − 1)", planes(append(repeat(31, -1), 1)...), 2, true, 1},
		{"digits past b − 1", planes(repeat(40, 127)...), 2, false, 0},
		{"−128·Σ 128^i", planes(repeat(6, -128)...), 128, false, 0},
		{"zero planes past int32", planes(append([]int8{5}, repeat(100, 0)...)...), 2, true, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RecomposeSmall(tt.digits, tt.b)
			if !tt.fits {
				if !errors.Is(err, ErrRange) {
					t.Fatalf("got %v, %v; want ErrRange", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			equalInt32(t, got, []int32{0, tt.want})
		})
	}
}

func TestSplitSmallIntoNoAlloc(t *testing.T) {
	z := randomSmall(rand.New(rand.NewPCG(13, 14)), 1000, 3, 9)
	dst := make2DSmall(9, len(z))
	allocs := testing.AllocsPerRun(10, func() {
		if err := SplitSmallInto(dst, z, 3); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("SplitSmallInto allocates %v times per call", allocs)
	}
}

func TestSmallBadInput(t *testing.T) {
	z := make([]int32, 4)
	tests := []struct {
		name string
		err  error
		f    func() error
	}{
		{"SplitSmall b=1", ErrParam, func() error { _, err := SplitSmall(z, 1, 3); return err }},
		{"SplitSmall b=129", ErrParam, func() error { _, err := SplitSmall(z, 129, 3); return err }},
		{"SplitSmall n=0", ErrParam, func() error { _, err := SplitSmall(z, 2, 0); return err }},
		{"SplitSmall n·len overflows", ErrParam, func() error { _, err := SplitSmall(z, 2, math.MaxInt/2); return err }},
		{"SplitSmallInto b=129", ErrParam, func() error { return SplitSmallInto(make2DSmall(2, 4), z, 129) }},
		{"SplitSmallInto no rows", ErrParam, func() error { return SplitSmallInto(nil, z, 2) }},
		{"SplitSmallInto short row", ErrLength, func() error { d := make2DSmall(3, 4); d[2] = d[2][:3]; return SplitSmallInto(d, z, 2) }},
		{"RecomposeSmall b=0", ErrParam, func() error { _, err := RecomposeSmall(make2DSmall(2, 4), 0); return err }},
		{"RecomposeSmall b=200", ErrParam, func() error { _, err := RecomposeSmall(make2DSmall(2, 4), 200); return err }},
		{"RecomposeSmall no rows", ErrParam, func() error { _, err := RecomposeSmall(nil, 2); return err }},
		{"RecomposeSmall ragged", ErrLength, func() error { d := make2DSmall(3, 4); d[1] = d[1][:2]; _, err := RecomposeSmall(d, 2); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.f(); !errors.Is(err, tt.err) {
				t.Fatalf("got %v, want %v", err, tt.err)
			}
		})
	}
	digits, err := SplitSmall(nil, 2, 3)
	if err != nil || len(digits) != 3 || len(digits[0]) != 0 {
		t.Fatalf("SplitSmall(nil) = %v, %v", digits, err)
	}
}
