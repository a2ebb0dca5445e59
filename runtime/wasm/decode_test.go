package wasm

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

func u32(v uint32) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func section(id byte, content ...[]byte) []byte {
	body := bytes.Join(content, nil)
	return append(append([]byte{id}, u32(uint32(len(body)))...), body...)
}

func module(sections ...[]byte) []byte {
	return append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Join(sections, nil)...)
}

// oneFunc builds a module with one function of type [] -> results whose body (locals
// declarations included) is given, plus a one-page memory.
func oneFunc(results []byte, body []byte) []byte {
	typ := append(append([]byte{1, 0x60, 0}, u32(uint32(len(results)))...), results...)
	return module(
		section(secType, typ),
		section(secFunction, []byte{1, 0}),
		section(secMemory, []byte{1, 0, 1}),
		section(secCode, []byte{1}, u32(uint32(len(body))), body),
	)
}

func TestLoadValid(t *testing.T) {
	// (func (result i32) (local i64) i32.const 1 block (result i32) i32.const 2 end i32.add)
	body := []byte{1, 1, 0x7e, 0x41, 1, 0x02, 0x7f, 0x41, 2, 0x0b, 0x6a, 0x0b}
	m, err := Load(oneFunc([]byte{0x7f}, body), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	if f.NumLocals != 1 || f.MaxStack != 2 || f.MaxDepth != 2 || f.BodyOffset+len(f.Body) == 0 || f.Body[0] != 0x41 {
		t.Errorf("got locals %d, max stack %d, max depth %d, body %x", f.NumLocals, f.MaxStack, f.MaxDepth, f.Body)
	}
}

func TestDecodeErrors(t *testing.T) {
	valid := oneFunc(nil, []byte{0, 0x0b})
	tests := []struct {
		name string
		in   []byte
		msg  string
	}{
		{"empty", nil, "magic header not detected"},
		{"bad magic", []byte("\x00asn\x01\x00\x00\x00"), "magic header not detected"},
		{"bad version", []byte("\x00asm\x02\x00\x00\x00"), "unknown binary version"},
		{"truncated version", []byte("\x00asm\x01"), "unexpected end"},
		{"section out of order", module(section(secFunction, []byte{0}), section(secType, []byte{0})), "out of order"},
		{"duplicate section", module(section(secType, []byte{0}), section(secType, []byte{0})), "duplicate section"},
		{"unknown section id", module(section(14, nil)), "malformed section id"},
		{"section size mismatch", module(section(secType, []byte{0, 0})), "section size mismatch"},
		{"section past end", append(module(), secType, 10, 0), "length out of bounds"},
		{"unexpected end in section", module(section(secType, []byte{1, 0x60})), "unexpected end"},
		{"overlong LEB", module(section(secType, []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00})), "integer representation too long"},
		{"LEB unused bits", module(section(secType, []byte{0x80, 0x80, 0x80, 0x80, 0x10})), "integer too large"},
		{"invalid UTF-8 name", module(section(secCustom, []byte{2, 0xc0, 0x80})), "malformed UTF-8"},
		{"function without code", module(section(secType, []byte{1, 0x60, 0, 0}), section(secFunction, []byte{1, 0})), "inconsistent lengths"},
		{"code count mismatch", module(section(secType, []byte{1, 0x60, 0, 0}), section(secFunction, []byte{1, 0}), section(secCode, []byte{2, 2, 0, 0x0b, 2, 0, 0x0b})), "inconsistent lengths"},
		{"data count mismatch", module(section(secDataCount, []byte{1})), "data count and data section"},
		{"too many locals", oneFunc(nil, []byte{2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 2, 0x7e, 0x0b}), "too many locals"},
		{"malformed import kind", module(section(secImport, []byte{1, 1, 'm', 1, 'n', 5})), "malformed import kind"},
		{"malformed mutability", module(section(secGlobal, []byte{1, 0x7f, 2, 0x41, 0, 0x0b})), "malformed mutability"},
		{"malformed value type", module(section(secType, []byte{1, 0x60, 1, 0x01, 0})), "malformed value type"},
		{"illegal opcode", oneFunc(nil, []byte{0, 0xff, 0x0b}), "illegal opcode"},
		{"zero byte expected", oneFunc(nil, []byte{0, 0x3f, 1, 0x1a, 0x0b}), "zero byte expected"},
		{"missing end", oneFunc(nil, []byte{0, 0x01}), "END opcode expected"},
		{"junk after end", oneFunc(nil, []byte{0, 0x0b, 0x01}), "after the function's final end"},
		{"junk after last section", append(valid, 0x0b), "unexpected end"},
		{"huge type count", module(section(secType, u32(0xffffffff))), "unexpected end: 4294967295 types"},
		{"huge body size", module(section(secType, []byte{1, 0x60, 0, 0}), section(secFunction, []byte{1, 0}), section(secCode, []byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f})), "unexpected end of section or function"},
		{"huge memory", module(section(secMemory, []byte{1, 0, 0x80, 0x80, 0x08})), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.in, DefaultLimits())
			var dec *DecodeError
			var inv *ValidationError
			if !errors.As(err, &dec) && !errors.As(err, &inv) {
				t.Fatalf("got %v (%T), want a DecodeError", err, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %q, want it to mention %q", err, tt.msg)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	lim := DefaultLimits()
	lim.MaxFunctions = 2
	lim.MaxLocals = 10
	lim.MaxMemoryPages = 4
	lim.MaxTableSize = 8
	lim.MaxModuleBytes = 1000
	tests := []struct {
		name string
		in   []byte
		msg  string
	}{
		{"functions", module(section(secType, []byte{1, 0x60, 0, 0}), section(secFunction, []byte{3, 0, 0, 0})), "3 functions exceed the limit of 2"},
		{"locals", oneFunc(nil, []byte{1, 11, 0x7f, 0x0b}), "too many locals: more than 10"},
		{"memory pages", module(section(secMemory, []byte{1, 0, 5})), "memory of 5 pages exceeds the limit of 4"},
		{"table size", module(section(secTable, []byte{1, 0x70, 0, 9})), "table of 9 entries exceeds the limit of 8"},
		{"module size", make([]byte, 1001), "module of 1001 bytes exceeds the limit of 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.in, lim)
			var dec *DecodeError
			if !errors.As(err, &dec) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v, want a DecodeError mentioning %q", err, tt.msg)
			}
		})
	}
}

// A forged count must be refused before anything is allocated for it.
func TestHugeCountsFailFast(t *testing.T) {
	inputs := [][]byte{
		module(section(secType, u32(0xffffffff))),
		module(section(secImport, u32(0xffffffff))),
		module(section(secType, []byte{1, 0x60, 0, 0}), section(secFunction, []byte{1, 0}), section(secCode, []byte{1, 6, 1, 0xff, 0xff, 0xff, 0xff, 0x0f})),
		module(section(secData, []byte{1, 0, 0x41, 0, 0x0b, 0xff, 0xff, 0xff, 0xff, 0x0f})),
		oneFunc(nil, []byte{0, 0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f}),
	}
	for i, in := range inputs {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Load(in, DefaultLimits())
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("input %d: accepted", i)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
			t.Errorf("input %d: allocated %d bytes to reject a %d-byte module", i, grew, len(in))
		}
	}
}

func TestNesting(t *testing.T) {
	nested := func(depth int) []byte {
		body := []byte{0}
		for range depth {
			body = append(body, 0x02, 0x40)
		}
		for range depth + 1 {
			body = append(body, 0x0b)
		}
		return oneFunc(nil, body)
	}
	lim := DefaultLimits()
	m, err := Load(nested(lim.MaxNesting-1), lim)
	if err != nil {
		t.Fatalf("nesting at the limit: %v", err)
	}
	if m.Funcs[0].MaxDepth != lim.MaxNesting {
		t.Errorf("max depth %d, want %d", m.Funcs[0].MaxDepth, lim.MaxNesting)
	}
	_, err = Load(nested(lim.MaxNesting), lim)
	var dec *DecodeError
	if !errors.As(err, &dec) || !strings.Contains(err.Error(), "nested deeper") || dec.Func != 0 {
		t.Errorf("nesting past the limit: got %v", err)
	}
	start := time.Now()
	_, err = Load(nested(1_000_000), lim)
	if err == nil || time.Since(start) > time.Second {
		t.Errorf("a million nested blocks: %v after %v", err, time.Since(start))
	}
}

func TestUnsupported(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		feature string
		inCode  bool
	}{
		{"f32 param", module(section(secType, []byte{1, 0x60, 1, 0x7d, 0})), FeatureFloats, false},
		{"f64 global", module(section(secGlobal, []byte{1, 0x7c, 0, 0x44})), FeatureFloats, false},
		{"f32.const", oneFunc(nil, []byte{0, 0x43, 0, 0, 0, 0, 0x1a, 0x0b}), FeatureFloats, true},
		{"float load", oneFunc(nil, []byte{0, 0x41, 0, 0x2a, 2, 0, 0x1a, 0x0b}), FeatureFloats, true},
		{"reinterpret", oneFunc(nil, []byte{0, 0x41, 0, 0xbe, 0x1a, 0x0b}), FeatureFloats, true},
		{"trunc_sat", oneFunc(nil, []byte{0, 0xfc, 0, 0x0b}), FeatureFloats, true},
		{"v128", module(section(secType, []byte{1, 0x60, 0, 1, 0x7b})), FeatureSIMD, false},
		{"SIMD opcode", oneFunc(nil, []byte{0, 0xfd, 0, 0x0b}), FeatureSIMD, true},
		{"atomics", oneFunc(nil, []byte{0, 0xfe, 0, 0x0b}), FeatureThreads, true},
		{"shared memory", module(section(secMemory, []byte{1, 3, 1, 1})), FeatureThreads, false},
		{"externref table", module(section(secTable, []byte{1, 0x6f, 0, 0})), FeatureReferenceTypes, false},
		{"two tables", module(section(secTable, []byte{2, 0x70, 0, 0, 0x70, 0, 0})), FeatureReferenceTypes, false},
		{"ref.null", oneFunc(nil, []byte{0, 0xd0, 0x70, 0x1a, 0x0b}), FeatureReferenceTypes, true},
		{"table.get", oneFunc(nil, []byte{0, 0x41, 0, 0x25, 0, 0x1a, 0x0b}), FeatureReferenceTypes, true},
		{"funcref local", oneFunc(nil, []byte{1, 1, 0x70, 0x0b}), FeatureReferenceTypes, true},
		{"memory.init", oneFunc(nil, []byte{0, 0xfc, 8, 0, 0, 0x0b}), FeatureBulkMemory, true},
		{"passive data", module(section(secData, []byte{1, 1, 0})), FeatureBulkMemory, false},
		{"return_call", oneFunc(nil, []byte{0, 0x12, 0, 0x0b}), FeatureTailCalls, true},
		{"try", oneFunc(nil, []byte{0, 0x06, 0x40, 0x0b, 0x0b}), FeatureExceptions, true},
		{"tag section", module(section(secTag, nil)), FeatureExceptions, false},
		{"memory64", module(section(secMemory, []byte{1, 4, 1})), FeatureMemory64, false},
		{"multi-memory memarg", oneFunc(nil, []byte{0, 0x41, 0, 0x28, 0x42, 1, 0, 0x1a, 0x0b}), FeatureMultiMemory, true},
		{"GC type", module(section(secType, []byte{1, 0x5f, 0})), FeatureGC, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.in, DefaultLimits())
			var u *UnsupportedError
			if !errors.As(err, &u) {
				t.Fatalf("got %v (%T), want an UnsupportedError", err, err)
			}
			if u.Feature != tt.feature || (u.Func >= 0) != tt.inCode || u.Offset < 8 {
				t.Errorf("got feature %q, func %d, offset %d; want %q, in code %v", u.Feature, u.Func, u.Offset, tt.feature, tt.inCode)
			}
			if !strings.Contains(err.Error(), tt.feature) {
				t.Errorf("message %q does not name %q", err, tt.feature)
			}
		})
	}
}
