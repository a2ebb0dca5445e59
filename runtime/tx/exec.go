package tx

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
)

// Store is what execution reads of the ledger; *ledger.Ledger is one. Execution never
// writes: Apply commits a Result.
type Store interface {
	Program(h program.Hash) (*ledger.Program, error)
	ProgramByName(name string) (*ledger.Program, error)
	UTXO(id uint64) (*ledger.UTXO, error)
	OwnedBy(owner uint64) ([]uint64, error)
	NextID() (uint64, error)
}

// Options configure an Executor.
type Options struct {
	Engine Engine
	// Limits bound every module loaded; zero fields take wasm.DefaultLimits.
	Limits wasm.Limits
	// TraceInstructions keeps every process's instruction trace (Trace.Instructions).
	// It needs the interpreter: with Wazero it is an error, with Check the
	// interpreter's run provides it.
	TraceInstructions bool
}

// Executor executes transactions. It keeps the programs it has loaded and compiled, so
// that one Executor running many transactions pays for each program once. It is not
// safe for concurrent use.
type Executor struct {
	opts     Options
	interp   *interpBackend
	wazero   *wazeroBackend
	programs map[program.Hash]*loaded
}

// NewExecutor makes an executor. ctx is used only while starting the engines.
func NewExecutor(ctx context.Context, opts Options) (*Executor, error) {
	if opts.Limits == (wasm.Limits{}) {
		opts.Limits = wasm.DefaultLimits()
	}
	x := &Executor{opts: opts, programs: make(map[program.Hash]*loaded)}
	switch opts.Engine {
	case Interp:
	case Wazero, Check:
		if opts.Engine == Wazero && opts.TraceInstructions {
			return nil, errors.New("tx: instruction traces need the interpreter (engine interp or check)")
		}
		w, err := newWazeroBackend(ctx, opts.Limits)
		if err != nil {
			return nil, err
		}
		x.wazero = w
	default:
		return nil, fmt.Errorf("tx: unknown engine %v", opts.Engine)
	}
	if opts.Engine != Wazero {
		x.interp = &interpBackend{lim: opts.Limits}
	}
	return x, nil
}

// Close releases the engines.
func (x *Executor) Close(ctx context.Context) error {
	if x.wazero != nil {
		return x.wazero.close(ctx)
	}
	return nil
}

// Result is an executed transaction: what happened and what committing it writes.
type Result struct {
	// Content is the transaction as it ran, resolved against the ledger.
	Content
	// Hash names the transaction: Hash(&r.Content).
	Hash [32]byte
	// Processes is the transaction's process table, in id order.
	Processes []Process
	Trace     *Trace
	FuelUsed  uint64
	// Minted and Burned are the amounts per token program.
	Minted, Burned map[program.Hash]uint64
	// OwnedAtRest counts the tokens the ledger had bound to each input UTXO and to the
	// owner of each input token before the transaction ran (Store.OwnedBy), whether or not
	// the transaction loads those tokens: what an owner may not burn with.
	OwnedAtRest map[uint64]int
	// Commit is what ledger.Apply writes for this transaction.
	Commit *ledger.Commit
}

// Process is one row of the process table, as the transaction left it.
type Process struct {
	PID     uint64
	Program program.Hash
	Kind    program.Kind
	// Input: the process was listed by the transaction; Version is then the version
	// it had. Created: the transaction made it (the root coordination script included).
	Input, Created bool
	Version        uint64
	Status         Status
	Amount, Owner  uint64
	// OwnerBefore is an input token's owner at rest (0: unbound or not an input token).
	OwnerBefore uint64
	// InitRef and Creator are what init() returns to a created process: its init ref and
	// the pid of the process that created it (the root's init ref is 1, the transaction's
	// arguments, and its creator 0). Both are 0 for inputs.
	InitRef, Creator uint64
	HostCalls        int
	// StateBefore is the SHA-256 of an input's state at rest before the transaction;
	// StateHash that of the state a yielded UTXO or token was left in.
	StateBefore, StateHash [32]byte
	// DatumBefore are an input's datum slots at rest (zero for created processes),
	// DatumAfter the slots when the transaction ended.
	DatumBefore, DatumAfter [DatumSlots]uint64
}

// Status is where a process stands.
type Status uint8

const (
	Idle      Status = iota // created, not yet run
	Suspended               // at a yield (or at rest, for an input not resumed)
	Running
	Waiting   // resumed another process and waits to be activated again
	InEffect  // raised an effect and waits for the handler's answer
	Burned    // finished, consumed without continuation
	Returned  // a coordination script that finished
	Untouched // an input the transaction never resumed
)

func (s Status) String() string {
	switch s {
	case Idle:
		return "idle"
	case Suspended:
		return "yielded"
	case Running:
		return "running"
	case Waiting:
		return "waiting"
	case InEffect:
		return "in effect"
	case Burned:
		return "burned"
	case Returned:
		return "returned"
	case Untouched:
		return "untouched"
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Execute runs t against st and returns what happened; it commits nothing (Apply does).
// A transaction that breaks a rule, traps, runs out of fuel or names what does not exist
// is an error; a rule's error has its sentinel (ErrOnlyCoordinator, …) in the chain.
func (x *Executor) Execute(ctx context.Context, st Store, t *Transaction) (*Result, error) {
	switch x.opts.Engine {
	case Interp:
		return x.run(ctx, st, t, x.interp, x.opts.TraceInstructions)
	case Wazero:
		return x.run(ctx, st, t, x.wazero, false)
	}
	ri, erri := x.run(ctx, st, t, x.interp, x.opts.TraceInstructions)
	rw, errw := x.run(ctx, st, t, x.wazero, false)
	if err := compareRuns(ri, erri, rw, errw); err != nil {
		return nil, err
	}
	return ri, erri
}

// Apply executes t and commits it to l when it succeeds.
func (x *Executor) Apply(ctx context.Context, l *ledger.Ledger, t *Transaction) (*Result, error) {
	r, err := x.Execute(ctx, l, t)
	if err != nil {
		return nil, err
	}
	if err := l.Apply(ctx, r.Commit); err != nil {
		return nil, fmt.Errorf("tx: commit: %w", err)
	}
	return r, nil
}

func (x *Executor) program(st Store, h program.Hash) (*loaded, error) {
	if p, ok := x.programs[h]; ok {
		return p, nil
	}
	rec, err := st.Program(h)
	if err != nil {
		if errors.Is(err, ledger.ErrUnknownProgram) {
			return nil, fmt.Errorf("%w: %s", ErrUnknownProgram, h)
		}
		return nil, err
	}
	p, err := load(rec.Module, x.opts.Limits)
	if err != nil {
		return nil, fmt.Errorf("program %s: %w", h.Short(), err)
	}
	if p.hash != h {
		return nil, fmt.Errorf("program %s: the ledger's module hashes to %s", h, p.hash)
	}
	x.programs[h] = p
	return p, nil
}

// resolve finds a program by deployed name or hex hash.
func resolve(st Store, name string) (program.Hash, error) {
	if h, err := program.Parse(name); err == nil {
		return h, nil
	}
	p, err := st.ProgramByName(name)
	if err != nil {
		if errors.Is(err, ledger.ErrUnknownProgram) {
			return program.Hash{}, fmt.Errorf("%w: no program named %q", ErrUnknownProgram, name)
		}
		return program.Hash{}, err
	}
	return p.Hash, nil
}

func (x *Executor) run(ctx context.Context, st Store, t *Transaction, be backend, traceInstr bool) (*Result, error) {
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	next, err := st.NextID()
	if err != nil {
		return nil, err
	}
	m := &machine{
		ctx: ctx, x: x, st: st, be: be,
		procs:    make(map[uint64]*proc),
		handlers: make(map[[4]uint64][]uint64),
		startID:  next, nextID: next,
		trace:  &Trace{},
		minted: make(map[program.Hash]uint64),
		burned: make(map[program.Hash]uint64),
		fuel:   t.Fuel,
	}
	if m.fuel == 0 {
		m.fuel = DefaultFuel
	}
	if traceInstr {
		m.trace.Instructions = make(map[uint64]*interp.Columns)
	}
	defer m.closeAll()
	res, err := m.execute(t)
	if err != nil {
		return nil, fmt.Errorf("tx: %w", err)
	}
	return res, nil
}

// compareRuns is the check mode's verdict on the interpreter's run (i) and wazero's (w).
func compareRuns(ri *Result, erri error, rw *Result, errw error) error {
	if (erri == nil) != (errw == nil) {
		return fmt.Errorf("%w: interp: %v; wazero: %v", ErrEngineMismatch, errOrOK(erri), errOrOK(errw))
	}
	if erri != nil {
		if ki, kw := failureKey(erri), failureKey(errw); ki != kw {
			return fmt.Errorf("%w: interp failed with %v; wazero with %v", ErrEngineMismatch, erri, errw)
		}
		return nil
	}
	if err := ri.equal(rw); err != nil {
		return fmt.Errorf("%w: %v", ErrEngineMismatch, err)
	}
	return nil
}

func errOrOK(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// failureKey is what two engines must agree on about a failure: where it happened and
// which rule, not the engine's wording of a trap.
func failureKey(err error) string {
	var v *Violation
	if !errors.As(err, &v) {
		return "other: " + err.Error()
	}
	rule := "unknown rule"
	for _, r := range rules {
		if errors.Is(v.Err, r) {
			rule = r.Error()
			break
		}
	}
	return fmt.Sprintf("%d/%s/%d/%s", v.PID, v.Call, v.Seq, rule)
}

func (r *Result) equal(o *Result) error {
	switch {
	case r.Hash != o.Hash:
		return errors.New("transaction hashes differ")
	case r.FuelUsed != o.FuelUsed:
		return fmt.Errorf("fuel used: interp %d, wazero %d", r.FuelUsed, o.FuelUsed)
	case !slices.Equal(r.Processes, o.Processes):
		return errors.New("process tables differ")
	}
	if err := r.Trace.equal(o.Trace); err != nil {
		return err
	}
	a, b := r.Commit, o.Commit
	if len(a.Put) != len(b.Put) {
		return errors.New("committed UTXOs differ")
	}
	for i := range a.Put {
		if a.Put[i].ID != b.Put[i].ID || a.Put[i].Version != b.Put[i].Version || string(a.Put[i].State) != string(b.Put[i].State) {
			return fmt.Errorf("final state of process %d differs", a.Put[i].ID)
		}
	}
	return nil
}

func sortedHashes(m map[program.Hash]uint64) []program.Hash {
	keys := make([]program.Hash, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b program.Hash) int { return slices.Compare(a[:], b[:]) })
	return keys
}
