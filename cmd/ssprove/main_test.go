package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/accel"
)

// nightstream holds the R1CS instances and IVC chains exported by Nightstream.
const nightstream = "../../../shared/testdata/nightstream/"

// i32wasm is a spec-suite module exporting add, div_s and the other i32 operators.
const i32wasm = "../../../shared/testdata/wasm-spec/json/i32.0.wasm"

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring expected on stdout
		stderr string // substring expected in the one-line error
	}{
		{"help", []string{"--help"}, 0, "Usage:", ""},
		{"version", []string{"--version"}, 0, "ssprove version", ""},
		{"info", []string{"info"}, 0, "auto picks", ""},
		{"info go", []string{"--accel", "go", "info"}, 0, "selected  go", ""},
		{"bench field tiny", []string{"bench", "field", "--log-size", "3", "--rounds", "1", "--min-time", "1ms"}, 0, "gnark-crypto", ""},
		{"bench ntt tiny", []string{"--accel=go", "bench", "ntt", "--log-size", "7", "--rounds", "1", "--min-time", "1ms", "--markdown"}, 0, "| forward n=2^7 | go |", ""},
		{"unknown accel", []string{"--accel", "gpu", "info"}, 2, "", `unknown backend "gpu"`},
		{"unavailable accel", []string{"--accel", "cuda", "info"}, 1, "", "cuda: backend not available"},
		{"unknown command", []string{"prove-everything"}, 2, "", "unknown command"},
		{"unknown flag", []string{"info", "--fast"}, 2, "", "unknown flag"},
		{"bench without kind", []string{"bench"}, 2, "", "bench needs one of"},
		{"bench bad kind", []string{"bench", "msm"}, 2, "", `unknown benchmark "msm"`},
		{"bench size too big", []string{"bench", "ntt", "--log-size", "40"}, 2, "", "out of range"},
		{"bench bad size", []string{"bench", "ntt", "--log-size", "x"}, 2, "", "invalid argument"},
		{"bench zero min-time", []string{"bench", "field", "--min-time", "0s"}, 2, "", "--min-time must be positive"},
		{"spectest", []string{"wasm", "spectest", "../../../shared/testdata/wasm-spec/json"}, 0, "0 failed", ""},
		{"spectest wazero", []string{"wasm", "spectest", "--engine", "wazero", "../../../shared/testdata/wasm-spec/json"}, 1, "4 failed", "spectest: 4 commands failed"},
		{"spectest bad engine", []string{"wasm", "spectest", "--engine", "v8", "x"}, 2, "", `unknown --engine "v8"`},
		{"run add", []string{"wasm", "run", i32wasm, "add", "--", "2", "-3"}, 0, "-1\n", "fuel used: 4 of 1000000000"},
		{"run negative without --", []string{"wasm", "run", i32wasm, "add", "2", "-3"}, 2, "", "negative numbers go after --"},
		{"run flags after args", []string{"wasm", "run", i32wasm, "add", "1", "2", "--fuel", "3"}, 1, "", "out of fuel"},
		{"run add wazero", []string{"wasm", "run", "--engine", "wazero", i32wasm, "add", "0xffffffff", "2"}, 0, "1\n", ""},
		{"run trap", []string{"wasm", "run", i32wasm, "div_s", "1", "0"}, 1, "", "integer divide by zero"},
		{"run out of fuel", []string{"wasm", "run", "--fuel", "3", i32wasm, "add", "1", "2"}, 1, "", "out of fuel"},
		{"run bad argument", []string{"wasm", "run", i32wasm, "add", "x", "3"}, 2, "", `"x" is not an i32`},
		{"run argument count", []string{"wasm", "run", i32wasm, "add", "1"}, 2, "", "takes 2 arguments"},
		{"run no such export", []string{"wasm", "run", i32wasm, "nope"}, 1, "", `no exported function "nope"`},
		{"run missing file", []string{"wasm", "run", "no/such.wasm", "f"}, 1, "", "no/such.wasm"},
		{"run bad engine", []string{"wasm", "run", "--engine", "v8", i32wasm, "add"}, 2, "", `unknown --engine "v8"`},
		{"run trace wazero", []string{"wasm", "run", "--engine", "wazero", "--trace", "x.csv", i32wasm, "add", "1", "2"}, 2, "", "--trace needs --engine interp"},
		{"spectest without dir", []string{"wasm", "spectest"}, 2, "", "spectest needs one directory"},
		{"bench sumcheck tiny", []string{"bench", "sumcheck", "--log-size", "4", "--rounds", "1", "--min-time", "1ms"}, 0, "plain Go loop", ""},
		{"bench lookup tiny", []string{"--accel=go", "bench", "lookup", "--log-size", "4", "--rounds", "1", "--min-time", "1ms"}, 0, "memory checking: 2^4 ops", ""},
		{"ccs check r1cs", []string{"ccs", "check", nightstream + "poseidon2_ic_circuit_batch_1.json"}, 0, "344 constraints × 353 variables", ""},
		{"ccs check chain", []string{"ccs", "check", nightstream + "test_starstream_tx_export_valid.json"}, 0, "links: satisfied", ""},
		{"ccs check failing chain", []string{"ccs", "check", nightstream + "test_starstream_tx_export_invalid.json"}, 1, "step 2 YieldResume { utxo_id: 300, output: 42 }: constraint 26 fails", "1 of 4 checks fail"},
		{"ccs check missing file", []string{"ccs", "check", "no/such.json"}, 1, "", "no/such.json"},
		{"ccs check not json", []string{"ccs", "check", i32wasm}, 1, "", "i32.0.wasm"},
		{"ccs check without file", []string{"ccs", "check"}, 2, "", "want 1 argument(s), got 0"},
		{"spectest missing dir", []string{"wasm", "spectest", "no/such/dir"}, 1, "", "no/such/dir"},
		{"fold prove invalid chain", []string{"fold", "prove", nightstream + "test_starstream_tx_export_invalid.json", "-o", os.DevNull}, 1, "", "chain step 2 (YieldResume { utxo_id: 300, output: 42 }): ccs: constraint 26"},
		{"fold prove without -o", []string{"fold", "prove", nightstream + "test_starstream_tx_export_valid.json"}, 2, "", "prove needs -o PROOF"},
		{"fold prove without chain", []string{"fold", "prove", "-o", "x"}, 2, "", "want 1 argument(s), got 0"},
		{"fold verify without proof", []string{"fold", "verify", nightstream + "test_starstream_tx_export_valid.json"}, 2, "", "want 2 argument(s), got 1"},
		{"fold verify not a proof", []string{"fold", "verify", nightstream + "test_starstream_tx_export_valid.json", i32wasm}, 1, "", "malformed proof encoding"},
		{"fold verify missing proof", []string{"fold", "verify", nightstream + "test_starstream_tx_export_valid.json", "no/such.proof"}, 1, "", "no/such.proof"},
		{"fold bad seed", []string{"fold", "prove", "--seed", "abc", nightstream + "test_starstream_tx_export_valid.json", "-o", os.DevNull}, 2, "", "--seed wants 64 hex digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Cleanup(func() { _, _ = accel.Use(accel.Auto) })
			var out, errb bytes.Buffer
			code := run(context.Background(), tt.args, &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errb.String())
			}
			if !strings.Contains(out.String(), tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, out.String())
			}
			if tt.code == 0 {
				if !strings.Contains(errb.String(), tt.stderr) || (tt.stderr == "" && errb.Len() != 0) {
					t.Errorf("stderr on success is %q, want %q", errb.String(), tt.stderr)
				}
				return
			}
			if lines := strings.Count(errb.String(), "\n"); lines != 1 {
				t.Errorf("error should be one line, got %d: %q", lines, errb.String())
			}
			if !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", errb.String(), tt.stderr)
			}
		})
	}
}

func TestEnvBackend(t *testing.T) {
	t.Cleanup(func() { _, _ = accel.Use(accel.Auto) })
	t.Setenv(accel.EnvVar, "nonsense")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"info"}, &out, &errb); code != 2 {
		t.Fatalf("SSPROVE_ACCEL=nonsense: exit %d, want 2 (stderr %q)", code, errb.String())
	}
	if !strings.Contains(errb.String(), accel.EnvVar) {
		t.Errorf("error %q does not name %s", errb.String(), accel.EnvVar)
	}
	t.Setenv(accel.EnvVar, "go")
	out.Reset()
	if code := run(context.Background(), []string{"info"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "selected  go") {
		t.Fatalf("SSPROVE_ACCEL=go: exit %d, output:\n%s", code, out.String())
	}
}

// TestWasmRunTrace checks the CSV that wasm run --trace writes: its header, one line per
// step (which add's fuel counts, every instruction costing 1) and a trap's line.
func TestWasmRunTrace(t *testing.T) {
	for _, tt := range []struct {
		fn, a, b string
		code     int
		rows     int
		last     string // the last line's suffix
	}{
		{"add", "2", "-3", 0, 4, ",4294967295,4294967295,,,,,,,,,,,return,0,"},
		{"div_s", "1", "0", 1, 3, ",1 0,,,,,,,,,,,,,,integer divide by zero"},
	} {
		file := filepath.Join(t.TempDir(), "trace.csv")
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"wasm", "run", "--trace", file, i32wasm, tt.fn, "--", tt.a, tt.b}, &out, &errb); code != tt.code {
			t.Fatalf("%s: exit %d, want %d; stderr: %s", tt.fn, code, tt.code, errb.String())
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		if lines[0]+"\n" != csvTraceHeader {
			t.Errorf("%s: header %q", tt.fn, lines[0])
		}
		if len(lines)-1 != tt.rows {
			t.Fatalf("%s: %d steps, want %d:\n%s", tt.fn, len(lines)-1, tt.rows, data)
		}
		for i, l := range lines[1:] {
			if f := strings.Split(l, ","); len(f) != strings.Count(csvTraceHeader, ",")+1 || f[0] != strconv.Itoa(i) {
				t.Errorf("%s: line %d is %q", tt.fn, i+1, l)
			}
		}
		if !strings.HasSuffix(lines[tt.rows], tt.last) {
			t.Errorf("%s: last step %q, want the suffix %q", tt.fn, lines[tt.rows], tt.last)
		}
		if tt.code == 0 && !strings.Contains(errb.String(), fmt.Sprintf("fuel used: %d of", tt.rows)) {
			t.Errorf("%s: stderr %q does not say %d fuel", tt.fn, errb.String(), tt.rows)
		}
	}
}

// TestFoldProveVerify proves the valid Nightstream chain into a file,
// verifies it, and checks that a corrupted copy, a proof against another
// seed and a truncated copy are rejected with exit status 1.
func TestFoldProveVerify(t *testing.T) {
	chain := nightstream + "test_starstream_tx_export_valid.json"
	proof := filepath.Join(t.TempDir(), "chain.proof")
	fold := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"fold"}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, out, errs := fold("prove", chain, "-o", proof); code != 0 || !strings.Contains(out, "3 steps proved in") {
		t.Fatalf("prove: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, out, errs := fold("verify", chain, proof); code != 0 || !strings.Contains(out, "3 steps verified in") || !strings.Contains(out, ": valid") {
		t.Fatalf("verify: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	seed := strings.Repeat("07", 32)
	if code, _, errs := fold("verify", "--seed", seed, chain, proof); code != 1 || !strings.Contains(errs, "rejected") {
		t.Fatalf("verify under another seed: exit %d, stderr %q", code, errs)
	}

	data, err := os.ReadFile(proof)
	if err != nil {
		t.Fatal(err)
	}
	// A byte in the middle of the folds: a value changed, still decodable.
	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 1
	corrupt := filepath.Join(t.TempDir(), "corrupt.proof")
	if err := os.WriteFile(corrupt, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := fold("verify", chain, corrupt); code != 1 || !strings.Contains(errs, "corrupt.proof") {
		t.Fatalf("corrupted proof: exit %d, stderr %q", code, errs)
	}
	if err := os.WriteFile(corrupt, data[:len(data)-1], 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := fold("verify", chain, corrupt); code != 1 || !strings.Contains(errs, "malformed proof encoding") {
		t.Fatalf("truncated proof: exit %d, stderr %q", code, errs)
	}
}
