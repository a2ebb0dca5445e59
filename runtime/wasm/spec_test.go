package wasm

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// specDir holds the official spec suite converted by wast2json (see ../shared/testdata/README.md).
const specDir = "../../../shared/testdata/wasm-spec/json"

type specCommand struct {
	Type       string `json:"type"`
	Filename   string `json:"filename"`
	ModuleType string `json:"module_type"`
	Text       string `json:"text"`
}

func specCommands(t testing.TB) map[string][]specCommand {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(specDir, "*.json"))
	if err != nil || len(files) == 0 {
		abs, _ := filepath.Abs(specDir)
		t.Fatalf("spec test suite not found at %s (err %v)", abs, err)
	}
	out := make(map[string][]specCommand)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var script struct{ Commands []specCommand }
		if err := json.Unmarshal(data, &script); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = script.Commands
	}
	return out
}

func readSpecModule(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(specDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestSpecSuite(t *testing.T) {
	var loaded, malformed, invalid int
	unsupported := map[string]int{}
	for file, cmds := range specCommands(t) {
		for _, c := range cmds {
			isModule := c.Type == "module" || c.Type == "assert_unlinkable" || c.Type == "assert_uninstantiable"
			if c.ModuleType == "text" || c.Filename == "" || !isModule && c.Type != "assert_malformed" && c.Type != "assert_invalid" {
				continue
			}
			_, err := Load(readSpecModule(t, c.Filename), DefaultLimits())
			var unsup *UnsupportedError
			var dec *DecodeError
			var inv *ValidationError
			switch {
			case errors.As(err, &unsup):
				unsupported[c.Type+": "+unsup.Feature]++
				continue
			case isModule:
				if err != nil {
					t.Errorf("%s %s (%s): %v", file, c.Filename, c.Type, err)
				} else {
					loaded++
				}
			case err == nil:
				t.Errorf("%s %s: %s module accepted, want %q", file, c.Filename, c.Type, c.Text)
			case !errors.As(err, &dec) && !errors.As(err, &inv):
				t.Errorf("%s %s: error of type %T: %v", file, c.Filename, err, err)
			case c.Type == "assert_malformed":
				malformed++
			default:
				invalid++
			}
		}
	}
	feats := make([]string, 0, len(unsupported))
	for f := range unsupported {
		feats = append(feats, f)
	}
	sort.Strings(feats)
	t.Logf("loaded %d, malformed rejected %d, invalid rejected %d", loaded, malformed, invalid)
	for _, f := range feats {
		t.Logf("unsupported %s: %d", f, unsupported[f])
	}
}
