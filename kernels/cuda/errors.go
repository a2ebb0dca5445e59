package cuda

import (
	"errors"
	"fmt"
	"strings"
)

// The reasons the library cannot run, matched with errors.Is against what
// Available returns.
var (
	// ErrUnsupported: this platform has no loader (only linux/amd64 and
	// linux/arm64 have one).
	ErrUnsupported = errors.New("unsupported platform")
	// ErrNoLibrary: libssprove_cuda.so was not found, or did not load.
	ErrNoLibrary = errors.New("no library")
	// ErrABI: the library is of another ABI version, or lacks a function of
	// ssprove_cuda.h.
	ErrABI = errors.New("wrong library ABI")
	// ErrNoDriver: the CUDA driver library libcuda.so.1 was not found.
	ErrNoDriver = errors.New("no driver")
	// ErrNoDevice: the driver loaded but sees no CUDA device.
	ErrNoDevice = errors.New("no device")
)

// Errors of this package's own argument checks.
var (
	// ErrLength is wrapped by every error about sizes that do not fit.
	ErrLength = errors.New("cuda: wrong length")
	// ErrFreed is wrapped by the error for a Buffer, Stream, Domain or
	// CommitMatrix used after it was freed or closed.
	ErrFreed = errors.New("cuda: used after free")
)

// UnavailableError says why the library cannot run here: every missing
// piece, each wrapping one of the sentinels above or holding a CUDA error.
type UnavailableError struct {
	Reasons []error
}

func (e *UnavailableError) Error() string { return "cuda: " + e.Reason() }

// Reason is the error without the package prefix: the reasons, joined by
// "; ".
func (e *UnavailableError) Reason() string {
	s := make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		s[i] = r.Error()
	}
	return strings.Join(s, "; ")
}

func (e *UnavailableError) Unwrap() []error { return e.Reasons }

// Status values of the C ABI that are not CUDA runtime errors (ssp_status;
// CUDA's own errors are below 10000).
const (
	StatusOK       int32 = 0
	StatusArg      int32 = 10001
	StatusNoDevice int32 = 10002
	StatusNotInit  int32 = 10003
	StatusHandle   int32 = 10004
)

// Error is a failed call into the library: the operation, the ssp_status it
// returned (a cudaError_t or a Status* value) and the library's string for
// it (CUDA's own for CUDA errors).
type Error struct {
	Op     string // e.g. "ntt forward 2^24"
	Status int32
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("cuda: %s: %s", e.Op, e.Msg) }

// DriverError is a failed call into the CUDA driver library (CUresult), with
// the driver's name and description of the code.
type DriverError struct {
	Call   string // e.g. "cuInit"
	Result int32
	Name   string // e.g. CUDA_ERROR_NO_DEVICE
	Msg    string
}

func (e *DriverError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Call, e.Name, e.Msg)
}
