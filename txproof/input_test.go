package txproof

import (
	"testing"

	"github.com/ssprove/ssprove/fold/interleave"
	"github.com/ssprove/ssprove/runtime/tx"
)

// TestInterleaveInput: the conversion keeps the process table, the init ref and every
// host call, with roles, kinds and host functions numbered the same on both sides.
func TestInterleaveInput(t *testing.T) {
	if interleave.RoleExternal != interleave.Role(RoleExternal) || interleave.KindToken != interleave.Kind(KindToken) || interleave.NumCalls != tx.NumHostFunctions {
		t.Fatal("fold/interleave numbers roles, kinds or host functions otherwise")
	}
	for name, r := range dexResults(t) {
		s := stated(t, r)
		in, err := interleaveInput(s, r.Trace)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(in.Procs) != len(s.Procs) || len(in.Events) != len(r.Trace.Events) || len(in.InitRows) != 1+len(s.Tx.Inputs)+len(s.Tx.Args) {
			t.Fatalf("%s: %d processes, %d events, %d init rows", name, len(in.Procs), len(in.Events), len(in.InitRows))
		}
		for i, p := range in.Procs {
			q := s.Procs[i]
			if p.PID != q.PID || uint8(p.Role) != uint8(q.Role) || uint8(p.Kind) != uint8(q.Kind) || p.Creator != q.Creator || p.OwnsBefore != q.OwnsBefore {
				t.Errorf("%s: process %d: %+v, stated %+v", name, i+1, p, q)
			}
		}
		for i, ev := range in.Events {
			if ev.Call.String() != r.Trace.Events[i].Call || ev.PID != r.Trace.Events[i].PID {
				t.Errorf("%s: host call #%d: %v of %d, traced %v", name, i, ev.Call, ev.PID, &r.Trace.Events[i])
			}
		}
		if in.InitRows[0] != [4]uint64{uint64(len(s.Tx.Inputs)), uint64(len(s.Tx.Args))} {
			t.Errorf("%s: init ref header %v", name, in.InitRows[0])
		}
	}
}

// TestInterleaveBuildsDEX runs every DEX transaction's trace through
// interleave.Build, whose row checker evaluates every constraint on every
// row: the rows of real transactions satisfy the table (arena words of any
// size on P2 included), in one step of 256 rows each.
func TestInterleaveBuildsDEX(t *testing.T) {
	for name, r := range dexResults(t) {
		s := stated(t, r)
		in, err := interleaveInput(s, r.Trace)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		w, err := interleave.Build(in, 256)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if w.Calls != len(r.Trace.Events) || len(w.Steps) != 1 {
			t.Errorf("%s: %d calls in %d steps, want %d in 1", name, w.Calls, len(w.Steps), len(r.Trace.Events))
		}
	}
}
