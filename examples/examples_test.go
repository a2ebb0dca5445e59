package examples

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/wasm"
)

// cBuilds are the modules compiled from C, as the Makefile's examples target builds them.
var cBuilds = []struct{ out, asset string }{
	{"common/token_a.wasm", "token_a"},
	{"common/token_b.wasm", "token_b"},
	{"nft/nft.wasm", "nft"},
}

const cSource = "c/token.c"

func cArgs(asset, out string) []string {
	return []string{"--target=wasm32", "-nostdlib", "-O2", `-DASSET_NAME="` + asset + `"`,
		"-Wl,--no-entry", "-Wl,--strip-all", "-o", out, cSource}
}

// files lists the files under the examples folder whose names match pattern.
func files(t *testing.T, pattern string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ok, _ := filepath.Match(pattern, d.Name()); ok && !d.IsDir() {
			out = append(out, filepath.ToSlash(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no %s under examples/", pattern)
	}
	return out
}

func programName(path string) string { return strings.TrimSuffix(filepath.Base(path), ".wasm") }

// TestDeployable: every checked-in module passes the deployment rules, and names (the
// file names without .wasm, under which scenarios deploy them) are unique.
func TestDeployable(t *testing.T) {
	seen := map[string]string{}
	for _, path := range files(t, "*.wasm") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		info, err := program.Check(b, wasm.DefaultLimits())
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		name := programName(path)
		if other, ok := seen[name]; ok {
			t.Errorf("%s and %s deploy under the same name %q", path, other, name)
		}
		seen[name] = path
		t.Logf("%-28s %s  host calls %v", path, info.Hash.Short(), info.HostCalls)
	}
	// Every .wat has its .wasm.
	for _, src := range files(t, "*.wat") {
		if _, err := os.Stat(strings.TrimSuffix(src, ".wat") + ".wasm"); err != nil {
			t.Errorf("%s has no compiled module: %v", src, err)
		}
	}
	// The C token compiled per asset must give distinct programs.
	hashes := map[program.Hash]string{}
	for _, c := range cBuilds {
		b, err := os.ReadFile(c.out)
		if err != nil {
			t.Fatal(err)
		}
		h := program.Of(b)
		if other, ok := hashes[h]; ok {
			t.Errorf("%s and %s have the same program hash", c.out, other)
		}
		hashes[h] = c.out
	}
}

// TestWATReproducible: each .wat compiles with wat2wasm to exactly the checked-in .wasm.
func TestWATReproducible(t *testing.T) {
	tool, err := exec.LookPath("wat2wasm")
	if err != nil {
		t.Skip("wat2wasm not on PATH (Debian package wabt; `make examples` installs it): checked-in .wasm not compared with their .wat sources")
	}
	dir := t.TempDir()
	for _, src := range files(t, "*.wat") {
		out := filepath.Join(dir, "out.wasm")
		if msg, err := exec.Command(tool, src, "-o", out).CombinedOutput(); err != nil {
			t.Errorf("wat2wasm %s: %v\n%s", src, err, msg)
			continue
		}
		compare(t, src, out, strings.TrimSuffix(src, ".wat")+".wasm")
	}
}

// TestCReproducible: the C token compiles with clang to exactly the checked-in modules.
func TestCReproducible(t *testing.T) {
	clang, err := exec.LookPath("clang")
	if err != nil {
		t.Skip("clang not on PATH (Debian packages clang and lld; `make examples` installs them): C modules not compared with their source")
	}
	if _, err := exec.LookPath("wasm-ld"); err != nil {
		t.Skip("wasm-ld not on PATH (Debian package lld): C modules not compared with their source")
	}
	version, _ := exec.Command(clang, "--version").Output()
	dir := t.TempDir()
	for _, c := range cBuilds {
		out := filepath.Join(dir, c.asset+".wasm")
		if msg, err := exec.Command(clang, cArgs(c.asset, out)...).CombinedOutput(); err != nil {
			t.Fatalf("clang %s: %v\n%s", strings.Join(cArgs(c.asset, out), " "), err, msg)
		}
		// Code generation changes between clang versions; the modules were built with 14.
		got, _ := os.ReadFile(out)
		want, _ := os.ReadFile(c.out)
		if !bytes.Equal(got, want) && !regexp.MustCompile(`clang version 14\.`).Match(version) {
			t.Skipf("%s differs from what this clang builds, but the checked-in modules come from clang 14 and this is %s",
				c.out, strings.SplitN(string(version), "\n", 2)[0])
		}
		compare(t, cSource, out, c.out)
	}
}

func compare(t *testing.T, src, built, checkedIn string) {
	t.Helper()
	got, err := os.ReadFile(built)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(checkedIn)
	if err != nil {
		t.Errorf("%s: %v", src, err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s builds to %d bytes that differ from the checked-in %s (%d bytes): run `make examples`",
			src, len(got), checkedIn, len(want))
	}
}

// TestTransactionFiles: every tx*.json is JSON of the transaction file's shape, and the
// programs it names are deployed by its scenario (its own folder and common/).
func TestTransactionFiles(t *testing.T) {
	for _, path := range files(t, "tx*.json") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var tx map[string]any
		if err := json.Unmarshal(b, &tx); err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if err := checkTx(filepath.Dir(path), tx); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func checkTx(dir string, tx map[string]any) error {
	deployed := func(name string) error {
		for _, d := range []string{dir, "common"} {
			if _, err := os.Stat(filepath.Join(d, name+".wasm")); err == nil {
				return nil
			}
		}
		return errors.New("program " + name + " is neither in " + dir + "/ nor in common/")
	}
	for key := range tx {
		switch key {
		case "coordinator", "inputs", "args", "mint", "burn", "fuel":
		default:
			return errors.New("unknown field " + key)
		}
	}
	coord, ok := tx["coordinator"].(string)
	if !ok {
		return errors.New("no coordinator")
	}
	if err := deployed(coord); err != nil {
		return err
	}
	if in, ok := tx["inputs"]; ok {
		list, ok := in.([]any)
		if !ok {
			return errors.New("inputs is not a list")
		}
		for _, x := range list {
			if _, ok := x.(float64); !ok {
				return errors.New("an input is not an id")
			}
		}
	}
	if args, ok := tx["args"]; ok {
		list, ok := args.([]any)
		if !ok {
			return errors.New("args is not a list")
		}
		for _, row := range list {
			switch r := row.(type) {
			case string:
				name, ok := strings.CutPrefix(r, "program:")
				if !ok {
					return errors.New("argument " + r + " is not program:NAME")
				}
				if err := deployed(name); err != nil {
					return err
				}
			case []any:
				if len(r) > 4 {
					return errors.New("an argument row has more than four words")
				}
			default:
				return errors.New("an argument row is neither a list nor a string")
			}
		}
	}
	for _, key := range []string{"mint", "burn"} {
		m, ok := tx[key]
		if !ok {
			continue
		}
		amounts, ok := m.(map[string]any)
		if !ok {
			return errors.New(key + " is not a map")
		}
		for name := range amounts {
			if err := deployed(name); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestInterfaceIDs: the interface ids (ASCII names at 256, see README.md) that a folder's
// programs raise are handled by a coordination script of the same folder, and back.
func TestInterfaceIDs(t *testing.T) {
	re := regexp.MustCompile(`\(data \(i32\.const 256\) "(\w+)"\)`)
	raised := map[string]string{}  // interface@folder -> program
	handled := map[string]string{} // the same, for handlers
	for _, src := range files(t, "*.wat") {
		text, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		m := re.FindSubmatch(text)
		if m == nil {
			continue
		}
		b, err := os.ReadFile(strings.TrimSuffix(src, ".wat") + ".wasm")
		if err != nil {
			t.Fatal(err)
		}
		info, err := program.Check(b, wasm.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		key := string(m[1]) + "@" + filepath.Dir(src)
		switch {
		case slices.Contains(info.HostCalls, "install_handler"):
			handled[key] = src
		case slices.Contains(info.HostCalls, "call_effect_handler"):
			raised[key] = src
		default:
			t.Errorf("%s names interface %s but neither raises nor handles it", src, m[1])
		}
	}
	for key, src := range raised {
		if handled[key] == "" {
			t.Errorf("%s raises %s, which nothing in its folder handles", src, key)
		}
	}
	for key, src := range handled {
		if raised[key] == "" {
			t.Errorf("%s handles %s, which nothing in its folder raises", src, key)
		}
	}
	if len(raised) != 4 {
		t.Errorf("%d interfaces raised, want 4 (Payment, Settle, AllowList, RequireBurn)", len(raised))
	}
}
