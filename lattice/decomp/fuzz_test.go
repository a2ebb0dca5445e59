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
