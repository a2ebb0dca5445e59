package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/engine"
	"github.com/ssprove/ssprove/runtime/wasm/interp"
	"github.com/ssprove/ssprove/runtime/wasm/wazeroengine"
)

func newWasmRun() *cobra.Command {
	var (
		engineName string
		fuel       uint64
		trace      string
	)
	cmd := &cobra.Command{
		Use:   "run [--engine E] [--fuel N] [--trace FILE] FILE.wasm FUNC [ARGS...]",
		Short: "Call an exported function of a WASM module and print its results",
		Long: `run loads FILE.wasm (decoded and validated by ssprove, whatever the engine),
calls the exported function FUNC with ARGS (decimal or 0x-prefixed integers,
signed or unsigned, one per parameter; negative ones after --, as in
"ssprove wasm run f.wasm add -- 2 -3") and prints the results, one per line, as
signed decimals. With the interpreter (the default) the call is fuel-metered:
it traps when --fuel runs out, and the fuel used goes to stderr. Modules that
import anything are refused for now: the Starstream host functions come with
the runtime.

--trace FILE (interpreter only) writes every instruction the call executes to
FILE as CSV: a header line, then one line per step with the columns
  step      step number, from 0
  func      function index, imports counted
  pc        index of the compiled instruction in its function
  offset    byte offset of the instruction in FILE.wasm
  op        opcode, hex (memory.copy 0xe0, memory.fill 0xe1, call of an import 0xe2)
  sp        value-stack height before the instruction
  args      values popped, deepest first, space-separated
  results   values pushed, space-separated
  mem       memory access: read, write, copy, fill or empty, then
  mem_addr  its byte address (copy, fill: the destination),
  mem_width its width in bytes (copy, fill: the length),
  mem_src   the source address of a copy,
  mem_old   the bytes before a write, little-endian,
  mem_value the bytes read or written (fill: the byte)
  global    global access: get, set or empty, then
  global_index, global_old, global_new
  call      call (of this module's function), host (of an import), return or empty
  call_func the callee, or the function returning
  trap      the trap the instruction raised, or empty
Values are unsigned decimals. Block, loop, end and nop are compiled away and
have no steps; the step that runs out of fuel is not written. The number of
steps goes to stderr.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usagef("run needs a module file and a function name")
			}
			if engineName != "interp" && engineName != "wazero" {
				return usagef("unknown --engine %q (want interp or wazero)", engineName)
			}
			if fuel == 0 {
				return usagef("--fuel must be positive")
			}
			if trace != "" && engineName != "interp" {
				return usagef("--trace needs --engine interp: wazero has no per-instruction hook")
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
			if trace != "" {
				results, err = runInterp(cmd, m, fn, params, fuel, trace)
			} else {
				results, err = runEngine(cmd, engineName, bin, fn, params, lim, fuel)
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
	cmd.Flags().StringVar(&engineName, "engine", "interp", "interp (ssprove's interpreter) or wazero")
	cmd.Flags().Uint64Var(&fuel, "fuel", 1_000_000_000, "fuel for the interpreter; running out is a trap")
	cmd.Flags().StringVar(&trace, "trace", "", "write the interpreter's instruction trace to this CSV file (see above)")
	return cmd
}

// runInterp calls fn on the interpreter, tracing into the file trace unless it is empty. The
// trace of a call that traps is written too: it shows where.
func runInterp(cmd *cobra.Command, m *wasm.Module, fn string, params []uint64, fuel uint64, trace string) (res []uint64, err error) {
	cm, err := interp.Compile(m)
	if err != nil {
		return nil, err
	}
	cfg := interp.Config{Fuel: fuel}
	if trace != "" {
		f, err := os.Create(trace)
		if err != nil {
			return nil, err
		}
		tw := newCSVTrace(f)
		cfg.Tracer = tw
		defer func() {
			if cerr := tw.close(); cerr != nil {
				err = errors.Join(err, fmt.Errorf("trace %s: %w", trace, cerr))
			} else {
				fmt.Fprintf(cmd.ErrOrStderr(), "trace: %d steps to %s\n", tw.steps, trace)
			}
		}()
	}
	inst, err := cm.Instantiate(cmd.Context(), nil, cfg)
	if err != nil {
		return nil, err
	}
	res, _, err = inst.Call(cmd.Context(), fn, params...)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "fuel used: %d of %d\n", fuel-inst.Fuel(), fuel)
	return res, nil
}

// csvTrace writes a trace as the CSV that wasm run --help describes.
type csvTrace struct {
	f     *os.File
	w     *bufio.Writer
	line  []byte
	steps uint64
}

const csvTraceHeader = "step,func,pc,offset,op,sp,args,results,mem,mem_addr,mem_width,mem_src,mem_old,mem_value," +
	"global,global_index,global_old,global_new,call,call_func,trap\n"

var (
	memKinds    = [...]string{interp.MemRead: "read", interp.MemWrite: "write", interp.MemCopy: "copy", interp.MemFill: "fill"}
	globalKinds = [...]string{interp.GlobalRead: "get", interp.GlobalWrite: "set"}
	callKinds   = [...]string{interp.CallWasm: "call", interp.CallHost: "host", interp.CallReturn: "return"}
)

func newCSVTrace(f *os.File) *csvTrace {
	t := &csvTrace{f: f, w: bufio.NewWriterSize(f, 1<<16)}
	t.w.WriteString(csvTraceHeader)
	return t
}

// Step writes s as a line; a write error sticks in the bufio.Writer, and close reports it.
func (t *csvTrace) Step(s *interp.Step) {
	t.steps++
	b := t.line[:0]
	b = strconv.AppendUint(b, s.N, 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(s.Func), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(s.PC), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(s.Offset), 10)
	b = append(b, ",0x"...)
	b = strconv.AppendUint(b, uint64(s.Op), 16)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(s.SP), 10)
	b = append(b, ',')
	b = appendValues(b, s.Args)
	b = append(b, ',')
	b = appendValues(b, s.Results)
	if a := s.Mem; a.Kind != interp.MemNone {
		b = append(b, ',')
		b = append(b, memKinds[a.Kind]...)
		for _, v := range []uint64{a.Addr, uint64(a.Width)} {
			b = append(b, ',')
			b = strconv.AppendUint(b, v, 10)
		}
		b = appendIf(b, a.Src, a.Kind == interp.MemCopy)
		b = appendIf(b, a.Old, a.Kind == interp.MemWrite)
		b = appendIf(b, a.Value, a.Kind != interp.MemCopy)
	} else {
		b = append(b, ",,,,,,"...)
	}
	if g := s.Global; g.Kind != interp.GlobalNone {
		b = append(b, ',')
		b = append(b, globalKinds[g.Kind]...)
		for _, v := range []uint64{uint64(g.Index), g.Old, g.New} {
			b = append(b, ',')
			b = strconv.AppendUint(b, v, 10)
		}
	} else {
		b = append(b, ",,,,"...)
	}
	if c := s.Call; c.Kind != interp.CallNone {
		b = append(b, ',')
		b = append(b, callKinds[c.Kind]...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(c.Func), 10)
	} else {
		b = append(b, ",,"...)
	}
	b = append(b, ',')
	if s.Trap != 0 {
		b = append(b, s.Trap.String()...)
	}
	b = append(b, '\n')
	t.line = b
	t.w.Write(b)
}

func appendValues(b []byte, vs []uint64) []byte {
	for i, v := range vs {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendUint(b, v, 10)
	}
	return b
}

// appendIf appends a field holding v, or empty unless ok.
func appendIf(b []byte, v uint64, ok bool) []byte {
	b = append(b, ',')
	if ok {
		b = strconv.AppendUint(b, v, 10)
	}
	return b
}

// close flushes and closes the file, reporting the first error of the trace's writes.
func (t *csvTrace) close() error {
	return errors.Join(t.w.Flush(), t.f.Close())
}

// newEngine is the engine --engine names: the interpreter, metered with fuel, or wazero.
func newEngine(cmd *cobra.Command, name string, lim wasm.Limits, fuel uint64) (engine.Engine, error) {
	if name == "interp" {
		return interp.NewEngine(lim, interp.Config{Fuel: fuel}), nil
	}
	eng, err := wazeroengine.New(cmd.Context(), wazeroengine.Config{Compiler: true, Limits: lim})
	if err != nil {
		return nil, err
	}
	return wazeroengine.AsEngine(eng), nil
}

// runEngine calls fn through the shared engine interface; on the interpreter, the fuel
// used goes to stderr.
func runEngine(cmd *cobra.Command, name string, bin []byte, fn string, params []uint64, lim wasm.Limits, fuel uint64) (res []uint64, err error) {
	eng, err := newEngine(cmd, name, lim, fuel)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := eng.Close(cmd.Context()); err == nil {
			err = cerr
		}
	}()
	inst, err := eng.Instantiate(cmd.Context(), bin)
	if err != nil {
		return nil, err
	}
	res, err = inst.Call(cmd.Context(), fn, params...)
	if err != nil {
		return nil, err
	}
	if ii, ok := inst.(*interp.EngineInstance); ok {
		fmt.Fprintf(cmd.ErrOrStderr(), "fuel used: %d of %d\n", fuel-ii.Interp().Fuel(), fuel)
	}
	return res, nil
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
