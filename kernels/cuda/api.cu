// api.cu: the C ABI of libssprove_cuda.so that is not a kernel
// (ssprove_cuda.h): version, error strings, devices, memory, streams, and the
// process-wide state behind internal.cuh.
#include <atomic>
#include <mutex>
#include <string.h>
#include <unordered_map>

#include "internal.cuh"

namespace {

// The device ssp_init chose; id < 0 until then. A later ssp_init replaces it
// (handles of the old device then answer SSP_ERR_HANDLE).
std::mutex init_mu;
std::atomic<int> current_id{-1};
ssp::Device current;

// Live handles and the device each was made on, so that a destroyed or
// foreign handle is refused instead of dereferenced.
std::mutex handles_mu;
std::unordered_map<const void *, std::pair<ssp::Kind, int>> handles;

}  // namespace

namespace ssp {

ssp_status enter(Device *dev) {
	if (current_id.load() < 0) return SSP_ERR_NOT_INIT;
	{
		std::lock_guard<std::mutex> l(init_mu);
		*dev = current;
	}
	return (ssp_status)cudaSetDevice(dev->id);
}

void track(const void *h, Kind k, int dev) {
	std::lock_guard<std::mutex> l(handles_mu);
	handles[h] = {k, dev};
}

ssp_status untrack(const void *h, Kind k) {
	std::lock_guard<std::mutex> l(handles_mu);
	auto it = handles.find(h);
	if (it == handles.end() || it->second.first != k) return SSP_ERR_HANDLE;
	handles.erase(it);
	return SSP_OK;
}

ssp_status check(const void *h, Kind k, const Device &dev) {
	std::lock_guard<std::mutex> l(handles_mu);
	auto it = handles.find(h);
	if (!h || it == handles.end() || it->second.first != k || it->second.second != dev.id) return SSP_ERR_HANDLE;
	return SSP_OK;
}

ssp_status set_shared(const void *kernel, const Device &dev) {
	return (ssp_status)cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)dev.smem_optin);
}

}  // namespace ssp

extern "C" uint32_t ssp_abi_version(void) { return SSP_ABI_VERSION; }

extern "C" const char *ssp_error_string(ssp_status s) {
	switch (s) {
	case SSP_OK:
		return "no error";
	case SSP_ERR_ARG:
		return "ssprove CUDA: argument out of range";
	case SSP_ERR_NO_DEVICE:
		return "ssprove CUDA: the CUDA runtime sees no device";
	case SSP_ERR_NOT_INIT:
		return "ssprove CUDA: ssp_init has not been called";
	case SSP_ERR_HANDLE:
		return "ssprove CUDA: handle destroyed or made on another device";
	}
	if (s > 0 && s < 10000) return cudaGetErrorString((cudaError_t)s);
	return "ssprove CUDA: unknown status";
}

extern "C" ssp_status ssp_device_count(int32_t *count) {
	if (!count) return SSP_ERR_ARG;
	*count = 0;
	int n = 0;
	cudaError_t e = cudaGetDeviceCount(&n);
	if (e == cudaErrorNoDevice || (e == cudaSuccess && n == 0)) return SSP_ERR_NO_DEVICE;
	if (e != cudaSuccess) return (ssp_status)e;
	*count = n;
	return SSP_OK;
}

extern "C" ssp_status ssp_device_info(int32_t dev, char *name, size_t name_len, int32_t *sm_major, int32_t *sm_minor,
                                      uint64_t *memory_bytes) {
	if (!name || name_len == 0 || !sm_major || !sm_minor || !memory_bytes) return SSP_ERR_ARG;
	int32_t n;
	if (ssp_status e = ssp_device_count(&n)) return e;
	if (dev < 0 || dev >= n) return SSP_ERR_ARG;
	cudaDeviceProp p;
	if (cudaError_t e = cudaGetDeviceProperties(&p, dev)) return (ssp_status)e;
	size_t len = strnlen(p.name, sizeof p.name);
	if (len > name_len - 1) len = name_len - 1;
	memcpy(name, p.name, len);
	name[len] = 0;
	*sm_major = p.major;
	*sm_minor = p.minor;
	*memory_bytes = p.totalGlobalMem;
	return SSP_OK;
}

extern "C" ssp_status ssp_init(int32_t dev) {
	int32_t n;
	if (ssp_status e = ssp_device_count(&n)) return e;
	if (dev < 0 || dev >= n) return SSP_ERR_ARG;
	std::lock_guard<std::mutex> l(init_mu);
	ssp::Device d{dev, 0, 0};
	if (cudaError_t e = cudaSetDevice(dev)) return (ssp_status)e;
	// cudaFree(0) creates the device's primary context now rather than at
	// the first kernel, so that a broken driver shows here.
	if (cudaError_t e = cudaFree(0)) return (ssp_status)e;
	int v;
	if (cudaError_t e = cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, dev)) return (ssp_status)e;
	d.sms = v;
	if (cudaError_t e = cudaDeviceGetAttribute(&v, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev)) return (ssp_status)e;
	d.smem_optin = (size_t)v;
	if (ssp_status e = ssp::ntt_init(d)) return e;
	if (ssp_status e = ssp::commit_init(d)) return e;
	current = d;
	current_id.store(dev);
	return SSP_OK;
}

extern "C" ssp_status ssp_alloc(ssp_dptr *ptr, uint64_t bytes) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	if (!ptr || bytes == 0) return SSP_ERR_ARG;
	void *p = nullptr;
	if (cudaError_t e = cudaMalloc(&p, bytes)) return (ssp_status)e;
	*ptr = (ssp_dptr)p;
	return SSP_OK;
}

extern "C" ssp_status ssp_free(ssp_dptr ptr) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	return (ssp_status)cudaFree((void *)ptr);
}

extern "C" ssp_status ssp_copy_to_device(ssp_dptr dst, const void *src, uint64_t bytes, ssp_stream s) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	if (bytes == 0) return SSP_OK;
	if (!dst || !src) return SSP_ERR_ARG;
	cudaStream_t st = ssp::stream(s);
	if (cudaError_t e = cudaMemcpyAsync((void *)dst, src, bytes, cudaMemcpyHostToDevice, st)) return (ssp_status)e;
	// From pageable memory the copy is staged before cudaMemcpyAsync returns;
	// from page-locked memory it is not, and the caller may reuse src as soon
	// as this returns, so wait for it then.
	cudaPointerAttributes at;
	if (cudaError_t e = cudaPointerGetAttributes(&at, src)) return (ssp_status)e;
	if (at.type == cudaMemoryTypeHost) return (ssp_status)cudaStreamSynchronize(st);
	return SSP_OK;
}

extern "C" ssp_status ssp_copy_to_host(void *dst, ssp_dptr src, uint64_t bytes, ssp_stream s) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	if (bytes == 0) return SSP_OK;
	if (!dst || !src) return SSP_ERR_ARG;
	cudaStream_t st = ssp::stream(s);
	if (cudaError_t e = cudaMemcpyAsync(dst, (const void *)src, bytes, cudaMemcpyDeviceToHost, st)) return (ssp_status)e;
	return (ssp_status)cudaStreamSynchronize(st);
}

extern "C" ssp_status ssp_copy_device(ssp_dptr dst, ssp_dptr src, uint64_t bytes, ssp_stream s) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	if (bytes == 0) return SSP_OK;
	if (!dst || !src) return SSP_ERR_ARG;
	return (ssp_status)cudaMemcpyAsync((void *)dst, (const void *)src, bytes, cudaMemcpyDeviceToDevice, ssp::stream(s));
}

extern "C" ssp_status ssp_stream_create(ssp_stream *s) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	if (!s) return SSP_ERR_ARG;
	cudaStream_t st;
	// Non-blocking: the library's streams never wait for the legacy default stream.
	if (cudaError_t e = cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking)) return (ssp_status)e;
	*s = (ssp_stream)st;
	return SSP_OK;
}

extern "C" ssp_status ssp_stream_destroy(ssp_stream s) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	if (!s) return SSP_ERR_ARG;
	return (ssp_status)cudaStreamDestroy((cudaStream_t)s);
}

extern "C" ssp_status ssp_stream_sync(ssp_stream s) {
	ssp::Device dev;
	if (ssp_status e = ssp::enter(&dev)) return e;
	return (ssp_status)cudaStreamSynchronize(ssp::stream(s));
}
