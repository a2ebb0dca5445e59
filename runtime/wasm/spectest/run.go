package spectest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Config is what the runner runs the scripts with.
type Config struct {
	// Load decodes and validates a module. Required.
	Load Loader
	// Engine runs modules. Nil means there is none yet: the commands that execute
	// code are skipped, and only loading is checked.
	Engine Engine
	// Unsupported reports whether an error from Load or from the Engine means the
	// module uses a feature ssprove rejects on purpose, and which. Such commands are
	// skipped with the feature as the reason, never failed. Nil means no error is.
	Unsupported func(error) (feature string, ok bool)
	// Imports returns the names of the modules a module imports from. With it, a
	// module importing from a name whose register command was skipped is skipped
	// too, rather than failing to link (or, for assert_unlinkable, passing for the
	// wrong reason). Nil means imports are not examined.
	Imports func(wasm []byte) []string
}

// Skip reasons that do not come from a feature name. They are stable so that
// reports can be grouped and compared across runs.
const (
	ReasonTextFormat = "text format: ssprove reads only the binary format"
	ReasonNoEngine   = "no execution engine in this build yet"
	// ReasonUnregisteredImport: the module imports from a name whose register
	// command was skipped (the registered module used floats, say).
	ReasonUnregisteredImport = "imports from a module whose register was skipped"
)

// Status is how a command ended.
type Status int

const (
	Pass Status = iota
	Fail
	Skip
)

func (s Status) String() string {
	switch s {
	case Pass:
		return "passed"
	case Fail:
		return "failed"
	case Skip:
		return "skipped"
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// Outcome is the result of one command; Reason says why it failed or was skipped.
type Outcome struct {
	Status Status
	Reason string
}

func passed() Outcome { return Outcome{Status: Pass} }

func failed(format string, args ...any) Outcome {
	return Outcome{Status: Fail, Reason: fmt.Sprintf(format, args...)}
}

func skipped(reason string) Outcome { return Outcome{Status: Skip, Reason: reason} }

// Result is the outcome of the command of type Command at Line of the script.
type Result struct {
	Line    int
	Command string
	Outcome
}

// FileResult is what running one command file gave.
type FileResult struct {
	Path    string   // the command file
	Name    string   // the .wast script it came from, which Result lines refer to
	Results []Result // one per command, in script order
}

// Counts are numbers of commands by status.
type Counts struct {
	Passed, Failed, Skipped int
}

func (c Counts) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", c.Passed, c.Failed, c.Skipped)
}

// Counts counts the file's commands by status.
func (f *FileResult) Counts() Counts {
	var c Counts
	for _, r := range f.Results {
		switch r.Status {
		case Pass:
			c.Passed++
		case Fail:
			c.Failed++
		case Skip:
			c.Skipped++
		}
	}
	return c
}

// SkipReasons counts the file's skipped commands by reason.
func (f *FileResult) SkipReasons() map[string]int {
	m := make(map[string]int)
	for _, r := range f.Results {
		if r.Status == Skip {
			m[r.Reason]++
		}
	}
	return m
}

func (cfg *Config) check() error {
	if cfg.Load == nil {
		return errors.New("spectest: Config.Load is nil")
	}
	return nil
}

// RunFile runs the command file at path; the modules it names are read from the
// same directory. The error is for a file that cannot be read or parsed, or an
// engine that cannot start; a command that goes wrong is a failed Result instead.
func RunFile(path string, cfg Config) (*FileResult, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return runFile(context.Background(), path, &cfg)
}

func runFile(ctx context.Context, path string, cfg *Config) (res *FileResult, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("spectest: %w", err)
	}
	defer f.Close()
	script, err := ParseScript(f)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	r := &runner{ctx: ctx, cfg: cfg, dir: filepath.Dir(path), named: make(map[string]*module), unregistered: make(map[string]bool)}
	if cfg.Engine != nil {
		if r.store, err = cfg.Engine.NewStore(); err != nil {
			return nil, fmt.Errorf("spectest: %s: new store: %w", path, err)
		}
		defer func() {
			if cerr := r.store.Close(); cerr != nil && err == nil {
				res, err = nil, fmt.Errorf("spectest: %s: close store: %w", path, cerr)
			}
		}()
	}
	res = &FileResult{Path: path, Name: script.SourceFilename, Results: make([]Result, 0, len(script.Commands))}
	if res.Name == "" {
		res.Name = filepath.Base(path)
	}
	for i := range script.Commands {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("spectest: %s: %w", path, err)
		}
		c := &script.Commands[i]
		res.Results = append(res.Results, Result{Line: c.Line, Command: c.Type, Outcome: r.run(c)})
	}
	return res, nil
}

// module is a module a script defined. A module that could not be loaded or
// instantiated is kept, with the reason, so that the commands using it are skipped
// for that reason instead of failing one by one.
type module struct {
	inst Instance // nil without an engine
	skip string
}

type runner struct {
	ctx     context.Context
	cfg     *Config
	dir     string
	store   Store // nil without an engine
	current *module
	named   map[string]*module
	// unregistered holds the names whose register command was skipped.
	unregistered map[string]bool
}

func (r *runner) run(c *Command) Outcome {
	switch c.Type {
	case "module":
		return r.module(c)
	case "assert_malformed", "assert_invalid":
		return r.assertRejected(c)
	case "assert_unlinkable", "assert_uninstantiable":
		return r.assertNotInstantiated(c)
	case "register":
		return r.register(c)
	default:
		return r.action(c)
	}
}

// unsupported reports the feature an error says the module uses, if it says so.
func (r *runner) unsupported(err error) (string, bool) {
	if r.cfg.Unsupported == nil {
		return "", false
	}
	return r.cfg.Unsupported(err)
}

func (r *runner) read(c *Command) ([]byte, error) {
	return os.ReadFile(filepath.Join(r.dir, c.Filename))
}

func (r *runner) module(c *Command) Outcome {
	m := &module{}
	r.current = m
	if c.Name != "" {
		r.named[c.Name] = m
	}
	if c.ModuleType == "text" {
		m.skip = "module in text format"
		return skipped(ReasonTextFormat)
	}
	wasm, err := r.read(c)
	if err != nil {
		m.skip = "module failed to load"
		return failed("%v", err)
	}
	if err := r.cfg.Load(wasm); err != nil {
		if feature, ok := r.unsupported(err); ok {
			m.skip = "module uses " + feature
			return skipped(feature)
		}
		m.skip = "module failed to load"
		return failed("load %s: %v", c.Filename, err)
	}
	if r.store == nil {
		return passed()
	}
	if r.importsUnregistered(wasm) {
		m.skip = ReasonUnregisteredImport
		return skipped(ReasonUnregisteredImport)
	}
	if m.inst, err = r.store.Instantiate(r.ctx, wasm); err != nil {
		if feature, ok := r.unsupported(err); ok {
			m.skip = "module uses " + feature
			return skipped(feature)
		}
		m.skip = "module failed to instantiate"
		return failed("instantiate %s: %v", c.Filename, err)
	}
	return passed()
}

func (r *runner) assertRejected(c *Command) Outcome {
	if c.ModuleType == "text" {
		return skipped(ReasonTextFormat)
	}
	wasm, err := r.read(c)
	if err != nil {
		return failed("%v", err)
	}
	err = r.cfg.Load(wasm)
	if err == nil {
		return failed("%s loaded, want error %q", c.Filename, c.Text)
	}
	if feature, ok := r.unsupported(err); ok {
		return skipped(feature)
	}
	return passed()
}

// assertNotInstantiated checks that the module loads, since only linking or
// instantiation may fail, and then that the Engine refuses it the right way.
func (r *runner) assertNotInstantiated(c *Command) Outcome {
	if c.ModuleType == "text" {
		return skipped(ReasonTextFormat)
	}
	wasm, err := r.read(c)
	if err != nil {
		return failed("%v", err)
	}
	if err := r.cfg.Load(wasm); err != nil {
		if feature, ok := r.unsupported(err); ok {
			return skipped(feature)
		}
		return failed("load %s: %v", c.Filename, err)
	}
	if r.store == nil {
		return skipped(ReasonNoEngine)
	}
	if r.importsUnregistered(wasm) {
		return skipped(ReasonUnregisteredImport)
	}
	_, err = r.store.Instantiate(r.ctx, wasm)
	switch {
	case err == nil:
		return failed("%s instantiated, want error %q", c.Filename, c.Text)
	case c.Type == "assert_uninstantiable" && !errors.Is(err, ErrTrap):
		return failed("instantiate %s: %v, want a trap %q", c.Filename, err, c.Text)
	case c.Type == "assert_unlinkable" && errors.Is(err, ErrTrap):
		return failed("instantiate %s: %v, want a link error %q", c.Filename, err, c.Text)
	}
	return passed()
}

// importsUnregistered reports whether a module imports from a name whose
// register command was skipped.
func (r *runner) importsUnregistered(wasm []byte) bool {
	if r.cfg.Imports == nil || len(r.unregistered) == 0 {
		return false
	}
	for _, name := range r.cfg.Imports(wasm) {
		if r.unregistered[name] {
			return true
		}
	}
	return false
}

// target finds the module a command refers to: the one named, or the latest.
func (r *runner) target(name string) (*module, error) {
	if name == "" {
		if r.current == nil {
			return nil, errors.New("no module defined yet")
		}
		return r.current, nil
	}
	m, ok := r.named[name]
	if !ok {
		return nil, fmt.Errorf("no module named %s", name)
	}
	return m, nil
}

func (r *runner) register(c *Command) Outcome {
	m, err := r.target(c.Name)
	if err != nil {
		return failed("register %q: %v", c.As, err)
	}
	if m.skip != "" {
		r.unregistered[c.As] = true
		return skipped(m.skip)
	}
	if r.store == nil {
		return skipped(ReasonNoEngine)
	}
	if err := r.store.Register(c.As, m.inst); err != nil {
		return failed("register %q: %v", c.As, err)
	}
	return passed()
}

func (r *runner) action(c *Command) Outcome {
	a := &c.Action
	m, err := r.target(a.Module)
	if err != nil {
		return failed("%s %q: %v", a.Type, a.Field, err)
	}
	if m.skip != "" {
		return skipped(m.skip)
	}
	if feature, ok := valuesFeature(a.Args, c.Expected); ok {
		return skipped(feature)
	}
	if r.store == nil {
		return skipped(ReasonNoEngine)
	}
	got, err := r.perform(m.inst, a)
	switch c.Type {
	case "assert_return":
		if err != nil {
			return failed("%s %q: %v", a.Type, a.Field, err)
		}
		return compare(got, c.Expected)
	case "assert_trap":
		if errors.Is(err, ErrTrap) {
			return passed()
		}
		return failed("%s %q: got %s, want trap %q", a.Type, a.Field, describe(got, err), c.Text)
	case "assert_exhaustion":
		if errors.Is(err, ErrExhaustion) {
			return passed()
		}
		return failed("%s %q: got %s, want exhaustion %q", a.Type, a.Field, describe(got, err), c.Text)
	default: // action: only that it runs
		if err != nil {
			return failed("%s %q: %v", a.Type, a.Field, err)
		}
		return passed()
	}
}

// valuesFeature reports the feature the first non-integer value needs.
func valuesFeature(lists ...[]Value) (string, bool) {
	for _, vs := range lists {
		for _, v := range vs {
			if f, ok := valueFeatures[v.Type]; ok {
				return f, true
			}
		}
	}
	return "", false
}

func (r *runner) perform(inst Instance, a *Action) ([]uint64, error) {
	if a.Type == "get" {
		v, err := inst.Get(a.Field)
		if err != nil {
			return nil, err
		}
		return []uint64{v}, nil
	}
	args := make([]uint64, len(a.Args))
	for i, v := range a.Args {
		// ParseScript checked every argument, and valuesFeature let only i32 and i64 through.
		args[i], _ = strconv.ParseUint(v.Value, 10, 64)
	}
	return inst.Invoke(r.ctx, a.Field, args)
}

func compare(got []uint64, want []Value) Outcome {
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		w, _ := strconv.ParseUint(want[i].Value, 10, 64)
		g := got[i]
		if want[i].Type == "i32" {
			g = uint64(uint32(g))
		}
		ok = g == w
	}
	if ok {
		return passed()
	}
	return failed("got %s, want %v", describe(got, nil), want)
}

func describe(got []uint64, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	s := make([]string, len(got))
	for i, v := range got {
		s[i] = strconv.FormatUint(v, 10)
	}
	return "[" + strings.Join(s, " ") + "]"
}
