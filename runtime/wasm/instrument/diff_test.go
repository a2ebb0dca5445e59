package instrument_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
)

// args are arguments for params, edge cases often, as runtime/wasm/difftest draws them.
func args(c wasmtest.Choices, params []wasm.ValType) []uint64 {
	edges := []uint64{0, 1, math.MaxUint64, math.MaxInt32, 1 << 31, math.MaxInt64, 1 << 63, wasmtest.PageSize}
	a := make([]uint64, len(params))
	for i, t := range params {
		if c.IntN(2) == 0 {
			a[i] = edges[c.IntN(len(edges))]
		} else {
			a[i] = uint64(c.IntN(1<<31))<<33 ^ uint64(c.IntN(1<<31))
		}
		if t == wasm.I32 {
			a[i] = uint64(uint32(a[i]))
		}
	}
	return a
}

// TestMeterDifferential runs random programs on the interpreter, unmetered, and on wazero,
// metered, at budgets around what each call spends, and checks that the metered call
// completes exactly when the interpreter's does, with the same results, memory, globals and
// fuel left.
func TestMeterDifferential(t *testing.T) {
	seeds := 400
	if testing.Short() {
		seeds = 80
	}
	es := engines(t)
	completed := 0
	for seed := range uint64(seeds) {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		p := wasmtest.Generate(r)
		c := call{entry: p.Entry, args: args(r, p.Params), globals: p.Globals}
		completed += checkBudgets(t, es, p.Wasm, c, func(n uint64) uint64 { return r.Uint64N(n) })
	}
	// Most programs trap on their own; enough must complete for the fuel check to mean much.
	if completed < seeds/2 {
		t.Errorf("only %d metered runs completed", completed)
	}
	t.Logf("%d metered runs completed", completed)
}
