package ajtai

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/lattice/challenge"
	"github.com/ssprove/ssprove/lattice/ring"
)

// presets lists every preset with the figures its doc comment quotes:
// fold/NEO.md §3.3 and package msis at κ = 16, d = 54, T = 216.
var presets = []struct {
	name      string
	params    func(m int) Params
	base      uint64
	k         int
	bound     uint64
	merges    bool // the guard holds for 2k+1 claims
	most      int  // the most claims the guard allows
	block     int
	classical float64
	quantum   float64
}{
	{"Goldilocks", Goldilocks, 2, 12, 4096, false, 18, 730, 213.2, 193.5},
	{"GoldilocksMerge", GoldilocksMerge, 2, 13, 8192, true, 37, 666, 194.5, 176.5},
	{"GoldilocksTernary", GoldilocksTernary, 3, 8, 6561, false, 15, 686, 200.3, 181.8},
	{"GoldilocksTernaryMerge", GoldilocksTernaryMerge, 3, 9, 19683, true, 45, 596, 174.0, 157.9},
}

func TestPresets(t *testing.T) {
	for _, c := range presets {
		p := c.params(1 << 16)
		if p.Base != c.base || p.K != c.k || p.Bound != c.bound || p.Kappa != 16 || p.D != ring.D || p.T != challenge.T || p.M != 1<<16 {
			t.Errorf("%s: %+v", c.name, p)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestPresetSecurity pins the Security figures the presets' doc comments
// quote, at the narrowest m they are quoted for and at realistic sizes, and
// checks that narrower matrices only estimate higher.
func TestPresetSecurity(t *testing.T) {
	for _, c := range presets {
		for _, m := range []int{71, 1 << 10, 1 << 16, 1 << 20} {
			est, err := c.params(m).Security()
			if err != nil {
				t.Fatalf("%s, m = %d: %v", c.name, m, err)
			}
			if est.Block != c.block || math.Abs(est.Classical-c.classical) > 0.05 || math.Abs(est.Quantum-c.quantum) > 0.05 {
				t.Errorf("%s, m = %d: BKZ block %d, %.2f/%.2f bits, the doc says %d, %.1f/%.1f",
					c.name, m, est.Block, est.Classical, est.Quantum, c.block, c.classical, c.quantum)
			}
		}
		wide, err := c.params(71).Security()
		if err != nil {
			t.Fatal(err)
		}
		for m := 1; m < 71; m++ {
			est, err := c.params(m).Security()
			if err == nil && est.Classical < wide.Classical {
				t.Errorf("%s, m = %d: %.2f bits, below the %.2f of m = 71", c.name, m, est.Classical, wide.Classical)
			}
		}
	}
}

func TestGuard(t *testing.T) {
	for _, c := range presets {
		p := c.params(64)
		ivc, merge := c.k+1, 2*c.k+1
		if err := p.Guard(ivc); err != nil {
			t.Errorf("%s: a chain step of %d claims: %v", c.name, ivc, err)
		}
		if err := p.Guard(merge); (err == nil) != c.merges {
			t.Errorf("%s: a merge of %d claims: %v, want the guard to hold: %v", c.name, merge, err, c.merges)
		}
		if err := p.Guard(c.most); err != nil {
			t.Errorf("%s: %d claims: %v", c.name, c.most, err)
		}
		err := p.Guard(c.most + 1)
		if !errors.Is(err, ErrGuard) {
			t.Fatalf("%s: %d claims: %v, want ErrGuard", c.name, c.most+1, err)
		}
		// The error names the claims, the bound they reach, B and the limit.
		reach := uint64(c.most+1) * challenge.T * (c.base - 1)
		for _, want := range []string{fmt.Sprint(c.most + 1), fmt.Sprint(reach), fmt.Sprint(c.bound), fmt.Sprintf("at most %d", c.most)} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not name %s", c.name, err, want)
			}
		}
	}
}

// TestGuardNEO checks the cases fold/NEO.md §3.2–3.3 reasons with.
func TestGuardNEO(t *testing.T) {
	for _, c := range []struct {
		p      Params
		claims int
		ok     bool
	}{
		{Goldilocks(8), 1, true},
		{Goldilocks(8), 13, true},  // 2808 < 4096
		{Goldilocks(8), 18, true},  // 3888 < 4096
		{Goldilocks(8), 19, false}, // 4104 ≥ 4096
		{Goldilocks(8), 25, false}, // 5400 ≥ 4096
		{GoldilocksMerge(8), 27, true},
		{GoldilocksTernary(8), 9, true},
		{GoldilocksTernary(8), 17, false}, // 7344 ≥ 6561
		{GoldilocksTernaryMerge(8), 19, true},
		{Goldilocks(8), math.MaxInt, false},
		{Goldilocks(8), 0, false},
		{Goldilocks(8), -1, false},
	} {
		err := c.p.Guard(c.claims)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrGuard)) {
			t.Errorf("b = %d, k = %d, %d claims: %v", c.p.Base, c.p.K, c.claims, err)
		}
	}
	if err := Goldilocks(8).Guard(25); err == nil || !strings.Contains(err.Error(), "5400 ≥ B = 4096") {
		t.Errorf("25 claims: %v", err)
	}
}

func TestGuardBadParams(t *testing.T) {
	for _, c := range []struct {
		p    Params
		want error
	}{
		{Params{Kappa: 16, D: ring.D, M: 4, Base: 2, K: 12, Bound: 4095, T: 216}, ErrParams},
		{Params{Kappa: 16, D: ring.D, M: 4, Base: 2, K: 12, Bound: 4096, T: 0}, ErrParams},
		// Valid, but one claim already reaches B: T·(b−1) ≥ B.
		{Params{Kappa: 16, D: ring.D, M: 4, Base: 2, K: 7, Bound: 128, T: 216}, ErrGuard},
		{Params{Kappa: 16, D: ring.D, M: 4, Base: 2, K: 63, Bound: 1 << 63, T: math.MaxUint64}, ErrGuard},
	} {
		if err := c.p.Guard(1); !errors.Is(err, c.want) {
			t.Errorf("%+v: %v, want %v", c.p, err, c.want)
		}
	}
	// A huge bound allows more claims than an int holds.
	p := Params{Kappa: 16, D: ring.D, M: 4, Base: 2, K: 63, Bound: 1 << 63, T: 1}
	if err := p.Guard(math.MaxInt); err != nil {
		t.Errorf("%+v: %v", p, err)
	}
}
