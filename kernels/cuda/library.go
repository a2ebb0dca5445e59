package cuda

import (
	"fmt"
	"unsafe"
)

// ABIVersion is SSP_ABI_VERSION of ssprove_cuda.h: the library must report
// the same from ssp_abi_version.
const ABIVersion = 1

// LibraryName is the file the loader looks for.
const LibraryName = "libssprove_cuda.so"

// library is a loaded libssprove_cuda.so: one Go function per C function of
// ssprove_cuda.h, with the C types as purego maps them (ssp_dptr uint64,
// ssp_stream and opaque handles uintptr, size_t uintptr, host memory
// unsafe.Pointer).
type library struct {
	path string
	abi  uint32

	abiVersion  func() uint32
	errorString func(st int32) string

	deviceCount func(count *int32) int32
	deviceInfo  func(dev int32, name *byte, nameLen uintptr, major, minor *int32, mem *uint64) int32
	init        func(dev int32) int32

	alloc         func(ptr *uint64, bytes uint64) int32
	free          func(ptr uint64) int32
	copyToDevice  func(dst uint64, src unsafe.Pointer, bytes uint64, s uintptr) int32
	copyToHost    func(dst unsafe.Pointer, src uint64, bytes uint64, s uintptr) int32
	copyDevice    func(dst, src uint64, bytes uint64, s uintptr) int32
	streamCreate  func(s *uintptr) int32
	streamDestroy func(s uintptr) int32
	streamSync    func(s uintptr) int32

	nttDomainCreate  func(d *uintptr, logN uint32, omega uint64) int32
	nttDomainDestroy func(d uintptr) int32
	ntt              func(d uintptr, data uint64, batch uint32, dir, orderIn, orderOut int32, shift uint64, s uintptr) int32

	vecAdd       func(res, a, b uint64, n uint64, s uintptr) int32
	vecSub       func(res, a, b uint64, n uint64, s uintptr) int32
	vecMul       func(res, a, b uint64, n uint64, s uintptr) int32
	vecScalarMul func(res, a uint64, scalar uint64, n uint64, s uintptr) int32
	vecMulAdd    func(y uint64, scalar uint64, x uint64, n uint64, s uintptr) int32

	commitMatrixCreate  func(mat *uintptr, coeffs unsafe.Pointer, kappa uint32, m uint64) int32
	commitMatrixDestroy func(mat uintptr) int32
	commit              func(mat uintptr, z uint64, witnesses uint32, out uint64, s uintptr) int32
}

// symbols lists every function of the ABI with the field it binds to; the
// loader refuses a library that lacks one.
func (l *library) symbols() []struct {
	name string
	fn   any
} {
	return []struct {
		name string
		fn   any
	}{
		{"ssp_abi_version", &l.abiVersion},
		{"ssp_error_string", &l.errorString},
		{"ssp_device_count", &l.deviceCount},
		{"ssp_device_info", &l.deviceInfo},
		{"ssp_init", &l.init},
		{"ssp_alloc", &l.alloc},
		{"ssp_free", &l.free},
		{"ssp_copy_to_device", &l.copyToDevice},
		{"ssp_copy_to_host", &l.copyToHost},
		{"ssp_copy_device", &l.copyDevice},
		{"ssp_stream_create", &l.streamCreate},
		{"ssp_stream_destroy", &l.streamDestroy},
		{"ssp_stream_sync", &l.streamSync},
		{"ssp_ntt_domain_create", &l.nttDomainCreate},
		{"ssp_ntt_domain_destroy", &l.nttDomainDestroy},
		{"ssp_ntt", &l.ntt},
		{"ssp_vec_add", &l.vecAdd},
		{"ssp_vec_sub", &l.vecSub},
		{"ssp_vec_mul", &l.vecMul},
		{"ssp_vec_scalar_mul", &l.vecScalarMul},
		{"ssp_vec_mul_add", &l.vecMulAdd},
		{"ssp_commit_matrix_create", &l.commitMatrixCreate},
		{"ssp_commit_matrix_destroy", &l.commitMatrixDestroy},
		{"ssp_commit", &l.commit},
	}
}

// check turns the status of operation op into nil or an *Error carrying
// the library's string for it.
func (l *library) check(op string, st int32) error {
	if st == StatusOK {
		return nil
	}
	msg := l.errorString(st)
	if msg == "" {
		msg = fmt.Sprintf("status %d", st)
	}
	return &Error{Op: op, Status: st, Msg: msg}
}
