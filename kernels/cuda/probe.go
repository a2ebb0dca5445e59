package cuda

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// EnvLibrary names the environment variable that, when set, is the only
// path the loader tries.
const EnvLibrary = "SSPROVE_CUDA_LIB"

// modulePath is the module whose root holds build/cuda.
const modulePath = "github.com/ssprove/ssprove"

// Device is one CUDA device as the library reports it.
type Device struct {
	Index       int
	Name        string
	SMMajor     int
	SMMinor     int
	MemoryBytes uint64
}

func (d Device) String() string {
	return fmt.Sprintf("%s (sm_%d%d, %.1f GiB)", d.Name, d.SMMajor, d.SMMinor, float64(d.MemoryBytes)/(1<<30))
}

// Report is what the probe found, piece by piece, for ssprove info.
type Report struct {
	// Library is the path the library was loaded from and ABI its version;
	// LibraryErr says why it was not (every path tried).
	Library    string
	ABI        uint32
	LibraryErr error
	// Driver is the CUDA version of the driver (12040 for 12.4) and
	// DriverDevices the devices it sees; DriverErr says why it could not
	// be asked.
	Driver        int
	DriverDevices int
	DriverErr     error
	// Devices are the devices the library sees, device 0 the one in use.
	Devices []Device
	// Err is nil when kernels can run, and otherwise an *UnavailableError.
	Err error
}

// DriverVersion formats Driver as CUDA does, e.g. "12.4".
func (r Report) DriverVersion() string { return driverVersion(r.Driver) }

func driverVersion(v int) string { return fmt.Sprintf("%d.%d", v/1000, v%1000/10) }

// state is the process's one probe: the library in use and the default
// stream, or why there are none.
var state struct {
	once   sync.Once
	report Report
	lib    *library
	stream uintptr
}

// Probe returns what the loader found. It probes once per process; later
// calls return the same report.
func Probe() Report {
	state.once.Do(func() {
		state.report, state.lib, state.stream = probe(libraryCandidates())
	})
	return state.report
}

// Available returns nil when the kernels can run here, and otherwise an
// *UnavailableError naming everything that is missing.
func Available() error { return Probe().Err }

// Devices returns the CUDA devices the library sees.
func Devices() ([]Device, error) {
	r := Probe()
	if r.Err != nil {
		return nil, r.Err
	}
	return r.Devices, nil
}

// ready returns the loaded library with its default stream, or why there
// is none.
func ready() (*library, uintptr, error) {
	if err := Available(); err != nil {
		return nil, 0, err
	}
	return state.lib, state.stream, nil
}

// probe asks the driver, loads the library from the first candidate that
// loads, and makes device 0 current with a default stream when all of it
// works.
func probe(candidates []string, fromEnv bool) (Report, *library, uintptr) {
	var r Report
	var reasons []error
	if platformErr != nil {
		r.Err = &UnavailableError{Reasons: []error{platformErr}}
		return r, nil, 0
	}
	r.Driver, r.DriverDevices, r.DriverErr = probeDriver()
	if r.DriverErr != nil {
		reasons = append(reasons, r.DriverErr)
	}
	lib, err := load(candidates, fromEnv)
	if err != nil {
		r.LibraryErr = err
		reasons = append(reasons, err)
	} else {
		r.Library, r.ABI = lib.path, lib.abi
	}
	if len(reasons) > 0 {
		r.Err = &UnavailableError{Reasons: reasons}
		return r, nil, 0
	}
	stream, err := start(lib, &r)
	if err != nil {
		r.Err = &UnavailableError{Reasons: []error{err}}
		return r, nil, 0
	}
	return r, lib, stream
}

// start lists the library's devices into r, initialises device 0 and
// creates the default stream.
func start(lib *library, r *Report) (uintptr, error) {
	var n int32
	if err := lib.check("device count", lib.deviceCount(&n)); err != nil {
		if e := (*Error)(nil); errors.As(err, &e) && e.Status == StatusNoDevice {
			return 0, fmt.Errorf("%w: the driver sees %d but the CUDA runtime in %s sees none (%v)", ErrNoDevice, r.DriverDevices, lib.path, err)
		}
		return 0, err
	}
	if n == 0 {
		return 0, fmt.Errorf("%w: the driver sees %d but the CUDA runtime in %s sees none", ErrNoDevice, r.DriverDevices, lib.path)
	}
	for i := range n {
		var name [256]byte
		var major, minor int32
		var mem uint64
		if err := lib.check(fmt.Sprintf("device info %d", i), lib.deviceInfo(i, &name[0], uintptr(len(name)), &major, &minor, &mem)); err != nil {
			return 0, err
		}
		r.Devices = append(r.Devices, Device{Index: int(i), Name: cName(name[:]), SMMajor: int(major), SMMinor: int(minor), MemoryBytes: mem})
	}
	if err := lib.check("init device 0", lib.init(0)); err != nil {
		return 0, err
	}
	var s uintptr
	if err := lib.check("create the default stream", lib.streamCreate(&s)); err != nil {
		return 0, err
	}
	return s, nil
}

// cName is the NUL-terminated name in b.
func cName(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// load binds the library from the first candidate that loads. A library
// that loads but is of the wrong ABI stops the search: a stale build in
// build/cuda should be rebuilt, not passed over for another copy.
func load(candidates []string, fromEnv bool) (*library, error) {
	var tried []string
	for _, path := range candidates {
		lib, err := bind(path)
		if err == nil {
			return lib, nil
		}
		if errors.Is(err, ErrABI) || errors.Is(err, ErrUnsupported) {
			return nil, err
		}
		msg := err.Error()
		if msg == "" {
			// dlerror can come back empty; the path still did not open.
			msg = "cannot open"
		}
		if !strings.Contains(msg, path) {
			msg = path + ": " + msg
		}
		tried = append(tried, msg)
	}
	if fromEnv {
		return nil, fmt.Errorf("%w: %s=%s did not load: %s", ErrNoLibrary, EnvLibrary, candidates[0], strings.Join(tried, "; "))
	}
	return nil, fmt.Errorf("%w: %s not found (make cuda builds it into build/cuda; %s names another): tried %s",
		ErrNoLibrary, LibraryName, EnvLibrary, strings.Join(tried, "; "))
}

// libraryCandidates returns the paths to try, in order, and whether they
// come from EnvLibrary: that path alone when it is set; else build/cuda
// beside the executable's directory (bin/ssprove → build/cuda), build/cuda
// at the module root above the working directory, and the bare name, which
// dlopen looks up on the system library path.
func libraryCandidates() ([]string, bool) {
	if p := os.Getenv(EnvLibrary); p != "" {
		return []string{p}, true
	}
	var paths []string
	add := func(dir string) {
		p := filepath.Join(dir, "build", "cuda", LibraryName)
		for _, q := range paths {
			if q == p {
				return
			}
		}
		paths = append(paths, p)
	}
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			add(filepath.Dir(filepath.Dir(exe)))
		}
	}
	if wd, err := os.Getwd(); err == nil {
		if root, ok := moduleRoot(wd); ok {
			add(root)
		}
	}
	return append(paths, LibraryName), false
}

// moduleRoot finds, from dir upwards, the directory whose go.mod declares
// this module.
func moduleRoot(dir string) (string, bool) {
	for {
		if isModule(filepath.Join(dir, "go.mod")) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func isModule(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`) == modulePath
		}
	}
	return false
}
