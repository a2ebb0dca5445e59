package bench

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
	"github.com/ssprove/ssprove/runtime/wasm/wazeroengine"
)

// wasmInstance is an instantiated module on one of the engines compared.
type wasmInstance interface {
	Call(ctx context.Context, export string, args ...uint64) ([]uint64, error)
	Memory() []byte
}

// interpInstance runs on ssprove's interpreter with unlimited fuel, traced or not; reset
// runs before each call, to empty the trace of the one before.
type interpInstance struct {
	inst  *interp.Instance
	reset func()
}

func (i interpInstance) Call(ctx context.Context, export string, args ...uint64) ([]uint64, error) {
	i.reset()
	res, _, err := i.inst.Call(ctx, export, args...)
	return res, err
}

func (i interpInstance) Memory() []byte { return i.inst.Memory().Bytes() }

func newInterp(tb testing.TB, module []byte) wasmInstance {
	return newInterpTraced(tb, module, nil, func() {})
}

// newInterpCounter traces into a counting sink.
func newInterpCounter(tb testing.TB, module []byte) wasmInstance {
	return newInterpTraced(tb, module, &interp.Counter{}, func() {})
}

// newInterpColumns traces into the in-memory columns, emptied before each call: a prover
// would consume them in between.
func newInterpColumns(tb testing.TB, module []byte) wasmInstance {
	var cols interp.Columns
	return newInterpTraced(tb, module, &cols, cols.Reset)
}

func newInterpTraced(tb testing.TB, module []byte, tr interp.Tracer, reset func()) wasmInstance {
	m, err := wasm.Load(module, wasm.DefaultLimits())
	if err != nil {
		tb.Fatal(err)
	}
	cm, err := interp.Compile(m)
	if err != nil {
		tb.Fatal(err)
	}
	inst, err := cm.Instantiate(context.Background(), nil, interp.Config{Fuel: math.MaxUint64, Tracer: tr})
	if err != nil {
		tb.Fatal(err)
	}
	return interpInstance{inst, reset}
}

func newWazero(compiler bool) func(testing.TB, []byte) wasmInstance {
	return func(tb testing.TB, module []byte) wasmInstance {
		ctx := context.Background()
		e, err := wazeroengine.New(ctx, wazeroengine.Config{Compiler: compiler})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { e.Close(ctx) })
		inst, err := e.Instantiate(ctx, "", module)
		if err != nil {
			tb.Fatal(err)
		}
		return inst
	}
}

var wasmEngines = []struct {
	name string
	new  func(testing.TB, []byte) wasmInstance
}{
	{"interp", newInterp},
	{"interp-counter", newInterpCounter},
	{"interp-columns", newInterpColumns},
	{"wazero-compiler", newWazero(true)},
	{"wazero-interpreter", newWazero(false)},
}

// wasmProgram is a call of a loop-heavy program, with the number of instructions it
// executes (as ssprove's interpreter counts them) and a check of its outcome.
type wasmProgram struct {
	name   string
	module []byte
	export string
	arg    uint64
	instrs uint64
	check  func(res []uint64, mem []byte) error
}

func wasmPrograms() []wasmProgram {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, wasmtest.PageSize)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	h := fnv.New32a()
	h.Write(data)
	hash := h.Sum32()

	keys := make([]int32, 1024)
	for i := range keys {
		keys[i] = int32(r.Uint32())
	}
	sorted := slices.Sorted(slices.Values(keys))

	return []wasmProgram{{
		name: "fnv", module: wasmtest.FNV(data).Bytes(), export: "hash", arg: uint64(len(data)),
		instrs: wasmtest.FNVInstrs(len(data)),
		check: func(res []uint64, _ []byte) error {
			if uint32(res[0]) != hash {
				return fmt.Errorf("hash = %#x, want %#x", res[0], hash)
			}
			return nil
		},
	}, {
		name: "sort", module: wasmtest.Sort(keys).Bytes(), export: "sort", arg: uint64(len(keys)),
		instrs: wasmtest.SortInstrs(keys).Instrs,
		check: func(_ []uint64, mem []byte) error {
			for i, want := range sorted {
				if got := int32(binary.LittleEndian.Uint32(mem[wasmtest.SortBase+4*i:])); got != want {
					return fmt.Errorf("key %d = %d, want %d", i, got, want)
				}
			}
			return nil
		},
	}}
}

func TestWasmEnginesAgree(t *testing.T) {
	ctx := context.Background()
	for _, p := range wasmPrograms() {
		for _, e := range wasmEngines {
			inst := e.new(t, p.module)
			res, err := inst.Call(ctx, p.export, p.arg)
			if err == nil {
				err = p.check(res, inst.Memory())
			}
			if err != nil {
				t.Errorf("%s on %s: %v", p.name, e.name, err)
			}
		}
	}
}

// BenchmarkWasm runs the same programs on ssprove's interpreter (untraced, traced into a
// counting sink, traced into columns) and on wazero's compiler and interpreter engines. Minstr/s counts, for every engine, the
// WASM instructions ssprove's interpreter executes for the program (instr/op), so
// the figures compare directly:
// go test ./bench -run '^$' -bench Wasm -count 5
func BenchmarkWasm(b *testing.B) {
	ctx := context.Background()
	for _, p := range wasmPrograms() {
		for _, e := range wasmEngines {
			b.Run(p.name+"/"+e.name, func(b *testing.B) {
				inst := e.new(b, p.module)
				// Untimed: the first call grows what the later ones reuse (the trace
				// columns), as a prover that Resets them between calls pays once.
				if _, err := inst.Call(ctx, p.export, p.arg); err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := inst.Call(ctx, p.export, p.arg); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(p.instrs), "instr/op")
				b.ReportMetric(float64(p.instrs)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Minstr/s")
			})
		}
	}
}
