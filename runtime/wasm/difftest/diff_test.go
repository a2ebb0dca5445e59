package difftest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"github.com/ssprove/ssprove/internal/enginetest"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
	"github.com/ssprove/ssprove/runtime/wasm/wazeroengine"
)

// outcome is what a call did, in terms that can be compared across engines.
type outcome struct {
	results []uint64
	trap    enginetest.Trap
	memory  [sha256.Size]byte
	pages   int
	globals []uint64
}

func (o outcome) String() string {
	return fmt.Sprintf("results %#x, trap %v, memory %d pages sha256 %x, globals %#x",
		o.results, o.trap, o.pages, o.memory[:8], o.globals)
}

// fuel is far more than any generated module can use (see wasmtest.Generate).
const fuel = 1 << 40

func runInterp(m *wasm.Module, p *wasmtest.Program, args []uint64) (outcome, error) {
	cm, err := interp.Compile(m)
	if err != nil {
		return outcome{}, err
	}
	inst, err := cm.Instantiate(context.Background(), nil, interp.Config{Fuel: fuel})
	if err != nil {
		return outcome{}, err
	}
	var o outcome
	res, _, err := inst.Call(context.Background(), p.Entry, args...)
	if err != nil {
		if o.trap, err = enginetest.InterpTrap(err); err != nil {
			return outcome{}, err
		}
		// Generate's modules terminate well within the budget, so running out is a
		// failure of the test, not a result to compare.
		if o.trap == enginetest.OutOfFuel {
			return outcome{}, errors.New("interp ran out of fuel")
		}
	}
	o.results = res
	mem := inst.Memory().Bytes()
	o.memory, o.pages = sha256.Sum256(mem), len(mem)/wasmtest.PageSize
	for _, name := range p.Globals {
		x, _ := inst.Export(name)
		o.globals = append(o.globals, x.Global.Value)
	}
	return o, nil
}

func runWazero(e *wazeroengine.Engine, p *wasmtest.Program, args []uint64) (outcome, error) {
	ctx := context.Background()
	inst, err := e.Instantiate(ctx, "", p.Wasm)
	if err != nil {
		return outcome{}, err
	}
	defer inst.Close(ctx)
	var o outcome
	res, err := inst.Call(ctx, p.Entry, args...)
	if err != nil {
		if o.trap, err = enginetest.WazeroTrap(err); err != nil {
			return outcome{}, err
		}
	}
	o.results = res
	mem := inst.Memory()
	o.memory, o.pages = sha256.Sum256(mem), len(mem)/wasmtest.PageSize
	for _, name := range p.Globals {
		v, err := inst.Global(name)
		if err != nil {
			return outcome{}, err
		}
		o.globals = append(o.globals, v)
	}
	return o, nil
}

// check generates a module from c, runs it on both engines and reports how they differ.
func check(t *testing.T, e *wazeroengine.Engine, c wasmtest.Choices) outcome {
	t.Helper()
	p := wasmtest.Generate(c)
	m, err := wasm.Load(p.Wasm, wasm.DefaultLimits())
	if err != nil {
		t.Fatalf("generated module does not load: %v\nmodule %x", err, p.Wasm)
	}
	a := wasmtest.Args(c, p.Params)
	want, err := runWazero(e, p, a)
	if err != nil {
		t.Fatalf("wazero: %v\nmodule %x args %#x", err, p.Wasm, a)
	}
	got, err := runInterp(m, p, a)
	if err != nil {
		t.Fatalf("interp: %v\nmodule %x args %#x", err, p.Wasm, a)
	}
	if !slices.Equal(got.results, want.results) || got.trap != want.trap || got.memory != want.memory ||
		got.pages != want.pages || !slices.Equal(got.globals, want.globals) {
		t.Fatalf("engines disagree\ninterp: %v\nwazero: %v\nmodule %x args %#x", got, want, p.Wasm, a)
	}
	return want
}

func newWazero(t testing.TB) *wazeroengine.Engine {
	ctx := context.Background()
	e, err := wazeroengine.New(ctx, wazeroengine.Config{Compiler: true, MaxMemoryPages: 1024})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close(ctx) })
	return e
}

func TestDifferential(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	e := newWazero(t)
	traps := map[enginetest.Trap]int{}
	for seed := range uint64(n) {
		o := check(t, e, rand.New(rand.NewPCG(seed, 0x5eed)))
		traps[o.trap]++
	}
	t.Logf("%d modules, outcomes: %v", n, traps)
}

func FuzzDifferential(f *testing.F) {
	for _, s := range []string{"", "\x01\x02\x03", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"} {
		f.Add([]byte(s))
	}
	r := rand.New(rand.NewPCG(7, 7))
	for range 20 {
		b := make([]byte, 256+r.IntN(2048))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		check(t, newWazero(t), wasmtest.NewByteChoices(b))
	})
}
