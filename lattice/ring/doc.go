// Package ring is arithmetic in the cyclotomic ring R_q = F_q[X]/Φ81(X) over
// Goldilocks, q = 2^64 − 2^32 + 1, where Φ81 = X^54 + X^27 + 1 has degree
// D = 54: the ring whose elements Neo (ePrint 2025/294) commits to and folds.
//
// An Elem is the coefficient embedding cf(a) ∈ F^D of a = Σ a[i]·X^i, a plain
// array value that copies and compares with ==. A Small holds int8
// coefficients, the shape of folding challenges and decomposition digits, and
// multiplies into an Elem with small integer products (MulSmall). Rot is the
// matrix rot(a) whose column t is cf(X^t·a), so that rot(a)·cf(b) = cf(a·b).
//
// Since 3 divides q − 1 there is a primitive cube root of unity ω (Omega), and
// Φ81 = (X^27 − ω)(X^27 − ω²) with both factors irreducible (81 does not divide
// q − 1), so R_q ≅ F_{q^27} × F_{q^27} (CRT, FromCRT). An element is invertible
// exactly when both components are nonzero, which is why nonzero elements
// with small coefficients, such as differences of challenges, are invertible.
//
// Methods follow math/big: z.Op(a, b) sets z and returns it, and z may be the
// same variable as any operand. Nothing here is constant-time: Inverse and
// MulSmall take time that depends on their inputs.
package ring
