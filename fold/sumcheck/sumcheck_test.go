package sumcheck

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/internal/gltest"
	"github.com/ssprove/ssprove/kernels/ext"
)

const protocol = "ssprove/sumcheck/test"

func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x5eed))
}

func randK(rng *rand.Rand) K {
	var x K
	x.A0.SetUint64(rng.Uint64())
	x.A1.SetUint64(rng.Uint64())
	return x
}

func randTables(rng *rand.Rand, n, numVars int) [][]K {
	ts := make([][]K, n)
	for j := range ts {
		ts[j] = make([]K, 1<<numVars)
		for i := range ts[j] {
			ts[j][i] = randK(rng)
		}
	}
	return ts
}

func cloneTables(ts [][]K) [][]K {
	c := make([][]K, len(ts))
	for j := range ts {
		c[j] = slices.Clone(ts[j])
	}
	return c
}

func kOf(v uint64) K {
	var x K
	x.A0.SetUint64(v)
	return x
}

// naiveSum is Σ_x g(P(x)), straight from the definition.
func naiveSum(g Composition, ts [][]K) K {
	vals := make([]K, len(ts))
	var sum K
	for i := range ts[0] {
		for j := range ts {
			vals[j] = ts[j][i]
		}
		v := g.Evaluate(vals)
		sum.Add(&sum, &v)
	}
	return sum
}

// rangeCheck is g(P_0, …) = P_1 · Π_{k<d−1} (P_0 − k) (times nothing for
// d = 1, where it is P_0): a general Composition of degree d, the shape of a
// range-check polynomial weighted by a second table such as eq.
type rangeCheck struct{ d int }

func (r rangeCheck) NumPolys() int { return 2 }
func (r rangeCheck) Degree() int   { return r.d }
func (r rangeCheck) Evaluate(vals []K) K {
	if r.d == 1 {
		return vals[0]
	}
	v := vals[1]
	for k := range r.d - 1 {
		var x, kk K
		kk = kOf(uint64(k))
		x.Sub(&vals[0], &kk)
		v.Mul(&v, &x)
	}
	return v
}

// shapes returns compositions of degree d: Products of several term shapes
// and a general one.
type namedComposition struct {
	name string
	g    Composition
}

func shapes(rng *rand.Rand, d int) []namedComposition {
	distinct := make([]int, d)
	for i := range distinct {
		distinct[i] = i
	}
	mixed := Products{N: d + 1}
	for k := 1; k <= d; k++ {
		f := make([]int, k)
		for i := range f {
			f[i] = rng.IntN(d + 1)
		}
		mixed.Terms = append(mixed.Terms, Term{Coeff: randK(rng), Factors: f})
	}
	mixed.Terms = append(mixed.Terms, Term{Coeff: randK(rng)}) // a constant
	mixed.Terms = append(mixed.Terms, Term{Coeff: randK(rng), Factors: []int{d}})
	return []namedComposition{
		{"product", Product(d, distinct...)},
		{"power", Product(1, make([]int, d)...)},
		{"mixed", mixed},
		{"mixedPtr", &mixed},
		{"general", rangeCheck{d: d}},
	}
}

// skipWithoutKernels skips a test on a backend this build has no K loops for.
func skipWithoutKernels(tb testing.TB) {
	tb.Helper()
	if _, err := ext.Sum(nil); errors.Is(err, accel.ErrUnavailable) {
		tb.Skipf("no K kernels: %v", err)
	}
}

// tablesAt is the caller's check when it holds the tables: each evaluated at
// the point must be its claimed evaluation.
func tablesAt(ts [][]K) Check {
	return func(point, evals []K) error {
		for j := range ts {
			want, err := mle.Evaluate(ts[j], point)
			if err != nil {
				return err
			}
			if !want.Equal(&evals[j]) {
				return fmt.Errorf("Evals[%d] = %s, table %d at the point is %s", j, evals[j].String(), j, want.String())
			}
		}
		return nil
	}
}

// trustEvals accepts any final evaluations: the tests passing it check what
// Verify rejects on its own.
func trustEvals(_, _ []K) error { return nil }

// proveAndVerify runs an honest sum-check and checks everything the caller
// of Verify would: the point, and Evals against the original tables.
func proveAndVerify(t *testing.T, g Composition, ts [][]K) *Proof {
	t.Helper()
	claim := naiveSum(g, ts)
	numVars := mle.NumVars(len(ts[0]))
	trP := transcript.New(protocol)
	proof, pointP, err := Prove(context.Background(), trP, claim, g, cloneTables(ts))
	if err != nil {
		t.Fatalf("Prove: %v", err)
	}
	trV := transcript.New(protocol)
	pointV, err := Verify(trV, claim, g, numVars, proof, tablesAt(ts))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !slices.Equal(pointP, pointV) {
		t.Fatalf("prover point %v, verifier point %v", pointP, pointV)
	}
	cp, cv := trP.ChallengeExt("after"), trV.ChallengeExt("after")
	if !cp.Equal(&cv) {
		t.Fatal("prover and verifier transcripts end in different states")
	}
	return proof
}

func TestCompleteness(t *testing.T) {
	vars := []int{0, 1, 2, 3, 5, 8, 12}
	if testing.Short() {
		vars = []int{0, 1, 2, 5, 9}
	}
	gltest.ForEachBackend(t, func(t *testing.T) {
		skipWithoutKernels(t)
		rng := newRand(1)
		for d := 1; d <= MaxDegree; d++ {
			for _, c := range shapes(rng, d) {
				for _, l := range vars {
					t.Run(fmt.Sprintf("d=%d/%s/vars=%d", d, c.name, l), func(t *testing.T) {
						proveAndVerify(t, c.g, randTables(rng, c.g.NumPolys(), l))
					})
				}
			}
		}
	})
}

// TestCompletenessParallel runs tables big enough to be split across
// goroutines (and several chunks per goroutine), for -race.
func TestCompletenessParallel(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		skipWithoutKernels(t)
		rng := newRand(2)
		proveAndVerify(t, Product(3, 0, 1, 2), randTables(rng, 3, 15))
		proveAndVerify(t, rangeCheck{d: 4}, randTables(rng, 2, 14))
	})
}

func TestCompletenessLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("2^22 entries per table")
	}
	skipWithoutKernels(t)
	proveAndVerify(t, Product(3, 0, 1, 2), randTables(newRand(3), 3, 22))
}

func TestProveRejectsFalseClaim(t *testing.T) {
	skipWithoutKernels(t)
	rng := newRand(4)
	for _, l := range []int{0, 1, 4} {
		g := Product(2, 0, 1)
		ts := randTables(rng, 2, l)
		claim := naiveSum(g, ts)
		one := kOf(1)
		claim.Add(&claim, &one)
		_, _, err := Prove(context.Background(), transcript.New(protocol), claim, g, ts)
		if !errors.Is(err, ErrClaim) {
			t.Errorf("vars=%d: Prove of a false claim: %v, want ErrClaim", l, err)
		}
	}
}

// honest returns a valid proof of degree-3 and degree-4 statements with its
// claim, for the soundness tests to modify.
func honest(t *testing.T, g Composition, numVars int) (K, *Proof) {
	t.Helper()
	ts := randTables(newRand(5), g.NumPolys(), numVars)
	claim := naiveSum(g, ts)
	proof, _, err := Prove(context.Background(), transcript.New(protocol), claim, g, ts)
	if err != nil {
		t.Fatal(err)
	}
	return claim, proof
}

func cloneProof(p *Proof) *Proof {
	c := &Proof{Evals: slices.Clone(p.Evals)}
	for _, s := range p.Rounds {
		c.Rounds = append(c.Rounds, slices.Clone(s))
	}
	return c
}

func TestSoundness(t *testing.T) {
	skipWithoutKernels(t)
	const numVars = 5
	one := kOf(1)
	for _, g := range []Composition{Product(3, 0, 1, 2), rangeCheck{d: 4}} {
		claim, good := honest(t, g, numVars)
		type mutation struct {
			name  string
			claim K
			proof *Proof
		}
		var ms []mutation
		add := func(name string, f func(p *Proof)) {
			p := cloneProof(good)
			f(p)
			ms = append(ms, mutation{name, claim, p})
		}
		for i := range good.Rounds {
			for k := range good.Rounds[i] {
				add(fmt.Sprintf("round %d entry %d", i, k), func(p *Proof) { p.Rounds[i][k].Add(&p.Rounds[i][k], &one) })
			}
			add(fmt.Sprintf("round %d entry dropped", i), func(p *Proof) { p.Rounds[i] = p.Rounds[i][:len(p.Rounds[i])-1] })
			add(fmt.Sprintf("round %d entry added", i), func(p *Proof) { p.Rounds[i] = append(p.Rounds[i], one) })
			add(fmt.Sprintf("round %d dropped", i), func(p *Proof) { p.Rounds = slices.Delete(p.Rounds, i, i+1) })
			add(fmt.Sprintf("round added before %d", i), func(p *Proof) { p.Rounds = slices.Insert(p.Rounds, i, slices.Clone(p.Rounds[i])) })
		}
		add("round added at the end", func(p *Proof) { p.Rounds = append(p.Rounds, slices.Clone(p.Rounds[0])) })
		add("no rounds", func(p *Proof) { p.Rounds = nil })
		for j := range good.Evals {
			add(fmt.Sprintf("eval %d", j), func(p *Proof) { p.Evals[j].Add(&p.Evals[j], &one) })
		}
		add("eval dropped", func(p *Proof) { p.Evals = p.Evals[1:] })
		add("eval added", func(p *Proof) { p.Evals = append(p.Evals, one) })
		add("rounds swapped", func(p *Proof) { p.Rounds[1], p.Rounds[2] = p.Rounds[2], p.Rounds[1] })
		var wrong K
		wrong.Add(&claim, &one)
		ms = append(ms, mutation{"claim", wrong, good}, mutation{"nil proof", claim, nil})

		for _, m := range ms {
			t.Run(fmt.Sprintf("d=%d/%s", g.Degree(), m.name), func(t *testing.T) {
				_, err := Verify(transcript.New(protocol), m.claim, g, numVars, m.proof, trustEvals)
				if !errors.Is(err, ErrReject) {
					t.Fatalf("Verify = %v, want ErrReject", err)
				}
			})
		}
		if _, err := Verify(transcript.New(protocol), claim, g, numVars, good, trustEvals); err != nil {
			t.Fatalf("the unmodified proof: %v", err)
		}
	}
}

// cheat runs a prover for a false claim that keeps every round consistent
// with the verifier's running claim by shifting s_i(0), with the real
// tables otherwise. It returns the proof, the point and the value the last
// round polynomial takes there.
func cheat(t *testing.T, claim K, g Composition, ts [][]K) (*Proof, []K, K) {
	t.Helper()
	_, d, err := shape(g)
	if err != nil {
		t.Fatal(err)
	}
	numVars := mle.NumVars(len(ts[0]))
	tr := transcript.New(protocol)
	absorbStatement(tr, g, numVars, len(ts), d, claim)
	p := newProver(g, d, ts)
	proof := &Proof{Evals: make([]K, len(ts))}
	point := make([]K, numVars)
	cur := claim
	var bind *K
	for i := range numVars {
		s := make([]K, d+1)
		if err := p.round(s, 1<<(numVars-1-i), bind); err != nil {
			t.Fatal(err)
		}
		var sum, shift K
		sum.Add(&s[0], &s[1])
		shift.Sub(&cur, &sum)
		s[0].Add(&s[0], &shift)
		sent := append([]K{s[0]}, s[2:]...)
		tr.AppendExt(labelRound, sent...)
		point[i] = tr.ChallengeExt(labelChallenge)
		cur = interpolate(s, point[i])
		proof.Rounds = append(proof.Rounds, sent)
		bind = &point[i]
	}
	p.finish(proof.Evals, bind)
	return proof, point, cur
}

func TestCheatingProver(t *testing.T) {
	skipWithoutKernels(t)
	const numVars = 6
	g := Product(3, 0, 1, 2)
	ts := randTables(newRand(6), 3, numVars)
	claim := naiveSum(g, ts)
	one := kOf(1)
	claim.Add(&claim, &one)

	proof, _, last := cheat(t, claim, g, cloneTables(ts))
	if _, err := Verify(transcript.New(protocol), claim, g, numVars, proof, trustEvals); !errors.Is(err, ErrReject) {
		t.Fatalf("a false claim with consistent rounds and the true evaluations: %v, want ErrReject", err)
	}

	// Made-up Evals that satisfy g pass Verify's own checks: only the
	// caller's check of Evals against the tables catches them, which is why
	// Verify requires one.
	var e12 K
	e12.Mul(&proof.Evals[1], &proof.Evals[2])
	e12.Inverse(&e12)
	proof.Evals[0].Mul(&last, &e12)
	got, err := Verify(transcript.New(protocol), claim, g, numVars, proof, trustEvals)
	if err != nil {
		t.Fatalf("Verify of forged Evals: %v (the forgery should pass Verify itself)", err)
	}
	v, err := mle.Evaluate(ts[0], got)
	if err != nil {
		t.Fatal(err)
	}
	if v.Equal(&proof.Evals[0]) {
		t.Fatal("the forged evaluation matches the table: the cheat did not cheat")
	}
	// With the caller's check the forgery is rejected.
	if _, err := Verify(transcript.New(protocol), claim, g, numVars, proof, tablesAt(ts)); !errors.Is(err, ErrReject) {
		t.Fatalf("Verify with the tables' check of forged Evals: %v, want ErrReject", err)
	}
	if _, err := Verify(transcript.New(protocol), claim, g, numVars, proof, nil); !errors.Is(err, ErrShape) {
		t.Fatalf("Verify without a check: %v, want ErrShape", err)
	}
}

// The composition's terms are part of the statement: a proof for one g does
// not verify for another of the same shape, even one it happens to satisfy.
func TestCompositionBound(t *testing.T) {
	skipWithoutKernels(t)
	ts := randTables(newRand(8), 3, 5)
	g := Product(3, 0, 1, 2)
	claim := naiveSum(g, ts)
	proof, _, err := Prove(context.Background(), transcript.New(protocol), claim, g, cloneTables(ts))
	if err != nil {
		t.Fatal(err)
	}
	// The same product with its factors listed in another order is the same
	// polynomial, but another statement.
	h := Product(3, 2, 1, 0)
	if _, err := Verify(transcript.New(protocol), claim, h, 5, proof, tablesAt(ts)); !errors.Is(err, ErrReject) {
		t.Fatalf("a proof for Π(0,1,2) verified as one for Π(2,1,0): %v", err)
	}
}

func TestTranscriptReplay(t *testing.T) {
	skipWithoutKernels(t)
	g := rangeCheck{d: 3}
	ts := randTables(newRand(7), 2, 6)
	claim := naiveSum(g, ts)
	run := func(label string) ([]byte, []K) {
		proof, point, err := Prove(context.Background(), transcript.New(label), claim, g, cloneTables(ts))
		if err != nil {
			t.Fatal(err)
		}
		b, err := proof.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b, point
	}
	b1, p1 := run(protocol)
	b2, p2 := run(protocol)
	if !slices.Equal(b1, b2) || !slices.Equal(p1, p2) {
		t.Fatal("the same inputs gave different proofs or challenges")
	}
	b3, p3 := run(protocol + "/other")
	if slices.Equal(b1, b3) {
		t.Fatal("a different transcript gave the same proof")
	}
	for i := range p1 {
		if p1[i].Equal(&p3[i]) {
			t.Fatalf("a different transcript gave the same challenge %d", i)
		}
	}
	// The verifier on a transcript of another protocol rejects.
	var proof Proof
	if err := proof.UnmarshalBinary(b1); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(transcript.New(protocol+"/other"), claim, g, 6, &proof, trustEvals); !errors.Is(err, ErrReject) {
		t.Fatalf("Verify on another transcript: %v, want ErrReject", err)
	}
}

type badDegree struct{ d, n int }

// square is P_0² claiming degree 1.
type square struct{}

func (square) NumPolys() int { return 1 }
func (square) Degree() int   { return 1 }
func (square) Evaluate(vals []K) K {
	var v K
	v.Square(&vals[0])
	return v
}

func (b badDegree) NumPolys() int       { return b.n }
func (b badDegree) Degree() int         { return b.d }
func (b badDegree) Evaluate(vals []K) K { return K{} }

func TestProveShapeErrors(t *testing.T) {
	skipWithoutKernels(t)
	rng := newRand(8)
	ts := randTables(rng, 3, 3)
	shared := randTables(rng, 1, 3)[0]
	tests := []struct {
		name   string
		g      Composition
		tables [][]K
	}{
		{"nil composition", nil, ts},
		{"nil *Products", (*Products)(nil), ts},
		{"no tables", Products{N: 0, Terms: []Term{{Factors: []int{}}}}, nil},
		{"fewer tables than g reads", Product(4, 0, 1, 2, 3), ts},
		{"more tables than g reads", Product(2, 0, 1), ts},
		{"factor out of range", Product(3, 0, 3), ts},
		{"negative factor", Product(3, 0, -1), ts},
		{"degree 0", Products{N: 3, Terms: []Term{{Coeff: kOf(1)}}}, ts},
		{"degree 9", Product(3, 0, 1, 2, 0, 1, 2, 0, 1, 2), ts},
		{"general degree 0", badDegree{0, 3}, ts},
		{"general degree 9", badDegree{9, 3}, ts},
		{"lengths differ", Product(3, 0, 1, 2), [][]K{ts[0], ts[1], ts[2][:4]}},
		{"not a power of two", Product(3, 0, 1, 2), [][]K{ts[0][:6], ts[1][:6], ts[2][:6]}},
		{"empty tables", Product(3, 0, 1, 2), [][]K{{}, {}, {}}},
		{"same table twice", Product(2, 0, 1), [][]K{shared, shared}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Prove(context.Background(), transcript.New(protocol), K{}, tt.g, tt.tables)
			if !errors.Is(err, ErrShape) {
				t.Fatalf("Prove = %v, want ErrShape", err)
			}
		})
	}
	// With one variable the only round agrees with the claim: the lie shows
	// in the final check alone.
	for _, numVars := range []int{1, 4} {
		sq := randTables(rng, 1, numVars)
		if _, _, err := Prove(context.Background(), transcript.New(protocol), naiveSum(square{}, sq), square{}, sq); !errors.Is(err, ErrShape) {
			t.Errorf("Prove of a g above its stated degree, %d variables: %v, want ErrShape", numVars, err)
		}
	}
	if _, _, err := Prove(context.Background(), nil, K{}, Product(3, 0, 1, 2), ts); err == nil {
		t.Error("Prove with a nil transcript succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := Product(3, 0, 1, 2)
	if _, _, err := Prove(ctx, transcript.New(protocol), naiveSum(g, ts), g, ts); !errors.Is(err, context.Canceled) {
		t.Errorf("Prove with a cancelled context: %v", err)
	}
}

func TestVerifyShapeErrors(t *testing.T) {
	skipWithoutKernels(t)
	g := Product(3, 0, 1, 2)
	claim, proof := honest(t, g, 3)
	tests := []struct {
		name    string
		g       Composition
		numVars int
	}{
		{"nil composition", nil, 3},
		{"negative variables", g, -1},
		{"too many variables", g, MaxRounds + 1},
		{"degree 9", badDegree{9, 3}, 3},
		{"no tables", badDegree{3, 0}, 3},
		{"factor out of range", Product(3, 0, 1, 5), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Verify(transcript.New(protocol), claim, tt.g, tt.numVars, proof, trustEvals); !errors.Is(err, ErrShape) {
				t.Fatalf("Verify = %v, want ErrShape", err)
			}
		})
	}
	if _, err := Verify(nil, claim, g, 3, proof, trustEvals); err == nil {
		t.Error("Verify with a nil transcript succeeded")
	}
}

func TestInterpolate(t *testing.T) {
	rng := newRand(9)
	for d := 1; d <= MaxDegree; d++ {
		coeffs := make([]K, d+1)
		for i := range coeffs {
			coeffs[i] = randK(rng)
		}
		horner := func(x K) K {
			var v K
			for i := d; i >= 0; i-- {
				v.Mul(&v, &x)
				v.Add(&v, &coeffs[i])
			}
			return v
		}
		s := make([]K, d+1)
		for k := range s {
			s[k] = horner(kOf(uint64(k)))
		}
		for _, r := range []K{randK(rng), randK(rng), kOf(0), kOf(uint64(d)), kOf(uint64(d + 5))} {
			got, want := interpolate(s, r), horner(r)
			if !got.Equal(&want) {
				t.Fatalf("d=%d: interpolate at %s = %s, want %s", d, r.String(), got.String(), want.String())
			}
		}
	}
}

func TestProducts(t *testing.T) {
	rng := newRand(10)
	vals := []K{randK(rng), randK(rng), randK(rng)}
	p := Product(3, 0, 2, 2)
	if p.NumPolys() != 3 || p.Degree() != 3 {
		t.Fatalf("Product(3, 0, 2, 2): %d tables, degree %d", p.NumPolys(), p.Degree())
	}
	var want K
	want.Mul(&vals[0], &vals[2])
	want.Mul(&want, &vals[2])
	if got := p.Evaluate(vals); !got.Equal(&want) {
		t.Fatalf("Evaluate = %s, want %s", got.String(), want.String())
	}
	c := randK(rng)
	q := Products{N: 3, Terms: []Term{{Coeff: c}, {Coeff: c, Factors: []int{1}}}}
	var w K
	w.Mul(&c, &vals[1])
	w.Add(&w, &c)
	if got := q.Evaluate(vals); !got.Equal(&w) || q.Degree() != 1 {
		t.Fatalf("c + c·P1: Evaluate = %s (want %s), degree %d", got.String(), w.String(), q.Degree())
	}
}
