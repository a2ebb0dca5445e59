// Command ssprove is the prover's command line: machine and backend
// information, kernel benchmarks, and (as the project grows) running and
// proving Starstream transactions.
//
// Exit status: 0 on success, 2 on a usage error, 1 on any other failure; every
// error is one line on standard error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ssprove/ssprove/accel"
)

// version is set at link time (-ldflags "-X main.version=v1.2.3"); otherwise
// it comes from the module's build information.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError marks errors caused by how ssprove was invoked (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
	fmt.Fprintf(stderr, "ssprove: %s\n", msg)
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		return 2
	}
	return 1
}

// isCobraUsage recognises the errors cobra itself returns for a bad command
// line; cobra does not type them.
func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") ||
		strings.HasPrefix(s, "unknown shorthand flag") || strings.Contains(s, "flag needs an argument") ||
		strings.HasPrefix(s, "invalid argument") || strings.HasPrefix(s, "required flag(s)")
}

// options are the flags every command shares.
type options struct {
	accel accel.Backend
}

func newRoot() *cobra.Command {
	opts := &options{}
	root := &cobra.Command{
		Use:   "ssprove",
		Short: "Hardware-accelerated proving engine for the Starstream UTXO model",
		Long: `ssprove proves Starstream transactions: WASM UTXO programs run as coroutines,
proven with lattice-based folding over the Goldilocks field. Its kernels run in
pure Go, AVX-512, AVX2, NEON, ICICLE or CUDA, chosen with --accel or SSPROVE_ACCEL
(auto picks the fastest available).`,
		Version:       buildVersion(),
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          noArgs,
		// Runnable so that cobra validates Args: a stray word is an unknown
		// command (exit 2), not a silent help page.
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return selectBackend(cmd, opts)
		},
	}
	root.PersistentFlags().Var(&opts.accel, "accel",
		"kernel backend: auto, go, avx2, avx512, neon, icicle or cuda (default: $"+accel.EnvVar+", else auto)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		// "-3" reads as a shorthand flag; say how to pass a negative number.
		if strings.HasPrefix(err.Error(), "unknown shorthand flag: '") {
			if c := err.Error()[len("unknown shorthand flag: '")]; c >= '0' && c <= '9' {
				return usagef("%v (negative numbers go after --, as in: wasm run f.wasm add -- 2 -3)", err)
			}
		}
		return usageError{err}
	})
	root.AddCommand(newInfo(), newBench(), newWasm(), newLedger(), newDeploy(), newTx(), newProve(), newVerify(), newCCS(), newFold())
	return root
}

// selectBackend applies --accel when given, else SSPROVE_ACCEL (auto when
// unset), so a bad or unavailable backend fails before any work starts.
func selectBackend(cmd *cobra.Command, opts *options) error {
	if cmd.Flags().Changed("accel") {
		_, err := accel.Use(opts.accel)
		return err
	}
	b, err := accel.FromEnv()
	if err != nil {
		if errors.Is(err, accel.ErrUnavailable) {
			return err
		}
		return usageError{err}
	}
	_, err = accel.Use(b)
	return err
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %q (see %s --help)", args[0], cmd.CommandPath(), cmd.CommandPath())
	}
	return nil
}

// exactArgs and rangeArgs are cobra's ExactArgs and RangeArgs as usage errors.
func exactArgs(n int) cobra.PositionalArgs { return rangeArgs(n, n) }

func rangeArgs(lo, hi int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) < lo || len(args) > hi:
			if lo == hi {
				return usagef("want %d argument(s), got %d", lo, len(args))
			}
			return usagef("want %d to %d arguments, got %d", lo, hi, len(args))
		}
		return nil
	}
}

func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v + " " + info.GoVersion
}
