package spectest_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/spectest"
)

// TestConformanceInterp runs the whole spec suite on the interpreter.
func TestConformanceInterp(t *testing.T) {
	if _, err := os.Stat(specDir); err != nil {
		t.Fatalf("spec suite not found at %s: %v", specDir, err)
	}
	rep, err := spectest.RunDir(context.Background(), specDir, spectest.InterpConfig(wasm.DefaultLimits()))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := rep.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	for reason, n := range rep.SkipReasons() {
		t.Logf("skipped %5d: %s", n, reason)
	}
	c := rep.Counts()
	t.Logf("spec suite on the interpreter: %s", c)
	if c.Failed > 0 {
		t.Fatalf("%d spec commands failed:\n%s", c.Failed, out.String())
	}
	if c.Passed == 0 {
		t.Fatalf("no spec command passed:\n%s", out.String())
	}
}
