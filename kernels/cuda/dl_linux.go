//go:build linux && (amd64 || arm64)

package cuda

import (
	"fmt"
	"unsafe"

	"github.com/ebitengine/purego"
)

// platformErr is nil: this platform has a loader.
var platformErr error

// dlopen opens the library at path, or returns dlerror's message. The
// handle is never closed: the process keeps the library once it is loaded.
func dlopen(path string) (uintptr, error) {
	// RTLD_LOCAL keeps the library's symbols (and those of the CUDA runtime
	// it may link statically) from colliding with anything else loaded.
	return purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_LOCAL)
}

// bind opens the library at path and binds every function of the ABI,
// checking the ABI version first.
func bind(path string) (*library, error) {
	h, err := dlopen(path)
	if err != nil {
		return nil, err
	}
	l := &library{path: path}
	syms := l.symbols()
	// ssp_abi_version comes first so that a library of another version is
	// refused for its version, not for a function it renamed.
	for _, s := range syms {
		addr, err := purego.Dlsym(h, s.name)
		if err != nil {
			if l.abiVersion != nil && l.abiVersion() != ABIVersion {
				return nil, fmt.Errorf("%w: %s has ABI version %d, this binary needs %d (rebuild it: make cuda)", ErrABI, path, l.abiVersion(), ABIVersion)
			}
			return nil, fmt.Errorf("%w: %s has no %s (%v)", ErrABI, path, s.name, err)
		}
		purego.RegisterFunc(s.fn, addr)
	}
	l.abi = l.abiVersion()
	if l.abi != ABIVersion {
		return nil, fmt.Errorf("%w: %s has ABI version %d, this binary needs %d (rebuild it: make cuda)", ErrABI, path, l.abi, ABIVersion)
	}
	return l, nil
}

// driverLibrary is the CUDA driver's library, installed with the NVIDIA
// driver (not the toolkit).
const driverLibrary = "libcuda.so.1"

// cudaErrorNoDevice is CUresult CUDA_ERROR_NO_DEVICE, what cuInit returns on
// a machine with the driver and no GPU.
const cudaErrorNoDevice = 100

// probeDriver loads the CUDA driver library and asks it for its version and
// the number of devices.
func probeDriver() (version, devices int, err error) {
	h, err := purego.Dlopen(driverLibrary, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %v (the NVIDIA driver installs %s)", ErrNoDriver, err, driverLibrary)
	}
	var (
		cuInit             func(flags uint32) int32
		cuDriverGetVersion func(v *int32) int32
		cuDeviceGetCount   func(n *int32) int32
		cuGetErrorName     func(r int32, s **byte) int32
		cuGetErrorString   func(r int32, s **byte) int32
	)
	for _, s := range []struct {
		name string
		fn   any
	}{
		{"cuInit", &cuInit},
		{"cuDriverGetVersion", &cuDriverGetVersion},
		{"cuDeviceGetCount", &cuDeviceGetCount},
		{"cuGetErrorName", &cuGetErrorName},
		{"cuGetErrorString", &cuGetErrorString},
	} {
		addr, err := purego.Dlsym(h, s.name)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: no %s (%v)", driverLibrary, s.name, err)
		}
		purego.RegisterFunc(s.fn, addr)
	}
	fail := func(call string, r int32) *DriverError {
		e := &DriverError{Call: call, Result: r, Name: fmt.Sprintf("CUresult %d", r), Msg: "unknown error"}
		var p *byte
		if cuGetErrorName(r, &p) == 0 && p != nil {
			e.Name = cString(p)
		}
		if cuGetErrorString(r, &p) == 0 && p != nil {
			e.Msg = cString(p)
		}
		return e
	}
	var v, n int32
	if r := cuDriverGetVersion(&v); r != 0 {
		return 0, 0, fail("cuDriverGetVersion", r)
	}
	if r := cuInit(0); r != 0 {
		if r == cudaErrorNoDevice {
			return int(v), 0, fmt.Errorf("%w: the driver (%s, CUDA %s) loaded but %w", ErrNoDevice, driverLibrary, driverVersion(int(v)), fail("cuInit", r))
		}
		return int(v), 0, fail("cuInit", r)
	}
	if r := cuDeviceGetCount(&n); r != 0 {
		return int(v), 0, fail("cuDeviceGetCount", r)
	}
	if n == 0 {
		return int(v), 0, fmt.Errorf("%w: the driver (%s, CUDA %s) sees 0 devices", ErrNoDevice, driverLibrary, driverVersion(int(v)))
	}
	return int(v), int(n), nil
}

// cString copies the NUL-terminated string at p, which C owns.
func cString(p *byte) string {
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	return string(unsafe.Slice(p, n))
}
