package txproof

import (
	"fmt"

	"github.com/ssprove/ssprove/fold/interleave"
	"github.com/ssprove/ssprove/runtime/tx"
)

// interleaveInput is what the interleaving proof of s needs: its processes, interfaces,
// the rows of the root's init ref (as runtime/tx builds them: a header, one row per
// input, the arguments) and the trace's host calls.
func interleaveInput(s *Statement, t *tx.Trace) (*interleave.Input, error) {
	in := &interleave.Input{Ifaces: s.Ifaces}
	for _, p := range s.Procs {
		in.Procs = append(in.Procs, interleave.Process{
			PID: p.PID, Role: interleave.Role(p.Role), Kind: interleave.Kind(p.Kind),
			Program: p.Program, Amount: p.Amount, InitRef: p.InitRef, Creator: p.Creator,
			OwnerBefore: p.OwnerBefore, OwnsBefore: p.OwnsBefore, DatumBefore: p.DatumBefore,
		})
	}
	in.InitRows = append(in.InitRows, [4]uint64{uint64(len(s.Tx.Inputs)), uint64(len(s.Tx.Args))})
	for _, i := range s.Tx.Inputs {
		in.InitRows = append(in.InitRows, [4]uint64{i.ID, i.Version})
	}
	in.InitRows = append(in.InitRows, s.Tx.Args...)
	for i := range t.Events {
		ev := &t.Events[i]
		c, ok := interleave.CallByName(ev.Call)
		if !ok {
			return nil, fmt.Errorf("%w: host call #%d is %q", ErrStatement, i, ev.Call)
		}
		in.Events = append(in.Events, interleave.Event{PID: ev.PID, Call: c, Args: ev.Args, Data: ev.Data, Results: ev.Results})
	}
	return in, nil
}
