package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProveVerifyCLI runs the DEX scenario through prove and verify: each
// transaction is proved, then committed, and its proof verifies and prints
// its statement; a changed or truncated proof is rejected; a transaction
// that fails, or whose proof cannot be written, leaves the ledger as it was
// and no proof file.
func TestProveVerifyCLI(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "ledger")
	cli(t, 0, "ledger", "init", dir)
	wasm, err := filepath.Glob("../../examples/common/*.wasm")
	if err != nil {
		t.Fatal(err)
	}
	dex, err := filepath.Glob("../../examples/dex/*.wasm")
	if err != nil {
		t.Fatal(err)
	}
	cli(t, 0, append([]string{"deploy", "--ledger", dir}, append(wasm, dex...)...)...)

	proofs := map[string]string{}
	for _, name := range []string{"tx1", "tx2", "tx3"} {
		proof := filepath.Join(tmp, name+".proof")
		out := cli(t, 0, "prove", "--ledger", dir, "../../examples/dex/"+name+".json", "-o", proof)
		for _, want := range []string{"committed, coordinator", "engine interp", "proving: folding", "proved in", "proof "} {
			if !strings.Contains(out, want) {
				t.Errorf("prove %s: output lacks %q:\n%s", name, want, out)
			}
		}
		proofs[name] = proof
	}
	if out := cli(t, 0, "ledger", "show", dir); !strings.Contains(out, "3 transactions") {
		t.Fatalf("the proved transactions are not committed:\n%s", out)
	}

	out := cli(t, 0, "verify", "--ledger", dir, proofs["tx2"])
	for _, want := range []string{": valid, verified in", "coordinator swap_coord", "consumed v0, yielded", "produced, yielded", "owner 2", "host calls (resume"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify: output lacks %q:\n%s", want, out)
		}
	}
	// Without a ledger the programs go by their hashes.
	if out := cli(t, 0, "verify", proofs["tx1"]); !strings.Contains(out, ": valid") || strings.Contains(out, "dex_setup") {
		t.Errorf("verify without --ledger:\n%s", out)
	}

	data, err := os.ReadFile(proofs["tx3"])
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(tmp, "bad.proof")
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 1
	if err := os.WriteFile(bad, flipped, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := cli(t, 1, "verify", bad); !strings.Contains(out, "bad.proof") {
		t.Errorf("a flipped byte: %s", out)
	}
	if err := os.WriteFile(bad, data[:len(data)-1], 0o644); err != nil {
		t.Fatal(err)
	}
	if out := cli(t, 1, "verify", bad); !strings.Contains(out, "bad proof encoding") {
		t.Errorf("a truncated proof: %s", out)
	}

	// tx4 traps: nothing proved, committed or written.
	before := cli(t, 0, "ledger", "show", dir)
	proof := filepath.Join(tmp, "tx4.proof")
	if out := cli(t, 1, "prove", "--ledger", dir, "../../examples/dex/tx4.json", "-o", proof); !strings.Contains(out, "trap") {
		t.Errorf("prove tx4: %s", out)
	}
	if _, err := os.Stat(proof); !os.IsNotExist(err) {
		t.Errorf("the failed prove left a proof file (%v)", err)
	}
	if after := cli(t, 0, "ledger", "show", dir); after != before {
		t.Errorf("the failed prove changed the ledger:\n%s\nwas\n%s", after, before)
	}
	// tx5 proves, but its proof cannot be written: not committed.
	cli(t, 1, "prove", "--ledger", dir, "../../examples/dex/tx5.json", "-o", filepath.Join(tmp, "no", "such", "tx5.proof"))
	if after := cli(t, 0, "ledger", "show", dir); after != before {
		t.Errorf("a proof that could not be written committed its transaction:\n%s\nwas\n%s", after, before)
	}
}

// TestProveRows proves the counter's transactions, the first in steps of
// the smallest size --rows allows, the second at the size prove chooses:
// both verify.
func TestProveRows(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "ledger")
	cli(t, 0, "ledger", "init", dir)
	cli(t, 0, "deploy", "--ledger", dir, "../../examples/counter/counter.wasm", "../../examples/counter/counter_coord.wasm")
	for _, c := range []struct {
		name  string
		flags []string
		want  string
	}{
		{"tx1", []string{"--rows", "16"}, "2 step(s) of 16 rows"},
		{"tx2", nil, "1 step(s) of 32 rows"},
	} {
		proof := filepath.Join(tmp, c.name+".proof")
		args := append([]string{"prove", "--ledger", dir, "../../examples/counter/" + c.name + ".json", "-o", proof}, c.flags...)
		if out := cli(t, 0, args...); !strings.Contains(out, c.want) {
			t.Errorf("prove %s %v: output lacks %q:\n%s", c.name, c.flags, c.want, out)
		}
		if out := cli(t, 0, "verify", proof); !strings.Contains(out, ": valid") {
			t.Errorf("verify %s:\n%s", c.name, out)
		}
	}
}

func TestProveVerifyUsage(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"prove without -o", []string{"prove", "--ledger", "x", "tx.json"}, 2, "prove needs -o TX.proof"},
		{"prove missing tx", []string{"prove", "--ledger", "x", "no/such.json", "-o", "p"}, 1, "no/such.json"},
		{"prove unsupported rows", []string{"prove", "--ledger", "x", "tx.json", "-o", "p", "--rows", "100"}, 2, "--rows 100: want one of [16 32"},
		{"prove zero rows", []string{"prove", "--ledger", "x", "tx.json", "-o", "p", "--rows", "0"}, 2, "--rows 0: want one of"},
		{"verify without proof", []string{"verify"}, 2, "want 1 argument(s), got 0"},
		{"verify missing proof", []string{"verify", "no/such.proof"}, 1, "no/such.proof"},
		{"verify not a proof", []string{"verify", "../../examples/dex/tx1.json"}, 1, "bad proof encoding"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(context.Background(), tt.args, &out, &errb); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errb.String())
			}
			if lines := strings.Count(errb.String(), "\n"); lines != 1 || !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("stderr %q: want one line with %q", errb.String(), tt.stderr)
			}
		})
	}
}
