package decomp

import (
	"encoding/binary"
	"errors"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/lattice/ring"
)

// FuzzSplitRecompose splits arbitrary field elements in arbitrary bases and
// checks, against math/big, that exactly the values with |s| < b^n split, that
// their digits are in range, and that Recompose and Unembed invert Split and
// Embed.
func FuzzSplitRecompose(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0}, uint64(2), uint8(12))
	f.Add([]byte{0, 0, 0, 0, 255, 255, 255, 255}, uint64(2), uint8(54))
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255, 127}, uint64(3), uint8(54))
	f.Add([]byte{7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128}, uint64(1<<32), uint8(2))
	f.Add([]byte{}, uint64(1), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, b uint64, n8 uint8) {
		n := int(n8 % 80)
		v := make([]goldilocks.Element, len(data)/8)
		for j := range v {
			v[j].SetUint64(binary.LittleEndian.Uint64(data[8*j:]))
		}
		digits, err := Split(v, b, n)
		if b < 2 || n < 1 {
			if !errors.Is(err, ErrParam) {
				t.Fatalf("b=%d n=%d: got %v, want ErrParam", b, n, err)
			}
			return
		}
		lim := new(big.Int).Exp(new(big.Int).SetUint64(b), big.NewInt(int64(n)), nil)
		first := -1
		for j := range v {
			if new(big.Int).Abs(big.NewInt(ring.Signed(v[j]))).Cmp(lim) >= 0 {
				first = j
				break
			}
		}
		if first >= 0 {
			var re *RangeError
			if !errors.As(err, &re) || re.Index != first {
				t.Fatalf("entry %d does not fit in %d base-%d digits: got %v", first, n, b, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range digits {
			if NormInf(row) > b-1 {
				t.Fatalf("‖digits[%d]‖∞ = %d ≥ b = %d", i, NormInf(row), b)
			}
		}
		back, err := Recompose(digits, b)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, back, v)
		Z, err := Embed(v, b, n)
		if err != nil {
			t.Fatal(err)
		}
		back, err = Unembed(Z, b, n)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, back, v)
	})
}

// FuzzSplitSmall splits arbitrary int32 values in arbitrary bases and checks
// that exactly the values with |z| < b^n split, that their digits are Split's
// digits of the same values in the field, and that RecomposeSmall inverts
// SplitSmall.
func FuzzSplitSmall(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0}, uint64(2), uint8(13))
	f.Add([]byte{0, 0, 0, 128, 255, 255, 255, 127}, uint64(2), uint8(32))
	f.Add([]byte{0, 0, 0, 128}, uint64(2), uint8(31))
	f.Add([]byte{255, 255, 255, 255, 7, 0, 0, 0}, uint64(3), uint8(8))
	f.Add([]byte{0, 16, 0, 0}, uint64(128), uint8(2))
	f.Add([]byte{}, uint64(129), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, b uint64, n8 uint8) {
		n := int(n8 % 80)
		z := make([]int32, len(data)/4)
		for j := range z {
			z[j] = int32(binary.LittleEndian.Uint32(data[4*j:]))
		}
		digits, err := SplitSmall(z, b, n)
		if b < 2 || b > 128 || n < 1 {
			if !errors.Is(err, ErrParam) {
				t.Fatalf("b=%d n=%d: got %v, want ErrParam", b, n, err)
			}
			return
		}
		lim := new(big.Int).Exp(new(big.Int).SetUint64(b), big.NewInt(int64(n)), nil)
		first := -1
		for j := range z {
			if new(big.Int).Abs(big.NewInt(int64(z[j]))).Cmp(lim) >= 0 {
				first = j
				break
			}
		}
		if first >= 0 {
			var re *RangeError
			if !errors.As(err, &re) || re.Index != first || re.Value != int64(z[first]) {
				t.Fatalf("entry %d = %d does not fit in %d base-%d digits: got %v", first, z[first], n, b, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		checkSmallDigits(t, digits, z, b)
		back, err := RecomposeSmall(digits, b)
		if err != nil {
			t.Fatal(err)
		}
		equalInt32(t, back, z)
	})
}

// FuzzRecomposeSmall recomposes arbitrary int8 planes and checks the sums,
// or the overflow error, against math/big.
func FuzzRecomposeSmall(f *testing.F) {
	f.Add([]byte{1, 255, 1, 0}, uint64(2), uint8(2))
	f.Add([]byte{127, 127, 127, 127, 127, 127, 127, 127}, uint64(128), uint8(8))
	f.Add([]byte{128, 128, 128, 128, 128}, uint64(128), uint8(5))
	f.Add([]byte{}, uint64(1), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, b uint64, n8 uint8) {
		n := int(n8 % 80)
		digits := make([][]int8, n)
		if n > 0 {
			cols := len(data) / n
			for i := range digits {
				digits[i] = make([]int8, cols)
				for j := range cols {
					digits[i][j] = int8(data[i*cols+j])
				}
			}
		}
		got, err := RecomposeSmall(digits, b)
		if b < 2 || b > 128 || n < 1 {
			if !errors.Is(err, ErrParam) {
				t.Fatalf("b=%d n=%d: got %v, want ErrParam", b, n, err)
			}
			return
		}
		fits := true
		want := make([]int64, len(digits[0]))
		for j := range want {
			sum, pow := new(big.Int), big.NewInt(1)
			for i := range digits {
				sum.Add(sum, new(big.Int).Mul(pow, big.NewInt(int64(digits[i][j]))))
				pow.Mul(pow, new(big.Int).SetUint64(b))
			}
			if !sum.IsInt64() || sum.Int64() != int64(int32(sum.Int64())) {
				fits = false
				continue
			}
			want[j] = sum.Int64()
		}
		if !fits {
			if !errors.Is(err, ErrRange) {
				t.Fatalf("a sum overflows an int32: got %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for j := range want {
			if int64(got[j]) != want[j] {
				t.Fatalf("entry %d: got %d, want %d", j, got[j], want[j])
			}
		}
	})
}
