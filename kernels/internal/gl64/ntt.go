package gl64

import "github.com/ssprove/ssprove/accel"

// NTT is one implementation of the butterfly kernels that kernels/ntt builds
// its transforms from.
//
// Every kernel works on a block: m rows of 8 elements stored row after row, so
// row r is a[8r:8r+8] and len(a) = 8m. The transforms run down the columns:
// each of the 8 columns is an independent sequence of length m. A row is then
// one vector (a ZMM, two YMMs, four NEON Q registers) and a butterfly is plain
// lane-wise arithmetic with one broadcast twiddle, no shuffles. Gather and
// Scatter are the only kernels that move data between lanes.
//
// Twiddle tables tw hold tw[i] = ω^i for i < m/2, where ω is a primitive m-th
// root of unity (the inverse transforms pass ω⁻¹); a layer whose butterflies
// pair rows h apart reads tw[i·m/(2h)]. A longer table is allowed: only its
// first m/2 entries are read. Kernels check nothing; kernels/ntt validates.
// For m ≥ 4, tw[m/4] = ω^(m/4) is a primitive 4th root of unity, and Goldilocks
// has only two, ±2^48: kernels may multiply by it with shifts.
type NTT struct {
	// DIF transforms each column in place from natural order to bit-reversed
	// order (decimation in frequency): afterwards row r of column c holds
	// Σ_j a[8j+c]·ω^(j·rev(r)), rev reversing log2(m) bits. m is a power of
	// two, m ≥ 1; len(tw) ≥ m/2.
	DIF func(a, tw []E)

	// DIT transforms each column in place from bit-reversed order to natural
	// order (decimation in time): afterwards row r of column c holds
	// Σ_j a[8·rev(j)+c]·ω^(j·r). Same m and tw as DIF, so DIT after DIF with
	// tables for ω and ω⁻¹ multiplies every element by m.
	DIT func(a, tw []E)

	// Twiddle multiplies row r lane by lane by t0·step^r:
	// a[8r+c] ← a[8r+c]·t0[c]·step[c]^r, for any m ≥ 0.
	Twiddle func(a []E, t0, step *[8]E)

	// Gather fills the block with the transpose of 8 rows of src:
	// a[8r+c] = src[off[c]+r] for r < m, where m = len(a)/8 is a multiple of 8
	// and every src[off[c] : off[c]+m] is in range. The 8 source rows may be
	// anywhere and in any order.
	Gather func(a, src []E, off *[8]int)

	// Scatter is the inverse of Gather: dst[off[c]+r] = a[8r+c] for r < m,
	// same conditions on m and off. The destination rows must not overlap.
	Scatter func(dst []E, off *[8]int, a []E)
}

// NTTKernels returns the butterfly kernels of backend b, or nil when this
// build has none for it.
func NTTKernels(b accel.Backend) *NTT {
	if b == accel.Go {
		return &GenericNTT
	}
	return archNTT(b)
}

// GenericNTT is the portable implementation, the reference for every other one.
var GenericNTT = NTT{
	DIF:     difGeneric,
	DIT:     ditGeneric,
	Twiddle: twiddleGeneric,
	Gather:  gatherGeneric,
	Scatter: scatterGeneric,
}
