package txproof

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/interleave"
	"github.com/ssprove/ssprove/fold/lookup"
	"github.com/ssprove/ssprove/fold/neo"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
	"github.com/ssprove/ssprove/runtime/tx"
)

// ErrProof is wrapped by the errors of a proof Verify rejects.
var ErrProof = errors.New("txproof: proof rejected")

// Verifier verifies transaction proofs, keeping the coefficients of each
// step layout's commitment key it has used (ajtai.CoefficientsOnly: 235 MB
// at 256 rows), which the opening's check then reads instead of expanding
// them from the seed, about half of a DEX proof's verification. A node
// that verifies many proofs keeps one Verifier; Verify expands nothing and
// keeps nothing. A Verifier is safe for concurrent use; the zero value is
// ready to use.
type Verifier struct {
	keys sync.Map // ccs.Digest → *ajtai.PublicParams
}

// Verify is (*Verifier).Verify with no kept key: the opening's check
// regenerates the key's coefficients from its seed as it reads them, which
// costs less than expanding the key to keep it.
func Verify(ctx context.Context, p *Proof) (*Statement, error) {
	return verify(ctx, p, func(sys *ccs.CCS) (*ajtai.PublicParams, error) {
		return keyFor(ctx, sys, ajtai.WithMemory(0))
	})
}

// Verify checks p (fold/ARITH.md § 7.5) and returns its statement, which
// holds exactly when Verify returns no error. It checks the statement
// natively (Check), rebuilds from it alone the step CCS, the commitment key
// and the memory argument's public input, replays the transaction
// transcript (§ 7.4), checks the memory argument's claims against the
// column evaluations and those against the step claims, then the chain:
// its links from the initial state the statement implies, every fold with
// its step claim and digit-plane bound, the opening of the last fold's
// combined claim, and that the root returned by the last step.
//
// A statement that fails Check is Check's error; anything else rejected
// wraps ErrProof. ctx is checked between folds and in the decider.
func (v *Verifier) Verify(ctx context.Context, p *Proof) (*Statement, error) {
	return verify(ctx, p, func(sys *ccs.CCS) (*ajtai.PublicParams, error) {
		d := sys.Digest()
		if pp, ok := v.keys.Load(d); ok {
			return pp.(*ajtai.PublicParams), nil
		}
		pp, err := keyFor(ctx, sys, ajtai.CoefficientsOnly())
		if err != nil {
			return nil, err
		}
		stored, _ := v.keys.LoadOrStore(d, pp)
		return stored.(*ajtai.PublicParams), nil
	})
}

// verify is Verify with the commitment key of a step CCS from key.
func verify(ctx context.Context, p *Proof, key func(*ccs.CCS) (*ajtai.PublicParams, error)) (*Statement, error) {
	if p == nil || p.Statement == nil || p.Memory == nil || p.Chain == nil {
		return nil, fmt.Errorf("%w: incomplete proof", ErrProof)
	}
	s := p.Statement
	if err := s.Check(); err != nil {
		return nil, err
	}
	l, err := interleave.NewLayout(int(s.Rows))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProof, err)
	}
	sys, err := l.CCS()
	if err != nil {
		return nil, fmt.Errorf("txproof: Verify: %w", err)
	}
	pp, err := key(sys)
	if err != nil {
		return nil, err
	}
	n := int(s.Steps)
	steps := p.Chain.Steps
	if len(steps) != n || len(p.Chain.Folds) != n || len(p.Evals) != n {
		return nil, fmt.Errorf("%w: %d steps, %d folds and %d step claims for a statement of %d steps",
			ErrProof, len(steps), len(p.Chain.Folds), len(p.Evals), n)
	}
	for i, st := range steps {
		if len(st.X) != interleave.XLen {
			return nil, fmt.Errorf("%w: step %d has a public input of %d values, want %d", ErrProof, i, len(st.X), interleave.XLen)
		}
	}
	pub, err := s.public()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProof, err)
	}

	tr := newTranscript(pp, l, sys, s)
	absorbSteps(tr, steps)
	shapes, err := interleave.Shapes(l, n, pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProof, err)
	}
	claims, err := lookup.Verify(tr, shapes, p.Memory)
	if err != nil {
		return nil, fmt.Errorf("%w: memory argument: %w", ErrProof, err)
	}
	rowPoint, err := interleave.CheckClaims(l, n, pub, p.Cells, claims)
	if err != nil {
		return nil, fmt.Errorf("%w: memory argument: %w", ErrProof, err)
	}
	tr.AppendExt("tx/cells", p.Cells...)
	point := stepPoint(tr, l, sys)
	rStep, err := splitPoint(l, rowPoint, point)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProof, err)
	}
	base := pp.Params().Base
	matrices := len(sys.Matrices())
	stepClaims := make([]neo.Claim, n)
	for i, y := range p.Evals {
		if len(y) != matrices+1 || slices.ContainsFunc(y, func(v []lookup.K) bool { return len(v) != ring.D }) {
			return nil, fmt.Errorf("%w: step %d's claim is not %d vectors of %d evaluations", ErrProof, i, matrices+1, ring.D)
		}
		X, err := decomp.Embed(steps[i].X, base, ring.D)
		if err != nil {
			return nil, fmt.Errorf("%w: step %d's public input: %w", ErrProof, i, err)
		}
		stepClaims[i] = neo.Claim{C: steps[i].C, X: X, R: slices.Clone(point), Y: y}
	}
	absorbEvals(tr, p.Evals)
	if err := checkCells(rStep, point, p.Cells, p.Evals, base); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProof, err)
	}
	digest := tr.ChallengeFields("tx/digest", 4)

	xs := make([][]goldilocks.Element, n)
	for i, st := range steps {
		xs[i] = st.X
	}
	if last := xs[n-1]; !last[1+interleave.StateLen+interleave.CellEnded].IsOne() {
		return nil, fmt.Errorf("%w: the root coordination script has not returned after the last step", ErrProof)
	}
	y0 := interleave.InitialState(pub.Input)
	chain, err := publicChain(l, y0[:], xs)
	if err != nil {
		return nil, fmt.Errorf("txproof: Verify: %w", err)
	}
	if _, err := p.Chain.Verify(ctx, pp, chain, chainOptions(stepClaims, digest)...); err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", ErrProof, err)
	}
	return s, nil
}

// public returns the memory argument's public input that s implies
// (fold/ARITH.md § 6.1): the process table and init ref without the trace's
// host calls, the touched datum cells with their values after, the host
// calls per process and per host function, and every process's final
// status and tok: a token's owner after, a UTXO's or external owner's live
// tokens after (ownsAfter), 0 for a coordination script.
func (s *Statement) public() (*interleave.Public, error) {
	in, err := interleaveInput(s, &tx.Trace{})
	if err != nil {
		return nil, err
	}
	owns, err := s.ownsAfter()
	if err != nil {
		return nil, err
	}
	pub := &interleave.Public{
		Input: in,
		Calls: make([]uint64, len(s.Procs)),
		Final: make([]interleave.Final, len(s.Procs)),
	}
	for i := range s.Procs {
		p := &s.Procs[i]
		pub.Calls[i] = uint64(p.HostCalls)
		tok := owns[i]
		if p.Kind == KindToken {
			tok = uint64(p.OwnerAfter)
		}
		pub.Final[i] = interleave.Final{Status: interleave.Status(p.StatusAfter), Tok: tok}
	}
	for c, k := range s.Kinds {
		pub.Kinds[c] = uint64(k)
	}
	for _, d := range s.Datum {
		p := s.proc(d.Proc)
		if p == nil || d.Slot >= tx.DatumSlots {
			return nil, fmt.Errorf("%w: datum cell (%d, %d) is not a process's slot", ErrStatement, d.Proc, d.Slot)
		}
		pub.Datum = append(pub.Datum, interleave.Datum{Proc: d.Proc, Slot: d.Slot, After: p.DatumAfter[d.Slot]})
	}
	return pub, nil
}

// publicChain is the chain a verifier holds: the layout's CCS and spec,
// y0, and each step's public input xs[s], without witnesses. It is
// interleave's Witness.Chain of placeholder steps, so that the spec is the
// prover's by construction.
func publicChain(l *interleave.Layout, y0 []goldilocks.Element, xs [][]goldilocks.Element) (*ccs.Chain, error) {
	zero := make([]goldilocks.Element, l.Cells())
	w := &interleave.Witness{Layout: l, Y0: y0, Steps: make([][]goldilocks.Element, len(xs))}
	for i := range w.Steps {
		w.Steps[i] = zero
	}
	c, err := w.Chain()
	if err != nil {
		return nil, err
	}
	for i := range c.Steps {
		c.Steps[i].Public, c.Steps[i].Z = slices.Clone(xs[i]), nil
	}
	return c, nil
}
