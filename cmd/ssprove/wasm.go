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
	cmd.AddCommand(newSpectest(), newWasmRun())
	return cmd
}

func newSpectest() *cobra.Command {
	var engine string
	cmd := &cobra.Command{
		Use:   "spectest DIR",
		Short: "Run the WebAssembly spec suite (wast2json output) against ssprove's decoder and validator",
		Long: `spectest runs every JSON command file in DIR (wast2json output with the .wasm
files it names) and prints, per file, what passed, failed and was skipped with
the reason, then a total line. Modules that use features ssprove does not
support (floats, SIMD, ...) are skipped, never failed. --engine picks what
executes the commands that run code: ssprove's interpreter (interp), wazero's
compiler or interpreter (wazero, wazero-interp, a check of the harness), or
none (load and validate only). Exit status 1 when anything failed.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("spectest needs one directory")
			}
			if _, ok := specEngines[engine]; !ok {
				return usagef("unknown --engine %q (want interp, wazero, wazero-interp or none)", engine)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := spectest.RunDir(cmd.Context(), args[0], specEngines[engine](wasm.DefaultLimits()))
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
	cmd.Flags().StringVar(&engine, "engine", "interp", "what runs the code: interp, wazero, wazero-interp or none")
	return cmd
}

// specEngines are the runner configurations --engine names.
var specEngines = map[string]func(wasm.Limits) spectest.Config{
	"interp":        spectest.InterpConfig,
	"wazero":        func(lim wasm.Limits) spectest.Config { return spectest.WazeroConfig(lim, true) },
	"wazero-interp": func(lim wasm.Limits) spectest.Config { return spectest.WazeroConfig(lim, false) },
	"none":          spectest.RuntimeConfig,
}
