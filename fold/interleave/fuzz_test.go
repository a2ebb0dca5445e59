package interleave

import (
	"errors"
	"testing"
)

// FuzzBuild builds arbitrary traces over the test processes: Build must
// return rows or a wrapped error, never panic, and allocate in proportion to
// the input.
func FuzzBuild(f *testing.F) {
	f.Add([]byte{0, 7, 0, 3, 1, 0})
	f.Add([]byte{15, 2, 16, 1, 2, 3, 4, 16, 5, 6, 7, 8, 17, 2, 1, 64})
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &Input{Procs: procs(), Ifaces: [][4]uint64{iface}, InitRows: [][4]uint64{{1, 0}}}
		pids := []uint64{root, utxo, utxo2, newU, newT, newC}
		for len(data) >= 2 && len(in.Events) < 64 {
			c := Call(data[0] % uint8(NumCalls))
			e := Event{PID: pids[int(data[1])%len(pids)], Call: c}
			data = data[2:]
			for range callArgs[c] {
				var a uint64
				if len(data) > 0 {
					a, data = uint64(data[0]), data[1:]
				}
				if a >= 200 {
					a = pids[int(a)%len(pids)]
				}
				e.Args = append(e.Args, a)
			}
			if c == CallEffect || c == CallInstallHandler || c == CallUninstallHandler || c == CallGetHandlerFor {
				e.Data = iface[:]
			}
			in.Events = append(in.Events, e)
		}
		in.Events = append(in.Events, Event{PID: root, Call: CallReturn})
		_, err := Build(in, 128)
		if err != nil && !errors.Is(err, ErrInput) && !errors.Is(err, ErrTrace) && !errors.Is(err, ErrRow) && !errors.Is(err, ErrRange) {
			t.Fatalf("unwrapped error %v", err)
		}
	})
}
