package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/program"
	"github.com/ssprove/ssprove/runtime/tx"
	"github.com/ssprove/ssprove/runtime/wasm"
)

func newLedger() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ledger",
		Short: "Create and inspect a Starstream ledger",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "init DIR",
		Short: "Create an empty ledger in DIR",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := ledger.Init(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "ledger created in %s\n", args[0])
			return nil
		},
	}, &cobra.Command{
		Use:   "show DIR [ID]",
		Short: "Print a ledger's programs and UTXOs, or one UTXO in full",
		Args:  rangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := ledger.Open(args[0], ledger.ReadOnly())
			if err != nil {
				return err
			}
			defer l.Close()
			if len(args) == 2 {
				id, err := strconv.ParseUint(args[1], 10, 64)
				if err != nil {
					return usagef("UTXO id %q is not a number", args[1])
				}
				return showUTXO(cmd.Context(), cmd.OutOrStdout(), l, id)
			}
			return showLedger(cmd.Context(), cmd.OutOrStdout(), l)
		},
	})
	return cmd
}

// names maps program hashes to deployed names, for printing.
type names map[program.Hash]string

func programNames(l *ledger.Ledger) (names, error) {
	ps, err := l.Programs()
	if err != nil {
		return nil, err
	}
	n := make(names, len(ps))
	for _, p := range ps {
		n[p.Hash] = p.Name
	}
	return n, nil
}

func (n names) of(h program.Hash) string {
	if s := n[h]; s != "" {
		return s
	}
	return h.Short()
}

func showLedger(ctx context.Context, w io.Writer, l *ledger.Ledger) error {
	st, err := l.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ledger %s: %d programs, %d UTXOs, %d tokens, %d burned, %d transactions, next id %d\n",
		l.Path(), st.Programs, st.UTXOs, st.Tokens, st.Spent, st.Txs, st.NextID)
	ps, err := l.Programs()
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		fmt.Fprintln(w, "\nprograms")
		for _, p := range ps {
			fmt.Fprintf(w, "  %-16s %s  %6d bytes\n", p.Name, p.Hash, p.Size)
		}
	}
	us, err := l.UTXOs(ctx)
	if err != nil {
		return err
	}
	n, err := programNames(l)
	if err != nil {
		return err
	}
	if len(us) > 0 {
		fmt.Fprintln(w, "\nUTXOs")
		for _, u := range us {
			fmt.Fprintf(w, "  %s\n", describeUTXO(n, u))
		}
	}
	return nil
}

func describeUTXO(n names, u *ledger.UTXO) string {
	s := fmt.Sprintf("%-5d %-5s %-14s v%-3d state %s", u.ID, u.Kind, n.of(u.Program), u.Version, hex.EncodeToString(u.StateHash[:6]))
	if u.Kind == program.Token {
		s += fmt.Sprintf("  amount %d owner %d", u.Amount, u.Owner)
	}
	if st, err := tx.DecodeState(u.State); err == nil {
		var ds []string
		for i, d := range st.Datum {
			if d != 0 {
				ds = append(ds, fmt.Sprintf("%d=%d", i, int64(d)))
			}
		}
		if len(ds) > 0 {
			s += "  datum " + strings.Join(ds, " ")
		}
	}
	return s
}

func showUTXO(_ context.Context, w io.Writer, l *ledger.Ledger, id uint64) error {
	u, err := l.UTXO(id)
	if err != nil {
		return err
	}
	n, err := programNames(l)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s %d, version %d\n", u.Kind, u.ID, u.Version)
	fmt.Fprintf(w, "  program  %s (%s)\n", n.of(u.Program), u.Program)
	if u.Kind == program.Token {
		fmt.Fprintf(w, "  amount   %d\n  owner    %d\n", u.Amount, u.Owner)
	} else if owned, err := l.OwnedBy(u.ID); err == nil && len(owned) > 0 {
		fmt.Fprintf(w, "  owns     %v\n", owned)
	}
	fmt.Fprintf(w, "  tx       %x\n  state    %x (%d bytes)\n", u.Tx, u.StateHash, len(u.State))
	st, err := tx.DecodeState(u.State)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  memory   %d pages, %d bytes up to the last non-zero one\n  globals  %v\n  datum   ", st.Pages, len(st.Memory), st.Globals)
	for _, d := range st.Datum {
		fmt.Fprintf(w, " %d", int64(d))
	}
	fmt.Fprintln(w)
	return nil
}

func newDeploy() *cobra.Command {
	var dir, name string
	cmd := &cobra.Command{
		Use:   "deploy --ledger DIR [--name NAME] FILE.wasm...",
		Short: "Check WASM programs against the host ABI and store them in a ledger",
		Long: `deploy checks each module against runtime/ABI.md (exports step and memory, imports
only starstream host functions with their signatures, no start function) and stores
it under its program hash and a name, by default the file name without .wasm.
Deploying the same module again does nothing.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("no module to deploy")
			}
			if name != "" && len(args) > 1 {
				return usagef("--name needs exactly one module")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := ledger.Open(dir)
			if err != nil {
				return err
			}
			defer l.Close()
			for _, file := range args {
				bin, err := os.ReadFile(file)
				if err != nil {
					return err
				}
				if _, err := program.Check(bin, wasm.DefaultLimits()); err != nil {
					return fmt.Errorf("%s: %w", file, err)
				}
				n := name
				if n == "" {
					n = strings.TrimSuffix(filepath.Base(file), ".wasm")
				}
				h, err := l.Deploy(n, bin)
				if err != nil {
					return fmt.Errorf("%s: %w", file, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "deployed %-16s %s\n", n, h)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "ledger", "", "ledger directory (required)")
	cmd.Flags().StringVar(&name, "name", "", "name to deploy under (default: the file name)")
	_ = cmd.MarkFlagRequired("ledger")
	return cmd
}

func newTx() *cobra.Command {
	var dir, engineName, traceFile string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "tx --ledger DIR [--engine E] [--trace FILE] [--dry-run] TX.json",
		Short: "Execute a transaction and commit it to the ledger",
		Long: `tx executes the transaction file TX.json (format in README.md) against the ledger
and, when every rule of the model holds, commits it: one atomic write, so a
transaction that fails for any reason leaves the ledger as it was. It prints
what changed and a summary of the trace; --trace FILE writes every host call
as JSON. --engine picks wazero (default), interp (the interpreter the prover
uses) or check (both, failing if they disagree). --dry-run executes without
committing.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			engine, err := tx.ParseEngine(engineName)
			if err != nil {
				return usageError{err}
			}
			t, err := readTx(args[0])
			if err != nil {
				return err
			}
			opts := []ledger.Option{}
			if dryRun {
				opts = append(opts, ledger.ReadOnly())
			}
			l, err := ledger.Open(dir, opts...)
			if err != nil {
				return err
			}
			defer l.Close()
			ctx := cmd.Context()
			x, err := tx.NewExecutor(ctx, tx.Options{Engine: engine})
			if err != nil {
				return err
			}
			defer x.Close(ctx)
			var r *tx.Result
			if dryRun {
				r, err = x.Execute(ctx, l, t)
			} else {
				r, err = x.Apply(ctx, l, t)
			}
			if err != nil {
				return err
			}
			if traceFile != "" {
				if err := writeTrace(traceFile, r); err != nil {
					return err
				}
			}
			n, err := programNames(l)
			if err != nil {
				return err
			}
			printResult(cmd.OutOrStdout(), n, r, engine, !dryRun)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "ledger", "", "ledger directory (required)")
	cmd.Flags().StringVar(&engineName, "engine", "wazero", "wazero, interp or check")
	cmd.Flags().StringVar(&traceFile, "trace", "", "write the host-call trace to FILE as JSON")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "execute without committing")
	_ = cmd.MarkFlagRequired("ledger")
	return cmd
}

// readTx reads and decodes the transaction file name, errors naming it.
func readTx(name string) (*tx.Transaction, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	t, err := tx.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

func writeTrace(file string, r *tx.Result) error {
	out := struct {
		Tx     string     `json:"tx"`
		Events []tx.Event `json:"events"`
	}{hex.EncodeToString(r.Hash[:]), r.Trace.Events}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(b, '\n'), 0o644)
}

func printResult(w io.Writer, n names, r *tx.Result, engine tx.Engine, committed bool) {
	verb := "committed"
	if !committed {
		verb = "executed (dry run, not committed)"
	}
	fmt.Fprintf(w, "tx %x %s, coordinator %s, engine %s\n", r.Hash[:8], verb, n.of(r.Coordinator), engine)
	for _, p := range r.Processes {
		if p.Kind == program.Coord {
			continue
		}
		what := ""
		switch {
		case p.Status == tx.Untouched:
			what = fmt.Sprintf("untouched at v%d", p.Version)
		case p.Created && p.Status == tx.Burned:
			what = "created and burned"
		case p.Created:
			what = fmt.Sprintf("created, yielded at v0, state %x", p.StateHash[:6])
		case p.Status == tx.Burned:
			what = fmt.Sprintf("consumed v%d, burned", p.Version)
		default:
			what = fmt.Sprintf("consumed v%d, yielded at v%d, state %x", p.Version, p.Version+1, p.StateHash[:6])
		}
		extra := ""
		if p.Kind == program.Token && p.Status != tx.Burned {
			extra = fmt.Sprintf(" (amount %d, owner %d)", p.Amount, p.Owner)
		} else if p.Kind == program.Token {
			extra = fmt.Sprintf(" (amount %d)", p.Amount)
		}
		fmt.Fprintf(w, "  %-5s %-4d %-14s %s%s\n", p.Kind, p.PID, n.of(p.Program), what, extra)
	}
	for _, side := range []struct {
		name string
		m    map[program.Hash]uint64
	}{{"minted", r.Minted}, {"burned", r.Burned}} {
		hs := make([]program.Hash, 0, len(side.m))
		for h := range side.m {
			hs = append(hs, h)
		}
		sort.Slice(hs, func(i, j int) bool { return n.of(hs[i]) < n.of(hs[j]) })
		for _, h := range hs {
			fmt.Fprintf(w, "  %s %d of %s\n", side.name, side.m[h], n.of(h))
		}
	}
	counts := r.Trace.Counts()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return counts[keys[i]] > counts[keys[j]] || counts[keys[i]] == counts[keys[j]] && keys[i] < keys[j]
	})
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
	}
	fmt.Fprintf(w, "  trace: %d host calls across %d processes (%s), fuel %d\n", len(r.Trace.Events), len(r.Processes), strings.Join(parts, ", "), r.FuelUsed)
}
