// Package mle is multilinear polynomials given by their evaluation tables
// over the Boolean hypercube: dense tables over F and over K, eq(x, r)
// tables, evaluation at a point, binding a variable (the step of every
// sum-check round), and sparse matrices with the products and evaluations
// CCS needs (the multilinear extension of M·z, and Mᵀ·eq(r) for the
// evaluation claims of folding).
//
// A table of 2^ℓ entries holds f(x) at index i = Σ x_j·2^(ℓ−1−j): variable 0
// is the most significant bit of the index, so fixing it splits the table into
// its two contiguous halves, the layout the vector kernels of package ext
// want. A point r = (r_0, …, r_{ℓ−1}) lists values in the same variable order.
package mle
