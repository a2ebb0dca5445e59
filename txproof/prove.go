package txproof

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/interleave"
	"github.com/ssprove/ssprove/fold/lookup"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/neo"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/runtime/tx"
)

// ErrProve is wrapped by the errors of a transaction Prove cannot prove: a
// trace the rows or the memory argument refuse, or a statement that does
// not hold.
var ErrProve = errors.New("txproof: cannot prove the transaction")

// Phase names a stage of Prove, for progress reports (fold/ARITH.md § 7.5).
type Phase string

// Prove's phases, in order.
const (
	PhaseTrace Phase = "trace"
	// PhaseSetup is the step CCS and its commitment key, built once per
	// layout in a process and cached.
	PhaseSetup   Phase = "setup"
	PhaseCommit  Phase = "commit"
	PhaseMemory  Phase = "memory argument"
	PhaseFolding Phase = "folding"
	// PhaseDecider is the opening of the last fold's combined claim: its
	// quotients (a one-step proof has them from its commitment).
	PhaseDecider Phase = "decider"
)

// Option configures Prove.
type Option func(*config)

type config struct {
	progress func(Phase)
	rows     int
}

// WithProgress has Prove call fn as it enters each phase.
func WithProgress(fn func(Phase)) Option {
	return func(c *config) { c.progress = fn }
}

// WithRows has Prove lay the trace out in steps of rows rows (one of
// interleave.StepRows) instead of choosing: a trace longer than a step is
// proved in several.
func WithRows(rows int) Option {
	return func(c *config) { c.rows = rows }
}

func (c *config) enter(p Phase) {
	if c.progress != nil {
		c.progress(p)
	}
}

// Transcript constants of fold/ARITH.md § 7.4.
const (
	txProtocol = "ssprove/tx/v1"
	// seedDomain prefixes the CCS digest that the commitment key's seed is
	// hashed from: the key of a layout is fixed by the layout alone, so
	// that prover and verifier derive it without exchanging anything.
	seedDomain = "ssprove/tx/seed/v1"
	// presetGoldilocks identifies ajtai.Goldilocks, the one preset proofs
	// use: every honest cell is below 2^32 in magnitude, so b = 2 holds it.
	presetGoldilocks = 1
	// layoutVersion identifies fold/interleave's row layout and tables; the
	// CCS digest binds them too, this names them in the transcript.
	layoutVersion = 1
	// cellPlanes bounds a step's cells to 2^32 in magnitude (the S32
	// check of fold/ARITH.md § 4.1).
	cellPlanes = 32
)

// Prover proves transactions. It keeps the commitment key of each step
// layout it has proved with: expanding one costs more than proving a small
// transaction (κ·d·m words, their transforms and κ·m·1.5 KB of memory), so
// a process that proves many transactions keeps one Prover. A Prover is
// safe for concurrent use; the zero value is ready to use.
type Prover struct {
	keys sync.Map // ccs.Digest → *ajtai.PublicParams
	// once marks a Prover for a single proof (Prove): a one-step proof
	// then keeps only the key's coefficients, a quarter of the memory and
	// of the setup time, and transforms the columns its one commitment
	// needs in the NTT form.
	once bool
}

// Prove is (*Prover).Prove with a Prover of its own, which expands the
// commitment key for this proof alone.
func Prove(ctx context.Context, r *tx.Result, opts ...Option) (*Proof, error) {
	return (&Prover{once: true}).Prove(ctx, r, opts...)
}

// Prove proves the executed transaction r (fold/ARITH.md § 7.5): it states
// r (FromResult), lays its trace out in steps of the smallest R that holds
// it in one step (else 512), commits every step, runs the memory argument
// over the steps' columns, binds its claims to the steps through one claim
// per step, and folds the steps with those claims into a chain whose last
// fold stops after Π_RLC, the combined claim opened (fold/ARITH.md § 8.3).
// WithRows fixes R instead. The statement is
// checked (Check) before anything is proved.
//
// A trace whose rows violate the constraint table is refused with
// fold/interleave's *RowError naming the op and the constraint; an
// unbalanced memory, a statement that disagrees with the trace or any other
// refusal wraps ErrProve. ctx is checked inside the commitments and folds.
func (pr *Prover) Prove(ctx context.Context, r *tx.Result, opts ...Option) (*Proof, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	if r == nil || r.Trace == nil {
		return nil, fmt.Errorf("%w: no executed transaction or no trace", ErrProve)
	}
	cfg.enter(PhaseTrace)
	s, err := FromResult(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	in, err := interleaveInput(s, r.Trace)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	w, err := interleave.Build(in, cfg.rows)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	s.Rows, s.Steps = uint32(w.Layout.Rows), uint32(len(w.Steps))
	if err := s.Check(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	// What the verifier derives from the statement must be what the trace
	// did, or the proof would not verify: refuse here, naming the part.
	pub, err := s.public()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	if err := samePublic(pub, w.Public); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	if y0 := interleave.InitialState(pub.Input); !slices.Equal(y0[:], w.Y0) {
		return nil, fmt.Errorf("%w: the statement's initial state is not the trace's", ErrProve)
	}
	chain, err := w.Chain()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	sys := chain.Steps[0].CCS
	cfg.enter(PhaseSetup)
	pp, err := pr.commitmentKey(ctx, sys, len(w.Steps))
	if err != nil {
		return nil, err
	}
	prover, err := neo.NewProver(pp, sys)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}

	// § 7.4, 1–3: parameters, statement, every step's x and commitment.
	cfg.enter(PhaseCommit)
	tr := newTranscript(pp, w.Layout, sys, s)
	steps := make([]neo.MCS, len(w.Steps))
	wits := make([]neo.MCSWitness, len(w.Steps))
	for i, z := range w.Steps {
		if steps[i], wits[i], err = prover.Commit(ctx, z); err != nil {
			return nil, fmt.Errorf("%w: step %d: %w", ErrProve, i, err)
		}
	}
	absorbSteps(tr, steps)

	// 4: the memory argument, its challenges drawn after every commitment.
	cfg.enter(PhaseMemory)
	groups, err := w.Groups()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	mem, claims, err := lookup.Prove(ctx, tr, groups)
	if err != nil {
		return nil, fmt.Errorf("%w: memory argument: %w", ErrProve, err)
	}

	// 5–7: the column evaluations, r_cell, the step claims, H_tx.
	if len(claims) == 0 || len(claims[0].Point) < 2 {
		return nil, fmt.Errorf("%w: the memory argument made no claim on the steps", ErrProve)
	}
	cells, err := w.ColumnEvals(claims[0].Point[2:])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	rowPoint, err := interleave.CheckClaims(w.Layout, len(w.Steps), pub, cells, claims)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	tr.AppendExt("tx/cells", cells...)
	point := stepPoint(tr, w.Layout, sys)
	rStep, err := splitPoint(w.Layout, rowPoint, point)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	stepClaims := make([]neo.Claim, len(steps))
	evals := make([][][]lookup.K, len(steps))
	for i := range steps {
		if stepClaims[i], err = prover.Claim(steps[i], wits[i], point); err != nil {
			return nil, fmt.Errorf("%w: step %d: %w", ErrProve, i, err)
		}
		evals[i] = stepClaims[i].Y
	}
	absorbEvals(tr, evals)
	if err := checkCells(rStep, point, cells, evals, pp.Params().Base); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	digest := tr.ChallengeFields("tx/digest", 4)

	// 8: the chain, each fold carrying its step's claim, and the opening.
	cfg.enter(PhaseFolding)
	decider := neo.WithProgress(func(done, total int) {
		if done == total {
			cfg.enter(PhaseDecider)
		}
	})
	cp, err := prover.ProveCombined(ctx, chain, append(chainOptions(stepClaims, digest), neo.WithCommitted(steps, wits), decider)...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProve, err)
	}
	return &Proof{Statement: s, Memory: mem, Cells: cells, Evals: evals, Chain: cp}, nil
}

// samePublic returns an error naming the first part of the memory
// argument's public input that the statement (want) and the trace (got)
// disagree on.
func samePublic(want, got *interleave.Public) error {
	switch {
	case !slices.Equal(want.Calls, got.Calls):
		return errors.New("the statement's host calls per process are not the trace's")
	case want.Kinds != got.Kinds:
		return errors.New("the statement's host calls per host function are not the trace's")
	case !slices.Equal(want.Final, got.Final):
		for i := range want.Final {
			if i < len(got.Final) && want.Final[i] != got.Final[i] {
				return fmt.Errorf("process %d ends %v with tok %d in the statement, %v with tok %d in the trace",
					i+1, want.Final[i].Status, want.Final[i].Tok, got.Final[i].Status, got.Final[i].Tok)
			}
		}
		return errors.New("the statement's final process records are not the trace's")
	case !slices.Equal(want.Datum, got.Datum):
		return errors.New("the statement's datum cells are not the trace's")
	}
	return nil
}

// commitmentKey returns the prover's commitment key for witnesses of sys
// (keyFor), expanded and kept in memory, from pr's cache when it has it.
// For a single proof of one step only the coefficients are kept: its one
// commitment transforms the few columns it needs faster than the whole key
// would be. A chain commits k digit planes per fold, for which the whole
// key pays.
func (pr *Prover) commitmentKey(ctx context.Context, sys *ccs.CCS, steps int) (*ajtai.PublicParams, error) {
	d := sys.Digest()
	if pp, ok := pr.keys.Load(d); ok {
		return pp.(*ajtai.PublicParams), nil
	}
	var opts []ajtai.Option
	if pr.once && steps == 1 {
		opts = append(opts, ajtai.CoefficientsOnly())
	}
	pp, err := keyFor(ctx, sys, opts...)
	if err != nil {
		return nil, err
	}
	stored, _ := pr.keys.LoadOrStore(d, pp)
	return stored.(*ajtai.PublicParams), nil
}

// keyFor returns the Goldilocks commitment key for witnesses of sys,
// expanded from SHA-256(seedDomain ‖ the CCS digest in hex), with opts. The
// verifier's key is not expanded (ajtai.WithMemory(0)): it only checks the
// opening, which reads the matrix once as it regenerates it.
func keyFor(ctx context.Context, sys *ccs.CCS, opts ...ajtai.Option) (*ajtai.PublicParams, error) {
	seed := sha256.Sum256([]byte(seedDomain + sys.Digest().String()))
	pp, err := ajtai.Setup(ctx, ajtai.Goldilocks(sys.NumVariables()), seed[:], opts...)
	if err != nil {
		return nil, fmt.Errorf("txproof: commitment key: %w", err)
	}
	return pp, nil
}

// newTranscript is the transaction transcript after fold/ARITH.md § 7.4
// steps 1 and 2: the key, the parameters, the layout, the CCS digest and
// the statement.
func newTranscript(pp *ajtai.PublicParams, l *interleave.Layout, sys *ccs.CCS, s *Statement) *transcript.Transcript {
	tr := transcript.New(txProtocol)
	seed := pp.Seed()
	tr.AppendBytes("pp", seed[:])
	p := pp.Params()
	tr.AppendUint64("params", presetGoldilocks, uint64(p.Kappa), uint64(p.D), p.Base, uint64(p.K), p.Bound, p.T)
	tr.AppendUint64("layout", layoutVersion, uint64(l.Rows), interleave.Width, uint64(sys.NumVariables()), uint64(sys.NumConstraints()))
	d := sys.Digest()
	tr.AppendField("ccs", d[:]...)
	s.Absorb(tr)
	return tr
}

// absorbSteps is § 7.4 step 3: the step count, then every step's x and
// commitment.
func absorbSteps(tr *transcript.Transcript, steps []neo.MCS) {
	tr.AppendUint64("tx/steps", uint64(len(steps)))
	for _, st := range steps {
		tr.AppendField("tx/x", st.X...)
		tr.AppendCommitment("tx/c", st.C)
	}
}

// absorbEvals is § 7.4 step 6: every step claim's Y, flattened by matrix
// then digit plane.
func absorbEvals(tr *transcript.Transcript, evals [][][]lookup.K) {
	for _, y := range evals {
		tr.AppendExt("tx/claim", slices.Concat(y...)...)
	}
}

// stepPoint draws r_cell (§ 7.4 step 5, after v is absorbed) and returns
// the step claims' point r* = (0…0, ρ_row, r_cell) of ℓ_n coordinates, ρ_row
// left for the caller to fill: the leading zeros pad the m = R·W cells of a
// step to the CCS's 2^ℓ_n rows.
func stepPoint(tr *transcript.Transcript, l *interleave.Layout, sys *ccs.CCS) []lookup.K {
	n := mle.NumVars(max(sys.NumVariables(), sys.NumConstraints()))
	point := make([]lookup.K, n)
	cell := mle.NumVars(interleave.Width)
	for i := n - cell; i < n; i++ {
		point[i] = tr.ChallengeExt("tx/rcell")
	}
	return point
}

// splitPoint copies ρ_row, the last log R coordinates of CheckClaims's
// (ρ_step, ρ_row), into point ahead of r_cell, and returns ρ_step.
func splitPoint(l *interleave.Layout, rowPoint, point []lookup.K) ([]lookup.K, error) {
	rows, cell := mle.NumVars(l.Rows), mle.NumVars(interleave.Width)
	if len(rowPoint) < rows || len(point) < rows+cell {
		return nil, fmt.Errorf("the memory argument's point has %d coordinates, fewer than log R = %d", len(rowPoint), rows)
	}
	copy(point[len(point)-cell-rows:], rowPoint[len(rowPoint)-rows:])
	return rowPoint[:len(rowPoint)-rows], nil
}

// checkCells is § 7.3 step 3: Σ_s eq(ρ_step, s)·e_s = Σ_c eq(r_cell, c)·v_c,
// where e_s = Σ_ρ b^ρ·Y_s[0][ρ] is step s's witness at r*, so that the column
// evaluations v are the committed steps'. The caller has checked the shapes
// of evals.
func checkCells(rStep, point, cells []lookup.K, evals [][][]lookup.K, base uint64) error {
	eqStep, err := mle.EqTable(rStep)
	if err != nil {
		return err
	}
	if len(evals) > len(eqStep) {
		return fmt.Errorf("%d steps at a point of %d step variables", len(evals), len(rStep))
	}
	eqCell, err := mle.EqTable(point[len(point)-mle.NumVars(interleave.Width):])
	if err != nil {
		return err
	}
	if len(cells) != len(eqCell) {
		return fmt.Errorf("%d column evaluations, want %d", len(cells), len(eqCell))
	}
	var target, sum, t lookup.K
	for c := range cells {
		t.Mul(&eqCell[c], &cells[c])
		target.Add(&target, &t)
	}
	b := goldilocks.NewElement(base)
	for s, y := range evals {
		var e lookup.K
		pow := goldilocks.One()
		for _, digit := range y[0] {
			t.MulByElement(&digit, &pow)
			e.Add(&e, &t)
			pow.Mul(&pow, &b)
		}
		t.Mul(&eqStep[s], &e)
		sum.Add(&sum, &t)
	}
	if !sum.Equal(&target) {
		return errors.New("the steps' claims do not evaluate to the column evaluations")
	}
	return nil
}

// chainOptions are the options of the chain's proof and verification:
// cells below 2^32, the step claims, and H_tx in the header.
func chainOptions(claims []neo.Claim, digest []goldilocks.Element) []neo.ChainOption {
	return []neo.ChainOption{neo.WithDigitPlanes(cellPlanes), neo.WithStepClaims(claims), neo.WithHeaderData(digest)}
}
