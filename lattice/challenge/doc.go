// Package challenge samples Neo's folding challenges from a Fiat–Shamir
// transcript: ring elements with every coefficient in {−2, …, 2}, the strong
// sampling set C of DESIGN.md ("The arithmetic"), |C| = 5^54 ≈ 2^125, with
// operator norm at most T = 216.
//
// # Procedure
//
// Sample reproduces exactly as follows, so any other implementation reading
// the same squeezes derives the same challenge.
//
//  1. Squeeze a field element and take its canonical value x ∈ [0, q).
//  2. Accept x iff x < 2·5^27 = 14901161193847656250, the largest multiple
//     of 5^27 not above q (k = ⌊q/5^27⌋ = 2). An accepted x is uniform
//     on [0, 2·5^27), so x mod 5^27 is uniform on [0, 5^27); about 80.8% of
//     squeezes are accepted. A rejected x is discarded and step 1 repeats.
//  3. Write x mod 5^27 in base 5, least significant digit first, as
//     e_0, …, e_26 ∈ {0, …, 4}; the coefficients are e_i − 2. The first
//     accepted squeeze gives coefficients 0…26 (of X^0…X^26), the second
//     27…53.
//  4. Check that the operator norm is at most T; if not, discard both halves
//     and go back to step 1 (counted as one rejection). The check never fails
//     for this set but is kept so that the bound is enforced, not assumed.
//
// At the 64th rejection (MaxRejections) Sample gives up with an error
// wrapping ErrSource: a uniform source is rejected 64 times before it is
// accepted twice with probability below 2^−140, so this only happens with a
// broken one, and a constant source cannot make Sample loop forever.
package challenge
