package program

import (
	"errors"
	"testing"

	"github.com/ssprove/ssprove/runtime/wasm"
)

func TestHash(t *testing.T) {
	a, b := Of([]byte("module")), Of([]byte("module\x00"))
	if a == b {
		t.Fatal("a trailing zero byte does not change the hash")
	}
	if Of(nil) == Of([]byte{0}) || Of([]byte("abcdefg")) == Of([]byte("abcdefg\x00")) {
		t.Fatal("length is not bound")
	}
	if a != Of([]byte("module")) {
		t.Fatal("not deterministic")
	}
	for _, w := range a {
		if w >= modulus {
			t.Fatalf("word %#x is not canonical", w)
		}
	}
	p, err := Parse(a.String())
	if err != nil || p != a {
		t.Fatalf("Parse(String()) = %v, %v", p, err)
	}
	for _, s := range []string{"", "zz", a.String()[:63], "ffffffffffffffff" + a.String()[16:]} {
		if _, err := Parse(s); !errors.Is(err, ErrHash) {
			t.Errorf("Parse(%q) = %v, want ErrHash", s, err)
		}
	}
}

// module is a program with the given import (name, type) and exports.
func module(importName string, params []byte, step, mem bool, start bool) []byte {
	b := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	sec := func(id byte, body ...byte) { b = append(b, id, byte(len(body))); b = append(b, body...) }
	sec(1, append(append([]byte{2, 0x60, byte(len(params))}, params...), 0, 0x60, 0, 0)...)
	if importName != "" {
		imp := []byte{1, byte(len("starstream"))}
		imp = append(imp, "starstream"...)
		imp = append(imp, byte(len(importName)))
		imp = append(imp, importName...)
		imp = append(imp, 0, 0)
		sec(2, imp...)
	}
	fn := uint32(0)
	if importName != "" {
		fn = 1
	}
	sec(3, 1, 1)
	sec(5, 1, 0, 1)
	var ex []byte
	n := byte(0)
	if step {
		ex = append(ex, 4, 's', 't', 'e', 'p', 0, byte(fn))
		n++
	}
	if mem {
		ex = append(ex, 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 0)
		n++
	}
	sec(7, append([]byte{n}, ex...)...)
	if start {
		sec(8, byte(fn))
	}
	sec(10, 1, 2, 0, 0x0b)
	return b
}

func TestCheck(t *testing.T) {
	i64 := byte(wasm.I64)
	cases := []struct {
		name string
		bin  []byte
		want error
	}{
		{"good", module("yield", []byte{i64}, true, true, false), nil},
		{"unknown import", module("teleport", []byte{i64}, true, true, false), ErrImport},
		{"wrong signature", module("yield", []byte{i64, i64}, true, true, false), ErrImport},
		{"no step", module("", nil, false, true, false), ErrExport},
		{"no memory", module("", nil, true, false, false), ErrExport},
		{"start function", module("", nil, true, true, true), ErrStart},
	}
	for _, c := range cases {
		info, err := Check(c.bin, wasm.DefaultLimits())
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if err == nil && info.Hash != Of(c.bin) {
			t.Errorf("%s: info hash differs from Of", c.name)
		}
	}
	if _, err := Check([]byte("not wasm"), wasm.DefaultLimits()); err == nil {
		t.Error("Check accepted garbage")
	}
}

func BenchmarkOf(b *testing.B) {
	m := make([]byte, 64<<10)
	b.SetBytes(int64(len(m)))
	for b.Loop() {
		Of(m)
	}
}
