package interleave

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/neo"
	"github.com/ssprove/ssprove/lattice/ajtai"
)

func TestCCSShape(t *testing.T) {
	for _, rows := range stepRows {
		l, err := NewLayout(rows)
		if err != nil {
			t.Fatal(err)
		}
		s, err := l.CCS()
		if err != nil {
			t.Fatal(err)
		}
		if again, err := l.CCS(); err != nil || again != s {
			t.Fatalf("R = %d: CCS built twice (%v)", rows, err)
		}
		if s.NumConstraints() != l.NumConstraints() || s.NumVariables() != l.Cells() || s.NumPublic() != XLen || s.Degree() != 2 {
			t.Fatalf("R = %d: %d constraints, %d variables, %d public, degree %d", rows, s.NumConstraints(), s.NumVariables(), s.NumPublic(), s.Degree())
		}
		nz := [3]int{}
		for k, m := range s.Matrices() {
			nz[k] = m.NonZeros()
		}
		t.Logf("R = %d: m = %d variables, n = %d constraints (%d header + %d·%d), nonzeros A %d B %d C %d (%d in all)",
			rows, s.NumVariables(), s.NumConstraints(), len(headerTable), rows-1, len(rowTable), nz[0], nz[1], nz[2], nz[0]+nz[1]+nz[2])
	}
	if _, err := (&Layout{Rows: 100}).CCS(); !errors.Is(err, ErrLayout) {
		t.Errorf("100 rows: %v, want ErrLayout", err)
	}
}

func TestConstraintName(t *testing.T) {
	l, err := NewLayout(128)
	if err != nil {
		t.Fatal(err)
	}
	h := len(headerTable)
	for _, c := range []struct {
		i    int
		want string
	}{
		{0, "row 0: " + headerTable[0].Name},
		{h - 1, "row 0: " + headerTable[h-1].Name},
		{h, "row 1: " + rowTable[0].Name},
		{h + len(rowTable) + 2, "row 2: " + rowTable[2].Name},
		{l.NumConstraints() - 1, "row 127: " + rowTable[len(rowTable)-1].Name},
		{l.NumConstraints(), "constraint " + strconv.Itoa(l.NumConstraints()) + " (none of the step's)"},
		{-1, "constraint -1 (none of the step's)"},
	} {
		if got := l.ConstraintName(c.i); got != c.want {
			t.Errorf("ConstraintName(%d) = %q, want %q", c.i, got, c.want)
		}
	}
}

// looped is honest() with n SET_DATUM/GET_DATUM pairs before the root
// returns, so that its rows fill several steps.
func looped(n int) *Input {
	in := honest()
	var loop []Event
	for i := range n {
		loop = append(loop, ev(root, CallSetDatum, w(5, uint64(i)), nil), ev(root, CallGetDatum, w(5), nil, uint64(i)))
	}
	last := len(in.Events) - 1
	in.Events = append(append(in.Events[:last:last], loop...), in.Events[last])
	return in
}

func TestCCSHonest(t *testing.T) {
	for _, c := range []struct {
		name string
		in   *Input
		rows int
	}{
		{"every op", honest(), 128},
		{"every op, 256 rows", honest(), 256},
		{"several steps", looped(150), 128},
	} {
		t.Run(c.name, func(t *testing.T) {
			wit, err := Build(c.in, c.rows)
			if err != nil {
				t.Fatal(err)
			}
			for s, z := range wit.Steps {
				if err := wit.Layout.CheckCCS(s, z); err != nil {
					t.Fatal(err)
				}
			}
			chain, err := wit.Chain()
			if err != nil {
				t.Fatal(err)
			}
			if len(chain.Steps) != len(wit.Steps) {
				t.Fatalf("%d chain steps for %d steps", len(chain.Steps), len(wit.Steps))
			}
			if err := chain.Check(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestChainLinks breaks the link between two steps, on either side: the
// step whose x changed no longer satisfies the CCS, and the links fail.
func TestChainLinks(t *testing.T) {
	for _, c := range []struct {
		name       string
		step, cell int // the changed cell of x
		unsat      int // the step that fails the CCS
	}{
		{"y_prev of step 1", 1, xPrev + CellNRef, 1},
		{"y_next of step 0", 0, xNext + CellG, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			wit, err := Build(looped(150), 128)
			if err != nil {
				t.Fatal(err)
			}
			z := wit.Steps[c.step]
			z[c.cell].Add(&z[c.cell], &one)
			chain, err := wit.Chain()
			if err != nil {
				t.Fatal(err)
			}
			var link *ccs.LinkError
			if err := chain.CheckLinks(); !errors.As(err, &link) || link.Step != 1 || link.Index != (c.cell-1)%StateLen {
				t.Fatalf("links: %v, want step 1, index %d", err, (c.cell-1)%StateLen)
			}
			for s := range chain.Steps {
				err := chain.Steps[s].Check()
				if (err != nil) != (s == c.unsat) || (err != nil && !errors.Is(err, ccs.ErrUnsatisfied)) {
					t.Fatalf("step %d: %v", s, err)
				}
			}
			if !sameViolation(t, wit, c.unsat) {
				t.Fatal("the row checker does not refuse the step")
			}
		})
	}
}

func TestChainRefusesBadWitness(t *testing.T) {
	wit, err := Build(honest(), 128)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(*Witness){
		"no layout":  func(w *Witness) { w.Layout = nil },
		"bad layout": func(w *Witness) { w.Layout = &Layout{Rows: 3} },
		"short y0":   func(w *Witness) { w.Y0 = w.Y0[:2] },
		"short step": func(w *Witness) { w.Steps = [][]goldilocks.Element{w.Steps[0][:Width]} },
	} {
		bad := *wit
		f(&bad)
		if _, err := bad.Chain(); !errors.Is(err, ErrLayout) {
			t.Errorf("%s: %v, want ErrLayout", name, err)
		}
	}
	if err := wit.Layout.CheckCCS(0, wit.Steps[0][:Width]); err == nil || errors.Is(err, ccs.ErrUnsatisfied) {
		t.Errorf("short step: %v, want a length error", err)
	}
}

// sameViolation checks that the CCS refuses step s of wit at the constraint
// Check names, when Check names a constraint (not a range check); it returns
// whether it did.
func sameViolation(t *testing.T, wit *Witness, s int) bool {
	t.Helper()
	z := wit.Steps[s]
	want := wit.Layout.Check(s, z)
	got := wit.Layout.CheckCCS(s, z)
	var wre, gre *RowError
	if !errors.As(want, &wre) {
		if want != nil {
			t.Fatalf("step %d: Check: %v", s, want)
		}
		if got != nil {
			t.Fatalf("step %d: Check passes, CCS refuses: %v", s, got)
		}
		return false
	}
	if wre.Cell >= 0 {
		return false // a range check: digit planes make it, not the CCS
	}
	if !errors.As(got, &gre) || *gre != *wre || !errors.Is(got, ccs.ErrUnsatisfied) {
		t.Fatalf("step %d: CCS refuses with %v, Check with %v", s, got, want)
	}
	return true
}

// TestCCSForgeries forges rows as TestForgeries does and checks that the
// CCS refuses each at the constraint the row checker names.
func TestCCSForgeries(t *testing.T) {
	for name, forge := range map[string]func(t *testing.T) *Witness{
		"a UTXO resumes a process": func(t *testing.T) *Witness {
			return buildForged(t, forged(
				ev(root, CallResume, w(utxo, 0), nil),
				ev(utxo, CallResume, w(utxo2, 0), nil),
				ev(utxo2, CallYield, w(0), nil),
				ev(utxo, CallYield, w(0), nil),
			))
		},
		"a yield from a coordination script": func(t *testing.T) *Witness {
			return buildForged(t, withCoord(forged(
				ev(root, CallNewCoord, w(32, 0), progC[:], newU),
				ev(root, CallResume, w(newU, 0), nil),
				ev(newU, CallYield, w(0), nil),
			)))
		},
		"a resume with another ref than the one passed": func(t *testing.T) *Witness {
			wit := buildForged(t, honest())
			r := rowOf(t, wit, OpResume)
			wit.Steps[0][(r+1)*Width+CellARef] = fe(1)
			return wit
		},
		"an effect resumed by another than its handler": func(t *testing.T) *Witness {
			return buildForged(t, withCoord(forged(
				ev(root, CallInstallHandler, w(16), ifc()),
				ev(root, CallNewCoord, w(32, 0), progC[:], newU),
				ev(root, CallResume, w(utxo, 0), nil),
				ev(utxo, CallEffect, w(16, 0), ifc()),
				ev(root, CallResume, w(newU, 0), nil),
				ev(newU, CallResume, w(utxo, 0), nil),
				ev(utxo, CallYield, w(0), nil),
			)))
		},
		"a handler popped by a process that did not install it": func(t *testing.T) *Witness {
			return buildForged(t, withCoord(forged(
				ev(root, CallInstallHandler, w(16), ifc()),
				ev(root, CallNewCoord, w(32, 0), progC[:], newU),
				ev(root, CallResume, w(newU, 0), nil),
				ev(newU, CallUninstallHandler, w(16), ifc()),
				ev(newU, CallReturn, nil, nil),
			)))
		},
		"a padding row that changes state": func(t *testing.T) *Witness {
			wit := buildForged(t, honest())
			r := wit.Layout.Rows - 2
			wit.Steps[0][(r+1)*Width+CellNRef] = fe(9)
			return wit
		},
		"a token bound twice": func(t *testing.T) *Witness {
			return buildForged(t, forged(
				ev(root, CallNewUTXO, w(32, 2), progU[:], newU),
				ev(root, CallNewToken, w(32, 0, 50), progT[:], newT),
				ev(root, CallResume, w(newT, 0), nil),
				ev(newT, CallBind, w(newU), nil),
				ev(newT, CallBind, w(utxo), nil),
				ev(newT, CallYield, w(0), nil),
			))
		},
		"unbound by a non-owner": func(t *testing.T) *Witness {
			return buildForged(t, forged(
				ev(root, CallNewUTXO, w(32, 2), progU[:], newU),
				ev(root, CallNewToken, w(32, 0, 50), progT[:], newT),
				ev(root, CallResume, w(newT, 0), nil),
				ev(newT, CallBind, w(newU), nil),
				ev(newT, CallYield, w(0), nil),
				ev(root, CallResume, w(utxo, 0), nil),
				ev(utxo, CallUnbind, w(newT), nil),
				ev(utxo, CallYield, w(0), nil),
			))
		},
		"a host call after the end": func(t *testing.T) *Witness {
			in := honest()
			in.Events = append(in.Events, ev(root, CallGetDatum, w(3), nil, uint64(1)<<40+5))
			return buildForged(t, in)
		},
	} {
		t.Run(name, func(t *testing.T) {
			wit := forge(t)
			refusedAt := -1
			for s := range wit.Steps {
				if sameViolation(t, wit, s) {
					refusedAt = s
					break
				}
			}
			if refusedAt < 0 {
				t.Fatal("no step refused on a constraint")
			}
		})
	}
}

// TestCCSPerturbed changes one cell of an honest witness at a time, by a
// small nonzero amount, and checks that the CCS and the row checker agree
// on the first violated constraint (perturb).
func TestCCSPerturbed(t *testing.T) {
	wit, err := Build(looped(70), 128)
	if err != nil {
		t.Fatal(err)
	}
	tries := 400
	if testing.Short() {
		tries = 100
	}
	perturb(t, wit, rand.New(rand.NewPCG(1, 2)), tries)
}

// TestChainFolds folds a 2-step chain of a small trace with Neo, under the
// Goldilocks preset with every witness value bounded to 32 digit planes.
func TestChainFolds(t *testing.T) {
	wit, err := Build(looped(40), 128)
	if err != nil {
		t.Fatal(err)
	}
	if len(wit.Steps) != 2 {
		t.Fatalf("%d steps, want 2", len(wit.Steps))
	}
	chain, err := wit.Chain()
	if err != nil {
		t.Fatal(err)
	}
	s := chain.Steps[0].CCS
	ctx := context.Background()
	start := time.Now()
	pp := setup128(t)
	setup := time.Since(start)
	proof, acc, accW, err := neo.ProveChain(ctx, pp, chain, neo.WithDigitPlanes(32))
	if err != nil {
		t.Fatal(err)
	}
	prove := time.Since(start) - setup
	if err := neo.Decide(ctx, pp, s, acc, accW); err != nil {
		t.Fatal(err)
	}
	verifier := *chain
	verifier.Steps = make([]ccs.Step, len(chain.Steps))
	for i, st := range chain.Steps {
		st.Z = nil
		verifier.Steps[i] = st
	}
	decide := func(a neo.Acc) error { return neo.Decide(ctx, pp, s, a, accW) }
	got, err := neo.VerifyChain(ctx, pp, &verifier, proof, decide, neo.WithDigitPlanes(32))
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest != acc.Digest {
		t.Fatal("verifier's final digest differs from the prover's")
	}
	t.Logf("R = 128: setup %v, prove 2 steps %v, verify+decide %v", setup, prove, time.Since(start)-setup-prove)

	// A public input the proof was not made for is refused.
	verifier.Steps[1].Public = append([]goldilocks.Element(nil), verifier.Steps[1].Public...)
	verifier.Steps[1].Public[xNext+CellNRef].Add(&verifier.Steps[1].Public[xNext+CellNRef], &one)
	if _, err := neo.VerifyChain(ctx, pp, &verifier, proof, decide, neo.WithDigitPlanes(32)); !errors.Is(err, neo.ErrChain) {
		t.Fatalf("changed y_next: %v, want ErrChain", err)
	}
}

// setup128 returns the Goldilocks key for steps of 128 rows.
func setup128(t *testing.T) *ajtai.PublicParams {
	t.Helper()
	pp, err := ajtai.Setup(context.Background(), ajtai.Goldilocks(128*Width), make([]byte, ajtai.SeedSize))
	if err != nil {
		t.Fatal(err)
	}
	return pp
}

// TestRangeForgeries forges cells the row checker refuses by range alone
// (TestForgeries' out-of-bounds ref read and u64 word ≥ q): the CCS holds,
// and it is the digit-plane bound that makes Neo refuse the step.
func TestRangeForgeries(t *testing.T) {
	pp := setup128(t)
	for name, forge := range map[string]func(t *testing.T) *Witness{
		"a ref read out of bounds": func(t *testing.T) *Witness {
			return buildForged(t, forged(
				ev(root, CallNewRef, w(1), nil, 2),
				ev(root, CallRefPush, w(1, 2, 3, 4), nil),
				ev(root, CallRefGet, w(2, 1, 64), w(0, 0, 0, 0)),
			))
		},
		"a u64 argument ≥ q as one field element": func(t *testing.T) *Witness {
			wit := buildForged(t, honest())
			r := rowOf(t, wit, OpSetDatum)
			var v goldilocks.Element
			v.SetUint64(1<<33 + 1<<32 - 1)
			wit.Steps[0][r*Width+nw(P1, 0)] = v
			wit.Steps[0][r*Width+nw(P1, 1)] = fe(0)
			return wit
		},
	} {
		t.Run(name, func(t *testing.T) {
			wit := forge(t)
			var re *RowError
			if err := wit.Layout.Check(0, wit.Steps[0]); !errors.As(err, &re) || re.Cell < 0 {
				t.Fatalf("row checker: %v, want a range error", err)
			}
			chain, err := wit.Chain()
			if err != nil {
				t.Fatal(err)
			}
			if err := chain.Check(); err != nil {
				t.Fatalf("the CCS refuses a range forgery: %v", err)
			}
			if _, _, _, err := neo.ProveChain(context.Background(), pp, chain, neo.WithDigitPlanes(32)); !errors.Is(err, neo.ErrDigitPlanes) {
				t.Fatalf("ProveChain: %v, want ErrDigitPlanes", err)
			}
		})
	}
}
