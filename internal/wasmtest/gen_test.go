package wasmtest

import (
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/runtime/wasm"
)

func TestGenerateLoads(t *testing.T) {
	for seed := range uint64(2000) {
		p := Generate(rand.New(rand.NewPCG(seed, 0)))
		if _, err := wasm.Load(p.Wasm, wasm.DefaultLimits()); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
}

// Fuzz input drives the generator byte by byte; short and empty inputs must work too.
func TestGenerateLoadsFromBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for n := range 500 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		p := Generate(NewByteChoices(b))
		if _, err := wasm.Load(p.Wasm, wasm.DefaultLimits()); err != nil {
			t.Fatalf("%d bytes %x: %v", n, b, err)
		}
	}
}
