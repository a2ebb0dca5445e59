package lookup

import (
	"encoding/binary"
	"fmt"

	"github.com/ssprove/ssprove/fold/sumcheck"
	"github.com/ssprove/ssprove/internal/wire"
)

// encodingVersion is the first byte of an encoded proof.
const encodingVersion = 1

// The encoding of a Proof, every integer little-endian:
//
//	version        1 byte (1)
//	roots          4 bytes count g ≤ MaxGroups, then P, Q of each as elements of K
//	layers         1 byte count ≤ MaxVars, then per layer 4 bytes length n and
//	               n bytes of its sumcheck.Proof encoding
//	tuples         4 bytes count ≤ MaxGroups, then per group 1 byte count
//	               w ≤ MaxWidth and w elements of K
//
// An element of K is A0 then A1, each a canonical word (below q) in 8 bytes.
// Counts are explicit even where the shapes imply them, so that every Proof
// within the bounds, well formed for Verify or not, encodes and decodes to
// itself; Verify checks them against the shapes.

// AppendBinary appends the encoding of p to b (encoding.BinaryAppender).
// It fails, wrapping ErrEncoding, when p exceeds the bounds of the encoding.
func (p *Proof) AppendBinary(b []byte) ([]byte, error) {
	if len(p.Roots) > MaxGroups {
		return nil, fmt.Errorf("lookup: encode: %d roots, at most %d: %w", len(p.Roots), MaxGroups, ErrEncoding)
	}
	if len(p.Layers) > MaxVars {
		return nil, fmt.Errorf("lookup: encode: %d layers, at most %d: %w", len(p.Layers), MaxVars, ErrEncoding)
	}
	if len(p.Tuples) > MaxGroups {
		return nil, fmt.Errorf("lookup: encode: %d tuple evaluations, at most %d: %w", len(p.Tuples), MaxGroups, ErrEncoding)
	}
	for g, t := range p.Tuples {
		if len(t) > MaxWidth {
			return nil, fmt.Errorf("lookup: encode: group %d has %d tuple evaluations, at most %d: %w", g, len(t), MaxWidth, ErrEncoding)
		}
	}
	b = append(b, encodingVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p.Roots)))
	b = wire.AppendElems(b, flatten(p.Roots))
	b = append(b, byte(len(p.Layers)))
	for k := range p.Layers {
		at := len(b)
		b = append(b, 0, 0, 0, 0)
		var err error
		if b, err = p.Layers[k].AppendBinary(b); err != nil {
			return nil, fmt.Errorf("lookup: encode: layer %d: %w: %w", k, ErrEncoding, err)
		}
		binary.LittleEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p.Tuples)))
	for _, t := range p.Tuples {
		b = append(b, byte(len(t)))
		b = wire.AppendElems(b, t)
	}
	return b, nil
}

// MarshalBinary returns the encoding of p (encoding.BinaryMarshaler).
func (p *Proof) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(nil)
}

// UnmarshalBinary sets p to the proof data encodes (encoding.BinaryUnmarshaler).
// It accepts exactly the encodings AppendBinary produces: a known version,
// counts within bounds, canonical words and no trailing bytes, and allocates
// no more than the length of data justifies. Errors wrap ErrEncoding; on error p
// is left unchanged.
func (p *Proof) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data, ErrEncoding)
	if v := r.Byte(); r.Err() == nil && v != encodingVersion {
		return fmt.Errorf("lookup: decode: version %d, want %d: %w", v, encodingVersion, ErrEncoding)
	}
	var q Proof
	n := int(r.Uint32())
	if r.Err() == nil && n > MaxGroups {
		return fmt.Errorf("lookup: decode: %d roots, at most %d: %w", n, MaxGroups, ErrEncoding)
	}
	if roots := r.Elems(2 * n); r.Err() == nil {
		q.Roots = make([]Fraction, n)
		for g := range q.Roots {
			q.Roots[g] = Fraction{P: roots[2*g], Q: roots[2*g+1]}
		}
	}
	layers := int(r.Byte())
	if r.Err() == nil && layers > MaxVars {
		return fmt.Errorf("lookup: decode: %d layers, at most %d: %w", layers, MaxVars, ErrEncoding)
	}
	if r.Err() == nil {
		q.Layers = make([]sumcheck.Proof, layers)
	}
	for k := range q.Layers {
		enc := r.Take(int(r.Uint32()))
		if r.Err() != nil {
			break
		}
		if err := q.Layers[k].UnmarshalBinary(enc); err != nil {
			return fmt.Errorf("lookup: decode: layer %d: %w: %w", k, ErrEncoding, err)
		}
	}
	n = int(r.Uint32())
	if r.Err() == nil && n > MaxGroups {
		return fmt.Errorf("lookup: decode: %d tuple evaluations, at most %d: %w", n, MaxGroups, ErrEncoding)
	}
	if r.Err() == nil && n > r.Len() {
		// Every group takes at least its count byte.
		return fmt.Errorf("lookup: decode: %d tuple evaluations in %d bytes: %w", n, r.Len(), ErrEncoding)
	}
	if r.Err() == nil {
		q.Tuples = make([][]K, n)
	}
	for g := range q.Tuples {
		w := int(r.Byte())
		if r.Err() == nil && w > MaxWidth {
			return fmt.Errorf("lookup: decode: group %d has %d tuple evaluations, at most %d: %w", g, w, MaxWidth, ErrEncoding)
		}
		q.Tuples[g] = r.Elems(w)
	}
	if r.Err() != nil {
		return fmt.Errorf("lookup: decode: %w", r.Err())
	}
	if r.Len() != 0 {
		return fmt.Errorf("lookup: decode: %d trailing bytes: %w", r.Len(), ErrEncoding)
	}
	*p = q
	return nil
}
