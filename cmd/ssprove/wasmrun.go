package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
	"github.com/ssprove/ssprove/runtime/wasm/wazeroengine"
)

func newWasmRun() *cobra.Command {
	var (
		engine string
		fuel   uint64
	)
	cmd := &cobra.Command{
		Use:   "run [--engine E] [--fuel N] FILE.wasm FUNC [ARGS...]",
		Short: "Call an exported function of a WASM module and print its results",
		Long: `run loads FILE.wasm (decoded and validated by ssprove, whatever the engine),
calls the exported function FUNC with ARGS (decimal or 0x-prefixed integers,
signed or unsigned, one per parameter) and prints the results, one per line, as
signed decimals. With the interpreter (the default) the call is fuel-metered:
it traps when --fuel runs out, and the fuel used goes to stderr. Modules that
import anything are refused for now: the Starstream host functions come with
the runtime.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usagef("run needs a module file and a function name")
			}
			if engine != "interp" && engine != "wazero" {
				return usagef("unknown --engine %q (want interp or wazero)", engine)
			}
			if fuel == 0 {
				return usagef("--fuel must be positive")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			file, fn := args[0], args[1]
			bin, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			lim := wasm.DefaultLimits()
			m, err := wasm.Load(bin, lim)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			if len(m.Imports) > 0 {
				im := m.Imports[0]
				return fmt.Errorf("%s imports %s.%s: wasm run provides no host functions yet", file, im.Module, im.Name)
			}
			typ, err := exportedFunc(m, fn)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			params, err := parseArgs(typ.Params, args[2:])
			if err != nil {
				return usageError{fmt.Errorf("%s: %w", fn, err)}
			}
			var results []uint64
			switch engine {
			case "interp":
				results, err = runInterp(cmd, m, fn, params, fuel)
			case "wazero":
				results, err = runWazero(cmd, bin, fn, params, lim)
			}
			if err != nil {
				return fmt.Errorf("%s %s: %w", file, fn, err)
			}
			for i, r := range results {
				fmt.Fprintln(cmd.OutOrStdout(), formatValue(typ.Results[i], r))
			}
			return nil
		},
	}
	// Flags come first, so that negative arguments are numbers, not flags.
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().StringVar(&engine, "engine", "interp", "interp (ssprove's interpreter) or wazero")
	cmd.Flags().Uint64Var(&fuel, "fuel", 1_000_000_000, "fuel for the interpreter; running out is a trap")
	return cmd
}

func runInterp(cmd *cobra.Command, m *wasm.Module, fn string, params []uint64, fuel uint64) ([]uint64, error) {
	cm, err := interp.Compile(m)
	if err != nil {
		return nil, err
	}
	inst, err := cm.Instantiate(cmd.Context(), nil, interp.Config{Fuel: fuel})
	if err != nil {
		return nil, err
	}
	res, _, err := inst.Call(cmd.Context(), fn, params...)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "fuel used: %d of %d\n", fuel-inst.Fuel(), fuel)
	return res, nil
}

func runWazero(cmd *cobra.Command, bin []byte, fn string, params []uint64, lim wasm.Limits) (res []uint64, err error) {
	eng, err := wazeroengine.New(cmd.Context(), wazeroengine.Config{Compiler: true, Limits: lim})
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := eng.Close(cmd.Context()); err == nil {
			err = cerr
		}
	}()
	inst, err := eng.Instantiate(cmd.Context(), "", bin)
	if err != nil {
		return nil, err
	}
	return inst.Call(cmd.Context(), fn, params...)
}

// exportedFunc returns the type of the function exported as name.
func exportedFunc(m *wasm.Module, name string) (wasm.FuncType, error) {
	for _, ex := range m.Exports {
		if ex.Name != name {
			continue
		}
		if ex.Kind != wasm.ExternFunc {
			return wasm.FuncType{}, fmt.Errorf("export %q is not a function", name)
		}
		if t, ok := m.FuncType(ex.Index); ok {
			return t, nil
		}
	}
	return wasm.FuncType{}, fmt.Errorf("no exported function %q", name)
}

// parseArgs reads one integer per parameter, signed or unsigned, in the
// parameter's width.
func parseArgs(types []wasm.ValType, args []string) ([]uint64, error) {
	if len(args) != len(types) {
		return nil, fmt.Errorf("takes %d arguments (%s), got %d", len(types), typeList(types), len(args))
	}
	out := make([]uint64, len(args))
	for i, s := range args {
		bits := 64
		if types[i] == wasm.I32 {
			bits = 32
		}
		if v, err := strconv.ParseInt(s, 0, bits); err == nil {
			out[i] = uint64(v)
		} else if u, uerr := strconv.ParseUint(s, 0, bits); uerr == nil {
			out[i] = u
		} else {
			return nil, fmt.Errorf("argument %d: %q is not an %s", i+1, s, types[i])
		}
		if bits == 32 {
			out[i] &= 0xFFFF_FFFF
		}
	}
	return out, nil
}

func formatValue(t wasm.ValType, v uint64) string {
	if t == wasm.I32 {
		return strconv.FormatInt(int64(int32(v)), 10)
	}
	return strconv.FormatInt(int64(v), 10)
}

func typeList(types []wasm.ValType) string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = t.String()
	}
	return strings.Join(s, ", ")
}
