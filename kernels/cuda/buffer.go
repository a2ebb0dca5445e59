package cuda

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// E is the element type: a Goldilocks element in gnark-crypto's Montgomery
// form, one little-endian word, exactly what the library reads.
type E = goldilocks.Element

const elementBytes = uint64(unsafe.Sizeof(E{}))

// Stream orders the work issued on it; different streams may run
// concurrently. A nil *Stream is the package's default stream.
type Stream struct {
	h      uintptr
	closed bool
}

// NewStream creates a stream. Close releases it.
func NewStream() (*Stream, error) {
	lib, _, err := ready()
	if err != nil {
		return nil, err
	}
	var h uintptr
	if err := lib.check("create stream", lib.streamCreate(&h)); err != nil {
		return nil, err
	}
	return &Stream{h: h}, nil
}

// handle returns the C stream of s, the default stream for nil.
func (s *Stream) handle(op string) (*library, uintptr, error) {
	lib, def, err := ready()
	if err != nil {
		return nil, 0, err
	}
	if s == nil {
		return lib, def, nil
	}
	if s.closed {
		return nil, 0, fmt.Errorf("%w: %s on a closed stream", ErrFreed, op)
	}
	return lib, s.h, nil
}

// Sync waits until the work issued on s so far has finished.
func (s *Stream) Sync() error {
	lib, h, err := s.handle("stream sync")
	if err != nil {
		return err
	}
	return lib.check("stream sync", lib.streamSync(h))
}

// Close waits for s's work and destroys it. Closing twice is a no-op; the
// default stream (nil) is never closed.
func (s *Stream) Close() error {
	if s == nil || s.closed {
		return nil
	}
	lib, h, err := s.handle("stream close")
	if err != nil {
		return err
	}
	if err := lib.check("stream sync", lib.streamSync(h)); err != nil {
		return err
	}
	s.closed = true
	return lib.check("stream destroy", lib.streamDestroy(h))
}

// Buffer is device memory holding Len elements. It stays allocated until
// Free, whatever happens to the Go value: free every Buffer you allocate.
// A Buffer from Slice is a view into its parent and is not freed itself.
// Buffers are not safe for concurrent Free and use.
type Buffer struct {
	ptr   uint64
	n     int
	root  *Buffer // the allocation this is a view of, itself for an allocation
	freed bool
}

// Alloc returns a Buffer of n ≥ 1 elements, uninitialised.
func Alloc(n int) (*Buffer, error) {
	lib, _, err := ready()
	if err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("%w: alloc of %d elements", ErrLength, n)
	}
	var p uint64
	if err := lib.check(fmt.Sprintf("alloc %d elements", n), lib.alloc(&p, uint64(n)*elementBytes)); err != nil {
		return nil, err
	}
	b := &Buffer{ptr: p, n: n}
	b.root = b
	return b, nil
}

// Len returns the number of elements.
func (b *Buffer) Len() int { return b.n }

// Slice returns the view of elements [lo, hi) of b, which shares its
// memory and lives as long as b's allocation.
func (b *Buffer) Slice(lo, hi int) (*Buffer, error) {
	if lo < 0 || hi > b.n || lo >= hi {
		return nil, fmt.Errorf("%w: slice [%d:%d] of %d elements", ErrLength, lo, hi, b.n)
	}
	return &Buffer{ptr: b.ptr + uint64(lo)*elementBytes, n: hi - lo, root: b.root}, nil
}

// Free releases the allocation. Freeing twice is a no-op; freeing a view
// is an error (free the Buffer it came from).
func (b *Buffer) Free() error {
	if b.root != b {
		return fmt.Errorf("cuda: free: a view of a buffer cannot be freed on its own")
	}
	if b.freed {
		return nil
	}
	lib, _, err := ready()
	if err != nil {
		return err
	}
	b.freed = true
	return lib.check("free", lib.free(b.ptr))
}

// dptr returns the device address of b, or an error when its allocation was
// freed.
func (b *Buffer) dptr(op string) (uint64, error) {
	if b == nil {
		return 0, fmt.Errorf("%w: %s: nil buffer", ErrLength, op)
	}
	if b.root.freed {
		return 0, fmt.Errorf("%w: %s on a freed buffer", ErrFreed, op)
	}
	return b.ptr, nil
}

// Upload copies src, which must have Len elements, to b on stream s. src
// may be reused as soon as Upload returns.
func (b *Buffer) Upload(s *Stream, src []E) error {
	op := fmt.Sprintf("upload %d elements", len(src))
	if len(src) != b.n {
		return fmt.Errorf("%w: %s into a buffer of %d", ErrLength, op, b.n)
	}
	lib, h, err := s.handle(op)
	if err != nil {
		return err
	}
	dst, err := b.dptr(op)
	if err != nil {
		return err
	}
	err = lib.check(op, lib.copyToDevice(dst, unsafe.Pointer(&src[0]), uint64(len(src))*elementBytes, h))
	runtime.KeepAlive(src)
	return err
}

// Download copies b into dst, which must have Len elements, once the work
// issued on s before it is done; it returns when dst holds the data.
func (b *Buffer) Download(s *Stream, dst []E) error {
	op := fmt.Sprintf("download %d elements", len(dst))
	if len(dst) != b.n {
		return fmt.Errorf("%w: %s from a buffer of %d", ErrLength, op, b.n)
	}
	lib, h, err := s.handle(op)
	if err != nil {
		return err
	}
	src, err := b.dptr(op)
	if err != nil {
		return err
	}
	err = lib.check(op, lib.copyToHost(unsafe.Pointer(&dst[0]), src, uint64(len(dst))*elementBytes, h))
	runtime.KeepAlive(dst)
	return err
}

// CopyFrom copies src, which must have Len elements, into b on the device,
// on stream s.
func (b *Buffer) CopyFrom(s *Stream, src *Buffer) error {
	op := fmt.Sprintf("device copy of %d elements", b.n)
	if src == nil || src.n != b.n {
		return fmt.Errorf("%w: %s from a buffer of another length", ErrLength, op)
	}
	lib, h, err := s.handle(op)
	if err != nil {
		return err
	}
	dst, err := b.dptr(op)
	if err != nil {
		return err
	}
	from, err := src.dptr(op)
	if err != nil {
		return err
	}
	return lib.check(op, lib.copyDevice(dst, from, uint64(b.n)*elementBytes, h))
}

// UploadAll allocates one Buffer holding the host slices end to end, copies
// them in on stream s, and returns it with a view of each slice, for a call
// on host data that the caller frees afterwards. An empty slice gets a nil
// view; the slices must not all be empty.
func UploadAll(s *Stream, host ...[]E) (*Buffer, []*Buffer, error) {
	total := 0
	for _, h := range host {
		total += len(h)
	}
	all, err := Alloc(total)
	if err != nil {
		return nil, nil, err
	}
	views := make([]*Buffer, len(host))
	off := 0
	for i, h := range host {
		if len(h) > 0 {
			views[i] = &Buffer{ptr: all.ptr + uint64(off)*elementBytes, n: len(h), root: all}
			if err := views[i].Upload(s, h); err != nil {
				return nil, nil, errors.Join(err, all.Free())
			}
		}
		off += len(h)
	}
	return all, views, nil
}
