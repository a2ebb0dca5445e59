package sched

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// ErrGraph is wrapped by the error Run returns for a malformed graph: a
// dependency out of range, or a cycle.
var ErrGraph = errors.New("sched: malformed job graph")

// Job is one node of the graph. Run receives the results of Deps in order,
// and runs under a context cancelled when any other job fails.
type Job[T any] struct {
	Name string
	Deps []int
	Run  func(ctx context.Context, in []T) (T, error)
}

// JobError is the error of the first job that failed (or panicked).
type JobError struct {
	Index int
	Name  string
	Err   error
}

func (e *JobError) Error() string {
	return fmt.Sprintf("sched: job %d (%s): %v", e.Index, e.Name, e.Err)
}

func (e *JobError) Unwrap() error { return e.Err }

// Option configures Run.
type Option func(*config)

type config struct {
	workers int
	done    func(index int)
}

// WithWorkers sets how many jobs run at once (at least 1; default GOMAXPROCS).
func WithWorkers(n int) Option { return func(c *config) { c.workers = max(1, n) } }

// WithProgress calls done, from the goroutine that ran it, after each job
// finishes without error: a progress bar's hook. It must be safe for
// concurrent use.
func WithProgress(done func(index int)) Option { return func(c *config) { c.done = done } }

// Run runs jobs and returns, at the index of every job no other job depends
// on, its result; the other entries are zero, released once the jobs that
// took them started. It fails with an error wrapping ErrGraph, before running
// anything, when a dependency is out of range or the graph has a cycle; with
// a *JobError when a job fails; with ctx's error when ctx is cancelled first.
func Run[T any](ctx context.Context, jobs []Job[T], opts ...Option) ([]T, error) {
	cfg := config{workers: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		o(&cfg)
	}
	dependents, err := check(jobs)
	if err != nil {
		return nil, err
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	results := make([]T, len(jobs))
	pending := make([]int, len(jobs)) // unfinished dependencies
	uses := make([]int, len(jobs))    // dependents that have not yet taken the result
	ready := make(chan int, len(jobs))
	for i, j := range jobs {
		pending[i] = len(j.Deps)
		uses[i] = len(dependents[i])
		if pending[i] == 0 {
			ready <- i
		}
	}

	var (
		mu       sync.Mutex
		finished int
		first    error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
			cancel(err)
		}
		mu.Unlock()
	}
	// take hands job i its inputs, releasing each result its last dependent takes.
	take := func(i int) []T {
		mu.Lock()
		defer mu.Unlock()
		in := make([]T, len(jobs[i].Deps))
		for k, d := range jobs[i].Deps {
			in[k] = results[d]
			if uses[d]--; uses[d] == 0 {
				var zero T
				results[d] = zero
			}
		}
		return in
	}
	complete := func(i int, out T) {
		mu.Lock()
		defer mu.Unlock()
		results[i] = out
		finished++
		for _, d := range dependents[i] {
			if pending[d]--; pending[d] == 0 {
				ready <- d
			}
		}
		if finished == len(jobs) {
			close(ready)
		}
	}
	if len(jobs) == 0 {
		return results, nil
	}

	for range min(cfg.workers, len(jobs)) {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case i, ok := <-ready:
					if !ok {
						return
					}
					out, err := runOne(ctx, i, &jobs[i], take(i))
					if err != nil {
						fail(err)
						return
					}
					if cfg.done != nil {
						cfg.done(i)
					}
					complete(i, out)
				}
			}
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if finished < len(jobs) {
		return nil, context.Cause(ctx)
	}
	return results, nil
}

// runOne runs job i, turning an error or a panic into a *JobError.
func runOne[T any](ctx context.Context, i int, j *Job[T], in []T) (out T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &JobError{Index: i, Name: j.Name, Err: fmt.Errorf("panic: %v", p)}
		}
	}()
	out, err = j.Run(ctx, in)
	if err != nil {
		return out, &JobError{Index: i, Name: j.Name, Err: err}
	}
	return out, nil
}

// check returns, for each job, the jobs that depend on it, or an error
// wrapping ErrGraph for a dependency out of range or a cycle.
func check[T any](jobs []Job[T]) ([][]int, error) {
	dependents := make([][]int, len(jobs))
	indegree := make([]int, len(jobs))
	for i, j := range jobs {
		if j.Run == nil {
			return nil, fmt.Errorf("%w: job %d (%s) has no Run", ErrGraph, i, j.Name)
		}
		for _, d := range j.Deps {
			if d < 0 || d >= len(jobs) {
				return nil, fmt.Errorf("%w: job %d (%s) depends on job %d, want 0…%d", ErrGraph, i, j.Name, d, len(jobs)-1)
			}
			dependents[d] = append(dependents[d], i)
		}
		indegree[i] = len(j.Deps)
	}
	// Kahn's algorithm: every job is reached exactly when there is no cycle.
	queue := make([]int, 0, len(jobs))
	for i := range jobs {
		if indegree[i] == 0 {
			queue = append(queue, i)
		}
	}
	for k := 0; k < len(queue); k++ {
		for _, d := range dependents[queue[k]] {
			if indegree[d]--; indegree[d] == 0 {
				queue = append(queue, d)
			}
		}
	}
	if len(queue) != len(jobs) {
		for i := range jobs {
			if indegree[i] > 0 {
				return nil, fmt.Errorf("%w: job %d (%s) is on a cycle or depends on one", ErrGraph, i, jobs[i].Name)
			}
		}
	}
	return dependents, nil
}
