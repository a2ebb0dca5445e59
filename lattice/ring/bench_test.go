package ring

import (
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// elemBytes is the size of one element's coefficients, the unit of the
// throughput figures.
const elemBytes = 8 * D

func BenchmarkMul(b *testing.B) {
	r := newRand(100)
	x, y := randElem(r), randElem(r)
	b.SetBytes(elemBytes)
	for b.Loop() {
		x.Mul(&x, &y)
	}
}

func BenchmarkMulSchoolbook(b *testing.B) {
	r := newRand(101)
	x, y := randElem(r), randElem(r)
	b.SetBytes(elemBytes)
	for b.Loop() {
		x.MulSchoolbook(&x, &y)
	}
}

func BenchmarkMulSmall(b *testing.B) {
	r := newRand(102)
	for _, c := range []struct {
		name   string
		lo, hi int
	}{
		{"int8", -128, 127},
		{"challenge", -2, 2},
		{"ternary", -1, 1},
		{"bits", 0, 1},
	} {
		s := randSmall(r, c.lo, c.hi)
		x := randElem(r)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(elemBytes)
			for b.Loop() {
				x.MulSmall(&x, &s)
			}
		})
	}
}

func BenchmarkAdd(b *testing.B) {
	r := newRand(103)
	x, y := randElem(r), randElem(r)
	b.SetBytes(elemBytes)
	for b.Loop() {
		x.Add(&x, &y)
	}
}

func BenchmarkInverse(b *testing.B) {
	r := newRand(104)
	x := randElem(r)
	b.SetBytes(elemBytes)
	for b.Loop() {
		inv, err := x.Inverse()
		if err != nil {
			b.Fatal(err)
		}
		x = inv
		x[0].Add(&x[0], &goldilocks.Element{1}) // a different input each time
	}
}

func BenchmarkRotApply(b *testing.B) {
	r := newRand(105)
	x, y := randElem(r), randElem(r)
	m := x.Rot()
	v := [D]goldilocks.Element(y)
	b.SetBytes(elemBytes)
	for b.Loop() {
		v = m.Apply(&v)
	}
}
