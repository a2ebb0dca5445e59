package cuda

import (
	_ "embed"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// header is the ABI the fixture library below is compiled against, so that
// the C compiler checks the fixture's signatures against the contract.
//
//go:embed ssprove_cuda.h
var header string

// fixture is a library with every function of ssprove_cuda.h that does no
// CUDA work: its ssp_abi_version is FIXTURE_ABI, its device count 0 and
// every other call returns FIXTURE_STATUS, with strings of its own for the
// statuses, so that the loader's binding, version check and status mapping
// run through a real dlopen. -DFIXTURE_PARTIAL leaves out all but
// ssp_abi_version.
const fixture = `
#include "ssprove_cuda.h"
#include <string.h>

uint32_t ssp_abi_version(void) { return FIXTURE_ABI; }
#ifndef FIXTURE_PARTIAL
const char *ssp_error_string(ssp_status s) {
	switch (s) {
	case SSP_OK: return "no error";
	case 2: return "out of memory";
	case SSP_ERR_ARG: return "argument out of range";
	case SSP_ERR_NOT_INIT: return "ssp_init was not called";
	}
	return "";
}
ssp_status ssp_device_count(int32_t *count) { *count = 0; return SSP_OK; }
ssp_status ssp_device_info(int32_t dev, char *name, size_t name_len, int32_t *sm_major, int32_t *sm_minor, uint64_t *memory_bytes) { return FIXTURE_STATUS; }
ssp_status ssp_init(int32_t dev) { return FIXTURE_STATUS; }
ssp_status ssp_alloc(ssp_dptr *ptr, uint64_t bytes) { return FIXTURE_STATUS; }
ssp_status ssp_free(ssp_dptr ptr) { return FIXTURE_STATUS; }
ssp_status ssp_copy_to_device(ssp_dptr dst, const void *src, uint64_t bytes, ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_copy_to_host(void *dst, ssp_dptr src, uint64_t bytes, ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_copy_device(ssp_dptr dst, ssp_dptr src, uint64_t bytes, ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_stream_create(ssp_stream *s) { return FIXTURE_STATUS; }
ssp_status ssp_stream_destroy(ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_stream_sync(ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_ntt_domain_create(ssp_ntt_domain **d, uint32_t log_n, uint64_t omega) { return FIXTURE_STATUS; }
ssp_status ssp_ntt_domain_destroy(ssp_ntt_domain *d) { return FIXTURE_STATUS; }
ssp_status ssp_ntt(const ssp_ntt_domain *d, ssp_dptr data, uint32_t batch, int32_t dir, int32_t order_in, int32_t order_out, uint64_t coset_shift, ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_vec_add(ssp_dptr res, ssp_dptr a, ssp_dptr b, uint64_t n, ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_vec_sub(ssp_dptr res, ssp_dptr a, ssp_dptr b, uint64_t n, ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_vec_mul(ssp_dptr res, ssp_dptr a, ssp_dptr b, uint64_t n, ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_vec_scalar_mul(ssp_dptr res, ssp_dptr a, uint64_t scalar, uint64_t n, ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_vec_mul_add(ssp_dptr y, uint64_t scalar, ssp_dptr x, uint64_t n, ssp_stream s) { return FIXTURE_STATUS; }
ssp_status ssp_commit_matrix_create(ssp_commit_matrix **mat, const uint64_t *m_coeffs, uint32_t kappa, uint64_t m) { return FIXTURE_STATUS; }
ssp_status ssp_commit_matrix_destroy(ssp_commit_matrix *mat) { return FIXTURE_STATUS; }
ssp_status ssp_commit(const ssp_commit_matrix *mat, ssp_dptr z, uint32_t witnesses, ssp_dptr out, ssp_stream s) { return FIXTURE_STATUS; }
#endif
`

// buildFixture compiles the fixture with the given -D flags into a shared
// library and returns its path, skipping the test without a C compiler.
func buildFixture(t *testing.T, defines ...string) string {
	t.Helper()
	if platformErr != nil {
		t.Skipf("skipping: %v", platformErr)
	}
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "gcc"
	}
	if _, err := exec.LookPath(cc); err != nil {
		t.Skipf("skipping: no C compiler to build the fixture library (%v)", err)
	}
	// The fixture must be of this process's architecture: under qemu, a
	// test binary for arm64 runs beside a host compiler for amd64.
	machine, err := exec.Command(cc, "-dumpmachine").Output()
	if err != nil {
		t.Skipf("skipping: %s -dumpmachine: %v", cc, err)
	}
	if want := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]; !strings.HasPrefix(string(machine), want+"-") {
		t.Skipf("skipping: %s targets %s, not %s (%s)", cc, strings.TrimSpace(string(machine)), want, runtime.GOARCH)
	}
	dir := t.TempDir()
	for name, text := range map[string]string{"ssprove_cuda.h": header, "fixture.c": fixture} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lib := filepath.Join(dir, "libfixture.so")
	args := append([]string{"-shared", "-fPIC", "-Wall", "-Werror", "-Wno-unused-parameter", "-o", lib, filepath.Join(dir, "fixture.c")}, defines...)
	if out, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", cc, strings.Join(args, " "), err, out)
	}
	return lib
}

func TestLibraryMissingAtEnvPath(t *testing.T) {
	if platformErr != nil {
		t.Skipf("skipping: %v", platformErr)
	}
	path := filepath.Join(t.TempDir(), "nowhere", LibraryName)
	t.Setenv(EnvLibrary, path)
	cands, fromEnv := libraryCandidates()
	if !fromEnv || !slices.Equal(cands, []string{path}) {
		t.Fatalf("with %s set, candidates = %q (from env %v), want only %q", EnvLibrary, cands, fromEnv, path)
	}
	r, lib, _ := probe(cands, fromEnv)
	if lib != nil || r.Err == nil {
		t.Fatal("probe succeeded without a library")
	}
	for _, err := range []error{r.LibraryErr, r.Err} {
		if !errors.Is(err, ErrNoLibrary) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), EnvLibrary) {
			t.Errorf("error %q does not say that %s=%s is missing (ErrNoLibrary)", err, EnvLibrary, path)
		}
	}
}

func TestLibraryCandidates(t *testing.T) {
	t.Setenv(EnvLibrary, "")
	cands, fromEnv := libraryCandidates()
	if fromEnv {
		t.Fatal("an empty SSPROVE_CUDA_LIB counted as set")
	}
	if cands[len(cands)-1] != LibraryName {
		t.Errorf("the last candidate is %q, want the bare %s for the system path", cands[len(cands)-1], LibraryName)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, ok := moduleRoot(wd)
	if !ok {
		t.Skipf("skipping the module-root candidate: no go.mod of %s above %s (a test binary run outside the module)", modulePath, wd)
	}
	if want := filepath.Join(root, "build", "cuda", LibraryName); !slices.Contains(cands, want) {
		t.Errorf("candidates %q lack %q", cands, want)
	}
}

func TestNotASharedLibrary(t *testing.T) {
	if platformErr != nil {
		t.Skipf("skipping: %v", platformErr)
	}
	path := filepath.Join(t.TempDir(), LibraryName)
	if err := os.WriteFile(path, []byte("not an ELF file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := load([]string{path}, false)
	if !errors.Is(err, ErrNoLibrary) || !strings.Contains(err.Error(), path) {
		t.Fatalf("loading a text file: %v, want ErrNoLibrary naming %s", err, path)
	}
}

func TestWrongABIVersion(t *testing.T) {
	lib := buildFixture(t, "-DFIXTURE_ABI=2", "-DFIXTURE_STATUS=0")
	// A library of the wrong version stops the search: the next candidate
	// is not tried.
	_, err := load([]string{lib, "/nonexistent/" + LibraryName}, false)
	if !errors.Is(err, ErrABI) || !strings.Contains(err.Error(), "ABI version 2") || !strings.Contains(err.Error(), "needs 1") {
		t.Fatalf("loading an ABI 2 library: %v, want ErrABI naming versions 2 and 1", err)
	}
	if strings.Contains(err.Error(), "/nonexistent/") {
		t.Errorf("the search went on past a library of the wrong version: %v", err)
	}
}

func TestMissingFunction(t *testing.T) {
	lib := buildFixture(t, "-DFIXTURE_ABI=1", "-DFIXTURE_PARTIAL")
	_, err := load([]string{lib}, false)
	if !errors.Is(err, ErrABI) || !strings.Contains(err.Error(), "no ssp_error_string") {
		t.Fatalf("loading a library without ssp_error_string: %v, want ErrABI naming it", err)
	}
}

// TestStatusErrors checks the ssp_status → error mapping through a library
// that returns SSP_ERR_NOT_INIT from everything.
func TestStatusErrors(t *testing.T) {
	lib := buildFixture(t, "-DFIXTURE_ABI=1", "-DFIXTURE_STATUS=SSP_ERR_NOT_INIT")
	l, err := load([]string{lib}, false)
	if err != nil {
		t.Fatal(err)
	}
	if l.abi != ABIVersion || l.path != lib {
		t.Errorf("loaded %s of ABI %d, want %s of ABI %d", l.path, l.abi, lib, ABIVersion)
	}
	tests := []struct {
		op     string
		status int32
		want   string
	}{
		{"ntt forward 2^24", 2, "cuda: ntt forward 2^24: out of memory"},
		{"vec add of 8 elements", StatusArg, "cuda: vec add of 8 elements: argument out of range"},
		{"alloc 8 elements", 9999, "cuda: alloc 8 elements: status 9999"},
	}
	for _, tc := range tests {
		err := l.check(tc.op, tc.status)
		var e *Error
		if !errors.As(err, &e) || e.Status != tc.status || err.Error() != tc.want {
			t.Errorf("check(%q, %d) = %v, want %q with status %d", tc.op, tc.status, err, tc.want, tc.status)
		}
	}
	if err := l.check("anything", StatusOK); err != nil {
		t.Errorf("check of SSP_OK = %v", err)
	}
	var s uintptr
	err = l.check("create stream", l.streamCreate(&s))
	if e := (*Error)(nil); !errors.As(err, &e) || e.Status != StatusNotInit || err.Error() != "cuda: create stream: ssp_init was not called" {
		t.Errorf("a call into the library: %v, want SSP_ERR_NOT_INIT with its string", err)
	}
}

// TestProbeReasons probes with the fixture as the library: the library
// loads, and what is missing is the driver here, or a device where a driver
// is installed (the fixture sees none).
func TestProbeReasons(t *testing.T) {
	lib := buildFixture(t, "-DFIXTURE_ABI=1", "-DFIXTURE_STATUS=SSP_ERR_NOT_INIT")
	r, l, _ := probe([]string{lib}, true)
	if l != nil || r.Err == nil {
		t.Fatal("the fixture, which has no device, passed the probe")
	}
	if r.LibraryErr != nil || r.Library != lib || r.ABI != ABIVersion {
		t.Errorf("report: library %q ABI %d error %v, want %s loaded", r.Library, r.ABI, r.LibraryErr, lib)
	}
	var ue *UnavailableError
	if !errors.As(r.Err, &ue) || !strings.HasPrefix(r.Err.Error(), "cuda: ") {
		t.Fatalf("error %v is not an *UnavailableError", r.Err)
	}
	switch {
	case r.DriverErr != nil:
		if !slices.Equal(ue.Reasons, []error{r.DriverErr}) {
			t.Errorf("reasons %v, want only the driver's %v", ue.Reasons, r.DriverErr)
		}
	default:
		if !errors.Is(r.Err, ErrNoDevice) || !strings.Contains(r.Err.Error(), lib) {
			t.Errorf("with a driver, the fixture's zero devices gave %v, want ErrNoDevice naming %s", r.Err, lib)
		}
	}
}

// TestNoDriver checks the error for a machine without the NVIDIA driver.
func TestNoDriver(t *testing.T) {
	if platformErr != nil {
		t.Skipf("skipping: %v", platformErr)
	}
	v, n, err := probeDriver()
	if err == nil {
		t.Skipf("skipping: the CUDA driver is installed here (CUDA %s, %d devices)", driverVersion(v), n)
	}
	if errors.Is(err, ErrNoDevice) {
		t.Skipf("skipping: the driver is installed but sees no device (%v)", err)
	}
	if !errors.Is(err, ErrNoDriver) || !strings.Contains(err.Error(), "libcuda.so.1") {
		t.Fatalf("probeDriver: %v, want ErrNoDriver naming libcuda.so.1", err)
	}
}

func TestUnavailableError(t *testing.T) {
	e := &UnavailableError{Reasons: []error{ErrNoDriver, ErrNoLibrary}}
	if got, want := e.Error(), "cuda: no driver; no library"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	for _, s := range []error{ErrNoDriver, ErrNoLibrary} {
		if !errors.Is(e, s) {
			t.Errorf("errors.Is(%v, %v) = false", e, s)
		}
	}
	if errors.Is(e, ErrNoDevice) {
		t.Errorf("errors.Is(%v, ErrNoDevice) = true", e)
	}
}
