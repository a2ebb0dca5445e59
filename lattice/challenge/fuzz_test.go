package challenge

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/ssprove/ssprove/lattice/ring"
)

// FuzzSample feeds Sample arbitrary squeezes (8-byte words reduced mod q,
// the last repeated forever) and checks its result against a direct reading
// of the documented procedure.
func FuzzSample(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255, 255})
	f.Add(binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, limit), limit-1))
	f.Fuzz(func(t *testing.T, data []byte) {
		values := []uint64{0}
		if len(data) >= 8 {
			values = values[:0]
			for i := 0; i+8 <= len(data); i += 8 {
				values = append(values, binary.LittleEndian.Uint64(data[i:])%modulus)
			}
		}
		// The procedure, read directly: accepted values in order.
		var accepted []uint64
		rejected := 0
		for i := 0; len(accepted) < 2 && rejected < MaxRejections; i++ {
			if v := values[min(i, len(values)-1)]; v < limit {
				accepted = append(accepted, v%pow)
			} else {
				rejected++
			}
		}
		c, err := Sample(&listSource{values: values})
		if len(accepted) < 2 {
			if !errors.Is(err, ErrSource) {
				t.Fatalf("%d rejections: got %v, want ErrSource", rejected, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		var want ring.Small
		for h, v := range accepted {
			for i := range half {
				want[h*half+i] = int8(v%5) - 2
				v /= 5
			}
		}
		if c != want {
			t.Fatalf("got %v, want %v", c, want)
		}
		if c.OperatorNorm() > T {
			t.Fatalf("operator norm %d > T", c.OperatorNorm())
		}
	})
}
