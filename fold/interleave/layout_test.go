package interleave

import (
	"errors"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

func TestNewLayout(t *testing.T) {
	rows := StepRows()
	if len(rows) == 0 || !slices.IsSorted(rows) {
		t.Fatalf("StepRows() = %v, want sizes in increasing order", rows)
	}
	for _, r := range rows {
		if bits.OnesCount(uint(r)) != 1 || r < 2 {
			t.Errorf("R = %d: not a power of two holding a header and a trace row", r)
		}
		l, err := NewLayout(r)
		if err != nil {
			t.Fatalf("R = %d: %v", r, err)
		}
		if l.Rows != r || l.Cells() != r*Width {
			t.Errorf("R = %d: layout of %d rows, %d cells", r, l.Rows, l.Cells())
		}
	}
	rows[0] = 3
	if StepRows()[0] == 3 {
		t.Error("StepRows returns the package's own slice")
	}
	for _, r := range []int{-16, 0, 1, 2, 8, 100, 1024} {
		if _, err := NewLayout(r); !errors.Is(err, ErrLayout) {
			t.Errorf("NewLayout(%d): %v, want ErrLayout", r, err)
		}
	}
}

// TestEveryLayout lays out a trace that makes every host call, alone and
// with 300 more calls, at every step size: the row checker (Build) and the
// step CCS accept every step, the steps chain, the memory argument balances
// and its claims check against the true column evaluations; a perturbed
// cell is refused by the CCS at the constraint the row checker names. The
// rows do not depend on R, which Prove's choice of R relies on. Under
// -short only the long trace is laid out.
func TestEveryLayout(t *testing.T) {
	cases := []struct {
		name string
		in   func() *Input
	}{{"every op", honest}, {"long", longInput}}
	if testing.Short() {
		cases = cases[1:]
	}
	for _, tc := range cases {
		first, err := Build(tc.in(), stepRows[len(stepRows)-1])
		if err != nil {
			t.Fatal(err)
		}
		used := first.Calls + first.Scans
		fitted, err := Build(tc.in(), 0)
		if err != nil {
			t.Fatal(err)
		}
		want := stepRows[len(stepRows)-1]
		for _, r := range stepRows {
			if used <= r-1 {
				want = r
				break
			}
		}
		if fitted.Layout.Rows != want {
			t.Errorf("%s: Build(in, 0) picks %d rows per step for %d rows, want %d", tc.name, fitted.Layout.Rows, used, want)
		}
		for _, rows := range StepRows() {
			t.Run(tc.name+"/R="+strconv.Itoa(rows), func(t *testing.T) {
				wit, err := Build(tc.in(), rows)
				if err != nil {
					t.Fatal(err)
				}
				if wit.Calls != first.Calls || wit.Scans != first.Scans {
					t.Fatalf("%d calls and %d scans, %d and %d at R = %d", wit.Calls, wit.Scans, first.Calls, first.Scans, first.Layout.Rows)
				}
				if want := (used + rows - 2) / (rows - 1); len(wit.Steps) != want {
					t.Fatalf("%d rows in %d steps, want %d", used, len(wit.Steps), want)
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
				if err := chain.Check(); err != nil {
					t.Fatal(err)
				}
				claims, err := argue(t, wit, wit.Public)
				if err != nil {
					t.Fatalf("an honest trace does not balance: %v", err)
				}
				if _, err := check(t, wit, wit.Public, claims); err != nil {
					t.Fatalf("the true column evaluations are rejected: %v", err)
				}
				perturb(t, wit, rand.New(rand.NewPCG(uint64(rows), 3)), 40)
			})
		}
	}
}

// perturb adds a small nonzero amount to tries random cells of wit's
// steps, one at a time, and checks that the CCS refuses at the row
// checker's constraint whenever either refuses, and that most changes are
// refused: spare cells and those past CellsUsed are not constrained.
func perturb(t *testing.T, wit *Witness, rng *rand.Rand, tries int) {
	t.Helper()
	refused := 0
	for range tries {
		s := rng.IntN(len(wit.Steps))
		i := rng.IntN(wit.Layout.Cells())
		z := wit.Steps[s]
		was := z[i]
		k := int64(1 + rng.IntN(3))
		if rng.IntN(2) == 0 {
			k = -k
		}
		var d goldilocks.Element
		d.SetInt64(k)
		z[i].Add(&z[i], &d)
		if sameViolation(t, wit, s) {
			refused++
		}
		z[i] = was
	}
	if refused < tries/2 {
		t.Fatalf("only %d of %d perturbed witnesses refused", refused, tries)
	}
	t.Logf("%d of %d perturbed witnesses refused", refused, tries)
}
