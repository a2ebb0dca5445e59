package bench

import (
	"context"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/consensys/gnark-crypto/field/goldilocks/fft"

	"github.com/ssprove/ssprove/kernels/ntt"
)

// BatchSize is the transform length of the batched benchmark: the ring and
// commitment kernels run millions of transforms this small.
const BatchSize = 64

// NTT times, at n = 2^LogSize: the natural-order Forward and the bit-reversed
// ForwardDIF of every backend against gnark-crypto's goldilocks FFT (DIF), and
// 2^LogSize elements' worth of 64-point transforms in one ForwardBatch against
// gnark-crypto transforming them one by one.
func NTT(ctx context.Context, c Config) ([]Result, error) {
	c, err := c.withOffload()
	if err != nil {
		return nil, err
	}
	n := 1 << c.LogSize
	dom, err := ntt.NewDomain(n)
	if err != nil {
		return nil, err
	}
	ref := fft.NewDomain(uint64(n))
	v := random(n)

	size := fmt.Sprintf("n=2^%d", c.LogSize)
	fwd, dif := "forward "+size, "forward bit-reversed out "+size
	cands := []candidate{
		{impl: "gnark-crypto", op: fwd, ref: true, elements: n, run: func() error { ref.FFT(v, fft.DIF); return nil }},
	}
	for _, b := range c.Backends {
		cands = append(cands, candidate{impl: b.String(), op: fwd, elements: n, backend: b, run: func() error { return dom.Forward(v) }})
	}
	cands = append(cands, candidate{impl: "gnark-crypto", op: dif, ref: true, elements: n, run: func() error { ref.FFT(v, fft.DIF); return nil }})
	for _, b := range c.Backends {
		cands = append(cands, candidate{impl: b.String(), op: dif, elements: n, backend: b, run: func() error { return dom.ForwardDIF(v) }})
	}

	if n >= BatchSize {
		small, err := ntt.NewDomain(BatchSize)
		if err != nil {
			return nil, err
		}
		smallRef := fft.NewDomain(BatchSize)
		batch := fmt.Sprintf("%d × %d-point batch", n/BatchSize, BatchSize)
		cands = append(cands, candidate{impl: "gnark-crypto", op: batch, ref: true, elements: n, run: func() error {
			for i := 0; i < n; i += BatchSize {
				smallRef.FFT(v[i:i+BatchSize], fft.DIF)
			}
			return nil
		}})
		for _, b := range c.Backends {
			cands = append(cands, candidate{impl: b.String(), op: batch, elements: n, backend: b, run: func() error { return small.ForwardBatch(v) }})
		}
	}
	return measure(ctx, c, cands)
}

func random(n int) []goldilocks.Element {
	v := make(goldilocks.Vector, n)
	v.MustSetRandom()
	return v
}
