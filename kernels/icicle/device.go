//go:build icicle

package icicle

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"

	icr "github.com/ingonyama-zk/icicle/v3/wrappers/golang/runtime"
)

// Built reports whether this binary was built with the icicle tag.
const Built = true

// Error is a status ICICLE returned, with the operation that got it.
type Error struct {
	Op   string           // e.g. "ntt forward 2^20"
	Code icr.EIcicleError // ICICLE's status
}

func (e *Error) Error() string {
	return fmt.Sprintf("icicle: %s: %s", e.Op, strings.TrimPrefix(e.Code.AsString(), "EIcicleError."))
}

// check turns an ICICLE status into nil or an *Error naming op.
func check(op string, code icr.EIcicleError) error {
	if code == icr.Success {
		return nil
	}
	return &Error{Op: op, Code: code}
}

var (
	current  atomic.Value // DeviceType kernels run on; CPU until Use says otherwise
	useMu    sync.Mutex
	probed   sync.Once
	devices  []Device
	probeDir string
)

func init() { current.Store(CPU) }

// Current returns the device kernels run on.
func Current() DeviceType { return current.Load().(DeviceType) }

// Devices returns ICICLE's CPU and CUDA devices as this process sees them,
// each with why it cannot be used when it cannot. The first call loads
// ICICLE's run-time backends from BackendDir.
func Devices() ([]Device, error) {
	probed.Do(probe)
	return devices, nil
}

// BackendDir returns the directory ICICLE's run-time backends (the CUDA one)
// are loaded from: $ICICLE_BACKEND_INSTALL_DIR, or ICICLE's default
// /opt/icicle/lib/backend when the variable is unset.
func BackendDir() string {
	if d := os.Getenv(BackendDirEnv); d != "" {
		return d
	}
	return DefaultBackendDir
}

// Use makes t the device every kernel runs on. Buffers stay on the device
// they were made on; a kernel given one from another device is an error.
func Use(t DeviceType) error {
	if Current() == t {
		return nil
	}
	useMu.Lock()
	defer useMu.Unlock()
	if Current() == t {
		return nil
	}
	if err := usable(t); err != nil {
		return err
	}
	dev := icr.CreateDevice(string(t), 0)
	if err := check("use device "+string(t), icr.SetDefaultDevice(&dev)); err != nil {
		return err
	}
	current.Store(t)
	return nil
}

// usable returns nil when Devices lists t as available, and otherwise why not.
func usable(t DeviceType) error {
	ds, err := Devices()
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Type == t {
			return d.Err
		}
	}
	return fmt.Errorf("icicle: unknown device type %q", t)
}

// probe loads the run-time backends and fills devices.
func probe() {
	probeDir = BackendDir()
	devices = []Device{{Type: CPU, Count: 1}}
	if !icr.IsDeviceAvailable(ptr(icr.CreateDevice(string(CPU), 0))) {
		devices[0] = Device{Type: CPU, Err: errors.New("ICICLE's CPU device is not registered: the ICICLE libraries were built without CPU_BACKEND")}
	}
	devices = append(devices, probeCUDA(probeDir))
}

func ptr(d icr.Device) *icr.Device { return &d }

// probeCUDA loads the backends under dir and says whether ICICLE's CUDA
// device can run, or what is missing: the directory, the backend library, a
// GPU, or a licence.
func probeCUDA(dir string) Device {
	missing := func(format string, args ...any) Device {
		return Device{Type: CUDA, Err: fmt.Errorf(format, args...)}
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if os.Getenv(BackendDirEnv) == "" {
			return missing("no backend dir: %s is unset and ICICLE's default %s does not exist (install ICICLE's CUDA backend there or point %s at it)",
				BackendDirEnv, DefaultBackendDir, BackendDirEnv)
		}
		return missing("no backend dir: %s=%s is not a directory", BackendDirEnv, dir)
	}
	libs, err := cudaLibraries(dir)
	if err != nil {
		return missing("reading backend dir %s: %v", dir, err)
	}
	if len(libs) == 0 {
		return missing("library not found: no ICICLE CUDA backend (*icicle_backend_cuda*.so) under %s", dir)
	}
	if err := check("load backends from "+dir, icr.LoadBackend(dir, true)); err != nil {
		return missing("%v", err)
	}
	dev := icr.CreateDevice(string(CUDA), 0)
	if !icr.IsDeviceAvailable(&dev) {
		return missing("the CUDA backend under %s did not load: dlopen refused it (ICICLE logs why only at its debug level; most often the CUDA runtime or driver it was built for is missing)", dir)
	}
	// The device is thread-local in ICICLE: ask on a thread of our own that
	// exits with this goroutine, so no other goroutine inherits the setting.
	res := make(chan Device)
	go func() {
		goruntime.LockOSThread()
		err := check("set device CUDA", icr.SetDevice(&dev))
		var ie *Error
		switch {
		case errors.As(err, &ie) && ie.Code == icr.LicenseCheckError:
			res <- missing("licence error: ICICLE reports %s (set ICICLE_LICENSE to the licence server or file)", ie.Code.AsString())
			return
		case err != nil:
			res <- missing("no GPU: %v", err)
			return
		}
		n, code := icr.GetDeviceCount()
		if err := check("CUDA device count", code); err != nil {
			res <- missing("no GPU: %v", err)
			return
		}
		if n == 0 {
			res <- missing("no GPU: the CUDA backend loaded but sees no device")
			return
		}
		res <- Device{Type: CUDA, Count: n}
	}()
	return <-res
}

// cudaLibraries lists the CUDA backend libraries under dir, recursively, as
// ICICLE's loader would find them.
func cudaLibraries(dir string) ([]string, error) {
	var libs []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if !d.IsDir() && strings.Contains(name, "icicle_backend_cuda") && strings.HasSuffix(name, ".so") {
			libs = append(libs, path)
		}
		return nil
	})
	return libs, err
}
