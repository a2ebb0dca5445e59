package spectest

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Report is what running a directory of command files gave, one FileResult per
// file in name order.
type Report struct {
	Files []*FileResult
}

// RunDir runs every *.json command file in dir, in name order. A file that cannot
// be read or parsed counts as one failed command, so that it cannot pass silently
// and does not hide the other files. The error is for a missing directory, a
// Config without a Loader, or ctx ending; in the last case the report holds the
// files run so far.
func RunDir(ctx context.Context, dir string, cfg Config) (*Report, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("spectest: %w", err)
	}
	rep := &Report{}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		path := filepath.Join(dir, e.Name())
		res, err := runFile(ctx, path, &cfg)
		if ctx.Err() != nil {
			return rep, fmt.Errorf("spectest: run %s: %w", dir, ctx.Err())
		}
		if err != nil {
			res = &FileResult{Path: path, Name: e.Name(), Results: []Result{{Command: "file", Outcome: failed("%v", err)}}}
		}
		rep.Files = append(rep.Files, res)
	}
	return rep, nil
}

// Counts counts all commands by status.
func (r *Report) Counts() Counts {
	var c Counts
	for _, f := range r.Files {
		fc := f.Counts()
		c.Passed += fc.Passed
		c.Failed += fc.Failed
		c.Skipped += fc.Skipped
	}
	return c
}

// SkipReasons counts all skipped commands by reason.
func (r *Report) SkipReasons() map[string]int {
	m := make(map[string]int)
	for _, f := range r.Files {
		for reason, n := range f.SkipReasons() {
			m[reason] += n
		}
	}
	return m
}

// WriteText writes the report for people and CI: per file a line
// "NAME: P passed, F failed, S skipped", its skip reasons and failures, then the
// skip reasons over all files, and last the total line "N passed, N failed, N
// skipped", which CI tools parse and which must stay in this exact form.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Files {
		fmt.Fprintf(bw, "%s: %v\n", f.Name, f.Counts())
		for _, rc := range sortedReasons(f.SkipReasons()) {
			fmt.Fprintf(bw, "  skipped %d: %s\n", rc.n, oneLine(rc.reason))
		}
		for _, res := range f.Results {
			if res.Status == Fail {
				fmt.Fprintf(bw, "  FAIL %s:%d: %s: %s\n", f.Name, res.Line, res.Command, oneLine(res.Reason))
			}
		}
	}
	if reasons := sortedReasons(r.SkipReasons()); len(reasons) > 0 {
		fmt.Fprintln(bw, "skipped by reason:")
		for _, rc := range reasons {
			fmt.Fprintf(bw, "  %6d  %s\n", rc.n, oneLine(rc.reason))
		}
	}
	fmt.Fprintln(bw, r.Counts())
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("spectest: write report: %w", err)
	}
	return nil
}

type reasonCount struct {
	reason string
	n      int
}

// sortedReasons orders reasons by count, largest first, so the main causes of
// skipping lead.
func sortedReasons(m map[string]int) []reasonCount {
	out := make([]reasonCount, 0, len(m))
	for reason, n := range m {
		out = append(out, reasonCount{reason, n})
	}
	slices.SortFunc(out, func(a, b reasonCount) int {
		return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.reason, b.reason))
	})
	return out
}

// oneLine keeps a multi-line engine error or feature name from breaking the line-oriented report.
func oneLine(s string) string {
	return strings.ReplaceAll(s, "\n", `\n`)
}
