package neo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
)

// readR1CS reads a Nightstream R1CS export from the shared test data. A
// missing file fails the test, naming the path: these instances are what
// issue 7 says must fold, so their absence must not pass unnoticed.
func readR1CS(t testing.TB, name string) *ccs.Instance {
	t.Helper()
	path := filepath.Join(nightstreamDir, name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("Nightstream instance %s: %v", path, err)
	}
	defer f.Close()
	inst, err := ccs.ReadR1CS(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(inst.Z) == 0 {
		t.Fatalf("%s: no assignment", path)
	}
	return inst
}

// TestPoseidon2Fold folds each Poseidon2 instance as a run of repeated
// steps with one Prover, checks every fold with one Verifier and decides
// the final accumulator. The instances' values span the whole field, so
// they need b = 3 (fold/NEO.md §1.3); b = 2 is refused.
func TestPoseidon2Fold(t *testing.T) {
	for _, tc := range []struct {
		file         string
		steps, short int // folds, and folds under -short
	}{
		{"poseidon2_ic_circuit_batch_1.json", 16, 16},
		{"poseidon2_ic_circuit_batch_10.json", 16, 4},
	} {
		t.Run(strings.TrimSuffix(tc.file, ".json"), func(t *testing.T) {
			ctx := context.Background()
			inst := readR1CS(t, tc.file)
			s, z := inst.CCS, inst.Z[0]
			if err := s.Check(z); err != nil {
				t.Fatalf("the instance's assignment: %v", err)
			}
			steps := tc.steps
			if testing.Short() && tc.short < steps {
				t.Logf("-short: folding %d of %d steps", tc.short, steps)
				steps = tc.short
			}

			// b = 2 cannot hold the assignment's values: ProveChain refuses
			// the step, naming the value and the base.
			pp2, err := ajtai.Setup(ctx, ajtai.Goldilocks(s.NumVariables()), relSeed())
			if err != nil {
				t.Fatal(err)
			}
			one := &ccs.Chain{Name: tc.file, Steps: []ccs.Step{{Instruction: "poseidon2", CCS: s, Public: clone(z[:s.NumPublic()]), Z: z}}}
			_, _, _, err = ProveChain(ctx, pp2, one)
			var re *decomp.RangeError
			if !errors.Is(err, ErrShape) || !errors.As(err, &re) || re.Base != 2 || !strings.Contains(err.Error(), "base 2") {
				t.Fatalf("b = 2: got %v, want ErrShape with the decomp.RangeError of a value beyond 2^54", err)
			}
			t.Logf("b = 2 refused: %v", err)

			pp, err := ajtai.Setup(ctx, ajtai.GoldilocksTernary(s.NumVariables()), relSeed())
			if err != nil {
				t.Fatal(err)
			}
			Z, err := stepWitness(z, pp.Params().Base)
			if err != nil {
				t.Fatal(err)
			}
			wit := MCSWitness{Z: Z}
			mcs := MCS{C: commitDigits(t, pp, Z), X: clone(z[:s.NumPublic()])}
			p, err := NewProver(pp, s)
			if err != nil {
				t.Fatal(err)
			}
			v, err := NewVerifier(pp, s)
			if err != nil {
				t.Fatal(err)
			}
			var acc, vacc Acc
			var accW AccWitness
			// The first fold carries nothing; the others carry k claims, so
			// they are timed apart.
			var first, proveTime, verifyTime time.Duration
			for i := range steps {
				start := time.Now()
				var proof *FoldProof
				if acc, accW, proof, err = p.Fold(ctx, acc, accW, mcs, wit); err != nil {
					t.Fatalf("fold %d: %v", i, err)
				}
				if i == 0 {
					first = time.Since(start)
				} else {
					proveTime += time.Since(start)
				}
				start = time.Now()
				if vacc, err = v.Fold(vacc, mcs, proof); err != nil {
					t.Fatalf("verify fold %d: %v", i, err)
				}
				verifyTime += time.Since(start)
				if vacc.Digest != acc.Digest {
					t.Fatalf("fold %d: the verifier's digest differs from the prover's", i)
				}
			}
			if err := Decide(ctx, pp, s, vacc, accW); err != nil {
				t.Fatalf("decider: %v", err)
			}
			per := func(d time.Duration, n int) time.Duration {
				return (d / time.Duration(max(n, 1))).Round(time.Microsecond)
			}
			t.Logf("n = %d, m = %d, b = 3, k = %d: %d folds; proved (CheckMCS included) in %v for the first, %v per later fold; verified in %v per fold",
				s.NumConstraints(), s.NumVariables(), pp.Params().K, steps, first.Round(time.Microsecond), per(proveTime, steps-1), per(verifyTime, steps))
		})
	}
}
