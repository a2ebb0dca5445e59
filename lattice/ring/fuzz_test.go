package ring

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// elemsOf reads little-endian words from data, reduced mod q, one element per
// 8 bytes (a short tail is dropped).
func elemsOf(data []byte) []goldilocks.Element {
	v := make([]goldilocks.Element, len(data)/8)
	for i := range v {
		v[i].SetUint64(binary.LittleEndian.Uint64(data[8*i:]))
	}
	return v
}

// elemOfBytes fills an element cyclically from data (zero when empty).
func elemOfBytes(data []byte) Elem {
	var a Elem
	if len(data) == 0 {
		return a
	}
	var buf [8]byte
	p := 0
	for i := range a {
		for j := range buf {
			buf[j] = data[p%len(data)]
			p++
		}
		a[i].SetUint64(binary.LittleEndian.Uint64(buf[:]))
	}
	return a
}

func FuzzMul(f *testing.F) {
	f.Add([]byte{1}, []byte{2}, []byte{0xFF})
	f.Add([]byte{0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}, []byte{0x80}, []byte{0x7F, 0x80, 0, 1})
	f.Fuzz(func(t *testing.T, x, y, sb []byte) {
		a, b := elemOfBytes(x), elemOfBytes(y)
		var got, want Elem
		if got.Mul(&a, &b); got != *want.MulSchoolbook(&a, &b) {
			t.Fatalf("Mul = %v, schoolbook gives %v", got, want)
		}
		var s Small
		for i := range s {
			if len(sb) > 0 {
				s[i] = int8(sb[i%len(sb)])
			}
		}
		e := s.Elem()
		if got.MulSmall(&a, &s); got != *want.Mul(&a, &e) {
			t.Fatalf("MulSmall(a, %v) = %v, want %v", s, got, want)
		}
	})
}

func FuzzFromCoefficients(f *testing.F) {
	f.Add(make([]byte, 8*D))
	f.Add(make([]byte, 8*D-1))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		v := elemsOf(data)
		a, err := FromCoefficients(v)
		if len(v) != D {
			if !errors.Is(err, ErrLength) {
				t.Fatalf("%d coefficients: error %v, want ErrLength", len(v), err)
			}
			if got, want := Reduce(v), longDivide(v); got != want {
				t.Fatalf("Reduce = %v, long division gives %v", got, want)
			}
			return
		}
		if err != nil {
			t.Fatalf("%d coefficients: %v", D, err)
		}
		if Elem(v) != a || Reduce(v) != a {
			t.Fatal("FromCoefficients or Reduce changed a reduced polynomial")
		}
	})
}
