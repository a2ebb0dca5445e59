package interleave

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/lookup"
	"github.com/ssprove/ssprove/fold/transcript"
)

const testProtocol = "ssprove/interleave/test"

// argue proves the memory argument of wit over its columns and verifies it
// against the shapes of pub, returning the verifier's claims.
func argue(t *testing.T, wit *Witness, pub *Public) ([]lookup.Claim, error) {
	t.Helper()
	groups, err := wit.Groups()
	if err != nil {
		t.Fatal(err)
	}
	if pub != wit.Public {
		// The prover proves the groups of the stated public input.
		pg, err := pub.groups()
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups[:len(committed)], pg...)
	}
	proof, _, err := lookup.Prove(context.Background(), transcript.New(testProtocol), groups)
	if err != nil {
		return nil, err
	}
	shapes, err := Shapes(wit.Layout, len(wit.Steps), pub)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := lookup.Verify(transcript.New(testProtocol), shapes, proof)
	if err != nil {
		t.Fatalf("an honest proof is rejected: %v", err)
	}
	return claims, nil
}

// check verifies the claims against the true column evaluations.
func check(t *testing.T, wit *Witness, pub *Public, claims []lookup.Claim) ([]lookup.K, error) {
	t.Helper()
	v, err := wit.ColumnEvals(claims[0].Point[2:])
	if err != nil {
		t.Fatal(err)
	}
	return v, checkWith(wit, pub, v, claims)
}

func checkWith(wit *Witness, pub *Public, v []lookup.K, claims []lookup.Claim) error {
	_, err := CheckClaims(wit.Layout, len(wit.Steps), pub, v, claims)
	return err
}

// longInput is honest() with 300 datum calls before the root returns: three
// steps of 128 rows.
func longInput() *Input { return loopInput(150) }

// loopInput is honest() with n set_datum, get_datum pairs before the root
// returns.
func loopInput(n int) *Input {
	in := honest()
	var loop []Event
	for i := range n {
		loop = append(loop, ev(root, CallSetDatum, w(5, uint64(i)<<33|7), nil), ev(root, CallGetDatum, w(5), nil, uint64(i)<<33|7))
	}
	last := len(in.Events) - 1
	in.Events = append(append(in.Events[:last:last], loop...), in.Events[last])
	return in
}

func TestMemoryBalances(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    *Input
		steps int
	}{{"every op", honest(), 1}, {"three steps", longInput(), 3}} {
		t.Run(tc.name, func(t *testing.T) {
			wit, err := Build(tc.in, 128)
			if err != nil {
				t.Fatal(err)
			}
			if len(wit.Steps) != tc.steps {
				t.Fatalf("%d steps, want %d", len(wit.Steps), tc.steps)
			}
			claims, err := argue(t, wit, wit.Public)
			if err != nil {
				t.Fatalf("an honest trace does not balance: %v", err)
			}
			point, err := CheckClaims(wit.Layout, len(wit.Steps), wit.Public, mustEvals(t, wit, claims), claims)
			if err != nil {
				t.Fatalf("the true column evaluations are rejected: %v", err)
			}
			if want := claims[0].Point[2:]; !slices.Equal(point, want) {
				t.Errorf("CheckClaims returns %v, want %v", point, want)
			}
		})
	}
}

func mustEvals(t *testing.T, wit *Witness, claims []lookup.Claim) []lookup.K {
	t.Helper()
	v, err := wit.ColumnEvals(claims[0].Point[2:])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestPublic checks what Build says of the honest trace's outcome.
func TestPublic(t *testing.T) {
	in := honest()
	wit, err := Build(in, 128)
	if err != nil {
		t.Fatal(err)
	}
	pub := wit.Public
	want := []Final{
		{StatusReturned, 0}, {StatusSusp, 0}, {StatusBurned, 0},
		{StatusSusp, 0}, {StatusBurned, 0}, {StatusReturned, 0},
	}
	if !slices.Equal(pub.Final, want) {
		t.Errorf("final records %v, want %v", pub.Final, want)
	}
	big := uint64(1)<<40 + 5
	if d := []Datum{{1, 3, big}, {2, 3, 77}}; !slices.Equal(pub.Datum, d) {
		t.Errorf("datum %v, want %v", pub.Datum, d)
	}
	var calls uint64
	for _, c := range pub.Calls {
		calls += c
	}
	if calls != uint64(len(in.Events)) || pub.Calls[0] != 27 || pub.Kinds[CallResume] != 7 {
		t.Errorf("calls %v, kinds %v", pub.Calls, pub.Kinds)
	}
	init, err := pub.InitialSet()
	if err != nil {
		t.Fatal(err)
	}
	// PROC, PROG, INIT and BLD per index, HEADS 0 and 1, two datum cells,
	// two refs, two arena halves of three rows.
	if n := 4*7 + 2 + 2 + 2 + 2*3; len(init) != n {
		t.Errorf("%d initial entries, want %d", len(init), n)
	}
}

func TestPublicRefused(t *testing.T) {
	honestPublic := func() *Public {
		wit, err := Build(honest(), 128)
		if err != nil {
			t.Fatal(err)
		}
		return wit.Public
	}
	for name, mutate := range map[string]func(*Public){
		"no input":             func(p *Public) { p.Input = nil },
		"calls short":          func(p *Public) { p.Calls = p.Calls[1:] },
		"finals long":          func(p *Public) { p.Final = append(p.Final, Final{}) },
		"datum out of order":   func(p *Public) { p.Datum[0], p.Datum[1] = p.Datum[1], p.Datum[0] },
		"datum of the dummy":   func(p *Public) { p.Datum[0].Proc = 0 },
		"datum slot too large": func(p *Public) { p.Datum[1].Slot = DatumSlots },
		"bad processes":        func(p *Public) { p.Input.Procs[1].PID = root },
	} {
		t.Run(name, func(t *testing.T) {
			p := honestPublic()
			mutate(p)
			if _, err := p.InitialSet(); !errors.Is(err, ErrInput) {
				t.Errorf("InitialSet: %v", err)
			}
			if _, err := Shapes(&Layout{Rows: 128}, 1, p); !errors.Is(err, ErrInput) {
				t.Errorf("Shapes: %v", err)
			}
		})
	}
}

// TestCheckClaims changes each column evaluation a leaf form reads, and the
// public input, and expects CheckClaims to refuse.
func TestCheckClaims(t *testing.T) {
	wit, err := Build(honest(), 128)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := argue(t, wit, wit.Public)
	if err != nil {
		t.Fatal(err)
	}
	v, err := check(t, wit, wit.Public, claims)
	if err != nil {
		t.Fatal(err)
	}
	read := map[Var]bool{}
	for _, f := range committed {
		for q := range ports {
			for _, l := range append(slices.Clone(f.tuple[q]), f.num[q]) {
				for _, term := range l {
					if term.Coeff != 0 && term.Var != One {
						read[term.Var] = true
					}
				}
			}
		}
	}
	// Every port cell but the time checks, the host selectors, cur, g, outP and
	// outD enter a leaf.
	for _, c := range []int{CellCur, CellG, tag(P3), old(P2, 9), nw(P1, 3), rtCell(PR), rdCell(P2), sel(OpResume), CellOutD} {
		if !read[Var(c)] {
			t.Errorf("%s enters no leaf", CellName(c))
		}
	}
	var one lookup.K
	one.SetOne()
	for c := range Width {
		if !read[Var(c)] {
			continue
		}
		changed := slices.Clone(v)
		changed[c].Add(&changed[c], &one)
		if err := checkWith(wit, wit.Public, changed, claims); !errors.Is(err, ErrClaim) {
			t.Errorf("v_%s changed: %v", CellName(c), err)
		}
	}
	if err := checkWith(wit, wit.Public, v[:Width-1], claims); !errors.Is(err, ErrClaim) {
		t.Errorf("short v: %v", err)
	}
	if err := checkWith(wit, wit.Public, v, claims[1:]); !errors.Is(err, ErrClaim) {
		t.Errorf("a claim missing: %v", err)
	}
	moved := slices.Clone(claims)
	moved[1].Point = slices.Clone(moved[1].Point)
	moved[1].Point[0].Add(&moved[1].Point[0], &one)
	if err := checkWith(wit, wit.Public, v, moved); !errors.Is(err, ErrClaim) {
		t.Errorf("WRITE at another point: %v", err)
	}
	stated := *wit.Public
	stated.Final = slices.Clone(stated.Final)
	stated.Final[1].Status = StatusBurned
	if err := checkWith(wit, &stated, v, claims); !errors.Is(err, ErrClaim) || !errors.Is(err, lookup.ErrReject) {
		t.Errorf("another final status stated: %v", err)
	}
}

// unbalanced checks that the memory argument of wit does not balance.
func unbalanced(t *testing.T, wit *Witness, pub *Public) {
	t.Helper()
	if _, err := argue(t, wit, pub); !errors.Is(err, lookup.ErrUnbalanced) {
		t.Fatalf("the forged memory balances: %v", err)
	}
}

// rowsOf lists the rows of op in step 0.
func rowsOf(wit *Witness, op Op) []int {
	var rows []int
	z := wit.Steps[0]
	for r := 1; r < wit.Layout.Rows; r++ {
		if rowOp(z[r*Width:(r+1)*Width]) == op {
			rows = append(rows, r)
		}
	}
	return rows
}

func set(wit *Witness, r, c int, v uint64) { wit.Steps[0][r*Width+c] = fe(v) }

func get(wit *Witness, r, c int) goldilocks.Element { return wit.Steps[0][r*Width+c] }

// TestMemoryForgeries forges port cells of honest rows, keeping each row's
// constraints where the forgery allows, and expects the memory argument to
// refuse (ARITH.md § 10).
func TestMemoryForgeries(t *testing.T) {
	honestWitness := func(t *testing.T) *Witness {
		wit, err := Build(honest(), 128)
		if err != nil {
			t.Fatal(err)
		}
		return wit
	}
	t.Run("a read of a value never written", func(t *testing.T) {
		wit := honestWitness(t)
		r := rowsOf(wit, OpGetDatum)[1] // the UTXO's, reading 77
		if v := get(wit, r, old(P1, 0)); v.Uint64() != 77 {
			t.Fatal("not the UTXO's get_datum")
		}
		set(wit, r, old(P1, 0), 78)
		set(wit, r, nw(P1, 0), 78)
		unbalanced(t, wit, wit.Public)
	})
	t.Run("a stale read", func(t *testing.T) {
		wit := honestWitness(t)
		rs := rowsOf(wit, OpResume) // the root's record on P1, twice
		a, b := rs[0], rs[1]
		for k := range Slots {
			wit.Steps[0][b*Width+old(P1, k)] = get(wit, a, old(P1, k))
		}
		wit.Steps[0][b*Width+rtCell(P1)] = get(wit, a, rtCell(P1))
		unbalanced(t, wit, wit.Public)
	})
	t.Run("a read from the future", func(t *testing.T) {
		wit := honestWitness(t)
		s, g := rowsOf(wit, OpSetDatum)[0], rowsOf(wit, OpGetDatum)[0] // the root's slot 3
		// set_datum reads what get_datum, after it, writes back; the initial
		// value is then never read. A read from the future that keeps the
		// multisets balanced is the time check's to refuse (cd, S32).
		wit.Steps[0][s*Width+old(P1, 0)] = get(wit, g, old(P1, 0))
		wit.Steps[0][s*Width+old(P1, 1)] = get(wit, g, old(P1, 1))
		gg := get(wit, g, CellG)
		set(wit, s, rtCell(P1), 4*gg.Uint64()+1)
		unbalanced(t, wit, wit.Public)
	})
	scanOnP3 := func(t *testing.T, wit *Witness) int {
		for _, r := range rowsOf(wit, OpScan) {
			if rd := get(wit, r, rdCell(P3)); rd.IsOne() {
				return r
			}
		}
		t.Fatal("no scan on P3")
		return 0
	}
	t.Run("a scan missing", func(t *testing.T) {
		wit := honestWitness(t)
		set(wit, scanOnP3(t, wit), rdCell(P3), 0)
		unbalanced(t, wit, wit.Public)
	})
	t.Run("a scan doubled", func(t *testing.T) {
		wit := honestWitness(t)
		s := scanOnP3(t, wit)
		pads := rowsOf(wit, OpNone)
		if len(pads) == 0 {
			t.Fatal("no padding row")
		}
		p := pads[0]
		copy(wit.Steps[0][p*Width+P3:p*Width+PR], wit.Steps[0][s*Width+P3:s*Width+PR])
		set(wit, p, sel(OpScan), 1)
		unbalanced(t, wit, wit.Public)
	})
	t.Run("a u64 ≥ q as its residue", func(t *testing.T) {
		const q = 0xFFFFFFFF00000001
		in := honest()
		in.Procs[4].Amount = q + 5
		for i, e := range in.Events {
			switch e.Call {
			case CallNewToken:
				in.Events[i].Args[2] = q + 5
			case CallAmount:
				in.Events[i].Results[0] = q + 5
			}
		}
		wit, err := Build(in, 128)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := argue(t, wit, wit.Public); err != nil {
			t.Fatalf("the honest amount ≥ q: %v", err)
		}
		r := rowsOf(wit, OpNewToken)[0]
		set(wit, r, old(P1, 6), 5) // (q + 5) mod q as lo, hi = 0
		set(wit, r, old(P1, 7), 0)
		unbalanced(t, wit, wit.Public)
	})
	t.Run("a final status other than stated", func(t *testing.T) {
		wit := honestWitness(t)
		stated := *wit.Public
		stated.Final = slices.Clone(stated.Final)
		stated.Final[1].Status = StatusBurned // the UTXO must burn, but yields
		unbalanced(t, wit, &stated)
	})
	t.Run("a host-call count other than stated", func(t *testing.T) {
		wit := honestWitness(t)
		stated := *wit.Public
		stated.Kinds[CallYield]--
		stated.Kinds[CallBurn]++
		unbalanced(t, wit, &stated)
	})
}

// BenchmarkMemoryArgument proves the memory argument of a 4,096-call trace in
// steps of 512 rows: the leaf columns (Groups) and lookup.Prove.
func BenchmarkMemoryArgument(b *testing.B) {
	wit, err := Build(loopInput(2028), 512)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		groups, err := wit.Groups()
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := lookup.Prove(context.Background(), transcript.New(testProtocol), groups); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(wit.Calls), "calls")
	b.ReportMetric(float64(len(wit.Steps)), "steps")
}
