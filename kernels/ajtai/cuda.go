package ajtai

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"weak"

	"github.com/ssprove/ssprove/kernels/cuda"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// viaCUDA commits through kernels/cuda when CUDA is selected and ssprove's
// own CUDA library serves it, and reports whether it did. The shapes are
// checked. M goes to the device once per Matrix (deviceMatrix); the
// witnesses go up and the commitments come back on every call, digit
// witnesses lifted to field elements on the host first. Callers that
// commit to data already on the device should use cuda.CommitMatrix
// directly.
func viaCUDA(ctx context.Context, mat *Matrix, zs witnessBatch, outs [][]E) (bool, error) {
	if !OnDevice() {
		return false, nil
	}
	if err := ctx.Err(); err != nil {
		return true, err
	}
	dm, err := deviceMatrix(mat)
	if err != nil {
		return true, err
	}
	batch, per := zs.size(), D*mat.m
	all, err := cuda.Alloc(batch * (per + D*mat.kappa))
	if err != nil {
		return true, err
	}
	err = commitOnDevice(ctx, dm, all, mat, zs, outs)
	return true, errors.Join(err, all.Free())
}

// commitOnDevice uploads the witnesses into the front of buf, commits, and
// downloads the commitments from its back into outs.
func commitOnDevice(ctx context.Context, dm *cuda.CommitMatrix, buf *cuda.Buffer, mat *Matrix, zs witnessBatch, outs [][]E) error {
	batch, per, outLen := zs.size(), D*mat.m, D*mat.kappa
	z, err := buf.Slice(0, batch*per)
	if err != nil {
		return err
	}
	out, err := buf.Slice(batch*per, buf.Len())
	if err != nil {
		return err
	}
	var lifted []E
	for w := range batch {
		view, err := z.Slice(w*per, (w+1)*per)
		if err != nil {
			return err
		}
		host, err := hostWitness(zs, w, mat.m, &lifted)
		if err != nil {
			return err
		}
		if err := view.Upload(nil, host); err != nil {
			return err
		}
	}
	if err := dm.Commit(nil, z, batch, out); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for w, o := range outs {
		view, err := out.Slice(w*outLen, (w+1)*outLen)
		if err != nil {
			return err
		}
		if err := view.Download(nil, o); err != nil {
			return err
		}
	}
	return nil
}

// hostWitness returns witness w as D·m field elements: a field witness
// itself, once checked to be reduced (the kernel assumes it, the CPU path
// reports the first word that is not), a digit witness lifted into
// *lifted, which it reuses from one witness to the next.
func hostWitness(zs witnessBatch, w, m int, lifted *[]E) ([]E, error) {
	if fb, ok := zs.(fieldBatch); ok {
		for i, e := range fb[w] {
			if e[0] >= gl64.Q {
				return nil, &entryError{witness: w, row: i % D, column: i / D, word: e[0]}
			}
		}
		return fb[w], nil
	}
	*lifted = fit(*lifted, D*m)
	for j := range m {
		zs.lift((*lifted)[j*D:(j+1)*D], w, j)
	}
	return *lifted, nil
}

// deviceMatrices maps each Matrix that committed on CUDA to its copy on the
// device. The key is weak so that the map does not keep a Matrix alive;
// when the Matrix is collected, a cleanup frees the device copy.
var deviceMatrices sync.Map // weak.Pointer[Matrix] → *deviceEntry

type deviceEntry struct {
	once sync.Once
	dm   *cuda.CommitMatrix
	err  error
}

// deviceMatrix returns M on the device, uploading it from the Matrix's
// source on first use (for a matrix that is not stored, this is the one
// expansion of M the device will need).
func deviceMatrix(mat *Matrix) (*cuda.CommitMatrix, error) {
	key := weak.Make(mat)
	v, loaded := deviceMatrices.LoadOrStore(key, &deviceEntry{})
	e := v.(*deviceEntry)
	if !loaded {
		runtime.AddCleanup(mat, func(k weak.Pointer[Matrix]) {
			if v, ok := deviceMatrices.LoadAndDelete(k); ok {
				if dm := v.(*deviceEntry).dm; dm != nil {
					// Nobody is left to report an error to.
					_ = dm.Close()
				}
			}
		}, key)
	}
	e.once.Do(func() { e.dm, e.err = cuda.NewCommitMatrix(mat.kappa, mat.m, mat.src) })
	if e.err != nil {
		// A later commitment tries again: the failure may be passing (out
		// of device memory while other work held it).
		deviceMatrices.CompareAndDelete(key, e)
		return nil, e.err
	}
	return e.dm, nil
}
