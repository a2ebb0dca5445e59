package bench_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/tx"
)

// BenchmarkDEXSwap executes the DEX scenario's first swap (examples/dex/tx2.json: 9
// processes, 111 host calls, an effect) on each engine, against a ledger holding the
// state after the setup transaction. Execution reads the ledger and commits nothing, so
// every iteration is the same transaction; the commit's cost is runtime/ledger's
// BenchmarkApply.
func BenchmarkDEXSwap(b *testing.B) {
	dir := b.TempDir()
	if err := ledger.Init(dir); err != nil {
		b.Fatal(err)
	}
	l, err := ledger.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	mods, err := filepath.Glob("../examples/common/*.wasm")
	if err != nil {
		b.Fatal(err)
	}
	dex, _ := filepath.Glob("../examples/dex/*.wasm")
	if len(mods) == 0 || len(dex) == 0 {
		b.Fatal("no modules under ../examples/common and ../examples/dex")
	}
	for _, f := range append(mods, dex...) {
		bin, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		name := filepath.Base(f)
		if _, err := l.Deploy(name[:len(name)-len(".wasm")], bin); err != nil {
			b.Fatal(err)
		}
	}
	read := func(name string) *tx.Transaction {
		data, err := os.ReadFile(filepath.Join("../examples/dex", name))
		if err != nil {
			b.Fatal(err)
		}
		t, err := tx.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		return t
	}
	ctx := context.Background()
	setup, err := tx.NewExecutor(ctx, tx.Options{Engine: tx.Interp})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := setup.Apply(ctx, l, read("tx1.json")); err != nil {
		b.Fatal(err)
	}
	swap := read("tx2.json")
	for _, e := range []tx.Engine{tx.Wazero, tx.Interp} {
		b.Run(e.String(), func(b *testing.B) {
			x, err := tx.NewExecutor(ctx, tx.Options{Engine: e})
			if err != nil {
				b.Fatal(err)
			}
			defer x.Close(ctx)
			for b.Loop() {
				if _, err := x.Execute(ctx, l, swap); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}
