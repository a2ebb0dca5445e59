package sumcheck

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// encodingVersion is the first byte of an encoded proof.
const encodingVersion = 1

// maxRoundEvals is the most evaluations an encoded round may hold: degree
// MaxDegree plus one.
const maxRoundEvals = MaxDegree + 1

// elemBytes is the size of an encoded element of K: two little-endian
// canonical words, A0 then A1.
const elemBytes = 2 * goldilocks.Bytes

// The encoding of a Proof, every integer little-endian:
//
//	version        1 byte (1)
//	rounds         1 byte, at most MaxRounds
//	per round      1 byte count c ≤ MaxDegree+1, then c elements of K
//	evals          4 bytes count e ≤ MaxPolys, then e elements of K
//
// An element of K is A0 then A1, each a canonical word (below q) in 8 bytes.
// Rounds carry their own counts so that every Proof within the bounds, well
// formed for Verify or not, encodes and decodes to itself.

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
	size := 2 + 4 + elemBytes*len(p.Evals)
	for i, s := range p.Rounds {
		if len(s) > maxRoundEvals {
			return b, fmt.Errorf("sumcheck: encode: round %d has %d evaluations, at most %d: %w", i, len(s), maxRoundEvals, ErrEncoding)
		}
		size += 1 + elemBytes*len(s)
	}
	b = slices.Grow(b, size)
	b = append(b, encodingVersion, byte(len(p.Rounds)))
	for _, s := range p.Rounds {
		b = append(b, byte(len(s)))
		b = appendElems(b, s)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p.Evals)))
	return appendElems(b, p.Evals), nil
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
	r := reader{data: data}
	if v := r.byte(); r.err == nil && v != encodingVersion {
		return fmt.Errorf("sumcheck: decode: version %d, want %d: %w", v, encodingVersion, ErrEncoding)
	}
	numRounds := int(r.byte())
	if r.err == nil && numRounds > MaxRounds {
		return fmt.Errorf("sumcheck: decode: %d rounds, at most %d: %w", numRounds, MaxRounds, ErrEncoding)
	}
	if r.err == nil && numRounds > len(r.data) {
		// Every round takes at least its count byte.
		return fmt.Errorf("sumcheck: decode: %d rounds in %d bytes: %w", numRounds, len(r.data), ErrEncoding)
	}
	var q Proof
	if r.err == nil {
		q.Rounds = make([][]K, numRounds)
	}
	for i := range q.Rounds {
		c := int(r.byte())
		if r.err == nil && c > maxRoundEvals {
			return fmt.Errorf("sumcheck: decode: round %d has %d evaluations, at most %d: %w", i, c, maxRoundEvals, ErrEncoding)
		}
		q.Rounds[i] = r.elems(c)
	}
	e := int(r.uint32())
	if r.err == nil && e > MaxPolys {
		return fmt.Errorf("sumcheck: decode: %d evaluations, at most %d: %w", e, MaxPolys, ErrEncoding)
	}
	q.Evals = r.elems(e)
	if r.err != nil {
		return fmt.Errorf("sumcheck: decode: %w", r.err)
	}
	if len(r.data) != 0 {
		return fmt.Errorf("sumcheck: decode: %d trailing bytes: %w", len(r.data), ErrEncoding)
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
	if len(r.data) < n {
		r.err = fmt.Errorf("%d bytes left, %d needed: %w", len(r.data), n, ErrEncoding)
		return nil
	}
	b := r.data[:n]
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
