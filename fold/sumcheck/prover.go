package sumcheck

import (
	"slices"

	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/kernels/ext"
)

// grain is the table length from which a round is split across cores.
const grain = 1 << 13

// chunk is how many index pairs a worker binds and then evaluates at a time:
// small enough that the freshly bound entries are still in cache when the
// round polynomial reads them, large enough to amortise the kernel calls.
const chunk = 512

// prover holds the tables and the per-goroutine accumulators of one Prove.
type prover struct {
	g      Composition
	d      int
	tables [][]K
	// For a Products g: the terms with factors, run through ext.ProductEvals,
	// and the sum of the coefficients of those without (constants).
	terms     []Term
	constant  K
	pointwise bool
	maxLen    int // longest term
	parts     []part
}

// part is one goroutine's share of a round.
type part struct {
	acc   []K   // pointwise: the d+1 partial sums of g
	sums  []K   // Products: d+1 partial sums of each term's product, before Coeff
	lo    [][]K // Products: the factor halves of one chunk
	hi    [][]K
	vals  []K // pointwise: the tables at one point
	slope []K // pointwise: hi − lo of every table at one index
	err   error
	_     [64]byte // keeps neighbours' accumulators off each other's cache lines
}

func newProver(g Composition, d int, tables [][]K) *prover {
	// A copy of the slice headers: binding shortens them, and the caller's
	// own headers should keep describing the (consumed) tables it passed.
	p := &prover{g: g, d: d, tables: slices.Clone(tables)}
	if prod, ok := products(g); ok {
		for _, t := range prod.Terms {
			if len(t.Factors) == 0 {
				p.constant.Add(&p.constant, &t.Coeff)
				continue
			}
			p.terms = append(p.terms, t)
			p.maxLen = max(p.maxLen, len(t.Factors))
		}
	} else {
		p.pointwise = true
	}
	return p
}

// grow makes sure there are accumulators for w goroutines.
func (p *prover) grow(w int) {
	for len(p.parts) < w {
		var pt part
		if p.pointwise {
			pt.acc = make([]K, p.d+1)
			pt.vals = make([]K, len(p.tables))
			pt.slope = make([]K, len(p.tables))
		} else {
			pt.sums = make([]K, len(p.terms)*(p.d+1))
			pt.lo = make([][]K, p.maxLen)
			pt.hi = make([][]K, p.maxLen)
		}
		p.parts = append(p.parts, pt)
	}
}

// round writes s(0), …, s(d) of the round polynomial over the pairs
// (i, i + h), i < h, of the tables. When bind is not nil the tables still
// have 4h entries and are first bound to *bind, in the same pass: the entries
// i and i + h of the bound table come from i, i + 2h and i + h, i + 3h, all
// inside the goroutine's own share, so the shares never touch each other.
func (p *prover) round(s []K, h int, bind *K) error {
	w := parallel.Workers(2*h, grain)
	p.grow(w)
	parallel.Split(h, w, func(c, lo, hi int) {
		p.parts[c].err = p.pass(&p.parts[c], lo, hi, h, bind)
	})
	if bind != nil {
		for j := range p.tables {
			p.tables[j] = p.tables[j][:2*h]
		}
	}
	for c := range w {
		if err := p.parts[c].err; err != nil {
			return err
		}
	}
	clear(s)
	if p.pointwise {
		for c := range w {
			for t := range s {
				s[t].Add(&s[t], &p.parts[c].acc[t])
			}
		}
		return nil
	}
	var tot K
	for k, term := range p.terms {
		for t := range s {
			tot.SetZero()
			for c := range w {
				tot.Add(&tot, &p.parts[c].sums[k*(p.d+1)+t])
			}
			tot.Mul(&tot, &term.Coeff)
			s[t].Add(&s[t], &tot)
		}
	}
	if !p.constant.IsZero() {
		// A constant term adds itself once per point of the remaining hypercube.
		var c K
		c.A0.SetUint64(uint64(h))
		c.Mul(&c, &p.constant)
		for t := range s {
			s[t].Add(&s[t], &c)
		}
	}
	return nil
}

// pass runs the pairs [lo, hi) of a round on the calling goroutine.
func (p *prover) pass(pt *part, lo, hi, h int, bind *K) error {
	clear(pt.acc)
	clear(pt.sums)
	d1 := p.d + 1
	for a := lo; a < hi; a += chunk {
		b := min(a+chunk, hi)
		if bind != nil {
			for _, f := range p.tables {
				if err := ext.Bind(f[a:b], f[2*h+a:2*h+b], *bind); err != nil {
					return err
				}
				if err := ext.Bind(f[h+a:h+b], f[3*h+a:3*h+b], *bind); err != nil {
					return err
				}
			}
		}
		if p.pointwise {
			p.points(pt, a, b, h)
			continue
		}
		for k, t := range p.terms {
			m := len(t.Factors)
			for i, f := range t.Factors {
				pt.lo[i] = p.tables[f][a:b]
				pt.hi[i] = p.tables[f][h+a : h+b]
			}
			if err := ext.ProductEvals(pt.sums[k*d1:(k+1)*d1], pt.lo[:m], pt.hi[:m]); err != nil {
				return err
			}
		}
	}
	return nil
}

// points adds g at t = 0, …, d over the pairs [a, b), point by point.
func (p *prover) points(pt *part, a, b, h int) {
	for i := a; i < b; i++ {
		for j, f := range p.tables {
			pt.vals[j] = f[i]
			pt.slope[j].Sub(&f[h+i], &f[i])
		}
		for t := range pt.acc {
			if t > 0 {
				for j := range pt.vals {
					pt.vals[j].Add(&pt.vals[j], &pt.slope[j])
				}
			}
			v := p.g.Evaluate(pt.vals)
			pt.acc[t].Add(&pt.acc[t], &v)
		}
	}
}

// finish writes the tables' values at the final point to evals: their one
// entry when there were no rounds, else their two entries bound to *bind.
func (p *prover) finish(evals []K, bind *K) {
	for j, f := range p.tables {
		if bind != nil {
			var d K
			d.Sub(&f[1], &f[0])
			d.Mul(&d, bind)
			f[0].Add(&f[0], &d)
		}
		evals[j] = f[0]
	}
}
