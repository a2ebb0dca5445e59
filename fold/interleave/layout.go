package interleave

import (
	"fmt"
	"slices"
	"strconv"
)

// Width is the number of cells of a row, W (a power of two, so that a column
// of a step is a sub-cube of its witness's multilinear extension).
const Width = 128

// Row state (ARITH.md § 2.4): the state before the row; the next row's state
// cells are the state after it.
const (
	CellCur   = 0  // index of the running process
	CellCU    = 1  // cur is a UTXO
	CellCT    = 2  // cur is a token
	CellARef  = 3  // the ref of the transfer that started cur's step
	CellACal  = 4  // index of that transfer's caller
	CellAKind = 5  // its activation kind
	CellAIf   = 6  // its interface index
	CellNNew  = 7  // index of the next process to create
	CellNRef  = 8  // the highest ref id so far
	CellArena = 9  // arena rows allocated so far
	CellNNode = 10 // next handler-node id
	CellEnded = 11 // the root has returned
	CellG     = 12 // global row number
	// StateLen is the number of state cells, the length of the IVC state y.
	StateLen = 13
)

// Op cells.
const (
	CellPtr = 13 // the op's pointer argument
	CellIdx = 14 // ref row or datum slot
	CellU1  = 15 // unsigned-check cells (ARITH.md § 4.2)
	CellU2  = 16
	CellU3  = 17
)

// Ports: three generic ones and the REFS port.
const (
	P1 = 18
	P2 = 37
	P3 = 56
	PR = 75
)

// Offsets of a generic port's cells from its base.
const (
	PortTag  = 0
	PortAddr = 1
	PortOld  = 2  // o0…o9
	PortNew  = 12 // n0…n3
	PortRT   = 16 // read time
	PortCD   = 17 // time check
	PortRD   = 18 // read active
	// Slots is the number of value slots of a generic memory cell.
	Slots = 10
	// Mutable is the number of slots a write may change (slots 0–3).
	Mutable = 4
)

// Offsets of the REFS port's cells from PR: the header (filled, size, base,
// creator), of which only filled is mutable.
const (
	RAddr = 0
	ROld  = 1 // o0…o3
	RNew  = 5 // n0
	RRT   = 6
	RCD   = 7
	RRD   = 8
)

// Status decoding, selectors and output cells.
const (
	CellBeta = 84  // β0…β9: one-hot decoding of P2's old status
	CellSel  = 94  // σ_1…σ_29, in Op order
	CellOutP = 123 // scan: P2 emits a PROC output leaf
	CellOutD = 124 // scan: P1 emits a DATUM output leaf
	// CellsUsed is the number of cells a row uses; the rest are 0.
	CellsUsed = 125
)

// Port cell helpers.
func tag(p int) int     { return p + PortTag }
func addr(p int) int    { return p + PortAddr }
func old(p, k int) int  { return p + PortOld + k }
func nw(p, k int) int   { return p + PortNew + k }
func beta(s Status) int { return CellBeta + int(s) }
func sel(op Op) int     { return CellSel + int(op) - 1 }
func rOld(k int) int    { return PR + ROld + k }

// rdCell, rtCell and cdCell are a port's read-active, read-time and
// time-check cells, generic or REFS.
func rdCell(p int) int { return portCell(p, PortRD, RRD) }
func rtCell(p int) int { return portCell(p, PortRT, RRT) }
func cdCell(p int) int { return portCell(p, PortCD, RCD) }

func portCell(p, generic, refs int) int {
	if p == PR {
		return PR + refs
	}
	return p + generic
}

// portNum is p in now_p = 4g + p.
func portNum(p int) int { return 1 + (p-P1)/(P2-P1) }

func portName(p int) string {
	if p == PR {
		return "R"
	}
	return "P" + strconv.Itoa(portNum(p))
}

// PROC slots (ARITH.md § 3.2).
const (
	procSt   = 0
	procYT   = 1
	procHd   = 2
	procTok  = 3
	procPID  = 4 // lo, hi
	procKind = 6
)

// Status is a PROC status code (ARITH.md § 2.1).
type Status uint8

// Status codes.
const (
	StatusNone Status = iota
	StatusNew
	StatusIdle
	StatusRest
	StatusSusp
	StatusRun
	StatusWait
	StatusInEffect
	StatusBurned
	StatusReturned
	numStatus
)

var statusNames = [numStatus]string{"NONE", "NEW", "IDLE", "REST", "SUSP", "RUN", "WAIT", "INEFF", "BURNED", "RET"}

func (s Status) String() string {
	if s < numStatus {
		return statusNames[s]
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// Activation kinds, runtime/tx's.
const (
	ActStart  = 0
	ActResume = 1
	ActYield  = 2
	ActBurn   = 3
	ActReturn = 4
	ActEffect = 5
)

// Memory tags (ARITH.md § 3.2).
const (
	TagPROC   = 2
	TagPROG   = 3
	TagINIT   = 4
	TagHEADS  = 5
	TagNODES  = 6
	TagArenaA = 7
	TagArenaB = 8
	TagDATUM  = 9
	TagBLD    = 10
	TagREFS   = 11
)

// Op is a row's operation: a host call, one of the two halves of a host call
// the row splits by branch, or a scan. Padding rows have none (0).
type Op uint8

// Ops, σ_1…σ_29 (ARITH.md § 2.2).
const (
	OpNone Op = iota
	OpResume
	OpResumeEff
	OpYield
	OpBurnU
	OpBurnT
	OpReturn
	OpReturnRoot
	OpEffect
	OpActivation
	OpInit
	OpNewUTXO
	OpNewToken
	OpNewCoord
	OpProgramHash
	OpAmount
	OpInstall
	OpUninstall
	OpGetHandler
	OpNewRef
	OpNewRef0
	OpRefPush
	OpRefPushLast
	OpRefGet
	OpRefWrite
	OpBind
	OpUnbind
	OpGetDatum
	OpSetDatum
	OpScan
	// NumOps is the number of selectors.
	NumOps = int(OpScan)
)

var opNames = [...]string{
	"padding", "RESUME", "RESUME_EFF", "YIELD", "BURN_U", "BURN_T", "RETURN", "RETURN_ROOT",
	"EFFECT", "ACTIVATION", "INIT", "NEW_UTXO", "NEW_TOKEN", "NEW_COORD", "PROGRAM_HASH",
	"AMOUNT", "INSTALL", "UNINSTALL", "GET_HANDLER", "NEW_REF", "NEW_REF0", "REF_PUSH",
	"REF_PUSH_LAST", "REF_GET", "REF_WRITE", "BIND", "UNBIND", "GET_DATUM", "SET_DATUM", "SCAN",
}

func (op Op) String() string {
	if int(op) < len(opNames) {
		return opNames[op]
	}
	return "op(" + strconv.Itoa(int(op)) + ")"
}

// Call is the host function an op is (half of); ok is false for a scan and
// for padding.
func (op Op) Call() (c Call, ok bool) {
	switch op {
	case OpResume, OpResumeEff:
		return CallResume, true
	case OpYield:
		return CallYield, true
	case OpBurnU, OpBurnT:
		return CallBurn, true
	case OpReturn, OpReturnRoot:
		return CallReturn, true
	case OpEffect:
		return CallEffect, true
	case OpActivation:
		return CallActivation, true
	case OpInit:
		return CallInit, true
	case OpNewUTXO:
		return CallNewUTXO, true
	case OpNewToken:
		return CallNewToken, true
	case OpNewCoord:
		return CallNewCoord, true
	case OpProgramHash:
		return CallProgramHash, true
	case OpAmount:
		return CallAmount, true
	case OpInstall:
		return CallInstallHandler, true
	case OpUninstall:
		return CallUninstallHandler, true
	case OpGetHandler:
		return CallGetHandlerFor, true
	case OpNewRef, OpNewRef0:
		return CallNewRef, true
	case OpRefPush, OpRefPushLast:
		return CallRefPush, true
	case OpRefGet:
		return CallRefGet, true
	case OpRefWrite:
		return CallRefWrite, true
	case OpBind:
		return CallBind, true
	case OpUnbind:
		return CallUnbind, true
	case OpGetDatum:
		return CallGetDatum, true
	case OpSetDatum:
		return CallSetDatum, true
	}
	return 0, false
}

// CellName names a cell of a row, for errors.
func CellName(c int) string {
	switch {
	case c < 0 || c >= Width:
		return "cell(" + strconv.Itoa(c) + ")"
	case c < StateLen:
		return [StateLen]string{"cur", "cu", "ct", "aref", "acal", "akind", "aif", "nnew", "nref", "arena", "nnode", "ended", "g"}[c]
	case c < P1:
		return [...]string{"ptr", "idx", "u1", "u2", "u3"}[c-CellPtr]
	case c < PR:
		p := P1 + (c-P1)/(P2-P1)*(P2-P1)
		return portName(p) + "." + portCellName(c-p)
	case c < CellBeta:
		return "R." + [...]string{"addr", "o0", "o1", "o2", "o3", "n0", "rt", "cd", "rd"}[c-PR]
	case c < CellSel:
		return fmt.Sprintf("β%d", c-CellBeta)
	case c < CellOutP:
		return "σ_" + Op(c-CellSel+1).String()
	case c == CellOutP:
		return "outP"
	case c == CellOutD:
		return "outD"
	}
	return "spare" + strconv.Itoa(c-CellsUsed)
}

func portCellName(off int) string {
	switch {
	case off == PortTag:
		return "tag"
	case off == PortAddr:
		return "addr"
	case off < PortNew:
		return "o" + strconv.Itoa(off-PortOld)
	case off < PortRT:
		return "n" + strconv.Itoa(off-PortNew)
	case off == PortRT:
		return "rt"
	case off == PortCD:
		return "cd"
	}
	return "rd"
}

// Public input of a step (the header row's cells 0–26).
const (
	// XLen is the length of a step's public input x = (1, y_prev, y_next).
	XLen  = 1 + 2*StateLen
	xPrev = 1
	xNext = 1 + StateLen
)

// Layout is the shape of a step: Rows rows of Width cells, row 0 the header.
type Layout struct {
	Rows int
}

// stepRows are the step sizes R a layout may have (ARITH.md § 7.1),
// smallest first: powers of two, so that a step's rows are a sub-cube of the
// committed columns. The tables hold from R = 2 (a header and one trace row)
// on, but a transaction's scans alone take several rows (8 of the counter's
// 21), so smaller steps would mostly split transactions into several, whose
// proof is ten times a one-step one's (450 KB against 36 KB for the counter).
var stepRows = []int{16, 32, 64, 128, 256, 512}

// StepRows returns the step sizes R a layout may have, smallest first.
func StepRows() []int { return slices.Clone(stepRows) }

// NewLayout returns the layout of steps of rows rows, one of StepRows.
func NewLayout(rows int) (*Layout, error) {
	for _, r := range stepRows {
		if r == rows {
			return &Layout{Rows: rows}, nil
		}
	}
	return nil, fmt.Errorf("%w: %d rows per step (want one of %v)", ErrLayout, rows, stepRows)
}

// Cells returns the number of cells of a step, m = Rows·Width.
func (l *Layout) Cells() int { return l.Rows * Width }
