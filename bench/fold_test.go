package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

// TestFoldReport checks Fold's rows at a tiny size: the three operations,
// each with the portable backend as its reference and one row per backend,
// positive times, the shares of every prove row adding up to 100%, and the
// proof size.
func TestFoldReport(t *testing.T) {
	const logSize = 6
	res, err := Fold(context.Background(), Config{LogSize: logSize, Rounds: 1, MinTime: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	backends := len(availableBackends())
	percent := regexp.MustCompile(`(\d+)%`)
	rows := map[string]int{}
	for _, r := range res {
		if r.Time <= 0 || r.Ratio <= 0 || r.Elements != 1<<logSize-4 {
			t.Errorf("%+v has no measurement", r)
		}
		if r.Ref != (r.Impl == "go (portable)") || r.Ref && r.Ratio != 1 {
			t.Errorf("%+v: only the portable backend is the reference, at ratio 1", r)
		}
		switch {
		case strings.HasPrefix(r.Op, "prove fold, R1CS 2^6 ("):
			rows["prove"]++
			sum := 0
			for _, m := range percent.FindAllStringSubmatch(r.Op, -1) {
				v, _ := strconv.Atoi(m[1])
				sum += v
			}
			if n := len(percent.FindAllString(r.Op, -1)); n != 4 || sum < 98 || sum > 102 {
				t.Errorf("%q: %d shares adding up to %d%%, want 4 adding up to 100%%", r.Op, n, sum)
			}
		case strings.HasPrefix(r.Op, "verify fold, R1CS 2^6, "):
			rows["verify"]++
			var bytes int
			if _, err := fmt.Sscanf(r.Op, "verify fold, R1CS 2^6, %d proof bytes per fold", &bytes); err != nil || bytes <= 0 {
				t.Errorf("%q: no proof size (%v)", r.Op, err)
			}
		case r.Op == "decide the final accumulator, R1CS 2^6":
			rows["decide"]++
		default:
			t.Errorf("unexpected operation %q", r.Op)
		}
	}
	for _, op := range []string{"prove", "verify", "decide"} {
		if rows[op] != backends {
			t.Errorf("%s: %d rows, want one per backend (%d)", op, rows[op], backends)
		}
	}
}

func TestFoldRejectsSize(t *testing.T) {
	for _, logSize := range []int{-1, 0, 2, MaxFoldLogSize + 1, MaxLogSize} {
		if _, err := Fold(context.Background(), Config{LogSize: logSize}); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("log size %d: %v, want out of range", logSize, err)
		}
	}
}

// TestFoldChainEmbeds checks foldChain's promise: the chain is satisfied
// (foldChain checks it) and every step, up to the longest chain it makes,
// embeds in base 2, so that the Goldilocks preset can fold it.
func TestFoldChainEmbeds(t *testing.T) {
	for _, logSize := range []int{MinFoldLogSize, 8} {
		chain, err := foldChain(rand.New(rand.NewPCG(uint64(logSize), 1)), logSize, 7)
		if err != nil {
			t.Fatal(err)
		}
		if got := chain.Steps[0].CCS.NumVariables(); got != 1<<logSize {
			t.Errorf("2^%d: %d columns", logSize, got)
		}
		for i, st := range chain.Steps {
			if _, err := decomp.Embed(st.Z, ajtai.Goldilocks(1).Base, ring.D); err != nil {
				t.Errorf("2^%d: step %d does not embed in base 2: %v", logSize, i, err)
			}
		}
	}
	if _, err := foldChain(rand.New(rand.NewPCG(1, 1)), 8, 8); err == nil {
		t.Error("foldChain accepted 8 steps, whose values may not embed in base 2")
	}
}
