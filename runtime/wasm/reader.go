package wasm

import (
	"fmt"
	"unicode/utf8"
)

// reader walks the module binary. Offsets are absolute so that every error points into the
// original bytes; end bounds the current section or function body.
type reader struct {
	data []byte
	pos  int
	end  int
	fn   int // function index for errors, -1 outside code
}

func (r *reader) errorf(off int, format string, args ...any) *DecodeError {
	return &DecodeError{Offset: off, Func: r.fn, Msg: fmt.Sprintf(format, args...)}
}

func (r *reader) unsupported(off int, feature, what string) *UnsupportedError {
	return &UnsupportedError{Feature: feature, What: what, Func: r.fn, Offset: off}
}

func (r *reader) invalidf(off int, format string, args ...any) *ValidationError {
	return &ValidationError{Offset: off, Func: r.fn, Msg: fmt.Sprintf(format, args...)}
}

func (r *reader) remaining() int { return r.end - r.pos }

func (r *reader) byte() (byte, error) {
	if r.pos >= r.end {
		return 0, r.errorf(r.pos, "unexpected end")
	}
	b := r.data[r.pos]
	r.pos++
	return b, nil
}

func (r *reader) leb(n int, err error) error {
	if err != nil {
		return r.errorf(r.pos+n, "%v", err)
	}
	r.pos += n
	return nil
}

func (r *reader) u32() (uint32, error) {
	v, n, err := decodeUnsigned(r.data[r.pos:r.end], 32)
	return uint32(v), r.leb(n, err)
}

func (r *reader) s32() (int32, error) {
	v, n, err := decodeSigned(r.data[r.pos:r.end], 32)
	return int32(v), r.leb(n, err)
}

func (r *reader) s33() (int64, error) {
	v, n, err := decodeSigned(r.data[r.pos:r.end], 33)
	return v, r.leb(n, err)
}

func (r *reader) s64() (int64, error) {
	v, n, err := decodeSigned(r.data[r.pos:r.end], 64)
	return v, r.leb(n, err)
}

// bytes returns the next n bytes as a sub-slice of the input (no copy).
func (r *reader) bytes(n uint32) ([]byte, error) {
	if uint64(n) > uint64(r.remaining()) {
		return nil, r.errorf(r.pos, "length out of bounds: %d bytes wanted, %d left", n, r.remaining())
	}
	b := r.data[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return b, nil
}

func (r *reader) name() (string, error) {
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	off := r.pos
	b, err := r.bytes(n)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", r.errorf(off, "malformed UTF-8 encoding")
	}
	return string(b), nil
}

// count reads a vector length. Every element takes at least one byte, so a count above the
// bytes left is malformed: checking that first keeps a forged count from allocating anything.
func (r *reader) count(what string, limit int) (int, error) {
	off := r.pos
	n, err := r.u32()
	if err != nil {
		return 0, err
	}
	if uint64(n) > uint64(r.remaining()) {
		return 0, r.errorf(off, "unexpected end: %d %s declared, %d bytes left", n, what, r.remaining())
	}
	if uint64(n) > uint64(limit) {
		return 0, r.errorf(off, "%d %s exceed the limit of %d", n, what, limit)
	}
	return int(n), nil
}

// vec reads a vector: a count of at most limit items, which count checks
// against the bytes left before anything is allocated, then each item with
// item. An empty vector is nil.
func vec[T any](r *reader, what string, limit int, item func() (T, error)) ([]T, error) {
	n, err := r.count(what, limit)
	if err != nil || n == 0 {
		return nil, err
	}
	out := make([]T, n)
	for i := range out {
		if out[i], err = item(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
