package sumcheck

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/ssprove/ssprove/internal/wire"
)

// encodingVersion is the first byte of an encoded proof.
const encodingVersion = 1

// maxRoundEvals is the most evaluations an encoded round may hold: MaxDegree
// (s(0) and s(2), …, s(d)).
const maxRoundEvals = MaxDegree

// The encoding of a Proof, every integer little-endian:
//
//	version        1 byte (1)
//	rounds         1 byte, at most MaxRounds
//	per round      1 byte count c ≤ MaxDegree, then c elements of K
//	evals          4 bytes count e ≤ MaxPolys, then e elements of K
//
// An element of K is A0 then A1, each a canonical word (below q) in 8 bytes.
// Rounds carry their own counts so that every Proof within the bounds, well
// formed for Verify or not, encodes and decodes to an equal one (a nil slice
// decodes as an empty one).

// AppendBinary appends the encoding of p to b (encoding.BinaryAppender).
// It fails, wrapping ErrEncoding and returning b as it was, when p exceeds
// the bounds of the encoding.
func (p *Proof) AppendBinary(b []byte) ([]byte, error) {
	if len(p.Rounds) > MaxRounds {
		return b, fmt.Errorf("sumcheck: encode: %d rounds, at most %d: %w", len(p.Rounds), MaxRounds, ErrEncoding)
	}
	if len(p.Evals) > MaxPolys {
		return b, fmt.Errorf("sumcheck: encode: %d evaluations, at most %d: %w", len(p.Evals), MaxPolys, ErrEncoding)
	}
	size := 2 + 4 + wire.ElemBytes*len(p.Evals)
	for i, s := range p.Rounds {
		if len(s) > maxRoundEvals {
			return b, fmt.Errorf("sumcheck: encode: round %d has %d evaluations, at most %d: %w", i, len(s), maxRoundEvals, ErrEncoding)
		}
		size += 1 + wire.ElemBytes*len(s)
	}
	b = slices.Grow(b, size)
	b = append(b, encodingVersion, byte(len(p.Rounds)))
	for _, s := range p.Rounds {
		b = append(b, byte(len(s)))
		b = wire.AppendElems(b, s)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p.Evals)))
	return wire.AppendElems(b, p.Evals), nil
}

// MarshalBinary returns the encoding of p (encoding.BinaryMarshaler).
func (p *Proof) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(nil)
}

// UnmarshalBinary sets p to the proof data encodes (encoding.BinaryUnmarshaler).
// It accepts exactly the encodings AppendBinary produces: a known version,
// counts within bounds, canonical words and no trailing bytes, and allocates
// no more than the length of data justifies. On error p is left unchanged.
func (p *Proof) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data, ErrEncoding)
	if v := r.Byte(); r.Err() == nil && v != encodingVersion {
		return fmt.Errorf("sumcheck: decode: version %d, want %d: %w", v, encodingVersion, ErrEncoding)
	}
	numRounds := int(r.Byte())
	if r.Err() == nil && numRounds > MaxRounds {
		return fmt.Errorf("sumcheck: decode: %d rounds, at most %d: %w", numRounds, MaxRounds, ErrEncoding)
	}
	if r.Err() == nil && numRounds > r.Len() {
		// Every round takes at least its count byte.
		return fmt.Errorf("sumcheck: decode: %d rounds in %d bytes: %w", numRounds, r.Len(), ErrEncoding)
	}
	var q Proof
	if r.Err() == nil {
		q.Rounds = make([][]K, numRounds)
	}
	for i := range q.Rounds {
		c := int(r.Byte())
		if r.Err() == nil && c > maxRoundEvals {
			return fmt.Errorf("sumcheck: decode: round %d has %d evaluations, at most %d: %w", i, c, maxRoundEvals, ErrEncoding)
		}
		q.Rounds[i] = r.Elems(c)
	}
	e := int(r.Uint32())
	if r.Err() == nil && e > MaxPolys {
		return fmt.Errorf("sumcheck: decode: %d evaluations, at most %d: %w", e, MaxPolys, ErrEncoding)
	}
	q.Evals = r.Elems(e)
	if r.Err() != nil {
		return fmt.Errorf("sumcheck: decode: %w", r.Err())
	}
	if r.Len() != 0 {
		return fmt.Errorf("sumcheck: decode: %d trailing bytes: %w", r.Len(), ErrEncoding)
	}
	*p = q
	return nil
}
