package tx

import (
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
)

// Trace is what a transaction did, for the prover and for people.
type Trace struct {
	// Events are the host calls of every process in the order they happened: the
	// interleaving. An event's index is its sequence number.
	Events []Event
	// Instructions holds each process's instruction trace by pid, when
	// Options.TraceInstructions asked for it.
	Instructions map[uint64]*interp.Columns `json:"-"`
}

// Event is one host call.
type Event struct {
	PID  uint64 `json:"pid"`
	Call string `json:"call"`
	// Args are the call's arguments as passed (pointers as addresses).
	Args []uint64 `json:"args,omitempty"`
	// Data are the words the call read from the caller's memory (a hash or an
	// interface id) or wrote to it (activation, init, ref_get, program_hash).
	Data    []uint64 `json:"data,omitempty"`
	Results []uint64 `json:"results,omitempty"`
}

func (e *Event) String() string {
	s := fmt.Sprintf("%d %s%v", e.PID, e.Call, e.Args)
	if len(e.Data) > 0 {
		s += fmt.Sprintf(" data%v", e.Data)
	}
	if len(e.Results) > 0 {
		s += fmt.Sprintf(" -> %v", e.Results)
	}
	return s
}

func (t *Trace) equal(o *Trace) error {
	n := min(len(t.Events), len(o.Events))
	for i := range n {
		a, b := &t.Events[i], &o.Events[i]
		if a.PID != b.PID || a.Call != b.Call || !slices.Equal(a.Args, b.Args) || !slices.Equal(a.Data, b.Data) || !slices.Equal(a.Results, b.Results) {
			return fmt.Errorf("host call #%d: interp %v, wazero %v", i, a, b)
		}
	}
	if len(t.Events) != len(o.Events) {
		return fmt.Errorf("interp made %d host calls, wazero %d", len(t.Events), len(o.Events))
	}
	return nil
}

// Counts are the host calls of each kind.
func (t *Trace) Counts() map[string]int {
	c := make(map[string]int)
	for _, e := range t.Events {
		c[e.Call]++
	}
	return c
}

// record is the summary of a transaction the ledger keeps under its hash.
type record struct {
	Hash        string            `json:"hash"`
	Coordinator string            `json:"coordinator"`
	Inputs      []recordInput     `json:"inputs,omitempty"`
	Processes   []recordProcess   `json:"processes"`
	HostCalls   int               `json:"host_calls"`
	Fuel        uint64            `json:"fuel"`
	Minted      map[string]uint64 `json:"minted,omitempty"`
	Burned      map[string]uint64 `json:"burned,omitempty"`
}

type recordInput struct {
	ID      uint64 `json:"id"`
	Version uint64 `json:"version"`
}

type recordProcess struct {
	PID     uint64 `json:"pid"`
	Program string `json:"program"`
	Kind    string `json:"kind"`
	Status  string `json:"status"`
	State   string `json:"state,omitempty"`
}

func recordOf(r *Result) record {
	rec := record{
		Hash: hex.EncodeToString(r.Hash[:]), Coordinator: r.Coordinator.String(),
		HostCalls: len(r.Trace.Events), Fuel: r.FuelUsed,
		Minted: named(r.Minted), Burned: named(r.Burned),
	}
	for _, in := range r.Inputs {
		rec.Inputs = append(rec.Inputs, recordInput{ID: in.ID, Version: in.Version})
	}
	for _, p := range r.Processes {
		rp := recordProcess{PID: p.PID, Program: p.Program.String(), Kind: p.Kind.String(), Status: p.Status.String()}
		if p.StateHash != ([32]byte{}) {
			rp.State = hex.EncodeToString(p.StateHash[:])
		}
		rec.Processes = append(rec.Processes, rp)
	}
	return rec
}

func named(m map[program.Hash]uint64) map[string]uint64 {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]uint64, len(m))
	for k, v := range m {
		out[k.String()] = v
	}
	return out
}
