// Package field is element-wise arithmetic on vectors of Goldilocks elements,
// the loops that commitments, sum-check and the NTT glue spend their time in:
// sums, products, scalings, inner products and batch inversion.
//
// Vectors are []goldilocks.Element from gnark-crypto, whose values these
// functions reproduce exactly. Each call runs on the backend accel.Selected
// returns (portable Go, AVX-512, AVX2 or NEON); a selected backend that has no
// vector loops in this build is an error naming it, never a silent fallback.
// With cuda selected, Add, Sub, Mul, ScalarMul and MulAdd run on the GPU
// through kernels/cuda, each call copying its vectors to the device and back
// (chains of kernels belong in kernels/cuda Buffers); the rest run on the
// fastest CPU backend (accel.Host).
// With icicle selected (-tags icicle), Add, Sub, Mul, Sum and InnerProduct run
// through kernels/icicle on ICICLE's CPU device; ScalarMul, MulAdd and
// BatchInverse, which ICICLE v3.9's Go wrappers do not offer for fields, run on
// the loops of the fastest CPU backend here (accel.Host).
//
// Every function checks that its vectors have equal lengths and returns an
// error wrapping ErrLength otherwise; nil and empty vectors are valid. The
// result may be the same slice as any input. Large vectors (tens of thousands
// of elements and more) are split into contiguous chunks that run on up to
// GOMAXPROCS goroutines; smaller ones run on the calling goroutine.
//
// None of the functions is constant-time with respect to lengths; the
// arithmetic itself has no data-dependent branches except BatchInverse's zero
// test.
package field
