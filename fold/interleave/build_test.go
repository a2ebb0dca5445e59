package interleave

import (
	"errors"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

var (
	progU = [4]uint64{0xaaaa, 1, 2, 3}
	progT = [4]uint64{0xbbbb, 1 << 40, 2, 3}
	progC = [4]uint64{0xcccc, 1, 2, 3}
	iface = [4]uint64{1, 2, 3, 1 << 50}
)

const (
	root  = 100 // NextID
	utxo  = 7   // an input UTXO
	utxo2 = 9   // another input UTXO
	newU  = 101 // created: UTXO, token, coord
	newT  = 102
	newC  = 103
)

// procs are the processes of the test transactions: the root, two inputs,
// three created processes.
func procs() []Process {
	return []Process{
		{PID: root, Role: RoleRoot, Kind: KindCoord, Program: progC, InitRef: 1},
		{PID: utxo, Role: RoleInput, Kind: KindUTXO, Program: progU, DatumBefore: [DatumSlots]uint64{3: 77}},
		{PID: utxo2, Role: RoleInput, Kind: KindUTXO, Program: progU},
		{PID: newU, Role: RoleCreated, Kind: KindUTXO, Program: progU, InitRef: 2, Creator: 1},
		{PID: newT, Role: RoleCreated, Kind: KindToken, Program: progT, Amount: 50, Creator: 1},
		{PID: newC, Role: RoleCreated, Kind: KindCoord, Program: progC, Creator: 1},
	}
}

func ev(pid uint64, c Call, args []uint64, data []uint64, results ...uint64) Event {
	return Event{PID: pid, Call: c, Args: args, Data: data, Results: results}
}

func w(ws ...uint64) []uint64 { return ws }

func ifc() []uint64 { return iface[:] }

// honest is a transaction that makes every host call, every split of one.
func honest() *Input {
	big := uint64(1)<<40 + 5
	return &Input{
		Procs:    procs(),
		Ifaces:   [][4]uint64{iface},
		InitRows: [][4]uint64{{2, 0}, {utxo, 3}, {utxo2, 1}},
		Events: []Event{
			ev(root, CallActivation, w(0), nil, 1),
			ev(root, CallInit, w(0), nil, 1),
			ev(root, CallNewRef, w(2), nil, 2),
			ev(root, CallRefPush, w(1, 2, 3, 4), nil),
			ev(root, CallRefPush, w(5, 6, big, 8), nil),
			ev(root, CallRefGet, w(2, 1, 64), w(5, 6, big, 8)),
			ev(root, CallNewRef, w(0), nil, 3),
			ev(root, CallNewUTXO, w(32, 2), progU[:], newU),
			ev(root, CallNewToken, w(32, 0, 50), progT[:], newT),
			ev(root, CallNewCoord, w(32, 0), progC[:], newC),
			ev(root, CallProgramHash, w(newU, 32), progU[:]),
			ev(root, CallAmount, w(newT), nil, 50),
			ev(root, CallInstallHandler, w(16), ifc()),
			ev(root, CallGetHandlerFor, w(16), ifc(), root),
			ev(root, CallSetDatum, w(3, big), nil),
			ev(root, CallGetDatum, w(3), nil, big),
			ev(root, CallResume, w(utxo, 2), nil),
			ev(utxo, CallActivation, w(8), w(root, ActResume, 0, 0, 0, 0), 2),
			ev(utxo, CallGetDatum, w(3), nil, 77),
			ev(utxo, CallEffect, w(16, 0), ifc()),
			ev(root, CallActivation, w(8), w(utxo, ActEffect, iface[0], iface[1], iface[2], iface[3]), 0),
			ev(root, CallResume, w(utxo, 0), nil),
			ev(utxo, CallYield, w(0), nil),
			ev(root, CallResume, w(newT, 0), nil),
			ev(newT, CallInit, w(0), nil, 0),
			ev(newT, CallBind, w(newU), nil),
			ev(newT, CallYield, w(0), nil),
			ev(root, CallResume, w(newU, 2), nil),
			ev(newU, CallInit, w(8), w(root), 2),
			ev(newU, CallUnbind, w(newT), nil),
			ev(newU, CallYield, w(0), nil),
			ev(root, CallResume, w(newT, 0), nil),
			ev(newT, CallBurn, nil, nil),
			ev(root, CallResume, w(newC, 0), nil),
			ev(newC, CallReturn, nil, nil),
			ev(root, CallUninstallHandler, w(16), ifc()),
			ev(root, CallRefWrite, w(2, 0, 9, 9, 9, 9), nil),
			ev(root, CallResume, w(utxo2, 0), nil),
			ev(utxo2, CallBurn, nil, nil),
			ev(root, CallReturn, nil, nil),
		},
	}
}

func TestBuildEveryOp(t *testing.T) {
	in := honest()
	wit, err := Build(in, 128)
	if err != nil {
		t.Fatal(err)
	}
	if wit.Calls != len(in.Events) || len(wit.Steps) != 1 || wit.Scans == 0 {
		t.Fatalf("calls %d scans %d steps %d", wit.Calls, wit.Scans, len(wit.Steps))
	}
	seen := map[Op]bool{}
	z := wit.Steps[0]
	for r := 1; r < wit.Layout.Rows; r++ {
		seen[rowOp(z[r*Width:(r+1)*Width])] = true
	}
	for op := Op(0); op <= OpScan; op++ {
		if !seen[op] {
			t.Errorf("no %v row", op)
		}
	}
	end := wit.X(0)[xNext+CellEnded]
	if !end.IsOne() {
		t.Error("y_next does not say the transaction ended")
	}
}

// TestBuildSteps cuts a long trace into steps and checks the IVC links.
func TestBuildSteps(t *testing.T) {
	in := honest()
	var loop []Event
	for i := range 150 {
		loop = append(loop, ev(root, CallSetDatum, w(5, uint64(i)), nil), ev(root, CallGetDatum, w(5), nil, uint64(i)))
	}
	last := len(in.Events) - 1
	in.Events = append(append(in.Events[:last:last], loop...), in.Events[last])
	wit, err := Build(in, 128)
	if err != nil {
		t.Fatal(err)
	}
	if len(wit.Steps) < 3 {
		t.Fatalf("%d steps", len(wit.Steps))
	}
	for k := range StateLen {
		if x := wit.X(0)[xPrev+k]; !x.Equal(&wit.Y0[k]) {
			t.Fatalf("step 0's y_prev[%d] = %v, y0 %v", k, x, wit.Y0[k])
		}
	}
	for s := 1; s < len(wit.Steps); s++ {
		for k := range StateLen {
			a, b := wit.X(s - 1)[xNext+k], wit.X(s)[xPrev+k]
			if !a.Equal(&b) {
				t.Fatalf("step %d's y_next[%d] %v ≠ step %d's y_prev %v", s-1, k, a, s, b)
			}
		}
	}
}

func TestTableDegree(t *testing.T) {
	names := map[string]bool{}
	for _, c := range append(Constraints(), HeaderConstraints()...) {
		if names[c.Name] {
			t.Errorf("two constraints named %q", c.Name)
		}
		names[c.Name] = true
		for _, l := range []Lin{c.A, c.B, c.C} {
			for _, term := range l {
				if term.Var < 0 || (term.Var >= Width && term.Var < Next(0)) || (term.Var >= Next(StateLen) && term.Var != One) {
					t.Errorf("%s: variable %d", c.Name, term.Var)
				}
			}
		}
	}
	t.Logf("%d row constraints, %d header constraints", len(Constraints()), len(HeaderConstraints()))
}

func TestBuildRefusesBadInput(t *testing.T) {
	for name, f := range map[string]func(*Input){
		"no root":         func(in *Input) { in.Procs[0].Role = RoleInput },
		"repeated pid":    func(in *Input) { in.Procs[2].PID = utxo },
		"unknown caller":  func(in *Input) { in.Events[0].PID = 55 },
		"argument count":  func(in *Input) { in.Events[0].Args = nil },
		"wrong result":    func(in *Input) { in.Events[0].Results = w(9) },
		"never returns":   func(in *Input) { in.Events = in.Events[:3] },
		"not the caller":  func(in *Input) { in.Events[1].PID = utxo },
		"unknown pid arg": func(in *Input) { in.Events[16].Args[0] = 55 },
	} {
		in := honest()
		f(in)
		_, err := Build(in, 128)
		if !errors.Is(err, ErrInput) && !errors.Is(err, ErrTrace) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Build(honest(), 100); !errors.Is(err, ErrLayout) {
		t.Errorf("100 rows per step: %v", err)
	}
}

// refused checks that the first violation in a built witness is op's
// constraint (or the range check of cell, when cell ≥ 0).
func refused(t *testing.T, wit *Witness, op Op, constraint string, cell int) {
	t.Helper()
	for s, z := range wit.Steps {
		err := wit.Layout.Check(s, z)
		if err == nil {
			continue
		}
		var re *RowError
		if !errors.As(err, &re) || re.Op != op || re.Cell != cell || (constraint != "" && re.Constraint != constraint) {
			t.Fatalf("refused with %v, want %v: %q (cell %d)", err, op, constraint, cell)
		}
		t.Log(err)
		return
	}
	t.Fatalf("not refused, want %v: %q", op, constraint)
}

func buildForged(t *testing.T, in *Input) *Witness {
	t.Helper()
	wit, err := build(in, 128)
	if err != nil {
		t.Fatal(err)
	}
	return wit
}

// rowOf finds the first row of op in step 0.
func rowOf(t *testing.T, wit *Witness, op Op) int {
	t.Helper()
	z := wit.Steps[0]
	for r := 1; r < wit.Layout.Rows; r++ {
		if rowOp(z[r*Width:(r+1)*Width]) == op {
			return r
		}
	}
	t.Fatalf("no %v row", op)
	return 0
}

func forged(events ...Event) *Input {
	in := honest()
	in.Events = append(events, ev(root, CallReturn, nil, nil))
	return in
}

// withCoord makes the first created process (index 4) a coordination script.
func withCoord(in *Input) *Input {
	in.Procs[3] = Process{PID: newU, Role: RoleCreated, Kind: KindCoord, Program: progC, Creator: 1}
	return in
}

func TestForgeries(t *testing.T) {
	t.Run("a UTXO resumes a process", func(t *testing.T) {
		wit := buildForged(t, forged(
			ev(root, CallResume, w(utxo, 0), nil),
			ev(utxo, CallResume, w(utxo2, 0), nil),
			ev(utxo2, CallYield, w(0), nil),
			ev(utxo, CallYield, w(0), nil),
		))
		refused(t, wit, OpResume, "caller is a coordination script: cu + ct = 0", -1)
	})
	t.Run("a yield from a coordination script", func(t *testing.T) {
		in := forged(
			ev(root, CallNewCoord, w(32, 0), progC[:], newU),
			ev(root, CallResume, w(newU, 0), nil),
			ev(newU, CallYield, w(0), nil),
		)
		refused(t, buildForged(t, withCoord(in)), OpYield, "caller is a UTXO or a token: cu + ct − 1 = 0", -1)
	})
	t.Run("a resume with another ref than the one passed", func(t *testing.T) {
		wit := buildForged(t, honest())
		r := rowOf(t, wit, OpResume)
		wit.Steps[0][(r+1)*Width+CellARef] = fe(1)
		refused(t, wit, OpResume, "CTRL: aref' = R.addr", -1)
	})
	t.Run("an effect resumed by another than its handler", func(t *testing.T) {
		wit := buildForged(t, withCoord(forged(
			ev(root, CallInstallHandler, w(16), ifc()),
			ev(root, CallNewCoord, w(32, 0), progC[:], newU),
			ev(root, CallResume, w(utxo, 0), nil),
			ev(utxo, CallEffect, w(16, 0), ifc()),
			ev(root, CallResume, w(newU, 0), nil),
			ev(newU, CallResume, w(utxo, 0), nil),
			ev(utxo, CallYield, w(0), nil),
		)))
		refused(t, wit, OpResumeEff, "RESUME_EFF: the caller handles it: P2.hd − cur = 0", -1)
	})
	t.Run("a handler popped by a process that did not install it", func(t *testing.T) {
		in := forged(
			ev(root, CallInstallHandler, w(16), ifc()),
			ev(root, CallNewCoord, w(32, 0), progC[:], newU),
			ev(root, CallResume, w(newU, 0), nil),
			ev(newU, CallUninstallHandler, w(16), ifc()),
			ev(newU, CallReturn, nil, nil),
		)
		refused(t, buildForged(t, withCoord(in)), OpUninstall, "UNINSTALL: the caller is the top handler: P3.o1 − cur = 0", -1)
	})
	t.Run("a ref read out of bounds", func(t *testing.T) {
		wit := buildForged(t, forged(
			ev(root, CallNewRef, w(1), nil, 2),
			ev(root, CallRefPush, w(1, 2, 3, 4), nil),
			ev(root, CallRefGet, w(2, 1, 64), w(0, 0, 0, 0)),
		))
		refused(t, wit, OpRefGet, "REF_GET: u2 = 2^32 − 1 − (size − 1 − row) is not ≥ 0 (S32)", CellU2)
	})
	t.Run("a padding row that changes state", func(t *testing.T) {
		wit := buildForged(t, honest())
		z := wit.Steps[0]
		r := wit.Layout.Rows - 2
		if rowOp(z[r*Width:(r+1)*Width]) != OpNone {
			t.Fatal("no padding row")
		}
		z[(r+1)*Width+CellNRef] = fe(9)
		refused(t, wit, OpNone, "nref' = nref unless written", -1)
	})
	t.Run("a u64 argument ≥ q as one field element", func(t *testing.T) {
		wit := buildForged(t, honest())
		r := rowOf(t, wit, OpSetDatum)
		// 2^64 − 1 + 2^33 + 1 wraps to 2^33 + 2^32 − 1 mod q: one cell ≥ 2^32.
		var v goldilocks.Element
		v.SetUint64(1<<33 + 1<<32 - 1)
		wit.Steps[0][r*Width+nw(P1, 0)] = v
		wit.Steps[0][r*Width+nw(P1, 1)] = fe(0)
		refused(t, wit, OpSetDatum, "", nw(P1, 0))
	})
	t.Run("a token bound twice", func(t *testing.T) {
		in := forged(
			ev(root, CallNewUTXO, w(32, 2), progU[:], newU),
			ev(root, CallNewToken, w(32, 0, 50), progT[:], newT),
			ev(root, CallResume, w(newT, 0), nil),
			ev(newT, CallBind, w(newU), nil),
			ev(newT, CallBind, w(utxo), nil),
			ev(newT, CallYield, w(0), nil),
		)
		refused(t, buildForged(t, in), OpBind, "owns no token and is unbound: P1.tok = 0", -1)
	})
	t.Run("unbound by a non-owner", func(t *testing.T) {
		in := forged(
			ev(root, CallNewUTXO, w(32, 2), progU[:], newU),
			ev(root, CallNewToken, w(32, 0, 50), progT[:], newT),
			ev(root, CallResume, w(newT, 0), nil),
			ev(newT, CallBind, w(newU), nil),
			ev(newT, CallYield, w(0), nil),
			ev(root, CallResume, w(utxo, 0), nil),
			ev(utxo, CallUnbind, w(newT), nil),
			ev(utxo, CallYield, w(0), nil),
		)
		refused(t, buildForged(t, in), OpUnbind, "UNBIND: the caller owns it: P2.tok − cur = 0", -1)
	})
	t.Run("a host call after the end", func(t *testing.T) {
		in := honest()
		in.Events = append(in.Events, ev(root, CallGetDatum, w(3), nil, uint64(1)<<40+5))
		refused(t, buildForged(t, in), OpGetDatum, "no host call after the end", -1)
	})
}
