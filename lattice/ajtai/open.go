package ajtai

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math/bits"
	"unsafe"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/consensys/gnark-crypto/field/goldilocks/extensions"

	"github.com/ssprove/ssprove/internal/parallel"
	kajtai "github.com/ssprove/ssprove/kernels/ajtai"
	"github.com/ssprove/ssprove/kernels/field"
	"github.com/ssprove/ssprove/lattice/ring"
)

// OpenDomain separates the hash that draws VerifySmall's evaluation point
// from every other use of SHA-256.
const OpenDomain = "ssprove/ajtai/open/v1"

// Quotients are the κ·(d−1) coefficients q_i[t] at i·(D−1)+t.
type Quotients []goldilocks.Element

// CommitSmall commits to Z ∈ Z^{d×m}, column-major (len d·m), each entry
// lifted to F (z < 0 as q + z), and returns with the commitment c the
// quotients q_i of P_i = Σ_j M_ij·z_j, computed in F[X], by Φ81:
// P_i = c_i + Φ81·q_i. They let VerifySmall check the opening at one random
// point instead of committing again.
func (pp *PublicParams) CommitSmall(ctx context.Context, Z []int32) (Commitment, Quotients, error) {
	p := pp.params
	if len(Z) != p.D*p.M {
		return nil, nil, fmt.Errorf("%w: witness has %d entries, want d·m = %d·%d = %d", ErrShape, len(Z), p.D, p.M, p.D*p.M)
	}
	lifted := make([]goldilocks.Element, len(Z))
	kajtai.Lift(lifted, Z)
	out := make([]goldilocks.Element, p.Kappa*ring.D)
	quo := make(Quotients, p.Kappa*(ring.D-1))
	if err := kajtai.CommitQuotients(ctx, pp.mat, lifted, out, quo); err != nil {
		return nil, nil, err
	}
	return pp.commitment(out), quo, nil
}

// CommitDigitsOpening commits to the digit matrix Z as CommitDigits does,
// and returns with the commitment the quotients VerifySmall checks an
// opening of Z with, which the same pass computes at no extra cost. When
// commitments run on the CUDA device (its kernel returns reduced
// commitments only), it commits there and returns no quotients: a caller
// that needs them then calls CommitSmall.
func (pp *PublicParams) CommitDigitsOpening(ctx context.Context, Z []int8) (Commitment, Quotients, error) {
	p := pp.params
	if len(Z) != p.D*p.M {
		return nil, nil, fmt.Errorf("%w: witness has %d entries, want d·m = %d·%d = %d", ErrShape, len(Z), p.D, p.M, p.D*p.M)
	}
	if kajtai.OnDevice() {
		cs, err := pp.CommitDigits(ctx, [][]int8{Z})
		if err != nil {
			return nil, nil, err
		}
		return cs[0], nil, nil
	}
	out := make([]goldilocks.Element, p.Kappa*ring.D)
	quo := make(Quotients, p.Kappa*(ring.D-1))
	if err := kajtai.CommitDigitsQuotients(ctx, pp.mat, Z, out, quo); err != nil {
		return nil, nil, err
	}
	return pp.commitment(out), quo, nil
}

// VerifySmall checks that Z opens c with ‖Z‖∞ < bound, given the quotients
// quo that CommitSmall returned, without committing to Z again. It returns nil
// only then; ErrShape for a commitment, witness or quotients of the wrong
// length; ErrNorm naming the first entry too large (or for a bound below 1);
// ErrEntry for a word of c or quo that is not a reduced field element; and
// ErrMismatch when the check fails.
//
// The check is at a random point α ∈ F_{q²}: α is drawn from SHA-256 of
// OpenDomain, the seed, κ, d, m, c, quo and Z (see openingPoint), and for
// every row i it tests
//
//	Σ_j M_ij(α)·z_j(α) = c_i(α) + Φ81(α)·q_i(α),
//
// the left side as Σ_t α^t·u_it with u = Σ_j z_j(α)·M_j (CombineColumns):
// one pass over M, streamed from the seed when M is not stored, and no
// polynomial products. Soundness: if c ≠ M·Z in R_q then, whatever quo holds,
// some row's Σ_j M_ij·z_j − c_i − Φ81·q_i is a non-zero polynomial over F
// of degree at most 2d − 2 = 106 (it is zero exactly when the row's
// commitment is right and q_i is its quotient), so it vanishes at α with
// probability at most 106/q² ≈ 2^−121. α is a hash of everything the
// polynomial depends on, so a prover that searches for a lucky transcript
// gains that much per hash it evaluates (Fiat–Shamir).
func (pp *PublicParams) VerifySmall(ctx context.Context, c Commitment, Z []int32, quo Quotients, bound int) error {
	p := pp.params
	switch {
	case len(c) != p.Kappa:
		return fmt.Errorf("%w: commitment has %d ring elements, want κ = %d", ErrShape, len(c), p.Kappa)
	case len(Z) != p.D*p.M:
		return fmt.Errorf("%w: witness has %d entries, want d·m = %d·%d = %d", ErrShape, len(Z), p.D, p.M, p.D*p.M)
	case len(quo) != p.Kappa*(ring.D-1):
		return fmt.Errorf("%w: %d quotient coefficients, want κ·(d−1) = %d·%d = %d", ErrShape, len(quo), p.Kappa, ring.D-1, p.Kappa*(ring.D-1))
	case bound < 1:
		return fmt.Errorf("%w: bound %d < 1 admits no witness", ErrNorm, bound)
	}
	for i, z := range Z {
		if s := int64(z); s >= int64(bound) || -s >= int64(bound) {
			return fmt.Errorf("%w: row %d of column %d holds %d, |·| ≥ %d", ErrNorm, i%p.D, i/p.D, s, bound)
		}
	}
	for i := range c {
		for t, e := range c[i] {
			if e[0] >= q {
				return fmt.Errorf("%w: coefficient %d of commitment element %d is %#x", ErrEntry, t, i, e[0])
			}
		}
	}
	for k, e := range quo {
		if e[0] >= q {
			return fmt.Errorf("%w: coefficient %d of quotient %d is %#x", ErrEntry, k%(ring.D-1), k/(ring.D-1), e[0])
		}
	}
	return pp.openAt(ctx, pp.openingPoint(c, Z, quo), c, Z, quo)
}

// openingPoint is VerifySmall's α:
//
//	h  = SHA-256(OpenDomain ‖ seed ‖ LE64(κ) ‖ LE64(d) ‖ LE64(m) ‖ c ‖ quo ‖ Z)
//	α  = (LE128(h[0:16]) mod q) + (LE128(h[16:32]) mod q)·u
//
// with the coefficients of c (ring element by ring element) and the
// entries of quo as canonical LE64 words and the entries of Z as LE32 two's
// complement words. Reducing 128 bits mod q leaves a bias below 2^−64.
func (pp *PublicParams) openingPoint(c Commitment, Z []int32, quo Quotients) extensions.E2 {
	h := sha256.New()
	buf := append([]byte(OpenDomain), pp.seed[:]...)
	for _, n := range []int{pp.params.Kappa, pp.params.D, pp.params.M} {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(n))
	}
	for i := range c {
		for _, e := range c[i] {
			buf = binary.LittleEndian.AppendUint64(buf, e.Uint64())
		}
	}
	for _, e := range quo {
		buf = binary.LittleEndian.AppendUint64(buf, e.Uint64())
	}
	h.Write(buf)
	writeInt32s(h, Z)
	sum := h.Sum(nil)
	var alpha extensions.E2
	alpha.A0.SetUint64(mod128(sum[0:16]))
	alpha.A1.SetUint64(mod128(sum[16:32]))
	return alpha
}

// mod128 is the 16 bytes of b, read as a little-endian integer, mod q.
func mod128(b []byte) uint64 {
	return bits.Rem64(binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b), q)
}

// writeInt32s writes Z to h as LE32 words: straight from memory where that
// is their layout, through a buffer otherwise.
func writeInt32s(h hash.Hash, Z []int32) {
	if littleEndian {
		h.Write(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(Z))), 4*len(Z)))
		return
	}
	buf := make([]byte, 0, 1<<14)
	for len(Z) > 0 {
		n := min(len(Z), cap(buf)/4)
		buf = buf[:0]
		for _, z := range Z[:n] {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(z))
		}
		h.Write(buf)
		Z = Z[n:]
	}
}

// openAt checks VerifySmall's identity at alpha for every row.
func (pp *PublicParams) openAt(ctx context.Context, alpha extensions.E2, c Commitment, Z []int32, quo Quotients) error {
	p := pp.params
	var pow [ring.D + 1]extensions.E2
	pow[0].SetOne()
	for t := 1; t < len(pow); t++ {
		pow[t].Mul(&pow[t-1], &alpha)
	}
	var phi extensions.E2
	phi.SetOne()
	phi.Add(&phi, &pow[27])
	phi.Add(&phi, &pow[ring.D])

	v := evalColumns(pow[:ring.D], Z, p.M)
	u := make([]extensions.E2, p.Kappa*ring.D)
	if err := kajtai.CombineColumns(ctx, pp.mat, v, u); err != nil {
		return err
	}
	for i := range p.Kappa {
		lhs := innerExt(pow[:ring.D], u[i*ring.D:(i+1)*ring.D])
		rhs := innerBase(pow[:ring.D-1], quo[i*(ring.D-1):(i+1)*(ring.D-1)])
		rhs.Mul(&rhs, &phi)
		ci := innerBase(pow[:ring.D], c[i][:])
		rhs.Add(&rhs, &ci)
		if !lhs.Equal(&rhs) {
			return fmt.Errorf("%w (ring element %d fails the check at a random point)", ErrMismatch, i)
		}
	}
	return nil
}

// evalColumns returns z_j(α) for the m columns of Z, given pow[t] = α^t for
// t < d, across goroutines. Each is a sum of d products of a word by a small
// integer, kept unreduced (field.LazySum) and reduced once per coefficient
// of K: z + 2^31 ≥ 0 is multiplied by the Montgomery word of α^t·R, so the
// reduction yields the Montgomery form of Σ_t (z_t + 2^31)·α^t, and
// 2^31·Σ_t α^t is subtracted at the end.
func evalColumns(pow []extensions.E2, Z []int32, m int) []extensions.E2 {
	const shift = 1 << 31
	var r, sh goldilocks.Element
	r.SetUint64(1<<32 - 1) // R = 2^64 mod q
	sh.SetUint64(shift)
	var w0, w1 [ring.D]goldilocks.Element
	var off extensions.E2
	for t := range ring.D {
		w0[t].Mul(&pow[t].A0, &r)
		w1[t].Mul(&pow[t].A1, &r)
		off.Add(&off, &pow[t])
	}
	off.MulByElement(&off, &sh)
	v := make([]extensions.E2, m)
	parallel.For(m, 1<<10, func(lo, hi int) {
		for j := lo; j < hi; j++ {
			var s0, s1 field.LazySum
			for t, z := range Z[j*ring.D : (j+1)*ring.D] {
				x := goldilocks.Element{uint64(uint32(z) ^ shift)}
				s0 = s0.MulAdd(w0[t], x)
				s1 = s1.MulAdd(w1[t], x)
			}
			v[j].A0 = s0.Reduce()
			v[j].A1 = s1.Reduce()
			v[j].Sub(&v[j], &off)
		}
	})
	return v
}

// innerExt is Σ a[t]·b[t] over K.
func innerExt(a, b []extensions.E2) extensions.E2 {
	var s, x extensions.E2
	for t := range a {
		x.Mul(&a[t], &b[t])
		s.Add(&s, &x)
	}
	return s
}

// innerBase is Σ a[t]·b[t] for b over F.
func innerBase(a []extensions.E2, b []goldilocks.Element) extensions.E2 {
	var s, x extensions.E2
	for t := range a {
		x.MulByElement(&a[t], &b[t])
		s.Add(&s, &x)
	}
	return s
}
