// Package cuda runs ssprove's own CUDA kernels (Goldilocks NTTs, vector
// arithmetic and the Ajtai commitment) from libssprove_cuda.so, which it
// loads at run time with purego's dlopen: ssprove stays pure Go
// (CGO_ENABLED=0 builds it), and one binary serves machines with and without
// a GPU. Every call goes through the C ABI of ssprove_cuda.h, the contract
// between this package and the CUDA sources beside it.
//
// The first call that needs the GPU probes, once per process: the CUDA
// driver (libcuda.so.1: cuInit, cuDriverGetVersion, cuDeviceGetCount), then
// the library, from $SSPROVE_CUDA_LIB when it is set and otherwise from
// build/cuda under the executable's parent directory, then build/cuda under
// the module root above the working directory, then the system library
// path; its ABI version must be SSP_ABI_VERSION. When something is missing,
// Available returns an *UnavailableError that names each missing piece (no
// library, with every path tried; no driver; no device; a CUDA error with
// CUDA's string), matching ErrNoLibrary, ErrNoDriver, ErrNoDevice, ErrABI or
// ErrUnsupported under errors.Is. Probe returns what was found, for
// ssprove info. The first device is used.
//
// Data lives in Buffers, device memory of Goldilocks elements in
// gnark-crypto's Montgomery form (the memory of a []goldilocks.Element, so
// nothing is converted). A Buffer stays on the GPU until Free: there is no
// finalizer, because device memory is scarce and the garbage collector does
// not see it. A chain of kernels on Buffers costs no host↔device copies;
// kernels/ntt, kernels/field and kernels/ajtai, when accel selects CUDA,
// copy their host slices in and out around every call, so callers that
// chain kernels should hold their data here instead.
//
//	d, err := cuda.NewDomain(1 << 24)
//	buf, err := cuda.Alloc(1 << 24)
//	err = buf.Upload(nil, coeffs)
//	err = d.Forward(nil, buf)
//	err = cuda.MulAdd(nil, buf, s, other)
//	err = buf.Download(nil, evals)
//	err = buf.Free()
//
// Kernels run asynchronously on a Stream, in the order they were issued on
// it; a nil *Stream is the package's default stream, one explicit stream
// shared by the process. (The C ABI's NULL stream is CUDA's per-thread
// default stream, which would not order calls from a goroutine that moves
// between OS threads, so this package never passes NULL.) Download waits for
// the work before it on its stream; work on different streams is ordered
// only by Stream.Sync.
//
// Results equal those of kernels/ntt, kernels/field and kernels/ajtai word
// for word: NTT domains use gnark-crypto's goldilocks.Generator(n).
//
// The loader exists for linux/amd64 and linux/arm64, where CUDA and purego
// both run; elsewhere Available reports ErrUnsupported.
package cuda
