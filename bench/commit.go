package bench

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/consensys/gnark-crypto/field/goldilocks/sis"

	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

// SIS parameters of the reference: gnark-crypto's Goldilocks Ring-SIS hash
// with 16-bit limbs and degree 64, one of its 128-bit parameter sets.
const (
	sisLogBound  = 16
	sisLogDegree = 6
)

// Commit times the Ajtai commitment (κ = 16, the Goldilocks preset) of
// n = 2^LogSize witness elements on every backend:
//
//   - n full field elements as the entries of Z (m = ⌈n/54⌉ columns), and n
//     bits the same way, each against gnark-crypto's Goldilocks Ring-SIS hash
//     of n field elements;
//   - n witness values in Neo's embedding, one column each (m = n): values below
//     2^54 in magnitude, as 54 balanced binary digits, against bit values, the pay-per-bit ratio.
//     With m = n the matrix outgrows memory from about 2^18 columns, and is
//     then regenerated from its seed inside every commitment, as it would be
//     in a prover.
func Commit(ctx context.Context, c Config) ([]Result, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	n := 1 << c.LogSize
	r := rand.New(rand.NewPCG(uint64(n), 1))
	seed := make([]byte, ajtai.SeedSize)

	packed, err := ajtai.Setup(ctx, ajtai.Goldilocks((n+ring.D-1)/ring.D), seed)
	if err != nil {
		return nil, err
	}
	full, bits := witness(r, packed, "full"), witness(r, packed, "bits")
	ref, err := sis.NewRSis(0, sisLogDegree, sisLogBound, n)
	if err != nil {
		return nil, err
	}
	digest := make([]goldilocks.Element, 1<<sisLogDegree)

	var cands []candidate
	for _, op := range []struct {
		name string
		Z    []goldilocks.Element
	}{
		{fmt.Sprintf("commit 2^%d field elements", c.LogSize), full},
		{fmt.Sprintf("commit 2^%d bits", c.LogSize), bits},
	} {
		// The reference hashes the same n values. It skips all-zero
		// polynomials of 16 elements, one in 2^16 for random bits.
		cands = append(cands, candidate{impl: "gnark-crypto ring-SIS", op: op.name, ref: true, elements: n, run: func() error {
			return ref.Hash(op.Z[:n], digest)
		}})
		for _, b := range c.Backends {
			cands = append(cands, candidate{impl: b.String(), op: op.name, elements: n, backend: b, run: func() error {
				_, err := packed.Commit(ctx, op.Z)
				return err
			}})
		}
	}

	embedded, err := ajtai.Setup(ctx, ajtai.Goldilocks(n), seed)
	if err != nil {
		return nil, err
	}
	values := make([]goldilocks.Element, n)
	for i := range values {
		values[i].SetInt64(r.Int64N(1<<55-1) - (1<<54 - 1))
	}
	digits, err := decomp.Embed(values, 2, ring.D)
	if err != nil {
		return nil, err
	}
	bitValues := witness(r, embedded, "bit values")
	where := "stored"
	if !embedded.Stored() {
		where = "regenerated"
	}
	for _, b := range c.Backends {
		op := fmt.Sprintf("commit 2^%d values, one column each, matrix %s, %s", c.LogSize, where, b)
		cands = append(cands,
			candidate{impl: "54 binary digits", op: op, ref: true, elements: n, backend: b, run: func() error {
				_, err := embedded.Commit(ctx, digits)
				return err
			}},
			candidate{impl: "bits", op: op, elements: n, backend: b, run: func() error {
				_, err := embedded.Commit(ctx, bitValues)
				return err
			}})
	}
	return measure(ctx, c, cands)
}

// witness returns a random witness for pp: uniform field elements, bits, or
// bit values in Neo's embedding (one digit per column).
func witness(r *rand.Rand, pp *ajtai.PublicParams, kind string) []goldilocks.Element {
	p := pp.Params()
	Z := make([]goldilocks.Element, p.D*p.M)
	for i := range Z {
		switch kind {
		case "full":
			Z[i].SetUint64(r.Uint64())
		case "bits":
			Z[i].SetUint64(r.Uint64N(2))
		case "bit values":
			if i%p.D == 0 {
				Z[i].SetUint64(r.Uint64N(2))
			}
		}
	}
	return Z
}
