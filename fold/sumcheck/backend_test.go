package sumcheck

import (
	"testing"

	"github.com/ssprove/ssprove/accel"
)

// eachBackend calls f with every backend this machine can run selected, and
// restores the previous choice at the end. It is kernels/internal/gltest's
// EachBackend, which package fold cannot import from under kernels/internal.
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
		f(be)
	}
}

// forEachBackend runs f as a subtest named for each backend eachBackend visits.
func forEachBackend(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	eachBackend(t, func(be accel.Backend) { t.Run(be.String(), f) })
}
