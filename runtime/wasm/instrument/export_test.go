package instrument_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	wt "github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/instrument"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
)

func header() []byte { return []byte("\x00asm\x01\x00\x00\x00") }

func globalEntry(t wasm.ValType, mutable bool, init []byte) []byte {
	mut := byte(0)
	if mutable {
		mut = 1
	}
	return wt.Cat([]byte{byte(t), mut}, init, wt.Op(wasm.OpEnd))
}

func export(name string, kind wasm.ExternKind, idx uint32) []byte {
	return wt.Cat(wt.Name(name), []byte{byte(kind)}, wt.Uleb(uint64(idx)))
}

// bumpCode adds 1 to global 2 (i32) and 10 to global 4 (i64).
var bumpCode = func() []byte {
	code := wt.Cat(wt.Uleb(0),
		[]byte{byte(wasm.OpGlobalGet), 2}, wt.I32Const(1), wt.Op(wasm.OpI32Add), []byte{byte(wasm.OpGlobalSet), 2},
		[]byte{byte(wasm.OpGlobalGet), 4}, wt.I64Const(10), wt.Op(wasm.OpI64Add), []byte{byte(wasm.OpGlobalSet), 4},
		wt.Op(wasm.OpEnd))
	return wt.Cat(wt.Uleb(uint64(len(code))), code)
}()

// definedGlobals are globals 2 to 4 of the test modules, after two of another kind or
// imported: a mutable i32, an immutable i64 and a mutable i64.
var definedGlobals = wt.Section(6, wt.Vec(
	globalEntry(wasm.I32, true, wt.I32Const(5)),
	globalEntry(wasm.I64, false, wt.I64Const(7)),
	globalEntry(wasm.I64, true, wt.I64Const(-1))))

// importedGlobals imports a mutable and an immutable global, which ExportGlobals leaves alone.
var importedGlobals = wt.Cat(wt.Section(2, wt.Vec(
	wt.Cat(wt.Name("env"), wt.Name("gi"), []byte{3, byte(wasm.I32), 1}),
	wt.Cat(wt.Name("env"), wt.Name("gc"), []byte{3, byte(wasm.I64), 0}))))

// ownGlobals are two globals of the module's own, standing where importedGlobals do.
var ownGlobals = wt.Section(6, wt.Vec(
	globalEntry(wasm.I32, false, wt.I32Const(1)),
	globalEntry(wasm.I64, false, wt.I64Const(2)),
	globalEntry(wasm.I32, true, wt.I32Const(5)),
	globalEntry(wasm.I64, false, wt.I64Const(7)),
	globalEntry(wasm.I64, true, wt.I64Const(-1))))

var custom = wt.Section(0, wt.Cat(wt.Name("note"), []byte("kept as is")))

func TestExportGlobals(t *testing.T) {
	typ := wt.Section(1, wt.Vec(wt.Cat([]byte{0x60}, wt.Types(), wt.Types())))
	fns := wt.Section(3, wt.Vec(wt.Uleb(0)))
	code := wt.Section(10, wt.Vec(bumpCode))
	for _, tc := range []struct {
		name string
		bin  []byte
		want []wasm.Export // the exports after, in order
	}{
		{
			name: "imported globals skipped",
			bin: wt.Cat(header(), custom, typ, importedGlobals, fns, definedGlobals,
				wt.Section(7, wt.Vec(export("bump", wasm.ExternFunc, 0), export("mine", wasm.ExternGlobal, 2))), code, custom),
			want: []wasm.Export{{Name: "bump", Kind: wasm.ExternFunc}, {Name: "mine", Kind: wasm.ExternGlobal, Index: 2},
				{Name: "__ssprove_global_2", Kind: wasm.ExternGlobal, Index: 2}, {Name: "__ssprove_global_4", Kind: wasm.ExternGlobal, Index: 4}},
		},
		{
			name: "no export section",
			bin:  wt.Cat(header(), typ, fns, ownGlobals, custom, code),
			want: []wasm.Export{{Name: "__ssprove_global_2", Kind: wasm.ExternGlobal, Index: 2}, {Name: "__ssprove_global_4", Kind: wasm.ExternGlobal, Index: 4}},
		},
		{
			name: "no export section, nothing after the globals",
			bin:  wt.Cat(header(), ownGlobals, custom),
			want: []wasm.Export{{Name: "__ssprove_global_2", Kind: wasm.ExternGlobal, Index: 2}, {Name: "__ssprove_global_4", Kind: wasm.ExternGlobal, Index: 4}},
		},
		{
			name: "already exported under the reserved name",
			bin:  wt.Cat(header(), ownGlobals, wt.Section(7, wt.Vec(export("__ssprove_global_4", wasm.ExternGlobal, 4)))),
			want: []wasm.Export{{Name: "__ssprove_global_4", Kind: wasm.ExternGlobal, Index: 4}, {Name: "__ssprove_global_2", Kind: wasm.ExternGlobal, Index: 2}},
		},
		{
			name: "no mutable globals",
			bin:  wt.Cat(header(), wt.Section(6, wt.Vec(globalEntry(wasm.I32, false, wt.I32Const(1))))),
		},
		{
			name: "no globals",
			bin:  wt.Cat(header(), typ, fns, wt.Section(10, wt.Vec([]byte{2, 0, byte(wasm.OpEnd)}))),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := wasm.Load(tc.bin, wasm.DefaultLimits()); err != nil {
				t.Fatalf("test module does not load: %v", err)
			}
			out, err := instrument.ExportGlobals(tc.bin)
			if err != nil {
				t.Fatal(err)
			}
			m, err := wasm.Load(out, wasm.DefaultLimits())
			if err != nil {
				t.Fatalf("output does not load: %v", err)
			}
			var got []wasm.Export
			for _, e := range m.Exports {
				got = append(got, wasm.Export{Name: e.Name, Kind: e.Kind, Index: e.Index})
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("exports %+v, want %+v", got, tc.want)
			}
			// Every section but the export section is as it was, in the same order.
			if a, b := withoutExports(t, tc.bin), withoutExports(t, out); !bytes.Equal(a, b) {
				t.Errorf("sections other than exports changed:\n%x\n%x", a, b)
			}
			again, err := instrument.ExportGlobals(out)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("not idempotent: %v", err)
			}
		})
	}
}

// withoutExports is bin without its export section.
func withoutExports(t *testing.T, bin []byte) []byte {
	t.Helper()
	out := slices.Clone(bin[:8])
	for pos := 8; pos < len(bin); {
		id := bin[pos]
		size, n := uint64(0), 0
		for shift := 0; ; shift += 7 {
			b := bin[pos+1+n]
			n++
			size |= uint64(b&0x7f) << shift
			if b&0x80 == 0 {
				break
			}
		}
		end := pos + 1 + n + int(size)
		if id != 7 {
			out = append(out, bin[pos:end]...)
		}
		pos = end
	}
	return out
}

func TestExportGlobalsRefuses(t *testing.T) {
	taken := wt.Cat(header(), wt.Section(1, wt.Vec(wt.Cat([]byte{0x60}, wt.Types(), wt.Types()))),
		wt.Section(3, wt.Vec(wt.Uleb(0))), ownGlobals,
		wt.Section(7, wt.Vec(export("__ssprove_global_2", wasm.ExternFunc, 0))), wt.Section(10, wt.Vec(bumpCode)))
	if _, err := wasm.Load(taken, wasm.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	for name, bin := range map[string][]byte{
		"empty":            nil,
		"header only":      header()[:6],
		"invalid":          wt.Cat(header(), wt.Section(6, wt.Vec(globalEntry(wasm.I32, true, wt.I64Const(1))))),
		"reserved name":    taken,
		"other global":     wt.Cat(header(), ownGlobals, wt.Section(7, wt.Vec(export("__ssprove_global_2", wasm.ExternGlobal, 4)))),
		"trailing garbage": wt.Cat(header(), ownGlobals, []byte{6}),
	} {
		if _, err := instrument.ExportGlobals(bin); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestExportGlobalsRoundTrip runs a module on wazero after ExportGlobals and on the
// interpreter before, and reads the globals through the new exports.
func TestExportGlobalsRoundTrip(t *testing.T) {
	ctx := context.Background()
	bin := wt.Cat(header(), wt.Section(1, wt.Vec(wt.Cat([]byte{0x60}, wt.Types(), wt.Types()))),
		wt.Section(3, wt.Vec(wt.Uleb(0))), ownGlobals,
		wt.Section(7, wt.Vec(export("bump", wasm.ExternFunc, 0))), wt.Section(10, wt.Vec(bumpCode)))
	out, err := instrument.ExportGlobals(bin)
	if err != nil {
		t.Fatal(err)
	}
	for name, e := range engines(t) {
		inst, err := e.Instantiate(ctx, "", out)
		if err != nil {
			t.Fatal(err)
		}
		defer inst.Close(ctx)
		for _, want := range [][2]uint64{{5, 1<<64 - 1}, {6, 9}, {7, 19}} {
			g2, err2 := inst.Global(instrument.GlobalName(2))
			g4, err4 := inst.Global(instrument.GlobalName(4))
			if err2 != nil || err4 != nil || g2 != want[0] || g4 != want[1] {
				t.Fatalf("%s: globals %d, %d (%v, %v), want %d", name, g2, g4, err2, err4, want)
			}
			if _, err := inst.Call(ctx, "bump"); err != nil {
				t.Fatal(err)
			}
		}
		// The state can be put back, as a snapshot restore would.
		if err := inst.SetGlobal(instrument.GlobalName(2), 100); err != nil {
			t.Fatal(err)
		}
		if _, err := inst.Call(ctx, "bump"); err != nil {
			t.Fatal(err)
		}
		if g2, _ := inst.Global(instrument.GlobalName(2)); g2 != 101 {
			t.Errorf("%s: global 2 is %d after setting 100 and a bump", name, g2)
		}
		if _, err := inst.Global(instrument.GlobalName(3)); err == nil {
			t.Errorf("%s: immutable global 3 exported", name)
		}
	}
}

// TestExportGlobalsPrograms checks on random programs that the exported globals show on
// wazero what the interpreter has in them, and that the programs still run the same.
func TestExportGlobalsPrograms(t *testing.T) {
	ctx := context.Background()
	seeds := 60
	if testing.Short() {
		seeds = 20
	}
	es := engines(t)
	for seed := range uint64(seeds) {
		r := rand.New(rand.NewPCG(seed, 0xe7))
		p := wt.Generate(r)
		out, err := instrument.ExportGlobals(p.Wasm)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		m, err := wasm.Load(p.Wasm, wasm.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		a := wt.Args(r, p.Params)
		cm, err := interp.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		ii, err := cm.Instantiate(ctx, nil, interp.Config{Fuel: bigFuel})
		if err != nil {
			t.Fatal(err)
		}
		wantRes, _, wantErr := ii.Call(ctx, p.Entry, a...)
		for name, e := range es {
			wi, err := e.Instantiate(ctx, "", out)
			if err != nil {
				t.Fatal(err)
			}
			res, err := wi.Call(ctx, p.Entry, a...)
			if (err == nil) != (wantErr == nil) || !slices.Equal(res, wantRes) {
				t.Fatalf("seed %d, %s: %#x, %v; interp %#x, %v", seed, name, res, err, wantRes, wantErr)
			}
			for i, g := range m.Globals {
				if !g.Type.Mutable {
					continue
				}
				got, err := wi.Global(instrument.GlobalName(uint32(i)))
				x, _ := ii.Export(p.Globals[i])
				if err != nil || got != x.Global.Value {
					t.Fatalf("seed %d, %s: global %d is %#x (%v), interp %#x", seed, name, i, got, err, x.Global.Value)
				}
			}
			wi.Close(ctx)
		}
	}
}

func TestGlobalName(t *testing.T) {
	for i, want := range map[uint32]string{0: "__ssprove_global_0", 17: "__ssprove_global_17", 1<<32 - 1: "__ssprove_global_4294967295"} {
		if got := instrument.GlobalName(i); got != want {
			t.Errorf("GlobalName(%d) = %q, want %q", i, got, want)
		}
	}
}
