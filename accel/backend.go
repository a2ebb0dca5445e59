package accel

import (
	"fmt"
	"strings"
)

// Backend names one implementation family of the kernels.
type Backend uint8

const (
	// Auto is not a backend: it asks for the fastest available one.
	Auto Backend = iota
	// Go is the portable implementation, the reference every other one is tested against.
	Go
	// AVX2 is Go assembly for x86-64 with 256-bit vectors (4 Goldilocks lanes).
	AVX2
	// AVX512 is Go assembly for x86-64 with 512-bit vectors (8 Goldilocks lanes).
	AVX512
	// NEON is Go assembly for arm64 with Advanced SIMD.
	NEON
	// ICICLE runs kernels through the ICICLE library (cgo, build tag icicle).
	ICICLE
	// CUDA runs kernels through ssprove's own CUDA library, loaded at run time.
	CUDA

	numBackends
)

var names = [numBackends]string{
	Auto:   "auto",
	Go:     "go",
	AVX2:   "avx2",
	AVX512: "avx512",
	NEON:   "neon",
	ICICLE: "icicle",
	CUDA:   "cuda",
}

// EnvVar is the environment variable read when no backend was chosen in code.
const EnvVar = "SSPROVE_ACCEL"

// String returns the name used on the command line.
func (b Backend) String() string {
	if b < numBackends {
		return names[b]
	}
	return fmt.Sprintf("backend(%d)", uint8(b))
}

// All returns every concrete backend, fastest first: the order auto tries
// them in, passing over those it takes only on request (OnlyOnRequest).
func All() []Backend {
	return []Backend{CUDA, ICICLE, AVX512, AVX2, NEON, Go}
}

// Parse returns the backend with the given name (case-insensitive, surrounding
// spaces ignored).
func Parse(name string) (Backend, error) {
	s := strings.ToLower(strings.TrimSpace(name))
	for b, n := range names {
		if s == n {
			return Backend(b), nil
		}
	}
	return 0, fmt.Errorf("accel: unknown backend %q (want one of %s)", name, strings.Join(names[:], ", "))
}

// Set implements pflag.Value and flag.Value so a Backend can be a flag directly.
func (b *Backend) Set(name string) error {
	v, err := Parse(name)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// Type implements pflag.Value.
func (b *Backend) Type() string { return "backend" }
