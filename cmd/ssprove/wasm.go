package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/spectest"
)

func newWasm() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "wasm",
		Short: "Load, check and (soon) run WASM programs",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newSpectest())
	return cmd
}

func newSpectest() *cobra.Command {
	return &cobra.Command{
		Use:   "spectest DIR",
		Short: "Run the WebAssembly spec suite (wast2json output) against ssprove's decoder and validator",
		Long: `spectest runs every JSON command file in DIR (wast2json output with the .wasm
files it names) and prints, per file, what passed, failed and was skipped with
the reason, then a total line. Modules that use features ssprove does not
support (floats, SIMD, ...) are skipped, never failed. Commands that execute
code are skipped until the interpreter is built. Exit status 1 when anything
failed.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("spectest needs one directory")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := spectest.RunDir(cmd.Context(), args[0], spectest.RuntimeConfig(wasm.DefaultLimits()))
			if err != nil {
				return err
			}
			if err := rep.WriteText(cmd.OutOrStdout()); err != nil {
				return err
			}
			if c := rep.Counts(); c.Failed > 0 {
				return fmt.Errorf("spectest: %d commands failed", c.Failed)
			}
			return nil
		},
	}
}
