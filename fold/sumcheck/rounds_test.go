package sumcheck

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/transcript"
)

// phaseOne is a caller of ProveRounds that holds the tables of g itself:
// each round binds them to the previous challenge with mle.Bind and
// evaluates the round polynomial point by point from the definition,
// independently of Prove's prover.
type phaseOne struct {
	g      Composition
	tables [][]K
}

func (c *phaseOne) round(_ context.Context, i int, point, s []K) error {
	if len(point) != i {
		return fmt.Errorf("round %d got %d challenges", i, len(point))
	}
	if i > 0 {
		if err := c.bind(point[i-1]); err != nil {
			return err
		}
	}
	h := len(c.tables[0]) / 2
	vals := make([]K, len(c.tables))
	for x := range h {
		for t := range s {
			tt := kOf(uint64(t))
			for j, f := range c.tables {
				var slope K
				slope.Sub(&f[h+x], &f[x])
				slope.Mul(&slope, &tt)
				vals[j].Add(&f[x], &slope)
			}
			v := c.g.Evaluate(vals)
			s[t].Add(&s[t], &v)
		}
	}
	return nil
}

// bind fixes the tables' first remaining variable to r.
func (c *phaseOne) bind(r K) error {
	for j := range c.tables {
		var err error
		if c.tables[j], err = mle.Bind(c.tables[j], r); err != nil {
			return err
		}
	}
	return nil
}

// twoPhase is an honest two-phase proof of Σ_x g(P(x)) = claim: ProveRounds
// over the first k variables, then Prove over the rest with next as its
// claim, on one transcript.
type twoPhase struct {
	g       Composition
	ts      [][]K // the original tables
	claim   K
	k       int
	rounds  [][]K
	point   []K // ProveRounds' point
	next    K
	proof   *Proof
	point2  []K // Prove's point
	checkTr K   // a challenge drawn from the prover's transcript at the end
}

func proveTwoPhase(t *testing.T, g Composition, ts [][]K, k int) *twoPhase {
	t.Helper()
	_, d, err := shape(g)
	if err != nil {
		t.Fatal(err)
	}
	tp := &twoPhase{g: g, ts: ts, claim: naiveSum(g, ts), k: k}
	caller := &phaseOne{g: g, tables: cloneTables(ts)}
	tr := transcript.New(protocol)
	tp.rounds, tp.point, tp.next, err = ProveRounds(context.Background(), tr, tp.claim, d, k, caller.round)
	if err != nil {
		t.Fatalf("ProveRounds: %v", err)
	}
	if len(tp.rounds) != k || len(tp.point) != k {
		t.Fatalf("ProveRounds over %d variables: %d rounds, a point of %d", k, len(tp.rounds), len(tp.point))
	}
	if k > 0 {
		if err := caller.bind(tp.point[k-1]); err != nil {
			t.Fatal(err)
		}
	}
	// next is the sum of g over the remaining variables of the bound tables.
	if want := naiveSum(g, caller.tables); !tp.next.Equal(&want) {
		t.Fatalf("next = %s, the bound tables sum to %s", tp.next.String(), want.String())
	}
	tp.proof, tp.point2, err = Prove(context.Background(), tr, tp.next, g, caller.tables)
	if err != nil {
		t.Fatalf("Prove of phase 2: %v", err)
	}
	tp.checkTr = tr.ChallengeExt("after")
	return tp
}

// verify runs VerifyRounds and Verify of the two phases on a fresh
// transcript, with the caller's check of the phase-2 Evals against the
// original tables at the concatenated point, and returns that point.
func (tp *twoPhase) verify(claim K, rounds [][]K, proof *Proof) ([]K, *transcript.Transcript, error) {
	_, d, err := shape(tp.g)
	if err != nil {
		return nil, nil, err
	}
	numVars := mle.NumVars(len(tp.ts[0]))
	tr := transcript.New(protocol)
	point, next, err := VerifyRounds(tr, claim, d, tp.k, rounds)
	if err != nil {
		return nil, nil, err
	}
	at := tablesAt(tp.ts)
	var full []K
	_, err = Verify(tr, next, tp.g, numVars-tp.k, proof, func(point2, evals []K) error {
		full = append(slices.Clone(point), point2...)
		return at(full, evals)
	})
	return full, tr, err
}

func TestTwoPhase(t *testing.T) {
	skipWithoutKernels(t)
	rng := newRand(20)
	for _, d := range []int{1, 2, 4, MaxDegree} {
		for _, c := range shapes(rng, d) {
			for _, numVars := range []int{0, 1, 3, 6} {
				for _, k := range []int{0, 1, numVars / 2, numVars} {
					if k > numVars {
						continue
					}
					t.Run(fmt.Sprintf("d=%d/%s/vars=%d/k=%d", d, c.name, numVars, k), func(t *testing.T) {
						tp := proveTwoPhase(t, c.g, randTables(rng, c.g.NumPolys(), numVars), k)
						full, tr, err := tp.verify(tp.claim, tp.rounds, tp.proof)
						if err != nil {
							t.Fatalf("verify: %v", err)
						}
						if want := append(slices.Clone(tp.point), tp.point2...); !slices.Equal(full, want) {
							t.Fatalf("verifier point %v, prover point %v", full, want)
						}
						if got := tr.ChallengeExt("after"); !got.Equal(&tp.checkTr) {
							t.Fatal("prover and verifier transcripts end in different states")
						}
						// The rounds encode as a Proof without Evals.
						b, err := (&Proof{Rounds: tp.rounds}).MarshalBinary()
						if err != nil {
							t.Fatal(err)
						}
						var dec Proof
						if err := dec.UnmarshalBinary(b); err != nil {
							t.Fatal(err)
						}
						if _, _, err := tp.verify(tp.claim, dec.Rounds, tp.proof); err != nil {
							t.Fatalf("verify with decoded rounds: %v", err)
						}
					})
				}
			}
		}
	}
}

// TestRoundsAlone checks next directly, as Π_CCS's verifier would with no
// following sum-check: after ProveRounds over every variable it is g of the
// tables at the point.
func TestRoundsAlone(t *testing.T) {
	skipWithoutKernels(t)
	const numVars = 5
	g := rangeCheck{d: 4}
	ts := randTables(newRand(21), 2, numVars)
	claim := naiveSum(g, ts)
	caller := &phaseOne{g: g, tables: cloneTables(ts)}
	trP := transcript.New(protocol)
	rounds, pointP, nextP, err := ProveRounds(context.Background(), trP, claim, g.Degree(), numVars, caller.round)
	if err != nil {
		t.Fatal(err)
	}
	trV := transcript.New(protocol)
	pointV, nextV, err := VerifyRounds(trV, claim, g.Degree(), numVars, rounds)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pointP, pointV) || !nextP.Equal(&nextV) {
		t.Fatal("prover and verifier disagree on the point or next")
	}
	if cp, cv := trP.ChallengeExt("after"), trV.ChallengeExt("after"); !cp.Equal(&cv) {
		t.Fatal("prover and verifier transcripts end in different states")
	}
	vals := make([]K, len(ts))
	for j := range ts {
		if vals[j], err = mle.Evaluate(ts[j], pointV); err != nil {
			t.Fatal(err)
		}
	}
	if want := g.Evaluate(vals); !nextV.Equal(&want) {
		t.Fatalf("next = %s, g of the tables at the point is %s", nextV.String(), want.String())
	}
}

func TestRoundsSoundness(t *testing.T) {
	skipWithoutKernels(t)
	const numVars, k = 6, 3
	one := kOf(1)
	for _, g := range []Composition{Product(3, 0, 1, 2), rangeCheck{d: 4}} {
		tp := proveTwoPhase(t, g, randTables(newRand(22), g.NumPolys(), numVars), k)
		type mutation struct {
			name   string
			claim  K
			rounds [][]K
		}
		var ms []mutation
		add := func(name string, f func(r [][]K) [][]K) {
			r := make([][]K, len(tp.rounds))
			for i := range r {
				r[i] = slices.Clone(tp.rounds[i])
			}
			ms = append(ms, mutation{name, tp.claim, f(r)})
		}
		for i := range tp.rounds {
			for e := range tp.rounds[i] {
				add(fmt.Sprintf("round %d entry %d", i, e), func(r [][]K) [][]K { r[i][e].Add(&r[i][e], &one); return r })
			}
			add(fmt.Sprintf("round %d entry dropped", i), func(r [][]K) [][]K { r[i] = r[i][:len(r[i])-1]; return r })
			add(fmt.Sprintf("round %d entry added", i), func(r [][]K) [][]K { r[i] = append(r[i], one); return r })
			add(fmt.Sprintf("round %d dropped", i), func(r [][]K) [][]K { return slices.Delete(r, i, i+1) })
			add(fmt.Sprintf("round added before %d", i), func(r [][]K) [][]K { return slices.Insert(r, i, slices.Clone(r[i])) })
		}
		add("no rounds", func([][]K) [][]K { return nil })
		add("rounds swapped", func(r [][]K) [][]K { r[0], r[1] = r[1], r[0]; return r })
		var wrong K
		wrong.Add(&tp.claim, &one)
		ms = append(ms, mutation{"claim", wrong, tp.rounds})

		for _, m := range ms {
			t.Run(fmt.Sprintf("d=%d/%s", g.Degree(), m.name), func(t *testing.T) {
				if _, _, err := tp.verify(m.claim, m.rounds, tp.proof); !errors.Is(err, ErrReject) {
					t.Fatalf("verify = %v, want ErrReject", err)
				}
			})
		}
		if _, _, err := tp.verify(tp.claim, tp.rounds, tp.proof); err != nil {
			t.Fatalf("the unmodified proof: %v", err)
		}
	}
}

// The rounds of ProveRounds and those of Prove absorb different shape
// records, so neither replays as the other.
func TestRoundsDistinctFromProve(t *testing.T) {
	skipWithoutKernels(t)
	const numVars = 4
	g := Product(3, 0, 1, 2)
	ts := randTables(newRand(23), 3, numVars)
	claim := naiveSum(g, ts)
	proof, point, err := Prove(context.Background(), transcript.New(protocol), claim, g, cloneTables(ts))
	if err != nil {
		t.Fatal(err)
	}
	caller := &phaseOne{g: g, tables: cloneTables(ts)}
	rounds, rpoint, _, err := ProveRounds(context.Background(), transcript.New(protocol), claim, g.Degree(), numVars, caller.round)
	if err != nil {
		t.Fatal(err)
	}
	for i := range point {
		if point[i].Equal(&rpoint[i]) {
			t.Fatalf("Prove and ProveRounds of the same sum drew the same challenge %d", i)
		}
	}

	// Prove's rounds replayed by VerifyRounds land elsewhere than Prove's
	// point, where Evals no longer fit.
	vpoint, next, err := VerifyRounds(transcript.New(protocol), claim, g.Degree(), numVars, proof.Rounds)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(vpoint, point) {
		t.Fatal("VerifyRounds of Prove's rounds reached Prove's point")
	}
	if v := g.Evaluate(proof.Evals); v.Equal(&next) {
		t.Fatal("VerifyRounds of Prove's rounds promised g(Evals)")
	}

	// ProveRounds' rounds with the true evaluations at its point do not
	// verify as a full sum-check.
	if err := caller.bind(rpoint[numVars-1]); err != nil {
		t.Fatal(err)
	}
	evals := make([]K, len(caller.tables))
	for j := range evals {
		evals[j] = caller.tables[j][0]
	}
	if _, err := Verify(transcript.New(protocol), claim, g, numVars, &Proof{Rounds: rounds, Evals: evals}, trustEvals); !errors.Is(err, ErrReject) {
		t.Fatalf("Verify of ProveRounds' rounds: %v, want ErrReject", err)
	}
}

func TestProveRoundsErrors(t *testing.T) {
	skipWithoutKernels(t)
	const numVars = 4
	g := Product(2, 0, 1)
	ts := randTables(newRand(24), 2, numVars)
	claim := naiveSum(g, ts)
	one := kOf(1)
	prove := func(ctx context.Context, claim K, degree, numVars int, round func(context.Context, int, []K, []K) error) error {
		_, _, _, err := ProveRounds(ctx, transcript.New(protocol), claim, degree, numVars, round)
		return err
	}
	honestRound := func() func(context.Context, int, []K, []K) error {
		return (&phaseOne{g: g, tables: cloneTables(ts)}).round
	}

	var false1 K
	false1.Add(&claim, &one)
	if err := prove(context.Background(), false1, 2, numVars, honestRound()); !errors.Is(err, ErrClaim) {
		t.Errorf("a false claim: %v, want ErrClaim", err)
	}

	// A round that does not meet the previous one.
	r := honestRound()
	skew := func(ctx context.Context, i int, point, s []K) error {
		err := r(ctx, i, point, s)
		if i == 2 {
			s[0].Add(&s[0], &one)
		}
		return err
	}
	if err := prove(context.Background(), claim, 2, numVars, skew); !errors.Is(err, ErrShape) {
		t.Errorf("an inconsistent round 2: %v, want ErrShape", err)
	}
	// A round polynomial of degree 2 sent as degree 1: only its value at
	// 0 and 1 is right, so the next round does not meet it.
	if err := prove(context.Background(), claim, 1, numVars, honestRound()); !errors.Is(err, ErrShape) {
		t.Errorf("a degree-2 sum at degree 1: %v, want ErrShape", err)
	}

	errRound := errors.New("the caller's round failed")
	failing := func(_ context.Context, i int, _, _ []K) error {
		if i == 1 {
			return errRound
		}
		return nil
	}
	if err := prove(context.Background(), K{}, 2, numVars, failing); !errors.Is(err, errRound) {
		t.Errorf("a failing round: %v, want its error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := prove(ctx, claim, 2, numVars, honestRound()); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled context: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	r = honestRound()
	calls := 0
	cancelling := func(ctx context.Context, i int, point, s []K) error {
		calls++
		if i == 1 {
			cancel()
		}
		return r(ctx, i, point, s)
	}
	if err := prove(ctx, claim, 2, numVars, cancelling); !errors.Is(err, context.Canceled) || calls != 2 {
		t.Errorf("a context cancelled in round 1: %v after %d rounds, want context.Canceled after 2", err, calls)
	}

	for _, tc := range []struct {
		name            string
		degree, numVars int
		round           func(context.Context, int, []K, []K) error
	}{
		{"degree 0", 0, numVars, honestRound()},
		{"degree 9", MaxDegree + 1, numVars, honestRound()},
		{"negative variables", 2, -1, honestRound()},
		{"too many variables", 2, MaxRounds + 1, honestRound()},
		{"nil round", 2, numVars, nil},
	} {
		if err := prove(context.Background(), claim, tc.degree, tc.numVars, tc.round); !errors.Is(err, ErrShape) {
			t.Errorf("%s: %v, want ErrShape", tc.name, err)
		}
	}
	if _, _, _, err := ProveRounds(context.Background(), nil, claim, 2, numVars, honestRound()); !errors.Is(err, ErrShape) {
		t.Errorf("a nil transcript: %v, want ErrShape", err)
	}
}

func TestVerifyRoundsShapeErrors(t *testing.T) {
	rounds := make([][]K, 3)
	for i := range rounds {
		rounds[i] = make([]K, 2)
	}
	for _, tc := range []struct {
		name            string
		degree, numVars int
	}{
		{"degree 0", 0, 3},
		{"degree 9", MaxDegree + 1, 3},
		{"negative variables", 2, -1},
		{"too many variables", 2, MaxRounds + 1},
	} {
		if _, _, err := VerifyRounds(transcript.New(protocol), K{}, tc.degree, tc.numVars, rounds); !errors.Is(err, ErrShape) {
			t.Errorf("%s: %v, want ErrShape", tc.name, err)
		}
	}
	if _, _, err := VerifyRounds(nil, K{}, 2, 3, rounds); !errors.Is(err, ErrShape) {
		t.Errorf("a nil transcript: %v, want ErrShape", err)
	}
	if _, _, err := VerifyRounds(transcript.New(protocol), K{}, 2, 3, rounds); err != nil {
		t.Errorf("well-shaped rounds: %v", err)
	}
}
