package ccs

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/transcript"
)

func randF(rng *rand.Rand) goldilocks.Element {
	var x goldilocks.Element
	x.SetUint64(rng.Uint64())
	return x
}

func randNonZero(rng *rand.Rand) goldilocks.Element {
	for {
		if x := randF(rng); !x.IsZero() {
			return x
		}
	}
}

// system is a CCS as the entry lists it was built from, so that tests can
// evaluate it without the code under test.
type system struct {
	m, n, numPublic int
	entries         [][]mle.Entry // per matrix
	terms           []Term
}

func (s *system) build(t testing.TB) *CCS {
	t.Helper()
	ms := make([]*mle.Sparse, len(s.entries))
	for j, es := range s.entries {
		var err error
		if ms[j], err = mle.NewSparse(s.m, s.n, es); err != nil {
			t.Fatal(err)
		}
	}
	c, err := New(s.numPublic, ms, s.terms)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// values evaluates every constraint on z from the entry lists.
func (s *system) values(z []goldilocks.Element) []goldilocks.Element {
	mz := make([][]goldilocks.Element, len(s.entries))
	for j, es := range s.entries {
		mz[j] = make([]goldilocks.Element, s.m)
		for _, e := range es {
			var p goldilocks.Element
			p.Mul(&e.Val, &z[e.Col])
			mz[j][e.Row].Add(&mz[j][e.Row], &p)
		}
	}
	vs := make([]goldilocks.Element, s.m)
	for row := range vs {
		for _, t := range s.terms {
			p := t.Coeff
			for _, j := range t.Matrices {
				p.Mul(&p, &mz[j][row])
			}
			vs[row].Add(&vs[row], &p)
		}
	}
	return vs
}

// wantCheck is what Check must return on z, from values: nil, or the first
// failing row, its value and the number of failing rows.
func (s *system) wantCheck(z []goldilocks.Element) *UnsatisfiedError {
	var want *UnsatisfiedError
	for row, v := range s.values(z) {
		if !v.IsZero() {
			if want == nil {
				want = &UnsatisfiedError{Row: row, Value: v}
			}
			want.Failing++
		}
	}
	return want
}

// randomCircuit fills s with m constraints over 1 + inputs + m variables:
// z[0] = 1, then inputs, then one output per row. Row i of every matrix but
// out reads only variables before row i's output; matrix out also holds
// row i's output with a nonzero coefficient. solve returns the value of
// out's row i (M_out·z)_i that satisfies row i given the other matrices'
// values there, and randomCircuit sets the output variable to reach it.
func randomCircuit(rng *rand.Rand, s *system, inputs, perRow, out int, solve func(row int, mz []goldilocks.Element) goldilocks.Element) []goldilocks.Element {
	s.n = 1 + inputs + s.m
	z := make([]goldilocks.Element, s.n)
	z[0].SetOne()
	for j := 1; j <= inputs; j++ {
		z[j] = randF(rng)
	}
	for i := range s.m {
		outCol := 1 + inputs + i
		mz := make([]goldilocks.Element, len(s.entries))
		for j := range s.entries {
			for range 1 + rng.IntN(perRow) {
				e := mle.Entry{Row: i, Col: rng.IntN(outCol), Val: randF(rng)}
				s.entries[j] = append(s.entries[j], e)
				var p goldilocks.Element
				p.Mul(&e.Val, &z[e.Col])
				mz[j].Add(&mz[j], &p)
			}
		}
		gamma := randNonZero(rng)
		s.entries[out] = append(s.entries[out], mle.Entry{Row: i, Col: outCol, Val: gamma})
		// γ·z_out = want − (the rest of row i of M_out)·z
		want := solve(i, mz)
		var inv goldilocks.Element
		inv.Inverse(&gamma)
		want.Sub(&want, &mz[out])
		z[outCol].Mul(&want, &inv)
	}
	return z
}

// randomR1CS returns a satisfiable R1CS (A·z)∘(B·z) = C·z and its assignment.
func randomR1CS(rng *rand.Rand, m, inputs int) (*system, []goldilocks.Element) {
	var one, minusOne goldilocks.Element
	one.SetOne()
	minusOne.Neg(&one)
	s := &system{m: m, numPublic: 1 + inputs/2, entries: make([][]mle.Entry, 3), terms: []Term{
		{Coeff: one, Matrices: []int{0, 1}}, {Coeff: minusOne, Matrices: []int{2}},
	}}
	z := randomCircuit(rng, s, inputs, 4, 2, func(_ int, mz []goldilocks.Element) goldilocks.Element {
		var ab goldilocks.Element
		return *ab.Mul(&mz[0], &mz[1])
	})
	return s, z
}

// randomCubic returns a satisfiable CCS with t = 4, q = 3 and degree 3:
// c1·(M0 z ∘ M1 z ∘ M2 z) + c2·(M0 z ∘ M3 z) + c3·(M3 z) = 0, solved for M3.
func randomCubic(rng *rand.Rand, m, inputs int) (*system, []goldilocks.Element) {
	c1, c2, c3 := randNonZero(rng), randNonZero(rng), randNonZero(rng)
	s := &system{m: m, numPublic: 1 + inputs/2, entries: make([][]mle.Entry, 4), terms: []Term{
		{Coeff: c1, Matrices: []int{2, 0, 1}}, {Coeff: c2, Matrices: []int{3, 0}}, {Coeff: c3, Matrices: []int{3}},
	}}
	z := randomCircuit(rng, s, inputs, 3, 3, func(row int, mz []goldilocks.Element) goldilocks.Element {
		// d = −c1·abc / (c2·a + c3); the denominator is zero with
		// probability 2^−64, and the fixed seed does not hit it.
		var num, den goldilocks.Element
		num.Mul(&c1, &mz[0]).Mul(&num, &mz[1]).Mul(&num, &mz[2]).Neg(&num)
		den.Mul(&c2, &mz[0]).Add(&den, &c3)
		if den.IsZero() {
			panic(fmt.Sprintf("row %d: zero denominator", row))
		}
		den.Inverse(&den)
		return *num.Mul(&num, &den)
	})
	return s, z
}

func TestRandomSystems(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		name   string
		gen    func(*rand.Rand, int, int) (*system, []goldilocks.Element)
		m, in  int
		degree int
	}{
		{"r1cs/1", randomR1CS, 1, 1, 2},
		{"r1cs/37", randomR1CS, 37, 5, 2},
		{"r1cs/5000", randomR1CS, 5000, 64, 2},
		{"cubic/1", randomCubic, 1, 2, 3},
		{"cubic/53", randomCubic, 53, 7, 3},
		{"cubic/5000", randomCubic, 5000, 64, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, z := tc.gen(rng, tc.m, tc.in)
			c := s.build(t)
			if c.Degree() != tc.degree {
				t.Fatalf("Degree() = %d, want %d", c.Degree(), tc.degree)
			}
			if c.NumConstraints() != s.m || c.NumVariables() != s.n || c.NumPublic() != s.numPublic {
				t.Fatalf("shape %d×%d (%d public), want %d×%d (%d public)", c.NumConstraints(), c.NumVariables(), c.NumPublic(), s.m, s.n, s.numPublic)
			}
			if want := s.wantCheck(z); want != nil {
				t.Fatalf("the generator built an unsatisfied system: %v", want)
			}
			if err := c.Check(z); err != nil {
				t.Fatal(err)
			}

			// Perturb single entries: output variables always break their
			// row; for any variable Check must agree with the reference.
			outputs := 0
			for range 40 {
				j := rng.IntN(s.n)
				zz := slices.Clone(z)
				d := randNonZero(rng)
				zz[j].Add(&zz[j], &d)
				want := s.wantCheck(zz)
				if j > tc.in {
					outputs++
					if want == nil {
						t.Fatalf("perturbing output variable %d left the reference satisfied", j)
					}
				}
				err := c.Check(zz)
				if want == nil {
					if err != nil {
						t.Fatalf("perturbing variable %d: %v, the reference is satisfied", j, err)
					}
					continue
				}
				var ue *UnsatisfiedError
				if !errors.As(err, &ue) || !errors.Is(err, ErrUnsatisfied) {
					t.Fatalf("perturbing variable %d: got %v, want an *UnsatisfiedError", j, err)
				}
				if *ue != *want {
					t.Fatalf("perturbing variable %d: got %v, want %v", j, ue, want)
				}
			}
			if outputs == 0 && s.m > 1 {
				t.Fatal("no output variable was perturbed")
			}

			// Residual agrees with the reference row by row.
			zz := slices.Clone(z)
			zz[s.n-1].Add(&zz[s.n-1], &z[0])
			res, err := c.Residual(zz)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res, s.values(zz)) {
				t.Fatal("Residual differs from the reference")
			}
		})
	}
}

func TestCheckLength(t *testing.T) {
	s, z := randomR1CS(rand.New(rand.NewPCG(1, 1)), 4, 2)
	c := s.build(t)
	for _, zz := range [][]goldilocks.Element{nil, z[:len(z)-1], append(slices.Clone(z), z[0])} {
		if err := c.Check(zz); !errors.Is(err, mle.ErrLength) {
			t.Errorf("z of %d entries for %d variables: got %v, want ErrLength", len(zz), c.NumVariables(), err)
		}
	}
}

func TestNewRejects(t *testing.T) {
	sq := func(m, n int) *mle.Sparse {
		s, err := mle.NewSparse(m, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	one := goldilocks.NewElement(1)
	ok := []Term{{Coeff: one, Matrices: []int{0}}}
	for _, tc := range []struct {
		name      string
		numPublic int
		ms        []*mle.Sparse
		terms     []Term
	}{
		{"no matrices", 0, nil, ok},
		{"no terms", 0, []*mle.Sparse{sq(2, 2)}, nil},
		{"nil matrix", 0, []*mle.Sparse{sq(2, 2), nil}, ok},
		{"rows differ", 0, []*mle.Sparse{sq(2, 2), sq(3, 2)}, ok},
		{"cols differ", 0, []*mle.Sparse{sq(2, 2), sq(2, 3)}, ok},
		{"negative public", -1, []*mle.Sparse{sq(2, 2)}, ok},
		{"more public than variables", 3, []*mle.Sparse{sq(2, 2)}, ok},
		{"empty multiset", 0, []*mle.Sparse{sq(2, 2)}, []Term{{Coeff: one}}},
		{"matrix past the end", 0, []*mle.Sparse{sq(2, 2)}, []Term{{Coeff: one, Matrices: []int{0, 1}}}},
		{"negative matrix", 0, []*mle.Sparse{sq(2, 2)}, []Term{{Coeff: one, Matrices: []int{-1}}}},
	} {
		if _, err := New(tc.numPublic, tc.ms, tc.terms); !errors.Is(err, ErrStructure) {
			t.Errorf("%s: got %v, want ErrStructure", tc.name, err)
		}
	}
	if _, err := FromR1CS(sq(2, 3), sq(2, 3), sq(3, 3), 1); !errors.Is(err, ErrStructure) {
		t.Errorf("FromR1CS of mismatched matrices: got %v, want ErrStructure", err)
	}
}

func TestAccessorsCopy(t *testing.T) {
	s, _ := randomCubic(rand.New(rand.NewPCG(2, 2)), 3, 2)
	c := s.build(t)
	d := c.Digest()
	ts := c.Terms()
	if !slices.Equal(ts[0].Matrices, []int{0, 1, 2}) || !slices.Equal(ts[1].Matrices, []int{0, 3}) {
		t.Fatalf("multisets not stored sorted: %v", ts)
	}
	ts[0].Matrices[0] = 3
	ts[0].Coeff.SetZero()
	ms := c.Matrices()
	ms[0] = ms[1]
	s.terms[1].Matrices[0] = 0 // the caller's slices were copied by New
	if c.Terms()[0].Matrices[0] != 0 || c.Terms()[0].Coeff.IsZero() || c.Matrices()[0] == c.Matrices()[1] || c.Terms()[1].Matrices[1] != 3 {
		t.Fatal("changing what the accessors returned changed the CCS")
	}
	if c.Digest() != d {
		t.Fatal("digest changed")
	}
}

func TestDigest(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	base, _ := randomCubic(rng, 6, 3)
	// Entries in canonical form, so that changing one changes the matrix
	// (the generator may list a position twice).
	for j, m := range base.build(t).Matrices() {
		base.entries[j] = slices.Collect(m.Entries())
	}
	clone := func() *system {
		s := *base
		s.entries = make([][]mle.Entry, len(base.entries))
		for j := range s.entries {
			s.entries[j] = slices.Clone(base.entries[j])
		}
		s.terms = make([]Term, len(base.terms))
		for i, t := range base.terms {
			s.terms[i] = Term{Coeff: t.Coeff, Matrices: slices.Clone(t.Matrices)}
		}
		return &s
	}
	d0 := base.build(t).Digest()

	// The same structure given differently: entries shuffled and split,
	// multisets reordered.
	same := clone()
	for j := range same.entries {
		rng.Shuffle(len(same.entries[j]), func(a, b int) {
			same.entries[j][a], same.entries[j][b] = same.entries[j][b], same.entries[j][a]
		})
		e := same.entries[j][0]
		part := goldilocks.NewElement(1)
		e.Val.Sub(&e.Val, &part)
		same.entries[j][0].Val = part
		same.entries[j] = append(same.entries[j], e)
	}
	slices.Reverse(same.terms[0].Matrices)
	if got := same.build(t).Digest(); got != d0 {
		t.Fatal("the same structure given in another order has another digest")
	}

	one := goldilocks.NewElement(1)
	variants := map[string]func(s *system){
		"numPublic":     func(s *system) { s.numPublic++ },
		"extra row":     func(s *system) { s.m++ },
		"extra column":  func(s *system) { s.n++ },
		"coefficient":   func(s *system) { s.terms[1].Coeff.Add(&s.terms[1].Coeff, &one) },
		"multiset":      func(s *system) { s.terms[1].Matrices[1] = 1 },
		"multiset size": func(s *system) { s.terms[2].Matrices = append(s.terms[2].Matrices, 3) },
		"term dropped":  func(s *system) { s.terms = s.terms[:2] },
		"term added":    func(s *system) { s.terms = append(s.terms, Term{Coeff: one, Matrices: []int{1}}) },
		"terms swapped": func(s *system) { s.terms[1], s.terms[2] = s.terms[2], s.terms[1] },
		"matrices swapped": func(s *system) {
			s.entries[0], s.entries[1] = s.entries[1], s.entries[0]
		},
		"matrix added": func(s *system) { s.entries = append(s.entries, nil) },
	}
	for j := range base.entries {
		for k := range base.entries[j] {
			variants[fmt.Sprintf("M%d entry %d value", j, k)] = func(s *system) {
				s.entries[j][k].Val.Add(&s.entries[j][k].Val, &one)
			}
		}
		variants[fmt.Sprintf("M%d entry moved column", j)] = func(s *system) {
			s.entries[j][0].Col = (s.entries[j][0].Col + 1) % s.n
		}
		variants[fmt.Sprintf("M%d entry moved row", j)] = func(s *system) {
			s.entries[j][0].Row = (s.entries[j][0].Row + 1) % s.m
		}
		variants[fmt.Sprintf("M%d entry added", j)] = func(s *system) {
			s.entries[j] = append(s.entries[j], mle.Entry{Row: s.m - 1, Col: s.n - 1, Val: goldilocks.NewElement(5)})
		}
		variants[fmt.Sprintf("M%d entry removed", j)] = func(s *system) { s.entries[j] = s.entries[j][1:] }
	}
	seen := map[Digest]string{d0: "base"}
	for name, change := range variants {
		s := clone()
		change(s)
		d := s.build(t).Digest()
		if prev, ok := seen[d]; ok {
			t.Errorf("%s: same digest as %s", name, prev)
		}
		seen[d] = name
	}
}

// TestDigestKnownAnswer pins the digest of a small R1CS and checks it
// against the encoding Digest documents, written out by hand. It changes only
// when the encoding does, and then DigestProtocol must get a new version and
// this value must be updated on purpose.
func TestDigestKnownAnswer(t *testing.T) {
	// x·x = y over z = (1, x, y).
	sq, err := mle.NewSparse(1, 3, []mle.Entry{{Row: 0, Col: 1, Val: goldilocks.NewElement(1)}})
	if err != nil {
		t.Fatal(err)
	}
	y, err := mle.NewSparse(1, 3, []mle.Entry{{Row: 0, Col: 2, Val: goldilocks.NewElement(1)}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := FromR1CS(sq, sq, y, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := Digest{
		goldilocks.NewElement(9164684478015302850), goldilocks.NewElement(2538935353820093093),
		goldilocks.NewElement(17523442785320669829), goldilocks.NewElement(13841851121680452210),
	}
	d := c.Digest()
	if d != want {
		t.Fatalf("digest %s, want %s", d, want)
	}

	u32 := binary.LittleEndian.AppendUint32
	u64s := func(b []byte, vs ...uint64) []byte {
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint64(b, v)
		}
		return b
	}
	enc := u64s(nil, 1, 3, 1, 3, 2) // m, n, numPublic, t, q
	for _, col := range []uint32{1, 1, 2} {
		enc = u64s(enc, 1) // one nonzero entry
		enc = u64s(u32(u32(enc, 0), col), 1)
	}
	enc = u64s(enc, 1, 2, 0, 1)               // 1·{A, B}
	enc = u64s(enc, 0xFFFFFFFF00000000, 1, 2) // −1·{C}, −1 = q − 1
	sum := sha256.Sum256(enc)
	tr := transcript.New(DigestProtocol)
	tr.AppendBytes("sha256", sum[:])
	var byHand Digest
	copy(byHand[:], tr.ChallengeFields("digest", len(byHand)))
	if d != byHand {
		t.Fatalf("digest %s, the documented encoding gives %s", d, byHand)
	}
}
