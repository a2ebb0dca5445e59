package cuda

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// D is the number of coefficients of an element of R_q = F_q[X]/Φ81, the
// degree of Φ81 = X^54 + X^27 + 1.
const D = 54

// CommitMatrix is an Ajtai matrix M ∈ R_q^{κ×m} resident on the device, for
// the commitments of kernels/ajtai: c_i = Σ_j M_ij·z_j. Close releases it.
// A CommitMatrix is safe for concurrent use until Close.
type CommitMatrix struct {
	h        uintptr
	kappa, m int
	closed   bool
}

// uploadColumns is how many columns of M a goroutine expands at a time
// while the matrix is laid out for the upload.
const uploadColumns = 256

// NewCommitMatrix uploads M, read from src with kernels/ajtai's Source
// contract: src(dst, lo, hi) fills dst with columns [lo, hi),
// dst[((j−lo)·κ+i)·D+t] being coefficient t of M_ij, and may be called from
// several goroutines at once. The whole matrix is staged in host memory
// (κ·m·D·8 bytes) in the ABI's row-major layout for the one upload.
func NewCommitMatrix(kappa, m int, src func(dst []E, lo, hi int)) (*CommitMatrix, error) {
	op := fmt.Sprintf("commit matrix %d×%d", kappa, m)
	if kappa < 1 || kappa > math.MaxUint32 || m < 1 || kappa > (1<<40)/m {
		return nil, fmt.Errorf("%w: %s", ErrLength, op)
	}
	if src == nil {
		return nil, fmt.Errorf("cuda: %s: nil source", op)
	}
	lib, _, err := ready()
	if err != nil {
		return nil, err
	}
	rows := make([]E, kappa*m*D)
	chunks := (m + uploadColumns - 1) / uploadColumns
	var (
		wg   sync.WaitGroup
		next atomic.Int64
	)
	for range min(runtime.GOMAXPROCS(0), chunks) {
		wg.Go(func() {
			cols := make([]E, uploadColumns*kappa*D)
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				lo := c * uploadColumns
				hi := min(lo+uploadColumns, m)
				src(cols[:(hi-lo)*kappa*D], lo, hi)
				// Column-major from the source to the ABI's row-major:
				// entry (i, j) at (i·m + j)·D.
				for j := lo; j < hi; j++ {
					for i := range kappa {
						copy(rows[(i*m+j)*D:(i*m+j+1)*D], cols[((j-lo)*kappa+i)*D:])
					}
				}
			}
		})
	}
	wg.Wait()
	var h uintptr
	err = lib.check(op, lib.commitMatrixCreate(&h, unsafe.Pointer(&rows[0]), uint32(kappa), uint64(m)))
	runtime.KeepAlive(rows)
	if err != nil {
		return nil, err
	}
	return &CommitMatrix{h: h, kappa: kappa, m: m}, nil
}

// Kappa returns κ, the number of rows.
func (mat *CommitMatrix) Kappa() int { return mat.kappa }

// Columns returns m, the number of columns.
func (mat *CommitMatrix) Columns() int { return mat.m }

// Close releases the matrix's device memory. Closing twice is a no-op.
func (mat *CommitMatrix) Close() error {
	if mat.closed {
		return nil
	}
	lib, _, err := ready()
	if err != nil {
		return err
	}
	mat.closed = true
	return lib.check(fmt.Sprintf("commit matrix %d×%d destroy", mat.kappa, mat.m), lib.commitMatrixDestroy(mat.h))
}

// Commit commits to the witnesses in z, each D·m elements (column j of
// witness w at z[(w·m + j)·D:], the coefficients of its z_j), and writes
// their commitments into out, κ·D elements per witness, witness after
// witness, on stream s. Entries of z must be reduced field elements (below
// q), as every Buffer of elements holds.
func (mat *CommitMatrix) Commit(s *Stream, z *Buffer, witnesses int, out *Buffer) error {
	op := fmt.Sprintf("commit %d×%d, %d witnesses", mat.kappa, mat.m, witnesses)
	if witnesses < 1 || witnesses > math.MaxUint32 {
		return fmt.Errorf("%w: %s", ErrLength, op)
	}
	if z == nil || z.n/witnesses != D*mat.m || z.n%witnesses != 0 {
		return fmt.Errorf("%w: %s: the witness buffer must hold %d×%d×%d elements", ErrLength, op, witnesses, D, mat.m)
	}
	if out == nil || out.n/witnesses != D*mat.kappa || out.n%witnesses != 0 {
		return fmt.Errorf("%w: %s: the output buffer must hold %d×%d×%d elements", ErrLength, op, witnesses, mat.kappa, D)
	}
	if mat.closed {
		return fmt.Errorf("%w: %s on a closed matrix", ErrFreed, op)
	}
	lib, h, err := s.handle(op)
	if err != nil {
		return err
	}
	zp, err := z.dptr(op)
	if err != nil {
		return err
	}
	op2, err := out.dptr(op)
	if err != nil {
		return err
	}
	return lib.check(op, lib.commit(mat.h, zp, uint32(witnesses), op2, h))
}
