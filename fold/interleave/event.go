package interleave

import (
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// proc returns the index of a pid argument.
func (b *builder) proc(pid uint64) (uint64, error) {
	i, ok := b.index[pid]
	if !ok {
		return 0, fmt.Errorf("%w: pid %d is not a process of the transaction", ErrTrace, pid)
	}
	return uint64(i), nil
}

// iface returns the interface index of the id a call read (its first four
// data words).
func (b *builder) iface(e *Event) (uint64, error) {
	if len(e.Data) < 4 {
		return 0, fmt.Errorf("%w: %v carries %d data words, want the interface id", ErrTrace, e.Call, len(e.Data))
	}
	f := [4]uint64(e.Data[:4])
	if f == ([4]uint64{}) {
		return 0, nil
	}
	j := slices.Index(b.in.Ifaces, f)
	if j < 0 {
		return 0, fmt.Errorf("%w: interface %x is not in the input's list", ErrTrace, f)
	}
	return uint64(j + 1), nil
}

func (b *builder) peek(tag int, a uint64, k int) uint64 {
	if c, ok := b.mem[memKey{tag, a}]; ok {
		return c.v[k].Uint64()
	}
	return 0
}

// words turns u64 limb pairs back into words.
func words(limbs []goldilocks.Element) []uint64 {
	w := make([]uint64, len(limbs)/2)
	for i := range w {
		w[i] = limbs[2*i].Uint64() | limbs[2*i+1].Uint64()<<32
	}
	return w
}

// same checks that what the trace recorded is what the rows compute.
func same(what string, recorded, rows []uint64) error {
	if !slices.Equal(recorded, rows) {
		return fmt.Errorf("%w: the trace records %s %v, the rows give %v", ErrTrace, what, recorded, rows)
	}
	return nil
}

// unsignedCell is u = 2^32 − 1 − d (ARITH.md § 4.2), d given as a field element.
func unsignedCell(d goldilocks.Element) goldilocks.Element {
	u := fe(1<<32 - 1)
	u.Sub(&u, &d)
	return u
}

func sub(a, b uint64) goldilocks.Element {
	x, y := fe(a), fe(b)
	x.Sub(&x, &y)
	return x
}

// transfer sets the next state of a control transfer to process q.
func (rb *rowBuilder) transfer(q *port, ref uint64, kind int, aif uint64) {
	k := q.field(procKind)
	rb.next[CellCur] = fe(q.key.addr)
	rb.next[CellCU] = fe(boolU(k == uint64(KindUTXO)))
	rb.next[CellCT] = fe(boolU(k == uint64(KindToken)))
	rb.next[CellARef] = fe(ref)
	rb.next[CellACal] = rb.b.st[CellCur]
	rb.next[CellAKind] = fe(uint64(kind))
	rb.next[CellAIf] = fe(aif)
}

func boolU(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// event writes the row of one host call.
func (b *builder) event(e *Event) error {
	cur := b.st[CellCur].Uint64()
	if b.index[e.PID] != int(cur) {
		return fmt.Errorf("%w: the caller is not the running process (index %d)", ErrTrace, cur)
	}
	rb := b.newRow()
	a := e.Args
	var op Op
	switch e.Call {
	case CallResume:
		q, err := b.proc(a[0])
		if err != nil {
			return err
		}
		op = OpResume
		if b.peek(TagPROC, q, procSt) == uint64(StatusInEffect) {
			op = OpResumeEff
		}
		p1 := rb.open(P1, TagPROC, cur, modeRW)
		p1.new[procSt] = fe(uint64(StatusWait))
		p2 := rb.open(P2, TagPROC, q, modeRW)
		p2.new[procSt] = fe(uint64(StatusRun))
		if op == OpResume {
			p2.new[procYT] = fe(cur)
		} else {
			p2.new[procHd] = fe(0)
		}
		rb.open(PR, TagREFS, a[1], modeRO)
		rb.transfer(p2, a[1], ActResume, 0)
	case CallYield, CallBurn, CallReturn:
		p1 := rb.open(P1, TagPROC, cur, modeRW)
		ref, kind, status := uint64(0), ActBurn, StatusBurned
		switch {
		case e.Call == CallYield:
			op, ref, kind, status = OpYield, a[0], ActYield, StatusSusp
			rb.open(PR, TagREFS, ref, modeRO)
		case e.Call == CallBurn && p1.field(procKind) == uint64(KindToken):
			op = OpBurnT
			p1.new[procTok] = fe(0)
			p3 := rb.open(P3, TagPROC, p1.field(procTok), modeRW)
			p3.new[procTok] = sub(p3.field(procTok), 1)
		case e.Call == CallBurn:
			op = OpBurnU
		case cur == 1:
			op, status = OpReturnRoot, StatusReturned
		default:
			op, kind, status = OpReturn, ActReturn, StatusReturned
		}
		p1.new[procSt] = fe(uint64(status))
		if op == OpReturnRoot {
			rb.next[CellEnded] = fe(1)
			break
		}
		p2 := rb.open(P2, TagPROC, p1.field(procYT), modeRW)
		p2.new[procSt] = fe(uint64(StatusRun))
		rb.transfer(p2, ref, kind, 0)
	case CallEffect:
		op = OpEffect
		j, err := b.iface(e)
		if err != nil {
			return err
		}
		rb.r[CellPtr] = fe(a[0])
		p1 := rb.open(P1, TagPROC, cur, modeRW)
		p3 := rb.open(P3, TagHEADS, j, modeRO)
		p2 := rb.open(P2, TagPROC, p3.field(1), modeRW)
		p1.new[procSt] = fe(uint64(StatusInEffect))
		p1.new[procHd] = fe(p2.key.addr)
		p2.new[procSt] = fe(uint64(StatusRun))
		rb.open(PR, TagREFS, a[1], modeRO)
		rb.transfer(p2, a[1], ActEffect, j)
	case CallActivation:
		op = OpActivation
		rb.r[CellPtr] = fe(a[0])
		p2 := rb.open(P2, TagPROC, b.st[CellACal].Uint64(), modeRO)
		p3 := rb.open(P3, TagHEADS, b.st[CellAIf].Uint64(), modeRO)
		if err := same("the result", e.Results, []uint64{b.st[CellARef].Uint64()}); err != nil {
			return err
		}
		if a[0] != 0 {
			data := append(words(p2.old[procPID:procPID+2]), b.st[CellAKind].Uint64())
			if err := same("the activation", e.Data, append(data, words(p3.old[2:])...)); err != nil {
				return err
			}
		}
	case CallInit:
		op = OpInit
		rb.r[CellPtr] = fe(a[0])
		p1 := rb.open(P1, TagINIT, cur, modeRO)
		if err := same("the result", e.Results, []uint64{p1.field(0)}); err != nil {
			return err
		}
		if a[0] != 0 {
			if err := same("the creator", e.Data, words(p1.old[4:6])); err != nil {
				return err
			}
		}
	case CallNewUTXO, CallNewToken, CallNewCoord:
		op = OpNewUTXO + Op(e.Call-CallNewUTXO)
		n := b.st[CellNNew].Uint64()
		rb.r[CellPtr] = fe(a[0])
		p1 := rb.open(P1, TagINIT, n, modeRO)
		p2 := rb.open(P2, TagPROC, n, modeRW)
		p2.new[procSt] = fe(uint64(StatusIdle))
		p3 := rb.open(P3, TagPROG, n, modeRO)
		rb.open(PR, TagREFS, a[1], modeRO)
		rb.next[CellNNew] = fe(n + 1)
		if err := same("the program", e.Data, words(p3.old[:8])); err != nil {
			return err
		}
		if err := same("the result", e.Results, words(p2.old[procPID:procPID+2])); err != nil {
			return err
		}
		if e.Call == CallNewToken {
			if err := same("the amount", a[2:], words(p1.old[6:8])); err != nil {
				return err
			}
		}
	case CallProgramHash, CallAmount:
		q, err := b.proc(a[0])
		if err != nil {
			return err
		}
		rb.open(P2, TagPROC, q, modeRO)
		if e.Call == CallProgramHash {
			op = OpProgramHash
			rb.r[CellPtr] = fe(a[1])
			p3 := rb.open(P3, TagPROG, q, modeRO)
			if err := same("the program", e.Data, words(p3.old[:8])); err != nil {
				return err
			}
			break
		}
		op = OpAmount
		p1 := rb.open(P1, TagINIT, q, modeRO)
		if err := same("the amount", e.Results, words(p1.old[6:8])); err != nil {
			return err
		}
	case CallInstallHandler, CallUninstallHandler, CallGetHandlerFor:
		j, err := b.iface(e)
		if err != nil {
			return err
		}
		rb.r[CellPtr] = fe(a[0])
		switch e.Call {
		case CallInstallHandler:
			op = OpInstall
			node := b.st[CellNNode].Uint64()
			p3 := rb.open(P3, TagHEADS, j, modeRW)
			p1 := rb.open(P1, TagNODES, node, modeFresh)
			p1.new[0], p1.new[1], p1.new[2] = fe(cur), p3.old[0], p3.old[1]
			p3.new[0], p3.new[1] = fe(node), fe(cur)
			rb.next[CellNNode] = fe(node + 1)
		case CallUninstallHandler:
			op = OpUninstall
			p3 := rb.open(P3, TagHEADS, j, modeRW)
			p1 := rb.open(P1, TagNODES, p3.field(0), modeRO)
			p3.new[0], p3.new[1] = p1.old[1], p1.old[2]
		default:
			op = OpGetHandler
			p3 := rb.open(P3, TagHEADS, j, modeRO)
			p2 := rb.open(P2, TagPROC, p3.field(1), modeRO)
			if err := same("the result", e.Results, words(p2.old[procPID:procPID+2])); err != nil {
				return err
			}
		}
	case CallNewRef:
		rows := a[0]
		id := b.st[CellNRef].Uint64() + 1
		arena := b.st[CellArena].Uint64()
		op = OpNewRef
		m := modeRW
		if rows == 0 {
			op, m = OpNewRef0, modeRO
		}
		p1 := rb.open(P1, TagBLD, cur, m)
		r := rb.open(PR, TagREFS, id, modeFresh)
		r.old[1], r.old[2], r.old[3] = fe(rows), fe(arena), fe(cur)
		rb.next[CellNRef] = fe(id)
		if op == OpNewRef {
			p1.new[0] = fe(id)
			rb.r[CellU1] = unsignedCell(sub(rows, 1))
			rb.r[CellU2] = unsignedCell(sub(4096, rows))
			rb.r[CellU3] = unsignedCell(sub(65536, arena+rows))
			rb.next[CellArena] = fe(arena + rows)
		}
		if err := same("the result", e.Results, []uint64{id}); err != nil {
			return err
		}
	case CallRefPush:
		p1 := rb.open(P1, TagBLD, cur, modeRO)
		r := rb.open(PR, TagREFS, p1.field(0), modeRW)
		filled, size, base := r.field(0), r.field(1), r.field(2)
		op = OpRefPush
		if filled+1 == size {
			op = OpRefPushLast
			p1.mode = modeRW
			p1.new[0] = fe(0)
		} else {
			rb.r[CellU1] = unsignedCell(sub(size, filled+2))
		}
		r.new[0] = fe(filled + 1)
		p2 := rb.open(P2, TagArenaA, base+filled, modeFresh)
		p3 := rb.open(P3, TagArenaB, base+filled, modeFresh)
		p2.new = [4]goldilocks.Element{lo(a[0]), hi(a[0]), lo(a[1]), hi(a[1])}
		p3.new = [4]goldilocks.Element{lo(a[2]), hi(a[2]), lo(a[3]), hi(a[3])}
	case CallRefGet, CallRefWrite:
		r := rb.open(PR, TagREFS, a[0], modeRO)
		size, base, row := r.field(1), r.field(2), a[1]
		rb.r[CellIdx] = fe(row)
		rb.r[CellU1] = unsignedCell(fe(row))
		rb.r[CellU2] = unsignedCell(sub(size, row+1))
		op = OpRefGet
		m := modeRO
		if e.Call == CallRefWrite {
			op, m = OpRefWrite, modeRW
		}
		p2 := rb.open(P2, TagArenaA, base+row, m)
		p3 := rb.open(P3, TagArenaB, base+row, m)
		if op == OpRefWrite {
			p2.new = [4]goldilocks.Element{lo(a[2]), hi(a[2]), lo(a[3]), hi(a[3])}
			p3.new = [4]goldilocks.Element{lo(a[4]), hi(a[4]), lo(a[5]), hi(a[5])}
			break
		}
		rb.r[CellPtr] = fe(a[2])
		if err := same("the row", e.Data, append(words(p2.old[:4]), words(p3.old[:4])...)); err != nil {
			return err
		}
	case CallBind:
		op = OpBind
		o, err := b.proc(a[0])
		if err != nil {
			return err
		}
		p1 := rb.open(P1, TagPROC, cur, modeRW)
		p2 := rb.open(P2, TagPROC, o, modeRW)
		p1.new[procTok] = fe(o)
		p2.new[procTok] = fe(p2.field(procTok) + 1)
	case CallUnbind:
		op = OpUnbind
		t, err := b.proc(a[0])
		if err != nil {
			return err
		}
		p1 := rb.open(P1, TagPROC, cur, modeRW)
		p2 := rb.open(P2, TagPROC, t, modeRW)
		p1.new[procTok] = sub(p1.field(procTok), 1)
		p2.new[procTok] = fe(0)
		if p2.field(procSt) == uint64(StatusRest) {
			p2.new[procSt] = fe(uint64(StatusSusp))
		}
	case CallGetDatum, CallSetDatum:
		slot := a[0]
		rb.r[CellIdx] = fe(slot)
		rb.r[CellU1] = unsignedCell(fe(slot))
		rb.r[CellU2] = unsignedCell(sub(DatumSlots-1, slot))
		op = OpGetDatum
		m := modeRO
		if e.Call == CallSetDatum {
			op, m = OpSetDatum, modeRW
		}
		p1 := rb.open(P1, TagDATUM, DatumSlots*cur+slot, m)
		if op == OpSetDatum {
			p1.new[0], p1.new[1] = lo(a[1]), hi(a[1])
			break
		}
		if err := same("the result", e.Results, words(p1.old[:2])); err != nil {
			return err
		}
	}
	return rb.finish(op)
}
