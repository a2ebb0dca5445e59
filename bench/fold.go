package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/neo"
	"github.com/ssprove/ssprove/lattice/ajtai"
)

// Bounds of Fold's LogSize. One fold of 2^20 constraints takes about a
// minute on a laptop, so fold stops at 2^16 and defaults to 2^12; below 2^3
// columns the step has no room for a witness beside its public input.
const (
	MaxFoldLogSize     = 16
	DefaultFoldLogSize = 12
	MinFoldLogSize     = 3
)

// foldSteps is the length of the chain Fold proves per run. The first fold
// of a chain folds into an empty accumulator and costs less than the rest,
// so a longer chain weighs the steady state more; four keeps a run at 2^16
// to seconds.
const foldSteps = 4

// foldStateLen is the length of the state a step of Fold's chain passes on.
const foldStateLen = 3

// Fold times Neo folding (package fold/neo) with the Goldilocks preset
// (b = 2, k = 12, κ = 16) of a random IVC chain of foldSteps steps over one
// R1CS of 2^LogSize columns and 2^LogSize − 4 constraints (foldChain), on
// every backend against the portable one (the reference row):
//
//   - prove: ProveChain, per fold, with the share of the prover's time spent
//     in the commitments, Π_CCS, Π_RLC and Π_DEC (neo.WithStats, summed over
//     every run of that backend);
//   - verify: Verifier.Fold of each step in turn, per fold, with the proof
//     bytes one step and its fold add to an encoded chain proof;
//   - decide: Decide of the final accumulator, which a verifier of a chain
//     runs once, not per fold.
//
// Elements is the number of constraints, so elements/s reads as
// constraints folded per second. LogSize must lie in
// MinFoldLogSize…MaxFoldLogSize.
func Fold(ctx context.Context, c Config) ([]Result, error) {
	if c.LogSize < MinFoldLogSize || c.LogSize > MaxFoldLogSize {
		return nil, fmt.Errorf("bench: fold log size %d out of range %d…%d", c.LogSize, MinFoldLogSize, MaxFoldLogSize)
	}
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	chain, err := foldChain(rand.New(rand.NewPCG(uint64(c.LogSize), 5)), c.LogSize, foldSteps)
	if err != nil {
		return nil, err
	}
	s := chain.Steps[0].CCS
	pp, err := ajtai.Setup(ctx, ajtai.Goldilocks(s.NumVariables()), make([]byte, ajtai.SeedSize))
	if err != nil {
		return nil, err
	}
	prover, err := neo.NewProver(pp, s)
	if err != nil {
		return nil, err
	}
	verifier, err := neo.NewVerifier(pp, s)
	if err != nil {
		return nil, err
	}
	// The verifier and the decider need folds proved outside a chain: a
	// chain proof's transcripts start from the chain's header, which only
	// VerifyChain rebuilds, and VerifyChain decides too.
	folded, err := proveFolds(ctx, prover, chain)
	if err != nil {
		return nil, err
	}
	perFold, err := folded.bytesPerFold()
	if err != nil {
		return nil, err
	}

	n := s.NumConstraints()
	proveOp := fmt.Sprintf("prove fold, R1CS 2^%d", c.LogSize)
	verifyOp := fmt.Sprintf("verify fold, R1CS 2^%d, %d proof bytes per fold", c.LogSize, perFold)
	decideOp := fmt.Sprintf("decide the final accumulator, R1CS 2^%d", c.LogSize)
	backends := []accel.Backend{accel.Go}
	for _, b := range c.Backends {
		if b != accel.Go {
			backends = append(backends, b)
		}
	}
	// stats[i] sums the parts of the prove runs of cands[i].
	stats := make([]*neo.Stats, 0, 3*len(backends))
	var cands []candidate
	for _, op := range []struct {
		name string
		run  func(*neo.Stats) error
	}{
		{proveOp, func(st *neo.Stats) error {
			_, _, _, err := prover.ProveChain(ctx, chain, neo.WithStats(st))
			return err
		}},
		{verifyOp, func(*neo.Stats) error { return folded.verify(verifier) }},
		{decideOp, func(*neo.Stats) error { return neo.Decide(ctx, pp, s, folded.acc, folded.accW) }},
	} {
		for _, b := range backends {
			impl := b.String()
			if b == accel.Go {
				impl = "go (portable)"
			}
			st := &neo.Stats{}
			stats = append(stats, st)
			cands = append(cands, candidate{impl: impl, op: op.name, ref: b == accel.Go, elements: n, backend: b, run: func() error {
				return op.run(st)
			}})
		}
	}
	res, err := measure(ctx, c, cands)
	if err != nil {
		return nil, err
	}
	// Ratios were taken against whole runs; per fold, both sides divide
	// alike. The shares differ per backend, so they join the operation's
	// name only now that the ratios are filled in.
	for i := range res {
		switch res[i].Op {
		case proveOp:
			res[i].Op += " (" + shares(stats[i]) + ")"
			res[i].Time /= foldSteps
		case verifyOp:
			res[i].Time /= foldSteps
		}
	}
	return res, nil
}

// shares formats each part's share of the prover's time in st.
func shares(st *neo.Stats) string {
	total := st.Total()
	pct := func(d time.Duration) float64 { return 100 * float64(d) / float64(total) }
	return fmt.Sprintf("commit %.0f%%, Π_CCS %.0f%%, Π_RLC %.0f%%, Π_DEC %.0f%%",
		pct(st.Commit), pct(st.CCS), pct(st.RLC), pct(st.Decompose))
}

// foldedChain is a chain's steps folded one by one outside a chain
// (Prover.Fold): each step's instance and fold proof, and the final
// accumulator with its witness.
type foldedChain struct {
	steps []neo.MCS
	folds []*neo.FoldProof
	acc   neo.Acc
	accW  neo.AccWitness
}

// proveFolds commits to every step of chain and folds it with p, the
// Prover of the chain's CCS.
func proveFolds(ctx context.Context, p *neo.Prover, chain *ccs.Chain) (*foldedChain, error) {
	out := &foldedChain{}
	for i, st := range chain.Steps {
		mcs, wit, err := p.Commit(ctx, st.Z)
		if err != nil {
			return nil, fmt.Errorf("bench: fold: step %d: %w", i, err)
		}
		var fp *neo.FoldProof
		if out.acc, out.accW, fp, err = p.Fold(ctx, out.acc, out.accW, mcs, wit); err != nil {
			return nil, fmt.Errorf("bench: fold: step %d: %w", i, err)
		}
		out.steps = append(out.steps, mcs)
		out.folds = append(out.folds, fp)
	}
	return out, nil
}

// verify checks every fold in turn and that they end in the prover's
// accumulator.
func (f *foldedChain) verify(v *neo.Verifier) error {
	var acc neo.Acc
	for i := range f.steps {
		var err error
		if acc, err = v.Fold(acc, f.steps[i], f.folds[i]); err != nil {
			return fmt.Errorf("fold %d: %w", i, err)
		}
	}
	if acc.Digest != f.acc.Digest {
		return fmt.Errorf("the verifier's final accumulator differs from the prover's")
	}
	return nil
}

// bytesPerFold returns what one step and its fold add to the encoding of a
// chain proof past its first step, whose fold into an empty accumulator
// sends fewer evaluations: the difference of the whole chain's encoding and
// its first step's, over the other steps.
func (f *foldedChain) bytesPerFold() (int, error) {
	whole, err := (&neo.ChainProof{Steps: f.steps, Folds: f.folds}).MarshalBinary()
	if err != nil {
		return 0, err
	}
	first, err := (&neo.ChainProof{Steps: f.steps[:1], Folds: f.folds[:1]}).MarshalBinary()
	if err != nil {
		return 0, err
	}
	return (len(whole) - len(first)) / (len(f.steps) - 1), nil
}

// foldChain returns a random satisfiable IVC chain of the given number of
// steps over one R1CS of 2^logSize columns and 2^logSize − 4 constraints, the
// shape of a step circuit that passes a small state on:
//
//   - the public input is x = (1, y_prev, y_step), states of 3 entries, and
//     the first 3 rows compute y_step[k] = y_prev[k] + y_prev[k+1 mod 3] + c_k;
//   - every other row defines one witness column, w_e = (a_e·x)·(b_e·x),
//     where a_e and b_e each take one or two coefficients in {−2, …, 2} over
//     the constant and y_prev.
//
// y0's entries lie below 2^16 in magnitude and a step at most doubles the
// state's, so for up to 7 steps every value stays below 2^54 and embeds with
// b = 2: witnesses of about 40 significant bits, not bits alone, as a
// 32-bit machine's trace would give. The chain is checked before it is
// returned. logSize must be at least 3, steps at least 1.
func foldChain(r *rand.Rand, logSize, steps int) (*ccs.Chain, error) {
	const yLen = foldStateLen
	const nPub = 1 + 2*yLen
	if logSize < MinFoldLogSize || logSize > MaxFoldLogSize || steps < 1 || steps > 7 {
		return nil, fmt.Errorf("bench: foldChain(2^%d, %d steps): want 3 ≤ log size ≤ %d and 1 … 7 steps", logSize, steps, MaxFoldLogSize)
	}
	n := 1 << logSize
	extra := n - nPub
	small := func() goldilocks.Element {
		var x goldilocks.Element
		x.SetInt64(r.Int64N(5) - 2)
		return x
	}
	var one goldilocks.Element
	one.SetOne()

	// es[0], es[1], es[2]: the entries of A, B and C.
	var es [3][]mle.Entry
	cs := make([]goldilocks.Element, yLen)
	for k := range yLen {
		cs[k] = small()
		es[0] = append(es[0], mle.Entry{Row: k, Col: 1 + k, Val: one}, mle.Entry{Row: k, Col: 1 + (k+1)%yLen, Val: one}, mle.Entry{Row: k, Col: 0, Val: cs[k]})
		es[1] = append(es[1], mle.Entry{Row: k, Col: 0, Val: one})
		es[2] = append(es[2], mle.Entry{Row: k, Col: 1 + yLen + k, Val: one})
	}
	// forms[e] are a_e and b_e, kept to compute the witness.
	forms := make([][2][]mle.Entry, extra)
	for e := range forms {
		row := yLen + e
		for h := range 2 {
			for _, col := range r.Perm(1 + yLen)[:1+r.IntN(2)] {
				forms[e][h] = append(forms[e][h], mle.Entry{Row: row, Col: col, Val: small()})
			}
			es[h] = append(es[h], forms[e][h]...)
		}
		es[2] = append(es[2], mle.Entry{Row: row, Col: nPub + e, Val: one})
	}
	var ms [3]*mle.Sparse
	for h := range ms {
		var err error
		if ms[h], err = mle.NewSparse(yLen+extra, n, es[h]); err != nil {
			return nil, fmt.Errorf("bench: foldChain: %w", err)
		}
	}
	s, err := ccs.FromR1CS(ms[0], ms[1], ms[2], nPub)
	if err != nil {
		return nil, fmt.Errorf("bench: foldChain: %w", err)
	}

	spec := ccs.StepSpec{YLen: yLen, Const1: 0}
	for k := range yLen {
		spec.YPrev = append(spec.YPrev, 1+k)
		spec.YStep = append(spec.YStep, 1+yLen+k)
	}
	chain := &ccs.Chain{Name: fmt.Sprintf("bench fold 2^%d", logSize), Spec: spec, Y0: make([]goldilocks.Element, yLen)}
	for k := range chain.Y0 {
		chain.Y0[k].SetInt64(r.Int64N(1<<17-1) - (1<<16 - 1))
	}
	dot := func(form []mle.Entry, z []goldilocks.Element) goldilocks.Element {
		var acc, p goldilocks.Element
		for _, e := range form {
			p.Mul(&e.Val, &z[e.Col])
			acc.Add(&acc, &p)
		}
		return acc
	}
	y := chain.Y0
	for i := range steps {
		z := make([]goldilocks.Element, n)
		z[0].SetOne()
		copy(z[1:], y)
		for k := range yLen {
			z[1+yLen+k].Add(&y[k], &y[(k+1)%yLen]).Add(&z[1+yLen+k], &cs[k])
		}
		for e, f := range forms {
			a, b := dot(f[0], z), dot(f[1], z)
			z[nPub+e].Mul(&a, &b)
		}
		chain.Steps = append(chain.Steps, ccs.Step{Index: i, Instruction: "bench", CCS: s, Public: slices.Clone(z[:nPub]), Z: z})
		y = z[1+yLen : nPub]
	}
	if err := chain.Check(); err != nil {
		return nil, fmt.Errorf("bench: foldChain: %w", err)
	}
	return chain, nil
}
