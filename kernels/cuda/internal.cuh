// internal.cuh: what api.cu, ntt.cu, vec.cu and commit.cu share inside
// libssprove_cuda.so: the process-wide device, argument checks, streams and
// the registry of live handles.
#ifndef SSPROVE_INTERNAL_CUH
#define SSPROVE_INTERNAL_CUH

#include <cuda_runtime.h>

#include "ssprove_cuda.h"

namespace ssp {

// Device is the state ssp_init sets up.
struct Device {
	int id;
	int sms;            // multiprocessors, for sizing grids
	size_t smem_optin;  // the most dynamic shared memory a block may ask for
};

// enter makes the initialized device current on the calling thread (CUDA
// keeps the current device per host thread, and a Go caller may call from
// any thread) and returns it in dev; SSP_ERR_NOT_INIT before ssp_init.
ssp_status enter(Device *dev);

// launched returns the error of the launch just made, if any.
inline ssp_status launched() { return (ssp_status)cudaGetLastError(); }

// stream maps the ABI's stream to CUDA's: NULL is the per-thread default stream.
inline cudaStream_t stream(ssp_stream s) { return s ? (cudaStream_t)s : cudaStreamPerThread; }

// Handle kinds for the registry.
enum Kind { KIND_DOMAIN = 1, KIND_MATRIX = 2 };

// track records a live handle made on device dev; untrack forgets it and
// returns SSP_ERR_HANDLE when it was not live; check returns SSP_ERR_HANDLE
// unless h is a live handle of that kind made on the current device.
void track(const void *h, Kind k, int dev);
ssp_status untrack(const void *h, Kind k);
ssp_status check(const void *h, Kind k, const Device &dev);

// grid returns how many blocks a grid-stride kernel over `work` items of
// `per_block` each gets: enough to fill the device several times over, never
// more than the work.
inline unsigned grid(const Device &dev, uint64_t work, uint64_t per_block, unsigned per_sm) {
	uint64_t want = (work + per_block - 1) / per_block;
	uint64_t cap = (uint64_t)dev.sms * per_sm;
	if (want > cap) want = cap;
	return want == 0 ? 1u : (unsigned)want;
}

// set_shared raises a kernel's dynamic shared-memory limit (48 KiB unless
// raised) to what the device allows.
ssp_status set_shared(const void *kernel, const Device &dev);

// Kernel set-up done by ssp_init on the chosen device.
ssp_status ntt_init(const Device &dev);
ssp_status commit_init(const Device &dev);

}  // namespace ssp

#endif  // SSPROVE_INTERNAL_CUH
