package wire

import (
	"errors"
	"math"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/ext"
)

var errTest = errors.New("test encoding")

func TestRoundTrip(t *testing.T) {
	xs := make([]ext.K, 5)
	for i := range xs {
		xs[i].A0.SetUint64(uint64(i) * 0x1234_5678_9abc)
		xs[i].A1.SetInt64(-int64(i))
	}
	r := NewReader(AppendWords(AppendElems([]byte{7}, xs), []goldilocks.Element{xs[1].A0, xs[2].A1}), errTest)
	if r.Byte() != 7 {
		t.Fatal("lost the leading byte")
	}
	got := r.Elems(len(xs))
	words := r.Words(2)
	if r.Err() != nil || r.Len() != 0 {
		t.Fatalf("Elems, Words: err %v, %d bytes left", r.Err(), r.Len())
	}
	if words[0] != xs[1].A0 || words[1] != xs[2].A1 {
		t.Fatalf("Words = %v", words)
	}
	for i := range xs {
		if got[i] != xs[i] {
			t.Fatalf("element %d: got %v, want %v", i, got[i], xs[i])
		}
	}
}

func TestRejects(t *testing.T) {
	nonCanonical := make([]byte, ElemBytes)
	for i := range nonCanonical[:8] {
		nonCanonical[i] = 0xFF // 2^64 − 1 ≥ q
	}
	for _, tt := range []struct {
		name string
		data []byte
		read func(r *Reader)
	}{
		{"short", []byte{1, 2}, func(r *Reader) { r.Uint32() }},
		{"negative take", []byte{1}, func(r *Reader) { r.Take(-1) }},
		{"count beyond input", make([]byte, ElemBytes), func(r *Reader) { r.Elems(2) }},
		{"huge count", make([]byte, ElemBytes), func(r *Reader) { r.Elems(math.MaxInt / 2) }},
		{"negative count", nil, func(r *Reader) { r.Elems(-1) }},
		{"word ≥ q", nonCanonical, func(r *Reader) { r.Elems(1) }},
		{"field word ≥ q", nonCanonical, func(r *Reader) { r.Words(1) }},
		{"field count beyond input", make([]byte, 8), func(r *Reader) { r.Words(2) }},
		{"negative field count", nil, func(r *Reader) { r.Words(-1) }},
	} {
		r := NewReader(tt.data, errTest)
		tt.read(r)
		if !errors.Is(r.Err(), errTest) {
			t.Errorf("%s: error %v, want one wrapping the sentinel", tt.name, r.Err())
		}
		if r.Byte() != 0 || r.Elems(0) != nil {
			t.Errorf("%s: reads after an error return values", tt.name)
		}
	}
}
