// Package gltest holds what the kernel and fold packages' tests share: turning fuzz
// input into field elements and running a test on every backend.
package gltest

import (
	"encoding/binary"
	"testing"

	"github.com/ssprove/ssprove/accel"
)

// q is the Goldilocks modulus; this package stays free of the kernel packages
// so that their own tests can import it.
const q = 0xFFFF_FFFF_0000_0001

// WordsOf reads k little-endian words from data, reduced mod q, repeating the
// input cyclically (zeros when it is empty) so any input gives k values.
func WordsOf(data []byte, k int) []uint64 {
	w := make([]uint64, k)
	if len(data) == 0 {
		return w
	}
	var buf [8]byte
	p := 0
	for i := range w {
		for j := range buf {
			buf[j] = data[p%len(data)]
			p++
		}
		w[i] = binary.LittleEndian.Uint64(buf[:]) % q
	}
	return w
}

// EachBackend calls f once per backend this machine can run, with that
// backend selected, logging why each other one is left out, and restores the
// previous choice when the test or benchmark ends.
func EachBackend(tb testing.TB, f func(be accel.Backend)) {
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

// ForEachBackend runs f as a subtest named for each backend EachBackend visits.
func ForEachBackend(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	EachBackend(t, func(be accel.Backend) { t.Run(be.String(), f) })
}
