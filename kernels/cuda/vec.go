package cuda

import "fmt"

// Add sets res[i] = a[i] + b[i] on stream s. All three have the same
// length; res may be a or b.
func Add(s *Stream, res, a, b *Buffer) error {
	return binary(s, "vec add", res, a, b, func(l *library) vecFn { return l.vecAdd })
}

// Sub sets res[i] = a[i] − b[i].
func Sub(s *Stream, res, a, b *Buffer) error {
	return binary(s, "vec sub", res, a, b, func(l *library) vecFn { return l.vecSub })
}

// Mul sets res[i] = a[i] · b[i].
func Mul(s *Stream, res, a, b *Buffer) error {
	return binary(s, "vec mul", res, a, b, func(l *library) vecFn { return l.vecMul })
}

// ScalarMul sets res[i] = scalar · a[i]; res may be a.
func ScalarMul(s *Stream, res, a *Buffer, scalar E) error {
	lib, h, ptrs, err := operands(s, "vec scalar mul", res, a)
	if err != nil {
		return err
	}
	return lib.check(vecOp("vec scalar mul", res), lib.vecScalarMul(ptrs[0], ptrs[1], scalar[0], uint64(res.n), h))
}

// MulAdd sets y[i] = y[i] + scalar · x[i]; x may be y.
func MulAdd(s *Stream, y *Buffer, scalar E, x *Buffer) error {
	lib, h, ptrs, err := operands(s, "vec mul add", y, x)
	if err != nil {
		return err
	}
	return lib.check(vecOp("vec mul add", y), lib.vecMulAdd(ptrs[0], scalar[0], ptrs[1], uint64(y.n), h))
}

// vecFn is ssp_vec_add, ssp_vec_sub or ssp_vec_mul.
type vecFn = func(res, a, b, n uint64, s uintptr) int32

// binary issues one of the three-operand kernels, picked from the library
// by fn.
func binary(s *Stream, name string, res, a, b *Buffer, fn func(*library) vecFn) error {
	lib, h, ptrs, err := operands(s, name, res, a, b)
	if err != nil {
		return err
	}
	return lib.check(vecOp(name, res), fn(lib)(ptrs[0], ptrs[1], ptrs[2], uint64(res.n), h))
}

func vecOp(name string, res *Buffer) string { return fmt.Sprintf("%s of %d elements", name, res.n) }

// operands checks that the buffers are live and of one length, and returns
// their device addresses with the library and stream.
func operands(s *Stream, name string, bufs ...*Buffer) (*library, uintptr, []uint64, error) {
	ptrs := make([]uint64, len(bufs))
	for i, b := range bufs {
		if b == nil {
			return nil, 0, nil, fmt.Errorf("%w: %s: nil buffer", ErrLength, name)
		}
		if b.n != bufs[0].n {
			return nil, 0, nil, fmt.Errorf("%w: %s: operands of %d and %d elements", ErrLength, name, bufs[0].n, b.n)
		}
		p, err := b.dptr(name)
		if err != nil {
			return nil, 0, nil, err
		}
		ptrs[i] = p
	}
	op := vecOp(name, bufs[0])
	lib, h, err := s.handle(op)
	if err != nil {
		return nil, 0, nil, err
	}
	return lib, h, ptrs, nil
}
