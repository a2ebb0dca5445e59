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
// In a build with -tags icicle, when accel selects icicle, every transform
// runs through kernels/icicle on ICICLE's CPU device instead, with the same
// results.
package ntt
