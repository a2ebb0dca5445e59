package spectest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The fakes read a module's "bytes" as a word saying how it behaves, so each rule
// can be tested without a decoder: "ok" loads and instantiates, "float" uses an
// unsupported feature, "trap" and "unlink" load but fail to instantiate, anything
// else is malformed.

type unsupportedError struct{ feature string }

func (e *unsupportedError) Error() string { return "unsupported feature: " + e.feature }

func fakeLoad(wasm []byte) error {
	switch string(wasm) {
	case "ok", "trap", "unlink":
		return nil
	case "float":
		return &unsupportedError{"floats"}
	}
	return errors.New("malformed")
}

func fakeUnsupported(err error) (string, bool) {
	var u *unsupportedError
	if errors.As(err, &u) {
		return u.feature, true
	}
	return "", false
}

// fakeImports says every module imports from "M", which only matters once a
// register of "M" was skipped.
func fakeImports([]byte) []string { return []string{"M"} }

type fakeEngine struct{}

func (fakeEngine) NewStore() (Store, error) { return &fakeStore{}, nil }

type fakeStore struct{ registered []string }

func (s *fakeStore) Instantiate(_ context.Context, wasm []byte) (Instance, error) {
	switch string(wasm) {
	case "trap":
		return nil, fmt.Errorf("start function: %w", ErrTrap)
	case "unlink":
		return nil, errors.New("unknown import")
	}
	return fakeInstance{}, nil
}

func (s *fakeStore) Register(as string, _ Instance) error {
	s.registered = append(s.registered, as)
	return nil
}

func (s *fakeStore) Close() error { return nil }

type fakeInstance struct{}

func (fakeInstance) Invoke(_ context.Context, field string, args []uint64) ([]uint64, error) {
	switch field {
	case "add":
		// Garbage in the high bits of an i32 result must be ignored.
		return []uint64{0xdead_0000_0000_0000 | (args[0]+args[1])&0xffff_ffff}, nil
	case "trap":
		return nil, fmt.Errorf("unreachable: %w", ErrTrap)
	case "deep":
		return nil, fmt.Errorf("depth 10000: %w", ErrExhaustion)
	}
	return nil, fmt.Errorf("no export %q", field)
}

func (fakeInstance) Get(field string) (uint64, error) {
	if field == "g" {
		return 42, nil
	}
	return 0, fmt.Errorf("no global %q", field)
}

// runCommands writes a script of the given commands beside module files holding
// their own names' first word ("ok.wasm" holds "ok"), runs it and returns the outcomes.
func runCommands(t *testing.T, engine Engine, commands string) []Outcome {
	t.Helper()
	dir := t.TempDir()
	for _, w := range []string{"ok", "float", "trap", "unlink", "bad"} {
		if err := os.WriteFile(filepath.Join(dir, w+".wasm"), []byte(w), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "t.json")
	script := `{"source_filename": "t.wast", "commands": [` + commands + `]}`
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := RunFile(path, Config{Load: fakeLoad, Engine: engine, Unsupported: fakeUnsupported, Imports: fakeImports})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]Outcome, len(res.Results))
	for i, r := range res.Results {
		out[i] = r.Outcome
	}
	return out
}

func mod(file string) string { return `{"type": "module", "line": 1, "filename": "` + file + `.wasm"}` }

func named(name, file string) string {
	return `{"type": "module", "line": 1, "name": "` + name + `", "filename": "` + file + `.wasm"}`
}

func assertModule(typ, file, moduleType string) string {
	return `{"type": "` + typ + `", "line": 2, "filename": "` + file + `.wasm", "module_type": "` + moduleType + `", "text": "x"}`
}

func call(typ, module, field, args, expected string) string {
	return `{"type": "` + typ + `", "line": 3, "action": {"type": "invoke", "module": "` + module + `", "field": "` + field +
		`", "args": [` + args + `]}, "expected": [` + expected + `]}`
}

const (
	i32one   = `{"type": "i32", "value": "1"}`
	i32two   = `{"type": "i32", "value": "2"}`
	i32three = `{"type": "i32", "value": "3"}`
	f32one   = `{"type": "f32", "value": "1065353216"}`
)

func join(cmds ...string) string { return strings.Join(cmds, ",") }

func TestRules(t *testing.T) {
	pass, fail := Outcome{Status: Pass}, Outcome{Status: Fail}
	skip := func(reason string) Outcome { return Outcome{Status: Skip, Reason: reason} }
	tests := []struct {
		name     string
		engine   Engine
		commands string
		want     []Outcome
	}{
		{"malformed text", nil, assertModule("assert_malformed", "bad", "text"), []Outcome{skip(ReasonTextFormat)}},
		{"invalid text", nil, assertModule("assert_invalid", "bad", "text"), []Outcome{skip(ReasonTextFormat)}},
		{"malformed rejected", nil, assertModule("assert_malformed", "bad", "binary"), []Outcome{pass}},
		{"malformed accepted", nil, assertModule("assert_malformed", "ok", "binary"), []Outcome{fail}},
		{"malformed unsupported", nil, assertModule("assert_malformed", "float", "binary"), []Outcome{skip("floats")}},
		{"invalid rejected", nil, assertModule("assert_invalid", "bad", "binary"), []Outcome{pass}},
		{"invalid accepted", nil, assertModule("assert_invalid", "ok", "binary"), []Outcome{fail}},
		{"invalid unsupported", nil, assertModule("assert_invalid", "float", "binary"), []Outcome{skip("floats")}},
		{"module loads", nil, mod("ok"), []Outcome{pass}},
		{"module malformed", nil, join(mod("bad"), call("assert_return", "", "add", "", "")),
			[]Outcome{fail, skip("module failed to load")}},
		{"module missing file", nil, mod("none"), []Outcome{fail}},
		{"module unsupported", fakeEngine{}, join(mod("float"), call("assert_return", "", "add", i32one+","+i32two, i32three),
			`{"type": "register", "line": 4, "as": "M"}`),
			[]Outcome{skip("floats"), skip("module uses floats"), skip("module uses floats")}},
		{"named module unsupported", fakeEngine{}, join(named("$A", "float"), named("$B", "ok"),
			call("assert_return", "$A", "add", i32one+","+i32two, i32three),
			call("assert_return", "$B", "add", i32one+","+i32two, i32three),
			call("assert_return", "", "add", i32one+","+i32two, i32three)),
			[]Outcome{skip("floats"), pass, skip("module uses floats"), pass, pass}},
		{"no engine", nil, join(mod("ok"), call("assert_return", "", "add", i32one+","+i32two, i32three),
			call("assert_trap", "", "trap", "", ""), call("assert_exhaustion", "", "deep", "", ""),
			call("action", "", "add", i32one+","+i32two, ""), `{"type": "register", "line": 4, "as": "M"}`,
			assertModule("assert_unlinkable", "unlink", "binary"), assertModule("assert_uninstantiable", "trap", "binary")),
			[]Outcome{pass, skip(ReasonNoEngine), skip(ReasonNoEngine), skip(ReasonNoEngine), skip(ReasonNoEngine),
				skip(ReasonNoEngine), skip(ReasonNoEngine), skip(ReasonNoEngine)}},
		{"float values", fakeEngine{}, join(mod("ok"), call("assert_return", "", "add", f32one, f32one),
			call("assert_return", "", "add", "", `{"type": "externref", "value": "null"}`)),
			[]Outcome{pass, skip("floats"), skip("reference types")}},
		{"float values without engine", nil, join(mod("ok"), call("assert_return", "", "add", f32one, "")),
			[]Outcome{pass, skip("floats")}},
		{"assert_return", fakeEngine{}, join(mod("ok"),
			call("assert_return", "", "add", i32one+","+i32two, i32three),
			call("assert_return", "", "add", i32one+","+i32two, i32two),
			call("assert_return", "", "add", i32one+","+i32two, i32three+","+i32three),
			call("assert_return", "", "trap", "", ""),
			`{"type": "assert_return", "line": 5, "action": {"type": "get", "field": "g"}, "expected": [{"type": "i32", "value": "42"}]}`,
			`{"type": "assert_return", "line": 6, "action": {"type": "get", "field": "h"}, "expected": [{"type": "i32", "value": "42"}]}`),
			[]Outcome{pass, pass, fail, fail, fail, pass, fail}},
		{"assert_trap", fakeEngine{}, join(mod("ok"), call("assert_trap", "", "trap", "", ""),
			call("assert_trap", "", "add", i32one+","+i32two, ""), call("assert_trap", "", "deep", "", "")),
			[]Outcome{pass, pass, fail, fail}},
		{"assert_exhaustion", fakeEngine{}, join(mod("ok"), call("assert_exhaustion", "", "deep", "", ""),
			call("assert_exhaustion", "", "trap", "", "")),
			[]Outcome{pass, pass, fail}},
		{"action", fakeEngine{}, join(mod("ok"), call("action", "", "add", i32one+","+i32two, ""), call("action", "", "trap", "", "")),
			[]Outcome{pass, pass, fail}},
		{"no module yet", fakeEngine{}, join(call("assert_return", "", "add", "", ""), call("assert_return", "$X", "add", "", ""),
			`{"type": "register", "line": 4, "as": "M"}`),
			[]Outcome{fail, fail, fail}},
		{"register", fakeEngine{}, join(named("$A", "ok"), `{"type": "register", "line": 4, "name": "$A", "as": "M"}`),
			[]Outcome{pass, pass}},
		{"imports from a skipped register", fakeEngine{}, join(mod("float"), `{"type": "register", "line": 4, "as": "M"}`,
			mod("ok"), call("assert_return", "", "add", i32one+","+i32two, i32three),
			assertModule("assert_unlinkable", "unlink", "binary"), assertModule("assert_uninstantiable", "trap", "binary")),
			[]Outcome{skip("floats"), skip("module uses floats"), skip(ReasonUnregisteredImport),
				skip(ReasonUnregisteredImport), skip(ReasonUnregisteredImport), skip(ReasonUnregisteredImport)}},
		{"module fails to instantiate", fakeEngine{}, join(mod("trap"), call("assert_return", "", "add", "", "")),
			[]Outcome{fail, skip("module failed to instantiate")}},
		{"assert_unlinkable", fakeEngine{}, join(assertModule("assert_unlinkable", "unlink", "binary"),
			assertModule("assert_unlinkable", "trap", "binary"), assertModule("assert_unlinkable", "ok", "binary"),
			assertModule("assert_unlinkable", "bad", "binary"), assertModule("assert_unlinkable", "float", "binary")),
			[]Outcome{pass, fail, fail, fail, skip("floats")}},
		{"assert_uninstantiable", fakeEngine{}, join(assertModule("assert_uninstantiable", "trap", "binary"),
			assertModule("assert_uninstantiable", "unlink", "binary"), assertModule("assert_uninstantiable", "ok", "binary"),
			assertModule("assert_uninstantiable", "float", "binary")),
			[]Outcome{pass, fail, fail, skip("floats")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runCommands(t, tt.engine, tt.commands)
			if len(got) != len(tt.want) {
				t.Fatalf("%d outcomes, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				// A failure's reason is for people; only its status is the rule.
				if got[i].Status != w.Status || (w.Status == Skip && got[i].Reason != w.Reason) {
					t.Errorf("command %d: %v %q, want %v %q", i, got[i].Status, got[i].Reason, w.Status, w.Reason)
				}
				if got[i].Status == Fail && got[i].Reason == "" {
					t.Errorf("command %d failed without a reason", i)
				}
			}
		})
	}
}

func TestConfigWithoutLoader(t *testing.T) {
	if _, err := RunFile("t.json", Config{}); err == nil {
		t.Error("RunFile without a Loader: no error")
	}
	if _, err := RunDir(context.Background(), specDir, Config{}); err == nil {
		t.Error("RunDir without a Loader: no error")
	}
}

func TestRunDirMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nowhere")
	_, err := RunDir(context.Background(), dir, Config{Load: fakeLoad})
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("error %v does not name %s", err, dir)
	}
}

func TestRunDirCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RunDir(ctx, specDir, Config{Load: fakeLoad}); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

var totalLine = regexp.MustCompile(`\A\d+ passed, \d+ failed, \d+ skipped\z`)

func TestWriteText(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ok.wasm", "ok")
	write("bad.wasm", "bad")
	write("a.json", `{"source_filename": "a.wast", "commands": [`+join(mod("ok"), assertModule("assert_malformed", "ok", "binary"),
		assertModule("assert_malformed", "bad", "text"), assertModule("assert_invalid", "bad", "binary"))+`]}`)
	write("b.json", `{"commands": [{"type": "nonsense", "line": 1}]}`)
	write("notes.txt", "not a script")

	rep, err := RunDir(context.Background(), dir, Config{Load: fakeLoad})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want := "a.wast: 2 passed, 1 failed, 1 skipped\n" +
		"  skipped 1: " + ReasonTextFormat + "\n" +
		"  FAIL a.wast:2: assert_malformed: ok.wasm loaded, want error \"x\"\n"
	got := buf.String()
	if !strings.HasPrefix(got, want) {
		t.Errorf("report starts\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(got, "b.json: 0 passed, 1 failed, 0 skipped\n  FAIL b.json:0: file: ") {
		t.Errorf("unparsable file not reported as a failure:\n%s", got)
	}
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if last := lines[len(lines)-1]; last != "2 passed, 2 failed, 1 skipped" {
		t.Errorf("last line %q, want %q", last, "2 passed, 2 failed, 1 skipped")
	}
}

// TestSpecSuiteWithMagicLoader runs the real suite with a loader that checks only
// the 8-byte header. It cannot pass everything; what it proves is that every
// command is classified, the text-format ones are skipped, the header-breaking
// malformed modules pass, and the report ends in the total line.
func TestSpecSuiteWithMagicLoader(t *testing.T) {
	specFiles(t)
	header := []byte("\x00asm\x01\x00\x00\x00")
	load := func(wasm []byte) error {
		if !bytes.HasPrefix(wasm, header) {
			return errors.New("bad header")
		}
		return nil
	}
	rep, err := RunDir(context.Background(), specDir, Config{Load: load})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Counts()
	if total := c.Passed + c.Failed + c.Skipped; total != 7540 {
		t.Errorf("%d commands classified, want 7540", total)
	}
	reasons := rep.SkipReasons()
	if n := reasons[ReasonTextFormat]; n != 460 {
		t.Errorf("%d text-format commands skipped, want 460", n)
	}
	// 758 modules, 22 malformed headers ("magic header not detected", "unknown binary version").
	if c.Passed < 758+22 {
		t.Errorf("%d passed, want at least %d", c.Passed, 758+22)
	}
	for _, f := range rep.Files {
		for _, r := range f.Results {
			if r.Status == Fail && r.Command != "assert_malformed" && r.Command != "assert_invalid" {
				t.Errorf("%s:%d: %s failed with a loader that accepts every header: %s", f.Name, r.Line, r.Command, r.Reason)
			}
		}
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	if !totalLine.MatchString(last) || last != c.String() {
		t.Errorf("last line %q, want %q", last, c)
	}
	t.Logf("magic-only loader: %s; skipped by reason: %v", c, reasons)
}
