package spectest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/spectest"
)

// specDir is the spec suite shipped beside the project (../shared/testdata).
var specDir = filepath.Join("..", "..", "..", "..", "shared", "testdata", "wasm-spec", "json")

// TestConformance runs the whole spec suite against the decoder and
// validator: nothing may fail; unsupported features and execution commands
// (until the interpreter exists) are skipped with their reasons.
func TestConformance(t *testing.T) {
	if _, err := os.Stat(specDir); err != nil {
		t.Fatalf("spec suite not found at %s: %v", specDir, err)
	}
	rep, err := spectest.RunDir(context.Background(), specDir, spectest.RuntimeConfig(wasm.DefaultLimits()))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := rep.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	c := rep.Counts()
	if c.Failed > 0 {
		t.Fatalf("%d spec commands failed:\n%s", c.Failed, out.String())
	}
	if c.Passed == 0 {
		t.Fatalf("no spec command passed:\n%s", out.String())
	}
	for reason, n := range rep.SkipReasons() {
		t.Logf("skipped %5d: %s", n, reason)
	}
	t.Logf("spec suite: %s", c)
}
