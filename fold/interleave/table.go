package interleave

import (
	"slices"
	"strconv"
)

// Var is a variable of a row constraint: a cell of the row (0 ≤ Var < Width),
// a state cell of the next row (Next), or the constant One.
type Var int

// One is the constant 1.
const One Var = 2 * Width

// Next is state cell k (< StateLen) of the next row: the state after the row.
// The last row of a step has the step's y_next, in its header row, as next.
func Next(k int) Var { return Var(Width + k) }

// Term is Coeff·Var.
type Term struct {
	Var   Var
	Coeff int64
}

// Lin is a linear form, the sum of its terms.
type Lin []Term

// Constraint is one row constraint A·B = C of degree at most 2, with A, B, C
// linear forms. Ops are the selectors it is gated by (A is their sum, or
// 1 − their sum for a keep rule); none means every row.
type Constraint struct {
	Name    string
	Ops     []Op
	A, B, C Lin
}

func cell(c int) Lin          { return Lin{{Var(c), 1}} }
func next(k int) Lin          { return Lin{{Next(k), 1}} }
func konst(n int64) Lin       { return Lin{{One, n}} }
func (l Lin) plus(o Lin) Lin  { return append(slices.Clone(l), o...) }
func (l Lin) minus(o Lin) Lin { return l.plus(o.times(-1)) }

func (l Lin) times(k int64) Lin {
	out := make(Lin, len(l))
	for i, t := range l {
		out[i] = Term{t.Var, t.Coeff * k}
	}
	return out
}

func sum(ls ...Lin) Lin {
	var out Lin
	for _, l := range ls {
		out = append(out, l...)
	}
	return out
}

func sels(ops ...Op) Lin {
	out := make(Lin, len(ops))
	for i, op := range ops {
		out[i] = Term{Var(sel(op)), 1}
	}
	return out
}

func allOps() []Op {
	ops := make([]Op, NumOps)
	for i := range ops {
		ops[i] = Op(i + 1)
	}
	return ops
}

// Op groups.
var (
	ctrlOps = []Op{OpResume, OpResumeEff, OpYield, OpBurnU, OpBurnT, OpReturn, OpEffect}
	newOps  = []Op{OpNewUTXO, OpNewToken, OpNewCoord}
	hostOps = allOps()[:NumOps-1]
)

// mode is how an op accesses a port.
type mode uint8

const (
	modeRO mode = iota + 1
	modeRW
	modeFresh
)

// access is one port access of an op: the memory, and the mutable slots it
// writes (the others are kept).
type access struct {
	port, tag int
	mode      mode
	writes    []int
}

// accesses are ARITH.md § 3.3's ports per op.
var accesses = map[Op][]access{
	OpResume:      {{P1, TagPROC, modeRW, []int{procSt}}, {P2, TagPROC, modeRW, []int{procSt, procYT}}, {PR, TagREFS, modeRO, nil}},
	OpResumeEff:   {{P1, TagPROC, modeRW, []int{procSt}}, {P2, TagPROC, modeRW, []int{procSt, procHd}}, {PR, TagREFS, modeRO, nil}},
	OpYield:       {{P1, TagPROC, modeRW, []int{procSt}}, {P2, TagPROC, modeRW, []int{procSt}}, {PR, TagREFS, modeRO, nil}},
	OpBurnU:       {{P1, TagPROC, modeRW, []int{procSt}}, {P2, TagPROC, modeRW, []int{procSt}}},
	OpBurnT:       {{P1, TagPROC, modeRW, []int{procSt, procTok}}, {P2, TagPROC, modeRW, []int{procSt}}, {P3, TagPROC, modeRW, []int{procTok}}},
	OpReturn:      {{P1, TagPROC, modeRW, []int{procSt}}, {P2, TagPROC, modeRW, []int{procSt}}},
	OpReturnRoot:  {{P1, TagPROC, modeRW, []int{procSt}}},
	OpEffect:      {{P1, TagPROC, modeRW, []int{procSt, procHd}}, {P2, TagPROC, modeRW, []int{procSt}}, {P3, TagHEADS, modeRO, nil}, {PR, TagREFS, modeRO, nil}},
	OpActivation:  {{P2, TagPROC, modeRO, nil}, {P3, TagHEADS, modeRO, nil}},
	OpInit:        {{P1, TagINIT, modeRO, nil}},
	OpNewUTXO:     newAccess,
	OpNewToken:    newAccess,
	OpNewCoord:    newAccess,
	OpProgramHash: {{P2, TagPROC, modeRO, nil}, {P3, TagPROG, modeRO, nil}},
	OpAmount:      {{P1, TagINIT, modeRO, nil}, {P2, TagPROC, modeRO, nil}},
	OpInstall:     {{P1, TagNODES, modeFresh, []int{0, 1, 2}}, {P3, TagHEADS, modeRW, []int{0, 1}}},
	OpUninstall:   {{P1, TagNODES, modeRO, nil}, {P3, TagHEADS, modeRW, []int{0, 1}}},
	OpGetHandler:  {{P2, TagPROC, modeRO, nil}, {P3, TagHEADS, modeRO, nil}},
	OpNewRef:      {{P1, TagBLD, modeRW, []int{0}}, {PR, TagREFS, modeFresh, []int{0}}},
	OpNewRef0:     {{P1, TagBLD, modeRO, nil}, {PR, TagREFS, modeFresh, []int{0}}},
	OpRefPush:     {{P1, TagBLD, modeRO, nil}, {P2, TagArenaA, modeFresh, []int{0, 1, 2, 3}}, {P3, TagArenaB, modeFresh, []int{0, 1, 2, 3}}, {PR, TagREFS, modeRW, []int{0}}},
	OpRefPushLast: {{P1, TagBLD, modeRW, []int{0}}, {P2, TagArenaA, modeFresh, []int{0, 1, 2, 3}}, {P3, TagArenaB, modeFresh, []int{0, 1, 2, 3}}, {PR, TagREFS, modeRW, []int{0}}},
	OpRefGet:      {{P2, TagArenaA, modeRO, nil}, {P3, TagArenaB, modeRO, nil}, {PR, TagREFS, modeRO, nil}},
	OpRefWrite:    {{P2, TagArenaA, modeRW, []int{0, 1, 2, 3}}, {P3, TagArenaB, modeRW, []int{0, 1, 2, 3}}, {PR, TagREFS, modeRO, nil}},
	OpBind:        {{P1, TagPROC, modeRW, []int{procTok}}, {P2, TagPROC, modeRW, []int{procTok}}},
	OpUnbind:      {{P1, TagPROC, modeRW, []int{procTok}}, {P2, TagPROC, modeRW, []int{procSt, procTok}}},
	OpGetDatum:    {{P1, TagDATUM, modeRO, nil}},
	OpSetDatum:    {{P1, TagDATUM, modeRW, []int{0, 1}}},
}

var newAccess = []access{{P1, TagINIT, modeRO, nil}, {P2, TagPROC, modeRW, []int{procSt}}, {P3, TagPROG, modeRO, nil}, {PR, TagREFS, modeRO, nil}}

// opsWhere lists the ops with an access on port p that satisfies f.
func opsWhere(p int, f func(access) bool) []Op {
	var ops []Op
	for _, op := range hostOps {
		for _, a := range accesses[op] {
			if a.port == p && f(a) {
				ops = append(ops, op)
			}
		}
	}
	return ops
}

// two32 is 2^32, the S32 bound.
const two32 = int64(1) << 32

// unsigned is the cell u = 2^32 − 1 − d of ARITH.md § 4.2: u − (2^32 − 1) + d = 0.
func unsigned(u int, d Lin) Lin { return cell(u).plus(konst(-(two32 - 1))).plus(d) }

// Port cells of PROC fields.
func st(p int) int  { return old(p, procSt) }
func yt(p int) int  { return old(p, procYT) }
func hd(p int) int  { return old(p, procHd) }
func tok(p int) int { return old(p, procTok) }

// Constraints returns the row constraint table of ARITH.md §§ 2–5, in a fixed
// order; it holds on every trace row (rows 1 … R−1) of a step.
func Constraints() []Constraint { return slices.Clone(rowTable) }

// HeaderConstraints returns the constraints of a step's header row (row 0):
// the next row's state is y_prev, and the header emits no memory leaf.
func HeaderConstraints() []Constraint { return slices.Clone(headerTable) }

var rowTable, headerTable = makeRowTable(), makeHeaderTable()

type table []Constraint

// gated adds Σσ_ops·b = 0.
func (t *table) gated(name string, ops []Op, b Lin) {
	*t = append(*t, Constraint{Name: name, Ops: ops, A: sels(ops...), B: b})
}

// keep adds (1 − Σσ_ops)·b = 0: b vanishes unless one of ops is selected.
func (t *table) keep(name string, ops []Op, b Lin) {
	*t = append(*t, Constraint{Name: name, Ops: ops, A: konst(1).minus(sels(ops...)), B: b})
}

// always adds a·b = c on every row.
func (t *table) always(name string, a, b, c Lin) {
	*t = append(*t, Constraint{Name: name, A: a, B: b, C: c})
}

func makeRowTable() []Constraint {
	var t table
	ops := allOps()
	host := sels(hostOps...)
	scan := cell(sel(OpScan))

	// One-hot selectors and padding (§ 2.2).
	for _, op := range ops {
		t.always("σ_"+op.String()+" is a bit", cell(sel(op)), cell(sel(op)).minus(konst(1)), nil)
	}
	all := sels(ops...)
	t.always("one op per row", all, all.minus(konst(1)), nil)

	// State bits (§ 2.3, § 2.4).
	t.always("cu is a bit", cell(CellCU), cell(CellCU).minus(konst(1)), nil)
	t.always("ct is a bit", cell(CellCT), cell(CellCT).minus(konst(1)), nil)
	t.always("cur is not both a UTXO and a token", cell(CellCU), cell(CellCT), nil)
	t.always("ended is a bit", cell(CellEnded), cell(CellEnded).minus(konst(1)), nil)
	t.always("no host call after the end", cell(CellEnded), host, nil)
	t.always("no scan before the end", konst(1).minus(cell(CellEnded)), scan, nil)
	t.always("g' = g + 1", konst(1), next(CellG).minus(cell(CellG)).minus(konst(1)), nil)

	// Status decoding of P2.o0 (§ 2.3).
	var betas, weighted Lin
	for s := range numStatus {
		b := cell(beta(s))
		t.always("β_"+s.String()+" is a bit", b, b.minus(konst(1)), nil)
		betas = append(betas, b...)
		weighted = append(weighted, b.times(int64(s))...)
	}
	t.always("one status", konst(1), betas.minus(konst(1)), nil)
	t.gated("β decodes P2.st", opsWhere(P2, func(a access) bool { return a.tag == TagPROC }), cell(st(P2)).minus(weighted))

	// Ports (§ 3.1, § 3.3).
	for _, p := range []int{P1, P2, P3} {
		var tags Lin
		for _, op := range hostOps {
			for _, a := range accesses[op] {
				if a.port == p {
					tags = append(tags, Term{Var(sel(op)), int64(a.tag)})
				}
			}
		}
		t.always(portName(p)+".tag is the op's memory", konst(1).minus(scan), cell(tag(p)), tags)
	}
	for _, p := range []int{P1, P2, P3, PR} {
		name := portName(p)
		reads := opsWhere(p, func(a access) bool { return a.mode != modeFresh })
		t.always(name+".rd is the op's read", konst(1).minus(scan), cell(rdCell(p)), sels(reads...))
		rd := cell(rdCell(p))
		t.always(name+".rd is a bit", rd, rd.minus(konst(1)), nil)
		rt, cd := rtCell(p), cdCell(p)
		// cd = 2^32 − now + rt with now = 4g + port.
		t.always(name+".cd = 2^32 − now + rt", konst(1),
			cell(cd).minus(konst(two32-int64(portNum(p)))).plus(cell(CellG).times(4)).minus(cell(rt)), nil)
	}
	for _, p := range []int{P1, P2, P3} {
		for k := range Mutable {
			writers := opsWhere(p, func(a access) bool { return slices.Contains(a.writes, k) })
			t.keep(portName(p)+".n"+strconv.Itoa(k)+" = o"+strconv.Itoa(k)+" unless written", writers, cell(nw(p, k)).minus(cell(old(p, k))))
		}
	}
	t.keep("R.n0 = R.o0 unless written", opsWhere(PR, func(a access) bool { return len(a.writes) > 0 }),
		cell(PR+RNew).minus(cell(rOld(0))))

	// Scan outputs (§ 3.4).
	for _, c := range []struct {
		cell, port, tag int
		name            string
	}{{CellOutP, P2, TagPROC, "outP"}, {CellOutD, P1, TagDATUM, "outD"}} {
		t.always(c.name+" is a bit", cell(c.cell), cell(c.cell).minus(konst(1)), nil)
		t.always(c.name+" only on scan rows", konst(1).minus(scan), cell(c.cell), nil)
		t.always(c.name+" reads its memory", cell(c.cell), cell(tag(c.port)).minus(konst(int64(c.tag))), nil)
	}
	for c := CellsUsed; c < Width; c++ {
		t.always(CellName(c)+" = 0", konst(1), cell(c), nil)
	}

	opRules(&t)
	stateRules(&t)
	return t
}

// stateRules are § 2.4's keep rules and the control transfers' new state (§ 5.0).
func stateRules(t *table) {
	writers := map[int][]Op{
		CellCur: ctrlOps, CellCU: ctrlOps, CellCT: ctrlOps, CellARef: ctrlOps, CellACal: ctrlOps,
		CellAKind: ctrlOps, CellAIf: ctrlOps, CellNNew: newOps, CellNRef: {OpNewRef, OpNewRef0},
		CellArena: {OpNewRef}, CellNNode: {OpInstall}, CellEnded: {OpReturnRoot},
	}
	for f := range CellG {
		t.keep(CellName(f)+"' = "+CellName(f)+" unless written", writers[f], next(f).minus(cell(f)))
	}
	t.gated("CTRL: cur' = P2.addr", ctrlOps, next(CellCur).minus(cell(addr(P2))))
	t.gated("CTRL: cu' + 2·ct' = P2.kind", ctrlOps, next(CellCU).plus(next(CellCT).times(2)).minus(cell(old(P2, procKind))))
	t.gated("CTRL: acal' = cur", ctrlOps, next(CellACal).minus(cell(CellCur)))
	for _, k := range []struct {
		ops  []Op
		kind int64
	}{{[]Op{OpResume, OpResumeEff}, ActResume}, {[]Op{OpYield}, ActYield}, {[]Op{OpBurnU, OpBurnT}, ActBurn}, {[]Op{OpReturn}, ActReturn}, {[]Op{OpEffect}, ActEffect}} {
		t.gated("CTRL: akind' = "+strconv.Itoa(int(k.kind)), k.ops, next(CellAKind).minus(konst(k.kind)))
	}
	t.gated("CTRL: aref' = R.addr", []Op{OpResume, OpResumeEff, OpYield, OpEffect}, next(CellARef).minus(cell(PR+RAddr)))
	t.gated("CTRL: aref' = 0", []Op{OpBurnU, OpBurnT, OpReturn}, next(CellARef))
	t.gated("EFFECT: aif' = P3.addr", []Op{OpEffect}, next(CellAIf).minus(cell(addr(P3))))
	t.gated("CTRL: aif' = 0", []Op{OpResume, OpResumeEff, OpYield, OpBurnU, OpBurnT, OpReturn}, next(CellAIf))
	t.gated("NEW: nnew' = nnew + 1", newOps, next(CellNNew).minus(cell(CellNNew)).minus(konst(1)))
	t.gated("NEW_REF: nref' = R.addr", []Op{OpNewRef, OpNewRef0}, next(CellNRef).minus(cell(PR+RAddr)))
	t.gated("NEW_REF: arena' = arena + R.o1", []Op{OpNewRef}, next(CellArena).minus(cell(CellArena)).minus(cell(rOld(1))))
	t.gated("INSTALL: nnode' = nnode + 1", []Op{OpInstall}, next(CellNNode).minus(cell(CellNNode)).minus(konst(1)))
	t.gated("RETURN_ROOT: ended' = 1", []Op{OpReturnRoot}, next(CellEnded).minus(konst(1)))
}

func stIs(p int, s Status) Lin    { return cell(st(p)).minus(konst(int64(s))) }
func newStIs(p int, s Status) Lin { return cell(nw(p, procSt)).minus(konst(int64(s))) }
func betaSum(ss ...Status) Lin {
	var l Lin
	for _, s := range ss {
		l = append(l, cell(beta(s))...)
	}
	return l
}

// opRules are the op-specific equations of § 5.
func opRules(t *table) {
	coord := []Op{OpResume, OpResumeEff, OpReturn, OpReturnRoot, OpNewUTXO, OpNewToken, OpNewCoord, OpInstall, OpUninstall}
	t.gated("caller is a coordination script: cu + ct = 0", coord, cell(CellCU).plus(cell(CellCT)))
	t.gated("caller is a UTXO or a token: cu + ct − 1 = 0", []Op{OpYield}, cell(CellCU).plus(cell(CellCT)).minus(konst(1)))
	t.gated("caller is a UTXO: cu − 1 = 0", []Op{OpBurnU}, cell(CellCU).minus(konst(1)))
	t.gated("caller is a token: ct − 1 = 0", []Op{OpBurnT, OpBind}, cell(CellCT).minus(konst(1)))

	onCur := []Op{OpResume, OpResumeEff, OpYield, OpBurnU, OpBurnT, OpReturn, OpReturnRoot, OpEffect, OpBind, OpUnbind}
	t.gated("P1 is the caller's record: P1.addr − cur = 0", append(slices.Clone(onCur), OpInit, OpNewRef, OpNewRef0, OpRefPush, OpRefPushLast), cell(addr(P1)).minus(cell(CellCur)))
	t.gated("the caller runs: P1.st = RUN", onCur, stIs(P1, StatusRun))

	// Control (§ 5.1).
	complete := []Op{OpResume, OpResumeEff, OpYield, OpEffect, OpNewUTXO, OpNewToken, OpNewCoord, OpRefGet, OpRefWrite}
	t.gated("the ref is complete: R.o0 − R.o1 = 0", complete, cell(rOld(0)).minus(cell(rOld(1))))
	t.gated("the resumer waits: P1.st' = WAIT", []Op{OpResume, OpResumeEff}, newStIs(P1, StatusWait))
	t.gated("RESUME: the target is idle or suspended: β_IDLE + β_REST + β_SUSP = 1", []Op{OpResume}, betaSum(StatusIdle, StatusRest, StatusSusp).minus(konst(1)))
	t.gated("the target runs: P2.st' = RUN", ctrlOps, newStIs(P2, StatusRun))
	t.gated("RESUME: the target yields to the caller: P2.yt' − cur = 0", []Op{OpResume}, cell(nw(P2, procYT)).minus(cell(CellCur)))
	t.gated("RESUME_EFF: the target is in an effect: β_INEFF = 1", []Op{OpResumeEff}, betaSum(StatusInEffect).minus(konst(1)))
	t.gated("RESUME_EFF: the caller handles it: P2.hd − cur = 0", []Op{OpResumeEff}, cell(hd(P2)).minus(cell(CellCur)))
	t.gated("RESUME_EFF: the effect ends: P2.hd' = 0", []Op{OpResumeEff}, cell(nw(P2, procHd)))
	back := []Op{OpYield, OpBurnU, OpBurnT, OpReturn}
	t.gated("control goes back to the resumer: P2.addr − P1.yt = 0", back, cell(addr(P2)).minus(cell(yt(P1))))
	t.gated("the target waits: β_WAIT = 1", append(slices.Clone(back), OpEffect), betaSum(StatusWait).minus(konst(1)))
	t.gated("YIELD: P1.st' = SUSP", []Op{OpYield}, newStIs(P1, StatusSusp))
	t.gated("BURN: P1.st' = BURNED", []Op{OpBurnU, OpBurnT}, newStIs(P1, StatusBurned))
	t.gated("RETURN: P1.st' = RET", []Op{OpReturn, OpReturnRoot}, newStIs(P1, StatusReturned))
	t.gated("owns no token and is unbound: P1.tok = 0", []Op{OpBurnU, OpBind}, cell(tok(P1)))
	t.gated("BURN_T: unbound: P1.tok' = 0", []Op{OpBurnT}, cell(nw(P1, procTok)))
	t.gated("BURN_T: P3 is the owner: P3.addr − P1.tok = 0", []Op{OpBurnT}, cell(addr(P3)).minus(cell(tok(P1))))
	t.gated("BURN_T: the owner owns one less: P3.tok' − P3.tok + 1 = 0", []Op{OpBurnT}, cell(nw(P3, procTok)).minus(cell(tok(P3))).plus(konst(1)))
	t.gated("RETURN_ROOT: the root returns: cur − 1 = 0", []Op{OpReturnRoot}, cell(CellCur).minus(konst(1)))
	t.gated("EFFECT: P2 is the innermost handler: P2.addr − P3.o1 = 0", []Op{OpEffect, OpGetHandler}, cell(addr(P2)).minus(cell(old(P3, 1))))
	t.gated("EFFECT: P1.st' = INEFF", []Op{OpEffect}, newStIs(P1, StatusInEffect))
	t.gated("EFFECT: P1.hd' − P2.addr = 0", []Op{OpEffect}, cell(nw(P1, procHd)).minus(cell(addr(P2))))

	// Reading what happened (§ 5.2).
	t.gated("ACTIVATION: P2.addr − acal = 0", []Op{OpActivation}, cell(addr(P2)).minus(cell(CellACal)))
	t.gated("ACTIVATION: P3.addr − aif = 0", []Op{OpActivation}, cell(addr(P3)).minus(cell(CellAIf)))
	t.gated("INIT: has an init ref: P1.o2 − 1 = 0", []Op{OpInit}, cell(old(P1, 2)).minus(konst(1)))

	// Processes (§ 5.3).
	for _, p := range []int{P1, P2, P3} {
		t.gated("NEW: "+portName(p)+".addr − nnew = 0", newOps, cell(addr(p)).minus(cell(CellNNew)))
	}
	t.gated("NEW: β_NEW = 1", newOps, betaSum(StatusNew).minus(konst(1)))
	for i, k := range []Kind{KindUTXO, KindToken, KindCoord} {
		op := newOps[i]
		t.gated(op.String()+": P2.kind − "+strconv.Itoa(int(k))+" = 0", []Op{op}, cell(old(P2, procKind)).minus(konst(int64(k))))
	}
	t.gated("NEW: P2.st' = IDLE", newOps, newStIs(P2, StatusIdle))
	t.gated("NEW: the init ref is the call's: P1.o0 − R.addr = 0", newOps, cell(old(P1, 0)).minus(cell(PR+RAddr)))
	t.gated("NEW: the creator is the caller: P1.o1 − cur = 0", newOps, cell(old(P1, 1)).minus(cell(CellCur)))
	t.gated("P3 is P2's program: P3.addr − P2.addr = 0", []Op{OpProgramHash}, cell(addr(P3)).minus(cell(addr(P2))))
	t.gated("P2 exists: β_NONE + β_NEW = 0", []Op{OpProgramHash, OpAmount, OpGetHandler, OpUnbind}, betaSum(StatusNone, StatusNew))
	t.gated("AMOUNT: P1.addr − P2.addr = 0", []Op{OpAmount}, cell(addr(P1)).minus(cell(addr(P2))))
	t.gated("P2 is a token: P2.kind − 2 = 0", []Op{OpAmount, OpUnbind}, cell(old(P2, procKind)).minus(konst(int64(KindToken))))

	// Handlers (§ 5.4).
	t.gated("INSTALL: P1.addr − nnode = 0", []Op{OpInstall}, cell(addr(P1)).minus(cell(CellNNode)))
	t.gated("INSTALL: the node's handler: P1.n0 − cur = 0", []Op{OpInstall}, cell(nw(P1, 0)).minus(cell(CellCur)))
	t.gated("INSTALL: the node's next: P1.n1 − P3.o0 = 0", []Op{OpInstall}, cell(nw(P1, 1)).minus(cell(old(P3, 0))))
	t.gated("INSTALL: the node's next handler: P1.n2 − P3.o1 = 0", []Op{OpInstall}, cell(nw(P1, 2)).minus(cell(old(P3, 1))))
	t.gated("INSTALL: the new top: P3.n0 − nnode = 0", []Op{OpInstall}, cell(nw(P3, 0)).minus(cell(CellNNode)))
	t.gated("INSTALL: the new top's handler: P3.n1 − cur = 0", []Op{OpInstall}, cell(nw(P3, 1)).minus(cell(CellCur)))
	t.gated("UNINSTALL: the caller is the top handler: P3.o1 − cur = 0", []Op{OpUninstall}, cell(old(P3, 1)).minus(cell(CellCur)))
	t.gated("UNINSTALL: P1 is the top node: P1.addr − P3.o0 = 0", []Op{OpUninstall}, cell(addr(P1)).minus(cell(old(P3, 0))))
	t.gated("UNINSTALL: pop: P3.n0 − P1.o1 = 0", []Op{OpUninstall}, cell(nw(P3, 0)).minus(cell(old(P1, 1))))
	t.gated("UNINSTALL: pop: P3.n1 − P1.o2 = 0", []Op{OpUninstall}, cell(nw(P3, 1)).minus(cell(old(P1, 2))))

	// Refs (§ 5.5).
	newRef := []Op{OpNewRef, OpNewRef0}
	t.gated("NEW_REF: R.addr − nref − 1 = 0", newRef, cell(PR+RAddr).minus(cell(CellNRef)).minus(konst(1)))
	t.gated("NEW_REF: empty: R.n0 = 0", newRef, cell(PR+RNew))
	t.gated("NEW_REF: base: R.o2 − arena = 0", newRef, cell(rOld(2)).minus(cell(CellArena)))
	t.gated("NEW_REF: creator: R.o3 − cur = 0", newRef, cell(rOld(3)).minus(cell(CellCur)))
	t.gated("NEW_REF: no ref under construction: P1.o0 = 0", newRef, cell(old(P1, 0)))
	t.gated("NEW_REF: u1 = 2^32 − 1 − (rows − 1)", []Op{OpNewRef}, unsigned(CellU1, cell(rOld(1)).minus(konst(1))))
	t.gated("NEW_REF: u2 = 2^32 − 1 − (4096 − rows)", []Op{OpNewRef}, unsigned(CellU2, konst(4096).minus(cell(rOld(1)))))
	t.gated("NEW_REF: u3 = 2^32 − 1 − (65536 − arena − rows)", []Op{OpNewRef}, unsigned(CellU3, konst(65536).minus(cell(CellArena)).minus(cell(rOld(1)))))
	t.gated("NEW_REF: building: P1.n0 − R.addr = 0", []Op{OpNewRef}, cell(nw(P1, 0)).minus(cell(PR+RAddr)))
	t.gated("NEW_REF0: R.o1 = 0", []Op{OpNewRef0}, cell(rOld(1)))
	push := []Op{OpRefPush, OpRefPushLast}
	t.gated("REF_PUSH: the caller's ref: R.addr − P1.o0 = 0", push, cell(PR+RAddr).minus(cell(old(P1, 0))))
	t.gated("REF_PUSH: R.n0 − R.o0 − 1 = 0", push, cell(PR+RNew).minus(cell(rOld(0))).minus(konst(1)))
	t.gated("REF_PUSH: P2.addr − R.o2 − R.o0 = 0", push, cell(addr(P2)).minus(cell(rOld(2))).minus(cell(rOld(0))))
	t.gated("arena halves: P3.addr − P2.addr = 0", append(slices.Clone(push), OpRefGet, OpRefWrite), cell(addr(P3)).minus(cell(addr(P2))))
	t.gated("REF_PUSH: u1 = 2^32 − 1 − (size − filled − 2)", []Op{OpRefPush}, unsigned(CellU1, cell(rOld(1)).minus(cell(rOld(0))).minus(konst(2))))
	t.gated("REF_PUSH_LAST: R.o1 − R.o0 − 1 = 0", []Op{OpRefPushLast}, cell(rOld(1)).minus(cell(rOld(0))).minus(konst(1)))
	t.gated("REF_PUSH_LAST: done: P1.n0 = 0", []Op{OpRefPushLast}, cell(nw(P1, 0)))
	rows := []Op{OpRefGet, OpRefWrite}
	t.gated("REF_GET: u1 = 2^32 − 1 − row", rows, unsigned(CellU1, cell(CellIdx)))
	t.gated("REF_GET: u2 = 2^32 − 1 − (size − 1 − row)", rows, unsigned(CellU2, cell(rOld(1)).minus(konst(1)).minus(cell(CellIdx))))
	t.gated("REF_GET: P2.addr − R.o2 − row = 0", rows, cell(addr(P2)).minus(cell(rOld(2))).minus(cell(CellIdx)))
	t.gated("REF_WRITE: the caller created the ref: R.o3 − cur = 0", []Op{OpRefWrite}, cell(rOld(3)).minus(cell(CellCur)))

	// Tokens (§ 5.6).
	t.gated("BIND: the owner is a UTXO: P2.kind − 1 = 0", []Op{OpBind}, cell(old(P2, procKind)).minus(konst(int64(KindUTXO))))
	t.gated("BIND: the owner is alive", []Op{OpBind}, betaSum(StatusIdle, StatusRest, StatusSusp, StatusWait, StatusInEffect).minus(konst(1)))
	t.gated("BIND: P1.tok' − P2.addr = 0", []Op{OpBind}, cell(nw(P1, procTok)).minus(cell(addr(P2))))
	t.gated("BIND: P2.tok' − P2.tok − 1 = 0", []Op{OpBind}, cell(nw(P2, procTok)).minus(cell(tok(P2))).minus(konst(1)))
	t.gated("UNBIND: the caller owns it: P2.tok − cur = 0", []Op{OpUnbind}, cell(tok(P2)).minus(cell(CellCur)))
	t.gated("UNBIND: P2.tok' = 0", []Op{OpUnbind}, cell(nw(P2, procTok)))
	t.gated("UNBIND: P2.st' − P2.st − β_REST = 0", []Op{OpUnbind}, cell(nw(P2, procSt)).minus(cell(st(P2))).minus(betaSum(StatusRest)))
	t.gated("UNBIND: P1.tok' − P1.tok + 1 = 0", []Op{OpUnbind}, cell(nw(P1, procTok)).minus(cell(tok(P1))).plus(konst(1)))

	// Datum (§ 5.7).
	datum := []Op{OpGetDatum, OpSetDatum}
	t.gated("DATUM: P1.addr − 16·cur − slot = 0", datum, cell(addr(P1)).minus(cell(CellCur).times(DatumSlots)).minus(cell(CellIdx)))
	t.gated("DATUM: u1 = 2^32 − 1 − slot", datum, unsigned(CellU1, cell(CellIdx)))
	t.gated("DATUM: u2 = 2^32 − 1 − (15 − slot)", datum, unsigned(CellU2, konst(DatumSlots-1).minus(cell(CellIdx))))
}

func makeHeaderTable() []Constraint {
	var t table
	for k := range StateLen {
		t.always("y_prev: "+CellName(k)+" of row 1 = x["+strconv.Itoa(xPrev+k)+"]", konst(1), next(k).minus(cell(xPrev+k)), nil)
	}
	numerators := []int{CellOutP, CellOutD, rdCell(P1), rdCell(P2), rdCell(P3), PR + RRD}
	for _, op := range allOps() {
		numerators = append(numerators, sel(op))
	}
	for _, c := range numerators {
		t.always("header: "+CellName(c)+" = 0", konst(1), cell(c), nil)
	}
	return t
}
