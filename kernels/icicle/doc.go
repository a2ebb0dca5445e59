// Package icicle runs Goldilocks NTTs and vector kernels through ICICLE v3
// (github.com/ingonyama-zk/icicle/v3, its Go wrappers over the C++ library):
// on its CPU device, which is built into the libraries, or on its CUDA device
// when ICICLE's separately installed CUDA backend loads.
//
// The implementation needs cgo, the ICICLE libraries (make icicle builds the
// CPU ones) and the build tag icicle. Without the tag the package only
// reports, through Devices, that this build has no ICICLE; kernels/ntt and
// kernels/field reach it through accel's icicle backend, so callers rarely
// import it directly, except for Buffer.
//
// # Elements
//
// ICICLE keeps a Goldilocks element as its canonical value in two 32-bit
// limbs, little-endian: the same 8 bytes as a uint64. Its Montgomery form is
// x·2^64 mod q, exactly the word gnark-crypto's goldilocks.Element holds, so
// vectors are passed to ICICLE as they are, never copied or converted. The
// kernels that are linear in each operand — NTTs, cosets (with the shift
// passed canonical), Add, Sub, Sum — give gnark-crypto's words directly. A
// product of two Montgomery words is one factor 2^64 too large, so Mul and
// InnerProduct take it out with ICICLE's from-Montgomery conversion (one more
// pass on the device, or one scalar reduction for InnerProduct).
// ToMontgomery and FromMontgomery expose the conversion for callers that hand
// ICICLE data to other ICICLE code in canonical form.
//
// # Device memory
//
// A Buffer is a vector in the memory of the device kernels run on. Every
// kernel takes Host (a []goldilocks.Element) or *Buffer operands in any mix,
// so a chain of kernels can keep its data on the device: copy in once, NTT,
// vector operations, NTT, copy out.
//
// # Errors
//
// Lengths, sizes and devices are checked here before ICICLE is called, because
// ICICLE's own checks abort the process; a status ICICLE returns becomes an
// *Error naming the operation, e.g. "icicle: ntt forward 2^20: InvalidArgument".
package icicle
