// Package ntt computes number-theoretic transforms over Goldilocks on
// power-of-two domains: forward and inverse, natural and bit-reversed orders,
// cosets, and batches of equal-size transforms.
//
// Results agree element for element with gnark-crypto field/goldilocks/fft on
// the domain of the same size: Forward(v) is that package's FFT(v, fft.DIF)
// followed by a bit reversal, ForwardDIF is FFT(v, fft.DIF) itself.
//
//	d, err := ntt.NewDomain(1 << 20)
//	...
//	err = d.Forward(evals) // evals[i] = Σ_j coeffs[j]·ω^(ij)
//
// The butterflies run on the backend chosen by package accel (pure Go, AVX2,
// AVX-512, NEON); a selected backend without NTT kernels in this build is an
// error, never a silent fallback. Large transforms are split four-step into
// column and row transforms of about √n points, each done on blocks of 8
// columns that stay in cache, and spread over goroutines.
//
// With cuda selected, every transform runs on the GPU through kernels/cuda
// (ssprove's own library; in an icicle build without it, ICICLE's CUDA
// device), copying v to the device and back on each call: a caller chaining
// kernels keeps its data in kernels/cuda Buffers instead. In a build with
// -tags icicle, when accel selects icicle, every transform runs through
// kernels/icicle on ICICLE's CPU device. The results are the same words.
package ntt
