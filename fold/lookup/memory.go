package lookup

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/transcript"
)

// MaxTime is the largest timestamp a memory op may carry. Time 0 belongs to
// the initial state, so ops run at times 1…MaxTime and Δ = now − read_time − 1
// lies in [0, 2^32) exactly when read_time < now: two 16-bit limbs cover it,
// and a read time from the future wraps around q far outside that range.
const MaxTime = 1<<32 - 1

// limbBits is the width of the limbs Δ is split into, each looked up in the
// range table of that many bits.
const limbBits = 16

// RangeTag is the tag (first tuple entry) of the range lookups a memory
// makes and of the range table they go into: no memory, and no table of
// Table, may use it. The range lookups of several memories in one argument
// all use it, and may be absorbed by each other's range tables: they are one
// relation (a value below 2^16).
const RangeTag = 1

// MaxValueWidth is the most words a memory value may have: its tuple adds
// the tag, the address and the time.
const MaxValueWidth = MaxWidth - 3

// ErrTrace is wrapped by every error about a memory trace the runtime could
// not have produced: ops out of time order, an address outside the memory, a
// read that does not return the value last written.
var ErrTrace = errors.New("lookup: inconsistent memory trace")

// Cell is one memory cell: its address and its value of the memory's width.
type Cell struct {
	Addr  F
	Value []F
}

// Op is one access to a memory, as the runtime's trace records it. A read
// returns Value, which must be the cell's current value; a write stores
// Value. Ops of a trace have strictly increasing times in [1, MaxTime].
type Op struct {
	Addr  F
	Value []F
	Time  uint64
	Write bool
}

// Memory is a read/write memory checked Blum-style: every op reads the tuple
// (tag, addr, old value, read time) and writes (tag, addr, new value, now),
// a read being an op that writes back what it read; the initial state adds
// (tag, addr, v0, 0) per cell and the final state takes away (tag, addr,
// v_final, t_last). The writes and the initial set equal the reads and the
// final set as multisets exactly when every read saw the latest write, given
// that every read time precedes its op, which the range check of Δ = now −
// read_time − 1 enforces.
//
// The tag, the first entry of each of its tuples, separates this memory's
// tuples from those of every other memory and table in the same logUp
// argument, so it must differ from all of theirs (the range lookups' among
// them). Without it a tuple of one could equal a tuple of another of the
// same width: a committed lookup input can take any value.
//
// The memory's statement (name, tag, width and cells: addresses and initial
// values) is public: ProveMemory and VerifyMemory bind it into the
// transcript (Bind), and the verifier checks the claims on the cells
// itself (CheckClaims).
type Memory struct {
	name   string
	tag    F
	width  int
	digest []F // of the statement, which Bind absorbs

	index map[F]int // address → cell number
	cells cellColumns
}

// cellColumns are the per-cell columns, 2^m rows with the cells first and
// zero padding after.
type cellColumns struct {
	real  []F   // 1 on cells, 0 on padding: the init and final leaves' numerator
	tag   []F   // the tag everywhere
	addr  []F   // the address
	value [][]F // the initial value, one column per word
	zero  []F   // the initial time, and the padding of everything
}

// NewMemory returns the memory named name (the prefix of its groups' names)
// with the given tag and value width, holding the cells of init, whose
// addresses must be distinct. Every address an op may touch must be a cell.
func NewMemory(name string, tag uint64, width int, init []Cell) (*Memory, error) {
	if width < 1 || width > MaxValueWidth {
		return nil, fmt.Errorf("lookup: memory %q: value width %d, want 1…%d: %w", name, width, MaxValueWidth, ErrShape)
	}
	if err := checkTag(tag); err != nil {
		return nil, fmt.Errorf("lookup: memory %q: %w", name, err)
	}
	if len(init) == 0 || mle.NumVars(len(init)) > mle.MaxVars {
		return nil, fmt.Errorf("lookup: memory %q: %d cells, want 1…2^%d: %w", name, len(init), mle.MaxVars, ErrShape)
	}
	n := 1 << mle.NumVars(len(init))
	m := &Memory{name: name, width: width, index: make(map[F]int, len(init))}
	m.tag.SetUint64(tag)
	c := cellColumns{
		real:  make([]F, n),
		tag:   constant(n, m.tag),
		addr:  make([]F, n),
		value: columns(width, n),
		zero:  make([]F, n),
	}
	for i, cell := range init {
		if _, dup := m.index[cell.Addr]; dup {
			return nil, fmt.Errorf("lookup: memory %q: cell %d repeats address %s: %w", name, i, cell.Addr.String(), ErrShape)
		}
		if len(cell.Value) != width {
			return nil, fmt.Errorf("lookup: memory %q: cell %d has %d value words, want %d: %w", name, i, len(cell.Value), width, ErrShape)
		}
		m.index[cell.Addr] = i
		c.real[i].SetOne()
		c.addr[i] = cell.Addr
		for k, v := range cell.Value {
			c.value[k][i] = v
		}
	}
	m.cells = c
	m.digest = statementDigest(name, tag, width, c.addr[:len(init)], c.value)
	return m, nil
}

// statementDigest returns a Poseidon2 digest of a memory's statement: its
// name, tag, width, number of cells, and the addresses and initial values of
// the cells (before padding). Computing it once keeps the cost of binding
// the statement, a pass over every cell, out of each proof.
func statementDigest(name string, tag uint64, width int, addr []F, value [][]F) []F {
	h := transcript.New(protocolMemory)
	h.AppendBytes(labelMemoryName, []byte(name))
	h.AppendUint64(labelMemoryShape, tag, uint64(width), uint64(len(addr)))
	h.AppendField(labelMemoryAddr, addr...)
	for _, col := range value {
		h.AppendField(labelMemoryValue, col[:len(addr)]...)
	}
	return h.ChallengeFields(labelMemoryDigest, digestWords)
}

// digestWords is the length of a memory's digest: 4 words, 256 bits, the
// sponge's capacity.
const digestWords = 4

// Transcript labels of a memory's statement.
const (
	protocolMemory    = "ssprove/lookup/memory"
	labelMemoryName   = "memory/name"
	labelMemoryShape  = "memory/shape"
	labelMemoryAddr   = "memory/addr"
	labelMemoryValue  = "memory/value"
	labelMemoryDigest = "memory/digest"
	labelMemory       = "logup/memory"
	labelMemoryOps    = "logup/memory/ops"
)

// Bind absorbs the memory's statement (a digest of its name, tag, width and
// cells) into tr. ProveMemory and VerifyMemory call it; a caller that
// proves the memory's groups inside a larger argument (Trace.Groups,
// CheckClaims) calls it before Prove and Verify.
func (m *Memory) Bind(tr *transcript.Transcript) {
	tr.AppendField(labelMemory, m.digest...)
}

// Name returns the memory's name.
func (m *Memory) Name() string { return m.name }

// Width returns the number of words of a value.
func (m *Memory) Width() int { return m.width }

// Cells returns the number of cells.
func (m *Memory) Cells() int { return len(m.index) }

// Trace is the witness of a memory's consistency: per op row the committed
// columns, the final state, and the multiplicities of the range table. Op
// rows are padded to a power of two with rows of zeros (Real = 0); every
// memory leaf of a padding row has numerator 0, so it cannot change the
// statement, and its limbs (0) are in the range table.
//
// The argument proves the memory consistent given what the caller's
// constraint system enforces on these columns:
//   - Real is a 0/1 selector, one run of 1s then 0s (otherwise a numerator
//     of 2 or −1 would count a tuple twice or cancel one);
//   - Now is strictly increasing over the ops and below 2^32 (in the
//     arithmetization it is implicit from the row index);
//   - New equals Old on rows that are reads, and what the row computed
//     agrees with Old and New.
//
// The decomposition Now − ReadTime − Real = Lo + 2^16·Hi it need not
// enforce: VerifyMemory checks it at a random point.
//
// Mem.Trace computes it from the runtime's ops; its columns are exported so
// the caller can commit to them (and tests can forge them).
type Trace struct {
	Mem *Memory
	Ops int // op rows before padding

	Real     []F   // 1 on ops, 0 on padding
	Addr     []F   // the op's address
	Old      [][]F // the value before the op, one column per word
	New      [][]F // the value after it (Old for a read)
	ReadTime []F   // the time of the previous op on the address, 0 for none
	Now      []F   // the op's time
	Lo, Hi   []F   // Now − ReadTime − 1 = Lo + 2^16·Hi, both below 2^16

	// Per cell (padded like the cells): the value and time of the last op on
	// it, the initial ones for a cell no op touches.
	FinalValue [][]F
	FinalTime  []F

	// Per value of the range table [0, 2^16): how many limbs of Lo and Hi
	// (padding included) take it.
	Mult []F
}

// Trace checks ops, the runtime's accesses to m in the order they happened,
// and returns the witness that proves them consistent: for each op the value
// it replaced and the time of the previous access to its address (the
// advice), and the final state. It fails, naming the op, when the times do
// not increase or leave [1, MaxTime], when an op's address is not a cell of m
// or its value has the wrong width, and when a read returns anything but the
// value last written (a stale or a wrong value).
func (m *Memory) Trace(ops []Op) (*Trace, error) {
	if mle.NumVars(len(ops)) > mle.MaxVars {
		return nil, fmt.Errorf("lookup: memory %q: %d ops, want at most 2^%d: %w", m.name, len(ops), mle.MaxVars, ErrShape)
	}
	n := 1 << mle.NumVars(len(ops))
	t := &Trace{
		Mem:      m,
		Ops:      len(ops),
		Real:     make([]F, n),
		Addr:     make([]F, n),
		Old:      columns(m.width, n),
		New:      columns(m.width, n),
		ReadTime: make([]F, n),
		Now:      make([]F, n),
		Lo:       make([]F, n),
		Hi:       make([]F, n),
	}
	cells := len(m.cells.real)
	t.FinalValue = make([][]F, m.width)
	for k := range t.FinalValue {
		t.FinalValue[k] = append([]F(nil), m.cells.value[k]...)
	}
	last := make([]uint64, cells) // time of the latest op on each cell
	writer := make([]int, cells)  // that op's number, −1 for the initial value
	for i := range writer {
		writer[i] = -1
	}
	var prev uint64
	for i, op := range ops {
		if op.Time == 0 || op.Time > MaxTime {
			return nil, fmt.Errorf("lookup: memory %q: op %d at time %d, want 1…%d: %w", m.name, i, op.Time, uint64(MaxTime), ErrTrace)
		}
		if op.Time <= prev {
			return nil, fmt.Errorf("lookup: memory %q: op %d at time %d follows op %d at time %d: %w", m.name, i, op.Time, i-1, prev, ErrTrace)
		}
		prev = op.Time
		c, ok := m.index[op.Addr]
		if !ok {
			return nil, fmt.Errorf("lookup: memory %q: op %d: address %s is not a cell: %w", m.name, i, op.Addr.String(), ErrTrace)
		}
		if len(op.Value) != m.width {
			return nil, fmt.Errorf("lookup: memory %q: op %d has %d value words, want %d: %w", m.name, i, len(op.Value), m.width, ErrTrace)
		}
		if !op.Write {
			for k, v := range op.Value {
				if cur := t.FinalValue[k][c]; v != cur {
					return nil, fmt.Errorf("lookup: memory %q: op %d reads %s at address %s, which holds %s since %s: %w",
						m.name, i, words(op.Value), op.Addr.String(), rowString(t.FinalValue, c), since(writer[c]), ErrTrace)
				}
			}
		}
		t.Real[i].SetOne()
		t.Addr[i] = op.Addr
		for k := range m.width {
			t.Old[k][i] = t.FinalValue[k][c]
			t.New[k][i] = op.Value[k]
			t.FinalValue[k][c] = op.Value[k]
		}
		t.ReadTime[i].SetUint64(last[c])
		t.Now[i].SetUint64(op.Time)
		delta := op.Time - last[c] - 1
		t.Lo[i].SetUint64(delta & (1<<limbBits - 1))
		t.Hi[i].SetUint64(delta >> limbBits)
		last[c] = op.Time
		writer[c] = i
	}
	t.FinalTime = make([]F, cells)
	for c, tl := range last {
		t.FinalTime[c].SetUint64(tl)
	}
	mult, err := limbMultiplicities(t.Lo, t.Hi)
	if err != nil {
		return nil, fmt.Errorf("lookup: memory %q: %w", m.name, err)
	}
	t.Mult = mult
	return t, nil
}

func since(op int) string {
	if op < 0 {
		return "the start"
	}
	return fmt.Sprintf("op %d", op)
}

// words formats a value as rowString formats a row of columns.
func words(v []F) string {
	cols := make([][]F, len(v))
	for k := range v {
		cols[k] = v[k : k+1]
	}
	return rowString(cols, 0)
}

// Names of the groups a memory contributes, after the memory's name and a
// slash; Claims carry them.
const (
	GroupInit       = "init"        // + (tag, addr, v0, 0) per cell
	GroupWrite      = "write"       // + (tag, addr, new, now) per op, Num = Real
	GroupRead       = "read"        // − (tag, addr, old, read time) per op, Num = Real
	GroupFinal      = "final"       // − (tag, addr, v_final, t_last) per cell
	GroupLo         = "range-lo"    // + (range tag, Lo) per op row
	GroupHi         = "range-hi"    // + (range tag, Hi) per op row
	GroupRangeTable = "range-table" // − (range tag, t) per t < 2^16, Num = Mult
)

// The positions of a memory's groups in Groups and Shapes, and of the
// columns in a memory tuple.
const (
	groupInit = iota
	groupWrite
	groupRead
	groupFinal
	groupLo
	groupHi
	groupRangeTable

	colTag   = 0
	colAddr  = 1
	colValue = 2 // then Width value words, then the time
)

// Groups returns the logUp groups of t, in the order Shapes lists them:
// init, write, read, final, then the range lookups of Lo and Hi and the
// range table. Groups share columns (the tags, Real, Addr); Prove does not
// write to them.
func (t *Trace) Groups() []Group {
	m := t.Mem
	opTag := constant(len(t.Real), m.tag)
	tuple := func(tag, addr []F, value [][]F, time []F) [][]F {
		return append(append([][]F{tag, addr}, value...), time)
	}
	c := &m.cells
	rangeTag := constant(len(t.Real), fe(RangeTag))
	table, _ := RangeTable(limbBits) // limbBits is within bounds
	return []Group{
		groupInit:       {Name: m.group(GroupInit), Num: c.real, Tuple: tuple(c.tag, c.addr, c.value, c.zero)},
		groupWrite:      {Name: m.group(GroupWrite), Num: t.Real, Tuple: tuple(opTag, t.Addr, t.New, t.Now)},
		groupRead:       {Name: m.group(GroupRead), Num: t.Real, Tuple: tuple(opTag, t.Addr, t.Old, t.ReadTime), Neg: true},
		groupFinal:      {Name: m.group(GroupFinal), Num: c.real, Tuple: tuple(c.tag, c.addr, t.FinalValue, t.FinalTime), Neg: true},
		groupLo:         {Name: m.group(GroupLo), Tuple: [][]F{rangeTag, t.Lo}},
		groupHi:         {Name: m.group(GroupHi), Tuple: [][]F{rangeTag, t.Hi}},
		groupRangeTable: {Name: m.group(GroupRangeTable), Num: t.Mult, Tuple: [][]F{constant(len(table), fe(RangeTag)), table}, Neg: true},
	}
}

// Shapes returns the shapes of the groups of a trace of m with ops op rows
// (before padding), in the order of Groups.
func (m *Memory) Shapes(ops int) []Shape {
	v := mle.NumVars(ops)
	cv := mle.NumVars(len(m.index))
	w := m.width + 3
	return []Shape{
		groupInit:       {Name: m.group(GroupInit), Vars: cv, Width: w, HasNum: true},
		groupWrite:      {Name: m.group(GroupWrite), Vars: v, Width: w, HasNum: true},
		groupRead:       {Name: m.group(GroupRead), Vars: v, Width: w, HasNum: true, Neg: true},
		groupFinal:      {Name: m.group(GroupFinal), Vars: cv, Width: w, HasNum: true, Neg: true},
		groupLo:         {Name: m.group(GroupLo), Vars: v, Width: 2},
		groupHi:         {Name: m.group(GroupHi), Vars: v, Width: 2},
		groupRangeTable: {Name: m.group(GroupRangeTable), Vars: limbBits, Width: 2, HasNum: true, Neg: true},
	}
}

func (m *Memory) group(name string) string { return m.name + "/" + name }

// check returns an error naming the first malformed column of t or the
// first row breaking the limb decomposition.
func (t *Trace) check() error {
	m := t.Mem
	if m == nil {
		return fmt.Errorf("lookup: memory trace without a memory: %w", ErrShape)
	}
	n := len(t.Real)
	if n == 0 || n&(n-1) != 0 {
		return fmt.Errorf("lookup: memory %q: %d op rows, want a power of two: %w", m.name, n, ErrShape)
	}
	if t.Ops < 0 || mle.NumVars(t.Ops) != mle.NumVars(n) {
		return fmt.Errorf("lookup: memory %q: %d op rows for %d ops: %w", m.name, n, t.Ops, ErrShape)
	}
	cells := len(m.cells.real)
	for _, c := range []struct {
		name  string
		cols  [][]F
		width int
		rows  int
	}{
		{"Addr", [][]F{t.Addr}, 1, n},
		{"Old", t.Old, m.width, n},
		{"New", t.New, m.width, n},
		{"ReadTime", [][]F{t.ReadTime}, 1, n},
		{"Now", [][]F{t.Now}, 1, n},
		{"Lo", [][]F{t.Lo}, 1, n},
		{"Hi", [][]F{t.Hi}, 1, n},
		{"FinalValue", t.FinalValue, m.width, cells},
		{"FinalTime", [][]F{t.FinalTime}, 1, cells},
		{"Mult", [][]F{t.Mult}, 1, 1 << limbBits},
	} {
		if len(c.cols) != c.width {
			return fmt.Errorf("lookup: memory %q: %s has %d columns, want %d: %w", m.name, c.name, len(c.cols), c.width, ErrShape)
		}
		for _, col := range c.cols {
			if len(col) != c.rows {
				return fmt.Errorf("lookup: memory %q: %s has %d rows, want %d: %w", m.name, c.name, len(col), c.rows, ErrShape)
			}
		}
	}
	var shift, d, e F
	shift.SetUint64(1 << limbBits)
	for i := range n {
		d.Sub(&t.Now[i], &t.ReadTime[i])
		d.Sub(&d, &t.Real[i])
		e.Mul(&t.Hi[i], &shift)
		e.Add(&e, &t.Lo[i])
		if d != e {
			return fmt.Errorf("lookup: memory %q: row %d: Now − ReadTime − Real ≠ Lo + 2^16·Hi: %w", m.name, i, ErrUnbalanced)
		}
	}
	return nil
}

// ProveMemory proves t consistent over tr. It binds the memory's statement
// (Bind) and the number of ops into tr itself; the caller must have bound
// every committed column of t first: α and γ are drawn from tr after them.
// The claims returned are those VerifyMemory returns. Columns of the wrong
// shape are an error wrapping ErrShape; a row breaking the limb
// decomposition, or columns whose tuples do not balance, an error wrapping
// ErrUnbalanced.
func ProveMemory(ctx context.Context, tr *transcript.Transcript, t *Trace) (*Proof, []Claim, error) {
	if t == nil {
		return nil, nil, fmt.Errorf("lookup: ProveMemory: no trace: %w", ErrShape)
	}
	if err := t.check(); err != nil {
		return nil, nil, err
	}
	if tr == nil {
		return nil, nil, fmt.Errorf("lookup: ProveMemory: nil transcript: %w", ErrShape)
	}
	t.Mem.Bind(tr)
	tr.AppendUint64(labelMemoryOps, uint64(t.Ops))
	p, claims, err := Prove(ctx, tr, t.Groups())
	if err != nil {
		return nil, nil, fmt.Errorf("lookup: memory %q: %w", t.Mem.name, err)
	}
	return p, claims, nil
}

// VerifyMemory checks p for a trace of m with ops op rows, over a tr that
// holds the committed columns as ProveMemory's did (it binds the memory's
// statement and ops itself), and returns the claims of Verify, one per group
// in the order of Groups, after checking them with CheckClaims.
//
// The caller checks the rest against its committed columns: the Num (Real)
// and address (Addr) of the write claim, which CheckClaims has found equal
// to the read claim's; the write claim's value words and time against New
// and Now, the read claim's against Old and ReadTime; tuple column 1 of the
// range-lo and range-hi claims against Lo and Hi; the Num of the
// range-table claim against Mult; and the final claim's value words and
// time against FinalValue and FinalTime, which it evaluates when the final
// state is public.
func VerifyMemory(tr *transcript.Transcript, m *Memory, ops int, p *Proof) ([]Claim, error) {
	if m == nil {
		return nil, fmt.Errorf("lookup: VerifyMemory: no memory: %w", ErrShape)
	}
	if ops < 0 || mle.NumVars(ops) > mle.MaxVars {
		return nil, fmt.Errorf("lookup: memory %q: %d ops, want 0…2^%d: %w", m.name, ops, mle.MaxVars, ErrShape)
	}
	if tr == nil {
		return nil, fmt.Errorf("lookup: VerifyMemory: nil transcript: %w", ErrShape)
	}
	m.Bind(tr)
	tr.AppendUint64(labelMemoryOps, uint64(ops))
	claims, err := Verify(tr, m.Shapes(ops), p)
	if err != nil {
		return nil, fmt.Errorf("lookup: memory %q: %w", m.name, err)
	}
	if err := m.CheckClaims(claims); err != nil {
		return nil, err
	}
	return claims, nil
}

// CheckClaims checks what the verifier can check of the claims on the
// memory's groups, claims in the order of Groups and Shapes: the seven
// claims VerifyMemory gets, or the memory's run of them when its groups are
// part of a larger argument (whose transcript the caller has bound the
// memory into: Bind).
//
// It checks the entries that evaluate public columns: the tags, the cells'
// numerators, addresses and initial values and times, the range table. It
// also checks the limb decomposition Now − ReadTime − Real = Lo + 2^16·Hi on
// the evaluations: the op groups all have the same number of variables, so
// their claims share one random point, drawn after every column was bound,
// and a relation between tables holds there only if it holds everywhere (but
// for a chance of ℓ/|K|). The write and read claims must agree on Real and
// on the address, both one column each. Anything else is the caller's to
// check (VerifyMemory lists it). A failed check is an error wrapping
// ErrReject.
func (m *Memory) CheckClaims(claims []Claim) error {
	shapes := m.Shapes(0)
	if len(claims) != len(shapes) {
		return fmt.Errorf("lookup: memory %q: %d claims for %d groups: %w", m.name, len(claims), len(shapes), ErrReject)
	}
	for i, c := range claims {
		if s := shapes[i]; c.Group != s.Name || len(c.Tuple) != s.Width {
			return fmt.Errorf("lookup: memory %q: claim %d (%q) does not fit group %q: %w", m.name, i, c.Group, s.Name, ErrReject)
		}
	}
	// The ℓ of the cells and of the range table are the memory's; that of
	// the ops is the op claims' own, which they must share
	// (checkDecomposition).
	for _, g := range []int{groupInit, groupFinal, groupRangeTable} {
		if c := &claims[g]; len(c.Point) != shapes[g].Vars {
			return fmt.Errorf("lookup: memory %q: claim %q at a point of %d coordinates, want %d: %w",
				m.name, c.Group, len(c.Point), shapes[g].Vars, ErrReject)
		}
	}
	if err := m.checkPublic(claims); err != nil {
		return err
	}
	return m.checkDecomposition(claims)
}

// checkPublic checks the claims' entries that evaluate public columns.
func (m *Memory) checkPublic(claims []Claim) error {
	// The tag and time columns are constant, so their extensions are the
	// constants.
	for _, g := range []int{groupInit, groupWrite, groupRead, groupFinal} {
		if err := claims[g].CheckConstant(colTag, m.tag); err != nil {
			return fmt.Errorf("lookup: memory %q: %w", m.name, err)
		}
	}
	init, final := &claims[groupInit], &claims[groupFinal]
	if err := init.CheckConstant(colValue+m.width, F{}); err != nil {
		return fmt.Errorf("lookup: memory %q: the initial time: %w", m.name, err)
	}
	// Every other column of the initial set is public; of the final set, the
	// numerators and addresses are the initial set's.
	cells := &m.cells
	type public struct {
		what    string
		col     []F
		claimed K
	}
	checks := []public{{"Num", cells.real, init.Num}, {"address", cells.addr, init.Tuple[colAddr]}}
	for k, col := range cells.value {
		checks = append(checks, public{fmt.Sprintf("value word %d", k), col, init.Tuple[colValue+k]})
	}
	evals := make([]K, len(checks))
	for j, c := range checks {
		var err error
		if evals[j], err = mle.EvaluateBase(c.col, init.Point); err != nil {
			return fmt.Errorf("lookup: memory %q: %w", m.name, err)
		}
		if err := m.expect(*init, c.what, c.claimed, evals[j]); err != nil {
			return err
		}
	}
	for j, c := range []public{{"Num", cells.real, final.Num}, {"address", cells.addr, final.Tuple[colAddr]}} {
		want := evals[j] // the same column, and (by the batching of Verify) the same point
		if !slices.Equal(init.Point, final.Point) {
			var err error
			if want, err = mle.EvaluateBase(c.col, final.Point); err != nil {
				return fmt.Errorf("lookup: memory %q: %w", m.name, err)
			}
		}
		if err := m.expect(*final, c.what, c.claimed, want); err != nil {
			return err
		}
	}
	for _, g := range []int{groupLo, groupHi, groupRangeTable} {
		if err := claims[g].CheckConstant(0, fe(RangeTag)); err != nil {
			return fmt.Errorf("lookup: memory %q: %w", m.name, err)
		}
	}
	if err := claims[groupRangeTable].CheckRange(1); err != nil {
		return fmt.Errorf("lookup: memory %q: %w", m.name, err)
	}
	return nil
}

// checkDecomposition checks Now − ReadTime − Real = Lo + 2^16·Hi on the
// claims of the op groups, after checking that they share their point and
// that the write and read claims agree on the columns they share (Real and
// Addr), so that the caller need check those once.
func (m *Memory) checkDecomposition(claims []Claim) error {
	w, r, lo, hi := &claims[groupWrite], &claims[groupRead], &claims[groupLo], &claims[groupHi]
	for _, c := range []*Claim{r, lo, hi} {
		if !slices.Equal(w.Point, c.Point) {
			return fmt.Errorf("lookup: memory %q: the claims of %q and %q are at different points: %w", m.name, w.Group, c.Group, ErrReject)
		}
	}
	if w.Num != r.Num {
		return fmt.Errorf("lookup: memory %q: the write and read claims disagree on Real: %w", m.name, ErrReject)
	}
	if w.Tuple[colAddr] != r.Tuple[colAddr] {
		return fmt.Errorf("lookup: memory %q: the write and read claims disagree on the address: %w", m.name, ErrReject)
	}
	time := colValue + m.width
	var lhs, rhs, shift K
	shift.A0.SetUint64(1 << limbBits)
	lhs.Sub(&w.Tuple[time], &r.Tuple[time])
	lhs.Sub(&lhs, &w.Num)
	rhs.Mul(&hi.Tuple[1], &shift)
	rhs.Add(&rhs, &lo.Tuple[1])
	if lhs != rhs {
		return fmt.Errorf("lookup: memory %q: Now − ReadTime − Real ≠ Lo + 2^16·Hi at the claims' point: %w", m.name, ErrReject)
	}
	return nil
}

func (m *Memory) expect(c Claim, what string, got, want K) error {
	if got != want {
		return fmt.Errorf("lookup: memory %q: group %q: the claimed %s is not the public column's evaluation: %w", m.name, c.Group, what, ErrReject)
	}
	return nil
}

// limbMultiplicities returns how many entries of lo and hi take each value
// of the range table: the tag they are looked up with is the same
// everywhere, so the untagged columns count the same.
func limbMultiplicities(lo, hi []F) ([]F, error) {
	table, err := RangeTable(limbBits)
	if err != nil {
		return nil, err
	}
	mult, err := Multiplicities([][]F{lo}, [][]F{table})
	if err != nil {
		return nil, fmt.Errorf("the low limbs: %w", err)
	}
	mh, err := Multiplicities([][]F{hi}, [][]F{table})
	if err != nil {
		return nil, fmt.Errorf("the high limbs: %w", err)
	}
	for i := range mult {
		mult[i].Add(&mult[i], &mh[i])
	}
	return mult, nil
}

func fe(x uint64) F {
	var e F
	e.SetUint64(x)
	return e
}

func constant(n int, v F) []F {
	c := make([]F, n)
	for i := range c {
		c[i] = v
	}
	return c
}

func columns(k, n int) [][]F {
	c := make([][]F, k)
	for j := range c {
		c[j] = make([]F, n)
	}
	return c
}
