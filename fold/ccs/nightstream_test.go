package ccs

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// nightstreamDir holds the Nightstream exports, kept outside the project
// (see ../shared/testdata/README.md), relative to this package.
const nightstreamDir = "../../../shared/testdata/nightstream"

// readTestdata returns a Nightstream file's bytes; a missing file fails the
// test naming where it was looked for.
func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	path := filepath.Join(nightstreamDir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		abs, _ := filepath.Abs(path)
		tb.Fatalf("Nightstream test data not found at %s (see shared/testdata/README.md): %v", abs, err)
	}
	return data
}

func loadInstance(tb testing.TB, name string) *Instance {
	tb.Helper()
	inst, err := ReadR1CS(strings.NewReader(string(readTestdata(tb, name))))
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return inst
}

func loadChain(tb testing.TB, name string) *Chain {
	tb.Helper()
	c, err := ReadChain(strings.NewReader(string(readTestdata(tb, name))))
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return c
}

func TestPoseidon2Instances(t *testing.T) {
	digests := map[Digest]string{}
	for _, tc := range []struct {
		file       string
		m, n       int
		nnzA, nnzB int
	}{
		// Shapes and entry counts as the files state them (no duplicate
		// or zero entries in either).
		{"poseidon2_ic_circuit_batch_1.json", 344, 353, 1439, 3629},
		{"poseidon2_ic_circuit_batch_10.json", 3440, 3485, 17270, 44930},
	} {
		t.Run(tc.file, func(t *testing.T) {
			inst := loadInstance(t, tc.file)
			c := inst.CCS
			if c.NumConstraints() != tc.m || c.NumVariables() != tc.n || c.NumPublic() != 1 || c.Degree() != 2 {
				t.Fatalf("%d×%d, %d public, degree %d; want %d×%d, 1 public, degree 2",
					c.NumConstraints(), c.NumVariables(), c.NumPublic(), c.Degree(), tc.m, tc.n)
			}
			ms := c.Matrices()
			if ms[0].NonZeros() != tc.nnzA || ms[1].NonZeros() != tc.nnzB || ms[2].NonZeros() != tc.m {
				t.Fatalf("entries %d, %d, %d; want %d, %d, %d", ms[0].NonZeros(), ms[1].NonZeros(), ms[2].NonZeros(), tc.nnzA, tc.nnzB, tc.m)
			}
			if len(inst.Z) != 1 {
				t.Fatalf("%d assignments, want 1", len(inst.Z))
			}
			if !inst.Z[0][0].IsOne() {
				t.Fatalf("z[0] = %s, want the constant 1", inst.Z[0][0].String())
			}
			if err := c.Check(inst.Z[0]); err != nil {
				t.Fatal(err)
			}
			d := c.Digest()
			if prev, ok := digests[d]; ok {
				t.Fatalf("same digest as %s", prev)
			}
			digests[d] = tc.file
		})
	}
}

// TestPoseidon2FlippedWitness changes every entry of batch 1's assignment
// in turn, by 1 and by a random amount. Every variable of this circuit is
// constrained: each change breaks a constraint, which Check names; the
// named constraint is checked to be the first one failing (recomputed from
// the matrices' entries) and to read the changed variable.
func TestPoseidon2FlippedWitness(t *testing.T) {
	inst := loadInstance(t, "poseidon2_ic_circuit_batch_1.json")
	c, z := inst.CCS, inst.Z[0]
	s := &system{m: c.NumConstraints(), n: c.NumVariables(), terms: c.Terms()}
	reads := make([]map[int]bool, s.m) // the variables each constraint reads
	for i := range reads {
		reads[i] = map[int]bool{}
	}
	for _, m := range c.Matrices() {
		es := slices.Collect(m.Entries())
		s.entries = append(s.entries, es)
		for _, e := range es {
			reads[e.Row][e.Col] = true
		}
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for j := range z {
		for _, d := range []goldilocks.Element{goldilocks.NewElement(1), randNonZero(rng)} {
			zz := slices.Clone(z)
			zz[j].Add(&zz[j], &d)
			var ue *UnsatisfiedError
			if err := c.Check(zz); !errors.As(err, &ue) {
				t.Fatalf("z[%d] += %s: got %v, want an *UnsatisfiedError", j, d.String(), err)
			}
			if want := s.wantCheck(zz); want == nil || *ue != *want {
				t.Fatalf("z[%d] += %s: got %v, want %v", j, d.String(), ue, want)
			}
			if !reads[ue.Row][j] {
				t.Fatalf("z[%d] += %s: constraint %d named, which does not read z[%d]", j, d.String(), ue.Row, j)
			}
		}
	}
}

func TestChainValid(t *testing.T) {
	c := loadChain(t, "test_starstream_tx_export_valid.json")
	if c.ShouldFail || c.FailureReason != "" || c.Name != "test_starstream_tx" {
		t.Fatalf("metadata: %q, should_fail %v, reason %q", c.Name, c.ShouldFail, c.FailureReason)
	}
	if len(c.Steps) != 3 || c.Spec.YLen != 3 || c.Spec.Const1 != 0 ||
		!slices.Equal(c.Spec.YStep, []int{2, 4, 6}) || !slices.Equal(c.Spec.YPrev, []int{1, 3, 5}) {
		t.Fatalf("%d steps, spec %+v", len(c.Steps), c.Spec)
	}
	if want := elements(1, 3, 0); !slices.Equal(c.Y0, want) {
		t.Fatalf("y0 = %v", c.Y0)
	}
	if want := elements(802, 12, 0); !slices.Equal(c.FinalPublicInput, want) {
		t.Fatal("final_snark.public_input differs from the file's [802, 12, 0]")
	}
	for i, s := range c.Steps {
		if s.Index != i || s.CCS.NumConstraints() != 55 || s.CCS.NumVariables() != 48 || s.CCS.NumPublic() != 7 || len(s.Public) != 7 || len(s.Z) != 48 {
			t.Fatalf("step %d: index %d, %d×%d, %d public, x of %d, z of %d", i, s.Index, s.CCS.NumConstraints(), s.CCS.NumVariables(), s.CCS.NumPublic(), len(s.Public), len(s.Z))
		}
		if !slices.Equal(s.Z[:7], s.Public) {
			t.Fatalf("step %d: z does not start with x", i)
		}
		if err := s.Check(); err != nil {
			t.Fatalf("step %d (%s): %v", i, s.Instruction, err)
		}
		// The three steps write one structure: it is built once.
		if s.CCS != c.Steps[0].CCS {
			t.Fatalf("step %d has a CCS of its own", i)
		}
	}
	if err := c.CheckLinks(); err != nil {
		t.Fatal(err)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	// The state the steps pass on: Resume moves it to utxo 400.
	if got, want := stateOf(c, 2, c.Spec.YStep), elements(400, 3, 0); !slices.Equal(got, want) {
		t.Fatal("the last step's y_step differs from the file's [400, 3, 0]")
	}
}

func TestChainInvalid(t *testing.T) {
	c := loadChain(t, "test_starstream_tx_export_invalid.json")
	if !c.ShouldFail {
		t.Fatal("should_fail is false")
	}
	// The file's reason names the step as its step_idx: "Step 2: YieldResume …".
	var failing int
	if _, err := fmt.Sscanf(c.FailureReason, "Step %d:", &failing); err != nil || failing != 2 {
		t.Fatalf("failure_reason %q does not name step 2", c.FailureReason)
	}
	if !strings.HasPrefix(c.Steps[failing].Instruction, "YieldResume") {
		t.Fatalf("step %d executes %q", failing, c.Steps[failing].Instruction)
	}
	for i, s := range c.Steps {
		err := s.Check()
		if i != failing {
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			continue
		}
		// Constraint 26 is the only one the exported assignment breaks; an
		// independent evaluation of the file (Python, over the JSON) finds
		// the same.
		var ue *UnsatisfiedError
		if !errors.As(err, &ue) || ue.Row != 26 || ue.Failing != 1 {
			t.Fatalf("step %d: got %v, want constraint 26 alone failing", i, err)
		}
		t.Logf("step %d (%s): %v", i, s.Instruction, err)
	}
	// The steps link: the failure is inside step 2, not between steps.
	if err := c.CheckLinks(); err != nil {
		t.Fatal(err)
	}
	err := c.Check()
	var ue *UnsatisfiedError
	if !errors.As(err, &ue) || ue.Row != 26 || !strings.Contains(err.Error(), "step 2") {
		t.Fatalf("Check: got %v, want step 2's constraint 26", err)
	}
}

func TestChainLinks(t *testing.T) {
	one := goldilocks.NewElement(1)
	for _, tc := range []struct {
		name        string
		change      func(c *Chain)
		step, index int
	}{
		{"y0", func(c *Chain) { c.Y0[1].Add(&c.Y0[1], &one) }, 0, 1},
		{"step 1 y_prev", func(c *Chain) { x := &c.Steps[1].Public[c.Spec.YPrev[2]]; x.Add(x, &one) }, 1, 2},
		{"step 1 y_step", func(c *Chain) { x := &c.Steps[1].Public[c.Spec.YStep[0]]; x.Add(x, &one) }, 2, 0},
		{"constant", func(c *Chain) { c.Steps[2].Public[c.Spec.Const1].SetZero() }, 2, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := loadChain(t, "test_starstream_tx_export_valid.json")
			tc.change(c)
			var le *LinkError
			err := c.CheckLinks()
			if !errors.As(err, &le) || !errors.Is(err, ErrLink) || le.Step != tc.step || le.Index != tc.index {
				t.Fatalf("got %v, want a link error at step %d, index %d", err, tc.step, tc.index)
			}
		})
	}

	// A spec that does not fit the steps is an error, not a panic.
	for _, change := range []func(c *Chain){
		func(c *Chain) { c.Spec.YPrev[0] = 7 },
		func(c *Chain) { c.Spec.Const1 = -1 },
		func(c *Chain) { c.Spec.YLen = 2 },
		func(c *Chain) { c.Y0 = c.Y0[:2] },
	} {
		c := loadChain(t, "test_starstream_tx_export_valid.json")
		change(c)
		if err := c.CheckLinks(); !errors.Is(err, ErrStructure) {
			t.Errorf("got %v, want ErrStructure", err)
		}
	}
}

func stateOf(c *Chain, step int, idx []int) []goldilocks.Element {
	s := make([]goldilocks.Element, len(idx))
	for k, i := range idx {
		s[k] = c.Steps[step].Public[i]
	}
	return s
}

func elements(vs ...uint64) []goldilocks.Element {
	es := make([]goldilocks.Element, len(vs))
	for i, v := range vs {
		es[i].SetUint64(v)
	}
	return es
}

// tinyR1CS is x·x = y with x = 3: a valid document in the Poseidon2 form.
const tinyR1CS = `{"num_constraints": 1, "num_variables": 3,
 "matrix_a": {"rows": 1, "cols": 3, "entries": [[0, 1, 1]]},
 "matrix_b": {"rows": 1, "cols": 3, "entries": [[0, 1, "1"]]},
 "matrix_c": {"rows": 1, "cols": 3, "entries": [[0, 2, 1]]},
 "witness": [[1, 3, 9], ["1", "18446744069414584320", "1"]]}`

// tinyChain is two steps of the state machine y' = y + 1 (state z[1] → z[2],
// constraint (z[1] + 1)·1 = z[2]), a valid document in the chain form.
const tinyChain = `{
 "metadata": {"test_name": "tiny", "field": "Goldilocks", "modulus": "18446744069414584321",
  "num_steps": 2, "should_fail": false, "failure_reason": null},
 "ivc_params": {"y0": ["5"], "step_spec": {"y_len": 1, "const1_index": 0, "y_step_indices": [2], "y_prev_indices": [1]}},
 "steps": [
  {"step_idx": 0, "instruction": "Inc",
   "witness": {"instance": ["1", "5", "6"], "witness": ["0"], "z_full": ["1", "5", "6", "0"]},
   "r1cs": {"num_constraints": 1, "num_variables": 4, "num_public_inputs": 3,
    "a_sparse": [[0, 0, "1"], [0, 1, "1"]], "b_sparse": [[0, 0, "1"]], "c_sparse": [[0, 2, "1"]]}},
  {"step_idx": 1, "instruction": "Inc",
   "witness": {"instance": ["1", "6", "7"], "witness": ["0"], "z_full": ["1", "6", "7", "0"]},
   "r1cs": {"num_constraints": 1, "num_variables": 4, "num_public_inputs": 3,
    "a_sparse": [[0, 0, "1"], [0, 1, "1"]], "b_sparse": [[0, 0, "1"]], "c_sparse": [[0, 2, "1"]]}}],
 "final_snark": {"witness": [], "public_input": ["7"], "num_constraints": 1}}`

// tinyPublicChain is tinyChain as a verifier holds it, without witness
// and z_full.
func tinyPublicChain() string {
	return strings.NewReplacer(
		`, "witness": ["0"], "z_full": ["1", "5", "6", "0"]`, ``,
		`, "witness": ["0"], "z_full": ["1", "6", "7", "0"]`, ``,
	).Replace(tinyChain)
}

func TestReadTiny(t *testing.T) {
	inst, err := ReadR1CS(strings.NewReader(tinyR1CS))
	if err != nil {
		t.Fatal(err)
	}
	if err := inst.CCS.Check(inst.Z[0]); err != nil {
		t.Fatal(err)
	}
	// (−1)·(−1) = 1: the second assignment, in decimal strings, holds too.
	if err := inst.CCS.Check(inst.Z[1]); err != nil {
		t.Fatal(err)
	}
	c, err := ReadChain(strings.NewReader(tinyChain))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	if len(c.Steps) != 2 || !slices.Equal(c.FinalPublicInput, elements(7)) || c.FailureReason != "" {
		t.Fatalf("%d steps, final %v, reason %q", len(c.Steps), c.FinalPublicInput, c.FailureReason)
	}
	if c.Steps[0].CCS != c.Steps[1].CCS {
		t.Fatal("the steps' identical r1cs gave two structures")
	}
	c, err = ReadChain(strings.NewReader(tinyPublicChain()))
	if err != nil {
		t.Fatal(err)
	}
	if c.Steps[1].Z != nil || !slices.Equal(c.Steps[1].Public, elements(1, 6, 7)) {
		t.Fatalf("step 1 without witness: z %v, x %v", c.Steps[1].Z, c.Steps[1].Public)
	}
	if err := c.CheckLinks(); err != nil {
		t.Fatal(err)
	}
}

// TestReadRejects edits the tiny documents into malformed ones; each must
// be rejected with an error wrapping ErrFormat that names the place.
func TestReadRejects(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, where string
	}{
		{"value = q", `[0, 2, 1]]}`, `[0, 2, 18446744069414584321]]}`, "matrix_c.entries[0] value"},
		{"value ≥ 2^64", `[0, 2, 1]]}`, `[0, 2, 18446744073709551616]]}`, "matrix_c.entries[0] value"},
		{"negative value", `[0, 2, 1]]}`, `[0, 2, -1]]}`, "matrix_c.entries[0] value"},
		{"fractional value", `[0, 2, 1]]}`, `[0, 2, 1.0]]}`, "matrix_c.entries[0] value"},
		{"value in hex", `[0, 1, "1"]`, `[0, 1, "0x1"]`, "matrix_b.entries[0] value"},
		{"null value", `[0, 1, "1"]`, `[0, 1, null]`, "matrix_b.entries[0] value"},
		{"row out of range", `[[0, 1, 1]]`, `[[1, 1, 1]]`, "matrix_a.entries[0] row"},
		{"col out of range", `[[0, 1, 1]]`, `[[0, 3, 1]]`, "matrix_a.entries[0] col"},
		{"pair", `[[0, 1, 1]]`, `[[0, 1]]`, "matrix_a.entries[0]"},
		{"quadruple", `[[0, 1, 1]]`, `[[0, 1, 1, 1]]`, "matrix_a.entries[0]"},
		{"rows disagree", `"rows": 1, "cols": 3, "entries": [[0, 2`, `"rows": 2, "cols": 3, "entries": [[0, 2`, "matrix_c.rows"},
		{"cols disagree", `"rows": 1, "cols": 3, "entries": [[0, 1, 1]]`, `"rows": 1, "cols": 4, "entries": [[0, 1, 1]]`, "matrix_a.cols"},
		{"matrix missing", `"matrix_b"`, `"matrix_x"`, "matrix_b missing"},
		{"count missing", `"num_variables"`, `"num_vars"`, "num_variables missing"},
		{"short witness", `[1, 3, 9]`, `[1, 3]`, "witness[0]"},
		{"witness value ≥ q", `"18446744069414584320"`, `"18446744069414584321"`, "witness[1][1]"},
		{"huge dimension", `"num_constraints": 1`, `"num_constraints": 16777217`, "num_constraints"},
		{"dimension beyond the input", `"num_constraints": 1`, `"num_constraints": 100000`, "num_constraints"},
		{"syntax", `"witness": [[`, `"witness": [[[`, "ReadR1CS"},
	} {
		doc := strings.Replace(tinyR1CS, tc.old, tc.new, 1)
		if doc == tinyR1CS {
			t.Fatalf("%s: edit %q not found", tc.name, tc.old)
		}
		_, err := ReadR1CS(strings.NewReader(doc))
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.where) {
			t.Errorf("%s: got %v, want ErrFormat naming %q", tc.name, err, tc.where)
		}
	}

	for _, tc := range []struct {
		name, old, new, where string
	}{
		{"field", `"Goldilocks"`, `"BabyBear"`, "metadata"},
		{"modulus", `"18446744069414584321"`, `"2013265921"`, "metadata"},
		{"num_steps", `"num_steps": 2`, `"num_steps": 3`, "num_steps"},
		{"step_idx", `"step_idx": 1`, `"step_idx": 0`, "steps[1].step_idx"},
		{"y0 length", `"y0": ["5"]`, `"y0": ["5", "1"]`, "y_len"},
		{"y_prev length", `"y_prev_indices": [1]`, `"y_prev_indices": [1, 2]`, "y_len"},
		{"state index", `"y_step_indices": [2]`, `"y_step_indices": [4]`, "steps[0]: step_spec.y_step_indices[0] = 4 is not a public input"},
		{"private state", `"y_prev_indices": [1]`, `"y_prev_indices": [3]`, "steps[0]: step_spec.y_prev_indices[0] = 3 is not a public input"},
		{"private constant", `"const1_index": 0`, `"const1_index": 3`, "steps[0]: step_spec.const1_index = 3 is not a public input"},
		{"public in step 1 only", `"num_public_inputs": 3,
    "a_sparse": [[0, 0, "1"], [0, 1, "1"]], "b_sparse": [[0, 0, "1"]], "c_sparse": [[0, 2, "1"]]}}]`, `"num_public_inputs": 2,
    "a_sparse": [[0, 0, "1"], [0, 1, "1"]], "b_sparse": [[0, 0, "1"]], "c_sparse": [[0, 2, "1"]]}}]`, "steps[1]: step_spec.y_step_indices[0] = 2 is not a public input"},
		{"witness without z_full", `, "z_full": ["1", "5", "6", "0"]`, ``, "steps[0].witness: witness and z_full come together"},
		{"z_full without witness", `"witness": ["0"], `, ``, "steps[0].witness: witness and z_full come together"},
		{"instance missing", `"instance": ["1", "5", "6"], `, ``, "steps[0]: witness.instance missing"},
		{"short instance", `"instance": ["1", "5", "6"]`, `"instance": ["1", "5"]`, "steps[0].witness.instance has 2 entries, want 3"},
		{"long witness", `"witness": ["0"], "z_full": ["1", "6"`, `"witness": ["0", "0"], "z_full": ["1", "6"`, "steps[1].witness.witness has 2 entries, want num_variables − num_public_inputs = 1"},
		{"witness value", `"witness": ["0"]`, `"witness": ["zero"]`, "steps[0].witness.witness[0]"},
		{"instance not a list", `"instance": ["1", "5", "6"]`, `"instance": {"x": 1}`, "steps[0].witness.instance = "},
		{"instruction not a string", `"step_idx": 1, "instruction": "Inc"`, `"step_idx": 1, "instruction": 5`, "steps[1]: "},
		{"entries not a list", `"b_sparse": [[0, 0, "1"]]`, `"b_sparse": "x"`, "steps[0].r1cs.b_sparse = "},
		{"entry not a list", `"b_sparse": [[0, 0, "1"]]`, `"b_sparse": [0]`, "steps[0].r1cs.b_sparse[0]"},
		{"nested value", `"b_sparse": [[0, 0, "1"]]`, `"b_sparse": [[0, 0, ["1"]]]`, "steps[0].r1cs.b_sparse[0] value"},
		{"z_full ≠ instance‖witness", `"z_full": ["1", "6", "7", "0"]`, `"z_full": ["1", "6", "7", "1"]`, "steps[1].witness: z_full[3]"},
		{"z_full length", `"z_full": ["1", "5", "6", "0"]`, `"z_full": ["1", "5", "6"]`, "steps[0].witness"},
		{"public count", `"num_public_inputs": 3,
    "a_sparse": [[0, 0, "1"], [0, 1, "1"]], "b_sparse": [[0, 0, "1"]], "c_sparse": [[0, 2, "1"]]}}]`, `"num_public_inputs": 5,
    "a_sparse": [[0, 0, "1"], [0, 1, "1"]], "b_sparse": [[0, 0, "1"]], "c_sparse": [[0, 2, "1"]]}}]`, "steps[1].r1cs.num_public_inputs"},
		{"entry", `"c_sparse": [[0, 2, "1"]]}},`, `"c_sparse": [[0, 4, "1"]]}},`, "steps[0].r1cs.c_sparse[0] col"},
		{"y0 value", `"y0": ["5"]`, `"y0": ["18446744069414584321"]`, "ivc_params.y0[0]"},
		{"final value", `"public_input": ["7"]`, `"public_input": ["x"]`, "final_snark.public_input[0]"},
		{"metadata missing", `"metadata"`, `"meta"`, "metadata missing"},
		{"step_spec missing", `"step_spec"`, `"spec"`, "step_spec missing"},
		{"r1cs missing", `"r1cs"`, `"r1"`, "steps[0]: r1cs missing"},
		{"dimensions beyond the input", `"num_constraints": 1`, `"num_constraints": 10000`, "steps[0].r1cs.num_constraints = 10000"},
	} {
		doc := strings.Replace(tinyChain, tc.old, tc.new, 1)
		if doc == tinyChain {
			t.Fatalf("%s: edit %q not found", tc.name, tc.old)
		}
		_, err := ReadChain(strings.NewReader(doc))
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.where) {
			t.Errorf("%s: got %v, want ErrFormat naming %q", tc.name, err, tc.where)
		}
	}
}

func BenchmarkReadR1CS(b *testing.B) {
	data := readTestdata(b, "poseidon2_ic_circuit_batch_10.json")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadR1CS(strings.NewReader(string(data))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	inst := loadInstance(b, "poseidon2_ic_circuit_batch_10.json")
	nnz := 0
	for _, m := range inst.CCS.Matrices() {
		nnz += m.NonZeros()
	}
	for b.Loop() {
		if err := inst.CCS.Check(inst.Z[0]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(nnz)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

func BenchmarkDigest(b *testing.B) {
	inst := loadInstance(b, "poseidon2_ic_circuit_batch_10.json")
	nnz := 0
	for _, m := range inst.CCS.Matrices() {
		nnz += m.NonZeros()
	}
	for b.Loop() {
		// A fresh CCS each time: Digest caches its value.
		c, err := New(inst.CCS.NumPublic(), inst.CCS.Matrices(), inst.CCS.Terms())
		if err != nil {
			b.Fatal(err)
		}
		c.Digest()
	}
	b.ReportMetric(float64(nnz)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

// bombChain is a chain of k steps that each claim numConstraints empty
// rows: a few dozen bytes per step asking for much memory.
func bombChain(k, numConstraints int) string {
	return bombChainOf(k, func(int) int { return numConstraints })
}

// bombChainOf is bombChain with step i claiming numConstraints(i) rows.
func bombChainOf(k int, numConstraints func(i int) int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"metadata":{"test_name":"x","field":"Goldilocks","modulus":"18446744069414584321","num_steps":%d},`+
		`"ivc_params":{"y0":[],"step_spec":{"y_len":0,"const1_index":0,"y_step_indices":[],"y_prev_indices":[]}},"steps":[`, k)
	for i := range k {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"step_idx":%d,"witness":{"instance":["1"],"witness":[],"z_full":["1"]},`+
			`"r1cs":{"num_constraints":%d,"num_variables":1,"num_public_inputs":1,"a_sparse":[],"b_sparse":[],"c_sparse":[]}}`, i, numConstraints(i))
	}
	b.WriteString(`]}`)
	return b.String()
}

// zerosR1CS is an R1CS of n variables and no constraints with one
// assignment of n zeros: two bytes of input per value.
func zerosR1CS(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"num_constraints": 0, "num_variables": %d,`, n)
	for _, name := range []string{"a", "b", "c"} {
		fmt.Fprintf(&b, `"matrix_%s": {"rows": 0, "cols": %d, "entries": []},`, name, n)
	}
	b.WriteString(`"witness": [[`)
	b.WriteString(strings.Repeat("0,", n-1))
	b.WriteString(`0]]}`)
	return b.String()
}

// entriesR1CS is a 1×1 R1CS whose matrix A lists n entries, each the
// shortest an entry can be written.
func entriesR1CS(n int) string {
	return `{"num_constraints": 1, "num_variables": 1,
 "matrix_a": {"rows": 1, "cols": 1, "entries": [` + strings.Repeat("[0,0,1],", n-1) + `[0,0,1]]},
 "matrix_b": {"rows": 1, "cols": 1, "entries": []},
 "matrix_c": {"rows": 1, "cols": 1, "entries": []},
 "witness": []}`
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestReadAllocations reads files that claim much for their size: steps
// claiming rows the file cannot back, each alone or spread over distinct
// structures; steps sharing one structure; long lists of the shortest values
// and entries. Whether such a file loads or is rejected, reading it must
// allocate at most a small multiple of its size.
func TestReadAllocations(t *testing.T) {
	const maxRatio = 64
	// Each chain's budget is at most that of its document with every count
	// 0, which only grows as the counts are written in.
	const k = 100
	budget := len(bombChain(k, 0)) / dimBytes
	n := 1 << 16
	for _, tc := range []struct {
		name  string
		doc   string
		chain bool
		where string // where a rejection names, "" when the file loads
	}{
		{"each step claims the file's size", bombChain(k, len(bombChain(k, 1_000_000))), true, "steps[0].r1cs.num_constraints"},
		// Distinct structures (no two steps claim as many rows) that
		// together spend nearly the whole budget.
		{"the steps share the budget", bombChainOf(k, func(i int) int { return i * (2 * (budget - k) / k) / k }), true, ""},
		{"the steps overdraw the budget", bombChainOf(k, func(i int) int { return 2*budget/k - i }), true, "].r1cs.num_constraints"},
		{"one structure for all steps", bombChain(k, budget-2), true, ""},
		{"zero values", zerosR1CS(n), false, ""},
		{"short entries", entriesR1CS(n), false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			read := func() {
				if tc.chain {
					_, err = ReadChain(strings.NewReader(tc.doc))
				} else {
					_, err = ReadR1CS(strings.NewReader(tc.doc))
				}
			}
			n := allocated(read)
			switch {
			case tc.where == "" && err != nil:
				t.Fatal(err)
			case tc.where != "" && (!errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.where)):
				t.Fatalf("got %v, want ErrFormat naming %q", err, tc.where)
			}
			ratio := float64(n) / float64(len(tc.doc))
			t.Logf("%d bytes allocated for %d of input: %.1f× (%v)", n, len(tc.doc), ratio, err)
			if ratio > maxRatio {
				t.Fatalf("%d bytes allocated for %d of input: %.1f×, more than %d×", n, len(tc.doc), ratio, maxRatio)
			}
		})
	}
}

// TestChainWithoutWitness loads the valid chain stripped of every step's
// witness and z_full, as a verifier would hold it: the links check from the
// public inputs alone, and Check reports the missing witness.
func TestChainWithoutWitness(t *testing.T) {
	dec := json.NewDecoder(strings.NewReader(string(readTestdata(t, "test_starstream_tx_export_valid.json"))))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc["steps"].([]any) {
		w := s.(map[string]any)["witness"].(map[string]any)
		delete(w, "witness")
		delete(w, "z_full")
	}
	stripped, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ReadChain(strings.NewReader(string(stripped)))
	if err != nil {
		t.Fatal(err)
	}
	full := loadChain(t, "test_starstream_tx_export_valid.json")
	for i, s := range c.Steps {
		if s.Z != nil || !slices.Equal(s.Public, full.Steps[i].Public) || s.CCS.Digest() != full.Steps[i].CCS.Digest() {
			t.Fatalf("step %d: z of %d, x %v, want no z, x %v and the full chain's structure", i, len(s.Z), s.Public, full.Steps[i].Public)
		}
	}
	if err := c.CheckLinks(); err != nil {
		t.Fatal(err)
	}
	if err := c.Check(); !errors.Is(err, ErrNoWitness) || !strings.Contains(err.Error(), "step 0") {
		t.Fatalf("Check: got %v, want ErrNoWitness naming step 0", err)
	}
	// The public inputs still carry the links: a broken one is found.
	one := goldilocks.NewElement(1)
	x := &c.Steps[2].Public[c.Spec.YPrev[0]]
	x.Add(x, &one)
	var le *LinkError
	if err := c.CheckLinks(); !errors.As(err, &le) || le.Step != 2 || le.Index != 0 {
		t.Fatalf("CheckLinks after changing step 2's y_prev[0]: got %v", err)
	}
}

// TestStepCheck checks that a step's assignment must extend its public
// input: a verifier links the public inputs, so the satisfied assignment
// must be the one they belong to.
func TestStepCheck(t *testing.T) {
	c := loadChain(t, "test_starstream_tx_export_valid.json")
	s := c.Steps[0]
	s.Public = slices.Clone(s.Public)
	s.Public[1].SetUint64(12345)
	if err := s.Check(); !errors.Is(err, ErrStructure) {
		t.Fatalf("Check of a z not extending x: got %v, want ErrStructure", err)
	}
	s.Public = s.Public[:6]
	if err := s.Check(); !errors.Is(err, ErrStructure) {
		t.Fatalf("Check of a short x: got %v, want ErrStructure", err)
	}
	if err := (&Step{}).Check(); !errors.Is(err, ErrStructure) {
		t.Fatalf("Check of a step without a CCS: got %v, want ErrStructure", err)
	}
}
