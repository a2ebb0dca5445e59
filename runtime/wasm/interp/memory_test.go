package interp

import (
	"bytes"
	"context"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
)

// TestMemoryCopyFill checks memory.copy (overlapping both ways, as memmove) and memory.fill,
// their bounds (n = 0 at the very end is allowed, one past is not) and that loads and stores
// see the same little-endian bytes.
func TestMemoryCopyFill(t *testing.T) {
	three := []wasm.ValType{i32, i32, i32}
	tm := wasmtest.Module{Memory: []uint32{1}, Funcs: []wasmtest.Func{
		{Params: three, Code: wasmtest.Cat(wasmtest.LocalGet(0), wasmtest.LocalGet(1), wasmtest.LocalGet(2), []byte{0xfc, 10, 0, 0}), Export: "copy"},
		{Params: three, Code: wasmtest.Cat(wasmtest.LocalGet(0), wasmtest.LocalGet(1), wasmtest.LocalGet(2), []byte{0xfc, 11, 0}), Export: "fill"},
		{Params: []wasm.ValType{i32, i64}, Code: wasmtest.Cat(wasmtest.LocalGet(0), wasmtest.LocalGet(1), wasmtest.Mem(wasm.OpI64Store, 0)), Export: "store"},
		{Params: []wasm.ValType{i32}, Results: []wasm.ValType{i64}, Code: wasmtest.Cat(wasmtest.LocalGet(0), wasmtest.Mem(wasm.OpI64Load16S, 2)), Export: "load16s"},
	}}
	inst := instantiate(t, tm, Config{}, nil)
	ctx := context.Background()
	m := inst.Memory().Bytes()
	for i := range 16 {
		m[i] = byte(i)
	}
	mustCall := func(name string, args ...uint64) []uint64 {
		t.Helper()
		r, _, err := inst.Call(ctx, name, args...)
		if err != nil {
			t.Fatalf("%s%v: %v", name, args, err)
		}
		return r
	}
	mustCall("copy", 2, 0, 8) // forward overlap
	if want := []byte{0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 10}; !bytes.Equal(m[:11], want) {
		t.Fatalf("after copy forward: %v, want %v", m[:11], want)
	}
	mustCall("copy", 0, 2, 8) // backward overlap
	if want := []byte{0, 1, 2, 3, 4, 5, 6, 7, 6, 7, 10}; !bytes.Equal(m[:11], want) {
		t.Fatalf("after copy backward: %v, want %v", m[:11], want)
	}
	mustCall("fill", 4, 0x1ff, 3)
	if want := []byte{3, 0xff, 0xff, 0xff, 7}; !bytes.Equal(m[3:8], want) {
		t.Fatalf("after fill: %v, want %v", m[3:8], want)
	}
	mustCall("copy", PageSize, 0, 0)
	mustCall("fill", PageSize, 0, 0)
	for _, c := range [][]uint64{{PageSize - 3, 0, 4}, {0, PageSize - 3, 4}, {PageSize + 1, 0, 0}} {
		_, _, err := inst.Call(ctx, "copy", c...)
		wantTrap(t, err, TrapMemoryOutOfBounds)
	}
	_, _, err := inst.Call(ctx, "fill", PageSize-1, 0, 2)
	wantTrap(t, err, TrapMemoryOutOfBounds)

	mustCall("store", 100, 0x8001_7f00_0000_0000)
	if got := mustCall("load16s", 104)[0]; got != 0xffff_ffff_ffff_8001 {
		t.Fatalf("i64.load16_s = %#x", got)
	}
}
