package ajtai

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// digitLimit is the most non-zero digits a column may have and still take the
// additions path: each costs κ row additions of coefStride elements, against
// one transform of the column and κ multiply-accumulates of Points elements
// for the NTT path (BenchmarkColumn measures both).
const digitLimit = 8

var (
	one      = goldilocks.One()
	minusOne = func() (m E) { return *m.Neg(&one) }()
)

// Commit sets out[i·D+t] to coefficient t of c_i = Σ_j M_ij·z_j for i < κ,
// where z_j has the coefficients Z[j·D : (j+1)·D]. len(Z) must be D·m and
// len(out) D·κ; a word of Z not below q is an error wrapping ErrEntry. out
// may not overlap Z.
func Commit(ctx context.Context, mat *Matrix, Z, out []E) error {
	if mat == nil {
		return fmt.Errorf("%w: nil matrix", ErrShape)
	}
	if len(Z) != D*mat.m {
		return fmt.Errorf("%w: witness has %d entries, want %d×%d = %d", ErrShape, len(Z), D, mat.m, D*mat.m)
	}
	if len(out) != D*mat.kappa {
		return fmt.Errorf("%w: output has %d entries, want %d×%d = %d", ErrShape, len(out), D, mat.kappa, D*mat.kappa)
	}
	if err := commit(ctx, mat, fieldBatch{Z}, [][]E{out}, nil); err != nil {
		return fmt.Errorf("ajtai: commit: %w", err)
	}
	return nil
}

// CommitQuotients is Commit that also sets quo[i·(D−1)+t] to coefficient t
// of q_i, the quotient of P_i = Σ_j M_ij(X)·z_j(X), taken in F[X] before
// any reduction (degree ≤ 2D−2), by Φ81: P_i = c_i + Φ81·q_i with deg q_i ≤
// D−2. The reduction mod Φ81 computes q_i as it goes, so it costs nothing
// more; an opening that carries the quotients can be checked at a single
// random point instead of by committing again (lattice/ajtai VerifySmall).
// len(quo) must be (D−1)·κ. It runs on the host backends even with CUDA
// selected: the device kernel returns reduced commitments only, and a
// commitment with quotients is made once per proof, not in the prover's
// inner loop. Neither out nor quo may overlap Z or each other.
func CommitQuotients(ctx context.Context, mat *Matrix, Z, out, quo []E) error {
	return commitQuotients(ctx, mat, Z, fieldBatch{Z}, out, quo)
}

// CommitDigitsQuotients is CommitQuotients for a witness of small integers,
// read as CommitDigitsBatch reads them.
func CommitDigitsQuotients(ctx context.Context, mat *Matrix, Z []int8, out, quo []E) error {
	return commitQuotients(ctx, mat, Z, digitBatch{Z}, out, quo)
}

// commitQuotients is CommitQuotients and CommitDigitsQuotients: Z's shape,
// the output's and the quotients' checked, then one commitment of zs, the
// batch of Z alone.
func commitQuotients[T E | int8](ctx context.Context, mat *Matrix, Z []T, zs witnessBatch, out, quo []E) error {
	if err := checkBatch(mat, [][]T{Z}, [][]E{out}); err != nil {
		return err
	}
	if len(quo) != (D-1)*mat.kappa {
		return fmt.Errorf("%w: quotients have %d entries, want %d×%d = %d", ErrShape, len(quo), D-1, mat.kappa, (D-1)*mat.kappa)
	}
	if err := commit(ctx, mat, zs, [][]E{out}, [][]E{quo}); err != nil {
		return fmt.Errorf("ajtai: commit with quotients: %w", err)
	}
	return nil
}

// OnDevice reports whether commitments without quotients run on the CUDA
// device: ssprove's CUDA backend is selected and its library loaded. Those
// with quotients always run on the host.
func OnDevice() bool {
	b, err := accel.Selected()
	return err == nil && b == accel.CUDA && accel.OwnCUDA()
}

// CommitBatch does what Commit(ctx, mat, Zs[w], outs[w]) does for every w,
// in one pass over M: each column of M is read (or, for a matrix that is not
// stored, regenerated and transformed) once for the whole batch and used for
// every witness while it is in cache. Neo commits to many witnesses of the
// same shape at once (the k digit matrices of a decomposition); expanding a
// regenerated M costs several times the arithmetic, and the batch pays it
// once instead of once per witness. Zs must not be empty, every Zs[w] must
// have D·m entries and every outs[w] D·κ; an unreduced word is an error
// wrapping ErrEntry that names its witness. No output may overlap another
// output or any witness.
func CommitBatch(ctx context.Context, mat *Matrix, Zs, outs [][]E) error {
	if err := checkBatch(mat, Zs, outs); err != nil {
		return err
	}
	if err := commit(ctx, mat, fieldBatch(Zs), outs, nil); err != nil {
		var e *entryError
		if errors.As(err, &e) {
			return fmt.Errorf("ajtai: commit batch: witness %d: %w", e.witness, err)
		}
		return fmt.Errorf("ajtai: commit batch: %w", err)
	}
	return nil
}

// CommitDigitsBatch is CommitBatch for witnesses of small integers: it
// commits to every Zs[w] lifted to field elements (δ < 0 as q + δ), reading
// D·m bytes per witness instead of 8·D·m. Neo keeps its witnesses as digit
// matrices in {−(b−1), …, b−1}, and the lifted copies would be eight times
// their size; here no copy is made, a column is lifted only when it takes
// the NTT path, straight into the transform's input. Columns of small
// digits take the additions path up to the same cost as columns of ±1 (a
// digit δ adds |δ| rows), so the high digit planes of a decomposition, and
// base-3 digits, cost additions only. The shapes are CommitBatch's; no
// output may overlap another.
func CommitDigitsBatch(ctx context.Context, mat *Matrix, Zs [][]int8, outs [][]E) error {
	if err := checkBatch(mat, Zs, outs); err != nil {
		return err
	}
	if err := commit(ctx, mat, digitBatch(Zs), outs, nil); err != nil {
		return fmt.Errorf("ajtai: commit digits batch: %w", err)
	}
	return nil
}

// checkBatch checks the shapes of a batch for CommitBatch and
// CommitDigitsBatch.
func checkBatch[T E | int8](mat *Matrix, Zs [][]T, outs [][]E) error {
	if mat == nil {
		return fmt.Errorf("%w: nil matrix", ErrShape)
	}
	if len(Zs) == 0 {
		return fmt.Errorf("%w: empty batch", ErrShape)
	}
	if len(outs) != len(Zs) {
		return fmt.Errorf("%w: %d outputs for %d witnesses", ErrShape, len(outs), len(Zs))
	}
	for w := range Zs {
		if len(Zs[w]) != D*mat.m {
			return fmt.Errorf("%w: witness %d has %d entries, want %d×%d = %d", ErrShape, w, len(Zs[w]), D, mat.m, D*mat.m)
		}
		if len(outs[w]) != D*mat.kappa {
			return fmt.Errorf("%w: output %d has %d entries, want %d×%d = %d", ErrShape, w, len(outs[w]), D, mat.kappa, D*mat.kappa)
		}
	}
	return nil
}

// commit is Commit, CommitBatch, CommitDigitsBatch and CommitQuotients once
// the shapes are checked; quos is nil or holds a quotient output per
// witness.
func commit(ctx context.Context, mat *Matrix, zs witnessBatch, outs, quos [][]E) error {
	if quos == nil {
		if ok, err := viaCUDA(ctx, mat, zs, outs); ok {
			return err
		}
	}
	b, err := accel.Selected()
	if err != nil {
		return err
	}
	k := gl64.CommitKernels(accel.Host(b))
	if k == nil {
		return fmt.Errorf("backend %s has no commitment kernels in this build", b)
	}
	ws := make([]*worker, workers(mat.m))
	for i := range ws {
		ws[i] = mat.getWorker(zs.size())
	}
	defer func() {
		for _, w := range ws {
			mat.workers.Put(w)
		}
	}()
	err = forChunks(ctx, mat.m, len(ws), func(w, lo, hi int) error {
		return ws[w].columns(mat, k, zs, lo, hi)
	})
	if err != nil {
		return err
	}
	return finish(mat, ws, outs, quos)
}

// witnessBatch is how the column loop reads the witnesses of one commitment,
// whatever their element type: a column at a time, so that the loop over M
// is written once.
type witnessBatch interface {
	size() int
	// kind sorts column j of witness w; a column that is not a valid input
	// is an error.
	kind(w, j int) (kind, error)
	// addDigits adds z_j·M_ij into acc for every i, for column j of witness
	// w, of kind digits: m holds column j of M in coefficient form, κ rows of
	// coefStride, and acc κ rows of accWidth.
	addDigits(k *gl64.Commit, acc, m []E, w, j int)
	// lift writes column j of witness w into dst as D field elements.
	lift(dst []E, w, j int)
}

// fieldBatch is witnesses of field elements.
type fieldBatch [][]E

func (zs fieldBatch) size() int { return len(zs) }

func (zs fieldBatch) column(w, j int) []E { return zs[w][j*D : (j+1)*D] }

func (zs fieldBatch) kind(w, j int) (kind, error) {
	z := zs.column(w, j)
	kd := classify(z)
	if kd == unreduced {
		for t := range z {
			if z[t][0] >= gl64.Q {
				return kd, &entryError{witness: w, row: t, column: j, word: z[t][0]}
			}
		}
	}
	return kd, nil
}

func (zs fieldBatch) addDigits(k *gl64.Commit, acc, m []E, w, j int) {
	for t, e := range zs.column(w, j) {
		switch e {
		case one:
			k.AddRows(acc[t:], m, accWidth, coefStride)
		case minusOne:
			k.SubRows(acc[t:], m, accWidth, coefStride)
		}
	}
}

func (zs fieldBatch) lift(dst []E, w, j int) { copy(dst, zs.column(w, j)) }

// digitBatch is witnesses of small integers.
type digitBatch [][]int8

func (zs digitBatch) size() int { return len(zs) }

func (zs digitBatch) column(w, j int) []int8 { return zs[w][j*D : (j+1)*D] }

// kind weighs a column by Σ|δ|, the row additions it costs: a digit δ adds
// the shifted rows |δ| times, so columns of the digits folding produces
// (|δ| < b ≤ 3) cost what columns of ±1 cost, and digitLimit places the
// crossover to the NTT path for every digit size. A column with one large
// digit could be cheaper as a scalar multiple of the rows, but folding never
// commits to such columns, and the NTT path handles them exactly.
func (zs digitBatch) kind(w, j int) (kind, error) {
	weight := 0
	for _, d := range zs.column(w, j) {
		weight += abs8(d)
	}
	switch {
	case weight == 0:
		return skip, nil
	case weight <= digitLimit:
		return digits, nil
	}
	return dense, nil
}

func (zs digitBatch) addDigits(k *gl64.Commit, acc, m []E, w, j int) {
	for t, d := range zs.column(w, j) {
		for ; d > 0; d-- {
			k.AddRows(acc[t:], m, accWidth, coefStride)
		}
		for ; d < 0; d++ {
			k.SubRows(acc[t:], m, accWidth, coefStride)
		}
	}
}

func (zs digitBatch) lift(dst []E, w, j int) {
	for t, d := range zs.column(w, j) {
		dst[t] = liftedInt8[uint8(d)]
	}
}

// liftedInt8[uint8(δ)] is δ as a field element, for every int8 δ.
var liftedInt8 = func() (t [256]E) {
	for d := math.MinInt8; d <= math.MaxInt8; d++ {
		t[uint8(int8(d))].SetInt64(int64(d))
	}
	return t
}()

func abs8(d int8) int {
	if d < 0 {
		return -int(d)
	}
	return int(d)
}

// entryError is an unreduced word of a witness. It remembers the witness so
// that CommitBatch can name it; Commit, with a single witness, does not.
type entryError struct {
	witness, row, column int
	word                 uint64
}

func (e *entryError) Error() string {
	return fmt.Sprintf("%v: row %d of column %d holds %#x", ErrEntry, e.row, e.column, e.word)
}

func (e *entryError) Unwrap() error { return ErrEntry }

// getWorker returns a worker with zeroed accumulators for batch witnesses,
// reusing one from an earlier commitment when it can: small commitments
// would otherwise spend more on allocating and clearing buffers than on
// arithmetic.
func (mat *Matrix) getWorker(batch int) *worker {
	w, ok := mat.workers.Get().(*worker)
	if !ok {
		w = newWorker(mat)
	}
	w.resize(mat, batch)
	return w
}

// worker is one goroutine's accumulators and buffers.
type worker struct {
	// Witness w accumulates in hat[w·κ·Points:] (κ rows of Points
	// evaluations) and coef[w·κ·accWidth:] (κ rows of accWidth coefficients).
	hat, coef []E
	// z holds up to slots dense witness columns, zero-padded to Points,
	// waiting to be transformed together; pairs says whose they are.
	z     []E
	pairs []pair
	slots int
	// kinds[c·batch+w] is the kind of column lo+c of witness w; forms[c] the
	// forms of column lo+c of M that some witness needs.
	kinds []kind
	forms []form
	// The chunk's columns of M in the forms the matrix does not keep, and
	// for a regenerated one the source's words.
	raw, mcoef, mhat []E
}

// pair is a dense column j of witness w.
type pair struct{ w, j int }

func newWorker(mat *Matrix) *worker {
	w := &worker{forms: make([]form, chunkColumns)}
	if mat.keep == Regenerate {
		w.raw = make([]E, chunkColumns*mat.kappa*D)
		w.mcoef = make([]E, chunkColumns*mat.kappa*coefStride)
	}
	if mat.keep != StoreAll {
		w.mhat = make([]E, chunkColumns*mat.kappa*Points)
	}
	return w
}

// resize fits the worker to batch witnesses and zeroes their accumulators.
func (w *worker) resize(mat *Matrix, batch int) {
	w.hat = fit(w.hat, batch*mat.kappa*Points)
	w.coef = fit(w.coef, batch*mat.kappa*accWidth)
	w.kinds = fit(w.kinds, batch*chunkColumns)
	// Room for a whole chunk of a single witness (as many transforms as
	// Commit batches) and for every witness of one column, plus the zero
	// columns that pad the transforms to whole groups of 8.
	w.slots = max(chunkColumns, batch)
	w.z = fit(w.z, ((w.slots+7)&^7)*Points)
	w.pairs = fit(w.pairs, w.slots)[:0]
	clear(w.hat)
	clear(w.coef)
}

// fit returns s resized to n, reallocated when it is too small.
func fit[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// kind sorts a column: skip (all zero), digits (the additions path), dense,
// or unreduced (a word not below q, an error).
type kind uint8

const (
	skip kind = iota
	digits
	dense
	unreduced
)

// form is a set of the forms of a column of M: its padded coefficients (for
// the additions path) and its transform (for the NTT path).
type form uint8

const (
	coefForm form = 1 << iota
	hatForm
	allForms = coefForm | hatForm
)

// needs is the form of M that a witness column of kind k is multiplied with.
func (k kind) needs() form {
	switch k {
	case digits:
		return coefForm
	case dense:
		return hatForm
	}
	return 0
}

func classify(z []E) kind {
	nonzero, small := 0, true
	for i := range z {
		if z[i][0] >= gl64.Q {
			return unreduced
		}
		if z[i][0] != 0 {
			nonzero++
			small = small && (z[i] == one || z[i] == minusOne)
		}
	}
	switch {
	case nonzero == 0:
		return skip
	case small && nonzero <= digitLimit:
		return digits
	}
	return dense
}

// columns accumulates z_j·M_ij for j in [lo, hi) and every witness, column by
// column so that each column of M serves the whole batch while it is in
// cache.
func (w *worker) columns(mat *Matrix, k *gl64.Commit, zs witnessBatch, lo, hi int) error {
	kappa, n, batch := mat.kappa, hi-lo, zs.size()
	kinds, forms, work := w.kinds[:n*batch], w.forms[:n], false
	for c := range n {
		forms[c] = 0
		for v := range batch {
			kd, err := zs.kind(v, lo+c)
			if err != nil {
				return err
			}
			kinds[c*batch+v] = kd
			forms[c] |= kd.needs()
		}
		work = work || forms[c] != 0
	}
	if !work {
		return nil
	}
	// coef and hat hold the columns from coefBase and hatBase on: all of M
	// where it is stored, the chunk's columns where they are made here.
	coef, hat, coefBase, hatBase := mat.coef, mat.hat, 0, 0
	switch mat.keep {
	case Regenerate:
		coef, hat, coefBase, hatBase = w.mcoef[:n*kappa*coefStride], w.mhat[:n*kappa*Points], lo, lo
		if err := mat.expand(w.raw, coef, hat, lo, hi, forms); err != nil {
			return err
		}
	case StoreCoefficients:
		hat, hatBase = w.mhat[:n*kappa*Points], lo
		for c, f := range forms {
			if f&hatForm == 0 {
				continue
			}
			j := lo + c
			if err := mat.transform(hat[c*kappa*Points:(c+1)*kappa*Points], coef[j*kappa*coefStride:(j+1)*kappa*coefStride], coefStride); err != nil {
				return err
			}
		}
	}
	w.pairs = w.pairs[:0]
	for j := lo; j < hi; j++ {
		c := j - lo
		col := kinds[c*batch : (c+1)*batch]
		if forms[c]&coefForm != 0 {
			m := coef[(j-coefBase)*kappa*coefStride : (j-coefBase+1)*kappa*coefStride]
			for v, kd := range col {
				if kd == digits {
					zs.addDigits(k, w.coef[v*kappa*accWidth:(v+1)*kappa*accWidth], m, v, j)
				}
			}
		}
		if forms[c]&hatForm == 0 {
			continue
		}
		// A column's dense witnesses are transformed and multiplied in one
		// flush, so its evaluations are read once.
		if len(w.pairs)+denseCount(col) > w.slots {
			if err := w.flush(mat, k, hat, hatBase); err != nil {
				return err
			}
		}
		for v, kd := range col {
			if kd != dense {
				continue
			}
			slot := w.z[len(w.pairs)*Points : (len(w.pairs)+1)*Points]
			zs.lift(slot[:D], v, j)
			clear(slot[D:])
			w.pairs = append(w.pairs, pair{v, j})
		}
	}
	return w.flush(mat, k, hat, hatBase)
}

func denseCount(kinds []kind) int {
	n := 0
	for _, kd := range kinds {
		if kd == dense {
			n++
		}
	}
	return n
}

// flush transforms the waiting dense columns and multiply-accumulates each
// against its column of M, whose evaluations start in hat at column base.
func (w *worker) flush(mat *Matrix, k *gl64.Commit, hat []E, base int) error {
	if len(w.pairs) == 0 {
		return nil
	}
	kappa := mat.kappa
	// Whole groups of 8 transforms run in vector lanes; a partial group would
	// run scalar, so it is padded with zero columns.
	padded := (len(w.pairs) + 7) &^ 7
	clear(w.z[len(w.pairs)*Points : padded*Points])
	zs := w.z[:padded*Points]
	if err := mat.dom.ForwardBatch(zs); err != nil {
		return err
	}
	for c, p := range w.pairs {
		k.MulAcc(w.hat[p.w*kappa*Points:(p.w+1)*kappa*Points], hat[(p.j-base)*kappa*Points:(p.j-base+1)*kappa*Points], zs[c*Points:(c+1)*Points])
	}
	w.pairs = w.pairs[:0]
	return nil
}

// finish adds up the workers' accumulators, brings the evaluations back to
// coefficients and reduces every row mod Φ81 into outs, and the quotients
// into quos unless it is nil.
func finish(mat *Matrix, ws []*worker, outs, quos [][]E) error {
	hat, coef := ws[0].hat, ws[0].coef
	for _, w := range ws[1:] {
		gl64.Generic.Add(hat, hat, w.hat)
		gl64.Generic.Add(coef, coef, w.coef)
	}
	if err := mat.dom.InverseBatch(hat); err != nil {
		return err
	}
	for v, out := range outs {
		for i := range mat.kappa {
			r := v*mat.kappa + i
			p := hat[r*Points : (r+1)*Points]
			gl64.Generic.Add(p[:accWidth], p[:accWidth], coef[r*accWidth:(r+1)*accWidth])
			var quo []E
			if quos != nil {
				quo = quos[v][i*(D-1) : (i+1)*(D-1)]
			}
			reduce(p, quo)
			copy(out[i*D:(i+1)*D], p[:D])
		}
	}
	return nil
}

// reduce replaces p by p mod Φ81 in its first D entries, using
// X^e = −X^(e−27) − X^(e−54) for e ≥ 54 from the top down, so that what lands
// at e−27 ≥ 54 is reduced in turn. Eliminating the term p[e]·X^e subtracts
// p[e]·X^(e−54)·Φ81, so p[e] at that moment is coefficient e−54 of the
// quotient, which goes to quo[e−54] when quo is not nil. p has degree at most
// 2D−2 (a product of two ring elements), so the D−1 entries of quo hold the
// whole quotient.
func reduce(p, quo []E) {
	for e := len(p) - 1; e >= D; e-- {
		if e-D < len(quo) {
			quo[e-D] = p[e]
		}
		if p[e][0] == 0 {
			continue
		}
		p[e-27].Sub(&p[e-27], &p[e])
		p[e-54].Sub(&p[e-54], &p[e])
	}
}
