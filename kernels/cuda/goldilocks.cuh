// goldilocks.cuh: Goldilocks arithmetic (q = 2^64 - 2^32 + 1) in gnark-crypto's
// Montgomery form (x stored as x * 2^64 mod q, always below q), for the device
// and the host alike.
//
// The operations are those of kernels/internal/gl64 (scalar.go), instruction
// for instruction where it matters, so that every result is the canonical word
// gnark-crypto and the Go kernels compute. Under nvcc the functions are
// __host__ __device__ (the host side builds twiddle tables); under a plain C++
// compiler the qualifiers vanish, which is how kernels/cuda/hostcheck checks
// this very file against gnark-crypto on a machine without the CUDA toolkit.
#ifndef SSPROVE_GOLDILOCKS_CUH
#define SSPROVE_GOLDILOCKS_CUH

#include <stdint.h>

#ifdef __CUDACC__
#define SSP_HD __host__ __device__ __forceinline__
// SSP_DEV marks the per-thread pieces of the kernels: device code under nvcc,
// plain host functions under the host check, which runs them thread by thread.
#define SSP_DEV __device__ __forceinline__
#else
#define SSP_HD inline
#define SSP_DEV inline
#endif

namespace gl {

// Q is the modulus.
constexpr uint64_t Q = 0xFFFFFFFF00000001ull;
// ONE is 1 in Montgomery form: 2^64 mod q = 2^32 - 1.
constexpr uint64_t ONE = 0xFFFFFFFFull;
// R2 is 2^128 mod q, which takes a plain integer to Montgomery form.
constexpr uint64_t R2 = 0xFFFFFFFE00000001ull;
// GENERATOR is 7, a generator of the multiplicative group (gnark-crypto's
// choice), as a plain integer.
constexpr uint64_t GENERATOR = 7;

// add returns a + b mod q for a, b < q. a + b = a - (q - b): one borrow decides
// the correction, and b = 0 needs no special case.
SSP_HD uint64_t add(uint64_t a, uint64_t b) {
	uint64_t nb = Q - b;
	uint64_t d = a - nb;
	return a < nb ? d + Q : d;
}

// sub returns a - b mod q for a, b < q.
SSP_HD uint64_t sub(uint64_t a, uint64_t b) {
	uint64_t d = a - b;
	return a < b ? d + Q : d;
}

// neg returns -a mod q for a < q.
SSP_HD uint64_t neg(uint64_t a) { return sub(0, a); }

// redc returns (hi * 2^64 + lo) * 2^-64 mod q for hi * 2^64 + lo < q * 2^64.
// q^-1 mod 2^64 is 1 + 2^32, so the Montgomery quotient is m = lo + lo << 32,
// and the high word of m * q is m - m_hi - [m_hi < m_lo] (m_hi, m_lo its 32-bit
// halves): no second multiplication (gl64.Redc explains it at length).
SSP_HD uint64_t redc(uint64_t hi, uint64_t lo) {
	uint64_t m = lo + (lo << 32);
	uint64_t mh = m >> 32;
	uint64_t h = m - mh - (mh < (m & 0xFFFFFFFFull) ? 1 : 0);
	uint64_t t = hi - h;
	return hi < h ? t + Q : t;
}

// mulhi returns the high word of the 128-bit product a * b.
SSP_HD uint64_t mulhi(uint64_t a, uint64_t b) {
#ifdef __CUDA_ARCH__
	return __umul64hi(a, b);
#else
	return (uint64_t)(((unsigned __int128)a * b) >> 64);
#endif
}

// mul returns the Montgomery product a * b * 2^-64 mod q: the product of two
// elements in Montgomery form, in Montgomery form.
SSP_HD uint64_t mul(uint64_t a, uint64_t b) { return redc(mulhi(a, b), a * b); }

// exp returns x^e for x in Montgomery form and e a plain integer.
SSP_HD uint64_t exp(uint64_t x, uint64_t e) {
	uint64_t r = ONE;
	for (; e != 0; e >>= 1) {
		if (e & 1) r = mul(r, x);
		x = mul(x, x);
	}
	return r;
}

// inv returns x^-1 (x^(q-2), so 0 for 0), in Montgomery form.
SSP_HD uint64_t inv(uint64_t x) { return exp(x, Q - 2); }

// from_uint returns the Montgomery form of the integer v < q.
SSP_HD uint64_t from_uint(uint64_t v) { return mul(v, R2); }

// brev returns the low l bits of i reversed (0 when l is 0).
SSP_HD uint64_t brev(uint64_t i, uint32_t l) {
	if (l == 0) return 0;
#ifdef __CUDA_ARCH__
	return __brevll(i) >> (64 - l);
#else
	uint64_t r = 0;
	for (uint32_t b = 0; b < l; b++) r |= ((i >> b) & 1) << (l - 1 - b);
	return r;
#endif
}

}  // namespace gl

#endif  // SSPROVE_GOLDILOCKS_CUH
