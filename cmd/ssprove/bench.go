package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/bench"
)

// benchmarks are the kernel families bench times, by name.
var benchmarks = map[string]func(context.Context, bench.Config) ([]bench.Result, error){
	"ntt": bench.NTT, "field": bench.Field, "commit": bench.Commit,
	"sumcheck": bench.SumCheck, "lookup": bench.Lookup, "fold": bench.Fold,
}

// benchNames lists them in the order the help gives them.
var benchNames = []string{"ntt", "field", "commit", "sumcheck", "lookup", "fold"}

func newBench() *cobra.Command {
	var (
		logSize  int
		rounds   int
		minTime  time.Duration
		markdown bool
	)
	cmd := &cobra.Command{
		Use:   "bench {ntt|field|commit|sumcheck|lookup|fold}",
		Short: "Time the kernels on each backend against gnark-crypto in the same run",
		Long: `bench times a kernel family on every available backend (or only the one named
with --accel) and gnark-crypto on the same random input, and prints time,
elements per second and the speed-up over gnark-crypto. Each figure is the
median of --rounds interleaved rounds.

  ntt    Forward (natural order) and ForwardDIF at n = 2^log-size against
         gnark-crypto's goldilocks FFT, and 2^log-size elements of 64-point
         transforms in one ForwardBatch
  field  Mul, MulAdd and InnerProduct on 2^log-size elements against
         gnark-crypto's goldilocks.Vector
  commit the Ajtai commitment (κ = 16) of 2^log-size field elements and of
         2^log-size bits against gnark-crypto's Goldilocks ring-SIS hash of
         as many elements, and of 2^log-size witness values one column each
         (Neo's embedding): 54-digit values against bits, the pay-per-bit
         ratio
  sumcheck the sum-check prover for a degree-3 product of three tables over
         K of 2^log-size entries against a plain single-goroutine loop
  lookup the logUp-GKR prover: 2^log-size lookups into the 16-bit range
         table, and memory checking of 2^log-size operations on 2^16 cells,
         against the portable backend
  fold   Neo folding (Goldilocks preset, b = 2, k = 12) of a random 4-step
         chain of R1CS steps with 2^log-size columns and 2^log-size − 4
         constraints, against the portable backend: prove and verify per
         fold, the share of the prover's time in the commitments, Π_CCS,
         Π_RLC and Π_DEC, the proof bytes per fold, and the decision of the
         final accumulator; --log-size defaults to 12 here, at most 16`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("bench needs one of: %s", strings.Join(benchNames, ", "))
			}
			if !slices.Contains(benchNames, args[0]) {
				return usagef("unknown benchmark %q (want one of %s)", args[0], strings.Join(benchNames, ", "))
			}
			if args[0] == "fold" {
				// The flag's default suits the kernels; one fold of 2^20
				// constraints would take a minute.
				if !cmd.Flags().Changed("log-size") {
					logSize = bench.DefaultFoldLogSize
				}
				if logSize < bench.MinFoldLogSize || logSize > bench.MaxFoldLogSize {
					return usagef("--log-size %d out of range %d…%d for fold", logSize, bench.MinFoldLogSize, bench.MaxFoldLogSize)
				}
			}
			if logSize < 0 || logSize > bench.MaxLogSize {
				return usagef("--log-size %d out of range 0…%d", logSize, bench.MaxLogSize)
			}
			if rounds < 1 {
				return usagef("--rounds must be at least 1")
			}
			if minTime <= 0 {
				return usagef("--min-time must be positive")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg := bench.Config{LogSize: logSize, Rounds: rounds, MinTime: minTime}
			if cmd.Flags().Changed("accel") {
				b, err := accel.Selected()
				if err != nil {
					return err
				}
				cfg.Backends = []accel.Backend{b}
			}
			run := benchmarks[args[0]]
			res, err := run(cmd.Context(), cfg)
			if err != nil {
				return fmt.Errorf("bench %s: %w", args[0], err)
			}
			title := fmt.Sprintf("bench %s on %s; median of %d rounds", args[0], bench.Environment(), rounds)
			return bench.WriteTable(cmd.OutOrStdout(), title, res, markdown)
		},
	}
	cmd.Flags().IntVar(&logSize, "log-size", 20, "log2 of the number of elements (fold: of the constraints, default 12)")
	cmd.Flags().IntVar(&rounds, "rounds", 5, "interleaved rounds per implementation; the median is shown")
	cmd.Flags().DurationVar(&minTime, "min-time", 50*time.Millisecond, "least time one round runs")
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print a Markdown table (the form bench/RESULTS.md keeps)")
	return cmd
}
