package instrument_test

import (
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
)

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
		c := call{entry: p.Entry, args: wasmtest.Args(r, p.Params), globals: p.Globals}
		completed += checkBudgets(t, es, p.Wasm, c, func(n uint64) uint64 { return r.Uint64N(n) })
	}
	// Most programs trap on their own; enough must complete for the fuel check to mean much.
	if completed < seeds/2 {
		t.Errorf("only %d metered runs completed", completed)
	}
	t.Logf("%d metered runs completed", completed)
}
