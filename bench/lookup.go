package bench

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/fold/lookup"
	"github.com/ssprove/ssprove/fold/transcript"
)

// rangeBits is the range table the lookup benchmark reads: 2^16 entries, the
// limb table of the arithmetization.
const rangeBits = 16

// Lookup times the logUp-GKR prover on every backend against the portable
// one (the reference row): 2^LogSize lookups into the 16-bit range table
// (multiplicities and proof), and offline memory checking of 2^LogSize
// operations, half reads, on a memory of 2^16 one-word cells (the proof, the
// trace's advice computed once beforehand). The transcript is fresh for every
// run and binds no columns: committing them is the caller's cost, not the
// argument's.
func Lookup(ctx context.Context, c Config) ([]Result, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	n := 1 << c.LogSize
	r := rand.New(rand.NewPCG(uint64(n), 4))
	table, err := lookup.RangeTable(rangeBits)
	if err != nil {
		return nil, err
	}
	inputs := make([]goldilocks.Element, n)
	for i := range inputs {
		inputs[i].SetUint64(r.Uint64N(1 << rangeBits))
	}
	trace, err := memoryTrace(r, n)
	if err != nil {
		return nil, err
	}

	ops := []struct {
		name string
		run  func() error
	}{
		{fmt.Sprintf("logUp: 2^%d lookups into a 2^%d table", c.LogSize, rangeBits), func() error {
			groups, err := lookup.Table("range", 2, [][]goldilocks.Element{inputs}, [][]goldilocks.Element{table})
			if err != nil {
				return err
			}
			_, _, err = lookup.Prove(ctx, transcript.New("ssprove/bench/lookup"), groups)
			return err
		}},
		{fmt.Sprintf("memory checking: 2^%d ops on 2^%d cells", c.LogSize, rangeBits), func() error {
			_, _, err := lookup.ProveMemory(ctx, transcript.New("ssprove/bench/memory"), trace)
			return err
		}},
	}
	var cands []candidate
	for _, op := range ops {
		cands = append(cands, candidate{impl: "go (portable)", op: op.name, ref: true, elements: n, backend: accel.Go, run: op.run})
		for _, b := range c.Backends {
			if b != accel.Go {
				cands = append(cands, candidate{impl: b.String(), op: op.name, elements: n, backend: b, run: op.run})
			}
		}
	}
	return measure(ctx, c, cands)
}

// memoryTrace returns the trace of n random operations on a memory of 2^16
// one-word cells, half of them reads of the current value.
func memoryTrace(r *rand.Rand, n int) (*lookup.Trace, error) {
	cells := make([]lookup.Cell, 1<<rangeBits)
	current := make([]goldilocks.Element, len(cells))
	for i := range cells {
		cells[i].Addr.SetUint64(uint64(i))
		cells[i].Value = []goldilocks.Element{{}}
	}
	mem, err := lookup.NewMemory("ram", 2, 1, cells)
	if err != nil {
		return nil, err
	}
	ops := make([]lookup.Op, n)
	for i := range ops {
		a := r.IntN(len(cells))
		op := lookup.Op{Addr: cells[a].Addr, Time: uint64(i + 1), Write: r.IntN(2) == 0}
		if op.Write {
			current[a].SetUint64(r.Uint64())
		}
		op.Value = []goldilocks.Element{current[a]}
		ops[i] = op
	}
	return mem.Trace(ops)
}
