package txproof

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ssprove/ssprove/fold/interleave"
	"github.com/ssprove/ssprove/fold/lookup"
	"github.com/ssprove/ssprove/fold/neo"
	"github.com/ssprove/ssprove/internal/wire"
	"github.com/ssprove/ssprove/lattice/ring"
)

// Proof is a proof of a transaction (fold/ARITH.md § 7.4): the statement it
// proves and the prover's messages, in transcript order. The steps' public
// inputs x and commitments C are the chain's (Chain.Steps).
type Proof struct {
	Statement *Statement
	// Memory is the logUp proof of the memory argument over the steps'
	// columns and the public groups.
	Memory *lookup.Proof
	// Cells are the column evaluations v_c, c < interleave.Width, at the
	// memory argument's point.
	Cells []lookup.K
	// Evals are the step claims' evaluations Y_s: per step, one vector of
	// d evaluations per CCS matrix, the identity first.
	Evals [][][]lookup.K
	// Chain is the folding proof of the steps with their claims, whose last
	// fold stops after Π_RLC, and the opening of the combined claim.
	Chain *neo.CombinedChainProof
}

// ErrProofFormat is wrapped by the errors of bytes that are not an encoded
// proof, and of a proof that cannot be encoded.
var ErrProofFormat = errors.New("txproof: bad proof encoding")

// ProofVersion is the version of the proof file this package writes and
// reads.
const ProofVersion = 2

// proofMagic opens a proof file.
var proofMagic = [4]byte{'S', 'S', 'T', 'P'}

// maxMatrices bounds the evaluation vectors of a step claim: an R1CS has
// three matrices and the identity.
const maxMatrices = 8

// The proof file, every integer little-endian, every element of K its two
// coordinates as canonical words (below q) of 8 bytes:
//
//	magic       "SSTP"
//	version     2 bytes (ProofVersion)
//	preset      1 byte: 1 for ajtai.Goldilocks
//	statement   4 bytes L, then L bytes: Statement.Encode
//	memory      4 bytes L, then L bytes: the lookup.Proof's encoding
//	cells       interleave.Width elements of K
//	evals       1 byte t+1 ≤ 8, then per step of the statement t+1 vectors
//	            of d = 54 elements of K
//	chain       the rest: the neo.CombinedChainProof's encoding
//
// Every count is the statement's or the preset's, or checked against the
// bytes left before anything is allocated for it; an encoding holds nothing
// else, so a proof has one encoding and decoding then encoding gives the
// input back.

// AppendBinary appends the proof file of p to b (encoding.BinaryAppender).
// A proof that is incomplete or whose parts have no encoding is an error
// wrapping ErrProofFormat, and b is returned as it was.
func (p *Proof) AppendBinary(b []byte) ([]byte, error) {
	out, err := p.appendBinary(b)
	if err != nil {
		return b, fmt.Errorf("%w: %w", ErrProofFormat, err)
	}
	return out, nil
}

func (p *Proof) appendBinary(b []byte) ([]byte, error) {
	if p.Statement == nil || p.Memory == nil || p.Chain == nil {
		return nil, errors.New("incomplete proof")
	}
	if len(p.Cells) != interleave.Width {
		return nil, fmt.Errorf("%d column evaluations, want %d", len(p.Cells), interleave.Width)
	}
	if len(p.Evals) != int(p.Statement.Steps) {
		return nil, fmt.Errorf("%d step claims for %d steps", len(p.Evals), p.Statement.Steps)
	}
	mats := 0
	if len(p.Evals) > 0 {
		mats = len(p.Evals[0])
	}
	if mats == 0 || mats > maxMatrices {
		return nil, fmt.Errorf("step claims of %d vectors", mats)
	}
	for i, y := range p.Evals {
		if len(y) != mats {
			return nil, fmt.Errorf("step claim %d has %d vectors, the first %d", i, len(y), mats)
		}
		for _, v := range y {
			if len(v) != ring.D {
				return nil, fmt.Errorf("step claim %d has a vector of %d evaluations, want %d", i, len(v), ring.D)
			}
		}
	}
	b = append(b, proofMagic[:]...)
	b = binary.LittleEndian.AppendUint16(b, ProofVersion)
	b = append(b, presetGoldilocks)
	stmt := p.Statement.Encode()
	b = binary.LittleEndian.AppendUint32(b, uint32(len(stmt)))
	b = append(b, stmt...)
	at := len(b)
	b = append(b, 0, 0, 0, 0)
	b, err := p.Memory.AppendBinary(b)
	if err != nil {
		return nil, err
	}
	binary.LittleEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	b = wire.AppendElems(b, p.Cells)
	b = append(b, byte(mats))
	for _, y := range p.Evals {
		for _, v := range y {
			b = wire.AppendElems(b, v)
		}
	}
	return p.Chain.AppendBinary(b)
}

// MarshalBinary returns the proof file of p (encoding.BinaryMarshaler).
func (p *Proof) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(nil)
}

// UnmarshalBinary sets p to the proof data encodes
// (encoding.BinaryUnmarshaler). It accepts exactly the files AppendBinary
// writes: the magic, a known version and preset, parts of the lengths the
// statement and the preset imply, canonical words and no trailing bytes,
// and allocates no more than the length of data justifies. Errors wrap
// ErrProofFormat; on error p is left unchanged. It checks the encoding, not
// the proof: that is Verify.
func (p *Proof) UnmarshalBinary(data []byte) error {
	q, err := decodeProof(&reader{b: data})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrProofFormat, err)
	}
	*p = *q
	return nil
}

func decodeProof(r *reader) (*Proof, error) {
	if m := r.take(4); r.err != nil || [4]byte(m) != proofMagic {
		return nil, errors.New("not a proof file")
	}
	if v := r.u16(); r.err == nil && v != ProofVersion {
		return nil, fmt.Errorf("version %d, this build reads %d", v, ProofVersion)
	}
	if preset := r.u8(); r.err == nil && preset != presetGoldilocks {
		return nil, fmt.Errorf("parameter preset %d, this build knows %d", preset, presetGoldilocks)
	}
	stmt := r.take(int(r.lengthLeft()))
	if r.err != nil {
		return nil, r.err
	}
	s, err := DecodeStatement(stmt)
	if err != nil {
		return nil, err
	}
	p := &Proof{Statement: s, Memory: new(lookup.Proof)}
	mem := r.take(int(r.lengthLeft()))
	if r.err != nil {
		return nil, r.err
	}
	if err := p.Memory.UnmarshalBinary(mem); err != nil {
		return nil, err
	}
	p.Cells = r.elems(interleave.Width)
	mats := int(r.u8())
	switch {
	case r.err != nil:
		return nil, r.err
	case mats == 0 || mats > maxMatrices:
		return nil, fmt.Errorf("step claims of %d vectors, want 1 to %d", mats, maxMatrices)
	case uint64(s.Steps)*uint64(mats)*ring.D*wire.ElemBytes > uint64(len(r.b)):
		return nil, fmt.Errorf("%d step claims in %d bytes", s.Steps, len(r.b))
	}
	p.Evals = make([][][]lookup.K, s.Steps)
	for i := range p.Evals {
		p.Evals[i] = make([][]lookup.K, mats)
		for j := range p.Evals[i] {
			p.Evals[i][j] = r.elems(ring.D)
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	p.Chain = new(neo.CombinedChainProof)
	if err := p.Chain.UnmarshalBinary(r.b); err != nil {
		return nil, err
	}
	return p, nil
}

// lengthLeft reads a part's length and refuses one longer than the bytes
// left.
func (r *reader) lengthLeft() uint32 {
	n := r.u32()
	if r.err == nil && uint64(n) > uint64(len(r.b)) {
		r.err = fmt.Errorf("a part of %d bytes in %d", n, len(r.b))
		return 0
	}
	return n
}

// elems reads n elements of K, refusing a word that is not canonical; the
// caller has bounded n.
func (r *reader) elems(n int) []lookup.K {
	if r.err == nil && n*wire.ElemBytes > len(r.b) {
		r.err = fmt.Errorf("%d elements in %d bytes", n, len(r.b))
	}
	if r.err != nil {
		return nil
	}
	wr := wire.NewReader(r.take(n*wire.ElemBytes), ErrProofFormat)
	out := wr.Elems(n)
	if err := wr.Err(); err != nil {
		r.err = err
		return nil
	}
	return out
}
