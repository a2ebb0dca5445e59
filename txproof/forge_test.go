package txproof

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/interleave"
	"github.com/ssprove/ssprove/fold/lookup"
	"github.com/ssprove/ssprove/fold/neo"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/runtime/tx"
)

// The forged-trace harness of issue 10 (fold/ARITH.md § 10). Every forgery starts from a
// real DEX transaction, its statement, its interleave.Input and its honest witness, and
// edits one of them the way a prover that bypasses the runtime's checks (and, for the
// witness, its own) would. Each is refused by the layer fold/ARITH.md § 10 names, for the
// reason it names; the same layer accepts the untampered transaction first, so that a
// refusal is the forgery's and not the harness's.

// subject is what a forgery edits: one transaction's statement, the interleaving
// input made from it and its trace, and the witness Build made of that input.
type subject struct {
	stmt *Statement
	in   *interleave.Input
	wit  *interleave.Witness
}

// newSubject is r's statement (one step of 256 rows), input and witness.
func newSubject(t *testing.T, r *tx.Result) *subject {
	t.Helper()
	x := &subject{stmt: stated(t, r)}
	var err error
	if x.in, err = interleaveInput(x.stmt, r.Trace); err != nil {
		t.Fatal(err)
	}
	if x.wit, err = interleave.Build(x.in, int(x.stmt.Rows)); err != nil {
		t.Fatal(err)
	}
	return x
}

// rebuild builds the witness of a forged input that the row checker accepts, and checks
// that its memory argument balances against what the rows say happened: a forgery that
// only a false statement of that outcome (claim) makes refused.
func (x *subject) rebuild(t *testing.T) {
	t.Helper()
	var err error
	if x.wit, err = interleave.Build(x.in, int(x.stmt.Rows)); err != nil {
		t.Fatalf("Build refuses the forged input: %v", err)
	}
	if err := byMemoryArgument.refuse(t, x); err != nil {
		t.Fatalf("the forged trace's memory does not balance against its own outcome: %v", err)
	}
}

// proc is the statement index (1-based, as the rows number processes) of pid.
func (x *subject) proc(t *testing.T, pid uint64) int {
	t.Helper()
	for i, p := range x.stmt.Procs {
		if p.PID == pid {
			return i + 1
		}
	}
	t.Fatalf("no process %d", pid)
	return 0
}

// event is the position of the first host call of pid to call, with arguments that
// start with args, in the input's trace.
func (x *subject) event(t *testing.T, pid uint64, call interleave.Call, args ...uint64) int {
	t.Helper()
	return x.eventFrom(t, 0, pid, call, args...)
}

// eventFrom is event, from position from on.
func (x *subject) eventFrom(t *testing.T, from int, pid uint64, call interleave.Call, args ...uint64) int {
	t.Helper()
	for i := from; i < len(x.in.Events); i++ {
		ev := &x.in.Events[i]
		if ev.PID == pid && ev.Call == call && len(ev.Args) >= len(args) && slices.Equal(ev.Args[:len(args)], args) {
			return i
		}
	}
	t.Fatalf("process %d makes no %v call with arguments %v… from host call %d on", pid, call, args, from)
	return 0
}

// insert puts evs before the host call at position at.
func (x *subject) insert(at int, evs ...interleave.Event) {
	x.in.Events = slices.Insert(x.in.Events, at, evs...)
}

// coordination runs a coordination script the root creates before the host call at
// position at: the root's new_coord, its resume of the script, then the script's host
// calls made by calls. It returns the script's pid. DEX's only coordination script is the root, which no one
// resumed; forgeries of what only a coordination script may do need another.
func (x *subject) coordination(at int, calls func(pid uint64) []interleave.Event) uint64 {
	root := x.in.Procs[0]
	pid := x.stmt.Tx.NextID + 1
	for _, p := range x.in.Procs {
		if p.Role == interleave.RoleCreated {
			pid = max(pid, p.PID+1)
		}
	}
	x.in.Procs = append(x.in.Procs, interleave.Process{
		PID: pid, Role: interleave.RoleCreated, Kind: interleave.KindCoord, Program: root.Program, Creator: 1,
	})
	x.insert(at, append([]interleave.Event{
		{PID: root.PID, Call: interleave.CallNewCoord, Args: []uint64{1024, 0}, Data: root.Program[:], Results: []uint64{pid}},
		{PID: root.PID, Call: interleave.CallResume, Args: []uint64{pid, 0}},
	}, calls(pid)...)...)
	return pid
}

// row is the first row of op in the witness: its step and its row in the step.
func (x *subject) row(t *testing.T, op interleave.Op) (step, row int) {
	t.Helper()
	for s, z := range x.wit.Steps {
		for r := 1; r < x.wit.Layout.Rows; r++ {
			if z[r*interleave.Width+interleave.CellSel+int(op)-1].IsOne() {
				return s, r
			}
		}
	}
	t.Fatalf("no %v row", op)
	return 0, 0
}

// claim replaces the witness's public input of the memory argument by a copy whose
// Final and Input.Procs the forgery may change: what a false statement tells the
// verifier, while the rows stay the trace's.
func (x *subject) claim() *interleave.Public {
	pub := *x.wit.Public
	in := *pub.Input
	in.Procs = slices.Clone(in.Procs)
	pub.Input = &in
	pub.Final = slices.Clone(pub.Final)
	x.wit.Public = &pub
	return &pub
}

// stmtProc is the statement's process of pid.
func (x *subject) stmtProc(t *testing.T, pid uint64) *Proc {
	t.Helper()
	return &x.stmt.Procs[x.proc(t, pid)-1]
}

// count changes the statement's host-call counts as a forged trace does: n more calls of
// host function name, by pid.
func (x *subject) count(t *testing.T, pid uint64, name string, n int) {
	t.Helper()
	c, ok := tx.HostCode(name)
	if !ok {
		t.Fatalf("no host function %q", name)
	}
	x.stmt.Kinds[c] = uint32(int(x.stmt.Kinds[c]) + n)
	p := x.stmtProc(t, pid)
	p.HostCalls = uint32(int(p.HostCalls) + n)
}

// A layer is one check a forgery must not pass, run on a subject: nil is accepted.
type layer struct {
	name   string
	refuse func(t *testing.T, x *subject) error
}

var (
	// byStatementCheck is the verifier's native check of the end-of-transaction rules.
	byStatementCheck = layer{"Statement.Check", func(t *testing.T, x *subject) error { return x.stmt.Check() }}
	// byRowChecker is Build's row checker on the input, then the same checker
	// (Layout.Check) on the witness, which a forgery may have edited after Build.
	byRowChecker = layer{"row checker", func(t *testing.T, x *subject) error {
		if _, err := interleave.Build(x.in, int(x.stmt.Rows)); err != nil {
			return err
		}
		for s, z := range x.wit.Steps {
			if err := x.wit.Layout.Check(s, z); err != nil {
				return err
			}
		}
		return nil
	}}
	// byStepCCS is the step R1CS on the witness, as a prover that skips its own row
	// checker commits it: what Π_CCS proves.
	byStepCCS = layer{"step CCS", func(t *testing.T, x *subject) error {
		for s, z := range x.wit.Steps {
			if err := x.wit.Layout.CheckCCS(s, z); err != nil {
				return err
			}
		}
		return nil
	}}
	// byMemoryArgument is the logUp memory argument over the witness's groups against its
	// public input: lookup.Prove, and lookup.Verify of what it proves.
	byMemoryArgument = layer{"memory argument", func(t *testing.T, x *subject) error {
		const protocol = "ssprove/txproof/forge"
		groups, err := x.wit.Groups()
		if err != nil {
			return err
		}
		proof, _, err := lookup.Prove(context.Background(), transcript.New(protocol), groups)
		if err != nil {
			return err
		}
		shapes, err := interleave.Shapes(x.wit.Layout, len(x.wit.Steps), x.wit.Public)
		if err != nil {
			return err
		}
		_, err = lookup.Verify(transcript.New(protocol), shapes, proof)
		return err
	}}
	// byDigitPlanes is Neo's proof of the step chain under the prover's key, with every
	// witness value bounded to the prover's cellPlanes digit planes (|z| < 2^32): the S32
	// bound the table assumes.
	byDigitPlanes = layer{"digit planes", func(t *testing.T, x *subject) error {
		chain, err := x.wit.Chain()
		if err != nil {
			return err
		}
		pp, err := testProver.commitmentKey(context.Background(), chain.Steps[0].CCS, len(chain.Steps))
		if err != nil {
			t.Fatal(err)
		}
		_, _, _, err = neo.ProveChain(context.Background(), pp, chain, neo.WithDigitPlanes(cellPlanes))
		return err
	}}
)

// forgery is one forged transaction of issue 10 and the layer that must refuse it.
type forgery struct {
	name  string // as issue 10 names it
	tx    string // the DEX transaction it starts from
	layer layer
	forge func(t *testing.T, x *subject)
	want  error         // what the refusal wraps
	op    interleave.Op // for a refused row, its op
	why   string        // what the refusal names: the constraint, the process
}

// refusedBy runs a forgery against layer l: the untampered subject of r must pass l, and
// the forged one must be refused with an error wrapping want that names why (and, for a
// refused row, is a *interleave.RowError of op). It takes the layer as a parameter so
// that a forgery runs against each layer that must refuse it, the prover's checks
// (fold/ARITH.md § 10's second column) and the verifier's (its third: txproof.Verify of a
// proof made with the prover's checks bypassed) alike.
func refusedBy(t *testing.T, l layer, r *tx.Result, forge func(*testing.T, *subject), want error, op interleave.Op, why string) {
	t.Helper()
	if err := l.refuse(t, newSubject(t, r)); err != nil {
		t.Fatalf("%s refuses the untampered transaction: %v", l.name, err)
	}
	x := newSubject(t, r)
	forge(t, x)
	err := l.refuse(t, x)
	switch {
	case err == nil:
		t.Fatalf("%s accepts the forgery", l.name)
	case !errors.Is(err, want):
		t.Fatalf("%s: %v, want %v", l.name, err, want)
	case !strings.Contains(err.Error(), why):
		t.Fatalf("%s: %v, want it to name %q", l.name, err, why)
	}
	if re := (*interleave.RowError)(nil); errors.As(err, &re) && re.Op != op {
		t.Fatalf("%s refuses a %v row, want %v: %v", l.name, re.Op, op, err)
	}
	t.Logf("%s: %v", l.name, err)
}

// goldilocksQ is the Goldilocks modulus q.
const goldilocksQ = 0xFFFFFFFF00000001

// The DEX transactions forged (TestStatementDEX): in tx1, the root 1 creates the pool 2,
// its reserve tokens 3 and 4, the wallet 5 and its token 6; in tx2, a swap, the root 7
// installs the Settle handler, the wallet 5 unbinds the trader's token 6, the pool 2
// unbinds its reserves 3 and 4 and raises Settle, the root burns 3, 4 and 6 and creates
// the tokens 8 and 9 (bound to the pool) and 10 (to the wallet).
func forgeries() []forgery {
	const (
		pool, wallet = 2, 5
		root2        = 7 // tx2's root
	)
	return []forgery{
		{
			name: "a UTXO resumes a process", tx: "tx2", layer: byRowChecker,
			forge: func(t *testing.T, x *subject) {
				// The wallet, running, resumes the pool, which yields back to it.
				at := x.event(t, wallet, interleave.CallUnbind)
				x.insert(at,
					interleave.Event{PID: wallet, Call: interleave.CallResume, Args: []uint64{pool, 0}},
					interleave.Event{PID: pool, Call: interleave.CallYield, Args: []uint64{0}})
			},
			want: interleave.ErrRow, op: interleave.OpResume, why: "cu + ct = 0",
		},
		{
			name: "a yield from a coordination script", tx: "tx2", layer: byRowChecker,
			forge: func(t *testing.T, x *subject) {
				x.coordination(x.event(t, root2, interleave.CallReturn), func(coord uint64) []interleave.Event {
					return []interleave.Event{{PID: coord, Call: interleave.CallYield, Args: []uint64{0}}}
				})
			},
			want: interleave.ErrRow, op: interleave.OpYield, why: "cu + ct − 1 = 0",
		},
		{
			name: "a token bound twice", tx: "tx2", layer: byRowChecker,
			forge: func(t *testing.T, x *subject) {
				at := x.event(t, 8, interleave.CallBind)
				x.insert(at, x.in.Events[at])
			},
			want: interleave.ErrRow, op: interleave.OpBind, why: "P1.tok = 0",
		},
		{
			name: "unbound by a non-owner", tx: "tx2", layer: byRowChecker,
			forge: func(t *testing.T, x *subject) {
				// The pool, settling, unbinds the wallet's new token 10.
				at := x.event(t, pool, interleave.CallSetDatum)
				x.insert(at, interleave.Event{PID: pool, Call: interleave.CallUnbind, Args: []uint64{10}})
			},
			want: interleave.ErrRow, op: interleave.OpUnbind, why: "P2.tok − cur = 0",
		},
		{
			// The builder computes every activation from the resume that caused it and
			// refuses a trace that records another (ErrTrace), before any row is checked:
			// the forgery edits the witness after Build, giving the resumed process another
			// ref than the one passed.
			name: "a resume with the wrong expected input", tx: "tx2", layer: byStepCCS,
			forge: func(t *testing.T, x *subject) {
				s, r := x.row(t, interleave.OpResume)
				z := x.wit.Steps[s]
				aref := &z[(r+1)*interleave.Width+interleave.CellARef]
				one := goldilocks.One()
				aref.Add(aref, &one)
			},
			want: interleave.ErrRow, op: interleave.OpResume, why: "CTRL: aref' = R.addr",
		},
		{
			name: "a resume with the wrong expected input (an effect resumed by another)", tx: "tx2", layer: byRowChecker,
			forge: func(t *testing.T, x *subject) {
				// The pool raised Settle to the root; another coordination script resumes
				// it in the root's stead. The pool still yields to the root, which resumed it
				// before it raised Settle, and the script is left waiting: a second
				// forgery, after the row that refuses the first.
				i := x.eventFrom(t, x.event(t, pool, interleave.CallEffect), root2, interleave.CallResume, pool)
				resume := x.in.Events[i]
				x.in.Events = slices.Delete(x.in.Events, i, i+1)
				coord := x.coordination(i, func(coord uint64) []interleave.Event {
					resume.PID = coord
					return []interleave.Event{resume}
				})
				// The pool's activation names its new caller.
				act := &x.in.Events[i+3]
				if act.PID != pool || act.Call != interleave.CallActivation {
					t.Fatalf("host call %d is %v by %d, want the pool's activation", i+3, act.Call, act.PID)
				}
				act.Data = slices.Clone(act.Data)
				act.Data[0] = coord
			},
			want: interleave.ErrRow, op: interleave.OpResumeEff, why: "P2.hd − cur = 0",
		},
		{
			name: "a handler popped by a process that did not install it", tx: "tx2", layer: byRowChecker,
			forge: func(t *testing.T, x *subject) {
				// Another coordination script pops the root's Settle handler, which the
				// root no longer pops. (A UTXO popping it is refused before that: only a
				// coordination script may, cu + ct = 0.)
				at := x.event(t, root2, interleave.CallUninstallHandler)
				uninstall := x.in.Events[at]
				x.in.Events = slices.Delete(x.in.Events, at, at+1)
				x.coordination(at, func(coord uint64) []interleave.Event {
					uninstall.PID = coord
					return []interleave.Event{uninstall, {PID: coord, Call: interleave.CallReturn}}
				})
			},
			want: interleave.ErrRow, op: interleave.OpUninstall, why: "P3.o1 − cur = 0",
		},
		{
			name: "a ref read out of bounds", tx: "tx2", layer: byRowChecker,
			forge: func(t *testing.T, x *subject) {
				// The root reads row 7 of the init ref 1, whose last row is 6 (the header,
				// five inputs, one argument row): the arena row past it is row 0 of ref 2,
				// which the root wrote before. The read is a true read of memory; only the
				// bound on the row refuses it.
				at := x.event(t, root2, interleave.CallRefGet, 1, 6)
				ref2 := x.in.Events[x.event(t, root2, interleave.CallRefPush)]
				ev := &x.in.Events[at]
				ev.Args = []uint64{1, 7, ev.Args[2]}
				ev.Data = slices.Clone(ref2.Args)
			},
			want: interleave.ErrRange, op: interleave.OpRefGet, why: "u2 = 2^32 − 1 − (size − 1 − row) is not ≥ 0",
		},
		{
			// A trace cannot leave a UTXO running or waiting once the root has returned
			// (the root runs last); the UTXO that is neither finalized nor yielded is the
			// wallet of tx1, created and never resumed: the root's resume, the wallet's
			// activation and yield and the root's activation after it are dropped.
			name: "a UTXO left neither finalized nor yielded (honestly stated)", tx: "tx1", layer: byStatementCheck,
			forge: func(t *testing.T, x *subject) {
				p := x.stmtProc(t, wallet)
				p.StatusAfter, p.StateAfter = StatusIdle, [32]byte{}
				x.count(t, 1, "resume", -1)
				x.count(t, 1, "activation", -1)
				x.count(t, wallet, "activation", -1)
				x.count(t, wallet, "yield", -1)
			},
			want: tx.ErrNotFinished, why: "pid 5",
		},
		{
			name: "a UTXO left neither finalized nor yielded (stated yielded)", tx: "tx1", layer: byMemoryArgument,
			forge: func(t *testing.T, x *subject) {
				resume := x.event(t, 1, interleave.CallResume, wallet)
				// The resume, the wallet's activation and yield, the root's activation.
				x.in.Events = slices.Delete(x.in.Events, resume, resume+4)
				x.rebuild(t)
				i := x.proc(t, wallet) - 1
				if got := x.wit.Public.Final[i].Status; got != interleave.StatusIdle {
					t.Fatalf("the wallet ends %v, want IDLE", got)
				}
				x.claim().Final[i].Status = interleave.StatusSusp
			},
			want: lookup.ErrUnbalanced, why: "do not balance",
		},
		{
			// DEX burns no UTXO: the must-burn processes of tx2 are the tokens 3, 4 and 6,
			// which tx2 declares burned. The forged trace has 6 bind itself to the wallet
			// and yield instead of burning.
			name: "a must-burn UTXO not burned (honestly stated)", tx: "tx2", layer: byStatementCheck,
			forge: func(t *testing.T, x *subject) {
				p := x.stmtProc(t, 6)
				p.StatusAfter, p.OwnerAfter = StatusYielded, uint32(x.proc(t, wallet))
				x.count(t, 6, "burn", -1)
				x.count(t, 6, "bind", 1)
				x.count(t, 6, "yield", 1)
			},
			want: tx.ErrUnbalanced, why: "burned",
		},
		{
			name: "a must-burn UTXO not burned (stated burned)", tx: "tx2", layer: byMemoryArgument,
			forge: func(t *testing.T, x *subject) {
				burn := x.event(t, 6, interleave.CallBurn)
				x.in.Events = slices.Replace(x.in.Events, burn, burn+1,
					interleave.Event{PID: 6, Call: interleave.CallBind, Args: []uint64{wallet}},
					interleave.Event{PID: 6, Call: interleave.CallYield, Args: []uint64{0}})
				// The root's activation after it records a yield, not a burn.
				act := &x.in.Events[burn+2]
				act.Data = slices.Clone(act.Data)
				act.Data[1] = interleave.ActYield
				x.rebuild(t)
				x.claim().Final[x.proc(t, 6)-1] = interleave.Final{Status: interleave.StatusBurned}
			},
			want: lookup.ErrUnbalanced, why: "do not balance",
		},
		{
			// (a) as one limb ≥ 2^32: the set_datum value's low limb 2^33 + 2^32 − 1 with a
			// high limb 0 is 2^64 − 1 + 2^33 + 1 mod q. The CCS holds (no equation bounds
			// a limb); the row checker and the digit-plane bound refuse it.
			name: "a u64 argument ≥ q smuggled as one field element (one limb)", tx: "tx2", layer: byRowChecker,
			forge: smuggleLimb,
			want:  interleave.ErrRange, op: interleave.OpSetDatum, why: "not below 2^32",
		},
		{
			name: "a u64 argument ≥ q smuggled as one field element (one limb)", tx: "tx2", layer: byDigitPlanes,
			forge: smuggleLimb, want: neo.ErrDigitPlanes, why: "plane",
		},
		{
			// (b) as its residue: the statement says token 10 was minted with 90 + q, which
			// is 90 as a field element; the rows carry the limbs (90, 0) the trace wrote,
			// the public INIT record the limbs of 90 + q.
			name: "a u64 argument ≥ q smuggled as one field element (residue)", tx: "tx2", layer: byMemoryArgument,
			forge: func(t *testing.T, x *subject) {
				p := &x.claim().Input.Procs[x.proc(t, 10)-1]
				if p.Amount >= 1<<32-1 {
					t.Fatalf("amount %d: no u64 ≥ q is congruent to it", p.Amount)
				}
				p.Amount += goldilocksQ
			},
			want: lookup.ErrUnbalanced, why: "do not balance",
		},
		{
			// Beyond the list (fold/ARITH.md § 10's extras).
			name: "a host call after the end", tx: "tx2", layer: byRowChecker,
			forge: func(t *testing.T, x *subject) {
				x.in.Events = append(x.in.Events, interleave.Event{PID: root2, Call: interleave.CallGetDatum, Args: []uint64{0}, Results: []uint64{0}})
			},
			want: interleave.ErrRow, op: interleave.OpGetDatum, why: "no host call after the end",
		},
		{
			name: "a padding row that changes state", tx: "tx2", layer: byStepCCS,
			forge: func(t *testing.T, x *subject) {
				z := x.wit.Steps[len(x.wit.Steps)-1]
				r := x.wit.Layout.Rows - 2 // padding, as is the row after it
				for _, row := range []int{r, r + 1} {
					for op := range interleave.NumOps {
						if !z[row*interleave.Width+interleave.CellSel+op].IsZero() {
							t.Fatalf("row %d is not padding", row)
						}
					}
				}
				nref := &z[(r+1)*interleave.Width+interleave.CellNRef]
				one := goldilocks.One()
				nref.Add(nref, &one)
			},
			want: interleave.ErrRow, op: interleave.OpNone, why: "nref' = nref unless written",
		},
	}
}

// smuggleLimb writes a set_datum value's limbs as (2^33 + 2^32 − 1, 0) in the witness.
func smuggleLimb(t *testing.T, x *subject) {
	t.Helper()
	s, r := x.row(t, interleave.OpSetDatum)
	z := x.wit.Steps[s]
	at := r*interleave.Width + interleave.P1 + interleave.PortNew
	z[at].SetUint64(1<<33 + 1<<32 - 1)
	z[at+1].SetZero()
}

// TestForgedTraces: every forgery of issue 10, from the DEX transactions, is refused by
// the layer of fold/ARITH.md § 10 that must refuse it.
func TestForgedTraces(t *testing.T) {
	results := dexResults(t)
	for _, f := range forgeries() {
		t.Run(f.name+"/"+f.layer.name, func(t *testing.T) {
			refusedBy(t, f.layer, results[f.tx], f.forge, f.want, f.op, f.why)
		})
	}
}
