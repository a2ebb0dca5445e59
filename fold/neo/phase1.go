package neo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/kernels/ext"
	"github.com/ssprove/ssprove/lattice/ring"
)

// phase1 is the prover's state over the digit rounds (fold/NEO.md §2.5).
type phase1 struct {
	st      *ccsStatement
	Zs      [][]int8
	m, n    int
	eqBetaR []K                    // EqTable(β_r), N entries
	mz      [][]goldilocks.Element // M_j·z_0, n entries each
	fSigma  K                      // Σ_c eq(c, β_r)·F(c)
	eqAlpha []K                    // eq(·, α) over the unbound digit variables
	yTab    []K                    // Y over the unbound digit variables
	tabs    [][]K                  // from materialRound: Z̃_i(α'_{<i}, ·, ·), 2^(6−i)·N entries
	squares []K                    // s² for s = 1…b−1
	mags    int                    // max |δ| over the witnesses
}

func newPhase1(st *ccsStatement, s *ccs.CCS, Zs [][]int8, mags int) (*phase1, error) {
	ph := &phase1{st: st, Zs: Zs, m: st.dm.m, n: st.dm.n, yTab: slices.Clone(st.yTab), mags: mags}
	var err error
	if ph.eqAlpha, err = mle.EqTable(st.alpha); err != nil {
		return nil, err
	}
	if ph.eqBetaR, err = mle.EqTable(st.betaR); err != nil {
		return nil, err
	}
	z0, err := recompose(Zs[0], uint64(st.b))
	if err != nil {
		return nil, err
	}
	for j, mj := range s.Matrices() {
		v := make([]goldilocks.Element, ph.n)
		if err := mj.MulVec(v, z0); err != nil {
			return nil, fmt.Errorf("matrix %d: %w", j+1, err)
		}
		ph.mz = append(ph.mz, v)
	}
	terms := s.Terms()
	var f, p goldilocks.Element
	var e K
	for c := range ph.n {
		f.SetZero()
		for _, term := range terms {
			p = term.Coeff
			for _, j := range term.Matrices {
				p.Mul(&p, &ph.mz[j][c])
			}
			f.Add(&f, &p)
		}
		e.MulByElement(&ph.eqBetaR[c], &f)
		ph.fSigma.Add(&ph.fSigma, &e)
	}
	for v := 1; v < st.b; v++ {
		var sq K
		sq.A0.SetUint64(uint64(v * v))
		ph.squares = append(ph.squares, sq)
	}
	return ph, nil
}

// round fills s with s_i(0), …, s_i(2b) (fold/NEO.md §2.5).
func (ph *phase1) round(ctx context.Context, i int, point, s []K) error {
	st := ph.st
	if i > 0 {
		var err error
		r := point[i-1]
		if ph.eqAlpha, err = mle.Bind(ph.eqAlpha, r); err != nil {
			return err
		}
		if ph.yTab, err = mle.Bind(ph.yTab, r); err != nil {
			return err
		}
		if i > materialRound {
			for k := range ph.tabs {
				if ph.tabs[k], err = mle.Bind(ph.tabs[k], r); err != nil {
					return err
				}
			}
		}
	}
	if i == materialRound {
		if err := ph.materialise(point); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	nc, err := ph.rangeRound(i, point)
	if err != nil {
		return err
	}
	var prefix K
	prefix.SetOne()
	for k, r := range point {
		e := eq1(&r, &st.betaA[k])
		prefix.Mul(&prefix, &e)
	}
	var t, et, inner, lo, diff, a, yv, p K
	h := len(ph.eqAlpha) / 2
	for x := range s {
		t.A0.SetUint64(uint64(x))
		et = eq1(&t, &st.betaA[i])
		inner.Add(&ph.fSigma, &nc[x])
		s[x].Mul(&prefix, &et)
		s[x].Mul(&s[x], &inner)
		for q := range h {
			lo = ph.eqAlpha[q]
			diff.Sub(&ph.eqAlpha[h+q], &lo)
			a.Mul(&diff, &t)
			a.Add(&a, &lo)
			lo = ph.yTab[q]
			diff.Sub(&ph.yTab[h+q], &lo)
			yv.Mul(&diff, &t)
			yv.Add(&yv, &lo)
			p.Mul(&a, &yv)
			s[x].Add(&s[x], &p)
		}
	}
	return nil
}

// columnValues sets buf[q] = Σ_p prefix[p]·Z[(p, q), c] for the digit
// column col (d entries), the column's digit table with the first
// log2(len(prefix)) variables bound; len(buf)·len(prefix) = digitPad.
func columnValues(buf, prefix []K, col []int8) {
	clear(buf)
	width := len(buf)
	var e K
	for a, δ := range col {
		p, q := a/width, a%width
		switch δ {
		case 0:
		case 1:
			buf[q].Add(&buf[q], &prefix[p])
		case -1:
			buf[q].Sub(&buf[q], &prefix[p])
		default:
			v := digitElement(δ)
			e.MulByElement(&prefix[p], &v)
			buf[q].Add(&buf[q], &e)
		}
	}
}

// prefixValues reads a column's digit table with its first
// log2(len(prefix)) variables bound, v[q] = Σ_p prefix[p]·Z[(p, q), c]:
// from a table per digit pattern where the patterns are few (rounds up to
// 3 at b = 2), else digit by digit (columnValues).
type prefixValues struct {
	prefix []K
	dp     digitPattern
	sums   []K // by pattern; nil when there are too many
}

func newPrefixValues(prefix []K, width, mags int) *prefixValues {
	pv := &prefixValues{prefix: prefix}
	if patternCount(len(prefix), mags) <= maxPatterns {
		pv.dp = newDigitPattern(len(prefix), width, mags)
		pv.sums = pv.dp.sums(prefix)
	}
	return pv
}

// read sets buf[q] for the column col; keys is scratch of len(buf).
func (pv *prefixValues) read(buf []K, keys []int, col []int8) {
	if pv.sums == nil {
		columnValues(buf, pv.prefix, col)
		return
	}
	pv.dp.keys(keys, col)
	for q, key := range keys {
		buf[q] = pv.sums[key]
	}
}

// materialise builds, at round materialRound, each instance's table
// Z̃_i(α'_{<i}, q, c) at index q·N + c.
func (ph *phase1) materialise(point []K) error {
	prefix, err := mle.EqTable(point)
	if err != nil {
		return err
	}
	N := len(ph.eqBetaR)
	width := digitPad / len(prefix)
	pv := newPrefixValues(prefix, width, ph.mags)
	ph.tabs = make([][]K, len(ph.Zs))
	for k, Z := range ph.Zs {
		tab := make([]K, width*N)
		parallel.For(ph.m, digitGrain, func(lo, hi int) {
			buf := make([]K, width)
			keys := make([]int, width)
			for c := lo; c < hi; c++ {
				pv.read(buf, keys, Z[c*ring.D:(c+1)*ring.D])
				for q := range buf {
					tab[q*N+c] = buf[q]
				}
			}
		})
		ph.tabs[k] = tab
	}
	return nil
}

// rangeRound returns N_i(t) for t = 0…d_1: the range-check part of round i,
// Σ_c eq(c, β_r) Σ_s eq(s, β_{a,>i}) Σ_inst γ^{inst+1}·R_b(v_inst,c(t, s)).
// Columns c ≥ m hold zeros, and R_b(0) = 0.
//
// Three ways to the same sum, cheapest first where it applies: while a
// round's v(t, s) is fixed by few small digits, by buckets of weights per
// digit pattern (bucketRound); from round materialRound on, over the tables
// kept in K (tableRound); otherwise from the digits column by column
// (columnRound).
func (ph *phase1) rangeRound(i int, point []K) ([]K, error) {
	eqS, err := mle.EqTable(ph.st.betaA[i+1:])
	if err != nil {
		return nil, err
	}
	switch {
	case i >= materialRound:
		return ph.tableRound(eqS)
	case patternCount(2<<i, ph.mags) <= maxPatterns:
		return ph.bucketRound(i, point, eqS)
	default:
		return ph.columnRound(i, point, eqS)
	}
}

// bucketRound is rangeRound for a round whose v(t, s) is fixed by the
// 2^(i+1) digits Z[(p, x, s), c], p < 2^i, x ∈ {0, 1}: v(x, s) =
// Σ_p eq(α'_{<i}, p)·Z[(p, x, s), c] and v(t, s) = v(0, s) + t·(v(1, s) −
// v(0, s)). The weights eq(c, β_r)·eq(s, β_{a,>i}) are added into one
// bucket per instance and digit pattern, and each bucket multiplies its
// pattern's R_b values once: additions per digit pattern instead of
// multiplications per pattern and t.
func (ph *phase1) bucketRound(i int, point []K, eqS []K) ([]K, error) {
	prefix, err := mle.EqTable(point[:i])
	if err != nil {
		return nil, err
	}
	// Pattern digit l = 2p + x sits at digit l·half + s of a column.
	dp := newDigitPattern(2*len(prefix), len(eqS), ph.mags)
	buckets := ph.patternWeights(&dp, eqS)
	// v(0, s) and v(1, s) of every pattern: the even and the odd pattern
	// digits weighed by eq(α'_{<i}, p).
	w0, w1 := make([]K, dp.n), make([]K, dp.n)
	for p := range prefix {
		w0[2*p], w1[2*p+1] = prefix[p], prefix[p]
	}
	v0s, v1s := dp.sums(w0), dp.sums(w1)
	acc := make([]K, ph.st.degree+1)
	sums := make([]K, len(acc))
	vals := make([]K, len(acc))
	var d, p K
	for k := range ph.Zs {
		clear(sums)
		for key, bucket := range buckets[k*dp.count : (k+1)*dp.count] {
			if bucket.IsZero() {
				continue
			}
			d.Sub(&v1s[key], &v0s[key])
			linePoints(vals, v0s[key], d)
			for t := range vals {
				r := ph.rangeCheck(&vals[t])
				p.Mul(&r, &bucket)
				sums[t].Add(&sums[t], &p)
			}
		}
		for t := range acc {
			p.Mul(&sums[t], &ph.st.nc[k])
			acc[t].Add(&acc[t], &p)
		}
	}
	return acc, nil
}

// patternWeights returns, per instance k and digit pattern key, the sum of
// the weights eq(c, β_r)·eq(s, β_{a,>i}) over the (c, s) whose digits form
// that pattern (bucketRound), at k·dp.count + key.
//
// The weight is a product, and a product per (c, s) was most of a fold's
// phase 1. Σ_{c,s} eq_c·eq_s·[key(c, s) = κ] = Σ_s eq_s·Σ_c eq_c·[key(c, s)
// = κ], so each worker adds eq_c alone into a bucket per (k, s, pattern),
// and the eq_s multiply once per bucket: m·2^(5−i) products become
// 2^(5−i)·count. Only when there are fewer columns than patterns (round 2
// at small m) is a product per (c, s) the cheaper.
func (ph *phase1) patternWeights(dp *digitPattern, eqS []K) []K {
	half, kin := len(eqS), len(ph.Zs)
	perColumn := ph.m < dp.count
	size := kin * half * dp.count
	if perColumn {
		size = kin * dp.count
	}
	w := parallel.Workers(ph.m, digitGrain)
	parts := make([][]K, w)
	parallel.Split(ph.m, w, func(part, lo, hi int) {
		buckets := make([]K, size)
		weights := make([]K, half)
		keys := make([]int, half)
		for c := lo; c < hi; c++ {
			if perColumn {
				for q := range weights {
					weights[q].Mul(&ph.eqBetaR[c], &eqS[q])
				}
			}
			for k, Z := range ph.Zs {
				dp.keys(keys, Z[c*ring.D:(c+1)*ring.D])
				for q, key := range keys {
					switch {
					case key == dp.zero: // R_b(0) = 0
					case perColumn:
						b := &buckets[k*dp.count+key]
						b.Add(b, &weights[q])
					default:
						b := &buckets[(k*half+q)*dp.count+key]
						b.Add(b, &ph.eqBetaR[c])
					}
				}
			}
		}
		parts[part] = buckets
	})
	for _, part := range parts[1:] {
		for x := range part {
			parts[0][x].Add(&parts[0][x], &part[x])
		}
	}
	if perColumn {
		return parts[0]
	}
	out := make([]K, kin*dp.count)
	var p K
	for k := range kin {
		for q := range half {
			row := parts[0][(k*half+q)*dp.count : (k*half+q+1)*dp.count]
			for key := range row {
				if !row[key].IsZero() {
					p.Mul(&row[key], &eqS[q])
					out[k*dp.count+key].Add(&out[k*dp.count+key], &p)
				}
			}
		}
	}
	return out
}

// linePoints sets vals[t] = v0 + t·d for t = 0…len(vals)−1.
func linePoints(vals []K, v0, d K) {
	v := v0
	for t := range vals {
		vals[t] = v
		v.Add(&v, &d)
	}
}

// rangeBlock is the number of entries one call of the product kernel
// covers: the weights and both halves of a table stay in L1/L2 while every
// instance and term of R_b reads them.
const rangeBlock = 1 << 10

// rangeSource hands rangeSum the tables of one round block by block: per
// block [lo, hi), weights first, then each instance's values.
type rangeSource interface {
	// weights returns eq(s, β_{a,>i})·eq(c, β_r) over the block, as a
	// vector and a factor of the whole block that multiplies it.
	weights(lo, hi int) ([]K, K)
	// values returns v(0, s) and v(1, s) of instance k over the block.
	values(k, lo, hi int) (v0, v1 []K)
}

// rangeSum returns N_i(t) for t = 0…d_1 over size entries of (s, c) pairs
// in blocks of block entries, each worker reading from a source of its own:
// Σ_inst γ^{inst+1}·Σ_e r_e·Σ_entries w·v(t)^e, each monomial of R_b a
// product of tables for the accelerated product kernel.
//
// R_b(v(t)) has degree 2b − 1 in t, so the kernel evaluates 2b points and
// the rest of d_1 + 1 follow by extrapolation.
func (ph *phase1) rangeSum(size, block int, newSource func() rangeSource) ([]K, error) {
	st := ph.st
	evals := len(st.rb) // 2b: R_b has degree 2b − 1
	blocks := (size + block - 1) / block
	w := parallel.Workers(blocks, 2)
	parts := make([][]K, w)
	errs := make([]error, w)
	parallel.Split(blocks, w, func(part, b0, b1 int) {
		src := newSource()
		acc := make([]K, evals)
		inst := make([]K, evals)
		term := make([]K, evals)
		var los, his [][]K
		var p K
		for blk := b0; blk < b1; blk++ {
			lo, hi := blk*block, min(size, (blk+1)*block)
			wts, factor := src.weights(lo, hi)
			for k := range ph.Zs {
				v0, v1 := src.values(k, lo, hi)
				clear(inst)
				for e, ce := range st.rb {
					if ce.IsZero() {
						continue
					}
					los, his = append(los[:0], wts), append(his[:0], wts)
					for range e {
						los, his = append(los, v0), append(his, v1)
					}
					clear(term)
					if err := ext.ProductEvals(term, los, his); err != nil {
						errs[part] = err
						return
					}
					for t := range term {
						p.MulByElement(&term[t], &ce)
						inst[t].Add(&inst[t], &p)
					}
				}
				var f K
				f.Mul(&st.nc[k], &factor)
				for t := range inst {
					p.Mul(&inst[t], &f)
					acc[t].Add(&acc[t], &p)
				}
			}
		}
		parts[part] = acc
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	acc := make([]K, st.degree+1)
	for _, part := range parts {
		for t := range part {
			acc[t].Add(&acc[t], &part[t])
		}
	}
	extrapolate(acc, evals)
	return acc, nil
}

// extrapolate sets vals[n:] from vals[:n], the values at 0, 1, …, n−1 of a
// polynomial of degree below n, whose n−1st forward difference is constant:
// additions only.
func extrapolate(vals []K, n int) {
	if n == 0 || n >= len(vals) {
		return
	}
	// diag[j] is the jth forward difference at n−1−j.
	diag := slices.Clone(vals[:n])
	for j := 1; j < n; j++ {
		for x := range n - j {
			diag[x].Sub(&diag[x+1], &diag[x])
		}
	}
	slices.Reverse(diag)
	for x := n; x < len(vals); x++ {
		for j := n - 2; j >= 0; j-- {
			diag[j].Add(&diag[j], &diag[j+1])
		}
		vals[x] = diag[0]
	}
}

// tableRound is rangeRound over the tables kept in K (rounds materialRound
// and later): each instance's table splits into the halves of this round's
// variable, entry s·N + c.
func (ph *phase1) tableRound(eqS []K) ([]K, error) {
	N := len(ph.eqBetaR)
	size := len(eqS) * N
	src := &tableSource{tabs: ph.tabs, size: size, eqR: ph.eqBetaR, eqS: eqS}
	return ph.rangeSum(size, min(rangeBlock, N), func() rangeSource { return src })
}

type tableSource struct {
	tabs     [][]K
	size     int
	eqR, eqS []K
}

// weights returns eq(c, β_r) over the block and eq(s, β_{a,>i}) as its
// factor: tableRound's blocks divide N, so a block lies within one s, and
// the product table of the weights is never built.
func (t *tableSource) weights(lo, hi int) ([]K, K) {
	N := len(t.eqR)
	return t.eqR[lo%N : lo%N+hi-lo], t.eqS[lo/N]
}

func (t *tableSource) values(k, lo, hi int) (v0, v1 []K) {
	tab := t.tabs[k]
	return tab[lo:hi], tab[t.size+lo : t.size+hi]
}

// columnRound is rangeRound computed from the digits: each block of
// columns' v(x, s) is rebuilt from their int8 digits with the weights
// eq(α'_{<i}, p) (prefixValues), then summed like tableRound's tables. It
// serves the rounds before materialRound whose digit patterns are too many
// to bucket.
func (ph *phase1) columnRound(i int, point []K, eqS []K) ([]K, error) {
	prefix, err := mle.EqTable(point[:i])
	if err != nil {
		return nil, err
	}
	half := len(eqS)
	cols := rangeBlock / half
	blocks := (ph.m + cols - 1) / cols
	pv := newPrefixValues(prefix, 2*half, ph.mags)
	return ph.rangeSum(blocks*rangeBlock, rangeBlock, func() rangeSource {
		return &columnSource{
			ph: ph, pv: pv, eqS: eqS, cols: cols,
			buf: make([]K, 2*half), keys: make([]int, 2*half), w: make([]K, rangeBlock),
			v0: make([]K, rangeBlock), v1: make([]K, rangeBlock),
		}
	})
}

// columnSource is one worker's columnRound state. Block entry q·cols + c'
// is (s = q, column c0 + c'); columns at or past m are zero.
type columnSource struct {
	ph        *phase1
	pv        *prefixValues
	eqS       []K
	cols      int
	c0, c1    int
	buf       []K
	keys      []int
	w, v0, v1 []K
}

func (cs *columnSource) weights(lo, _ int) ([]K, K) {
	cs.c0 = lo / rangeBlock * cs.cols
	cs.c1 = min(cs.c0+cs.cols, cs.ph.m)
	clear(cs.w)
	for c := cs.c0; c < cs.c1; c++ {
		for q := range cs.eqS {
			cs.w[q*cs.cols+c-cs.c0].Mul(&cs.ph.eqBetaR[c], &cs.eqS[q])
		}
	}
	var one K
	one.SetOne()
	return cs.w, one
}

func (cs *columnSource) values(k, _, _ int) (v0, v1 []K) {
	clear(cs.v0)
	clear(cs.v1)
	half := len(cs.eqS)
	Z := cs.ph.Zs[k]
	for c := cs.c0; c < cs.c1; c++ {
		cs.pv.read(cs.buf, cs.keys, Z[c*ring.D:(c+1)*ring.D])
		for q := range half {
			cs.v0[q*cs.cols+c-cs.c0] = cs.buf[q]
			cs.v1[q*cs.cols+c-cs.c0] = cs.buf[half+q]
		}
	}
	return cs.v0, cs.v1
}

// rangeCheck returns R_b(v) = v·Π_{s=1}^{b−1}(v² − s²).
func (ph *phase1) rangeCheck(v *K) K {
	var sq, f K
	r := *v
	sq.Square(v)
	for k := range ph.squares {
		f.Sub(&sq, &ph.squares[k])
		r.Mul(&r, &f)
	}
	return r
}
