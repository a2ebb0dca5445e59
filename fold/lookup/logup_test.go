package lookup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/internal/gltest"
)

func column(rng *rand.Rand, n int, bound uint64) []F {
	c := make([]F, n)
	for i := range c {
		c[i].SetUint64(rng.Uint64N(bound))
	}
	return c
}

// statement returns balanced groups: a lookup of 2^l inputs of width w into
// a table of 2^m rows, and a "write" group of 2^l leaves with numerators
// against a "read" group holding the same leaves in reverse order.
func statement(rng *rand.Rand, l, m, w int) []Group {
	table := make([][]F, w)
	table[0] = make([]F, 1<<m)
	for j := range table[0] {
		table[0][j].SetUint64(uint64(j)) // distinct rows
	}
	for k := 1; k < w; k++ {
		table[k] = column(rng, 1<<m, 1<<32)
	}
	inputs := make([][]F, w)
	for k := range inputs {
		inputs[k] = make([]F, 1<<l)
	}
	for i := range inputs[0] {
		j := rng.IntN(1 << m)
		for k := range inputs {
			inputs[k][i] = table[k][j]
		}
	}
	groups, err := Table("t", 5, inputs, table)
	if err != nil {
		panic(err)
	}
	n := 1 << l
	num := column(rng, n, 1<<8)
	tuple := make([][]F, w)
	for k := range tuple {
		tuple[k] = column(rng, n, 1<<32)
	}
	rnum := make([]F, n)
	rtuple := make([][]F, w)
	for i := range num {
		rnum[n-1-i] = num[i]
	}
	for k := range tuple {
		rtuple[k] = make([]F, n)
		for i := range tuple[k] {
			rtuple[k][n-1-i] = tuple[k][i]
		}
	}
	return append(groups,
		Group{Name: "write", Num: num, Tuple: tuple},
		Group{Name: "read", Num: rnum, Tuple: rtuple, Neg: true})
}

// bound returns a transcript into which the groups' columns are bound, as a
// caller binds their commitments.
func bound(groups []Group) *transcript.Transcript {
	tr := transcript.New("ssprove/lookup/test")
	for _, g := range groups {
		if g.Num != nil {
			tr.AppendField("num", g.Num...)
		}
		for _, c := range g.Tuple {
			tr.AppendField("column", c...)
		}
	}
	return tr
}

// claimsHold checks claims against the columns of groups, as a caller
// checks them against the commitments.
func claimsHold(groups []Group, claims []Claim) error {
	if len(claims) != len(groups) {
		return fmt.Errorf("%d claims for %d groups", len(claims), len(groups))
	}
	var one K
	one.SetOne()
	for i, g := range groups {
		c := &claims[i]
		if c.Group != g.Name {
			return fmt.Errorf("claim %d is on group %q, want %q", i, c.Group, g.Name)
		}
		if g.Num != nil {
			if err := c.CheckNum(g.Num); err != nil {
				return err
			}
		} else if !c.Num.Equal(&one) {
			return fmt.Errorf("group %q has no Num, its claim is %s", g.Name, c.Num.String())
		}
		for k, col := range g.Tuple {
			if err := c.CheckTuple(k, col); err != nil {
				return err
			}
		}
	}
	return nil
}

// proveVerify proves groups, verifies the proof, and checks that both
// sides return the same claims, that the claims hold on the columns and that
// the transcripts end in the same state.
func proveVerify(t *testing.T, groups []Group) (*Proof, []Claim) {
	t.Helper()
	ptr, vtr := bound(groups), bound(groups)
	proof, pclaims, err := Prove(context.Background(), ptr, groups)
	if err != nil {
		t.Fatalf("Prove: %v", err)
	}
	vclaims, err := Verify(vtr, Shapes(groups), proof)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !reflect.DeepEqual(pclaims, vclaims) {
		t.Fatalf("Prove and Verify return different claims:\n%v\n%v", pclaims, vclaims)
	}
	if err := claimsHold(groups, vclaims); err != nil {
		t.Fatalf("claims: %v", err)
	}
	if a, b := ptr.ChallengeExt("end"), vtr.ChallengeExt("end"); !a.Equal(&b) {
		t.Fatal("prover and verifier transcripts end in different states")
	}
	return proof, vclaims
}

func TestCompleteness(t *testing.T) {
	gltest.ForEachBackend(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for l := 0; l <= 12; l++ {
			for w := 1; w <= 4; w++ {
				if testing.Short() && l > 8 && w > 1 {
					continue
				}
				m := (l*5 + w) % 7
				t.Run(fmt.Sprintf("l=%d,m=%d,w=%d", l, m, w), func(t *testing.T) {
					proveVerify(t, statement(rng, l, m, w))
				})
			}
		}
	})
}

// TestSingleGroup covers statements of one group: all-zero numerators, and
// a group that is its own table (no numerators, not balanced, must fail).
func TestSingleGroup(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for l := range 5 {
		zero := Group{Name: "zero", Num: make([]F, 1<<l), Tuple: [][]F{column(rng, 1<<l, 100)}}
		proveVerify(t, []Group{zero})

		ones := Group{Name: "ones", Tuple: [][]F{column(rng, 1<<l, 100)}}
		_, _, err := Prove(context.Background(), bound(nil), []Group{ones})
		if !errors.Is(err, ErrUnbalanced) {
			t.Errorf("l=%d: Prove of an unbalanced group: %v, want ErrUnbalanced", l, err)
		}
	}
	proveVerify(t, nil)
}

// TestBatchSharesPoints checks that groups of the same size end at the same
// point, and groups of different sizes at points of their own sizes.
func TestBatchSharesPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	_, claims := proveVerify(t, statement(rng, 6, 3, 2))
	byName := map[string]Claim{}
	for _, c := range claims {
		byName[c.Group] = c
	}
	if len(byName["t/inputs"].Point) != 6 || len(byName["t/table"].Point) != 3 {
		t.Fatalf("points of %d and %d coordinates, want 6 and 3", len(byName["t/inputs"].Point), len(byName["t/table"].Point))
	}
	if !reflect.DeepEqual(byName["t/inputs"].Point, byName["write"].Point) {
		t.Fatal("groups of the same size end at different points")
	}
}

func TestReplay(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	groups := statement(rng, 5, 3, 3)
	var encs [2][]byte
	for i := range encs {
		proof, _, err := Prove(context.Background(), bound(groups), groups)
		if err != nil {
			t.Fatal(err)
		}
		if encs[i], err = proof.MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(encs[0], encs[1]) {
		t.Fatal("proving twice on the same transcript gives different proofs")
	}
}

// mutations lists, for a proof, a change to each value it holds.
func mutations(p *Proof) []struct {
	name string
	at   func(*Proof) *K
} {
	type m = struct {
		name string
		at   func(*Proof) *K
	}
	var out []m
	for g := range p.Roots {
		out = append(out,
			m{fmt.Sprintf("root %d P", g), func(p *Proof) *K { return &p.Roots[g].P }},
			m{fmt.Sprintf("root %d Q", g), func(p *Proof) *K { return &p.Roots[g].Q }})
	}
	for k, l := range p.Layers {
		for i, s := range l.Rounds {
			for j := range s {
				out = append(out, m{fmt.Sprintf("layer %d round %d entry %d", k, i, j),
					func(p *Proof) *K { return &p.Layers[k].Rounds[i][j] }})
			}
		}
		for e := range l.Evals {
			out = append(out, m{fmt.Sprintf("layer %d eval %d", k, e),
				func(p *Proof) *K { return &p.Layers[k].Evals[e] }})
		}
	}
	for g, tu := range p.Tuples {
		for k := range tu {
			out = append(out, m{fmt.Sprintf("group %d tuple %d", g, k),
				func(p *Proof) *K { return &p.Tuples[g][k] }})
		}
	}
	return out
}

func clone(t testing.TB, p *Proof) *Proof {
	t.Helper()
	enc, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var q Proof
	if err := q.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	return &q
}

func TestSoundnessEveryValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	groups := statement(rng, 3, 2, 2)
	groups = append(groups, // groups of no variables, with and without Num
		Group{Name: "single+", Num: column(rng, 1, 10), Tuple: [][]F{column(rng, 1, 10)}},
		Group{Name: "single-", Tuple: [][]F{column(rng, 1, 10)}})
	groups[len(groups)-2].Num[0].SetOne()
	groups[len(groups)-2].Tuple[0] = append([]F(nil), groups[len(groups)-1].Tuple[0]...)
	groups[len(groups)-1].Neg = true
	proof, _ := proveVerify(t, groups)

	var one K
	one.SetOne()
	muts := mutations(proof)
	if len(muts) < 50 {
		t.Fatalf("only %d values in the proof", len(muts))
	}
	for _, mu := range muts {
		bad := clone(t, proof)
		x := mu.at(bad)
		x.Add(x, &one)
		claims, err := Verify(bound(groups), Shapes(groups), bad)
		if !errors.Is(err, ErrReject) {
			cerr := claimsHold(groups, claims)
			t.Errorf("%s changed: Verify returns %v, the claims check %v", mu.name, err, cerr)
		}
	}
}

// TestColumnChangedAfterChallenge: a prover that binds one column and proves
// another (balanced) one gets a proof through Verify, but the claims do not
// hold on the column it bound.
func TestColumnChangedAfterChallenge(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	groups := statement(rng, 4, 2, 2)
	tr := bound(groups)
	vtr := tr.Clone()

	forged := make([]Group, len(groups))
	copy(forged, groups)
	for i, g := range forged {
		if g.Name == "write" || g.Name == "read" {
			forged[i].Tuple = [][]F{append([]F(nil), g.Tuple[0]...), g.Tuple[1]}
		}
	}
	var one F
	one.SetOne()
	n := len(forged[2].Tuple[0])
	forged[2].Tuple[0][0].Add(&forged[2].Tuple[0][0], &one) // write
	forged[3].Tuple[0][n-1].Add(&forged[3].Tuple[0][n-1], &one)

	proof, _, err := Prove(context.Background(), tr, forged)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := Verify(vtr, Shapes(groups), proof)
	if err != nil {
		t.Fatalf("Verify: %v (the forged statement is balanced)", err)
	}
	if err := claimsHold(forged, claims); err != nil {
		t.Fatalf("the claims do not hold on the columns proven: %v", err)
	}
	if err := claimsHold(groups, claims); !errors.Is(err, ErrReject) {
		t.Fatalf("the claims checked against the bound columns: %v, want ErrReject", err)
	}
}

func TestShapeMismatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	groups := statement(rng, 3, 2, 2)
	proof, _ := proveVerify(t, groups)
	for _, tc := range []struct {
		name   string
		change func([]Shape) []Shape
	}{
		{"fewer groups", func(s []Shape) []Shape { return s[1:] }},
		{"more groups", func(s []Shape) []Shape { return append(s, Shape{Name: "x", Width: 1}) }},
		{"more variables", func(s []Shape) []Shape { s[0].Vars++; return s }},
		{"fewer variables", func(s []Shape) []Shape { s[1].Vars--; return s }},
		{"deeper table", func(s []Shape) []Shape { s[1].Vars = 4; return s }},
		{"wider", func(s []Shape) []Shape { s[0].Width++; return s }},
		{"narrower", func(s []Shape) []Shape { s[2].Width--; return s }},
		{"numerators added", func(s []Shape) []Shape { s[0].HasNum = true; return s }},
		{"numerators dropped", func(s []Shape) []Shape { s[1].HasNum = false; return s }},
		{"sign", func(s []Shape) []Shape { s[3].Neg = false; return s }},
		{"name", func(s []Shape) []Shape { s[2].Name = "other"; return s }},
		{"order", func(s []Shape) []Shape { s[2], s[3] = s[3], s[2]; return s }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shapes := tc.change(Shapes(groups))
			if _, err := Verify(bound(groups), shapes, proof); !errors.Is(err, ErrReject) {
				t.Fatalf("Verify: %v, want ErrReject", err)
			}
		})
	}
}

func TestStructureRejected(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	groups := statement(rng, 3, 2, 2)
	proof, _ := proveVerify(t, groups)
	for _, tc := range []struct {
		name   string
		change func(*Proof)
	}{
		{"nil", nil},
		{"root dropped", func(p *Proof) { p.Roots = p.Roots[1:] }},
		{"layer dropped", func(p *Proof) { p.Layers = p.Layers[:2] }},
		{"layer added", func(p *Proof) { p.Layers = append(p.Layers, p.Layers[2]) }},
		{"round dropped", func(p *Proof) { p.Layers[2].Rounds = p.Layers[2].Rounds[1:] }},
		{"round entry dropped", func(p *Proof) { p.Layers[1].Rounds[0] = p.Layers[1].Rounds[0][1:] }},
		{"eval dropped", func(p *Proof) { p.Layers[1].Evals = p.Layers[1].Evals[1:] }},
		{"eval added", func(p *Proof) { p.Layers[0].Evals = append(p.Layers[0].Evals, K{}) }},
		{"tuple dropped", func(p *Proof) { p.Tuples = p.Tuples[1:] }},
		{"tuple entry dropped", func(p *Proof) { p.Tuples[2] = p.Tuples[2][1:] }},
		{"zero root", func(p *Proof) { p.Roots[0] = Fraction{} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var bad *Proof
			if tc.change != nil {
				bad = clone(t, proof)
				tc.change(bad)
			}
			if _, err := Verify(bound(groups), Shapes(groups), bad); !errors.Is(err, ErrReject) {
				t.Fatalf("Verify: %v, want ErrReject", err)
			}
		})
	}
}

func TestProveBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	c4 := func() []F { return column(rng, 4, 10) }
	for _, tc := range []struct {
		name   string
		groups []Group
	}{
		{"no columns", []Group{{Name: "a"}}},
		{"too wide", []Group{{Name: "a", Tuple: make([][]F, MaxWidth+1)}}},
		{"empty column", []Group{{Name: "a", Tuple: [][]F{{}}}}},
		{"not a power of two", []Group{{Name: "a", Tuple: [][]F{column(rng, 3, 10)}}}},
		{"columns differ", []Group{{Name: "a", Tuple: [][]F{c4(), column(rng, 8, 10)}}}},
		{"Num differs", []Group{{Name: "a", Num: column(rng, 2, 10), Tuple: [][]F{c4()}}}},
		{"empty Num", []Group{{Name: "a", Num: []F{}, Tuple: [][]F{c4()}}}},
		{"same name", []Group{{Name: "a", Tuple: [][]F{c4()}}, {Name: "a", Tuple: [][]F{c4()}, Neg: true}}},
		{"too many", make([]Group, MaxGroups+1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Prove(context.Background(), bound(nil), tc.groups); !errors.Is(err, ErrShape) {
				t.Fatalf("Prove: %v, want ErrShape", err)
			}
		})
	}
	if _, _, err := Prove(context.Background(), nil, nil); !errors.Is(err, ErrShape) {
		t.Fatalf("Prove with a nil transcript: %v, want ErrShape", err)
	}
	for _, shapes := range [][]Shape{
		{{Name: "a", Vars: MaxVars + 1, Width: 1}},
		{{Name: "a", Vars: -1, Width: 1}},
		{{Name: "a", Width: 0}},
		{{Name: "a", Width: MaxWidth + 1}},
		{{Name: "a", Width: 1}, {Name: "a", Width: 1}},
		make([]Shape, MaxGroups+1),
	} {
		if _, err := Verify(bound(nil), shapes, &Proof{}); !errors.Is(err, ErrShape) {
			t.Errorf("Verify for %d shapes: %v, want ErrShape", len(shapes), err)
		}
	}
}

func TestProveCancelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	groups := statement(rng, 4, 2, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Prove(ctx, bound(groups), groups); !errors.Is(err, context.Canceled) {
		t.Fatalf("Prove: %v, want context.Canceled", err)
	}
}

func TestEncodingRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	groups := statement(rng, 4, 3, 3)
	proof, _ := proveVerify(t, groups)
	enc, err := proof.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var dec Proof
	if err := dec.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&dec, proof) {
		t.Fatal("decoding an encoded proof gives another proof")
	}
	if _, err := Verify(bound(groups), Shapes(groups), &dec); err != nil {
		t.Fatalf("Verify of the decoded proof: %v", err)
	}
	for n := range enc {
		if err := new(Proof).UnmarshalBinary(enc[:n]); !errors.Is(err, ErrEncoding) {
			t.Fatalf("decoding the first %d of %d bytes: %v, want ErrEncoding", n, len(enc), err)
		}
	}
	if err := new(Proof).UnmarshalBinary(append(enc, 0)); !errors.Is(err, ErrEncoding) {
		t.Fatalf("decoding with a trailing byte: %v, want ErrEncoding", err)
	}
	bad := bytes.Clone(enc)
	for i := 5; i < 13; i++ {
		bad[i] = 0xFF // the first root's P.A0 is at or above q
	}
	if err := new(Proof).UnmarshalBinary(bad); !errors.Is(err, ErrEncoding) {
		t.Fatalf("decoding a word above q: %v, want ErrEncoding", err)
	}
}

func FuzzUnmarshal(f *testing.F) {
	groups := statement(rand.New(rand.NewPCG(23, 24)), 3, 2, 2)
	proof, _, err := Prove(context.Background(), bound(groups), groups)
	if err != nil {
		f.Fatal(err)
	}
	enc, err := proof.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enc)
	f.Add(enc[:len(enc)/2])
	f.Add([]byte{})
	f.Add([]byte{encodingVersion, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Add([]byte{encodingVersion, 0, 0, 0, 0, 32})
	shapes := Shapes(groups)
	tr := bound(groups)
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Proof
		if err := p.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrEncoding) {
				t.Fatalf("decode error %v does not wrap ErrEncoding", err)
			}
			return
		}
		again, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("re-encoding a decoded proof: %v", err)
		}
		if !bytes.Equal(again, data) {
			t.Fatal("the encoding is not canonical: a decoded proof encodes to other bytes")
		}
		if _, err := Verify(tr.Clone(), shapes, &p); err != nil && !errors.Is(err, ErrReject) {
			t.Fatalf("Verify of a decoded proof: %v, want nil or ErrReject", err)
		}
	})
}

// TestWidthTerminator: tuples of different widths whose entries agree but
// for trailing zeros are different tuples. Before the fingerprint ended
// every tuple with γ^W, (5, 9) and (5, 9, 0) had the same one.
func TestWidthTerminator(t *testing.T) {
	for _, tc := range []struct {
		name   string
		groups []Group
	}{
		{"(5, 9) against (5, 9, 0)", []Group{
			{Name: "a", Tuple: [][]F{fes(5), fes(9)}},
			{Name: "b", Tuple: [][]F{fes(5), fes(9), fes(0)}, Neg: true},
		}},
		{"(x) against (x, 0, 0)", []Group{
			{Name: "a", Num: fes(3, 1), Tuple: [][]F{fes(4, 8)}},
			{Name: "b", Num: fes(1, 3), Tuple: [][]F{fes(8, 4), fes(0, 0), fes(0, 0)}, Neg: true},
		}},
		// A lookup of 5 into the bit table {0, 1}, absorbed by the row
		// (5, 0) of a table of pairs, whose multiplicity counts it.
		{"bit table and pair table", []Group{
			{Name: "bit/inputs", Tuple: [][]F{fes(1, 5)}},
			{Name: "bit/table", Num: fes(0, 1), Tuple: [][]F{fes(0, 1)}, Neg: true},
			{Name: "pair/inputs", Tuple: [][]F{fes(6, 6), fes(0, 0)}},
			{Name: "pair/table", Num: fes(1, 2), Tuple: [][]F{fes(5, 6), fes(0, 0)}, Neg: true},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s := fractionSum(t, tc.groups); s.IsZero() {
				t.Fatal("the fractions add to 0")
			}
			if _, _, err := Prove(context.Background(), bound(tc.groups), tc.groups); !errors.Is(err, ErrUnbalanced) {
				t.Fatalf("Prove: %v, want ErrUnbalanced", err)
			}
			if _, err := Verify(bound(tc.groups), Shapes(tc.groups), proveUnchecked(t, tc.groups)); !errors.Is(err, ErrReject) {
				t.Fatalf("Verify of the proof of the false statement: %v, want ErrReject", err)
			}
		})
	}
}

// TestConstantColumns: the prover takes constant columns (the tags) out of
// the per-leaf work and does not evaluate them; the claims must still be
// the columns' evaluations, wherever the constant columns are.
func TestConstantColumns(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	for _, pattern := range []string{"c", "cv", "vc", "cvc", "vcv", "ccc", "cccv", "vvcc"} {
		t.Run(pattern, func(t *testing.T) {
			const n = 1 << 5
			tuple := make([][]F, len(pattern))
			for k, kind := range pattern {
				if kind == 'c' {
					tuple[k] = constant(n, fe(rng.Uint64N(1<<32)))
				} else {
					tuple[k] = column(rng, n, 1<<32)
				}
			}
			num := column(rng, n, 1<<8)
			perm := rng.Perm(n)
			rnum, rtuple := make([]F, n), columns(len(tuple), n)
			for i, j := range perm {
				rnum[j] = num[i]
				for k := range tuple {
					rtuple[k][j] = tuple[k][i]
				}
			}
			proveVerify(t, []Group{
				{Name: "write", Num: num, Tuple: tuple},
				{Name: "read", Num: rnum, Tuple: rtuple, Neg: true},
			})
		})
	}
}
