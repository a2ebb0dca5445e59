package lookup

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/ext"
)

// TestMain runs the tests that do not loop over backends on the selected
// one, or on the portable one when the selected backend has no K kernels in
// this build (the package cannot run there at all).
func TestMain(m *testing.M) {
	if _, err := ext.Sum(nil); errors.Is(err, accel.ErrUnavailable) {
		if _, err := accel.Use(accel.Go); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// eachBackend calls f with every backend this machine can run selected, and
// restores the previous choice at the end. It is kernels/internal/gltest's
// EachBackend, which package fold cannot import from under kernels/internal,
// except that it also leaves out backends without K kernels in this build.
func eachBackend(tb testing.TB, f func(be accel.Backend)) {
	tb.Helper()
	prev, err := accel.Selected()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := accel.Use(prev); err != nil {
			tb.Errorf("restoring backend %s: %v", prev, err)
		}
	})
	for _, be := range accel.All() {
		if err := accel.Available(be); err != nil {
			tb.Logf("skip %s: %v", be, err)
			continue
		}
		if _, err := accel.Use(be); err != nil {
			tb.Fatal(err)
		}
		if _, err := ext.Sum(nil); err != nil {
			tb.Logf("skip %s: %v", be, err)
			continue
		}
		f(be)
	}
}

// forEachBackend runs f as a subtest named for each backend eachBackend visits.
func forEachBackend(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	eachBackend(t, func(be accel.Backend) { t.Run(be.String(), f) })
}
