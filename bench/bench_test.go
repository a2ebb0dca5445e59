package bench

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ssprove/ssprove/accel"
)

func TestConfigRejects(t *testing.T) {
	for _, c := range []Config{
		{LogSize: -1},
		{LogSize: MaxLogSize + 1},
		{LogSize: 4, Backends: []accel.Backend{accel.Auto}},
		{LogSize: 4, Backends: []accel.Backend{accel.CUDA}},
	} {
		if _, err := NTT(context.Background(), c); err == nil {
			t.Errorf("NTT(%+v) accepted a bad config", c)
		}
	}
}

func TestReportsEveryBackendAgainstReference(t *testing.T) {
	quick := Config{LogSize: 7, Rounds: 1, MinTime: time.Millisecond}
	for _, tt := range []struct {
		name string
		run  func(context.Context, Config) ([]Result, error)
		// portableRef: the reference row is the portable backend, which
		// then has no row of its own
		portableRef bool
		// offloaded reports whether the offloading backends (ICICLE) time
		// the operation too
		offloaded func(op string) bool
	}{
		{"ntt", NTT, false, func(string) bool { return true }},
		{"field", Field, false, func(op string) bool { return !strings.HasPrefix(op, "MulAdd") }},
		{"sumcheck", SumCheck, false, func(string) bool { return false }},
		{"lookup", Lookup, true, func(string) bool { return false }},
	} {
		name := tt.name
		res, err := tt.run(context.Background(), quick)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		refs, impls := map[string]bool{}, map[string]int{}
		for _, r := range res {
			if r.Time <= 0 || r.Elements <= 0 {
				t.Errorf("%s: %+v has no measurement", name, r)
			}
			if r.Ref {
				refs[r.Op] = true
				if r.Ratio != 1 {
					t.Errorf("%s: reference row %+v has ratio %v, want 1", name, r, r.Ratio)
				}
				continue
			}
			impls[r.Op]++
			if r.Ratio <= 0 {
				t.Errorf("%s: %+v has no ratio", name, r)
			}
		}
		for op, n := range impls {
			if !refs[op] {
				t.Errorf("%s: operation %q has no reference row", name, op)
			}
			want := len(availableBackends())
			if tt.offloaded(op) {
				want = len(offloadBackends())
			}
			if tt.portableRef {
				want--
			}
			if n != want {
				t.Errorf("%s: operation %q timed %d backends, want %d", name, op, n, want)
			}
		}
		var md strings.Builder
		if err := WriteTable(&md, name, res, true); err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(md.String(), "\n| "); got != len(res)+2 { // header, separator, rows
			t.Errorf("%s: markdown has %d rows, want %d:\n%s", name, got, len(res)+2, md.String())
		}
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Field(ctx, Config{LogSize: 4}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run returned %v", err)
	}
}

func availableBackends() []accel.Backend {
	c, _ := Config{}.withDefaults()
	return c.Backends
}

func offloadBackends() []accel.Backend {
	c, _ := Config{}.withOffload()
	return c.Backends
}

// TestCommitReport checks the commitment report: every operation has its
// reference row, every other row a ratio, and both groups cover every backend.
func TestCommitReport(t *testing.T) {
	res, err := Commit(context.Background(), Config{LogSize: 7, Rounds: 1, MinTime: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	refs, rows := map[string]int{}, map[string]int{}
	for _, r := range res {
		if r.Time <= 0 || r.Elements != 1<<7 || r.Ratio <= 0 {
			t.Errorf("%+v has no measurement", r)
		}
		rows[r.Op]++
		if r.Ref {
			refs[r.Op]++
		}
	}
	backends := len(availableBackends())
	if want := 2 + backends; len(rows) != want {
		t.Errorf("%d operations, want %d (field elements, bits, one per backend for embedded values)", len(rows), want)
	}
	for op, n := range rows {
		if refs[op] != 1 {
			t.Errorf("operation %q has %d reference rows", op, refs[op])
		}
		if strings.Contains(op, "one column each") && n != 2 || !strings.Contains(op, "one column each") && n != backends+1 {
			t.Errorf("operation %q has %d rows", op, n)
		}
	}
}
