// Package accel detects what this machine and this build can run and holds the
// one process-wide choice of backend that every kernel dispatches through.
//
// A backend is named on the command line (--accel) or in the SSPROVE_ACCEL
// environment variable: go, avx2, avx512, neon, icicle, cuda or auto. auto picks
// the fastest backend available here. Asking for a backend that cannot run is
// an error that names what is missing; ssprove never falls back silently.
//
//	b, err := accel.Use(accel.Auto) // or accel.Parse(flag) first
//	fmt.Println(accel.Explain(b))   // why this one
//
// Kernels call Selected on every entry; the first call settles the choice from
// SSPROVE_ACCEL (auto when unset) unless Use was called before.
package accel
