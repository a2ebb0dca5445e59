package gl64

import "github.com/ssprove/ssprove/accel"

// Commit is one implementation of the inner loops of the Ajtai commitment
// kernel (kernels/ajtai): a multiply-accumulate of many rows against one
// vector, for witness columns taken through the NTT, and the row additions
// that commit to a digit in {−1, 0, 1} without any multiplication. Kernels
// check nothing; kernels/ajtai validates.
type Commit struct {
	// MulAcc sets acc[r·n+t] += a[r·n+t]·b[t] for t < n = len(b) and
	// r < len(a)/n; len(acc) = len(a), a multiple of n.
	MulAcc func(acc, a, b []E)

	// AddRows sets acc[r·stride+u] += x[r·width+u] for u < width and
	// r < len(x)/width; stride ≥ width and acc holds every row it names.
	AddRows func(acc, x []E, stride, width int)

	// SubRows is AddRows with subtraction.
	SubRows func(acc, x []E, stride, width int)
}

// CommitKernels returns the commitment loops of backend b, or nil when this
// build has none for it.
func CommitKernels(b accel.Backend) *Commit {
	if b == accel.Go {
		return &GenericCommit
	}
	return archCommit(b)
}

// GenericCommit is the portable implementation, the reference for every
// other one.
var GenericCommit = Commit{
	MulAcc:  mulAccGeneric,
	AddRows: addRowsGeneric,
	SubRows: subRowsGeneric,
}

func mulAccGeneric(acc, a, b []E) {
	n := len(b)
	for r := 0; r+n <= len(a); r += n {
		ar, cr := a[r:r+n], acc[r:r+n]
		for t := range b {
			cr[t][0] = Add(cr[t][0], Mul(ar[t][0], b[t][0]))
		}
	}
}

func addRowsGeneric(acc, x []E, stride, width int) {
	for r := 0; (r+1)*width <= len(x); r++ {
		addGeneric(acc[r*stride:r*stride+width], acc[r*stride:r*stride+width], x[r*width:(r+1)*width])
	}
}

func subRowsGeneric(acc, x []E, stride, width int) {
	for r := 0; (r+1)*width <= len(x); r++ {
		subGeneric(acc[r*stride:r*stride+width], acc[r*stride:r*stride+width], x[r*width:(r+1)*width])
	}
}
