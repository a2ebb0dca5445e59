package accel

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

// ErrUnavailable is wrapped by every error about a backend that cannot run here.
var ErrUnavailable = errors.New("backend not available")

// UnavailableError says why a backend cannot run here. It wraps ErrUnavailable.
type UnavailableError struct {
	Backend Backend
	Reason  string // what is missing, e.g. "CPU "…" has no AVX2"
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("accel: %s: %v: %s", e.Backend, ErrUnavailable, e.Reason)
}

func (e *UnavailableError) Unwrap() error { return ErrUnavailable }

// Available returns nil when b can run on this machine with this build, and
// otherwise an error wrapping ErrUnavailable that says exactly what is missing.
func Available(b Backend) error {
	f := Detect()
	missing := func(format string, args ...any) error {
		return &UnavailableError{Backend: b, Reason: fmt.Sprintf(format, args...)}
	}
	needAsm := func(arch string) error {
		if f.Arch != arch {
			return missing("needs GOARCH=%s, this binary is %s", arch, f.Arch)
		}
		if !f.Assembly {
			return missing("this binary was built with the purego tag, which leaves the assembly out")
		}
		return nil
	}
	switch b {
	case Go:
		return nil
	case AVX2:
		if err := needAsm("amd64"); err != nil {
			return err
		}
		if !f.AVX2 {
			return missing("CPU %q has no AVX2", f.CPU)
		}
		return nil
	case AVX512:
		if err := needAsm("amd64"); err != nil {
			return err
		}
		var lack []string
		if !f.AVX512F {
			lack = append(lack, "AVX-512F")
		}
		if !f.AVX512DQ {
			lack = append(lack, "AVX-512DQ")
		}
		if len(lack) > 0 {
			return missing("CPU %q lacks %s (or the OS does not enable the ZMM state)", f.CPU, strings.Join(lack, " and "))
		}
		return nil
	case NEON:
		if err := needAsm("arm64"); err != nil {
			return err
		}
		if !f.NEON {
			return missing("CPU %q reports no ASIMD", f.CPU)
		}
		return nil
	case ICICLE:
		if err := icicleStatus(); err != nil {
			return missing("%v", err)
		}
		return nil
	case CUDA:
		if err := cudaStatus(); err != nil {
			return missing("%v", err)
		}
		return nil
	case Auto:
		return nil
	}
	return fmt.Errorf("accel: unknown backend %d", uint8(b))
}

// Resolve turns a request into the backend that will run: Auto becomes the
// fastest available backend, anything else must be available as asked.
func Resolve(b Backend) (Backend, error) {
	if b != Auto {
		if err := Available(b); err != nil {
			return 0, err
		}
		return b, nil
	}
	return pickAuto(Available), nil
}

// OnlyOnRequest reports whether auto passes b over even when it is
// available: ICICLE's CPU device is slower than the assembly backends and
// has no K, commitment or Poseidon2 kernels, so it runs only when named.
func OnlyOnRequest(b Backend) bool { return b == ICICLE }

// pickAuto returns the first backend of All that auto may pick and avail
// accepts.
func pickAuto(avail func(Backend) error) Backend {
	for _, c := range All() {
		if !OnlyOnRequest(c) && avail(c) == nil {
			return c
		}
	}
	return Go
}

// Host returns the backend whose CPU loops run what b has no kernels for:
// b itself for the CPU backends, and for ICICLE and CUDA, which offload only
// some kernels, the fastest CPU backend available here.
func Host(b Backend) Backend {
	if b != ICICLE && b != CUDA {
		return b
	}
	for _, c := range All() {
		if c != ICICLE && c != CUDA && Available(c) == nil {
			return c
		}
	}
	return Go
}

// Explain says in one line what auto picks and which faster backends it
// passed over; Available tells why each of those cannot run.
func Explain() string {
	var skipped, onRequest []string
	for _, c := range All() {
		if OnlyOnRequest(c) {
			onRequest = append(onRequest, c.String())
		}
	}
	for _, c := range All() {
		if OnlyOnRequest(c) {
			continue
		}
		if Available(c) != nil {
			skipped = append(skipped, c.String())
			continue
		}
		s := fmt.Sprintf("auto picks %s, the fastest backend ssprove has", c)
		if len(skipped) > 0 {
			s = fmt.Sprintf("auto picks %s, the fastest available here (not available: %s)", c, strings.Join(skipped, ", "))
		}
		if len(onRequest) > 0 {
			s += fmt.Sprintf("; %s only when named", strings.Join(onRequest, ", "))
		}
		return s
	}
	return "auto picks go"
}

// choice is the one process-wide backend decision. It is written by Use or, on
// the first call to Selected, from the environment; kernels only read it.
type choice struct {
	backend Backend
	err     error
}

var (
	current atomic.Pointer[choice]
	settle  sync.Mutex
)

// Use makes the resolution of b the backend every kernel dispatches to and
// returns it. It fails, leaving the previous choice in place, when b cannot run.
func Use(b Backend) (Backend, error) {
	r, err := Resolve(b)
	if err != nil {
		return 0, err
	}
	current.Store(&choice{backend: r})
	return r, nil
}

// Selected returns the backend kernels run on. Unless Use was called first, the
// first call settles it from SSPROVE_ACCEL (auto when unset); a bad value there
// is returned as the error on every call, so kernels fail instead of guessing.
func Selected() (Backend, error) {
	if c := current.Load(); c != nil {
		return c.backend, c.err
	}
	settle.Lock()
	defer settle.Unlock()
	if c := current.Load(); c != nil {
		return c.backend, c.err
	}
	b, err := FromEnv()
	current.Store(&choice{backend: b, err: err})
	return b, err
}

// FromEnv resolves SSPROVE_ACCEL (auto when unset or empty) without changing
// the current choice.
func FromEnv() (Backend, error) {
	v, ok := os.LookupEnv(EnvVar)
	if !ok || strings.TrimSpace(v) == "" {
		return Resolve(Auto)
	}
	b, err := Parse(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", EnvVar, err)
	}
	r, err := Resolve(b)
	if err != nil {
		return 0, fmt.Errorf("%s=%s: %w", EnvVar, v, err)
	}
	return r, nil
}
