package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ssprove/ssprove/accel"
)

// Config says what to measure and how long to spend on it.
type Config struct {
	LogSize  int             // log2 of the vector or transform size
	Backends []accel.Backend // backends to time; empty means every available one
	Rounds   int             // rounds per implementation; the median is reported (default 5)
	MinTime  time.Duration   // least time one round runs (default 50ms)
}

// Result is one implementation's figure for one operation.
type Result struct {
	Impl     string        // backend name, or the reference library
	Op       string        // what was run
	Elements int           // field elements processed by one run
	Time     time.Duration // median time of one run
	// Ratio is the reference's time over this time for the same operation:
	// above 1 means faster than the reference.
	Ratio float64
	Ref   bool // this row is the reference the ratios are taken against
}

// PerSecond returns elements processed per second.
func (r Result) PerSecond() float64 {
	return float64(r.Elements) / r.Time.Seconds()
}

// MaxLogSize bounds LogSize: 2^28 elements are 2 GiB per vector.
const MaxLogSize = 28

// withDefaults fills in what c leaves out. Left to it, the backends are
// every available one that runs the family's kernels itself: an offloading
// backend (ICICLE) runs the kernels it lacks on a CPU backend, which a row
// of its own would only repeat under another name, so families that it
// offloads (ntt, field) add it with withOffload.
func (c Config) withDefaults() (Config, error) {
	if c.LogSize < 0 || c.LogSize > MaxLogSize {
		return c, fmt.Errorf("bench: log size %d out of range 0…%d", c.LogSize, MaxLogSize)
	}
	if c.Rounds <= 0 {
		c.Rounds = 5
	}
	if c.MinTime <= 0 {
		c.MinTime = 50 * time.Millisecond
	}
	if len(c.Backends) == 0 {
		for _, b := range accel.All() {
			if accel.Host(b) == b && accel.Available(b) == nil {
				c.Backends = append(c.Backends, b)
			}
		}
	}
	for _, b := range c.Backends {
		if b == accel.Auto {
			return c, errors.New("bench: name concrete backends, not auto")
		}
		if err := accel.Available(b); err != nil {
			return c, err
		}
	}
	return c, nil
}

// withOffload is withDefaults for a family whose kernels the offloading
// backends run themselves: when c names no backends, those available are
// timed too.
func (c Config) withOffload() (Config, error) {
	named := len(c.Backends) > 0
	c, err := c.withDefaults()
	if err != nil || named {
		return c, err
	}
	for _, b := range accel.All() {
		if accel.Host(b) != b && accel.Available(b) == nil {
			c.Backends = append(c.Backends, b)
		}
	}
	return c, nil
}

// candidate is one implementation of one operation. run is called many times
// and must leave its input usable for the next call (in-place transforms of
// random data stay random data).
type candidate struct {
	impl     string
	op       string
	ref      bool
	elements int
	backend  accel.Backend // selected while run executes; 0 for references
	run      func() error
}

// measure times every candidate in interleaved rounds and fills in ratios
// against the reference row of the same operation.
func measure(ctx context.Context, c Config, cands []candidate) ([]Result, error) {
	prev, prevErr := accel.Selected()
	defer func() {
		if prevErr == nil {
			_, _ = accel.Use(prev)
		}
	}()
	use := func(k candidate) error {
		if k.backend == 0 {
			return nil
		}
		_, err := accel.Use(k.backend)
		return err
	}

	iters := make([]int, len(cands))
	for i, k := range cands {
		if err := use(k); err != nil {
			return nil, err
		}
		n, err := calibrate(ctx, k.run, c.MinTime)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", k.impl, k.op, err)
		}
		iters[i] = n
	}
	samples := make([][]time.Duration, len(cands))
	for range c.Rounds {
		for i, k := range cands {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if err := use(k); err != nil {
				return nil, err
			}
			start := time.Now()
			for range iters[i] {
				if err := k.run(); err != nil {
					return nil, fmt.Errorf("%s %s: %w", k.impl, k.op, err)
				}
			}
			samples[i] = append(samples[i], time.Since(start)/time.Duration(iters[i]))
		}
	}

	res := make([]Result, len(cands))
	refTime := map[string]time.Duration{}
	for i, k := range cands {
		slices.Sort(samples[i])
		res[i] = Result{Impl: k.impl, Op: k.op, Elements: k.elements, Time: samples[i][len(samples[i])/2], Ref: k.ref}
		if k.ref {
			refTime[k.op] = res[i].Time
		}
	}
	for i := range res {
		if t, ok := refTime[res[i].Op]; ok {
			res[i].Ratio = float64(t) / float64(res[i].Time)
		}
	}
	return res, nil
}

// calibrate returns how many runs take at least min, doubling from one.
func calibrate(ctx context.Context, run func() error, min time.Duration) (int, error) {
	for n := 1; ; n *= 2 {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		start := time.Now()
		for range n {
			if err := run(); err != nil {
				return 0, err
			}
		}
		if el := time.Since(start); el >= min || n >= 1<<20 {
			return n, nil
		}
	}
}

// WriteTable renders results as an aligned text table, or as a Markdown table
// when markdown is set (the form RESULTS.md and the README keep).
func WriteTable(w io.Writer, title string, rs []Result, markdown bool) error {
	head := []string{"operation", "implementation", "time", "elements/s", "vs reference"}
	rows := make([][]string, 0, len(rs))
	for _, r := range rs {
		ratio := "—"
		if r.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f×", r.Ratio)
		}
		if r.Ref {
			ratio = "reference"
		}
		rows = append(rows, []string{r.Op, r.Impl, formatDuration(r.Time), formatRate(r.PerSecond()), ratio})
	}
	if markdown {
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n\n| %s |\n|%s\n", title, strings.Join(head, " | "), strings.Repeat(" --- |", len(head)))
		for _, row := range rows {
			fmt.Fprintf(&b, "| %s |\n", strings.Join(row, " | "))
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, title)
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

// Environment describes the machine for the heading of a report.
func Environment() string {
	f := accel.Detect()
	return fmt.Sprintf("%s, %s, GOMAXPROCS=%d", f.CPU, f.Arch, runtime.GOMAXPROCS(0))
}

func formatDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2f µs", float64(d)/float64(time.Microsecond))
	}
}

func formatRate(r float64) string {
	switch {
	case r >= 1e9:
		return fmt.Sprintf("%.2f G", r/1e9)
	case r >= 1e6:
		return fmt.Sprintf("%.1f M", r/1e6)
	default:
		return fmt.Sprintf("%.0f", r)
	}
}
