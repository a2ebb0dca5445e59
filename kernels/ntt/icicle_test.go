package ntt

import (
	"fmt"
	"testing"

	"github.com/ssprove/ssprove/accel"
)

// TestICICLEMatchesGo runs every transform with ICICLE selected and with the
// portable backend, on random inputs of 2^1…2^20 points and on batches, and
// wants the same elements. It needs a build with -tags icicle and the
// ICICLE libraries (make icicle).
func TestICICLEMatchesGo(t *testing.T) {
	if err := accel.Available(accel.ICICLE); err != nil {
		t.Skipf("ICICLE cannot run here: %v", err)
	}
	prev, err := accel.Selected()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = accel.Use(prev) })
	maxLog := 20
	if testing.Short() {
		maxLog = 14
	}
	shift := randVec(1)[0]
	for logn := 1; logn <= maxLog; logn++ {
		n := 1 << logn
		d, err := NewDomain(n)
		if err != nil {
			t.Fatal(err)
		}
		count := max(1, 1<<12/n)
		ops := []struct {
			name string
			len  int
			run  func(v []E) error
		}{
			{"Forward", n, d.Forward},
			{"Inverse", n, d.Inverse},
			{"ForwardDIF", n, d.ForwardDIF},
			{"InverseDIT", n, d.InverseDIT},
			{"ForwardCoset", n, func(v []E) error { return d.ForwardCoset(v, shift) }},
			{"InverseCoset", n, func(v []E) error { return d.InverseCoset(v, shift) }},
			{"ForwardBatch", n * count, d.ForwardBatch},
			{"InverseBatch", n * count, d.InverseBatch},
		}
		for _, op := range ops {
			x := randVec(op.len)
			var res [2][]E
			for i, b := range []accel.Backend{accel.Go, accel.ICICLE} {
				if _, err := accel.Use(b); err != nil {
					t.Fatal(err)
				}
				res[i] = append([]E(nil), x...)
				if err := op.run(res[i]); err != nil {
					t.Fatalf("%s n=2^%d on %s: %v", op.name, logn, b, err)
				}
			}
			equal(t, fmt.Sprintf("%s n=2^%d (%d elements): icicle against go", op.name, logn, op.len), res[1], res[0])
		}
	}
}
