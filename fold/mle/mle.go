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
func EqTable(r []K) []K {
	t := make([]K, 1<<len(r))
	t[0].SetOne()
	// After j variables the first 2^j entries hold eq over them; each step
	// splits entry i into 2i (x_j = 0) and 2i+1 (x_j = 1), from the top down so
	// nothing is overwritten before it is read. Variable 0 ends up as the most
	// significant bit.
	for j := range r {
		n := 1 << j
		rj := r[j]
		parallel.For(n, grain, func(lo, hi int) {
			var x K
			for i := hi - 1; i >= lo; i-- {
				x.Mul(&t[i], &rj)
				t[2*i].Sub(&t[i], &x)
				t[2*i+1] = x
			}
		})
	}
	return t
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
	eq := EqTable(r)
	return ext.InnerProduct(f, eq)
}

// EvaluateBase returns f̃(r) for a table over F, evaluated in K.
func EvaluateBase(f []goldilocks.Element, r []K) (K, error) {
	if err := check("EvaluateBase", len(f), len(r)); err != nil {
		return K{}, err
	}
	eq := EqTable(r)
	parts := make([]K, parallel.Workers(len(f), grain))
	parallel.Split(len(f), len(parts), func(c, lo, hi int) {
		var a0, a1 goldilocks.Element
		var t goldilocks.Element
		for i := lo; i < hi; i++ {
			t.Mul(&eq[i].A0, &f[i])
			a0.Add(&a0, &t)
			t.Mul(&eq[i].A1, &f[i])
			a1.Add(&a1, &t)
		}
		parts[c] = K{A0: a0, A1: a1}
	})
	return ext.Sum(parts)
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

func check(op string, n, vars int) error {
	if vars > MaxVars || n != 1<<vars {
		return fmt.Errorf("mle: %s of a table of %d entries at a point of %d coordinates: %w", op, n, vars, ErrLength)
	}
	return nil
}
