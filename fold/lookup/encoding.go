package lookup

import (
	"encoding/binary"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/sumcheck"
)

// encodingVersion is the first byte of an encoded proof.
const encodingVersion = 1

// elemBytes is the size of an encoded element of K: two little-endian
// canonical words, A0 then A1.
const elemBytes = 2 * goldilocks.Bytes

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
	b = appendElems(b, flatten(p.Roots))
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
		b = appendElems(b, t)
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
	r := reader{data: data}
	if v := r.byte(); r.err == nil && v != encodingVersion {
		return fmt.Errorf("lookup: decode: version %d, want %d: %w", v, encodingVersion, ErrEncoding)
	}
	var q Proof
	n := int(r.uint32())
	if r.err == nil && n > MaxGroups {
		return fmt.Errorf("lookup: decode: %d roots, at most %d: %w", n, MaxGroups, ErrEncoding)
	}
	if roots := r.elems(2 * n); r.err == nil {
		q.Roots = make([]Fraction, n)
		for g := range q.Roots {
			q.Roots[g] = Fraction{P: roots[2*g], Q: roots[2*g+1]}
		}
	}
	layers := int(r.byte())
	if r.err == nil && layers > MaxVars {
		return fmt.Errorf("lookup: decode: %d layers, at most %d: %w", layers, MaxVars, ErrEncoding)
	}
	if r.err == nil {
		q.Layers = make([]sumcheck.Proof, layers)
	}
	for k := range q.Layers {
		enc := r.take(int(r.uint32()))
		if r.err != nil {
			break
		}
		if err := q.Layers[k].UnmarshalBinary(enc); err != nil {
			return fmt.Errorf("lookup: decode: layer %d: %w: %w", k, ErrEncoding, err)
		}
	}
	n = int(r.uint32())
	if r.err == nil && n > MaxGroups {
		return fmt.Errorf("lookup: decode: %d tuple evaluations, at most %d: %w", n, MaxGroups, ErrEncoding)
	}
	if r.err == nil && n > len(r.data) {
		// Every group takes at least its count byte.
		return fmt.Errorf("lookup: decode: %d tuple evaluations in %d bytes: %w", n, len(r.data), ErrEncoding)
	}
	if r.err == nil {
		q.Tuples = make([][]K, n)
	}
	for g := range q.Tuples {
		w := int(r.byte())
		if r.err == nil && w > MaxWidth {
			return fmt.Errorf("lookup: decode: group %d has %d tuple evaluations, at most %d: %w", g, w, MaxWidth, ErrEncoding)
		}
		q.Tuples[g] = r.elems(w)
	}
	if r.err != nil {
		return fmt.Errorf("lookup: decode: %w", r.err)
	}
	if len(r.data) != 0 {
		return fmt.Errorf("lookup: decode: %d trailing bytes: %w", len(r.data), ErrEncoding)
	}
	*p = q
	return nil
}

func appendElems(b []byte, xs []K) []byte {
	var w [goldilocks.Bytes]byte
	for i := range xs {
		goldilocks.LittleEndian.PutElement(&w, xs[i].A0)
		b = append(b, w[:]...)
		goldilocks.LittleEndian.PutElement(&w, xs[i].A1)
		b = append(b, w[:]...)
	}
	return b
}

// reader consumes an encoding; after the first error every read returns
// zero and the error stays.
type reader struct {
	data []byte
	err  error
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.data) < n {
		r.err = fmt.Errorf("%d bytes left, %d needed: %w", len(r.data), n, ErrEncoding)
		return nil
	}
	b := r.data[:n:n]
	r.data = r.data[n:]
	return b
}

func (r *reader) byte() byte {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) uint32() uint32 {
	if b := r.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

// elems reads n elements of K, checking the input holds them before
// allocating.
func (r *reader) elems(n int) []K {
	b := r.take(n * elemBytes)
	if b == nil {
		return nil
	}
	xs := make([]K, n)
	for i := range xs {
		a0, err0 := goldilocks.LittleEndian.Element((*[goldilocks.Bytes]byte)(b[:goldilocks.Bytes]))
		a1, err1 := goldilocks.LittleEndian.Element((*[goldilocks.Bytes]byte)(b[goldilocks.Bytes:elemBytes]))
		if err0 != nil || err1 != nil {
			r.err = fmt.Errorf("element %d has a word at or above q: %w", i, ErrEncoding)
			return nil
		}
		xs[i] = K{A0: a0, A1: a1}
		b = b[elemBytes:]
	}
	return xs
}
