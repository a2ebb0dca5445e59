package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ssprove/ssprove/fold/interleave"
	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/tx"
	"github.com/ssprove/ssprove/txproof"
)

func newProve() *cobra.Command {
	var (
		dir, out string
		rows     int
	)
	cmd := &cobra.Command{
		Use:   "prove --ledger DIR [--rows R] TX.json -o TX.proof",
		Short: "Execute a transaction, prove it, and commit it to the ledger",
		Long: `prove executes the transaction file TX.json against the ledger on the
interpreter, proves the execution (fold/ARITH.md: the trace laid out in steps,
committed, its memory argument, the steps folded), writes the proof to
TX.proof, and only then commits the transaction. A transaction that fails to
execute or to prove, or whose proof cannot be written, leaves the ledger as it
was and writes no proof file. Standard error shows each phase of the proof as
it runs; standard output what the transaction did and a summary.

The trace is laid out in steps of R rows: by default the smallest R that holds
it in one step, else the largest in several; --rows R fixes R.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("prove needs -o TX.proof")
			}
			var opts []txproof.Option
			if cmd.Flags().Changed("rows") {
				if sizes := interleave.StepRows(); !slices.Contains(sizes, rows) {
					return usagef("--rows %d: want one of %v rows per step", rows, sizes)
				}
				opts = append(opts, txproof.WithRows(rows))
			}
			t, err := readTx(args[0])
			if err != nil {
				return err
			}
			l, err := ledger.Open(dir)
			if err != nil {
				return err
			}
			defer l.Close()
			ctx := cmd.Context()
			x, err := tx.NewExecutor(ctx, tx.Options{Engine: tx.Interp})
			if err != nil {
				return err
			}
			defer x.Close(ctx)
			// Execute, not Apply: the ledger changes only once the proof is
			// written.
			r, err := x.Execute(ctx, l, t)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			phases := newPhaseReport(cmd.ErrOrStderr())
			start := time.Now()
			p, err := txproof.Prove(ctx, r, append(opts, txproof.WithProgress(phases.enter))...)
			elapsed := time.Since(start)
			phases.end(err == nil)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			b, err := p.MarshalBinary()
			if err != nil {
				return err
			}
			if err := writeFileAtomic(out, b); err != nil {
				return err
			}
			if err := l.Apply(ctx, r.Commit); err != nil {
				// A proof file stands for a committed transaction.
				_ = os.Remove(out)
				return fmt.Errorf("%s: proved, but the ledger refused the commit (proof removed): %w", args[0], err)
			}
			n, err := programNames(l)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			printResult(w, n, r, tx.Interp, true)
			fmt.Fprintf(w, "  proved in %s (%s): %d host calls, %d step(s) of %d rows, proof %d bytes written to %s\n",
				elapsed.Round(time.Millisecond), phases, len(r.Trace.Events), p.Statement.Steps, p.Statement.Rows, len(b), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "ledger", "", "ledger directory (required)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write the proof to")
	cmd.Flags().IntVar(&rows, "rows", 0, fmt.Sprintf("rows per step, one of %v (default: the smallest that holds the trace in one step)", interleave.StepRows()))
	_ = cmd.MarkFlagRequired("ledger")
	return cmd
}

func newVerify() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "verify [--ledger DIR] TX.proof",
		Short: "Verify a transaction proof and print what it proves",
		Long: `verify checks TX.proof, written by prove, and prints the statement it proves:
the transaction's hash and coordinator, the inputs it consumed, the outputs it
produced, the tokens' owners, and the host calls per process and per host
function. The statement travels in the proof: verify needs no ledger, and
--ledger DIR only names the programs in what it prints.

Exit status 0 only when the proof verifies; 1 when it is rejected or malformed.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n := names{}
			if dir != "" {
				l, err := ledger.Open(dir, ledger.ReadOnly())
				if err != nil {
					return err
				}
				defer l.Close()
				if n, err = programNames(l); err != nil {
					return err
				}
			}
			data, err := readProofFile(args[0])
			if err != nil {
				return err
			}
			var p txproof.Proof
			if err := p.UnmarshalBinary(data); err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			start := time.Now()
			s, err := txproof.Verify(cmd.Context(), &p)
			elapsed := time.Since(start)
			if err != nil {
				return fmt.Errorf("%s: rejected: %w", args[0], err)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s: valid, verified in %s (%d step(s) of %d rows, proof %d bytes)\n",
				args[0], elapsed.Round(time.Millisecond), s.Steps, s.Rows, len(data))
			printStatement(w, n, s)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "ledger", "", "ledger directory, to name programs")
	return cmd
}

// printStatement prints what a verified proof vouches for.
func printStatement(w io.Writer, n names, s *txproof.Statement) {
	fmt.Fprintf(w, "tx %x\n  coordinator %s, pid %d, fuel %d\n", s.Hash, n.of(s.Tx.Coordinator), s.Tx.NextID, s.Tx.Fuel)
	// pidOf names a process by its pid: the statement names them by index.
	pidOf := func(i uint32) string {
		if i == 0 || int(i) > len(s.Procs) {
			return "none"
		}
		return fmt.Sprint(s.Procs[i-1].PID)
	}
	inputs := 0
	for _, p := range s.Procs {
		var what string
		switch p.Role {
		case txproof.RoleRoot:
			continue
		case txproof.RoleInput:
			what = fmt.Sprintf("consumed v%d, %s", s.Tx.Inputs[inputs].Version, p.StatusAfter)
			inputs++
		case txproof.RoleCreated:
			what = "produced, " + p.StatusAfter.String()
		case txproof.RoleExternal:
			fmt.Fprintf(w, "  %-7s %-4d owns %d token(s) before, not an input\n", "owner", p.PID, p.OwnsBefore)
			continue
		}
		switch {
		case p.Kind == txproof.KindToken && p.StatusAfter == txproof.StatusBurned:
			what += fmt.Sprintf(" (amount %d)", p.Amount)
		case p.Kind == txproof.KindToken && (p.Role == txproof.RoleCreated || p.OwnerBefore == p.OwnerAfter):
			what += fmt.Sprintf(" (amount %d, owner %s)", p.Amount, pidOf(p.OwnerAfter))
		case p.Kind == txproof.KindToken:
			what += fmt.Sprintf(" (amount %d, owner %s → %s)", p.Amount, pidOf(p.OwnerBefore), pidOf(p.OwnerAfter))
		case p.Kind == txproof.KindUTXO && p.Role == txproof.RoleInput:
			what += fmt.Sprintf(" (owned %d token(s) before)", p.OwnsBefore)
		}
		fmt.Fprintf(w, "  %-7s %-4d %-14s %s, %d host calls\n", kindName(p.Kind), p.PID, n.of(p.Program), what, p.HostCalls)
	}
	for _, side := range []struct {
		name string
		as   []tx.Amount
	}{{"minted", s.Tx.Mint}, {"burned", s.Tx.Burn}} {
		for _, a := range side.as {
			fmt.Fprintf(w, "  %s %d of %s\n", side.name, a.Amount, n.of(a.Program))
		}
	}
	fns := tx.HostFunctions()
	var parts []string
	total := uint32(0)
	for i, k := range s.Kinds {
		if k > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", fns[i], k))
			total += k
		}
	}
	fmt.Fprintf(w, "  %d host calls (%s)\n", total, strings.Join(parts, ", "))
}

// kindName is the short name printResult uses for a process's kind.
func kindName(k txproof.Kind) string {
	switch k {
	case txproof.KindCoord:
		return program.Coord.String()
	case txproof.KindUTXO:
		return program.UTXO.String()
	case txproof.KindToken:
		return program.Token.String()
	}
	return k.String()
}

// writeFileAtomic writes data to name through a temporary file in the same
// directory, so that a failed write leaves no partial proof behind.
func writeFileAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing the proof: %w", err)
	}
	return nil
}

// phaseReport reports txproof.Prove's phases on w as they pass: on a
// terminal a spinner per phase, replaced by its time when it ends;
// elsewhere (a log, a pipe) one line per phase once it ends. It keeps the
// times for the summary.
type phaseReport struct {
	w        io.Writer
	terminal bool
	bar      *progressbar.ProgressBar
	phase    txproof.Phase
	start    time.Time
	times    []phaseTime
}

type phaseTime struct {
	phase txproof.Phase
	d     time.Duration
}

func newPhaseReport(w io.Writer) *phaseReport {
	f, ok := w.(*os.File)
	return &phaseReport{w: w, terminal: ok && term.IsTerminal(int(f.Fd()))}
}

// enter ends the current phase, if any, and starts phase.
func (r *phaseReport) enter(phase txproof.Phase) {
	r.finish(true)
	r.phase, r.start = phase, time.Now()
	if r.terminal {
		r.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(r.w),
			progressbar.OptionSetDescription("proving: "+string(phase)),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetRenderBlankState(true),
			progressbar.OptionClearOnFinish(),
		)
	}
}

// end ends the last phase; ok is false when Prove failed in it, whose
// time then goes unreported so that the error stands alone.
func (r *phaseReport) end(ok bool) { r.finish(ok) }

func (r *phaseReport) finish(report bool) {
	if r.phase == "" {
		return
	}
	d := time.Since(r.start)
	if r.bar != nil {
		_ = r.bar.Finish()
		_ = r.bar.Exit()
		r.bar = nil
	}
	if report {
		r.times = append(r.times, phaseTime{r.phase, d})
		fmt.Fprintf(r.w, "proving: %-16s %s\n", r.phase, d.Round(time.Millisecond))
	}
	r.phase = ""
}

// String lists the phases' times, as the summary line shows them.
func (r *phaseReport) String() string {
	parts := make([]string, len(r.times))
	for i, t := range r.times {
		parts[i] = fmt.Sprintf("%s %s", t.phase, t.d.Round(time.Millisecond))
	}
	return strings.Join(parts, ", ")
}
