// Package wasmtest assembles WebAssembly modules for tests and benchmarks: there is no
// text-format parser, so modules are built from these byte-level pieces.
//
// It imports runtime/wasm for the opcode and type names, so the tests of package wasm
// itself cannot use it.
package wasmtest

import "github.com/ssprove/ssprove/runtime/wasm"

// Uleb is v in unsigned LEB128.
func Uleb(v uint64) []byte { return wasm.AppendUnsigned(nil, v) }

// Sleb is v in signed LEB128.
func Sleb(v int64) []byte { return wasm.AppendSigned(nil, v) }

// Vec is a vector: the count of items, then the items.
func Vec(items ...[]byte) []byte {
	b := Uleb(uint64(len(items)))
	for _, it := range items {
		b = append(b, it...)
	}
	return b
}

// Cat concatenates parts.
func Cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// Name is s as a WebAssembly name.
func Name(s string) []byte { return Cat(Uleb(uint64(len(s))), []byte(s)) }

// Section is a section with its id and size.
func Section(id byte, content []byte) []byte {
	return Cat([]byte{id}, Uleb(uint64(len(content))), content)
}

// Types is a vector of value types.
func Types(ts ...wasm.ValType) []byte {
	b := Uleb(uint64(len(ts)))
	for _, t := range ts {
		b = append(b, byte(t))
	}
	return b
}

// I32Const is i32.const v.
func I32Const(v int32) []byte { return Cat([]byte{byte(wasm.OpI32Const)}, Sleb(int64(v))) }

// I64Const is i64.const v.
func I64Const(v int64) []byte { return Cat([]byte{byte(wasm.OpI64Const)}, Sleb(v)) }

// LocalGet is local.get i.
func LocalGet(i uint32) []byte { return Cat([]byte{byte(wasm.OpLocalGet)}, Uleb(uint64(i))) }

// LocalSet is local.set i.
func LocalSet(i uint32) []byte { return Cat([]byte{byte(wasm.OpLocalSet)}, Uleb(uint64(i))) }

// LocalTee is local.tee i.
func LocalTee(i uint32) []byte { return Cat([]byte{byte(wasm.OpLocalTee)}, Uleb(uint64(i))) }

// Call is call f.
func Call(f uint32) []byte { return Cat([]byte{byte(wasm.OpCall)}, Uleb(uint64(f))) }

// Br is a branch instruction o (br, br_if) to label l.
func Br(o wasm.Opcode, l uint32) []byte { return Cat([]byte{byte(o)}, Uleb(uint64(l))) }

// Mem is the memory instruction o with alignment 0 and the given offset.
func Mem(o wasm.Opcode, offset uint32) []byte {
	return Cat([]byte{byte(o), 0}, Uleb(uint64(offset)))
}

// Op is single-byte opcodes without immediates.
func Op(o ...wasm.Opcode) []byte {
	b := make([]byte, 0, len(o))
	for _, x := range o {
		b = append(b, byte(x))
	}
	return b
}

// Func is a function of a Module; Code excludes the final end.
type Func struct {
	Params, Results []wasm.ValType
	Locals          []wasm.ValType
	Code            []byte
	Export          string
}

// Import is an imported function, from module "env".
type Import struct {
	Name            string
	Params, Results []wasm.ValType
}

// Module describes a module; Bytes encodes it.
type Module struct {
	Imports    []Import
	Funcs      []Func
	Memory     []uint32 // min, and max if a second entry
	Table      uint32   // size of a funcref table, when Elems or > 0
	Elems      []uint32 // function indices placed at table offset 0
	Start      int      // 1 + the start function index, 0 for none
	GlobalsI64 []int64  // mutable i64 globals, exported as g0, g1...
	Data       []byte   // an active data segment at memory offset 0, when not empty
}

// Bytes is the binary encoding of m.
func (m Module) Bytes() []byte {
	var typ, imp, fns, code, exp [][]byte
	addType := func(p, r []wasm.ValType) []byte {
		typ = append(typ, Cat([]byte{0x60}, Types(p...), Types(r...)))
		return Uleb(uint64(len(typ) - 1))
	}
	for _, h := range m.Imports {
		imp = append(imp, Cat(Name("env"), Name(h.Name), []byte{0}, addType(h.Params, h.Results)))
	}
	for i, f := range m.Funcs {
		fns = append(fns, addType(f.Params, f.Results))
		var locals [][]byte
		for _, l := range f.Locals {
			locals = append(locals, []byte{1, byte(l)})
		}
		body := Cat(Vec(locals...), f.Code, []byte{byte(wasm.OpEnd)})
		code = append(code, Cat(Uleb(uint64(len(body))), body))
		if f.Export != "" {
			exp = append(exp, Cat(Name(f.Export), []byte{0}, Uleb(uint64(len(m.Imports)+i))))
		}
	}
	var globals [][]byte
	for i, g := range m.GlobalsI64 {
		globals = append(globals, Cat([]byte{byte(wasm.I64), 1}, I64Const(g), []byte{byte(wasm.OpEnd)}))
		exp = append(exp, Cat(Name("g"+string(rune('0'+i))), []byte{3}, Uleb(uint64(i))))
	}
	b := Cat([]byte("\x00asm"), []byte{1, 0, 0, 0}, Section(1, Vec(typ...)))
	if len(imp) > 0 {
		b = Cat(b, Section(2, Vec(imp...)))
	}
	b = Cat(b, Section(3, Vec(fns...)))
	if m.Table > 0 {
		b = Cat(b, Section(4, Vec(Cat([]byte{0x70, 0}, Uleb(uint64(m.Table))))))
	}
	switch len(m.Memory) {
	case 1:
		b = Cat(b, Section(5, Vec(Cat([]byte{0}, Uleb(uint64(m.Memory[0]))))))
	case 2:
		b = Cat(b, Section(5, Vec(Cat([]byte{1}, Uleb(uint64(m.Memory[0])), Uleb(uint64(m.Memory[1]))))))
	}
	if len(globals) > 0 {
		b = Cat(b, Section(6, Vec(globals...)))
	}
	b = Cat(b, Section(7, Vec(exp...)))
	if m.Start > 0 {
		b = Cat(b, Section(8, Uleb(uint64(m.Start-1))))
	}
	if len(m.Elems) > 0 {
		var idx [][]byte
		for _, e := range m.Elems {
			idx = append(idx, Uleb(uint64(e)))
		}
		b = Cat(b, Section(9, Vec(Cat([]byte{0}, I32Const(0), []byte{byte(wasm.OpEnd)}, Vec(idx...)))))
	}
	b = Cat(b, Section(10, Vec(code...)))
	if len(m.Data) > 0 {
		b = Cat(b, Section(11, Vec(Cat([]byte{0}, I32Const(0), []byte{byte(wasm.OpEnd)}, Uleb(uint64(len(m.Data))), m.Data))))
	}
	return b
}
