package ring

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9E37_79B9_7F4A_7C15))
}

func randElem(r *rand.Rand) Elem {
	var a Elem
	for i := range a {
		a[i].SetUint64(r.Uint64N(q))
	}
	return a
}

// randSmall returns a Small with coefficients drawn uniformly from [lo, hi].
func randSmall(r *rand.Rand, lo, hi int) Small {
	var s Small
	for i := range s {
		s[i] = int8(lo + r.IntN(hi-lo+1))
	}
	return s
}

func elemOf(v uint64) goldilocks.Element {
	return goldilocks.NewElement(v)
}

// filled returns the element with every coefficient v.
func filled(v uint64) Elem {
	var a Elem
	for i := range a {
		a[i] = elemOf(v)
	}
	return a
}

// edgeElems are the inputs the random ones rarely hit.
func edgeElems() map[string]Elem {
	one := X(0)
	return map[string]Elem{
		"0":        {},
		"1":        one,
		"q-1":      *new(Elem).Neg(&one),
		"all q-1":  filled(q - 1),
		"all 1":    filled(1),
		"all 2^63": filled(1 << 63),
		"X^53":     X(53),
		"X^27":     X(27),
		"X^26":     X(26),
		"X^1":      X(1),
	}
}

func TestMulMatchesSchoolbook(t *testing.T) {
	r := newRand(1)
	edges := edgeElems()
	var inputs []Elem
	for _, e := range edges {
		inputs = append(inputs, e)
	}
	for range 8 {
		inputs = append(inputs, randElem(r))
	}
	for _, a := range inputs {
		for _, b := range inputs {
			var got, want Elem
			got.Mul(&a, &b)
			want.MulSchoolbook(&a, &b)
			if got != want {
				t.Fatalf("Mul(%v, %v) = %v, schoolbook gives %v", a, b, got, want)
			}
		}
	}
	for range 500 {
		a, b := randElem(r), randElem(r)
		var got, want Elem
		if got.Mul(&a, &b); got != *want.MulSchoolbook(&a, &b) {
			t.Fatalf("Mul(%v, %v) = %v, schoolbook gives %v", a, b, got, want)
		}
	}
}

func TestMulAliasing(t *testing.T) {
	r := newRand(2)
	a, b := randElem(r), randElem(r)
	var want, sq Elem
	want.Mul(&a, &b)
	sq.Mul(&a, &a)
	ops := map[string]func(z, a, b *Elem) *Elem{
		"Mul":           (*Elem).Mul,
		"MulSchoolbook": (*Elem).MulSchoolbook,
	}
	for name, op := range ops {
		x, y := a, b
		if op(&x, &x, &y); x != want {
			t.Errorf("%s with z = a: got %v, want %v", name, x, want)
		}
		x, y = a, b
		if op(&y, &x, &y); y != want {
			t.Errorf("%s with z = b: got %v, want %v", name, y, want)
		}
		x = a
		if op(&x, &x, &x); x != sq {
			t.Errorf("%s with z = a = b: got %v, want %v", name, x, sq)
		}
	}
}

func TestRingAxioms(t *testing.T) {
	r := newRand(3)
	one := X(0)
	for range 200 {
		a, b, c := randElem(r), randElem(r), randElem(r)
		var ab, bc, l, rr, s Elem
		// (ab)c = a(bc)
		ab.Mul(&a, &b)
		bc.Mul(&b, &c)
		if *l.Mul(&ab, &c) != *rr.Mul(&a, &bc) {
			t.Fatal("Mul is not associative")
		}
		// ab = ba
		if ab != *l.Mul(&b, &a) {
			t.Fatal("Mul is not commutative")
		}
		// a(b + c) = ab + ac
		s.Add(&b, &c)
		l.Mul(&a, &s)
		rr.Mul(&a, &c)
		if rr.Add(&rr, &ab); l != rr {
			t.Fatal("Mul does not distribute over Add")
		}
		// 1·a = a, a + 0 = a, a − a = 0, a + (−a) = 0, (a − b) + b = a
		if *l.Mul(&one, &a) != a {
			t.Fatal("1 is not the identity")
		}
		if *l.Add(&a, &Elem{}) != a {
			t.Fatal("0 is not the additive identity")
		}
		if !l.Sub(&a, &a).IsZero() {
			t.Fatal("a − a ≠ 0")
		}
		if !l.Neg(&a).Add(&l, &a).IsZero() {
			t.Fatal("a + (−a) ≠ 0")
		}
		if *l.Sub(&a, &b).Add(&l, &b) != a {
			t.Fatal("(a − b) + b ≠ a")
		}
		// ScalarMul(a, s) = a·s with s a constant, also when s is a
		// coefficient of z itself.
		var sc Elem
		sc[0] = a[5]
		rr.Mul(&a, &sc)
		if *l.ScalarMul(&a, &a[5]) != rr {
			t.Fatal("ScalarMul(a, s) ≠ a·s")
		}
		if l = a; *l.ScalarMul(&l, &l[5]) != rr {
			t.Fatal("ScalarMul with s a coefficient of z is wrong")
		}
	}
}

// longDivide reduces p mod Φ81 by schoolbook long division, independently of
// Reduce's fold through X^81 = 1.
func longDivide(p []goldilocks.Element) Elem {
	p = append([]goldilocks.Element(nil), p...)
	for k := len(p) - 1; k >= D; k-- {
		// Subtract p[k]·X^(k−54)·Φ81.
		c := p[k]
		p[k].Sub(&p[k], &c)
		p[k-27].Sub(&p[k-27], &c)
		p[k-D].Sub(&p[k-D], &c)
	}
	var z Elem
	copy(z[:], p)
	return z
}

func TestReduce(t *testing.T) {
	one := X(0)
	var want Elem
	want[0] = elemOf(q - 1)
	want[27] = elemOf(q - 1)
	if got := X(54); got != want {
		t.Errorf("X^54 = %v, want −X^27 − 1", got)
	}
	if got := X(81); got != one {
		t.Errorf("X^81 = %v, want 1", got)
	}
	if got := X(162); got != one {
		t.Errorf("X^162 = %v, want 1", got)
	}
	for k := -200; k < 300; k++ {
		p := make([]goldilocks.Element, max(k, 0)+1)
		if k >= 0 {
			p[k].SetOne()
			if got, want := X(k), longDivide(p); got != want {
				t.Fatalf("X(%d) = %v, long division gives %v", k, got, want)
			}
		}
		var prod Elem
		if x, inv := X(k), X(-k); *prod.Mul(&x, &inv) != one {
			t.Fatalf("X(%d)·X(%d) = %v, want 1", k, -k, prod)
		}
	}
	r := newRand(4)
	for _, n := range []int{0, 1, 53, 54, 55, 80, 81, 82, 107, 108, 162, 163, 1000, 4096} {
		p := make([]goldilocks.Element, n)
		for i := range p {
			p[i].SetUint64(r.Uint64N(q))
		}
		if got, want := Reduce(p), longDivide(p); got != want {
			t.Fatalf("Reduce of a degree-%d polynomial = %v, long division gives %v", n-1, got, want)
		}
	}
}

func TestCoefficients(t *testing.T) {
	r := newRand(5)
	a := randElem(r)
	c := a.Coefficients()
	b, err := FromCoefficients(c)
	if err != nil || b != a {
		t.Fatalf("FromCoefficients(Coefficients(a)) = %v, %v; want a", b, err)
	}
	c[0].SetOne()
	if a[0] == c[0] && b[0] == c[0] {
		t.Fatal("Coefficients shares memory with the element")
	}
	if b, _ := FromCoefficients(a[:]); b != a {
		t.Fatal("FromCoefficients(a[:]) ≠ a")
	}
	for _, n := range []int{0, 1, D - 1, D + 1, 2 * D} {
		_, err := FromCoefficients(make([]goldilocks.Element, n))
		if !errors.Is(err, ErrLength) {
			t.Errorf("FromCoefficients of %d entries: error %v, want ErrLength", n, err)
		}
	}
	if _, err := FromCoefficients(nil); !errors.Is(err, ErrLength) {
		t.Errorf("FromCoefficients(nil): error %v, want ErrLength", err)
	}
	zero, x3, ones := Elem{}, X(3), filled(1)
	if !zero.IsZero() || x3.IsZero() || ones.IsZero() {
		t.Error("IsZero is wrong")
	}
}

func TestRot(t *testing.T) {
	r := newRand(6)
	for _, a := range append([]Elem{X(0), X(53), filled(q - 1)}, randElem(r), randElem(r)) {
		m := a.Rot()
		for c := range D {
			var col Elem
			x := X(c)
			col.MulSchoolbook(&x, &a)
			for row := range D {
				if m[row][c] != col[row] {
					t.Fatalf("rot(a)[%d][%d] = %v, want coefficient %d of X^%d·a", row, c, m[row][c].String(), row, c)
				}
			}
		}
		for range 20 {
			b := randElem(r)
			var ab Elem
			ab.Mul(&a, &b)
			if got := m.Apply((*[D]goldilocks.Element)(&b)); Elem(got) != ab {
				t.Fatalf("rot(a)·cf(b) = %v, want cf(a·b) = %v", got, ab)
			}
		}
	}
}

func TestMulSmall(t *testing.T) {
	r := newRand(7)
	smalls := []Small{{}, filled8(127), filled8(-127), filled8(-128), filled8(1), filled8(-1)}
	for range 50 {
		smalls = append(smalls, randSmall(r, -128, 127), randSmall(r, -2, 2), randSmall(r, 0, 1), randSmall(r, -1, 1))
	}
	sparse := Small{}
	sparse[0], sparse[27], sparse[53] = 127, -128, 3
	smalls = append(smalls, sparse)
	var as []Elem
	for _, e := range edgeElems() {
		as = append(as, e)
	}
	for range 10 {
		as = append(as, randElem(r))
	}
	for _, s := range smalls {
		e := s.Elem()
		for _, a := range as {
			var got, want Elem
			got.MulSmall(&a, &s)
			want.Mul(&a, &e)
			if got != want {
				t.Fatalf("MulSmall(%v, %v) = %v, want %v", a, s, got, want)
			}
			if got = a; *got.MulSmall(&got, &s) != want {
				t.Fatalf("MulSmall with z = a: got %v, want %v", got, want)
			}
		}
	}
}

func filled8(v int8) Small {
	var s Small
	for i := range s {
		s[i] = v
	}
	return s
}

func TestSmallElem(t *testing.T) {
	s := Small{0: -1, 1: 1, 2: -128, 3: 127, 4: -2}
	e := s.Elem()
	want := []uint64{q - 1, 1, q - 128, 127, q - 2}
	for i, w := range want {
		if e[i].Uint64() != w {
			t.Errorf("Elem()[%d] = %d, want %d", i, e[i].Uint64(), w)
		}
	}
	for i := len(want); i < D; i++ {
		if !e[i].IsZero() {
			t.Errorf("Elem()[%d] = %v, want 0", i, e[i].String())
		}
	}
}

func TestSigned(t *testing.T) {
	tests := []struct {
		x    uint64
		want int64
	}{
		{0, 0},
		{1, 1},
		{q - 1, -1},
		{(q - 1) / 2, (q - 1) / 2},
		{(q + 1) / 2, -(q - 1) / 2},
		{1 << 32, 1 << 32},
		{q - 1<<32, -(1 << 32)},
	}
	for _, tt := range tests {
		if got := Signed(elemOf(tt.x)); got != tt.want {
			t.Errorf("Signed(%d) = %d, want %d", tt.x, got, tt.want)
		}
	}
}

// signedBig is the balanced representative of x computed with big.Int.
func signedBig(x goldilocks.Element) *big.Int {
	var v big.Int
	x.BigInt(&v)
	qb := goldilocks.Modulus()
	if new(big.Int).Lsh(&v, 1).Cmp(qb) > 0 {
		v.Sub(&v, qb)
	}
	return &v
}

func TestNorms(t *testing.T) {
	r := newRand(8)
	var as []Elem
	for _, e := range edgeElems() {
		as = append(as, e)
	}
	as = append(as, filled((q-1)/2), filled((q+1)/2))
	for range 100 {
		as = append(as, randElem(r))
		s := randSmall(r, -128, 127)
		as = append(as, s.Elem())
	}
	for _, a := range as {
		inf, sq := new(big.Int), new(big.Int)
		for i := range a {
			v := signedBig(a[i])
			if v.CmpAbs(inf) > 0 {
				inf.Abs(v)
			}
			sq.Add(sq, new(big.Int).Mul(v, v))
		}
		if got := a.NormInf(); got != inf.Uint64() {
			t.Fatalf("NormInf(%v) = %d, want %v", a, got, inf)
		}
		if got := a.Norm2Squared(); got.Cmp(sq) != 0 {
			t.Fatalf("Norm2Squared(%v) = %v, want %v", a, got, sq)
		}
	}
	s := Small{3: -128, 7: 100}
	if got := s.NormInf(); got != 128 {
		t.Errorf("Small.NormInf = %d, want 128", got)
	}
	if e := s.Elem(); e.NormInf() != 128 || e.Norm2Squared().Int64() != 128*128+100*100 {
		t.Errorf("norms of %v: %d, %v", s, e.NormInf(), e.Norm2Squared())
	}
}

func TestOperatorNorm(t *testing.T) {
	tests := []struct {
		name string
		s    Small
		want int
	}{
		{"0", Small{}, 0},
		{"1", Small{0: 1}, 1},
		{"-2", Small{0: -2}, 2},
		// rot(X) shifts down and sends X^53 to −X^27 − 1: row 27 holds 1 and −1.
		{"X", Small{1: 1}, 2},
		{"X^26", Small{26: 1}, 2},
		{"X^27", Small{27: 1}, 2},
		{"-128·X^53", Small{53: -128}, 256},
		// 1 + X^27: columns t < 27 are X^t + X^(t+27); columns t ≥ 27 are
		// X^t − X^t − X^(t−27) = −X^(t−27), so row r < 27 holds 1 and −1.
		{"1+X^27", Small{0: 1, 27: 1}, 2},
	}
	for _, tt := range tests {
		if got := tt.s.OperatorNorm(); got != tt.want {
			t.Errorf("OperatorNorm(%s) = %d, want %d", tt.name, got, tt.want)
		}
	}
	r := newRand(9)
	for i := range 3000 {
		var s Small
		switch i {
		case 0:
			s = filled8(2)
		case 1:
			s = filled8(-2)
		default:
			s = randSmall(r, -2, 2)
		}
		got := s.OperatorNorm()
		if got > 216 {
			t.Fatalf("OperatorNorm(%v) = %d > 216", s, got)
		}
		if i < 300 {
			checkOperatorNorm(t, &s, got)
		}
	}
	for range 100 {
		s := randSmall(r, -128, 127)
		checkOperatorNorm(t, &s, s.OperatorNorm())
	}
}

// checkOperatorNorm checks n against the row sums of rot(s) computed in the
// field, and checks that it is attained: the ±1 vector v matching the signs
// of the heaviest row gives ‖s·v‖∞ = n.
func checkOperatorNorm(t *testing.T, s *Small, n int) {
	t.Helper()
	e := s.Elem()
	m := e.Rot()
	best, bestRow := -1, 0
	for r := range D {
		sum := 0
		for c := range D {
			v := Signed(m[r][c])
			sum += int(max(v, -v))
		}
		if sum > best {
			best, bestRow = sum, r
		}
	}
	if n != best {
		t.Fatalf("OperatorNorm(%v) = %d, rot(s) has a row of ℓ1 norm %d", s, n, best)
	}
	var v Small
	for c := range D {
		if Signed(m[bestRow][c]) < 0 {
			v[c] = -1
		} else {
			v[c] = 1
		}
	}
	var sv Elem
	if got := sv.MulSmall(&e, &v).NormInf(); got != uint64(n) {
		t.Fatalf("‖s·v‖∞ = %d for the sign vector v of the heaviest row, want %d", got, n)
	}
}

// modBinomial reduces p mod X^27 − ζ by long division.
func modBinomial(p []goldilocks.Element, zeta *goldilocks.Element) [half]goldilocks.Element {
	p = append([]goldilocks.Element(nil), p...)
	for k := len(p) - 1; k >= half; k-- {
		var t goldilocks.Element
		t.Mul(&p[k], zeta)
		p[k-half].Add(&p[k-half], &t)
		p[k].SetZero()
	}
	var z [half]goldilocks.Element
	copy(z[:], p)
	return z
}

// polyMul is the plain product of two polynomials.
func polyMul(a, b []goldilocks.Element) []goldilocks.Element {
	p := make([]goldilocks.Element, len(a)+len(b)-1)
	for i := range a {
		for j := range b {
			var t goldilocks.Element
			t.Mul(&a[i], &b[j])
			p[i+j].Add(&p[i+j], &t)
		}
	}
	return p
}

func TestOmega(t *testing.T) {
	w := Omega()
	var w3 goldilocks.Element
	w3.Cube(&w)
	if w.IsOne() || !w3.IsOne() {
		t.Fatalf("Omega() = %v is not a primitive cube root of unity", w.String())
	}
	var want goldilocks.Element
	want.Exp(elemOf(7), new(big.Int).Div(new(big.Int).Sub(goldilocks.Modulus(), big.NewInt(1)), big.NewInt(3)))
	if w != want {
		t.Fatalf("Omega() = %v, want 7^((q−1)/3) = %v", w.String(), want.String())
	}
	// Φ81 = (X^27 − ω)(X^27 − ω²).
	var w2 goldilocks.Element
	w2.Square(&w)
	f1 := make([]goldilocks.Element, half+1)
	f2 := make([]goldilocks.Element, half+1)
	f1[0].Neg(&w)
	f2[0].Neg(&w2)
	f1[half].SetOne()
	f2[half].SetOne()
	phi := polyMul(f1, f2)
	for k, c := range phi {
		if want := uint64(0); k == 0 || k == 27 || k == 54 {
			want = 1
			if c.Uint64() != want {
				t.Fatalf("(X^27 − ω)(X^27 − ω²) has %v·X^%d", c.String(), k)
			}
		} else if !c.IsZero() {
			t.Fatalf("(X^27 − ω)(X^27 − ω²) has %v·X^%d", c.String(), k)
		}
	}
}

func TestCRT(t *testing.T) {
	r := newRand(10)
	w := Omega()
	var w2 goldilocks.Element
	w2.Square(&w)
	inputs := []Elem{{}, X(0), X(26), X(27), X(53), filled(q - 1)}
	for range 50 {
		inputs = append(inputs, randElem(r))
	}
	for i, a := range inputs {
		lo, hi := a.CRT()
		if lo != modBinomial(a[:], &w) || hi != modBinomial(a[:], &w2) {
			t.Fatalf("CRT(%v) is not (a mod X^27 − ω, a mod X^27 − ω²)", a)
		}
		if back := FromCRT(&lo, &hi); back != a {
			t.Fatalf("FromCRT(CRT(a)) = %v, want %v", back, a)
		}
		b := inputs[(i+7)%len(inputs)]
		blo, bhi := b.CRT()
		var ab Elem
		plo, phi := ab.Mul(&a, &b).CRT()
		if want := modBinomial(polyMul(lo[:], blo[:]), &w); plo != want {
			t.Fatalf("CRT(a·b) lo = %v, want %v", plo, want)
		}
		if want := modBinomial(polyMul(hi[:], bhi[:]), &w2); phi != want {
			t.Fatalf("CRT(a·b) hi = %v, want %v", phi, want)
		}
	}
}

// factorMultiple returns (X^27 − ζ)·c for a random c.
func factorMultiple(r *rand.Rand, zeta goldilocks.Element) Elem {
	var f Elem
	f[0].Neg(&zeta)
	f[half].SetOne()
	c := randElem(r)
	return *new(Elem).MulSchoolbook(&f, &c)
}

func TestInverse(t *testing.T) {
	r := newRand(11)
	w := Omega()
	var w2 goldilocks.Element
	w2.Square(&w)
	singular := map[string]Elem{
		"0":             {},
		"(X^27 − ω)·c":  factorMultiple(r, w),
		"(X^27 − ω²)·c": factorMultiple(r, w2),
	}
	var f Elem
	f[0].Neg(&w)
	f[half].SetOne()
	singular["X^27 − ω"] = f
	for name, a := range singular {
		if name != "0" && a.IsZero() {
			t.Fatalf("%s is zero; the test needs a nonzero multiple", name)
		}
		if a.IsInvertible() {
			t.Errorf("IsInvertible(%s) = true", name)
		}
		if _, err := a.Inverse(); !errors.Is(err, ErrNotInvertible) {
			t.Errorf("Inverse(%s): error %v, want ErrNotInvertible", name, err)
		}
	}
	one := X(0)
	inputs := []Elem{one, X(1), X(53), X(27), filled(q - 1), filled(1 << 63)}
	for range 30 {
		inputs = append(inputs, randElem(r))
		s := randSmall(r, -2, 2)
		if s != (Small{}) {
			inputs = append(inputs, s.Elem())
		}
		// Differences of distinct challenges, which the folding inverts.
		s2 := randSmall(r, -2, 2)
		d := s.Elem()
		e2 := s2.Elem()
		if d.Sub(&d, &e2); !d.IsZero() {
			inputs = append(inputs, d)
		}
	}
	for _, a := range inputs {
		if !a.IsInvertible() {
			t.Fatalf("IsInvertible(%v) = false", a)
		}
		inv, err := a.Inverse()
		if err != nil {
			t.Fatalf("Inverse(%v): %v", a, err)
		}
		var p Elem
		if p.MulSchoolbook(&a, &inv); p != one {
			t.Fatalf("a·Inverse(a) = %v, want 1 (a = %v)", p, a)
		}
	}
}
