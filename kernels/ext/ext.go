package ext

import (
	"errors"
	"fmt"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// K is an element of F_q[u]/(u² − 7), A0 + A1·u.
type K = gl64.K

// F is the base field F_q, K's coefficients: goldilocks.Element.
type F = gl64.E

// ErrLength is wrapped by every error about vectors of mismatched lengths.
var ErrLength = errors.New("ext: vector lengths differ")

// MaxFactors is the most tables ProductEvals multiplies: a product of degree
// 8, the highest the folding polynomials need.
const MaxFactors = gl64.MaxFactors

// MaxEvals is the most round-polynomial evaluations ProductEvals computes in
// one call: degree 8, the highest the folding polynomials need, plus one.
const MaxEvals = gl64.MaxEvals

// Add sets res[i] = a[i] + b[i].
func Add(res, a, b []K) error {
	v, err := prepare("Add", res, a, b)
	if err != nil {
		return err
	}
	v.Add(res, a, b)
	return nil
}

// Sub sets res[i] = a[i] − b[i].
func Sub(res, a, b []K) error {
	v, err := prepare("Sub", res, a, b)
	if err != nil {
		return err
	}
	v.Sub(res, a, b)
	return nil
}

// Mul sets res[i] = a[i] · b[i].
func Mul(res, a, b []K) error {
	v, err := prepare("Mul", res, a, b)
	if err != nil {
		return err
	}
	v.Mul(res, a, b)
	return nil
}

// ScalarMul sets res[i] = s · a[i].
func ScalarMul(res, a []K, s K) error {
	if err := sameLength("ScalarMul", "res", len(res), "a", len(a)); err != nil {
		return err
	}
	v, err := vectors("ScalarMul")
	if err != nil {
		return err
	}
	v.ScalarMul(res, a, s)
	return nil
}

// Sum returns Σ a[i].
func Sum(a []K) (K, error) {
	v, err := vectors("Sum")
	if err != nil {
		return K{}, err
	}
	return v.Sum(a), nil
}

// InnerProduct returns Σ a[i] · b[i].
func InnerProduct(a, b []K) (K, error) {
	if err := sameLength("InnerProduct", "a", len(a), "b", len(b)); err != nil {
		return K{}, err
	}
	v, err := vectors("InnerProduct")
	if err != nil {
		return K{}, err
	}
	return v.Inner(a, b), nil
}

// Bind fixes the first variable of a multilinear table f = lo ‖ hi to r,
// writing the result over lo: lo[i] += r · (hi[i] − lo[i]).
func Bind(lo, hi []K, r K) error {
	if err := sameLength("Bind", "lo", len(lo), "hi", len(hi)); err != nil {
		return err
	}
	v, err := vectors("Bind")
	if err != nil {
		return err
	}
	v.Bind(lo, hi, r)
	return nil
}

// ProductEvals adds to acc[t], for t = 0..len(acc)−1, the sum over i of
// Π_j (lo[j][i] + t·(hi[j][i] − lo[j][i])): the evaluations at t of the round
// polynomial of a product of len(lo) multilinear tables, each split into the
// halves lo[j] and hi[j] of its first variable. Every lo[j] and hi[j] has the
// same length; len(lo) is at most MaxFactors and len(acc) at most MaxEvals.
func ProductEvals(acc []K, lo, hi [][]K) error {
	if len(acc) > MaxEvals {
		return fmt.Errorf("ext: ProductEvals: %d evaluations, at most %d: %w", len(acc), MaxEvals, ErrLength)
	}
	if len(lo) > MaxFactors {
		return fmt.Errorf("ext: ProductEvals: %d factors, at most %d: %w", len(lo), MaxFactors, ErrLength)
	}
	if err := sameLength("ProductEvals", "lo", len(lo), "hi", len(hi)); err != nil {
		return err
	}
	for j := range lo {
		if len(lo[j]) != len(lo[0]) || len(hi[j]) != len(lo[0]) {
			return fmt.Errorf("ext: ProductEvals: factor %d has halves of %d and %d elements, factor 0 of %d: %w",
				j, len(lo[j]), len(hi[j]), len(lo[0]), ErrLength)
		}
	}
	v, err := vectors("ProductEvals")
	if err != nil {
		return err
	}
	v.ProductEvals(acc, lo, hi)
	return nil
}

// MulAddBase sets y[i] += s · x[i] for x over the base field: two base
// products per element rather than a K product's three, as when a prover
// adds γ^k times a column of F into a vector of K.
func MulAddBase(y []K, s K, x []F) error {
	if err := sameLength("MulAddBase", "y", len(y), "x", len(x)); err != nil {
		return err
	}
	v, err := vectors("MulAddBase")
	if err != nil {
		return err
	}
	v.MulAddBase(y, s, x)
	return nil
}

// InnerBase returns Σ a[i] · b[i] for b over the base field, two base products
// per element: the evaluation of a column of F at the point of an eq table a.
func InnerBase(a []K, b []F) (K, error) {
	if err := sameLength("InnerBase", "a", len(a), "b", len(b)); err != nil {
		return K{}, err
	}
	v, err := vectors("InnerBase")
	if err != nil {
		return K{}, err
	}
	return v.InnerBase(a, b), nil
}

// vectors returns the K loops of the selected backend.
func vectors(op string) (*gl64.ExtVector, error) {
	b, err := accel.Selected()
	if err != nil {
		return nil, fmt.Errorf("ext: %s: %w", op, err)
	}
	v := gl64.ExtVectors(accel.Host(b))
	if v == nil {
		return nil, fmt.Errorf("ext: %s: %w: backend %s has no K kernels in this build",
			op, accel.ErrUnavailable, b)
	}
	return v, nil
}

func prepare(op string, res, a, b []K) (*gl64.ExtVector, error) {
	if err := sameLength(op, "a", len(a), "b", len(b)); err != nil {
		return nil, err
	}
	if err := sameLength(op, "res", len(res), "a", len(a)); err != nil {
		return nil, err
	}
	return vectors(op)
}

func sameLength(op, xName string, x int, yName string, y int) error {
	if x != y {
		return fmt.Errorf("ext: %s: %s has %d elements but %s has %d: %w", op, xName, x, yName, y, ErrLength)
	}
	return nil
}
