// Package gltest holds what the kernel packages' tests share: turning fuzz
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

// ForEachBackend runs f as a subtest once per backend this machine can run,
// with that backend selected, skipping the others with the reason, and
// restores the previous choice afterwards.
func ForEachBackend(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	prev, err := accel.Selected()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := accel.Use(prev); err != nil {
			t.Errorf("restoring backend %s: %v", prev, err)
		}
	})
	for _, b := range accel.All() {
		t.Run(b.String(), func(t *testing.T) {
			if err := accel.Available(b); err != nil {
				t.Skipf("not available: %v", err)
			}
			if _, err := accel.Use(b); err != nil {
				t.Fatal(err)
			}
			f(t)
		})
	}
}
