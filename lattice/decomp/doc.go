// Package decomp writes Goldilocks values as signed base-b digits and back:
// Neo's Decomp_b, which embeds a witness vector z ∈ F^m as the matrix
// Z ∈ F^{d×m} the Ajtai commitment binds, and the k-way split of Π_DEC,
// Z = Σ_{i<k} b^i·Z_i with ‖Z_i‖∞ < b (ePrint 2025/294).
//
// # Digits
//
// A field element v is read as its balanced representative s ∈ (−q/2, q/2]
// (ring.Signed) and written as s = Σ_{i<n} b^i·δ_i with every
// δ_i ∈ {−(b−1), …, b−1}. The digits are sign and magnitude: the base-b
// digits of |s|, each multiplied by sign(s), so all nonzero digits of one
// value share its sign. A centred residue system (digits in
// {−⌊b/2⌋, …, ⌈b/2⌉−1}) would halve the digit norm for odd b, but for b = 2,
// the base the commitment uses, it has no symmetric digit set: its residues
// are {0, 1} or {−1, 0}, which write only non-negative or only non-positive
// values, so the bound would differ between s and −s. Sign and
// magnitude keep ‖δ‖∞ ≤ b−1 for every b ≥ 2, give −s the negated digits of s,
// and use the same bound |s| < b^n for positive and negative values.
//
// A value round-trips through n digits iff |s| < b^n; when b^n exceeds the
// largest uint64 every field element does (|s| < 2^63). A value that does not
// fit is a *RangeError, which wraps ErrRange and names the first such index.
//
// # Layout
//
// Split returns digit vectors, digit-major: digits[i][j] is digit i of v[j].
// Embed returns the commitment's column-major matrix: Z[j·d+i] is digit i of
// z[j], so each column of Z is one witness entry's d digits.
//
// # Small integers
//
// SplitSmall, SplitSmallInto and RecomposeSmall are Split and Recompose for
// int32 values and int8 digits, with the same digits: Π_RLC combines digit
// matrices in small integers (the entries stay far below 2^31), and Π_DEC
// splits the int32 result into int8 planes without a trip through the
// field. Their bases go up to 128, the largest whose digits fit an int8.
//
// None of the functions is constant-time: the work per value depends on its
// size and sign.
package decomp
