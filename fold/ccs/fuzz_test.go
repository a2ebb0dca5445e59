package ccs

import (
	"bytes"
	"errors"
	"testing"
)

// fuzzSeeds adds the tiny documents, fragments of them and the starts of a
// real file (which the fuzzer can close into valid documents).
func fuzzSeeds(f *testing.F, tiny, file string) {
	f.Add([]byte(tiny))
	f.Add([]byte(tiny[:len(tiny)/2]))
	f.Add([]byte("{}"))
	f.Add([]byte("null"))
	f.Add([]byte(`{"num_constraints": 16777216, "num_variables": 16777216}`))
	doc := readTestdata(f, file)
	for _, n := range []int{64, 512, 4096} {
		f.Add(doc[:min(n, len(doc))])
	}
}

// FuzzReadR1CS checks that any input is either rejected with ErrFormat or
// gives a consistent instance whose size the input accounts for, and that
// checking and hashing it neither panics nor misreports.
func FuzzReadR1CS(f *testing.F) {
	fuzzSeeds(f, tinyR1CS, "poseidon2_ic_circuit_batch_1.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		inst, err := ReadR1CS(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error not wrapping ErrFormat: %v", err)
			}
			return
		}
		c := inst.CCS
		if c.NumConstraints()+c.NumVariables() > len(data)/dimBytes {
			t.Fatalf("%d×%d from %d bytes", c.NumConstraints(), c.NumVariables(), len(data))
		}
		nnz := 0
		for _, m := range c.Matrices() {
			nnz += m.NonZeros()
		}
		if nnz > len(data) {
			t.Fatalf("%d entries from %d bytes", nnz, len(data))
		}
		for _, z := range inst.Z {
			if len(z) != c.NumVariables() {
				t.Fatalf("assignment of %d entries for %d variables", len(z), c.NumVariables())
			}
			if err := c.Check(z); err != nil && !errors.Is(err, ErrUnsatisfied) {
				t.Fatalf("Check: %v", err)
			}
		}
		c.Digest()
	})
}

// FuzzReadChain is FuzzReadR1CS for chains: a chain that loads has checks
// that end in a verdict, satisfied, unsatisfied, unlinked or without a
// witness, never in a complaint about its own shape.
func FuzzReadChain(f *testing.F) {
	fuzzSeeds(f, tinyChain, "test_starstream_tx_export_invalid.json")
	f.Add([]byte(tinyPublicChain()))
	f.Add([]byte(bombChain(3, 10)))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadChain(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error not wrapping ErrFormat: %v", err)
			}
			return
		}
		// The distinct structures share the budget; each step's public
		// input and assignment fit its structure.
		dims := 0
		seen := map[*CCS]bool{}
		for i, s := range c.Steps {
			if !seen[s.CCS] {
				seen[s.CCS] = true
				dims += s.CCS.NumConstraints() + s.CCS.NumVariables()
			}
			if len(s.Public) != s.CCS.NumPublic() || (s.Z != nil && len(s.Z) != s.CCS.NumVariables()) {
				t.Fatalf("step %d: x of %d and z of %d for %d public among %d variables", i, len(s.Public), len(s.Z), s.CCS.NumPublic(), s.CCS.NumVariables())
			}
		}
		if dims > len(data)/dimBytes {
			t.Fatalf("%d rows and columns from %d bytes", dims, len(data))
		}
		if err := c.CheckLinks(); err != nil && !errors.Is(err, ErrLink) {
			t.Fatalf("CheckLinks: %v", err)
		}
		if err := c.Check(); err != nil && !errors.Is(err, ErrUnsatisfied) && !errors.Is(err, ErrLink) && !errors.Is(err, ErrNoWitness) {
			t.Fatalf("Check: %v", err)
		}
	})
}
