package spectest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/spectest"
)

// TestConformanceWazero runs the same suite with wazero executing, as a check of
// the harness: wazero passes the spec suite upstream, so a failure here is a bug in
// the runner or the adapter, or one of the differences WazeroConfig documents.
func TestConformanceWazero(t *testing.T) {
	for _, engine := range []struct {
		name     string
		compiler bool
	}{{"compiler", true}, {"interpreter", false}} {
		t.Run(engine.name, func(t *testing.T) {
			rep, err := spectest.RunDir(context.Background(), specDir, spectest.WazeroConfig(wasm.DefaultLimits(), engine.compiler))
			if err != nil {
				t.Fatal(err)
			}
			c := rep.Counts()
			// A ratchet, not a skip: these fail because wazero runs with reference
			// types off and so keeps the MVP rule that a failed instantiation writes
			// no segment, where the 2.0 suite expects earlier segments to persist
			// (see WazeroConfig):
			//   linking.wast:275, :288  assert_return after an element segment out of bounds
			//   linking.wast:406, :419  assert_return after a data/element segment out of bounds
			const knownFailures = 4
			if c.Failed > knownFailures {
				var out strings.Builder
				if err := rep.WriteText(&out); err != nil {
					t.Fatal(err)
				}
				t.Errorf("%d spec commands failed, want at most %d:\n%s", c.Failed, knownFailures, out.String())
			}
			if c.Passed == 0 {
				t.Fatal("no spec command passed")
			}
			for reason, n := range rep.SkipReasons() {
				t.Logf("skipped %5d: %s", n, reason)
			}
			t.Logf("spec suite on wazero's %s: %s", engine.name, c)
		})
	}
}
