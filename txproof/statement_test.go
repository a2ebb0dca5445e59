package txproof

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/runtime/tx"
)

// dexResults runs the DEX scenario (examples/dex) on a fresh ledger, as
// scripts/scenario.sh does, and returns the results of the transactions that commit:
// tx1 (setup), tx2, tx3 and tx5 (swaps). tx4 fails by design.
func dexResults(t testing.TB) map[string]*tx.Result {
	t.Helper()
	names := []string{"tx1", "tx2", "tx3", "tx4", "tx5"}
	results, errs := runExample(t, "dex", names...)
	out := map[string]*tx.Result{}
	for i, name := range names {
		switch err := errs[i]; {
		case name == "tx4" && !errors.Is(err, tx.ErrTrap):
			t.Fatalf("tx4: %v, want the pool's trap", err)
		case name != "tx4" && err != nil:
			t.Fatalf("%s: %v", name, err)
		case err == nil:
			out[name] = results[i]
		}
	}
	return out
}

// stated is FromResult with the layout of one step of 256 rows, which every DEX
// transaction fits (fold/ARITH.md § 9.1).
func stated(t testing.TB, r *tx.Result) *Statement {
	t.Helper()
	s, err := FromResult(r)
	if err != nil {
		t.Fatal(err)
	}
	s.Rows, s.Steps = 256, 1
	return s
}

func TestStatementDEX(t *testing.T) {
	results := dexResults(t)
	for _, name := range []string{"tx1", "tx2", "tx3", "tx5"} {
		t.Run(name, func(t *testing.T) {
			r := results[name]
			s := stated(t, r)
			if err := s.Check(); err != nil {
				t.Fatal(err)
			}
			// tx1 creates the pool, two reserves, the wallet and a token; a swap has five
			// inputs and creates three tokens (fold/ARITH.md § 9.1).
			want := 6
			if name != "tx1" {
				want = 9
			}
			if len(s.Procs) != want || len(s.Procs) != len(r.Processes) {
				t.Errorf("%d processes stated, %d in the result, want %d", len(s.Procs), len(r.Processes), want)
			}
			if sum(s.Kinds[:]) != uint64(len(r.Trace.Events)) {
				t.Errorf("Kinds count %d host calls, the trace has %d", sum(s.Kinds[:]), len(r.Trace.Events))
			}
			if len(s.Datum) == 0 {
				t.Error("no datum cell touched")
			}
			if name != "tx1" && len(s.Ifaces) != 1 {
				t.Errorf("interfaces %v, want Settle alone", s.Ifaces)
			}
			for i, p := range s.Procs {
				if p.Role == RoleInput && p.Kind == KindUTXO && p.OwnsBefore == 0 {
					t.Errorf("input UTXO %d owns nothing at rest", p.PID)
				}
				if p.Role == RoleCreated && s.Procs[p.Creator-1].PID != r.NextID {
					t.Errorf("process %d: creator %d, want the root", i+1, p.Creator)
				}
			}
		})
	}
}

// TestCheckRefuses breaks one rule at a time in tx2's statement (a swap: the pool 2, the
// wallet 5, the trader's token 6 and the reserves 3 and 4 in, reserves 8 and 9 and the
// payout 10 created, 6, 3 and 4 burned).
func TestCheckRefuses(t *testing.T) {
	r := dexResults(t)["tx2"]
	index := func(s *Statement, pid uint64) int {
		for i, p := range s.Procs {
			if p.PID == pid {
				return i
			}
		}
		t.Fatalf("no process %d", pid)
		return 0
	}
	cases := []struct {
		name   string
		break_ func(s *Statement, p func(pid uint64) *Proc)
		want   error
		pid    string // the process the error must name, if any
	}{
		{"UTXO left waiting", func(s *Statement, p func(uint64) *Proc) {
			p(2).StatusAfter, p(2).StateAfter = StatusWaiting, [32]byte{}
		}, tx.ErrNotFinished, "pid 2"},
		{"created token never run", func(s *Statement, p func(uint64) *Proc) {
			p(10).StatusAfter, p(10).StateAfter = StatusIdle, [32]byte{}
		}, tx.ErrNotFinished, "pid 10"},
		{"root not returned", func(s *Statement, p func(uint64) *Proc) { p(7).StatusAfter = StatusRunning }, tx.ErrNotFinished, "pid 7"},
		{"must-burn token not burned", func(s *Statement, p func(uint64) *Proc) {
			p(6).StatusAfter, p(6).OwnerAfter = StatusYielded, uint32(index(s, 5)+1)
		}, tx.ErrUnbalanced, ""},
		{"live token unbound", func(s *Statement, p func(uint64) *Proc) { p(10).OwnerAfter = 0 }, tx.ErrUnboundToken, "pid 10"},
		{"owner burned", func(s *Statement, p func(uint64) *Proc) {
			p(2).StatusAfter, p(2).StateAfter = StatusBurned, [32]byte{}
		}, tx.ErrUnboundToken, "pid 8"},
		{"burned UTXO owning a token at rest", func(s *Statement, p func(uint64) *Proc) {
			p(10).OwnerAfter = uint32(index(s, 2) + 1)
			p(5).StatusAfter, p(5).StateAfter = StatusBurned, [32]byte{}
			p(5).OwnsBefore++
		}, tx.ErrBurnOwnsTokens, "pid 5"},
		{"ownership before changed", func(s *Statement, p func(uint64) *Proc) {
			p(6).OwnerBefore = uint32(index(s, 2) + 1)
		}, ErrStatement, "pid 2"},
		{"owner is a token", func(s *Statement, p func(uint64) *Proc) { p(10).OwnerAfter = uint32(index(s, 8) + 1) }, ErrStatement, "pid 10"},
		{"host calls of a process", func(s *Statement, p func(uint64) *Proc) { p(5).HostCalls++ }, ErrStatement, ""},
		{"host calls of a kind", func(s *Statement, p func(uint64) *Proc) { s.Kinds[0]++ }, ErrStatement, ""},
		{"a creation too many", func(s *Statement, p func(uint64) *Proc) {
			s.Kinds[8]--
			s.Kinds[9]++
		}, ErrStatement, ""},
		{"another hash", func(s *Statement, p func(uint64) *Proc) { s.Hash[0] ^= 1 }, ErrHash, ""},
		{"another input version", func(s *Statement, p func(uint64) *Proc) { s.Tx.Inputs[0].Version++ }, ErrHash, ""},
		{"another argument", func(s *Statement, p func(uint64) *Proc) { s.Tx.Args[0][0]++ }, ErrHash, ""},
		{"minted amount", func(s *Statement, p func(uint64) *Proc) { p(10).Amount++ }, tx.ErrUnbalanced, ""},
		{"token of amount 0", func(s *Statement, p func(uint64) *Proc) { p(10).Amount = 0 }, tx.ErrAmount, "pid 10"},
		{"untouched datum changed", func(s *Statement, p func(uint64) *Proc) { p(5).DatumAfter[15]++ }, ErrStatement, "pid 5"},
		{"inputs out of order", func(s *Statement, p func(uint64) *Proc) { s.Procs[1], s.Procs[2] = s.Procs[2], s.Procs[1] }, ErrStatement, ""},
		{"created pid skipped", func(s *Statement, p func(uint64) *Proc) { p(10).PID = 11 }, ErrStatement, "pid 11"},
		{"pid twice", func(s *Statement, p func(uint64) *Proc) { p(10).PID = 9 }, ErrStatement, ""},
		{"creator a UTXO", func(s *Statement, p func(uint64) *Proc) { p(10).Creator = uint32(index(s, 2) + 1) }, ErrStatement, "pid 10"},
		{"creator out of range", func(s *Statement, p func(uint64) *Proc) { p(10).Creator = 1000 }, ErrStatement, "pid 10"},
		{"owner out of range", func(s *Statement, p func(uint64) *Proc) { p(10).OwnerAfter = 1000 }, ErrStatement, "pid 10"},
		{"rows", func(s *Statement, p func(uint64) *Proc) { s.Rows = 100 }, ErrStatement, ""},
		{"steps too few", func(s *Statement, p func(uint64) *Proc) { s.Rows = 128; s.Kinds[17] += 200 }, ErrStatement, ""},
		{"interfaces unsorted", func(s *Statement, p func(uint64) *Proc) { s.Ifaces = append(s.Ifaces, [4]uint64{}) }, ErrStatement, ""},
		{"datum slot 16", func(s *Statement, p func(uint64) *Proc) { s.Datum[len(s.Datum)-1].Slot = 16 }, ErrStatement, ""},
		{"status out of range", func(s *Statement, p func(uint64) *Proc) { p(2).StatusAfter = 10 }, ErrStatement, "pid 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := stated(t, r)
			c.break_(s, func(pid uint64) *Proc { return &s.Procs[index(s, pid)] })
			err := s.Check()
			if !errors.Is(err, c.want) {
				t.Fatalf("Check: %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.pid) {
				t.Errorf("%v does not name %s", err, c.pid)
			}
			// What Check refuses still encodes and decodes: the encoding is not the check.
			d, err := DecodeStatement(s.Encode())
			if err != nil && !strings.Contains(c.name, "unsorted") && !strings.Contains(c.name, "datum slot") {
				t.Fatalf("decode: %v", err)
			}
			if err == nil && !errors.Is(d.Check(), c.want) {
				t.Errorf("decoded: %v, want %v", d.Check(), c.want)
			}
		})
	}
}

func TestStatementEncoding(t *testing.T) {
	for name, r := range dexResults(t) {
		s := stated(t, r)
		enc := s.Encode()
		d, err := DecodeStatement(enc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(d.Encode(), enc) || d.Hash != s.Hash || len(d.Procs) != len(s.Procs) || d.Procs[len(d.Procs)-1] != s.Procs[len(s.Procs)-1] || d.Kinds != s.Kinds {
			t.Fatalf("%s: round trip changed the statement", name)
		}
		if err := d.Check(); err != nil {
			t.Fatalf("%s: decoded statement: %v", name, err)
		}
		for i := range enc {
			if _, err := DecodeStatement(enc[:i]); !errors.Is(err, ErrFormat) {
				t.Fatalf("%s truncated to %d bytes: %v", name, i, err)
			}
		}
		if _, err := DecodeStatement(append(enc, 0)); !errors.Is(err, ErrFormat) {
			t.Fatalf("%s with a trailing byte: %v", name, err)
		}
	}

	s := stated(t, dexResults(t)["tx2"])
	enc := s.Encode()
	bad := func(name string, mutate func(b []byte)) {
		b := bytes.Clone(enc)
		mutate(b)
		if _, err := DecodeStatement(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, want ErrFormat", name, err)
		}
	}
	bad("magic", func(b []byte) { b[0] = 'X' })
	bad("version", func(b []byte) { b[4] = 2 })
	// The inputs' count follows magic, version, next id and coordinator.
	at := 4 + 2 + 8 + 32
	bad("inputs over the limit", func(b []byte) { binary.LittleEndian.PutUint32(b[at:], tx.MaxInputs+1) })
	bad("inputs over the bytes", func(b []byte) { binary.LittleEndian.PutUint32(b[at:], tx.MaxInputs) })
	bad("steps", func(b []byte) { binary.LittleEndian.PutUint32(b[len(b)-4:], MaxSteps+1) })
	// Mint follows the inputs and the argument row: swap it with the burn list's order.
	mint := at + 4 + 16*len(s.Tx.Inputs) + 4 + 32*len(s.Tx.Args) + 4
	bad("mint unsorted", func(b []byte) {
		first := bytes.Clone(b[mint : mint+40])
		copy(b[mint:], b[mint+40:mint+80])
		copy(b[mint+40:], first)
	})
}

func TestAbsorb(t *testing.T) {
	s := stated(t, dexResults(t)["tx2"])
	challenge := func(s *Statement) [2]uint64 {
		tr := transcript.New("ssprove/test")
		s.Absorb(tr)
		c := tr.ChallengeFields("c", 2)
		return [2]uint64{c[0].Uint64(), c[1].Uint64()}
	}
	a := challenge(s)
	if challenge(s) != a {
		t.Fatal("absorbing the same statement twice draws different challenges")
	}
	s.Procs[len(s.Procs)-1].OwnerAfter = 2
	if challenge(s) == a {
		t.Fatal("another owner draws the same challenges")
	}
}

func FuzzStatement(f *testing.F) {
	for _, r := range dexResults(f) {
		f.Add(stated(f, r).Encode())
	}
	f.Add((&Statement{Version: StatementVersion}).Encode())
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeStatement(data)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		if !bytes.Equal(s.Encode(), data) {
			t.Fatal("a decoded statement does not re-encode to its bytes")
		}
		_ = s.Check() // any statement, however wrong, is an error and never a panic
	})
}
