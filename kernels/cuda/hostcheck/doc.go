// Package hostcheck checks, on any machine with g++, the parts of
// libssprove_cuda.so that do not need a GPU: the Goldilocks arithmetic of
// kernels/cuda/goldilocks.cuh and the per-thread code of the NTT and
// commitment kernels (kernels/cuda/ntt.cuh, commit.cuh), which cpp/hostcheck.cpp
// runs block by block on the host. Its test compares them word for word with
// gnark-crypto, kernels/ntt and kernels/ajtai; it has no Go API. What only a
// GPU can check (launches, the parallel schedule, the C ABI) is left to
// kernels/cuda/check.sh.
package hostcheck
