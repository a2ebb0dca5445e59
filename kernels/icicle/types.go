package icicle

// DeviceType names an ICICLE device type, as ICICLE registers it.
type DeviceType string

const (
	// CPU is ICICLE's CPU device, built into its libraries.
	CPU DeviceType = "CPU"
	// CUDA is ICICLE's CUDA device, a licensed backend loaded at run time.
	CUDA DeviceType = "CUDA"
)

// Device is one ICICLE device type and whether this process can use it.
type Device struct {
	Type  DeviceType
	Count int   // devices of this type ICICLE sees; 0 when Err is set
	Err   error // why it cannot be used: no backend dir, library not found, no GPU, licence; nil when it can
}

const (
	// BackendDirEnv is the variable ICICLE reads for its run-time backends.
	BackendDirEnv = "ICICLE_BACKEND_INSTALL_DIR"
	// DefaultBackendDir is where ICICLE looks when BackendDirEnv is unset.
	DefaultBackendDir = "/opt/icicle/lib/backend"
)
