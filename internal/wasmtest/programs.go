package wasmtest

import (
	"encoding/binary"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// Loop-heavy programs for benchmarks. Their instruction counts are those of the WASM
// instructions executed, block and loop not included (they do no work) but the final end
// of the function (its return) included: what ssprove's interpreter executes, and what
// its fuel counts.

// PageSize is the size of a WebAssembly memory page.
const PageSize = 65536

// FNV is a module whose memory starts as data (padded to whole pages, at least one) and
// that exports hash(n): FNV-1a over the first n bytes of memory, 16 instructions a byte.
func FNV(data []byte) Module {
	i32 := wasm.I32
	return Module{Memory: []uint32{uint32(max(1, (len(data)+PageSize-1)/PageSize))}, Data: data, Funcs: []Func{{
		Params: []wasm.ValType{i32}, Results: []wasm.ValType{i32}, Locals: []wasm.ValType{i32, i32}, Export: "hash",
		Code: Cat(
			I32Const(-2128831035), LocalSet(2), // offset basis 0x811c9dc5
			Op(wasm.OpBlock), []byte{0x40}, Op(wasm.OpLoop), []byte{0x40},
			LocalGet(1), LocalGet(0), Op(wasm.OpI32GeU), Br(wasm.OpBrIf, 1),
			LocalGet(2), LocalGet(1), Mem(wasm.OpI32Load8U, 0), Op(wasm.OpI32Xor), I32Const(16777619), Op(wasm.OpI32Mul), LocalSet(2),
			LocalGet(1), I32Const(1), Op(wasm.OpI32Add), LocalSet(1),
			Br(wasm.OpBr, 0),
			Op(wasm.OpEnd), Op(wasm.OpEnd),
			LocalGet(2)),
	}}}
}

// FNVInstrs is the number of instructions hash(n) executes.
func FNVInstrs(n int) uint64 { return 16*uint64(n) + 8 }

// SortBase is where Sort's module sorts: keys are at 0, and sort copies them here first.
const SortBase = PageSize / 2

// MaxSortKeys is the most keys Sort takes.
const MaxSortKeys = SortBase / 4

// Sort is a one-page module whose memory starts with keys (little-endian i32s) and that
// exports sort(n): it copies the first n keys to SortBase with memory.copy and
// insertion-sorts the copy in ascending signed order, so that every call does the same
// work. It panics with more than MaxSortKeys keys.
func Sort(keys []int32) Module {
	if len(keys) > MaxSortKeys {
		panic("wasmtest: too many keys to sort")
	}
	data := make([]byte, 0, 4*len(keys))
	for _, k := range keys {
		data = binary.LittleEndian.AppendUint32(data, uint32(k))
	}
	i32 := wasm.I32
	const n, i, p, key, prev = 0, 1, 2, 3, 4 // n, then i and p, are byte offsets in the copy
	return Module{Memory: []uint32{1}, Data: data, Funcs: []Func{{
		Params: []wasm.ValType{i32}, Locals: []wasm.ValType{i32, i32, i32, i32}, Export: "sort",
		Code: Cat(
			I32Const(SortBase), I32Const(0), LocalGet(n), I32Const(2), Op(wasm.OpI32Shl), []byte{0xfc, 10, 0, 0}, // memory.copy
			I32Const(4), LocalSet(i),
			LocalGet(n), I32Const(2), Op(wasm.OpI32Shl), LocalSet(n),
			Op(wasm.OpBlock), []byte{0x40}, Op(wasm.OpLoop), []byte{0x40},
			LocalGet(i), LocalGet(n), Op(wasm.OpI32GeU), Br(wasm.OpBrIf, 1),
			LocalGet(i), Mem(wasm.OpI32Load, SortBase), LocalSet(key),
			LocalGet(i), LocalSet(p),
			Op(wasm.OpBlock), []byte{0x40}, Op(wasm.OpLoop), []byte{0x40},
			LocalGet(p), Op(wasm.OpI32Eqz), Br(wasm.OpBrIf, 1),
			LocalGet(p), Mem(wasm.OpI32Load, SortBase-4), LocalTee(prev),
			LocalGet(key), Op(wasm.OpI32LeS), Br(wasm.OpBrIf, 1),
			LocalGet(p), LocalGet(prev), Mem(wasm.OpI32Store, SortBase),
			LocalGet(p), I32Const(4), Op(wasm.OpI32Sub), LocalSet(p),
			Br(wasm.OpBr, 0),
			Op(wasm.OpEnd), Op(wasm.OpEnd),
			LocalGet(p), LocalGet(key), Mem(wasm.OpI32Store, SortBase),
			LocalGet(i), I32Const(4), Op(wasm.OpI32Add), LocalSet(i),
			Br(wasm.OpBr, 0),
			Op(wasm.OpEnd), Op(wasm.OpEnd)),
	}}}
}

// SortCount is what sort(len(keys)) executes: instructions, and loads and stores among them.
type SortCount struct {
	Instrs, Loads, Stores uint64
}

// SortInstrs counts what Sort(keys)'s sort(len(keys)) executes.
func SortInstrs(keys []int32) SortCount {
	c := SortCount{Instrs: 12 + 4 + 1} // prologue, the last outer test, the return
	a := append([]int32(nil), keys...)
	for i := 1; i < len(a); i++ {
		key, p := a[i], i
		for p > 0 && a[p-1] > key {
			a[p] = a[p-1]
			p--
		}
		a[p] = key
		shifts := uint64(i - p)
		// Outer body 17, each shift 17 (a load and a store), then the exit:
		// p == 0 (3) or a smaller or equal key found (9, a load).
		c.Instrs += 17 + 17*shifts
		c.Loads += 1 + shifts
		c.Stores += 1 + shifts
		if p == 0 {
			c.Instrs += 3
		} else {
			c.Instrs += 9
			c.Loads++
		}
	}
	return c
}
