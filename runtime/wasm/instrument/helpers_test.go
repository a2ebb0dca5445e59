package instrument_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"github.com/ssprove/ssprove/internal/enginetest"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/instrument"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
	"github.com/ssprove/ssprove/runtime/wasm/wazeroengine"
)

// outcome is what one call did.
type outcome struct {
	results []uint64
	trap    enginetest.Trap
	fuel    int64 // left: interp's Fuel(), or the metered module's fuel global
	memory  [sha256.Size]byte
	globals []uint64
}

func (o outcome) String() string {
	return fmt.Sprintf("results %#x, trap %v, fuel %d, memory %x, globals %#x", o.results, o.trap, o.fuel, o.memory[:6], o.globals)
}

// call is one call to make: the entry point, its arguments, the exported globals to compare,
// and the host functions both engines get as module "env".
type call struct {
	entry   string
	args    []uint64
	globals []string
	hosts   map[string]host
	// memory says the module has a memory: wazeroengine's Instance.Memory panics on a
	// module without one.
	memory bool
}

// host is a host function, written once for both engines.
type host struct {
	params, results []wasm.ValType
	fn              func(args, results []uint64)
}

func (c call) interpImports() (interp.Imports, error) {
	if len(c.hosts) == 0 {
		return nil, nil
	}
	env := map[string]interp.Extern{}
	for name, h := range c.hosts {
		f, err := interp.NewHostFunction(interp.HostFunc{Params: h.params, Results: h.results,
			Fn: func(_ context.Context, _ *interp.Instance, args, results []uint64) error {
				h.fn(args, results)
				return nil
			}})
		if err != nil {
			return nil, err
		}
		env[name] = interp.Extern{Func: f}
	}
	return interp.Imports{"env": env}, nil
}

func (c call) wazeroHosts() []wazeroengine.HostModule {
	if len(c.hosts) == 0 {
		return nil
	}
	funcs := map[string]wazeroengine.HostFunc{}
	for name, h := range c.hosts {
		funcs[name] = wazeroengine.HostFunc{Params: h.params, Results: h.results,
			Fn: func(_ context.Context, args, results []uint64) error {
				h.fn(args, results)
				return nil
			}}
	}
	return []wazeroengine.HostModule{{Name: "env", Funcs: funcs}}
}

// runInterp calls c on the original module bin with fuel.
func runInterp(bin []byte, c call, fuel uint64) (outcome, error) {
	ctx := context.Background()
	cm, err := interp.Load(bin, wasm.DefaultLimits())
	if err != nil {
		return outcome{}, err
	}
	imports, err := c.interpImports()
	if err != nil {
		return outcome{}, err
	}
	inst, err := cm.Instantiate(ctx, imports, interp.Config{Fuel: fuel})
	if err != nil {
		return outcome{}, err
	}
	var o outcome
	res, _, err := inst.Call(ctx, c.entry, c.args...)
	if err != nil {
		if o.trap, err = enginetest.InterpTrap(err); err != nil {
			return outcome{}, err
		}
	}
	o.results, o.fuel = res, int64(inst.Fuel())
	if mem := inst.Memory(); mem != nil {
		o.memory = sha256.Sum256(mem.Bytes())
	}
	for _, name := range c.globals {
		x, ok := inst.Export(name)
		if !ok || x.Global == nil {
			return outcome{}, fmt.Errorf("interp: no global %q", name)
		}
		o.globals = append(o.globals, x.Global.Value)
	}
	return o, nil
}

// runMetered calls c on the metered module with fuel in its fuel global.
func runMetered(e *wazeroengine.Engine, metered []byte, c call, fuel int64) (outcome, error) {
	ctx := context.Background()
	inst, err := e.Instantiate(ctx, "", metered, c.wazeroHosts()...)
	if err != nil {
		return outcome{}, err
	}
	defer inst.Close(ctx)
	if err := inst.SetGlobal(instrument.FuelExport, uint64(fuel)); err != nil {
		return outcome{}, err
	}
	var o outcome
	res, err := inst.Call(ctx, c.entry, c.args...)
	if err != nil {
		if o.trap, err = enginetest.WazeroTrap(err); err != nil {
			return outcome{}, err
		}
	}
	left, err := inst.Global(instrument.FuelExport)
	if err != nil {
		return outcome{}, err
	}
	o.results, o.fuel = res, int64(left)
	if c.memory {
		o.memory = sha256.Sum256(inst.Memory())
	}
	for _, name := range c.globals {
		v, err := inst.Global(name)
		if err != nil {
			return outcome{}, err
		}
		o.globals = append(o.globals, v)
	}
	return o, nil
}

// agree checks the metering contract between the interpreter's outcome want and the metered
// module's outcome got, both with the same budget.
func agree(want, got outcome) error {
	switch {
	case want.trap == enginetest.None:
		if got.trap != enginetest.None || !slices.Equal(got.results, want.results) || got.fuel != want.fuel ||
			got.memory != want.memory || !slices.Equal(got.globals, want.globals) {
			return errors.New("interp completed, metered did not do the same")
		}
	case got.trap == enginetest.None:
		return errors.New("interp trapped, metered completed")
	case instrument.OutOfFuel(got.fuel):
		// Running out first is allowed whatever interp's trap: charges come earlier.
		if got.trap != enginetest.Unreachable && got.trap != enginetest.DivideByZero {
			return errors.New("out of fuel with a trap the checks do not raise")
		}
	case want.trap == enginetest.OutOfFuel:
		return errors.New("interp ran out of fuel, metered trapped with fuel left")
	case got.trap != want.trap:
		return errors.New("metered trapped on its own, not as interp did")
	}
	return nil
}

// engines are wazero's interpreter and compiler, both of which the metered modules must
// satisfy.
func engines(t testing.TB) map[string]*wazeroengine.Engine {
	t.Helper()
	ctx := context.Background()
	es := map[string]*wazeroengine.Engine{}
	for name, compiler := range map[string]bool{"interpreter": false, "compiler": true} {
		e, err := wazeroengine.New(ctx, wazeroengine.Config{Compiler: compiler})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close(ctx) })
		es[name] = e
	}
	return es
}

// bigFuel is far more than any test module spends.
const bigFuel = 1 << 40

// spent is what c costs the interpreter on bin, up to its end or its own trap.
func spent(bin []byte, c call) (uint64, outcome, error) {
	o, err := runInterp(bin, c, bigFuel)
	if err != nil {
		return 0, o, err
	}
	if o.trap == enginetest.OutOfFuel {
		return 0, o, errors.New("out of fuel with the big budget")
	}
	return bigFuel - uint64(o.fuel), o, nil
}

// budgets are the budgets worth trying for a call that spends total: around the exact
// amount, and a few below, where it runs out at different places.
func budgets(total uint64, pick func(n uint64) uint64) []uint64 {
	bs := []uint64{total, total + 1, total + 1000}
	if total > 1 {
		bs = append(bs, total-1, 1, 1+pick(total-1))
	}
	if total > 20 {
		bs = append(bs, total-10, total/2)
	}
	return bs
}

// checkBudgets meters bin and checks the contract for c at every budget of budgets on every
// engine of es. It returns the number of runs in which the metered module completed.
func checkBudgets(t *testing.T, es map[string]*wazeroengine.Engine, bin []byte, c call, pick func(n uint64) uint64) int {
	t.Helper()
	metered, err := instrument.Meter(bin)
	if err != nil {
		t.Fatalf("Meter: %v\nmodule %x", err, bin)
	}
	m, err := wasm.Load(bin, wasm.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	c.memory = len(m.Memories) > 0
	total, _, err := spent(bin, c)
	if err != nil {
		t.Fatalf("interp: %v\nmodule %x", err, bin)
	}
	completed := 0
	for _, f := range budgets(total, pick) {
		want, err := runInterp(bin, c, f)
		if err != nil {
			t.Fatalf("interp, fuel %d: %v\nmodule %x", f, err, bin)
		}
		for name, e := range es {
			got, err := runMetered(e, metered, c, int64(f))
			if err != nil {
				t.Fatalf("%s, fuel %d: %v\nmodule %x", name, f, err, bin)
			}
			if err := agree(want, got); err != nil {
				t.Fatalf("%s, fuel %d (the call spends %d): %v\ninterp:  %v\nmetered: %v\nmodule %x\nmetered %x",
					name, f, total, err, want, got, bin, metered)
			}
			if got.trap == enginetest.None {
				completed++
			}
		}
	}
	return completed
}
