package sched

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// sum is a job that adds its inputs and its own index: the results of a
// graph then say which jobs fed which.
func sum(i int) func(context.Context, []int) (int, error) {
	return func(_ context.Context, in []int) (int, error) {
		s := i
		for _, v := range in {
			s += v
		}
		return s, nil
	}
}

// expected computes what Run must return for a graph of sum jobs, serially.
func expected(deps [][]int) []int {
	memo := make([]int, len(deps))
	done := make([]bool, len(deps))
	var eval func(i int) int
	eval = func(i int) int {
		if !done[i] {
			s := i
			for _, d := range deps[i] {
				s += eval(d)
			}
			memo[i], done[i] = s, true
		}
		return memo[i]
	}
	used := make([]bool, len(deps))
	for _, ds := range deps {
		for _, d := range ds {
			used[d] = true
		}
	}
	out := make([]int, len(deps))
	for i := range deps {
		if !used[i] {
			out[i] = eval(i)
		}
	}
	return out
}

func jobsOf(deps [][]int) []Job[int] {
	jobs := make([]Job[int], len(deps))
	for i, d := range deps {
		jobs[i] = Job[int]{Name: fmt.Sprint("job", i), Deps: d, Run: sum(i)}
	}
	return jobs
}

// randomTree returns a PCD-shaped graph: leaves, then nodes that each fold
// one to three earlier unconsumed results, down to one root.
func randomTree(rng *rand.Rand, leaves int) [][]int {
	var deps [][]int
	var open []int
	for range leaves {
		open = append(open, len(deps))
		deps = append(deps, nil)
	}
	for len(open) > 1 {
		k := min(len(open), 1+rng.IntN(3))
		rng.Shuffle(len(open), func(a, b int) { open[a], open[b] = open[b], open[a] })
		node := len(deps)
		deps = append(deps, append([]int(nil), open[:k]...))
		open = append(open[k:], node)
	}
	return deps
}

func TestGraphs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	chain := func(n int) [][]int {
		deps := make([][]int, n)
		for i := 1; i < n; i++ {
			deps[i] = []int{i - 1}
		}
		return deps
	}
	cases := map[string][][]int{
		"empty":              nil,
		"one":                {nil},
		"chain of 64":        chain(64),
		"diamond":            {nil, {0}, {0}, {1, 2}},
		"same input twice":   {nil, {0, 0}},
		"two sinks":          {nil, {0}, {0}},
		"independent":        {nil, nil, nil, nil, nil},
		"out of index order": {{2}, {0}, nil},
	}
	for n := 1; n <= 40; n += 3 {
		cases[fmt.Sprintf("random tree of %d leaves", n)] = randomTree(rng, n)
	}
	for name, deps := range cases {
		for _, w := range []int{1, 2, 7} {
			got, err := Run(context.Background(), jobsOf(deps), WithWorkers(w))
			if err != nil {
				t.Fatalf("%s, %d workers: %v", name, w, err)
			}
			want := expected(deps)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%s, %d workers: result %d = %d, want %d", name, w, i, got[i], want[i])
				}
			}
		}
	}
}

func TestBadGraphs(t *testing.T) {
	run := func(context.Context, []int) (int, error) { return 0, nil }
	cases := map[string][]Job[int]{
		"dependency out of range": {{Run: run, Deps: []int{1}}},
		"negative dependency":     {{Run: run, Deps: []int{-1}}},
		"self loop":               {{Run: run, Deps: []int{0}}},
		"cycle":                   {{Run: run}, {Run: run, Deps: []int{0, 2}}, {Run: run, Deps: []int{1}}},
		"no Run":                  {{Name: "x"}},
	}
	for name, jobs := range cases {
		ran := false
		for i := range jobs {
			if jobs[i].Run != nil {
				jobs[i].Run = func(context.Context, []int) (int, error) { ran = true; return 0, nil }
			}
		}
		if _, err := Run(context.Background(), jobs); !errors.Is(err, ErrGraph) {
			t.Errorf("%s: %v, want ErrGraph", name, err)
		}
		if ran {
			t.Errorf("%s: a job ran before the graph was rejected", name)
		}
	}
}

// A failing job stops the rest: jobs not yet started never start, running
// ones see their context cancelled, and the error names the job.
func TestFirstErrorStopsTheRest(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int32
	deps := chainOf(200)
	jobs := make([]Job[int], len(deps))
	for i := range jobs {
		jobs[i] = Job[int]{Name: fmt.Sprint("fold", i), Deps: deps[i], Run: func(ctx context.Context, _ []int) (int, error) {
			started.Add(1)
			if i == 10 {
				return 0, boom
			}
			return i, nil
		}}
	}
	_, err := Run(context.Background(), jobs, WithWorkers(4))
	var je *JobError
	if !errors.As(err, &je) || je.Index != 10 || je.Name != "fold10" || !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want job 10's error", err)
	}
	if n := started.Load(); n != 11 {
		t.Fatalf("%d jobs started, want 11 (a chain stops at the failure)", n)
	}

	// Independent jobs: the ones running when one fails are cancelled.
	release := make(chan struct{})
	var cancelled atomic.Int32
	wide := make([]Job[int], 8)
	for i := range wide {
		wide[i] = Job[int]{Name: fmt.Sprint(i), Run: func(ctx context.Context, _ []int) (int, error) {
			if i == 0 {
				<-release
				return 0, boom
			}
			if i < 4 {
				if i == 3 {
					close(release)
				}
				<-ctx.Done()
				cancelled.Add(1)
				return 0, ctx.Err()
			}
			return i, nil
		}}
	}
	if _, err := Run(context.Background(), wide, WithWorkers(4)); !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want boom", err)
	}
	if cancelled.Load() != 3 {
		t.Fatalf("%d running jobs saw the cancellation, want 3", cancelled.Load())
	}
}

func chainOf(n int) [][]int {
	deps := make([][]int, n)
	for i := 1; i < n; i++ {
		deps[i] = []int{i - 1}
	}
	return deps
}

func TestPanicBecomesError(t *testing.T) {
	jobs := []Job[int]{{Name: "ok", Run: sum(0)}, {Name: "bad", Deps: []int{0}, Run: func(context.Context, []int) (int, error) {
		panic("index out of range")
	}}}
	_, err := Run(context.Background(), jobs)
	var je *JobError
	if !errors.As(err, &je) || je.Name != "bad" {
		t.Fatalf("Run = %v, want a JobError for the panicking job", err)
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	jobs := make([]Job[int], 100)
	for i := range jobs {
		jobs[i] = Job[int]{Run: func(ctx context.Context, _ []int) (int, error) {
			if i == 5 {
				cancel()
			}
			time.Sleep(time.Millisecond)
			return i, nil
		}}
		if i > 0 {
			jobs[i].Deps = []int{i - 1}
		}
	}
	if _, err := Run(ctx, jobs, WithWorkers(2)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	// A context cancelled after everything finished does not fail the run.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	res, err := Run(ctx2, []Job[int]{{Run: func(context.Context, []int) (int, error) { cancel2(); return 7, nil }}})
	if err != nil || res[0] != 7 {
		t.Fatalf("Run = %v, %v; want the finished result", res, err)
	}
}

func TestWorkersBound(t *testing.T) {
	var running, peak atomic.Int32
	jobs := make([]Job[int], 64)
	for i := range jobs {
		jobs[i] = Job[int]{Run: func(context.Context, []int) (int, error) {
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(200 * time.Microsecond)
			running.Add(-1)
			return 0, nil
		}}
	}
	var progress atomic.Int32
	if _, err := Run(context.Background(), jobs, WithWorkers(3), WithProgress(func(int) { progress.Add(1) })); err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 3 || p < 1 {
		t.Fatalf("%d jobs ran at once with 3 workers", p)
	}
	if progress.Load() != 64 {
		t.Fatalf("progress called %d times, want 64", progress.Load())
	}
}

// Results feeding other jobs are released once taken: a chain keeps only its
// frontier, and only sinks come back.
func TestResultsReleased(t *testing.T) {
	deps := chainOf(10)
	got, err := Run(context.Background(), jobsOf(deps), WithWorkers(2))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 9 {
		if got[i] != 0 {
			t.Fatalf("intermediate result %d kept: %d", i, got[i])
		}
	}
	if got[9] != 45 {
		t.Fatalf("sink result %d, want 45", got[9])
	}
}
