package spectest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// specDir is the wast2json output of the spec suite, kept outside the project.
const specDir = "../../../../shared/testdata/wasm-spec/json"

func specFiles(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(specDir, "*.json"))
	if err != nil || len(files) == 0 {
		abs, _ := filepath.Abs(specDir)
		tb.Fatalf("spec suite command files not found in %s (see shared/testdata/README.md)", abs)
	}
	return files
}

func TestParseSpecSuite(t *testing.T) {
	byType := make(map[string]int)
	for _, path := range specFiles(t) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := ParseScript(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, c := range s.Commands {
			byType[c.Type]++
		}
	}
	// The command counts of the converted suite (testsuite 3a04b2c, wabt 1.0.32):
	// a parse that drops or misreads commands shows here.
	want := map[string]int{
		"assert_return": 4015, "assert_malformed": 1196, "assert_invalid": 1128, "module": 758,
		"assert_trap": 292, "assert_unlinkable": 83, "assert_uninstantiable": 34, "register": 15,
		"assert_exhaustion": 14, "action": 5,
	}
	for typ, n := range want {
		if byType[typ] != n {
			t.Errorf("%s: %d commands, want %d", typ, byType[typ], n)
		}
	}
	if len(byType) != len(want) {
		t.Errorf("command types %v, want %v", byType, want)
	}
}

func TestParseScriptValues(t *testing.T) {
	const in = `{"source_filename": "x.wast", "commands": [
	  {"type": "assert_return", "line": 7, "action": {"type": "invoke", "module": "$M", "field": "f",
	    "args": [{"type": "i32", "value": "4294967295"}, {"type": "i64", "value": "18446744073709551615"},
	             {"type": "v128", "lane_type": "i16", "value": ["1","2","3","4","5","6","7","65535"]}]},
	   "expected": [{"type": "f32", "value": "nan:canonical"}, {"type": "externref", "value": "null"}]},
	  {"type": "assert_trap", "line": 8, "action": {"type": "invoke", "field": "g", "args": []},
	   "text": "unreachable", "expected": [{"type": "i32"}]}]}`
	s, err := ParseScript(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Commands[0]
	if c.Line != 7 || c.Action.Module != "$M" || c.Action.Args[0].Value != "4294967295" {
		t.Errorf("command 0 = %+v", c)
	}
	if v := c.Action.Args[2]; v.LaneType != "i16" || len(v.Lanes) != 8 || v.Lanes[7] != "65535" {
		t.Errorf("v128 argument = %+v", v)
	}
	if got := s.Commands[1].Expected[0]; got.Type != "i32" || got.Value != "" {
		t.Errorf("assert_trap result = %+v", got)
	}
}

func TestParseScriptErrors(t *testing.T) {
	cmd := func(c string) string { return `{"source_filename": "x.wast", "commands": [` + c + `]}` }
	ret := func(arg string) string {
		return cmd(`{"type": "assert_return", "line": 3, "action": {"type": "invoke", "field": "f", "args": [` + arg + `]}, "expected": []}`)
	}
	tests := []struct {
		name, in string
		want     []string // substrings of the error
	}{
		{"unknown command", cmd(`{"type": "assert_return_canonical_nan", "line": 12}`), []string{`"assert_return_canonical_nan"`, "line 12"}},
		{"i32 too large", ret(`{"type": "i32", "value": "4294967296"}`), []string{"line 3", "i32", `"4294967296"`}},
		{"negative i64", ret(`{"type": "i64", "value": "-1"}`), []string{"i64", `"-1"`}},
		{"float not bits", ret(`{"type": "f64", "value": "1.5"}`), []string{"f64", `"1.5"`}},
		{"unknown value type", ret(`{"type": "i128", "value": "1"}`), []string{`"i128"`}},
		{"missing value", ret(`{"type": "i32"}`), []string{"i32"}},
		{"short v128", ret(`{"type": "v128", "lane_type": "i32", "value": ["1"]}`), []string{"1 lanes, want 4"}},
		{"unknown field", cmd(`{"type": "module", "line": 1, "filename": "a.wasm", "binary": true}`), []string{"binary"}},
		{"escaping path", cmd(`{"type": "module", "line": 1, "filename": "../a.wasm"}`), []string{"../a.wasm"}},
		{"module type", cmd(`{"type": "module", "line": 1, "filename": "a.wasm", "module_type": "wat"}`), []string{`"wat"`}},
		{"register without as", cmd(`{"type": "register", "line": 4}`), []string{"line 4", "as"}},
		{"action type", cmd(`{"type": "action", "line": 5, "action": {"type": "call", "field": "f"}}`), []string{"line 5", `"call"`}},
		{"no line", cmd(`{"type": "module", "filename": "a.wasm"}`), []string{"line"}},
		{"trailing data", cmd(``) + "{}", []string{"after"}},
		{"not json", "(module)", []string{"parse"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScript(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
		})
	}
}

func FuzzParseScript(f *testing.F) {
	specFiles(f)
	// Small real scripts: large seeds only slow the fuzzer's start.
	for _, name := range []string{"custom.json", "forward.json", "token.json", "exports.json"} {
		data, err := os.ReadFile(filepath.Join(specDir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"commands": [{"type": "assert_return", "line": 1, "action": {"type": "invoke", "field": "f",
		"args": [{"type": "v128", "lane_type": "i8", "value": ["0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0"]}]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScript(bytes.NewReader(data))
		if err == nil && s == nil {
			t.Fatal("nil script without an error")
		}
	})
}
