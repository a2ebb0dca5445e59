package decomp

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/lattice/ring"
)

const (
	modulus = 1<<64 - 1<<32 + 1 // q
	halfQ   = (modulus - 1) / 2 // the largest balanced representative
)

var bases = []uint64{2, 3, 4, 16, 1 << 32}

var digitCounts = []int{1, 2, 12, 54}

var sizes = []int{0, 1, 7, block - 1, block, block + 1, 1000}

// elem returns the field element with balanced representative s.
func elem(s int64) goldilocks.Element {
	var e goldilocks.Element
	e.SetInt64(s)
	return e
}

// bound returns b^n, or 0 when it does not fit in a uint64.
func bound(b uint64, n int) uint64 {
	p := new(big.Int).Exp(new(big.Int).SetUint64(b), big.NewInt(int64(n)), nil)
	if !p.IsUint64() {
		return 0
	}
	return p.Uint64()
}

// randomFitting returns n values with |s| < b^n (any field element when b^n
// exceeds q/2), biased towards the top of the range and towards zero so that
// both the longest digit strings and the early exit are exercised.
func randomFitting(r *rand.Rand, size int, b uint64, n int) []goldilocks.Element {
	lim := bound(b, n)
	if lim == 0 || lim > halfQ {
		lim = halfQ + 1
	}
	v := make([]goldilocks.Element, size)
	for j := range v {
		var m uint64
		switch r.IntN(4) {
		case 0:
			m = lim - 1 - r.Uint64N(min(lim, 4))
		case 1:
			m = r.Uint64N(min(lim, 3))
		default:
			m = r.Uint64N(lim)
		}
		s := int64(m)
		if r.IntN(2) == 0 {
			s = -s
		}
		v[j] = elem(s)
	}
	return v
}

// referenceDigits is the sign-and-magnitude expansion of v by hardware
// division, independent of the reciprocal arithmetic under test.
func referenceDigits(v goldilocks.Element, b uint64, n int) []int64 {
	s := ring.Signed(v)
	m := uint64(s)
	if s < 0 {
		m = uint64(-s)
	}
	out := make([]int64, n)
	for i := range out {
		d := int64(m % b)
		m /= b
		if s < 0 {
			d = -d
		}
		out[i] = d
	}
	return out
}

func TestSplitRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, b := range bases {
		for _, n := range digitCounts {
			for _, size := range sizes {
				t.Run(fmt.Sprintf("b=%d/n=%d/size=%d", b, n, size), func(t *testing.T) {
					v := randomFitting(r, size, b, n)
					digits, err := Split(v, b, n)
					if err != nil {
						t.Fatal(err)
					}
					if len(digits) != n {
						t.Fatalf("%d digit vectors, want %d", len(digits), n)
					}
					for j := range v {
						want := referenceDigits(v[j], b, n)
						for i := range digits {
							got := ring.Signed(digits[i][j])
							if got != want[i] {
								t.Fatalf("digit %d of v[%d] = %d: got %d, want %d", i, j, ring.Signed(v[j]), got, want[i])
							}
							if uint64(max(got, -got)) > b-1 {
								t.Fatalf("digit %d of v[%d] = %d out of range", i, j, got)
							}
						}
					}
					back, err := Recompose(digits, b)
					if err != nil {
						t.Fatal(err)
					}
					equal(t, back, v)
				})
			}
		}
	}
}

func TestEmbedRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, b := range bases {
		for _, d := range digitCounts {
			for _, size := range sizes {
				t.Run(fmt.Sprintf("b=%d/d=%d/m=%d", b, d, size), func(t *testing.T) {
					z := randomFitting(r, size, b, d)
					Z, err := Embed(z, b, d)
					if err != nil {
						t.Fatal(err)
					}
					if len(Z) != d*len(z) {
						t.Fatalf("len(Z) = %d, want %d", len(Z), d*len(z))
					}
					digits, err := Split(z, b, d)
					if err != nil {
						t.Fatal(err)
					}
					for j := range z {
						for i := range d {
							if Z[j*d+i] != digits[i][j] {
								t.Fatalf("Z[%d·%d+%d] = %v, digit %d of z[%d] is %v", j, d, i, Z[j*d+i].String(), i, j, digits[i][j].String())
							}
						}
					}
					back, err := Unembed(Z, b, d)
					if err != nil {
						t.Fatal(err)
					}
					equal(t, back, z)
				})
			}
		}
	}
}

func equal(t *testing.T, got, want []goldilocks.Element) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d elements, want %d", len(got), len(want))
	}
	for j := range want {
		if got[j] != want[j] {
			t.Fatalf("element %d: got %d, want %d", j, ring.Signed(got[j]), ring.Signed(want[j]))
		}
	}
}

// TestBoundary checks ±(b^n − 1) round-trip and ±b^n fail at their index,
// wherever those values are balanced representatives.
func TestBoundary(t *testing.T) {
	for _, b := range bases {
		for _, n := range digitCounts {
			lim := bound(b, n)
			if lim == 0 || lim-1 > halfQ {
				continue
			}
			t.Run(fmt.Sprintf("b=%d/n=%d", b, n), func(t *testing.T) {
				for _, s := range []int64{int64(lim - 1), -int64(lim - 1)} {
					v := []goldilocks.Element{elem(s)}
					digits, err := Split(v, b, n)
					if err != nil {
						t.Fatalf("%d: %v", s, err)
					}
					for i := range digits {
						if got := ring.Signed(digits[i][0]); uint64(max(got, -got)) != b-1 {
							t.Fatalf("digit %d of %d is %d, want ±%d", i, s, got, b-1)
						}
					}
					back, err := Recompose(digits, b)
					if err != nil {
						t.Fatal(err)
					}
					equal(t, back, v)
				}
				if lim > halfQ {
					return
				}
				for _, s := range []int64{int64(lim), -int64(lim)} {
					v := make([]goldilocks.Element, 100)
					v[37], v[80] = elem(s), elem(s)
					checkRange(t, "Split", func() error { _, err := Split(v, b, n); return err }, 37, s)
					checkRange(t, "SplitInto", func() error { return SplitInto(make2D(n, len(v)), v, b) }, 37, s)
					checkRange(t, "Embed", func() error { _, err := Embed(v, b, n); return err }, 37, s)
				}
			})
		}
	}
}

func make2D(rows, cols int) [][]goldilocks.Element {
	m := make([][]goldilocks.Element, rows)
	for i := range m {
		m[i] = make([]goldilocks.Element, cols)
	}
	return m
}

func checkRange(t *testing.T, name string, f func() error, index int, value int64) {
	t.Helper()
	err := f()
	var re *RangeError
	if !errors.Is(err, ErrRange) || !errors.As(err, &re) {
		t.Fatalf("%s of %d: got %v, want a *RangeError", name, value, err)
	}
	if re.Index != index || re.Value != value {
		t.Fatalf("%s: error names entry %d = %d, want %d = %d", name, re.Index, re.Value, index, value)
	}
	if msg := err.Error(); !strings.Contains(msg, fmt.Sprint(index)) || !strings.Contains(msg, fmt.Sprint(value)) {
		t.Fatalf("%s: message %q names neither index nor value", name, msg)
	}
}

func TestSmallAndHalfValues(t *testing.T) {
	var minusOne goldilocks.Element
	minusOne.SetUint64(modulus - 1)
	var top, bottom goldilocks.Element // (q−1)/2 and (q+1)/2, the two ends of (−q/2, q/2]
	top.SetUint64(halfQ)
	bottom.SetUint64(halfQ + 1)

	tests := []struct {
		name   string
		v      goldilocks.Element
		b      uint64
		n      int
		fits   bool
		digits []int64 // when known in closed form
	}{
		{"q−1 is −1", minusOne, 2, 1, true, []int64{-1}},
		{"q−1 in base 3", minusOne, 3, 2, true, []int64{-1, 0}},
		{"−2 in base 2", elem(-2), 2, 2, true, []int64{0, -1}},
		{"−2 needs two bits", elem(-2), 2, 1, false, nil},
		{"(q−1)/2 fits 63 bits", top, 2, 63, true, nil},
		{"(q−1)/2 needs 63 bits", top, 2, 62, false, nil},
		{"(q+1)/2 needs 63 bits", bottom, 2, 62, false, nil},
		{"(q+1)/2 fits 63 bits", bottom, 2, 63, true, nil},
		// (q−1)/2 = 2^31·(2^32 − 1) = (2^31 − 1)·2^32 + 2^31.
		{"(q−1)/2 in base 2^32", top, 1 << 32, 2, true, []int64{1 << 31, 1<<31 - 1}},
		{"(q+1)/2 in base 2^32", bottom, 1 << 32, 2, true, []int64{-1 << 31, -(1<<31 - 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			digits, err := Split([]goldilocks.Element{tt.v}, tt.b, tt.n)
			if !tt.fits {
				if !errors.Is(err, ErrRange) {
					t.Fatalf("got %v, want ErrRange", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.digits {
				if got := ring.Signed(digits[i][0]); got != tt.digits[i] {
					t.Fatalf("digit %d = %d, want %d", i, got, tt.digits[i])
				}
			}
			back, err := Recompose(digits, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, back, []goldilocks.Element{tt.v})
		})
	}
	if got := ring.Signed(top); got != halfQ {
		t.Fatalf("Signed((q−1)/2) = %d", got)
	}
	if got := ring.Signed(bottom); got != -halfQ {
		t.Fatalf("Signed((q+1)/2) = %d", got)
	}
	if got := NormInf([]goldilocks.Element{minusOne}); got != 1 {
		t.Fatalf("NormInf(q−1) = %d, want 1", got)
	}
}

// TestEverythingFits checks the bases whose n digits cover the whole field,
// b^n past q/2 (3^54 > q) or past the uint64 range (2^64, 16^54).
func TestEverythingFits(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	v := make([]goldilocks.Element, 500)
	for j := range v {
		v[j].SetUint64(r.Uint64N(modulus))
	}
	var top, bottom goldilocks.Element
	top.SetUint64(halfQ)
	bottom.SetUint64(halfQ + 1)
	v = append(v, top, bottom, elem(-1), elem(0))
	for _, c := range []struct {
		b uint64
		n int
	}{{3, 54}, {3, 40}, {2, 64}, {2, 100}, {16, 54}, {1<<63 + 1, 1}, {math.MaxUint64, 3}} {
		digits, err := Split(v, c.b, c.n)
		if err != nil {
			t.Fatalf("b=%d n=%d: %v", c.b, c.n, err)
		}
		back, err := Recompose(digits, c.b)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, back, v)
		Z, err := Embed(v, c.b, c.n)
		if err != nil {
			t.Fatalf("Embed b=%d d=%d: %v", c.b, c.n, err)
		}
		back, err = Unembed(Z, c.b, c.n)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, back, v)
	}
	// 3^39 < q/2 < 3^40: base 3 needs 40 digits for the largest values.
	if _, err := Split([]goldilocks.Element{top}, 3, 39); !errors.Is(err, ErrRange) {
		t.Fatalf("(q−1)/2 in 39 ternary digits: got %v, want ErrRange", err)
	}
	if _, err := Split([]goldilocks.Element{top, bottom}, 3, 40); err != nil {
		t.Fatalf("±(q−1)/2 in 40 ternary digits: %v", err)
	}
}

func TestDivmod(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	bs := []uint64{3, 5, 7, 10, 1<<32 - 1, 1<<32 + 1, 1<<63 - 1, 1<<63 + 1, math.MaxUint64}
	for range 50 {
		bs = append(bs, 2+r.Uint64N(1000), 2+r.Uint64()>>r.IntN(63))
	}
	for _, b := range bs {
		base, err := newBase(b, 1)
		if err != nil {
			t.Fatal(err)
		}
		ms := []uint64{0, 1, b - 1, b, b + 1, math.MaxUint64, math.MaxUint64 - 1, math.MaxUint64 / b * b, math.MaxUint64/b*b - 1}
		for range 200 {
			ms = append(ms, r.Uint64(), r.Uint64()>>r.IntN(64))
		}
		for _, m := range ms {
			q, rem := base.divmod(m)
			if q != m/b || rem != m%b {
				t.Fatalf("divmod(%d, %d) = %d, %d; want %d, %d", m, b, q, rem, m/b, m%b)
			}
		}
	}
}

func TestSplitIntoInPlaceNoAlloc(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	v := randomFitting(r, 1000, 3, 12)
	orig := append([]goldilocks.Element(nil), v...)
	dst := make2D(12, len(v))
	dst[0] = v
	if err := SplitInto(dst, v, 3); err != nil {
		t.Fatal(err)
	}
	want, err := Split(orig, 3, 12)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		equal(t, dst[i], want[i])
	}
	allocs := testing.AllocsPerRun(10, func() {
		if err := SplitInto(want, orig, 3); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("SplitInto allocates %v times per call", allocs)
	}
}

func TestBadInput(t *testing.T) {
	v := make([]goldilocks.Element, 4)
	tests := []struct {
		name string
		err  error
		f    func() error
	}{
		{"Split b=0", ErrParam, func() error { _, err := Split(v, 0, 3); return err }},
		{"Split b=1", ErrParam, func() error { _, err := Split(v, 1, 3); return err }},
		{"Split n=0", ErrParam, func() error { _, err := Split(v, 2, 0); return err }},
		{"Split n<0", ErrParam, func() error { _, err := Split(v, 2, -1); return err }},
		{"Split n·len overflows", ErrParam, func() error { _, err := Split(v, 2, math.MaxInt/2); return err }},
		{"SplitInto b=1", ErrParam, func() error { return SplitInto(make2D(2, 4), v, 1) }},
		{"SplitInto no rows", ErrParam, func() error { return SplitInto(nil, v, 2) }},
		{"SplitInto short row", ErrLength, func() error { d := make2D(3, 4); d[2] = d[2][:3]; return SplitInto(d, v, 2) }},
		{"Recompose b=1", ErrParam, func() error { _, err := Recompose(make2D(2, 4), 1); return err }},
		{"Recompose no rows", ErrParam, func() error { _, err := Recompose(nil, 2); return err }},
		{"Recompose ragged", ErrLength, func() error { d := make2D(3, 4); d[1] = d[1][:2]; _, err := Recompose(d, 2); return err }},
		{"Embed b=1", ErrParam, func() error { _, err := Embed(v, 1, 54); return err }},
		{"Embed d=0", ErrParam, func() error { _, err := Embed(v, 2, 0); return err }},
		{"Embed d·len overflows", ErrParam, func() error { _, err := Embed(v, 2, math.MaxInt/3); return err }},
		{"Unembed b=0", ErrParam, func() error { _, err := Unembed(make([]goldilocks.Element, 54), 0, 54); return err }},
		{"Unembed d=0", ErrParam, func() error { _, err := Unembed(make([]goldilocks.Element, 54), 2, 0); return err }},
		{"Unembed partial column", ErrLength, func() error { _, err := Unembed(make([]goldilocks.Element, 55), 2, 54); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.f(); !errors.Is(err, tt.err) {
				t.Fatalf("got %v, want %v", err, tt.err)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	digits, err := Split(nil, 2, 3)
	if err != nil || len(digits) != 3 || len(digits[0]) != 0 {
		t.Fatalf("Split(nil) = %v, %v", digits, err)
	}
	Z, err := Embed(nil, 2, 54)
	if err != nil || len(Z) != 0 {
		t.Fatalf("Embed(nil) = %v, %v", Z, err)
	}
	z, err := Unembed(nil, 2, 54)
	if err != nil || len(z) != 0 {
		t.Fatalf("Unembed(nil) = %v, %v", z, err)
	}
}

func TestNormInf(t *testing.T) {
	var top goldilocks.Element
	top.SetUint64(halfQ)
	tests := []struct {
		v    []goldilocks.Element
		want uint64
	}{
		{nil, 0},
		{[]goldilocks.Element{elem(0)}, 0},
		{[]goldilocks.Element{elem(3), elem(-7), elem(5)}, 7},
		{[]goldilocks.Element{elem(-1 << 40), elem(1<<40 - 1)}, 1 << 40},
		{[]goldilocks.Element{elem(2), top, elem(-2)}, halfQ},
	}
	for _, tt := range tests {
		if got := NormInf(tt.v); got != tt.want {
			t.Errorf("NormInf(%v) = %d, want %d", tt.v, got, tt.want)
		}
	}
	// Every digit vector of a split has norm below b.
	r := rand.New(rand.NewPCG(11, 12))
	digits, err := Split(randomFitting(r, 300, 16, 12), 16, 12)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range digits {
		if NormInf(row) > 15 {
			t.Fatalf("‖digits[%d]‖∞ = %d ≥ 16", i, NormInf(row))
		}
	}
}
