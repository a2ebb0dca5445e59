package ccs

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"slices"
	"sync"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/internal/parallel"
)

// Errors wrapped by what the package returns.
var (
	ErrStructure   = errors.New("ccs: malformed constraint system")
	ErrUnsatisfied = errors.New("ccs: assignment does not satisfy the constraints")
)

// grain is the number of constraints from which a loop over them is split
// across cores.
const grain = 1 << 12

// DigestProtocol is the transcript domain of Digest: a new encoding gets a
// new version, so digests of different encodings never meet.
const DigestProtocol = "ssprove/ccs/digest/v2"

// Term is one summand Coeff · ∘_{j ∈ Matrices} M_j·z of a CCS. Matrices is
// the multiset S: indices into the CCS's matrices, repeats allowed.
type Term struct {
	Coeff    goldilocks.Element
	Matrices []int
}

// CCS is a customizable constraint system, immutable once built.
//
// An assignment z has NumVariables() entries: the public input x =
// z[:NumPublic()] followed by the witness w = z[NumPublic():]. Both file
// forms ReadR1CS and ReadChain load put the constant 1 at z[0], inside x (a
// chain names its index in StepSpec.Const1); the CCS itself does not fix it:
// whoever checks a proof holds x and with it the constant.
type CCS struct {
	m, n, numPublic int
	matrices        []*mle.Sparse
	terms           []Term
	degree          int
	digest          func() Digest
}

// New returns the CCS with the given m×n matrices and terms, in which the
// first numPublic variables are public. Each term's multiset must be
// non-empty and name existing matrices; it is stored sorted, the order of a
// multiset being no part of it. Errors wrap ErrStructure.
func New(numPublic int, matrices []*mle.Sparse, terms []Term) (*CCS, error) {
	if len(matrices) == 0 || len(terms) == 0 {
		return nil, fmt.Errorf("ccs: New with %d matrices and %d terms, want at least one of each: %w", len(matrices), len(terms), ErrStructure)
	}
	for j, mj := range matrices {
		if mj == nil {
			return nil, fmt.Errorf("ccs: New: matrix %d is nil: %w", j, ErrStructure)
		}
	}
	m, n := matrices[0].Rows(), matrices[0].Cols()
	for j, mj := range matrices {
		if mj.Rows() != m || mj.Cols() != n {
			return nil, fmt.Errorf("ccs: New: matrix %d is %d×%d, matrix 0 %d×%d: %w", j, mj.Rows(), mj.Cols(), m, n, ErrStructure)
		}
	}
	if numPublic < 0 || numPublic > n {
		return nil, fmt.Errorf("ccs: New: %d public inputs among %d variables: %w", numPublic, n, ErrStructure)
	}
	c := &CCS{m: m, n: n, numPublic: numPublic, matrices: slices.Clone(matrices), terms: make([]Term, len(terms))}
	for i, term := range terms {
		if len(term.Matrices) == 0 {
			return nil, fmt.Errorf("ccs: New: term %d has no matrices: %w", i, ErrStructure)
		}
		for _, j := range term.Matrices {
			if j < 0 || j >= len(matrices) {
				return nil, fmt.Errorf("ccs: New: term %d names matrix %d of %d: %w", i, j, len(matrices), ErrStructure)
			}
		}
		s := slices.Clone(term.Matrices)
		slices.Sort(s)
		c.terms[i] = Term{Coeff: term.Coeff, Matrices: s}
		c.degree = max(c.degree, len(s))
	}
	c.digest = sync.OnceValue(c.computeDigest)
	return c, nil
}

// FromR1CS returns the CCS of the R1CS (A·z) ∘ (B·z) = C·z: matrices
// (A, B, C), terms 1·{A, B} and −1·{C}.
func FromR1CS(a, b, c *mle.Sparse, numPublic int) (*CCS, error) {
	var one, minusOne goldilocks.Element
	one.SetOne()
	minusOne.Neg(&one)
	s, err := New(numPublic, []*mle.Sparse{a, b, c}, []Term{
		{Coeff: one, Matrices: []int{0, 1}},
		{Coeff: minusOne, Matrices: []int{2}},
	})
	if err != nil {
		return nil, fmt.Errorf("ccs: FromR1CS: %w", err)
	}
	return s, nil
}

// NumConstraints returns m, the number of constraints (matrix rows).
func (c *CCS) NumConstraints() int { return c.m }

// NumVariables returns n, the length of an assignment z (matrix columns).
func (c *CCS) NumVariables() int { return c.n }

// NumPublic returns the length of the public input x = z[:NumPublic()].
func (c *CCS) NumPublic() int { return c.numPublic }

// Degree returns the degree of the constraint polynomial, max_i |S_i|: the
// degree in each variable of the polynomial the folding sum-check runs over
// is one more (the eq factor).
func (c *CCS) Degree() int { return c.degree }

// Matrices returns M_1…M_t. The matrices are immutable and shared.
func (c *CCS) Matrices() []*mle.Sparse { return slices.Clone(c.matrices) }

// Terms returns a copy of the terms, each multiset sorted.
func (c *CCS) Terms() []Term {
	ts := make([]Term, len(c.terms))
	for i, t := range c.terms {
		ts[i] = Term{Coeff: t.Coeff, Matrices: slices.Clone(t.Matrices)}
	}
	return ts
}

// UnsatisfiedError reports the first constraint an assignment violates.
type UnsatisfiedError struct {
	Row     int                // the first failing constraint
	Value   goldilocks.Element // what it evaluates to, Σ_i c_i·Π_{j∈S_i} (M_j·z)_Row ≠ 0
	Failing int                // how many constraints fail in all
}

func (e *UnsatisfiedError) Error() string {
	return fmt.Sprintf("ccs: constraint %d evaluates to %s, not 0 (%d failing constraints)", e.Row, e.Value.String(), e.Failing)
}

func (e *UnsatisfiedError) Unwrap() error { return ErrUnsatisfied }

// Residual returns, for each constraint, what it evaluates to on z: all
// zero exactly when z satisfies c. len(z) must be NumVariables(); the error
// otherwise wraps mle.ErrLength.
func (c *CCS) Residual(z []goldilocks.Element) ([]goldilocks.Element, error) {
	if len(z) != c.n {
		return nil, fmt.Errorf("ccs: assignment of %d entries for %d variables: %w", len(z), c.n, mle.ErrLength)
	}
	mz := make([][]goldilocks.Element, len(c.matrices))
	for j, mj := range c.matrices {
		mz[j] = make([]goldilocks.Element, c.m)
		if err := mj.MulVec(mz[j], z); err != nil {
			return nil, fmt.Errorf("ccs: matrix %d: %w", j, err)
		}
	}
	res := make([]goldilocks.Element, c.m)
	parallel.For(c.m, grain, func(lo, hi int) {
		for row := lo; row < hi; row++ {
			for _, t := range c.terms {
				p := t.Coeff
				for _, j := range t.Matrices {
					p.Mul(&p, &mz[j][row])
				}
				res[row].Add(&res[row], &p)
			}
		}
	})
	return res, nil
}

// Check returns nil if z satisfies c, an *UnsatisfiedError (wrapping
// ErrUnsatisfied) naming the first failing constraint if not, and an error
// wrapping mle.ErrLength if z has the wrong length.
func (c *CCS) Check(z []goldilocks.Element) error {
	res, err := c.Residual(z)
	if err != nil {
		return err
	}
	var first *UnsatisfiedError
	for row := range res {
		if res[row].IsZero() {
			continue
		}
		if first == nil {
			first = &UnsatisfiedError{Row: row, Value: res[row]}
		}
		first.Failing++
	}
	if first != nil {
		return first
	}
	return nil
}

// Digest identifies a CCS: the SHA-256 hash of its canonical encoding,
// carried into the field by a Poseidon2 transcript.
type Digest [4]goldilocks.Element

// String returns the digest as 64 hexadecimal digits, its four canonical
// words in order, each most significant digit first.
func (d Digest) String() string {
	return fmt.Sprintf("%016x%016x%016x%016x", d[0].Uint64(), d[1].Uint64(), d[2].Uint64(), d[3].Uint64())
}

// Digest returns the identity of c that the folding transcripts absorb. Two
// structures that differ anywhere get different digests; it is computed once.
//
// It is SHA-256 over the encoding, all integers fixed-width little-endian,
//
//	m, n, numPublic, t, q                             (uint64 each)
//	for each matrix M_1…M_t:
//	    its number of nonzero entries                 (uint64)
//	    each entry, in canonical order (row-major,
//	    increasing column): row, column               (uint32 each)
//	                        value                     (uint64, canonical)
//	for each term: the constant                       (uint64, canonical)
//	               |S_i|, then S_i sorted             (uint64 each)
//
// every record of fixed width or preceded by its count, so the encoding is
// injective (rows and columns are below mle.MaxDim ≤ 2^32). The 32-byte hash
// is absorbed by a transcript of protocol DigestProtocol, which squeezes the
// four field elements. The digest is a commitment the transcripts take as
// given and a recursive verifier would take as a constant, never recomputing
// it in a circuit, so a field-friendly hash buys nothing here: SHA-256, with
// hardware support on the platforms we run on, hashes the hundreds of
// thousands of entries of a step CCS tens of times faster than a Poseidon2
// sponge absorbs them, and a one-shot verifier pays for the digest on every
// run.
func (c *CCS) Digest() Digest { return c.digest() }

func (c *CCS) computeDigest() Digest {
	e := encoder{h: sha256.New(), buf: make([]byte, 0, encodeChunk)}
	e.uint64s(uint64(c.m), uint64(c.n), uint64(c.numPublic), uint64(len(c.matrices)), uint64(len(c.terms)))
	for _, mj := range c.matrices {
		e.uint64s(uint64(mj.NonZeros()))
		for en := range mj.Entries() {
			e.entry(uint32(en.Row), uint32(en.Col), en.Val.Uint64())
		}
	}
	for _, t := range c.terms {
		e.uint64s(t.Coeff.Uint64(), uint64(len(t.Matrices)))
		for _, j := range t.Matrices {
			e.uint64s(uint64(j))
		}
	}
	tr := transcript.New(DigestProtocol)
	tr.AppendBytes("sha256", e.sum())
	var d Digest
	copy(d[:], tr.ChallengeFields("digest", len(d)))
	return d
}

// encodeChunk is the size of the chunks the digest encoding is hashed in:
// large enough that the per-Write cost of the hash vanishes.
const encodeChunk = 64 << 10

// encoder hashes the digest encoding, buffering it into large chunks.
type encoder struct {
	h   hash.Hash
	buf []byte
}

func (e *encoder) reserve(n int) {
	if len(e.buf)+n > cap(e.buf) {
		e.h.Write(e.buf)
		e.buf = e.buf[:0]
	}
}

func (e *encoder) uint64s(vs ...uint64) {
	for _, v := range vs {
		e.reserve(8)
		e.buf = binary.LittleEndian.AppendUint64(e.buf, v)
	}
}

// entry encodes a matrix entry, 16 bytes.
func (e *encoder) entry(row, col uint32, val uint64) {
	e.reserve(16)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, row)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, col)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, val)
}

func (e *encoder) sum() []byte {
	e.h.Write(e.buf)
	return e.h.Sum(nil)
}
