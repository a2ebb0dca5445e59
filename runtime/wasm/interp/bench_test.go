package interp

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// fnvModule exports hash(n): FNV-1a over the first n bytes of memory, 16 instructions a byte.
func fnvModule() testModule {
	return testModule{memory: []uint32{1}, funcs: []fn{{
		params: []wasm.ValType{i32}, results: []wasm.ValType{i32}, locals: []wasm.ValType{i32, i32}, export: "hash",
		code: cat(
			i32c(-2128831035), set(2), // offset basis 0x811c9dc5
			op(wasm.OpBlock), []byte{0x40}, op(wasm.OpLoop), []byte{0x40},
			get(1), get(0), op(wasm.OpI32GeU), br(wasm.OpBrIf, 1),
			get(2), get(1), mem(wasm.OpI32Load8U, 0), op(wasm.OpI32Xor), i32c(16777619), op(wasm.OpI32Mul), set(2),
			get(1), i32c(1), op(wasm.OpI32Add), set(1),
			br(wasm.OpBr, 0),
			op(wasm.OpEnd), op(wasm.OpEnd),
			get(2)),
	}}}
}

// fnvInstrs is the number of instructions hash(n) executes.
func fnvInstrs(n int) int { return 16*n + 8 }

func newFNV(t testing.TB) *Instance {
	inst := instantiate(t, fnvModule(), Config{Fuel: math.MaxUint64}, nil)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range inst.Memory().Bytes() {
		inst.Memory().Bytes()[i] = byte(r.Uint32())
	}
	return inst
}

func TestFNV(t *testing.T) {
	inst := newFNV(t)
	before := inst.Fuel()
	got, _, err := inst.Call(context.Background(), "hash", PageSize)
	if err != nil {
		t.Fatal(err)
	}
	h := fnv.New32a()
	h.Write(inst.Memory().Bytes())
	if uint32(got[0]) != h.Sum32() {
		t.Fatalf("hash = %#x, want %#x", got[0], h.Sum32())
	}
	// Every instruction of the loop costs 1 but the load (2).
	if used, want := before-inst.Fuel(), uint64(fnvInstrs(PageSize)+PageSize); used != want {
		t.Fatalf("used %d fuel, want %d", used, want)
	}
}

// BenchmarkFNV reports the interpreter's speed on FNV-1a over a 64 KiB memory:
// go test -bench FNV ./runtime/wasm/interp
func BenchmarkFNV(b *testing.B) {
	inst := newFNV(b)
	ctx := context.Background()
	b.SetBytes(PageSize)
	for b.Loop() {
		if _, _, err := inst.Call(ctx, "hash", PageSize); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(fnvInstrs(PageSize))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Minstr/s")
}
