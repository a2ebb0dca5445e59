package interleave

import (
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/lookup"
	"github.com/ssprove/ssprove/fold/mle"
)

// Tags of the public-multiplicity relations and the output multisets
// (ARITH.md §§ 3.4, 3.5); the memories' are TagPROC…TagREFS.
const (
	TagCalls = 12
	TagKinds = 13
	TagPOut  = 14
	TagDOut  = 15
)

// TupleWidth is the width of every memory tuple: tag, address, ten slots and
// a time. Reads, writes, initial entries and scans of one memory must have
// one width, since lookup tells tuples of different widths apart.
const TupleWidth = 2 + Slots + 1

// Entry is one cell of a memory's initial set, the tuple
// (tag, addr, v0…v9, 0).
type Entry struct {
	Tag   int
	Addr  uint64
	Value [Slots]goldilocks.Element
}

// Datum is a datum cell a trace touches, at DATUM address 16·Proc + Slot. Its
// value before the transaction is its process's DatumBefore.
type Datum struct {
	Proc  uint32 // process index
	Slot  uint8
	After uint64 // the value after the transaction
}

func (d Datum) addr() uint64 { return DatumSlots*uint64(d.Proc) + uint64(d.Slot) }

// Final is a process's PROC status and tok after the transaction.
type Final struct {
	Status Status
	Tok    uint64
}

// Public is what the verifier of the memory argument knows: the memories'
// initial sets follow from Input (its Events are not read) and Datum; the
// committed leaves are counted against the public multisets of Calls, Kinds,
// Final and Datum (ARITH.md §§ 3.2–3.5). Build returns the prover's; the
// verifier's comes from the transaction's statement.
type Public struct {
	Input *Input
	// Datum are the datum cells the trace touches, in ascending address order.
	Datum []Datum
	// Calls[i] is the number of host calls of process index i + 1.
	Calls []uint64
	// Kinds[c] is the number of calls of host function c.
	Kinds [NumCalls]uint64
	// Final[i] is process index i + 1's status and tok after the transaction.
	Final []Final
}

// check returns an error wrapping ErrInput unless p is well formed.
func (p *Public) check() error {
	if p == nil || p.Input == nil {
		return fmt.Errorf("%w: no public input", ErrInput)
	}
	in := *p.Input
	in.Events = nil
	if err := validate(&in); err != nil {
		return err
	}
	n := len(in.Procs)
	if len(p.Calls) != n || len(p.Final) != n {
		return fmt.Errorf("%w: %d host-call counts and %d final records for %d processes", ErrInput, len(p.Calls), len(p.Final), n)
	}
	for i, d := range p.Datum {
		switch {
		case d.Proc < 1 || int(d.Proc) > n || d.Slot >= DatumSlots:
			return fmt.Errorf("%w: datum cell %d: process %d slot %d", ErrInput, i, d.Proc, d.Slot)
		case i > 0 && d.addr() <= p.Datum[i-1].addr():
			return fmt.Errorf("%w: datum cell %d is out of order or repeated", ErrInput, i)
		}
	}
	return nil
}

// InitialSet returns the memories' initial sets (ARITH.md § 3.2), in a fixed
// order: PROC, PROG, INIT and BLD per process index (the dummy first), HEADS
// per interface index, the touched DATUM cells, REFS 0 and 1, and the init
// ref's arena rows.
func (p *Public) InitialSet() ([]Entry, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return initialSet(p.Input, p.Datum), nil
}

// initialSet is InitialSet of a validated input.
func initialSet(in *Input, datum []Datum) []Entry {
	n := len(in.Procs) + 1
	out := make([]Entry, 0, 4*n+len(in.Ifaces)+1+len(datum)+2+2*len(in.InitRows))
	add := func(tag int, a uint64, v ...goldilocks.Element) {
		e := Entry{Tag: tag, Addr: a}
		copy(e.Value[:], v)
		out = append(out, e)
	}
	add(TagPROC, 0) // the dummy
	for i, p := range in.Procs {
		status, owns := StatusNone, uint64(0)
		switch p.Role {
		case RoleRoot:
			status = StatusRun
		case RoleInput:
			status = StatusRest
		case RoleCreated:
			status = StatusNew
		}
		switch {
		case p.Kind == KindToken:
			owns = uint64(p.OwnerBefore)
		case p.Kind == KindUTXO || p.Role == RoleExternal:
			owns = p.OwnsBefore
		}
		add(TagPROC, uint64(i+1), fe(uint64(status)), fe(0), fe(0), fe(owns), lo(p.PID), hi(p.PID), fe(uint64(p.Kind)))
	}
	add(TagPROG, 0)
	for i, p := range in.Procs {
		var h [2 * len(p.Program)]goldilocks.Element
		for k, word := range p.Program {
			h[2*k], h[2*k+1] = lo(word), hi(word)
		}
		add(TagPROG, uint64(i+1), h[:]...)
	}
	add(TagINIT, 0)
	for i, p := range in.Procs {
		a := uint64(i + 1)
		switch p.Role {
		case RoleRoot:
			add(TagINIT, a, fe(1), fe(0), fe(1))
		case RoleCreated:
			creator := in.Procs[max(int(p.Creator), 1)-1].PID
			add(TagINIT, a, fe(p.InitRef), fe(uint64(p.Creator)), fe(1), fe(0), lo(creator), hi(creator), lo(p.Amount), hi(p.Amount))
		default:
			add(TagINIT, a, fe(0), fe(0), fe(0), fe(0), fe(0), fe(0), lo(p.Amount), hi(p.Amount))
		}
	}
	for a := range uint64(n) {
		add(TagBLD, a)
	}
	add(TagHEADS, 0)
	for j, f := range in.Ifaces {
		add(TagHEADS, uint64(j+1), ifaceLimbs(f)...)
	}
	for _, d := range datum {
		v := in.Procs[d.Proc-1].DatumBefore[d.Slot]
		add(TagDATUM, d.addr(), lo(v), hi(v))
	}
	rows := uint64(len(in.InitRows))
	add(TagREFS, 0)
	add(TagREFS, 1, fe(rows), fe(rows), fe(0), fe(0))
	for a, r := range in.InitRows {
		add(TagArenaA, uint64(a), lo(r[0]), hi(r[0]), lo(r[1]), hi(r[1]))
	}
	for a, r := range in.InitRows {
		add(TagArenaB, uint64(a), lo(r[2]), hi(r[2]), lo(r[3]), hi(r[3]))
	}
	return out
}

// ports are the row's ports in the order of their leaf slots, slot q holding
// port q + 1 of now = 4g + q + 1.
var ports = [4]int{P1, P2, P3, PR}

// leaves is a committed group (ARITH.md § 3.6): per port slot, the numerator
// and the tuple of a row's leaf as linear forms of the row's cells and the
// constant One. A group that has one leaf per row has numerator 0 on slots
// 1–3 and the same tuple on every slot.
type leaves struct {
	name  string
	neg   bool
	num   [len(ports)]Lin
	tuple [len(ports)][]Lin
}

// committed are the committed groups: the memories' reads (scans among them)
// and writes, the host calls per process and per host function, and the
// output leaves of the scans.
var committed = makeLeaves()

func makeLeaves() []leaves {
	read := leaves{name: "READ", neg: true}
	write := leaves{name: "WRITE"}
	for q, p := range ports {
		now := cell(CellG).times(4).plus(konst(int64(q + 1)))
		read.num[q] = cell(rdCell(p))
		write.num[q] = sels(opsWhere(p, func(access) bool { return true })...)
		if p == PR {
			// Only filled is mutable; the header's other fields and the unused
			// slots are the same in the read and the write.
			header := func(filled Lin) []Lin { return []Lin{filled, cell(rOld(1)), cell(rOld(2)), cell(rOld(3))} }
			read.tuple[q] = refsTuple(header(cell(rOld(0))), cell(rtCell(PR)))
			write.tuple[q] = refsTuple(header(cell(PR+RNew)), now)
			continue
		}
		rt := []Lin{cell(tag(p)), cell(addr(p))}
		wt := []Lin{cell(tag(p)), cell(addr(p))}
		for k := range Slots {
			rt = append(rt, cell(old(p, k)))
			if k < Mutable {
				wt = append(wt, cell(nw(p, k)))
			} else {
				wt = append(wt, cell(old(p, k)))
			}
		}
		read.tuple[q] = append(rt, cell(rtCell(p)))
		write.tuple[q] = append(wt, now)
	}

	host := sels(hostOps...)
	var code Lin
	for _, op := range hostOps {
		c, _ := op.Call()
		code = append(code, Term{Var(sel(op)), int64(c)})
	}
	perRow := func(name string, num Lin, tuple ...Lin) leaves {
		g := leaves{name: name}
		g.num[0] = num
		for q := range ports {
			g.tuple[q] = tuple
		}
		return g
	}
	return []leaves{
		read, write,
		perRow("CALLS", host, konst(TagCalls), cell(CellCur)),
		perRow("KINDS", host, konst(TagKinds), code),
		perRow("POUT", cell(CellOutP), konst(TagPOut), cell(addr(P2)), cell(old(P2, procSt)), cell(old(P2, procTok))),
		perRow("DOUT", cell(CellOutD), konst(TagDOut), cell(addr(P1)), cell(old(P1, 0)), cell(old(P1, 1))),
	}
}

// refsTuple is a REFS tuple (11, addr, filled, size, base, creator, 0…0, time).
func refsTuple(header []Lin, time Lin) []Lin {
	t := make([]Lin, TupleWidth)
	t[0], t[1] = konst(TagREFS), cell(PR+RAddr)
	copy(t[2:], header)
	t[TupleWidth-1] = time
	return t
}

// committedVars is the number of variables of the committed groups of a
// transaction of steps steps: two for the port slot (the most significant),
// then the step, then the row.
func committedVars(l *Layout, steps int) (stepVars, vars int, err error) {
	if steps < 1 {
		return 0, 0, fmt.Errorf("%w: %d steps", ErrInput, steps)
	}
	stepVars = mle.NumVars(steps)
	vars = 2 + stepVars + mle.NumVars(l.Rows)
	if vars > lookup.MaxVars {
		return 0, 0, fmt.Errorf("%w: %d steps of %d rows are too many for one memory argument", ErrInput, steps, l.Rows)
	}
	return stepVars, vars, nil
}

// Groups returns the logUp groups of the transaction's memory argument
// (ARITH.md § 3.6): the committed groups, whose columns are the leaf forms
// evaluated on every row of every step (header rows and the virtual steps up
// to a power of two included), then the public groups. lookup.Prove over them
// fails with lookup.ErrUnbalanced unless the reads and scans are the initial
// sets and the writes as multisets (with the time checks of the rows: every
// read saw the last write, every cell is scanned once) and the host-call
// counts and outputs are Public's.
func (w *Witness) Groups() ([]lookup.Group, error) {
	l := w.Layout
	stepVars, vars, err := committedVars(l, len(w.Steps))
	if err != nil {
		return nil, err
	}
	pub, err := w.Public.groups()
	if err != nil {
		return nil, err
	}
	per := 1 << (stepVars + mle.NumVars(l.Rows)) // leaves per port slot
	zero := make([]goldilocks.Element, l.Cells())
	groups := make([]lookup.Group, 0, len(committed)+len(pub))
	for i := range committed {
		f := &committed[i]
		g := lookup.Group{Name: f.name, Neg: f.neg, Num: make([]goldilocks.Element, 1<<vars)}
		g.Tuple = make([][]goldilocks.Element, len(f.tuple[0]))
		for k := range g.Tuple {
			g.Tuple[k] = make([]goldilocks.Element, 1<<vars)
		}
		for q := range ports {
			for s := range 1 << stepVars {
				z := zero
				if s < len(w.Steps) {
					z = w.Steps[s]
				}
				for r := range l.Rows {
					at := q*per + s*l.Rows + r
					g.Num[at] = l.eval(f.num[q], z, r)
					for k, t := range f.tuple[q] {
						g.Tuple[k][at] = l.eval(t, z, r)
					}
				}
			}
		}
		groups = append(groups, g)
	}
	return append(groups, pub...), nil
}

// groups returns the public groups: the initial sets against the writes, and
// the public multisets the host-call and output leaves are counted against.
func (p *Public) groups() ([]lookup.Group, error) {
	init, err := p.InitialSet()
	if err != nil {
		return nil, err
	}
	ig := newPublicGroup("INIT_pub", false, len(init), TupleWidth)
	for i, e := range init {
		ig.Num[i].SetOne()
		ig.Tuple[0][i] = fe(uint64(e.Tag))
		ig.Tuple[1][i] = fe(e.Addr)
		for k, v := range e.Value {
			ig.Tuple[2+k][i] = v
		}
	}
	n := len(p.Input.Procs)
	calls := newPublicGroup("CALLS_pub", true, n, 2)
	pout := newPublicGroup("POUT_pub", true, n, 4)
	for i := range n {
		setEntry(&calls, i, fe(p.Calls[i]), TagCalls, uint64(i+1))
		setEntry(&pout, i, fe(1), TagPOut, uint64(i+1), uint64(p.Final[i].Status), p.Final[i].Tok)
	}
	kinds := newPublicGroup("KINDS_pub", true, int(NumCalls), 2)
	for c, m := range p.Kinds {
		setEntry(&kinds, c, fe(m), TagKinds, uint64(c))
	}
	dout := newPublicGroup("DOUT_pub", true, len(p.Datum), 4)
	for i, d := range p.Datum {
		setEntry(&dout, i, fe(1), TagDOut, d.addr(), d.After&0xffffffff, d.After>>32)
	}
	return []lookup.Group{ig, calls, kinds, pout, dout}, nil
}

// newPublicGroup returns a public group's zero columns: n entries padded with
// zero numerators to a power of two (at least one entry).
func newPublicGroup(name string, neg bool, n, width int) lookup.Group {
	size := 1 << mle.NumVars(n)
	g := lookup.Group{Name: name, Neg: neg, Num: make([]goldilocks.Element, size), Tuple: make([][]goldilocks.Element, width)}
	for k := range g.Tuple {
		g.Tuple[k] = make([]goldilocks.Element, size)
	}
	return g
}

// setEntry sets entry i of a public group.
func setEntry(g *lookup.Group, i int, num goldilocks.Element, tuple ...uint64) {
	g.Num[i] = num
	for k, v := range tuple {
		g.Tuple[k][i] = fe(v)
	}
}

// Shapes returns the shapes of the groups Groups returns for a transaction of
// steps steps under layout l with public input pub: what the verifier passes
// to lookup.Verify.
func Shapes(l *Layout, steps int, pub *Public) ([]lookup.Shape, error) {
	_, vars, err := committedVars(l, steps)
	if err != nil {
		return nil, err
	}
	pg, err := pub.groups()
	if err != nil {
		return nil, err
	}
	shapes := make([]lookup.Shape, 0, len(committed)+len(pg))
	for _, f := range committed {
		shapes = append(shapes, lookup.Shape{Name: f.name, Vars: vars, Width: len(f.tuple[0]), HasNum: true, Neg: f.neg})
	}
	return append(shapes, lookup.Shapes(pg)...), nil
}

// CheckClaims checks the claims lookup.Verify returned for the groups of
// Shapes(l, steps, pub) (ARITH.md § 7.3, step 1): the committed groups'
// claims, all at one point (ρ_port, ρ_step, ρ_row), against the leaf forms
// evaluated at the column evaluations v, v_c = Σ_s eq(ρ_step, s)·col̃_{c,s}(ρ_row)
// (Witness.ColumnEvals), and the public groups' claims against the public
// columns. It returns (ρ_step, ρ_row), the point v must be proven at. A
// mismatch is an error wrapping ErrClaim.
func CheckClaims(l *Layout, steps int, pub *Public, v []lookup.K, claims []lookup.Claim) ([]lookup.K, error) {
	shapes, err := Shapes(l, steps, pub)
	if err != nil {
		return nil, err
	}
	pg, err := pub.groups()
	if err != nil {
		return nil, err
	}
	if len(v) != Width {
		return nil, fmt.Errorf("%w: %d column evaluations, want %d", ErrClaim, len(v), Width)
	}
	if len(claims) != len(shapes) {
		return nil, fmt.Errorf("%w: %d claims for %d groups", ErrClaim, len(claims), len(shapes))
	}
	for i, c := range claims {
		if s := shapes[i]; c.Group != s.Name || len(c.Tuple) != s.Width || len(c.Point) != s.Vars {
			return nil, fmt.Errorf("%w: claim %d is on group %q of width %d at %d variables, want %q, %d, %d",
				ErrClaim, i, c.Group, len(c.Tuple), len(c.Point), s.Name, s.Width, s.Vars)
		}
	}
	point := claims[0].Point
	eq, err := mle.EqTable(point[:2])
	if err != nil {
		return nil, fmt.Errorf("interleave: CheckClaims: %w", err)
	}
	at := func(forms [len(ports)]Lin) lookup.K {
		var acc, t lookup.K
		for q := range ports {
			t = evalAt(forms[q], v)
			t.Mul(&t, &eq[q])
			acc.Add(&acc, &t)
		}
		return acc
	}
	for i, f := range committed {
		c := &claims[i]
		if !slices.Equal(c.Point, point) {
			return nil, fmt.Errorf("%w: group %q is claimed at another point than %q", ErrClaim, f.name, committed[0].name)
		}
		if want := at(f.num); !want.Equal(&c.Num) {
			return nil, fmt.Errorf("%w: group %q: the numerators evaluate to %s, the claim is %s", ErrClaim, f.name, want.String(), c.Num.String())
		}
		for k := range c.Tuple {
			var forms [len(ports)]Lin
			for q := range ports {
				forms[q] = f.tuple[q][k]
			}
			if want := at(forms); !want.Equal(&c.Tuple[k]) {
				return nil, fmt.Errorf("%w: group %q: tuple column %d evaluates to %s, the claim is %s",
					ErrClaim, f.name, k, want.String(), c.Tuple[k].String())
			}
		}
	}
	for j := range pg {
		c := &claims[len(committed)+j]
		if err := c.CheckNum(pg[j].Num); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrClaim, err)
		}
		for k, col := range pg[j].Tuple {
			if err := c.CheckTuple(k, col); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrClaim, err)
			}
		}
	}
	return slices.Clone(point[2:]), nil
}

// evalAt evaluates a leaf form at the column evaluations v; a constant
// evaluates to itself, since the weights of a point sum to 1.
func evalAt(lin Lin, v []lookup.K) lookup.K {
	var acc, t lookup.K
	var k goldilocks.Element
	for _, term := range lin {
		k.SetInt64(term.Coeff)
		if term.Var == One {
			t = lookup.K{A0: k}
		} else {
			t.MulByElement(&v[term.Var], &k)
		}
		acc.Add(&acc, &t)
	}
	return acc
}

// ColumnEvals returns the column evaluations v_c = Σ_s eq(ρ_step, s)·
// col̃_{c,s}(ρ_row) for c < Width at point = (ρ_step, ρ_row), the steps padded
// with zero steps to a power of two: what the prover sends after the memory
// argument, and the values CheckClaims checks the claims against.
func (w *Witness) ColumnEvals(point []lookup.K) ([]lookup.K, error) {
	l := w.Layout
	_, vars, err := committedVars(l, len(w.Steps))
	if err != nil {
		return nil, err
	}
	if len(point) != vars-2 {
		return nil, fmt.Errorf("%w: a point of %d coordinates, want %d", ErrInput, len(point), vars-2)
	}
	eq, err := mle.EqTable(point)
	if err != nil {
		return nil, fmt.Errorf("interleave: ColumnEvals: %w", err)
	}
	v := make([]lookup.K, Width)
	var t lookup.K
	for s, z := range w.Steps {
		for r := range l.Rows {
			e := &eq[s*l.Rows+r]
			for c := range Width {
				if z[r*Width+c].IsZero() {
					continue
				}
				t.MulByElement(e, &z[r*Width+c])
				v[c].Add(&v[c], &t)
			}
		}
	}
	return v, nil
}
