package interp

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
)

func newFNV(t testing.TB, tr Tracer) *Instance {
	data := make([]byte, PageSize)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	return instantiate(t, wasmtest.FNV(data), Config{Tracer: tr}, nil)
}

func TestFNV(t *testing.T) {
	inst := newFNV(t, nil)
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
	if used, want := before-inst.Fuel(), wasmtest.FNVInstrs(PageSize)+PageSize; used != want {
		t.Fatalf("used %d fuel, want %d", used, want)
	}
}

// TestSort checks wasmtest.Sort's result and, through fuel, wasmtest.SortInstrs.
func TestSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 3, 50, 300} {
		keys := make([]int32, n)
		for i := range keys {
			keys[i] = int32(r.Uint32()) >> r.IntN(32) // duplicates and both signs
		}
		if n == 3 {
			keys = []int32{3, 2, 1} // every key shifted to the front
		}
		inst := instantiate(t, wasmtest.Sort(keys), Config{}, nil)
		before := inst.Fuel()
		if _, _, err := inst.Call(context.Background(), "sort", uint64(n)); err != nil {
			t.Fatal(err)
		}
		got := make([]int32, n)
		for i := range got {
			got[i] = int32(binary.LittleEndian.Uint32(inst.Memory().Bytes()[wasmtest.SortBase+4*i:]))
		}
		want := slices.Sorted(slices.Values(keys))
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: sorted %v, want %v", n, got, want)
		}
		// Loads and stores cost 2, memory.copy 4 and 1 per whole 64 bytes.
		c := wasmtest.SortInstrs(keys)
		if used, want := before-inst.Fuel(), c.Instrs+c.Loads+c.Stores+3+uint64(4*n/64); used != want {
			t.Fatalf("n=%d: used %d fuel, want %d", n, used, want)
		}
	}
}

// BenchmarkFNV reports the interpreter's speed on FNV-1a over a 64 KiB memory, untraced:
// go test -bench FNV ./runtime/wasm/interp
func BenchmarkFNV(b *testing.B) { benchmarkFNV(b, nil, func() {}) }

// BenchmarkFNVTraced is BenchmarkFNV traced into each of the sinks.
func BenchmarkFNVTraced(b *testing.B) {
	b.Run("counter", func(b *testing.B) { benchmarkFNV(b, &Counter{}, func() {}) })
	var cols Columns
	b.Run("columns", func(b *testing.B) { benchmarkFNV(b, &cols, cols.Reset) })
}

// benchmarkFNV runs FNV-1a traced into tr, calling reset before each call.
func benchmarkFNV(b *testing.B, tr Tracer, reset func()) {
	inst := newFNV(b, tr)
	ctx := context.Background()
	b.SetBytes(PageSize)
	// Untimed: the first call grows the columns that the later ones reuse.
	if _, _, err := inst.Call(ctx, "hash", PageSize); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		reset()
		if _, _, err := inst.Call(ctx, "hash", PageSize); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(wasmtest.FNVInstrs(PageSize))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Minstr/s")
}
