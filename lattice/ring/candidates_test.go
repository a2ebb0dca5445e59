package ring

import (
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/field"
	"github.com/ssprove/ssprove/kernels/ntt"
)

// The products below are the other ways Mul could be built. They are kept
// here, checked against Mul and benchmarked beside it, so that the choice
// written up on Mul can be measured again:
//
//	go test ./lattice/ring -run '^$' -bench 'Mul$|MulCandidates'

// mulLazyFull is the 54×54 product with one unreduced dot product per
// coefficient of the length-107 product, then Reduce.
func mulLazyFull(a, b *Elem) Elem {
	var p [2*D - 1]goldilocks.Element
	for k := range p {
		var s field.LazySum
		for i := max(0, k-D+1); i <= min(k, D-1); i++ {
			s = s.MulAdd(a[i], b[k-i])
		}
		p[k] = s.Reduce()
	}
	return Reduce(p[:])
}

// nttMul multiplies through 128-point transforms: the product has degree
// 106 < 128, so the cyclic convolution is the plain product.
type nttMul struct {
	d *ntt.Domain
}

func (m nttMul) mul(a, b *Elem) Elem {
	var fa, fb [128]goldilocks.Element
	copy(fa[:], a[:])
	copy(fb[:], b[:])
	// Bit-reversed evaluations are enough for a pointwise product.
	if err := m.d.ForwardDIF(fa[:]); err != nil {
		panic(err)
	}
	if err := m.d.ForwardDIF(fb[:]); err != nil {
		panic(err)
	}
	for i := range fa {
		fa[i].Mul(&fa[i], &fb[i])
	}
	if err := m.d.InverseDIT(fa[:]); err != nil {
		panic(err)
	}
	return Reduce(fa[:2*D-1])
}

// karatsubaMul is Mul with one Karatsuba level inside each CRT component:
// 27 = 14 + 13, three 14×14 lazy products instead of one 27×27.
func karatsubaMul(a, b *Elem) Elem {
	aLo, aHi := a.CRT()
	bLo, bHi := b.CRT()
	cLo := karatsubaTwisted(&aLo, &bLo, &omega)
	cHi := karatsubaTwisted(&aHi, &bHi, &omega2)
	return FromCRT(&cLo, &cHi)
}

const kh = (half + 1) / 2 // 14

func karatsubaTwisted(a, b *[half]goldilocks.Element, zeta *goldilocks.Element) [half]goldilocks.Element {
	var a0, a1, b0, b1, as, bs [kh]goldilocks.Element
	copy(a0[:], a[:kh])
	copy(a1[:], a[kh:])
	copy(b0[:], b[:kh])
	copy(b1[:], b[kh:])
	for i := range as {
		as[i].Add(&a0[i], &a1[i])
		bs[i].Add(&b0[i], &b1[i])
	}
	p0, p1, pm := lazyLinear(&a0, &b0), lazyLinear(&a1, &b1), lazyLinear(&as, &bs)
	// a·b = p0 + Y·(pm − p0 − p1) + Y²·p1 with Y = X^14, degree ≤ 52.
	var p [2*half - 1]goldilocks.Element
	for i := range p0 {
		var mid goldilocks.Element
		mid.Sub(&pm[i], &p0[i])
		mid.Sub(&mid, &p1[i])
		if i < len(p) {
			p[i].Add(&p[i], &p0[i])
		}
		if i+kh < len(p) {
			p[i+kh].Add(&p[i+kh], &mid)
		}
		if i+2*kh < len(p) {
			p[i+2*kh].Add(&p[i+2*kh], &p1[i])
		}
	}
	var c [half]goldilocks.Element
	copy(c[:], p[:half])
	for k := half; k < len(p); k++ {
		var t goldilocks.Element
		t.Mul(&p[k], zeta)
		c[k-half].Add(&c[k-half], &t)
	}
	return c
}

func lazyLinear(a, b *[kh]goldilocks.Element) [2*kh - 1]goldilocks.Element {
	var p [2*kh - 1]goldilocks.Element
	for k := range p {
		var s field.LazySum
		for i := max(0, k-kh+1); i <= min(k, kh-1); i++ {
			s = s.MulAdd(a[i], b[k-i])
		}
		p[k] = s.Reduce()
	}
	return p
}

func newNTTMul(tb testing.TB) nttMul {
	d, err := ntt.NewDomain(128, ntt.WithTasks(1))
	if err != nil {
		tb.Fatal(err)
	}
	return nttMul{d}
}

func TestMulCandidates(t *testing.T) {
	r := newRand(200)
	m := newNTTMul(t)
	for range 200 {
		a, b := randElem(r), randElem(r)
		var want Elem
		want.Mul(&a, &b)
		if got := mulLazyFull(&a, &b); got != want {
			t.Fatal("54×54 lazy product differs from Mul")
		}
		if got := m.mul(&a, &b); got != want {
			t.Fatal("NTT product differs from Mul")
		}
		if got := karatsubaMul(&a, &b); got != want {
			t.Fatal("Karatsuba product differs from Mul")
		}
	}
}

func BenchmarkMulCandidates(b *testing.B) {
	r := newRand(201)
	x, y := randElem(r), randElem(r)
	m := newNTTMul(b)
	for _, c := range []struct {
		name string
		mul  func(a, b *Elem) Elem
	}{
		{"lazy54x54", mulLazyFull},
		{"ntt128", m.mul},
		{"karatsubaCRT", karatsubaMul},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(elemBytes)
			for b.Loop() {
				x = c.mul(&x, &y)
			}
		})
	}
}
