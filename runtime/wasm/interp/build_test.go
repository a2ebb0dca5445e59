package interp

import (
	"context"
	"math"
	"testing"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// There is no text-format parser, so tests assemble modules from these pieces.

func uleb(v uint64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func sleb(v int64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func vec(items ...[]byte) []byte {
	b := uleb(uint64(len(items)))
	for _, it := range items {
		b = append(b, it...)
	}
	return b
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func name(s string) []byte { return cat(uleb(uint64(len(s))), []byte(s)) }

func section(id byte, content []byte) []byte {
	return cat([]byte{id}, uleb(uint64(len(content))), content)
}

func types(ts ...wasm.ValType) []byte {
	b := make([]byte, len(ts))
	for i, t := range ts {
		b[i] = byte(t)
	}
	return vec(splitBytes(b)...)
}

func splitBytes(b []byte) [][]byte {
	out := make([][]byte, len(b))
	for i := range b {
		out[i] = b[i : i+1]
	}
	return out
}

// Instruction helpers.
func i32c(v int32) []byte                { return cat([]byte{byte(wasm.OpI32Const)}, sleb(int64(v))) }
func i64c(v int64) []byte                { return cat([]byte{byte(wasm.OpI64Const)}, sleb(v)) }
func get(i uint32) []byte                { return cat([]byte{byte(wasm.OpLocalGet)}, uleb(uint64(i))) }
func set(i uint32) []byte                { return cat([]byte{byte(wasm.OpLocalSet)}, uleb(uint64(i))) }
func op(o ...wasm.Opcode) []byte         { return opBytes(o) }
func call(f uint32) []byte               { return cat([]byte{byte(wasm.OpCall)}, uleb(uint64(f))) }
func br(op wasm.Opcode, l uint32) []byte { return cat([]byte{byte(op)}, uleb(uint64(l))) }
func mem(o wasm.Opcode, offset uint32) []byte {
	return cat([]byte{byte(o), 0}, uleb(uint64(offset)))
}

func opBytes(o []wasm.Opcode) []byte {
	b := make([]byte, 0, len(o))
	for _, x := range o {
		b = append(b, byte(x))
	}
	return b
}

// fn is a function of a test module; code excludes the final end.
type fn struct {
	params, results []wasm.ValType
	locals          []wasm.ValType
	code            []byte
	export          string
}

// hostImport is an imported function, from module "env".
type hostImport struct {
	name            string
	params, results []wasm.ValType
}

type testModule struct {
	imports    []hostImport
	funcs      []fn
	memory     []uint32 // min, and max if a second entry
	table      uint32   // size of a funcref table, when elems or > 0
	elems      []uint32 // function indices placed at table offset 0
	start      int      // 1 + the start function index, 0 for none
	globalsI64 []int64  // mutable i64 globals, exported as g0, g1...
}

func (tm testModule) bytes() []byte {
	var typ, imp, fns, code, exp [][]byte
	addType := func(p, r []wasm.ValType) []byte {
		typ = append(typ, cat([]byte{0x60}, types(p...), types(r...)))
		return uleb(uint64(len(typ) - 1))
	}
	for _, h := range tm.imports {
		imp = append(imp, cat(name("env"), name(h.name), []byte{0}, addType(h.params, h.results)))
	}
	for i, f := range tm.funcs {
		fns = append(fns, addType(f.params, f.results))
		var locals [][]byte
		for _, l := range f.locals {
			locals = append(locals, []byte{1, byte(l)})
		}
		body := cat(vec(locals...), f.code, []byte{byte(wasm.OpEnd)})
		code = append(code, cat(uleb(uint64(len(body))), body))
		if f.export != "" {
			exp = append(exp, cat(name(f.export), []byte{0}, uleb(uint64(len(tm.imports)+i))))
		}
	}
	var globals [][]byte
	for i, g := range tm.globalsI64 {
		globals = append(globals, cat([]byte{byte(wasm.I64), 1}, i64c(g), []byte{byte(wasm.OpEnd)}))
		exp = append(exp, cat(name("g"+string(rune('0'+i))), []byte{3}, uleb(uint64(i))))
	}
	m := cat([]byte("\x00asm"), []byte{1, 0, 0, 0}, section(1, vec(typ...)))
	if len(imp) > 0 {
		m = cat(m, section(2, vec(imp...)))
	}
	m = cat(m, section(3, vec(fns...)))
	if tm.table > 0 {
		m = cat(m, section(4, vec(cat([]byte{0x70, 0}, uleb(uint64(tm.table))))))
	}
	switch len(tm.memory) {
	case 1:
		m = cat(m, section(5, vec(cat([]byte{0}, uleb(uint64(tm.memory[0]))))))
	case 2:
		m = cat(m, section(5, vec(cat([]byte{1}, uleb(uint64(tm.memory[0])), uleb(uint64(tm.memory[1]))))))
	}
	if len(globals) > 0 {
		m = cat(m, section(6, vec(globals...)))
	}
	m = cat(m, section(7, vec(exp...)))
	if tm.start > 0 {
		m = cat(m, section(8, uleb(uint64(tm.start-1))))
	}
	if len(tm.elems) > 0 {
		var idx [][]byte
		for _, e := range tm.elems {
			idx = append(idx, uleb(uint64(e)))
		}
		m = cat(m, section(9, vec(cat([]byte{0}, i32c(0), []byte{byte(wasm.OpEnd)}, vec(idx...)))))
	}
	return cat(m, section(10, vec(code...)))
}

// compileModule loads, validates and compiles tm.
func compileModule(t testing.TB, tm testModule) *Module {
	t.Helper()
	m, err := wasm.Load(tm.bytes(), wasm.DefaultLimits())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	cm, err := Compile(m)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return cm
}

// instantiate compiles tm and instantiates it with cfg (unlimited fuel when zero) and imports.
func instantiate(t testing.TB, tm testModule, cfg Config, imports Imports) *Instance {
	t.Helper()
	if cfg.Fuel == 0 {
		cfg.Fuel = math.MaxUint64
	}
	inst, err := compileModule(t, tm).Instantiate(context.Background(), imports, cfg)
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	return inst
}
