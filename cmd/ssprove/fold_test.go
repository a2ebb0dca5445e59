package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/accel"
)

// runFold runs ssprove with args and returns the exit status, stdout and
// stderr.
func runFold(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	t.Cleanup(func() { _, _ = accel.Use(accel.Auto) })
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestFoldBenchAndPresetUsage(t *testing.T) {
	chain := nightstream + "test_starstream_tx_export_valid.json"
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"bench fold", []string{"bench", "fold", "--log-size", "8", "--rounds", "1", "--min-time", "1ms"}, 0, "prove fold, R1CS 2^8 (commit ", ""},
		{"bench fold too big", []string{"bench", "fold", "--log-size", "17"}, 2, "", "--log-size 17 out of range 3…16 for fold"},
		{"bench fold too small", []string{"bench", "fold", "--log-size", "2"}, 2, "", "--log-size 2 out of range 3…16 for fold"},
		{"prove unknown preset", []string{"fold", "prove", "--preset", "Babybear", chain, "-o", os.DevNull}, 2, "",
			`unknown --preset "Babybear" (want one of Goldilocks, GoldilocksMerge, GoldilocksTernary, GoldilocksTernaryMerge)`},
		{"verify unknown preset", []string{"fold", "verify", "--preset", "", chain, os.DevNull}, 2, "", `unknown --preset ""`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runFold(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errs, tt.stderr) {
				t.Fatalf("exit %d, want %d; stdout %q, want %q in it; stderr %q, want %q in it", code, tt.code, out, tt.stdout, errs, tt.stderr)
			}
			if code != 0 && strings.Count(errs, "\n") != 1 {
				t.Errorf("error should be one line: %q", errs)
			}
		})
	}
}

// TestFoldPresetRoundTrip proves the valid Nightstream chain under the
// ternary preset, verifies it under the same (named in any case), and
// checks that verifying under another preset fails naming the prover's,
// and that a proof of the default preset is refused under a merge preset.
func TestFoldPresetRoundTrip(t *testing.T) {
	chain := nightstream + "test_starstream_tx_export_valid.json"
	dir := t.TempDir()
	ternary, binary := filepath.Join(dir, "ternary.proof"), filepath.Join(dir, "binary.proof")
	for _, p := range []struct{ preset, file string }{{"GoldilocksTernary", ternary}, {"Goldilocks", binary}} {
		if code, out, errs := runFold(t, "fold", "prove", "--preset", p.preset, chain, "-o", p.file); code != 0 || !strings.Contains(out, "3 steps proved in") || !strings.Contains(out, "with preset "+p.preset+",") {
			t.Fatalf("prove --preset %s: exit %d, stdout %q, stderr %q", p.preset, code, out, errs)
		}
	}
	for _, args := range [][]string{
		{"--preset", "GoldilocksTernary", chain, ternary},
		{"--preset", "goldilocksternary", chain, ternary},
		{chain, binary},
	} {
		if code, out, errs := runFold(t, append([]string{"fold", "verify"}, args...)...); code != 0 || !strings.Contains(out, "3 steps verified in") {
			t.Fatalf("verify %q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{chain, ternary}, "ternary.proof: rejected: a proof of 8 parts per fold (preset GoldilocksTernary), but --preset Goldilocks has k = 12"},
		{[]string{"--preset", "GoldilocksTernaryMerge", chain, ternary}, "(preset GoldilocksTernary), but --preset GoldilocksTernaryMerge has k = 9"},
		{[]string{"--preset", "GoldilocksMerge", chain, binary}, "binary.proof: rejected: a proof of 12 parts per fold (preset Goldilocks), but --preset GoldilocksMerge has k = 13"},
	} {
		code, _, errs := runFold(t, append([]string{"fold", "verify"}, tt.args...)...)
		if code != 1 || !strings.Contains(errs, tt.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("verify %q: exit %d, stderr %q, want exit 1 and %q", tt.args, code, errs, tt.want)
		}
	}
}

// TestFoldPresetFullField folds a chain whose witness holds values anywhere
// in the field: one step of Nightstream's Poseidon2 circuit. The default
// preset (b = 2) cannot embed them and says which preset can; the ternary
// one proves and verifies it.
func TestFoldPresetFullField(t *testing.T) {
	chain := poseidonChain(t)
	proof := filepath.Join(t.TempDir(), "poseidon.proof")
	code, _, errs := runFold(t, "fold", "prove", chain, "-o", proof)
	if code != 1 || !strings.Contains(errs, "need a preset with b = 3, such as --preset GoldilocksTernary") {
		t.Fatalf("prove with b = 2: exit %d, stderr %q", code, errs)
	}
	if code, out, errs := runFold(t, "fold", "prove", "--preset", "GoldilocksTernary", chain, "-o", proof); code != 0 || !strings.Contains(out, "1 steps proved in") {
		t.Fatalf("prove with b = 3: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, out, errs := runFold(t, "fold", "verify", "--preset", "GoldilocksTernary", chain, proof); code != 0 || !strings.Contains(out, ": valid") {
		t.Fatalf("verify: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// poseidonChain writes, in Nightstream's chain form, a chain of one step:
// the R1CS and witness of poseidon2_ic_circuit_batch_1.json, whose one
// public input is the constant 1 and whose state is empty. It returns the
// file's path.
func poseidonChain(t *testing.T) string {
	t.Helper()
	name := nightstream + "poseidon2_ic_circuit_batch_1.json"
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	type matrix struct {
		Entries [][3]json.Number `json:"entries"`
	}
	var in struct {
		NumConstraints int             `json:"num_constraints"`
		NumVariables   int             `json:"num_variables"`
		A              matrix          `json:"matrix_a"`
		B              matrix          `json:"matrix_b"`
		C              matrix          `json:"matrix_c"`
		Witness        [][]json.Number `json:"witness"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(in.Witness) == 0 {
		t.Fatalf("%s: no witness", name)
	}
	z := in.Witness[0]
	chain := map[string]any{
		"metadata": map[string]any{
			"test_name": "poseidon2", "field": "Goldilocks", "modulus": "18446744069414584321",
			"num_steps": 1, "should_fail": false, "failure_reason": nil,
		},
		"ivc_params": map[string]any{
			"y0":        []string{},
			"step_spec": map[string]any{"y_len": 0, "const1_index": 0, "y_step_indices": []int{}, "y_prev_indices": []int{}},
		},
		"steps": []any{map[string]any{
			"step_idx":    0,
			"instruction": "Poseidon2",
			"witness":     map[string]any{"instance": z[:1], "witness": z[1:], "z_full": z},
			"r1cs": map[string]any{
				"num_constraints": in.NumConstraints, "num_variables": in.NumVariables, "num_public_inputs": 1,
				"a_sparse": in.A.Entries, "b_sparse": in.B.Entries, "c_sparse": in.C.Entries,
			},
		}},
	}
	out, err := json.Marshal(chain)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "poseidon2_chain.json")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}
