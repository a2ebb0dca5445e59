package bench

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/consensys/gnark-crypto/field/goldilocks/extensions"

	"github.com/ssprove/ssprove/fold/sumcheck"
	"github.com/ssprove/ssprove/fold/transcript"
)

// SumCheck times the sum-check prover for a degree-3 product of three
// multilinear tables over K with 2^LogSize entries each (the shape of a
// zero-check eq·a·b), on every backend against a straightforward prover: the
// same rounds written as one plain loop over gnark-crypto's E2 on one
// goroutine. Both copy their three tables before every run, since proving
// consumes them; the copy is part of the time.
func SumCheck(ctx context.Context, c Config) ([]Result, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	n := 1 << c.LogSize
	r := rand.New(rand.NewPCG(uint64(n), 3))
	tables := make([][]extensions.E2, 3)
	for j := range tables {
		tables[j] = make([]extensions.E2, n)
		for i := range tables[j] {
			tables[j][i].A0.SetUint64(r.Uint64())
			tables[j][i].A1.SetUint64(r.Uint64())
		}
	}
	var claim, p extensions.E2
	for i := range n {
		p.Mul(&tables[0][i], &tables[1][i]).Mul(&p, &tables[2][i])
		claim.Add(&claim, &p)
	}
	g := &sumcheck.Products{N: 3, Terms: []sumcheck.Term{{Coeff: one(), Factors: []int{0, 1, 2}}}}
	work := make([][]extensions.E2, 3)
	for j := range work {
		work[j] = make([]extensions.E2, n)
	}
	// A new outer slice each time: provers may reslice the tables they get.
	fresh := func() [][]extensions.E2 {
		for j := range work {
			copy(work[j], tables[j])
		}
		return [][]extensions.E2{work[0], work[1], work[2]}
	}

	op := fmt.Sprintf("sum-check, degree-3 product over K, 2^%d", c.LogSize)
	cands := []candidate{{impl: "plain Go loop, 1 goroutine", op: op, ref: true, elements: n, run: func() error {
		plainProduct3(transcript.New("ssprove/bench/sumcheck"), fresh())
		return nil
	}}}
	for _, b := range c.Backends {
		cands = append(cands, candidate{impl: b.String(), op: op, elements: n, backend: b, run: func() error {
			_, _, err := sumcheck.Prove(ctx, transcript.New("ssprove/bench/sumcheck"), claim, g, fresh())
			return err
		}})
	}
	return measure(ctx, c, cands)
}

func one() extensions.E2 {
	var e extensions.E2
	e.SetOne()
	return e
}

// plainProduct3 is the reference prover: per round, s(t) for t = 0..3 of the
// product of the three tables' halves, a challenge from the transcript, then
// each table bound, all in one plain loop.
func plainProduct3(tr *transcript.Transcript, p [][]extensions.E2) {
	for len(p[0]) > 1 {
		h := len(p[0]) / 2
		var s [4]extensions.E2
		var v, d [3]extensions.E2
		var prod extensions.E2
		for i := range h {
			for j := range 3 {
				v[j] = p[j][i]
				d[j].Sub(&p[j][h+i], &p[j][i])
			}
			for t := range 4 {
				if t > 0 {
					for j := range 3 {
						v[j].Add(&v[j], &d[j])
					}
				}
				prod.Mul(&v[0], &v[1]).Mul(&prod, &v[2])
				s[t].Add(&s[t], &prod)
			}
		}
		tr.AppendExt("round", s[:]...)
		r := tr.ChallengeExt("r")
		for j := range 3 {
			for i := range h {
				d[0].Sub(&p[j][h+i], &p[j][i]).Mul(&d[0], &r)
				p[j][i].Add(&p[j][i], &d[0])
			}
			p[j] = p[j][:h]
		}
	}
}
