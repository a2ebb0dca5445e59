// Package wire is the byte encoding the proof formats of package fold share:
// elements of K as two canonical little-endian words, and a reader that
// checks the input holds what a count announces before allocating for it.
package wire

import (
	"encoding/binary"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/ext"
)

// ElemBytes is the size of an encoded element of K: A0 then A1, each a
// canonical word (below q) in 8 little-endian bytes.
const ElemBytes = 2 * goldilocks.Bytes

// AppendElems appends the encodings of xs to b.
func AppendElems(b []byte, xs []ext.K) []byte {
	var w [goldilocks.Bytes]byte
	for i := range xs {
		goldilocks.LittleEndian.PutElement(&w, xs[i].A0)
		b = append(b, w[:]...)
		goldilocks.LittleEndian.PutElement(&w, xs[i].A1)
		b = append(b, w[:]...)
	}
	return b
}

// AppendWords appends field elements as canonical little-endian words.
func AppendWords(b []byte, xs []goldilocks.Element) []byte {
	var w [goldilocks.Bytes]byte
	for i := range xs {
		goldilocks.LittleEndian.PutElement(&w, xs[i])
		b = append(b, w[:]...)
	}
	return b
}

// Reader consumes an encoding. After the first error every read returns zero
// values and Err keeps that error, which wraps the sentinel given to
// NewReader, so a decoder reads a whole structure and checks once.
type Reader struct {
	data     []byte
	err      error
	sentinel error
}

// NewReader returns a Reader of data whose errors wrap sentinel.
func NewReader(data []byte, sentinel error) *Reader {
	return &Reader{data: data, sentinel: sentinel}
}

// Err returns the first error, or nil.
func (r *Reader) Err() error { return r.err }

// Len returns the number of bytes not yet read.
func (r *Reader) Len() int { return len(r.data) }

// Fail records err (wrapping the sentinel) unless an error is already recorded.
func (r *Reader) Fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), r.sentinel)
	}
}

// Take returns the next n bytes, capacity-limited so appending to them
// cannot touch the rest of the input.
func (r *Reader) Take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.data) < n {
		r.Fail("%d bytes left, %d needed", len(r.data), n)
		return nil
	}
	b := r.data[:n:n]
	r.data = r.data[n:]
	return b
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if b := r.Take(1); b != nil {
		return b[0]
	}
	return 0
}

// Uint32 reads a little-endian 32-bit integer.
func (r *Reader) Uint32() uint32 {
	if b := r.Take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

// Words reads n canonical field elements, allocating only once the input is
// known to hold them, and rejecting words at or above q.
func (r *Reader) Words(n int) []goldilocks.Element {
	if n < 0 || n > len(r.data)/goldilocks.Bytes {
		r.Fail("%d field elements in %d bytes", n, len(r.data))
		return nil
	}
	b := r.Take(n * goldilocks.Bytes)
	if b == nil {
		return nil
	}
	xs := make([]goldilocks.Element, n)
	for i := range xs {
		x, err := goldilocks.LittleEndian.Element((*[goldilocks.Bytes]byte)(b[i*goldilocks.Bytes:]))
		if err != nil {
			r.Fail("word %d is at or above q", i)
			return nil
		}
		xs[i] = x
	}
	return xs
}

// Elems reads n elements of K, allocating only once the input is known to
// hold them, and rejecting words at or above q.
func (r *Reader) Elems(n int) []ext.K {
	if n < 0 || n > len(r.data)/ElemBytes {
		r.Fail("%d elements of K in %d bytes", n, len(r.data))
		return nil
	}
	b := r.Take(n * ElemBytes)
	if b == nil {
		return nil
	}
	xs := make([]ext.K, n)
	for i := range xs {
		a0, err0 := goldilocks.LittleEndian.Element((*[goldilocks.Bytes]byte)(b[:goldilocks.Bytes]))
		a1, err1 := goldilocks.LittleEndian.Element((*[goldilocks.Bytes]byte)(b[goldilocks.Bytes:ElemBytes]))
		if err0 != nil || err1 != nil {
			r.Fail("element %d has a word at or above q", i)
			return nil
		}
		xs[i] = ext.K{A0: a0, A1: a1}
		b = b[ElemBytes:]
	}
	return xs
}
