package accel

import (
	"runtime"
	"sync"

	"github.com/klauspost/cpuid/v2"
	"golang.org/x/sys/cpu"
)

// Features is what the CPU and the build offer to the kernels.
type Features struct {
	CPU   string // brand string, or the architecture when the CPU does not report one
	Arch  string // GOARCH of this binary
	Cores int    // logical cores the Go runtime sees

	AVX2       bool // with OS support for the YMM state
	AVX512F    bool // with OS support for the ZMM and mask state
	AVX512DQ   bool
	AVX512IFMA bool
	BMI2       bool
	NEON       bool // Advanced SIMD on arm64 (always present on arm64, checked anyway)

	// Assembly is false when the binary was built with the purego tag: the
	// assembly kernels are then not compiled in, whatever the CPU supports.
	Assembly bool
}

var (
	detectOnce sync.Once
	detected   Features
)

// Detect returns the features of this machine and build. It is computed once.
func Detect() Features {
	detectOnce.Do(func() {
		detected = Features{
			CPU:        cpuid.CPU.BrandName,
			Arch:       runtime.GOARCH,
			Cores:      runtime.NumCPU(),
			AVX2:       cpuid.CPU.Supports(cpuid.AVX2),
			AVX512F:    cpuid.CPU.Supports(cpuid.AVX512F),
			AVX512DQ:   cpuid.CPU.Supports(cpuid.AVX512DQ),
			AVX512IFMA: cpuid.CPU.Supports(cpuid.AVX512IFMA),
			BMI2:       cpuid.CPU.Supports(cpuid.BMI2),
			NEON:       runtime.GOARCH == "arm64" && cpu.ARM64.HasASIMD,
			Assembly:   assemblyBuilt,
		}
		if detected.CPU == "" {
			detected.CPU = "unknown " + runtime.GOARCH + " CPU"
		}
	})
	return detected
}
