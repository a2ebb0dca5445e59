package field

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

func TestLazySumMatchesGnark(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range append(lengths(), 1<<20) {
		a, b := randVec(r, n), randVec(r, n)
		var want, p goldilocks.Element
		var s LazySum
		for i := range a {
			want.Add(&want, p.Mul(&a[i], &b[i]))
			s = s.MulAdd(a[i], b[i])
		}
		if got := s.Reduce(); got != want {
			t.Fatalf("n=%d: LazySum = %v, want %v", n, got.String(), want.String())
		}
	}
}

// TestLazySumAllMaximal sums the largest possible products, of the word
// q − 1 by itself, so the middle and high words grow as fast as they can.
func TestLazySumAllMaximal(t *testing.T) {
	var m goldilocks.Element
	m[0] = q - 1 // the largest word, whatever element it stands for
	for _, n := range []int{1, 2, 3, 1000, 1 << 16} {
		var s LazySum
		var want, p goldilocks.Element
		for range n {
			s = s.MulAdd(m, m)
			want.Add(&want, p.Mul(&m, &m))
		}
		if got := s.Reduce(); got != want {
			t.Fatalf("n=%d: LazySum = %v, want %v", n, got.String(), want.String())
		}
	}
}

// TestLazySumReduceWide checks Reduce on raw states up to the 2^32-product
// bound (hi up to 2^32 − 1), which no feasible loop of MulAdd reaches,
// against big.Int: the result must be state·2^−64 mod q.
func TestLazySumReduceWide(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	qBig := new(big.Int).SetUint64(q)
	rInv := new(big.Int).ModInverse(new(big.Int).Lsh(big.NewInt(1), 64), qBig)
	his := []uint64{0, 1, 1<<32 - 1, 1<<32 - 2}
	words := []uint64{0, 1, q - 1, q, 1<<64 - 1, 1 << 63, 1<<32 - 1}
	check := func(s LazySum) {
		t.Helper()
		v := new(big.Int).SetUint64(s.hi)
		v.Lsh(v, 64).Add(v, new(big.Int).SetUint64(s.mid))
		v.Lsh(v, 64).Add(v, new(big.Int).SetUint64(s.lo))
		v.Mul(v, rInv).Mod(v, qBig)
		if got := s.Reduce(); got[0] != v.Uint64() {
			t.Fatalf("Reduce(%#x, %#x, %#x) = %#x, want %#x", s.hi, s.mid, s.lo, got[0], v.Uint64())
		}
	}
	for _, hi := range his {
		for _, mid := range words {
			for _, lo := range words {
				check(LazySum{lo: lo, mid: mid, hi: hi})
			}
		}
	}
	for range 100000 {
		check(LazySum{lo: r.Uint64(), mid: r.Uint64(), hi: r.Uint64N(1 << 32)})
	}
}

func BenchmarkLazySum(b *testing.B) {
	const n = 1024
	r := rand.New(rand.NewPCG(1, 2))
	x, y := randVec(r, n), randVec(r, n)
	b.SetBytes(8 * n)
	var got goldilocks.Element
	for b.Loop() {
		var s LazySum
		for i := range x {
			s = s.MulAdd(x[i], y[i])
		}
		got = s.Reduce()
	}
	if got.IsZero() {
		b.Log("zero sum") // keeps got live
	}
}
