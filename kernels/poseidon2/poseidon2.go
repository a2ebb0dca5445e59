package poseidon2

import (
	"errors"
	"fmt"
	"math/bits"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	gnark "github.com/consensys/gnark-crypto/field/goldilocks/poseidon2"

	"github.com/ssprove/ssprove/kernels/internal/gl64"
)

// Width is the number of field elements the permutation acts on.
const Width = 12

// MaxRounds bounds each round number New accepts, far above any secure
// choice, so that a wrong argument is an error rather than a huge
// allocation.
const MaxRounds = 1024

// ErrRounds is returned by New for round numbers it cannot use.
var ErrRounds = errors.New("invalid round numbers")

// Permutation is the Poseidon2 permutation of Goldilocks^12 for one choice of
// round numbers.
type Permutation struct {
	// full holds the round keys of the full rounds, the first half before the
	// partial rounds and the second half after them; partial holds the one
	// key of each partial round. All are canonical values.
	full    [][Width]uint64
	partial []uint64
}

// New returns the permutation with fullRounds full rounds (a positive even
// number, half of them before the partial rounds and half after) and
// partialRounds partial rounds, with the round keys gnark-crypto derives for
// those numbers.
func New(fullRounds, partialRounds int) (*Permutation, error) {
	if fullRounds <= 0 || fullRounds%2 != 0 || fullRounds > MaxRounds {
		return nil, fmt.Errorf("poseidon2: new: %d full rounds, want a positive even number up to %d: %w", fullRounds, MaxRounds, ErrRounds)
	}
	if partialRounds < 0 || partialRounds > MaxRounds {
		return nil, fmt.Errorf("poseidon2: new: %d partial rounds, want 0 to %d: %w", partialRounds, MaxRounds, ErrRounds)
	}
	keys := gnark.NewParameters(Width, fullRounds, partialRounds).RoundKeys
	half := fullRounds / 2
	p := &Permutation{
		full:    make([][Width]uint64, fullRounds),
		partial: make([]uint64, partialRounds),
	}
	for r := range fullRounds {
		k := keys[r]
		if r >= half {
			k = keys[r+partialRounds]
		}
		for i := range Width {
			p.full[r][i] = k[i].Uint64()
		}
	}
	for r := range partialRounds {
		p.partial[r] = keys[half+r][0].Uint64()
	}
	return p, nil
}

// diag is the diagonal the internal matrix adds to the all-ones matrix
// (so that y_i = Σ_j x_j + diag_i·x_i), as canonical values. The constants are gnark-crypto's diag12
// (field/goldilocks/poseidon2/hash.go), which come from Plonky3; the
// variable is unexported there, and the tests check the permutation against
// gnark-crypto's, which proves them.
var diag = [Width]uint64{
	14102670999874605824, 15585654191999307702, 940187017142450255, 8747386241522630711,
	6750641561540124747, 7440998025584530007, 6136358134615751536, 12413576830284969611,
	11675438539028694709, 17580553691069642926, 892707462476851331, 15167485180850043744,
}

// Inside Permute the state is held as integers congruent to its canonical
// values, each below 2^64 but not necessarily below q. That lets products
// be reduced with 2^64 ≡ ε and 2^96 ≡ −1 (mod q) without a multiplication,
// and lets the linear layers add in 128 bits and reduce once.
const (
	eps     = 1<<32 - 1 // 2^64 mod q
	rSquare = eps * eps % gl64.Q
)

// Permute applies the permutation to state in place.
func (p *Permutation) Permute(state *[Width]goldilocks.Element) {
	// Elements are Montgomery words w = x·2^64 mod q: one reduction of w
	// gives x, and a Montgomery product with 2^128 mod q turns x back.
	var s [Width]uint64
	for i := range s {
		s[i] = gl64.Redc(0, state[i][0])
	}
	half := len(p.full) / 2
	external(&s)
	fullRounds(&s, p.full[:half])
	partialRounds(&s, p.partial)
	fullRounds(&s, p.full[half:])
	for i := range s {
		v := s[i]
		if v >= gl64.Q {
			v -= gl64.Q
		}
		state[i][0] = gl64.Mul(v, rSquare)
	}
}

func fullRounds(s *[Width]uint64, keys [][Width]uint64) {
	for r := range keys {
		k := &keys[r]
		// Two words at a time give the core two independent chains of
		// products to overlap; more does not pay. x^7 is x³·x⁴, three
		// multiplications deep.
		for i := 0; i < Width; i += 2 {
			x := addCanonical(s[i], k[i])
			y := addCanonical(s[i+1], k[i+1])
			x2 := mul(x, x)
			y2 := mul(y, y)
			x3 := mul(x, x2)
			y3 := mul(y, y2)
			x4 := mul(x2, x2)
			y4 := mul(y2, y2)
			s[i] = mul(x3, x4)
			s[i+1] = mul(y3, y4)
		}
		external(s)
	}
}

func partialRounds(s *[Width]uint64, keys []uint64) {
	for _, k := range keys {
		x := addCanonical(s[0], k)
		// The sum of the words the S-box leaves alone does not wait for it.
		var restHi, restLo, c uint64
		for i := 1; i < Width; i++ {
			restLo, c = bits.Add64(restLo, s[i], 0)
			restHi += c
		}
		x2 := mul(x, x)
		x3 := mul(x, x2)
		x4 := mul(x2, x2)
		x = mul(x3, x4)
		sumLo, c := bits.Add64(restLo, x, 0)
		sumHi := restHi + c
		// Each product is below q·2^64 and the sum below 12·2^64, so the
		// 128-bit total cannot overflow.
		s[0] = mulAdd(x, diag[0], sumHi, sumLo)
		for i := 1; i < Width; i++ {
			s[i] = mulAdd(s[i], diag[i], sumHi, sumLo)
		}
	}
}

// reduce returns a value below 2^64 congruent to hi·2^64 + lo.
func reduce(hi, lo uint64) uint64 {
	t, borrow := bits.Sub64(lo, hi>>32, 0)
	// On a borrow t exceeds the true value by 2^64 ≡ ε, and t ≥ 2^64 − 2^32 > ε.
	t -= eps & -borrow
	t, carry := bits.Add64(t, (hi&eps)*eps, 0)
	// On a carry t is below (2^32 − 1)², far enough from 2^64 to add ε.
	return t + eps&-carry
}

// mul returns a value below 2^64 congruent to a·b.
func mul(a, b uint64) uint64 { return reduce(bits.Mul64(a, b)) }

// mulAdd returns a value below 2^64 congruent to a·b + hi·2^64 + lo, for
// a·b + hi·2^64 + lo < 2^128.
func mulAdd(a, b, hi, lo uint64) uint64 {
	ph, pl := bits.Mul64(a, b)
	pl, c := bits.Add64(pl, lo, 0)
	ph, _ = bits.Add64(ph, hi, c)
	return reduce(ph, pl)
}

// addCanonical returns a value below 2^64 congruent to a + b, for b < q.
func addCanonical(a, b uint64) uint64 {
	t, carry := bits.Add64(a, b, 0)
	// On a carry t is below q − 1, so adding ε does not overflow.
	return t + eps&-carry
}

// reduceSmall returns a value below 2^64 congruent to hi·2^64 + lo, for
// hi < 2^32.
func reduceSmall(hi, lo uint64) uint64 {
	t, carry := bits.Add64(lo, hi*eps, 0)
	return t + eps&-carry
}

// external multiplies s by the external matrix circ(2·M4, M4, M4), M4 being
// the 4×4 matrix of the Poseidon2 paper (ePrint 2023/323, appendix B) applied
// with its addition chain. Entries of M4 are at most 7 and its rows sum to at
// most 16, so every 128-bit intermediate stays below 64·2^64.
func external(s *[Width]uint64) {
	var hi, lo [Width]uint64
	for c := 0; c < Width; c += 4 {
		m4((*[4]uint64)(hi[c:c+4]), (*[4]uint64)(lo[c:c+4]), (*[4]uint64)(s[c:c+4]))
	}
	for i := range 4 {
		ch, cl := add(hi[i], lo[i], hi[4+i], lo[4+i])
		ch, cl = add(ch, cl, hi[8+i], lo[8+i])
		for c := i; c < Width; c += 4 {
			s[c] = reduceSmall(add(hi[c], lo[c], ch, cl))
		}
	}
}

// m4 sets (hi, lo) to the 128-bit products M4·x.
func m4(hi, lo, x *[4]uint64) {
	t0l, t0h := bits.Add64(x[0], x[1], 0)
	t1l, t1h := bits.Add64(x[2], x[3], 0)
	t2h, t2l := add(x[1]>>63, x[1]<<1, t1h, t1l)
	t3h, t3l := add(x[3]>>63, x[3]<<1, t0h, t0l)
	t4h, t4l := add(t1h<<2|t1l>>62, t1l<<2, t3h, t3l)
	t5h, t5l := add(t0h<<2|t0l>>62, t0l<<2, t2h, t2l)
	hi[0], lo[0] = add(t3h, t3l, t5h, t5l)
	hi[1], lo[1] = t5h, t5l
	hi[2], lo[2] = add(t2h, t2l, t4h, t4l)
	hi[3], lo[3] = t4h, t4l
}

// add returns the 128-bit sum of two 128-bit values that cannot overflow.
func add(ah, al, bh, bl uint64) (hi, lo uint64) {
	lo, c := bits.Add64(al, bl, 0)
	return ah + bh + c, lo
}
