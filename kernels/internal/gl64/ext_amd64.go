//go:build !purego

package gl64

import (
	"unsafe"

	"github.com/consensys/gnark-crypto/field/goldilocks/extensions"

	"github.com/ssprove/ssprove/accel"
)

// The assembly K loops take n > 0, a multiple of their block: one vector of
// words for the interleaved loops (ScalarMul, Bind: 4 elements in AVX-512, 2
// in AVX2), two vectors for the split ones (Mul, Inner, ProductEvals: 8 and
// 4) and for the mixed ones (MulAddBase, InnerBase: one vector of base words,
// each duplicated into both words of its element, makes two). The adapters
// below hand them the largest such prefix and finish with the portable
// loops. Add, Sub and Sum are word by word, so they run the base-field loops
// on the words of the vectors. Inner and ProductEvals leave lane sums of
// Karatsuba terms (see ext_amd64.h), combined here; InnerBase leaves A0 sums
// in the even lanes and A1 sums in the odd ones, as Sum does.

//go:noescape
func scalarMulExtAVX512(res, a *K, s0, s1, s1x7 uint64, n int)

//go:noescape
func bindExtAVX512(lo, hi *K, s0, s1, s1x7 uint64, n int)

//go:noescape
func mulExtAVX512(res, a, b *K, n int)

//go:noescape
func innerExtAVX512(acc *[3][lanes512]uint64, a, b *K, n int)

//go:noescape
func productEvalsAVX512(acc *[MaxEvals][3][lanes512]uint64, vd *[MaxFactors][4][lanes512]uint64, tables *[2 * MaxFactors]*K, m, evals, n int)

//go:noescape
func mulAddBaseAVX512(y *K, x *E, s0, s1 uint64, n int)

//go:noescape
func innerBaseAVX512(acc *[lanes512]uint64, a *K, b *E, n int)

//go:noescape
func scalarMulExtAVX2(res, a *K, s0, s1, s1x7 uint64, n int)

//go:noescape
func bindExtAVX2(lo, hi *K, s0, s1, s1x7 uint64, n int)

//go:noescape
func mulExtAVX2(res, a, b *K, n int)

//go:noescape
func innerExtAVX2(acc *[3][lanes256]uint64, a, b *K, n int)

//go:noescape
func productEvalsAVX2(acc *[MaxEvals][3][lanes256]uint64, vd *[MaxFactors][4][lanes256]uint64, tables *[2 * MaxFactors]*K, m, evals, n int)

//go:noescape
func mulAddBaseAVX2(y *K, x *E, s0, s1 uint64, n int)

//go:noescape
func innerBaseAVX2(acc *[lanes256]uint64, a *K, b *E, n int)

const (
	interleaved512 = lanes512 / 2 // elements per vector of words
	split512       = lanes512     // elements per pair of vectors
	interleaved256 = lanes256 / 2
	split256       = lanes256
)

func archExtVectors(b accel.Backend) *ExtVector {
	switch b {
	case accel.AVX512:
		return &extAVX512
	case accel.AVX2:
		return &extAVX2
	}
	return nil
}

var extAVX512 = ExtVector{
	Add:          wordwise(avx512.Add),
	Sub:          wordwise(avx512.Sub),
	Mul:          mulExt512,
	ScalarMul:    scalarMulExt512,
	Sum:          sumExt512,
	Inner:        innerExt512,
	Bind:         bindExt512,
	ProductEvals: productEvals512,
	MulAddBase:   mulAddBase512,
	InnerBase:    innerBase512,
}

// words returns the 2·len(v) words of v, A0 and A1 of each element in turn.
func words(v []K) []E {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice(&v[0].A0, 2*len(v))
}

// wordwise lifts a base-field loop that works word by word to vectors of K.
func wordwise(f func(res, a, b []E)) func(res, a, b []K) {
	return func(res, a, b []K) { f(words(res), words(a), words(b)) }
}

// foldExtLanes adds to acc the partial sums a base-field Inner or Sum kernel
// leaves when run over the words of a []K: A0 sums in the even lanes, A1 sums
// in the odd ones.
func foldExtLanes(acc K, lanes []uint64) K {
	for i := 0; i < len(lanes); i += 2 {
		acc.A0[0] = Add(acc.A0[0], lanes[i])
		acc.A1[0] = Add(acc.A1[0], lanes[i+1])
	}
	return acc
}

func sumExt512(a []K) K {
	n := len(a) &^ (interleaved512 - 1)
	acc := extSumGeneric(a[n:])
	if n > 0 {
		var l [lanes512]uint64
		sumVecAVX512(&l, &a[0].A0, 2*n)
		acc = foldExtLanes(acc, l[:])
	}
	return acc
}

// scalarWords splits s into the words the interleaved scalar loops broadcast.
func scalarWords(s K) (s0, s1, s1x7 uint64) {
	t := s.A1
	extensions.MulBy7(&t)
	return s.A0[0], s.A1[0], t[0]
}

func mulExt512(res, a, b []K) {
	n := len(res) &^ (split512 - 1)
	if n > 0 {
		mulExtAVX512(&res[0], &a[0], &b[0], n)
	}
	extMulGeneric(res[n:], a[n:], b[n:])
}

func scalarMulExt512(res, a []K, s K) {
	n := len(res) &^ (interleaved512 - 1)
	if n > 0 {
		s0, s1, s1x7 := scalarWords(s)
		scalarMulExtAVX512(&res[0], &a[0], s0, s1, s1x7, n)
	}
	extScalarMulGeneric(res[n:], a[n:], s)
}

func bindExt512(lo, hi []K, r K) {
	n := len(lo) &^ (interleaved512 - 1)
	if n > 0 {
		r0, r1, r1x7 := scalarWords(r)
		bindExtAVX512(&lo[0], &hi[0], r0, r1, r1x7, n)
	}
	extBindGeneric(lo[n:], hi[n:], r)
}

func innerExt512(a, b []K) K {
	n := len(a) &^ (split512 - 1)
	acc := extInnerGeneric(a[n:], b[n:])
	if n > 0 {
		var terms [3][lanes512]uint64
		innerExtAVX512(&terms, &a[0], &b[0], n)
		acc = kAdd(acc, karatsuba(terms[0][:], terms[1][:], terms[2][:]))
	}
	return acc
}

func productEvals512(acc []K, lo, hi [][]K) {
	m := len(lo)
	if m == 0 || len(acc) == 0 {
		return
	}
	if m == 1 {
		productEvalsLinear(acc, lo[0], hi[0], sumExt512)
		return
	}
	n := len(lo[0]) &^ (split512 - 1)
	if n == 0 || m > MaxFactors || len(acc) > MaxEvals {
		extProductEvalsGeneric(acc, lo, hi)
		return
	}
	var (
		terms  [MaxEvals][3][lanes512]uint64
		vd     [MaxFactors][4][lanes512]uint64
		tables [2 * MaxFactors]*K
	)
	for j := range m {
		tables[j], tables[MaxFactors+j] = &lo[j][0], &hi[j][0]
	}
	productEvalsAVX512(&terms, &vd, &tables, m, len(acc), n)
	for t := range acc {
		acc[t] = kAdd(acc[t], karatsuba(terms[t][0][:], terms[t][1][:], terms[t][2][:]))
	}
	productEvalsTail(acc, lo, hi, n)
}

func mulAddBase512(y []K, s K, x []E) {
	n := len(y) &^ (split512 - 1)
	if n > 0 {
		mulAddBaseAVX512(&y[0], &x[0], s.A0[0], s.A1[0], n)
	}
	extMulAddBaseGeneric(y[n:], s, x[n:])
}

func innerBase512(a []K, b []E) K {
	n := len(a) &^ (split512 - 1)
	acc := extInnerBaseGeneric(a[n:], b[n:])
	if n > 0 {
		var l [lanes512]uint64
		innerBaseAVX512(&l, &a[0], &b[0], n)
		acc = foldExtLanes(acc, l[:])
	}
	return acc
}

// karatsuba folds the lane sums of the Karatsuba terms p0 = Σ a0·b0,
// p1 = Σ a1·b1 and p2 = Σ (a0 + a1)(b0 + b1) into Σ a·b = p0 + 7·p1 +
// (p2 − p0 − p1)·u.
func karatsuba(p0, p1, p2 []uint64) K {
	var s0, s1, s2 E
	s0[0], s1[0], s2[0] = foldLanes(0, p0), foldLanes(0, p1), foldLanes(0, p2)
	var r K
	r.A0 = s1
	extensions.MulBy7(&r.A0)
	r.A0.Add(&r.A0, &s0)
	r.A1.Sub(&s2, &s0).Sub(&r.A1, &s1)
	return r
}

// productEvalsLinear is ProductEvals for one factor: Σ_i lo_i + t·(hi_i − lo_i)
// is Σ lo + t·(Σ hi − Σ lo), two sums instead of a pass per t.
func productEvalsLinear(acc []K, lo, hi []K, sum func([]K) K) {
	s0, s1 := sum(lo), sum(hi)
	var d K
	d.Sub(&s1, &s0)
	for t := range acc {
		acc[t].Add(&acc[t], &s0)
		s0.Add(&s0, &d)
	}
}

// productEvalsTail runs the portable ProductEvals on the indices from n on.
func productEvalsTail(acc []K, lo, hi [][]K, n int) {
	if n == len(lo[0]) {
		return
	}
	var tl, th [MaxFactors][]K
	for j := range lo {
		tl[j], th[j] = lo[j][n:], hi[j][n:]
	}
	extProductEvalsGeneric(acc, tl[:len(lo)], th[:len(lo)])
}

var extAVX2 = ExtVector{
	Add:          wordwise(avx2.Add),
	Sub:          wordwise(avx2.Sub),
	Mul:          mulExt256,
	ScalarMul:    scalarMulExt256,
	Sum:          sumExt256,
	Inner:        innerExt256,
	Bind:         bindExt256,
	ProductEvals: productEvals256,
	MulAddBase:   mulAddBase256,
	InnerBase:    innerBase256,
}

func sumExt256(a []K) K {
	n := len(a) &^ (interleaved256 - 1)
	acc := extSumGeneric(a[n:])
	if n > 0 {
		var l [lanes256]uint64
		sumVecAVX2(&l, &a[0].A0, 2*n)
		acc = foldExtLanes(acc, l[:])
	}
	return acc
}

func mulExt256(res, a, b []K) {
	n := len(res) &^ (split256 - 1)
	if n > 0 {
		mulExtAVX2(&res[0], &a[0], &b[0], n)
	}
	extMulGeneric(res[n:], a[n:], b[n:])
}

func scalarMulExt256(res, a []K, s K) {
	n := len(res) &^ (interleaved256 - 1)
	if n > 0 {
		s0, s1, s1x7 := scalarWords(s)
		scalarMulExtAVX2(&res[0], &a[0], s0, s1, s1x7, n)
	}
	extScalarMulGeneric(res[n:], a[n:], s)
}

func bindExt256(lo, hi []K, r K) {
	n := len(lo) &^ (interleaved256 - 1)
	if n > 0 {
		r0, r1, r1x7 := scalarWords(r)
		bindExtAVX2(&lo[0], &hi[0], r0, r1, r1x7, n)
	}
	extBindGeneric(lo[n:], hi[n:], r)
}

func innerExt256(a, b []K) K {
	n := len(a) &^ (split256 - 1)
	acc := extInnerGeneric(a[n:], b[n:])
	if n > 0 {
		var terms [3][lanes256]uint64
		innerExtAVX2(&terms, &a[0], &b[0], n)
		p := karatsuba(terms[0][:], terms[1][:], terms[2][:])
		acc = kAdd(acc, p)
	}
	return acc
}

func productEvals256(acc []K, lo, hi [][]K) {
	m := len(lo)
	if m == 0 || len(acc) == 0 {
		return
	}
	if m == 1 {
		productEvalsLinear(acc, lo[0], hi[0], sumExt256)
		return
	}
	n := len(lo[0]) &^ (split256 - 1)
	if n == 0 || m > MaxFactors || len(acc) > MaxEvals {
		extProductEvalsGeneric(acc, lo, hi)
		return
	}
	var (
		terms  [MaxEvals][3][lanes256]uint64
		vd     [MaxFactors][4][lanes256]uint64
		tables [2 * MaxFactors]*K
	)
	for j := range m {
		tables[j], tables[MaxFactors+j] = &lo[j][0], &hi[j][0]
	}
	productEvalsAVX2(&terms, &vd, &tables, m, len(acc), n)
	for t := range acc {
		acc[t] = kAdd(acc[t], karatsuba(terms[t][0][:], terms[t][1][:], terms[t][2][:]))
	}
	productEvalsTail(acc, lo, hi, n)
}

func mulAddBase256(y []K, s K, x []E) {
	n := len(y) &^ (split256 - 1)
	if n > 0 {
		mulAddBaseAVX2(&y[0], &x[0], s.A0[0], s.A1[0], n)
	}
	extMulAddBaseGeneric(y[n:], s, x[n:])
}

func innerBase256(a []K, b []E) K {
	n := len(a) &^ (split256 - 1)
	acc := extInnerBaseGeneric(a[n:], b[n:])
	if n > 0 {
		var l [lanes256]uint64
		innerBaseAVX2(&l, &a[0], &b[0], n)
		acc = foldExtLanes(acc, l[:])
	}
	return acc
}
