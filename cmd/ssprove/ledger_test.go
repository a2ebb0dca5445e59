package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs one ssprove command line, as a separate invocation would: nothing is shared
// between two calls but the ledger's file.
func cli(t *testing.T, want int, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, &out, &errb); code != want {
		t.Fatalf("ssprove %s: exit %d, want %d; stderr: %s", strings.Join(args, " "), code, want, errb.String())
	}
	return out.String() + errb.String()
}

// TestLedgerCLI: a UTXO yielded in one run of ssprove is resumed by the next, on the
// other engine, through the ledger alone; bad input changes nothing.
func TestLedgerCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ledger")
	cli(t, 0, "ledger", "init", dir)
	cli(t, 1, "ledger", "init", dir) // exists
	cli(t, 0, "deploy", "--ledger", dir, "../../examples/counter/counter.wasm", "../../examples/counter/counter_coord.wasm")
	out := cli(t, 0, "tx", "--ledger", dir, "--engine", "wazero", "../../examples/counter/tx1.json")
	if !strings.Contains(out, "created, yielded at v0") {
		t.Fatalf("tx1 output:\n%s", out)
	}
	trace := filepath.Join(t.TempDir(), "trace.json")
	out = cli(t, 0, "tx", "--ledger", dir, "--engine", "interp", "--trace", trace, "../../examples/counter/tx2.json")
	if !strings.Contains(out, "consumed v0, yielded at v1") {
		t.Fatalf("tx2 output:\n%s", out)
	}
	if b, err := os.ReadFile(trace); err != nil || !bytes.Contains(b, []byte(`"call": "yield"`)) {
		t.Fatalf("trace file: %v\n%s", err, b)
	}
	before := cli(t, 0, "ledger", "show", dir)
	bad := filepath.Join(t.TempDir(), "bad.json")
	for _, c := range []struct{ file, content, msg string }{
		{"bad", `{"coordinator": "counter_coord", "inputs": [2, 2]}`, "input listed twice"},
		{"bad", `{"coordinator": "counter_coord", "inputs": [77]}`, "unknown utxo 77"},
		{"bad", `{"coordinator": "nobody"}`, `no program named "nobody"`},
		{"bad", `{"coordinator": `, "bad transaction file"},
	} {
		if err := os.WriteFile(bad, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		if out := cli(t, 1, "tx", "--ledger", dir, bad); !strings.Contains(out, c.msg) {
			t.Errorf("%s: output %q, want %q", c.content, out, c.msg)
		}
	}
	cli(t, 0, "tx", "--ledger", dir, "--dry-run", "../../examples/counter/tx3.json")
	if after := cli(t, 0, "ledger", "show", dir); after != before {
		t.Fatalf("failed or dry-run transactions changed the ledger:\n%s\n%s", before, after)
	}
	out = cli(t, 0, "ledger", "show", dir, "2")
	if !strings.Contains(out, "version 1") || !strings.Contains(out, "datum    2 ") {
		t.Fatalf("ledger show 2:\n%s", out)
	}
	cli(t, 1, "deploy", "--ledger", dir, "../../examples/counter/tx1.json") // not wasm
	cli(t, 2, "tx", "--ledger", dir, "--engine", "v8", "../../examples/counter/tx3.json")
}
