package neo

// maxPatterns bounds the digit patterns a table is kept for: 3^8 covers
// eight digits below 2 and four below 3, and 27 instances of buckets (a
// PCD merge) stay within a few MB per core.
const maxPatterns = 6561

// patternCount returns how many patterns n digits in −mags…mags form, or
// some number above maxPatterns when they are more.
func patternCount(n, mags int) int {
	count := 1
	for range n {
		count *= 2*mags + 1
		if count > maxPatterns {
			break
		}
	}
	return count
}

// digitPattern reads n digits of a column, those at q, stride + q, …,
// (n−1)·stride + q for each q < stride, as one key per q: the pattern's
// index among the (2·mags+1)^n patterns of digits in −mags…mags. Phase 1
// uses it where few small digits fix a value, so that a table indexed by
// pattern replaces arithmetic in K per column.
type digitPattern struct {
	n, stride, mags int
	pows            []int // digit l weighs pows[l] in a key
	zero            int   // the key of the all-zero pattern
	count           int
}

func newDigitPattern(n, stride, mags int) digitPattern {
	dp := digitPattern{n: n, stride: stride, mags: mags, pows: make([]int, n), count: 1}
	for l := range n {
		dp.pows[l] = dp.count
		dp.zero += mags * dp.count
		dp.count *= 2*mags + 1
	}
	return dp
}

// keys sets keys[q], q < stride, to the pattern of col's digits at q, stride
// + q, …; digits past the end of col are zero.
func (dp digitPattern) keys(keys []int, col []int8) {
	for q := range keys {
		keys[q] = dp.zero
	}
	for l, pw := range dp.pows {
		off := l * dp.stride
		if off >= len(col) {
			break
		}
		for q, δ := range col[off:min(off+dp.stride, len(col))] {
			keys[q] += int(δ) * pw
		}
	}
}

// sums returns, for every pattern, Σ_l w[l]·δ_l over its digits δ_l: one
// addition per pattern, building the table digit by digit.
func (dp digitPattern) sums(w []K) []K {
	slots := 2*dp.mags + 1
	out := make([]K, dp.count)
	steps := make([]K, slots) // δ·w[l] for δ = −mags…mags
	size := 1
	for l := range dp.n {
		for v := range steps {
			steps[v].SetZero()
			if l < len(w) {
				var δ K
				δ.A0.SetInt64(int64(v - dp.mags))
				steps[v].Mul(&δ, &w[l])
			}
		}
		for v := slots - 1; v >= 0; v-- {
			block := out[v*size : (v+1)*size]
			for j := range block {
				block[j].Add(&out[j], &steps[v])
			}
		}
		size *= slots
	}
	return out
}
