package tx

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	good := `{"coordinator": "swap", "inputs": [3, {"id": 5, "version": 2}],
		"args": [[1, -1], "program:token_a", []], "mint": {"token_a": 10}, "fuel": 1000}`
	tx, err := Decode([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if tx.Inputs[1].ID != 5 || *tx.Inputs[1].Version != 2 || tx.Args[0].Words != [4]uint64{1, 1<<64 - 1} || tx.Args[1].Program != "token_a" {
		t.Fatalf("decoded %+v", tx)
	}
	again, err := tx.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if tx2, err := Decode(again); err != nil || tx2.Args[0] != tx.Args[0] || tx2.Inputs[0] != tx.Inputs[0] {
		t.Fatalf("round trip: %v", err)
	}
	bad := []struct {
		name, in string
		want     error
	}{
		{"not json", `{`, ErrFormat},
		{"no coordinator", `{}`, ErrFormat},
		{"unknown field", `{"coordinator": "c", "inptus": []}`, ErrFormat},
		{"trailing data", `{"coordinator": "c"} {}`, ErrFormat},
		{"input twice", `{"coordinator": "c", "inputs": [4, {"id": 4}]}`, ErrDuplicateInput},
		{"input zero", `{"coordinator": "c", "inputs": [0]}`, ErrFormat},
		{"five words", `{"coordinator": "c", "args": [[1,2,3,4,5]]}`, ErrFormat},
		{"word too big", `{"coordinator": "c", "args": [[18446744073709551616]]}`, ErrFormat},
		{"fraction", `{"coordinator": "c", "args": [[1.5]]}`, ErrFormat},
		{"bad string", `{"coordinator": "c", "args": ["token_a"]}`, ErrFormat},
		{"negative amount", `{"coordinator": "c", "mint": {"a": -1}}`, ErrFormat},
		{"fuel over the limit", `{"coordinator": "c", "fuel": 9223372036854775808}`, ErrFormat},
		{"too large", `{"coordinator": "` + strings.Repeat("x", MaxFileSize) + `"}`, ErrFormat},
	}
	for _, c := range bad {
		if _, err := Decode([]byte(c.in)); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"coordinator": "swap", "inputs": [3, {"id": 5, "version": 2}], "args": [[1, -1], "program:x"], "burn": {"b": 1}}`))
	f.Add([]byte(`{"coordinator": "c"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tx, err := Decode(data)
		if err != nil {
			return
		}
		enc, err := tx.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(enc); err != nil {
			t.Fatalf("re-decoding what Encode wrote: %v\n%s", err, enc)
		}
	})
}

func TestState(t *testing.T) {
	s := &State{Pages: 2, Memory: append(make([]byte, 100), 1, 2, 0, 0), Globals: []uint64{7, 1 << 63}}
	s.Datum[3] = 9
	enc := s.Encode()
	d, err := DecodeState(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Encode(), enc) || len(d.Memory) != 102 || d.Datum[3] != 9 {
		t.Fatalf("round trip: %+v", d)
	}
	for i := range enc {
		if _, err := DecodeState(enc[:i]); err == nil {
			t.Fatalf("truncated to %d bytes: no error", i)
		}
	}
	if _, err := DecodeState(append(enc, 0)); err == nil {
		t.Fatal("trailing byte: no error")
	}
}

func TestUsed(t *testing.T) {
	for n := range 40 {
		for last := -1; last < n; last++ {
			mem := make([]byte, n)
			if last >= 0 {
				mem[last] = 1
			}
			if got := used(mem); got != last+1 {
				t.Fatalf("used(%d bytes, last non-zero at %d) = %d", n, last, got)
			}
		}
	}
}

func FuzzDecodeState(f *testing.F) {
	s := &State{Pages: 1, Memory: []byte{1, 2, 3}, Globals: []uint64{5}}
	f.Add(s.Encode())
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := DecodeState(data)
		if err != nil {
			return
		}
		if !bytes.Equal(st.Encode(), data) {
			t.Fatal("a decoded state does not re-encode to its bytes")
		}
	})
}
