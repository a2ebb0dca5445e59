package instrument_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	wt "github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/instrument"
)

// seedModules are valid modules of every shape the tests know, and their instrumented forms.
func seedModules(f *testing.F) [][]byte {
	f.Helper()
	bins := [][]byte{nil, header(), wt.FNV([]byte("seed")).Bytes(), wt.Sort([]int32{3, 1, 2}).Bytes(),
		wt.Cat(header(), custom, ownGlobals, custom)}
	for _, tc := range meterCases {
		bins = append(bins, tc.mod.Bytes())
	}
	for seed := range uint64(8) {
		bins = append(bins, wt.Generate(rand.New(rand.NewPCG(seed, 0xf022))).Wasm)
	}
	for _, b := range bins[:len(bins):len(bins)] {
		if m, err := instrument.Meter(b); err == nil {
			bins = append(bins, m)
		}
		if g, err := instrument.ExportGlobals(b); err == nil {
			bins = append(bins, g)
		}
	}
	return bins
}

// fuzzRewrite checks a rewriting function on arbitrary bytes: it must not panic, must refuse
// what wasm.Load refuses, and must turn what wasm.Load accepts into something it accepts,
// unless the rewrite would pass a limit or the module uses a reserved name.
func fuzzRewrite(f *testing.F, rewrite func([]byte) ([]byte, error)) {
	for _, b := range seedModules(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, bin []byte) {
		out, err := rewrite(bin)
		if _, loadErr := wasm.Load(bin, wasm.DefaultLimits()); loadErr != nil {
			if err == nil {
				t.Fatalf("accepted a module wasm.Load refuses (%v)", loadErr)
			}
			return
		}
		if errors.Is(err, instrument.ErrLimit) || errors.Is(err, instrument.ErrReserved) {
			return
		}
		if err != nil {
			t.Fatalf("refused a valid module: %v", err)
		}
		if _, err := wasm.Load(out, wasm.DefaultLimits()); err != nil {
			t.Fatalf("output does not load: %v\ninput %x\noutput %x", err, bin, out)
		}
	})
}

func FuzzExportGlobals(f *testing.F) { fuzzRewrite(f, instrument.ExportGlobals) }

func FuzzMeter(f *testing.F) { fuzzRewrite(f, instrument.Meter) }

// FuzzMeterDifferential generates a program from the fuzz input and checks the metering
// contract on it, as TestMeterDifferential does for fixed seeds.
func FuzzMeterDifferential(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("a program with some choices in it, enough for a few statements"))
	es := engines(f)
	f.Fuzz(func(t *testing.T, choices []byte) {
		c := wt.NewByteChoices(choices)
		p := wt.Generate(c)
		r := rand.New(rand.NewPCG(uint64(len(choices)), 1))
		checkBudgets(t, es, p.Wasm, call{entry: p.Entry, args: wt.Args(c, p.Params), globals: p.Globals},
			func(n uint64) uint64 { return r.Uint64N(n) })
	})
}
