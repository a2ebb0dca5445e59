//go:build icicle

package icicle

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/ingonyama-zk/icicle/v3/wrappers/golang/core"
	icr "github.com/ingonyama-zk/icicle/v3/wrappers/golang/runtime"
)

// E is the element type of every vector.
type E = goldilocks.Element

// elemSize is the bytes of one element, in gnark-crypto's and ICICLE's layout alike.
const elemSize = int(unsafe.Sizeof(E{}))

var (
	// ErrLength is wrapped by every error about operands of the wrong length.
	ErrLength = errors.New("icicle: vector lengths differ")
	// ErrFreed is returned for a Buffer used after Free.
	ErrFreed = errors.New("icicle: buffer used after Free")
	// ErrDevice is wrapped when a Buffer is used while another device is current.
	ErrDevice = errors.New("icicle: buffer is on another device")
)

// Data is a kernel operand: Host memory or a *Buffer on the device.
type Data interface {
	Len() int
	slice() (core.HostOrDeviceSlice, error)
}

// Host is a vector in Go memory. ICICLE reads and writes it in place.
type Host []E

// Len returns the number of elements.
func (h Host) Len() int { return len(h) }

func (h Host) slice() (core.HostOrDeviceSlice, error) { return core.HostSlice[E](h), nil }

// Buffer is a vector in the memory of an ICICLE device, so that a chain of
// kernels does not copy between host and device at every step. A Buffer must
// be freed; it is not safe for concurrent use while a kernel writes it.
type Buffer struct {
	s   core.DeviceSlice
	n   int
	dev DeviceType
}

// NewBuffer allocates n ≥ 1 uninitialised elements on the current device.
func NewBuffer(n int) (*Buffer, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: a buffer needs at least one element, got %d", ErrLength, n)
	}
	b := &Buffer{n: n, dev: Current()}
	if _, code := b.s.Malloc(elemSize, n); code != icr.Success {
		return nil, check(fmt.Sprintf("allocate %d elements on %s", n, b.dev), code)
	}
	return b, nil
}

// Upload allocates a Buffer on the current device and copies v into it.
func Upload(v []E) (*Buffer, error) {
	b, err := NewBuffer(len(v))
	if err != nil {
		return nil, err
	}
	if err := b.CopyFrom(v); err != nil {
		return nil, errors.Join(err, b.Free())
	}
	return b, nil
}

// Len returns the number of elements.
func (b *Buffer) Len() int { return b.n }

// Device returns the device the buffer lives on.
func (b *Buffer) Device() DeviceType { return b.dev }

func (b *Buffer) slice() (core.HostOrDeviceSlice, error) {
	if err := b.usable(); err != nil {
		return nil, err
	}
	return b.s, nil
}

func (b *Buffer) usable() error {
	if b.s.AsUnsafePointer() == nil {
		return ErrFreed
	}
	if cur := Current(); cur != b.dev {
		return fmt.Errorf("%w: it is on %s, kernels run on %s", ErrDevice, b.dev, cur)
	}
	return nil
}

// CopyFrom copies v, of the buffer's length, from the host into the buffer.
func (b *Buffer) CopyFrom(v []E) error {
	if err := b.usable(); err != nil {
		return err
	}
	if len(v) != b.n {
		return fmt.Errorf("%w: copying %d elements into a buffer of %d", ErrLength, len(v), b.n)
	}
	_, code := icr.CopyToDevice(b.s.AsUnsafePointer(), unsafe.Pointer(&v[0]), uint(b.n*elemSize))
	return check(fmt.Sprintf("copy %d elements to %s", b.n, b.dev), code)
}

// CopyTo copies the buffer into v, of the buffer's length, on the host.
func (b *Buffer) CopyTo(v []E) error {
	if err := b.usable(); err != nil {
		return err
	}
	if len(v) != b.n {
		return fmt.Errorf("%w: copying a buffer of %d elements into %d", ErrLength, b.n, len(v))
	}
	_, code := icr.CopyFromDevice(unsafe.Pointer(&v[0]), b.s.AsUnsafePointer(), uint(b.n*elemSize))
	return check(fmt.Sprintf("copy %d elements from %s", b.n, b.dev), code)
}

// Free releases the device memory. Freeing twice is a no-op.
func (b *Buffer) Free() error {
	p := b.s.AsUnsafePointer()
	if p == nil {
		return nil
	}
	if err := check(fmt.Sprintf("free %d elements on %s", b.n, b.dev), icr.Free(p)); err != nil {
		return err
	}
	b.s = core.DeviceSlice{}
	return nil
}

// operands checks that every operand has length n and returns them as ICICLE slices.
func operands(op string, n int, ds ...Data) ([]core.HostOrDeviceSlice, error) {
	out := make([]core.HostOrDeviceSlice, len(ds))
	for i, d := range ds {
		if d.Len() != n {
			return nil, fmt.Errorf("icicle: %s: operand %d has %d elements, want %d: %w", op, i, d.Len(), n, ErrLength)
		}
		s, err := d.slice()
		if err != nil {
			return nil, fmt.Errorf("icicle: %s: %w", op, err)
		}
		out[i] = s
	}
	return out, nil
}
