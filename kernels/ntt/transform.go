package ntt

import (
	"math/bits"
	"sync"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

const (
	// fourStepMinLog is the smallest log2 size split four-step: both sides of
	// the matrix must hold at least one block of 8 columns.
	fourStepMinLog = 6
	// batchBlockMax is the largest size a batch transforms whole, 8 vectors
	// per block (64 KiB of scratch); larger ones go four-step one by one.
	batchBlockMax = 1 << 10
	// panelMax and panelRows bound the blocks a four-step pass takes at a
	// time: up to 16, and no more than 1 MiB in all, which stays in a 2 MiB L2
	// while wider strided rows keep more of each cache line and page in use.
	panelMax  = 16
	panelRows = 1 << 14
	// parallelMin is the least number of elements worth splitting among
	// goroutines.
	parallelMin = 1 << 12
)

// transformOp names a transform for viaCUDA and viaICICLE, which run it
// through ssprove's CUDA library or ICICLE when that serves the selected
// backend.
type transformOp uint8

const (
	opForward transformOp = iota
	opInverse
	opForwardDIF
	opInverseDIT
	opForwardCoset
	opInverseCoset
	opForwardBatch
	opInverseBatch
)

// order is the order of a vector's indices.
type order bool

const (
	natural  order = false
	reversed order = true
)

// Forward replaces v by its evaluations on the domain, natural order in and
// out: v[i] ← Σ_j v[j]·ω^(ij).
func (d *Domain) Forward(v []E) error {
	return d.transform(opForward, v, &d.fwd, natural, natural, goldilocks.One())
}

// Inverse is the inverse of Forward (including the factor 1/n), natural order
// in and out.
func (d *Domain) Inverse(v []E) error {
	return d.transform(opInverse, v, &d.inv, natural, natural, d.nInv)
}

// ForwardDIF is Forward with the output in bit-reversed order, as gnark-crypto's
// FFT with fft.DIF.
func (d *Domain) ForwardDIF(v []E) error {
	return d.transform(opForwardDIF, v, &d.fwd, natural, reversed, goldilocks.One())
}

// InverseDIT is the inverse of ForwardDIF: bit-reversed order in, natural out.
func (d *Domain) InverseDIT(v []E) error {
	return d.transform(opInverseDIT, v, &d.inv, reversed, natural, d.nInv)
}

// ForwardCoset replaces v, the coefficients of a polynomial p, by the
// evaluations p(shift·ω^i) in natural order. shift must not be zero.
func (d *Domain) ForwardCoset(v []E, shift E) error {
	if err := d.checkCoset(v, shift); err != nil {
		return err
	}
	if ok, err := d.viaCUDA(opForwardCoset, v, shift); ok {
		return err
	}
	if ok, err := d.viaICICLE(opForwardCoset, v, shift); ok {
		return err
	}
	k, err := kernels()
	if err != nil {
		return err
	}
	d.scaleGeometric(k, v, shift)
	return d.transform(opForward, v, &d.fwd, natural, natural, goldilocks.One())
}

// InverseCoset is the inverse of ForwardCoset with the same shift.
func (d *Domain) InverseCoset(v []E, shift E) error {
	if err := d.checkCoset(v, shift); err != nil {
		return err
	}
	if ok, err := d.viaCUDA(opInverseCoset, v, shift); ok {
		return err
	}
	if ok, err := d.viaICICLE(opInverseCoset, v, shift); ok {
		return err
	}
	if err := d.transform(opInverse, v, &d.inv, natural, natural, d.nInv); err != nil {
		return err
	}
	k, err := kernels()
	if err != nil {
		return err
	}
	var inv E
	inv.Inverse(&shift)
	d.scaleGeometric(k, v, inv)
	return nil
}

// ForwardBatch applies Forward to each of the len(v)/n vectors of n
// consecutive elements in v. An empty v is a no-op.
func (d *Domain) ForwardBatch(v []E) error {
	return d.batch(opForwardBatch, v, &d.fwd, goldilocks.One())
}

// InverseBatch applies Inverse to each of the len(v)/n vectors of n
// consecutive elements in v. An empty v is a no-op.
func (d *Domain) InverseBatch(v []E) error {
	return d.batch(opInverseBatch, v, &d.inv, d.nInv)
}

func (d *Domain) checkCoset(v []E, shift E) error {
	if err := d.checkLen(v); err != nil {
		return err
	}
	if shift.IsZero() {
		return ErrShift
	}
	return nil
}

// transform checks v, picks the kernels and runs one transform in the given
// orders, multiplying the result by scale; op names it for ICICLE.
func (d *Domain) transform(op transformOp, v []E, t *tables, in, out order, scale E) error {
	if err := d.checkLen(v); err != nil {
		return err
	}
	if ok, err := d.viaCUDA(op, v, E{}); ok {
		return err
	}
	if ok, err := d.viaICICLE(op, v, E{}); ok {
		return err
	}
	k, err := kernels()
	if err != nil {
		return err
	}
	d.run(k, v, d.tables(t), in, out, scale)
	return nil
}

func (d *Domain) run(k *gl64.NTT, v []E, t *tables, in, out order, scale E) {
	if d.logn < fourStepMinLog {
		small(v, t.full, in, out, scale)
		return
	}
	d.fourStep(k, v, t, in, out, scale)
}

func (d *Domain) batch(op transformOp, v []E, t *tables, scale E) error {
	if err := d.checkBatch(v); err != nil {
		return err
	}
	if ok, err := d.viaCUDA(op, v, E{}); ok {
		return err
	}
	if ok, err := d.viaICICLE(op, v, E{}); ok {
		return err
	}
	k, err := kernels()
	if err != nil {
		return err
	}
	t = d.tables(t)
	count := len(v) / d.n
	if d.n > batchBlockMax {
		for i := range count {
			d.fourStep(k, v[i*d.n:(i+1)*d.n], t, natural, natural, scale)
		}
		return nil
	}
	n := d.n
	groups := count / 8
	if n < 8 {
		groups = 0
	}
	d.parallel(groups, groups*8*n, func(lo, hi int) {
		buf := d.blocks.Get().(*[]E)
		defer d.blocks.Put(buf)
		block := (*buf)[:8*n]
		scales, one := fill(scale), fill(goldilocks.One())
		var off [8]int
		for g := lo; g < hi; g++ {
			for c := range off {
				off[c] = (8*g + c) * n
			}
			k.Gather(block, v, &off)
			k.DIF(block, t.full)
			reverseRows(block, d.logn)
			if scale != goldilocks.One() {
				k.Twiddle(block, &scales, &one)
			}
			k.Scatter(v, &off, block)
		}
	})
	for i := groups * 8; i < count; i++ {
		small(v[i*n:(i+1)*n], t.full, natural, natural, scale)
	}
	return nil
}

// fourStep transforms v, viewed as an n1 × n2 matrix (v[j1·n2+j2]): length-n1
// transforms down the columns, a multiplication of entry (k1, j2) by ω^(k1·j2),
// then length-n2 transforms along the rows, whose result (k1, k2) is the
// output index k1 + n1·k2. Both passes work on blocks of 8 columns, so each
// block stays in cache, and take d.panel adjacent blocks at a time so that
// every strided access moves several cache lines.
//
// The first pass transforms its blocks in place in a scratch vector, block
// after block, in natural row order (DIT after loading the rows bit-reversed),
// so it copies nothing back: entries (k1..k1+7, j2..j2+7) are then one
// contiguous 8×8 tile, which the second pass transposes into its block with a
// Gather of 8 rows. The second pass writes back into v.
func (d *Domain) fourStep(k *gl64.NTT, v []E, t *tables, in, out order, scale E) {
	n1, n2 := d.split()
	l1, l2 := uint(bits.TrailingZeros(uint(n1))), uint(bits.TrailingZeros(uint(n2)))
	p := d.panel
	tmpBuf := d.tmp.Get().(*[]E)
	defer d.tmp.Put(tmpBuf)
	tmp := *tmpBuf
	// block returns block j2/8 of the first pass: columns j2..j2+7.
	block := func(j2 int) []E { return tmp[j2*n1 : (j2+8)*n1] }

	d.parallel(n2/(8*p), d.n, func(lo, hi int) {
		var off [8]int
		for g := lo; g < hi; g++ {
			j2 := 8 * p * g
			if in == natural {
				panel := tmp[j2*n1 : (j2+8*p)*n1]
				for r := range n1 {
					src := v[rev(r, l1)*n2+j2:]
					for b := range p {
						*row(panel, b*n1+r) = *(*[8]E)(src[8*b:])
					}
				}
			}
			for b := range p {
				blk := block(j2 + 8*b)
				if in == reversed {
					// Entry (j1, j2) of the logical matrix sits at rev(j2)·n1 + rev(j1):
					// rows of the stored matrix are the columns we want, bit-reversed.
					for c := range off {
						off[c] = rev(j2+8*b+c, l2) * n1
					}
					k.Gather(blk, v, &off)
				}
				k.DIT(blk, t.tw1)
			}
		}
	})

	d.parallel(n1/(8*p), d.n, func(lo, hi int) {
		blocks, put := d.getBlocks(n2)
		defer put()
		t0 := fill(scale)
		var off [8]int
		for g := lo; g < hi; g++ {
			k1 := 8 * p * g
			for b, blk := range blocks {
				for c := range off {
					off[c] = 8 * (k1 + 8*b + c)
				}
				for j2 := 0; j2 < n2; j2 += 8 {
					k.Gather(blk[8*j2:8*j2+64], tmp, &off)
					for c := range off {
						off[c] += 8 * n1
					}
				}
				k.Twiddle(blk, &t0, (*[8]E)(t.pow[k1+8*b:]))
				k.DIF(blk, t.tw2)
			}
			if out == natural {
				for k2 := range n2 {
					r := rev(k2, l2)
					dst := v[k2*n1+k1:]
					for b, blk := range blocks {
						*(*[8]E)(dst[8*b:]) = *row(blk, r)
					}
				}
				continue
			}
			// Output k1 + n1·k2 goes to rev(k1)·n2 + rev(k2), and block row r
			// already holds k2 = rev(r).
			for b, blk := range blocks {
				for c := range off {
					off[c] = rev(k1+8*b+c, l1) * n2
				}
				k.Scatter(v, &off, blk)
			}
		}
	})
}

// getBlocks returns d.panel scratch blocks of m rows and the function that
// gives them back.
func (d *Domain) getBlocks(m int) ([][]E, func()) {
	buf := d.blocks.Get().(*[]E)
	blocks := make([][]E, d.panel)
	for b := range blocks {
		blocks[b] = (*buf)[8*m*b : 8*m*(b+1)]
	}
	return blocks, func() { d.blocks.Put(buf) }
}

// parallel calls fn on ranges that cover [0, count) groups, on up to d.tasks
// goroutines when the work (in elements) pays for them.
func (d *Domain) parallel(count, work int, fn func(lo, hi int)) {
	tasks := min(d.tasks, count)
	if work < parallelMin || tasks <= 1 {
		if count > 0 {
			fn(0, count)
		}
		return
	}
	var wg sync.WaitGroup
	for i := range tasks {
		lo, hi := count*i/tasks, count*(i+1)/tasks
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}

// scaleGeometric sets v[i] ← v[i]·s^i.
func (d *Domain) scaleGeometric(k *gl64.NTT, v []E, s E) {
	rows := len(v) / 8
	step := fill(expUint(s, 8))
	d.parallel(rows, len(v), func(lo, hi int) {
		var t0 [8]E
		t0[0] = expUint(s, uint64(8*lo))
		for c := 1; c < 8; c++ {
			t0[c][0] = gl64.Mul(t0[c-1][0], s[0])
		}
		k.Twiddle(v[8*lo:8*hi], &t0, &step)
	})
	for i := 8 * rows; i < len(v); i++ {
		v[i][0] = gl64.Mul(v[i][0], expUint(s, uint64(i))[0])
	}
}

// small transforms a vector of fewer than 2^fourStepMinLog elements, or one
// left over from a batch, with scalar butterflies; tw is ω^i for i < n/2.
func small(v, tw []E, in, out order, scale E) {
	logn := uint(bits.TrailingZeros(uint(len(v))))
	if in == reversed {
		reverse(v, logn)
	}
	m := len(v)
	for h := m / 2; h >= 1; h /= 2 {
		stride := m / (2 * h)
		for s := 0; s < m; s += 2 * h {
			for j := range h {
				u, x := v[s+j][0], v[s+j+h][0]
				v[s+j][0] = gl64.Add(u, x)
				v[s+j+h][0] = gl64.Mul(gl64.Sub(u, x), tw[j*stride][0])
			}
		}
	}
	if out == natural {
		reverse(v, logn)
	}
	if scale != goldilocks.One() {
		for i := range v {
			v[i][0] = gl64.Mul(v[i][0], scale[0])
		}
	}
}

func reverse(v []E, logn uint) {
	for i := range v {
		if j := rev(i, logn); i < j {
			v[i], v[j] = v[j], v[i]
		}
	}
}

// reverseRows puts the rows of a block in bit-reversed order.
func reverseRows(block []E, logm int) {
	for r := range len(block) / 8 {
		if j := rev(r, uint(logm)); r < j {
			*row(block, r), *row(block, j) = *row(block, j), *row(block, r)
		}
	}
}

// rev reverses the low l bits of i.
func rev(i int, l uint) int {
	if l == 0 {
		return 0
	}
	return int(bits.Reverse64(uint64(i)) >> (64 - l))
}

func row(a []E, r int) *[8]E {
	return (*[8]E)(a[8*r : 8*r+8])
}

func fill(x E) [8]E {
	return [8]E{x, x, x, x, x, x, x, x}
}
