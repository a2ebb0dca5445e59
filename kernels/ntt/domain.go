package ntt

import (
	"errors"
	"fmt"
	"math/bits"
	"runtime"
	"sync"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// MaxLogSize is the largest supported log2 of a domain size.
const MaxLogSize = 28

var (
	// ErrSize is returned for a domain size that is not a power of two in [1, 2^MaxLogSize].
	ErrSize = errors.New("ntt: domain size must be a power of two between 1 and 2^28")
	// ErrLength is returned when a vector does not fit the domain.
	ErrLength = errors.New("ntt: vector length does not match the domain")
	// ErrShift is returned for a zero coset shift, which has no coset.
	ErrShift = errors.New("ntt: coset shift is zero")
	// ErrTasks is returned for a non-positive WithTasks count.
	ErrTasks = errors.New("ntt: task count must be at least 1")
	// ErrNoKernels is returned when the selected backend has no NTT kernels in this build.
	ErrNoKernels = errors.New("ntt: no NTT kernels for the selected backend")
)

// Option configures a Domain.
type Option func(*config)

type config struct {
	tasks int
}

// WithTasks sets how many goroutines one transform may use. The default is
// runtime.GOMAXPROCS(0) at the time NewDomain is called.
func WithTasks(t int) Option {
	return func(c *config) { c.tasks = t }
}

// Domain is the multiplicative subgroup of size n = 2^k of Goldilocks and the
// tables its transforms use. Tables (O(√n) elements) are built on first use
// and shared; a Domain is safe for concurrent use. Transforms of 2^6 points and
// more borrow a scratch vector of n elements from a pool kept by the Domain.
type Domain struct {
	n, logn int
	tasks   int
	gen     E
	nInv    E

	fwd, inv tables

	// blocks holds scratch blocks of 8·blockRows elements, tmp whole vectors
	// for the four-step transforms, so repeated calls do not allocate.
	blockRows int
	panel     int
	blocks    sync.Pool
	tmp       sync.Pool
}

// E is the element type of every vector.
type E = goldilocks.Element

// NewDomain returns the domain of size n, which must be 2^k with 0 ≤ k ≤ 28.
func NewDomain(n int, opts ...Option) (*Domain, error) {
	if n < 1 || n > 1<<MaxLogSize || n&(n-1) != 0 {
		return nil, fmt.Errorf("%w: got %d", ErrSize, n)
	}
	cfg := config{tasks: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.tasks < 1 {
		return nil, fmt.Errorf("%w: got %d", ErrTasks, cfg.tasks)
	}
	gen, err := goldilocks.Generator(uint64(n))
	if err != nil {
		return nil, fmt.Errorf("ntt: generator of order %d: %w", n, err)
	}
	d := &Domain{n: n, logn: bits.TrailingZeros(uint(n)), tasks: cfg.tasks, gen: gen}
	d.nInv.SetUint64(uint64(n))
	d.nInv.Inverse(&d.nInv)
	d.fwd.root = gen
	d.inv.root.Inverse(&gen)
	d.blockRows, d.panel = n, 1
	if n > batchBlockMax {
		n1, n2 := d.split()
		d.blockRows = n2
		d.panel = max(1, min(panelMax, panelRows/n2, n1/8))
	}
	d.blocks.New = func() any {
		b := make([]E, 8*d.blockRows*d.panel)
		return &b
	}
	d.tmp.New = func() any {
		b := make([]E, n)
		return &b
	}
	return d, nil
}

// Size returns the number of points n.
func (d *Domain) Size() int { return d.n }

// Generator returns ω, the generator of the domain, which is gnark-crypto's
// goldilocks.Generator(n).
func (d *Domain) Generator() goldilocks.Element { return d.gen }

// split returns the shape n1 × n2 of the four-step matrix, n1 ≤ n2.
func (d *Domain) split() (n1, n2 int) {
	l1 := d.logn / 2
	return 1 << l1, 1 << (d.logn - l1)
}

// tables holds the twiddles of one direction (root ω or ω⁻¹).
type tables struct {
	once sync.Once
	root E

	full []E // ω^i for i < n/2, for whole-vector transforms (n ≤ batchBlockMax)
	tw1  []E // ω_{n1}^i = ω^(i·n2) for i < n1/2: the column transforms
	tw2  []E // ω_{n2}^i = ω^(i·n1) for i < n2/2: the row transforms
	pow  []E // ω^i for i < n1: the steps of the twiddles between the two
}

func (d *Domain) tables(t *tables) *tables {
	t.once.Do(func() {
		if d.n <= batchBlockMax {
			t.full = powers(t.root, d.n/2)
		}
		if d.logn >= fourStepMinLog {
			n1, n2 := d.split()
			t.pow = powers(t.root, n1)
			t.tw1 = powers(expUint(t.root, uint64(n2)), n1/2)
			t.tw2 = powers(expUint(t.root, uint64(n1)), n2/2)
		}
	})
	return t
}

// kernels returns the butterfly kernels of the selected backend.
func kernels() (*gl64.NTT, error) {
	b, err := accel.Selected()
	if err != nil {
		return nil, fmt.Errorf("ntt: %w", err)
	}
	k := gl64.NTTKernels(b)
	if k == nil {
		return nil, fmt.Errorf("%w: backend %s (this build has none for it)", ErrNoKernels, b)
	}
	return k, nil
}

func (d *Domain) checkLen(v []E) error {
	if len(v) != d.n {
		return fmt.Errorf("%w: got %d elements, domain size is %d", ErrLength, len(v), d.n)
	}
	return nil
}

func (d *Domain) checkBatch(v []E) error {
	if len(v)%d.n != 0 {
		return fmt.Errorf("%w: batch of %d elements is not a multiple of the domain size %d", ErrLength, len(v), d.n)
	}
	return nil
}

func powers(w E, n int) []E {
	p := make([]E, n)
	x := goldilocks.One()
	for i := range p {
		p[i] = x
		x[0] = gl64.Mul(x[0], w[0])
	}
	return p
}

func expUint(x E, e uint64) E {
	r := goldilocks.One()
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r[0] = gl64.Mul(r[0], x[0])
		}
		x[0] = gl64.Mul(x[0], x[0])
	}
	return r
}
