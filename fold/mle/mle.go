package mle

import (
	"errors"
	"fmt"
	"math/bits"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/kernels/ext"
)

// K is the sum-check extension field F_q[u]/(u² − 7).
type K = ext.K

// ErrLength is wrapped by every error about a table whose length does not
// match the number of variables of the point it is used with.
var ErrLength = errors.New("mle: table length does not match the number of variables")

// MaxVars is the most variables a table here may have (2^32 entries).
const MaxVars = 32

// grain is the table length from which loops here are split across cores.
const grain = 1 << 13

// NumVars returns the number of variables of a table of n entries padded
// with zeros to a power of two: the least ℓ with 2^ℓ ≥ n (0 for n ≤ 1).
func NumVars(n int) int {
	if n <= 1 {
		return 0
	}
	return bits.Len(uint(n - 1))
}

// EqTable returns the table of eq(x, r) = Π_j (x_j·r_j + (1 − x_j)(1 − r_j))
// over x ∈ {0,1}^len(r): the weights that evaluate a table at r, summing to 1.
// It fails only when the selected backend has no K kernels, or when r has
// more than MaxVars coordinates.
func EqTable(r []K) ([]K, error) {
	if len(r) > MaxVars {
		return nil, fmt.Errorf("mle: EqTable of %d variables, at most %d: %w", len(r), MaxVars, ErrLength)
	}
	// An empty call checks the backend once; the chunks below cannot fail.
	if err := ext.ScalarMul(nil, nil, K{}); err != nil {
		return nil, fmt.Errorf("mle: EqTable: %w", err)
	}
	t := make([]K, 1<<len(r))
	t[0].SetOne()
	// Each step doubles the table with a new most significant bit: after
	// r_{ℓ−1}, …, r_j the first 2^(ℓ−j) entries hold eq over those variables,
	// r_j at the top bit. Going from the last variable to the first leaves
	// variable 0 most significant, and every entry i is read once and
	// written back to i and i + n only, so the chunks of a step never overlap.
	for j := len(r) - 1; j >= 0; j-- {
		n := 1 << (len(r) - 1 - j)
		rj := r[j]
		parallel.For(n, grain, func(lo, hi int) {
			_ = ext.ScalarMul(t[n+lo:n+hi], t[lo:hi], rj)
			_ = ext.Sub(t[lo:hi], t[lo:hi], t[n+lo:n+hi])
		})
	}
	return t, nil
}

// Eq returns eq(x, y) = Π_j (x_j·y_j + (1 − x_j)(1 − y_j)).
func Eq(x, y []K) (K, error) {
	if len(x) != len(y) {
		return K{}, fmt.Errorf("mle: Eq of points with %d and %d coordinates: %w", len(x), len(y), ErrLength)
	}
	var acc, one, p, q K
	acc.SetOne()
	one.SetOne()
	for j := range x {
		// x·y + (1 − x)(1 − y) = 1 − x − y + 2xy
		p.Mul(&x[j], &y[j])
		p.Double(&p)
		q.Add(&x[j], &y[j])
		p.Sub(&p, &q)
		p.Add(&p, &one)
		acc.Mul(&acc, &p)
	}
	return acc, nil
}

// Evaluate returns f̃(r), the multilinear extension of the table f at r.
// len(f) must be 2^len(r). f is not modified.
func Evaluate(f []K, r []K) (K, error) {
	if err := check("Evaluate", len(f), len(r)); err != nil {
		return K{}, err
	}
	if len(r) == 0 {
		return f[0], nil
	}
	// Binding the variables one by one into a half-size copy costs one
	// multiplication per entry of f, half what an eq table and an inner
	// product cost, and half the memory.
	h := len(f) / 2
	t := make([]K, h)
	copy(t, f[:h])
	if err := ext.Bind(nil, nil, r[0]); err != nil {
		return K{}, fmt.Errorf("mle: Evaluate: %w", err)
	}
	parallel.For(h, grain, func(lo, hi int) {
		_ = ext.Bind(t[lo:hi], f[h+lo:h+hi], r[0])
	})
	return bindAll(t, r[1:])
}

// EvaluateBase returns f̃(r) for a table over F, evaluated in K.
func EvaluateBase(f []goldilocks.Element, r []K) (K, error) {
	if err := check("EvaluateBase", len(f), len(r)); err != nil {
		return K{}, err
	}
	if len(r) == 0 {
		return K{A0: f[0]}, nil
	}
	// The first binding leaves F: f_lo + r_0·(f_hi − f_lo) takes a
	// subtraction in F and two multiplications by r_0's coordinates.
	h := len(f) / 2
	t := make([]K, h)
	r0 := r[0]
	parallel.For(h, grain, func(lo, hi int) {
		var d goldilocks.Element
		for i := lo; i < hi; i++ {
			d.Sub(&f[h+i], &f[i])
			t[i].MulByElement(&r0, &d)
			t[i].A0.Add(&t[i].A0, &f[i])
		}
	})
	return bindAll(t, r[1:])
}

// bindAll binds the variables of t to r, consuming t, and returns the one
// value left. len(t) is 2^len(r).
func bindAll(t []K, r []K) (K, error) {
	for _, rj := range r {
		var err error
		if t, err = Bind(t, rj); err != nil {
			return K{}, err
		}
	}
	return t[0], nil
}

// Lift returns f as a table over K.
func Lift(f []goldilocks.Element) []K {
	t := make([]K, len(f))
	for i := range f {
		t[i].A0 = f[i]
	}
	return t
}

// Bind fixes variable 0 of the table f to r: the result, written over the
// first half of f and returned, is the table of f(r, x_1, …, x_{ℓ−1}).
// len(f) must be a power of two, at least 2.
func Bind(f []K, r K) ([]K, error) {
	if len(f) < 2 || len(f)&(len(f)-1) != 0 {
		return nil, fmt.Errorf("mle: Bind of a table of %d entries, want a power of two ≥ 2: %w", len(f), ErrLength)
	}
	// An empty call checks the backend once; with lengths equal by
	// construction the chunks below cannot fail.
	if err := ext.Bind(nil, nil, r); err != nil {
		return nil, fmt.Errorf("mle: Bind: %w", err)
	}
	h := len(f) / 2
	parallel.For(h, grain, func(lo, hi int) {
		_ = ext.Bind(f[lo:hi], f[h+lo:h+hi], r)
	})
	return f[:h], nil
}

// BindBase fixes variable 0 of a table f over F to r ∈ K and returns the
// bound table over K, half the length: the first round of a sum-check whose
// tables start over F (a witness, M·z), without lifting f to K first.
// len(f) must be a power of two, at least 2; f is not modified.
func BindBase(f []goldilocks.Element, r K) ([]K, error) {
	if len(f) < 2 || len(f)&(len(f)-1) != 0 {
		return nil, fmt.Errorf("mle: BindBase of a table of %d entries, want a power of two ≥ 2: %w", len(f), ErrLength)
	}
	if err := ext.MulAddBase(nil, r, nil); err != nil {
		return nil, fmt.Errorf("mle: BindBase: %w", err)
	}
	h := len(f) / 2
	out := make([]K, h)
	parallel.For(h, grain, func(lo, hi int) {
		// out = lo + r·(hi − lo), the slope over F in a small buffer.
		var d [256]goldilocks.Element
		for b := lo; b < hi; b += len(d) {
			e := min(b+len(d), hi)
			for i := b; i < e; i++ {
				out[i].A0 = f[i]
				d[i-b].Sub(&f[h+i], &f[i])
			}
			_ = ext.MulAddBase(out[b:e], r, d[:e-b])
		}
	})
	return out, nil
}

func check(op string, n, vars int) error {
	if vars > MaxVars || n != 1<<vars {
		return fmt.Errorf("mle: %s of a table of %d entries at a point of %d coordinates: %w", op, n, vars, ErrLength)
	}
	return nil
}
