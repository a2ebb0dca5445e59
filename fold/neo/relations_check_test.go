package neo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

// relCase is one CCS with a satisfying assignment and the commitment key
// for it, shared by the relation and Π_DEC tests.
type relCase struct {
	name string
	s    *ccs.CCS
	z    []goldilocks.Element
	pp   *ajtai.PublicParams
	// core is the number of constraints whose output column is z[outBase+i];
	// rows core… repeat earlier ones, so that n can exceed m.
	core, outBase int
}

// relR1CS returns a satisfiable R1CS (A·z)∘(B·z) = C·z over z = (1, inputs,
// outputs), one output per core row, plus extra rows that repeat core rows.
// With small set, A and B read only the constant and the inputs, with
// coefficients in {−2, …, 2} and inputs in {−3, …, 3}, so every value stays
// below 2^54 and embeds with b = 2; otherwise everything is a random field
// element, which needs b = 3.
func relR1CS(t testing.TB, rng *rand.Rand, core, inputs, extra int, small bool) (*ccs.CCS, []goldilocks.Element) {
	t.Helper()
	n := 1 + inputs + core
	z := make([]goldilocks.Element, n)
	z[0].SetOne()
	val := func() goldilocks.Element {
		var x goldilocks.Element
		if small {
			x.SetInt64(int64(rng.IntN(5)) - 2)
		} else {
			x.SetUint64(rng.Uint64())
		}
		return x
	}
	for j := 1; j <= inputs; j++ {
		z[j] = val()
		if small {
			z[j].SetInt64(int64(rng.IntN(7)) - 3)
		}
	}
	var es [3][]mle.Entry
	rows := make([][3][]mle.Entry, 0, core+extra)
	for i := range core {
		out := 1 + inputs + i
		reach := out
		if small {
			reach = 1 + inputs
		}
		var row [3][]mle.Entry
		var ab [2]goldilocks.Element
		for k := range 2 {
			for range 1 + rng.IntN(2) {
				e := mle.Entry{Col: rng.IntN(reach), Val: val()}
				row[k] = append(row[k], e)
				var p goldilocks.Element
				p.Mul(&e.Val, &z[e.Col])
				ab[k].Add(&ab[k], &p)
			}
		}
		var one goldilocks.Element
		one.SetOne()
		row[2] = []mle.Entry{{Col: out, Val: one}}
		z[out].Mul(&ab[0], &ab[1])
		rows = append(rows, row)
	}
	for range extra {
		rows = append(rows, rows[rng.IntN(core)])
	}
	for i, row := range rows {
		for k := range 3 {
			for _, e := range row[k] {
				e.Row = i
				es[k] = append(es[k], e)
			}
		}
	}
	var ms [3]*mle.Sparse
	for k := range ms {
		var err error
		if ms[k], err = mle.NewSparse(len(rows), n, es[k]); err != nil {
			t.Fatal(err)
		}
	}
	s, err := ccs.FromR1CS(ms[0], ms[1], ms[2], 1+inputs/2)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(z); err != nil {
		t.Fatal(err)
	}
	return s, z
}

func relSeed() []byte {
	seed := make([]byte, ajtai.SeedSize)
	for i := range seed {
		seed[i] = byte(7 * i)
	}
	return seed
}

// relCases returns the CCS shapes the tests run on: b = 2 and b = 3, n < m
// and n > m, neither a power of two.
func relCases(t testing.TB) []relCase {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var cs []relCase
	for _, tc := range []struct {
		name                string
		core, inputs, extra int
		small               bool
		params              func(int) ajtai.Params
	}{
		{"b2/wide", 9, 6, 0, true, ajtai.Goldilocks},
		{"b2/tall", 5, 3, 20, true, ajtai.Goldilocks},
		{"b3/wide", 6, 4, 0, false, ajtai.GoldilocksTernary},
		{"b3/tall", 4, 2, 11, false, ajtai.GoldilocksTernary},
	} {
		s, z := relR1CS(t, rng, tc.core, tc.inputs, tc.extra, tc.small)
		pp, err := ajtai.Setup(context.Background(), tc.params(s.NumVariables()), relSeed())
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, relCase{name: tc.name, s: s, z: z, pp: pp, core: tc.core, outBase: 1 + tc.inputs})
	}
	return cs
}

// embed returns Decomp_b(z) as int8 digits.
func embed(t testing.TB, z []goldilocks.Element, b uint64) []int8 {
	t.Helper()
	Z, err := decomp.Embed(z, b, ring.D)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int8, len(Z))
	for i := range Z {
		out[i] = int8(ring.Signed(Z[i]))
	}
	return out
}

func commitDigits(t testing.TB, pp *ajtai.PublicParams, Z []int8) ajtai.Commitment {
	t.Helper()
	cs, err := pp.CommitDigits(context.Background(), [][]int8{Z})
	if err != nil {
		t.Fatal(err)
	}
	return cs[0]
}

// honestMCS returns the MCS of tc's assignment and its witness.
func honestMCS(t testing.TB, tc relCase) (MCS, MCSWitness) {
	t.Helper()
	Z := embed(t, tc.z, tc.pp.Params().Base)
	return MCS{C: commitDigits(t, tc.pp, Z), X: tc.z[:tc.s.NumPublic()]}, MCSWitness{Z: Z}
}

func randomPoint(rng *rand.Rand, n int) []K {
	r := make([]K, n)
	for i := range r {
		r[i].A0.SetUint64(rng.Uint64())
		r[i].A1.SetUint64(rng.Uint64())
	}
	return r
}

// refWeights computes v_0…v_t without EqTable or MulVecTK: χ_r[i] is
// mle.Eq(bits of i, r), and v_j[c] = Σ over M_j's entries of M_j[i][c]·χ_r[i].
func refWeights(t testing.TB, s *ccs.CCS, r []K) [][]K {
	t.Helper()
	m := s.NumVariables()
	chi := func(i int) K {
		x := make([]K, len(r))
		for k := range x {
			if i>>(len(r)-1-k)&1 == 1 {
				x[k].SetOne()
			}
		}
		e, err := mle.Eq(x, r)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	vs := make([][]K, 1, 1+len(s.Matrices()))
	vs[0] = make([]K, m)
	for c := range m {
		vs[0][c] = chi(c)
	}
	for _, mj := range s.Matrices() {
		v := make([]K, m)
		for e := range mj.Entries() {
			var p K
			x := chi(e.Row)
			p.MulByElement(&x, &e.Val)
			v[e.Col].Add(&v[e.Col], &p)
		}
		vs = append(vs, v)
	}
	return vs
}

// refProducts is y[j][ρ] = Σ_c Z[ρ,c]·v_j[c] with one product in K per entry.
func refProducts(Z []int32, vs [][]K) [][]K {
	ys := make([][]K, len(vs))
	for j, v := range vs {
		ys[j] = make([]K, ring.D)
		for c := range v {
			for ρ := range ring.D {
				var e goldilocks.Element
				e.SetInt64(int64(Z[c*ring.D+ρ]))
				var p K
				p.MulByElement(&v[c], &e)
				ys[j][ρ].Add(&ys[j][ρ], &p)
			}
		}
	}
	return ys
}

func widen(Z []int8) []int32 {
	out := make([]int32, len(Z))
	for i, δ := range Z {
		out[i] = int32(δ)
	}
	return out
}

// honestClaim returns the ME claim at a random point about Z, built with the
// reference evaluator.
func honestClaim(t testing.TB, rng *rand.Rand, tc relCase, Z []int8) Claim {
	t.Helper()
	r := randomPoint(rng, mle.NumVars(max(tc.s.NumVariables(), tc.s.NumConstraints())))
	X := make([]goldilocks.Element, ring.D*tc.s.NumPublic())
	for i := range X {
		X[i] = digitElement(Z[i])
	}
	return Claim{C: commitDigits(t, tc.pp, Z), X: X, R: r, Y: refProducts(widen(Z), refWeights(t, tc.s, r))}
}

func TestCheckMCS(t *testing.T) {
	ctx := context.Background()
	for _, tc := range relCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			b := int8(tc.pp.Params().Base)
			inst, wit := honestMCS(t, tc)
			if err := CheckMCS(ctx, tc.pp, tc.s, inst, wit); err != nil {
				t.Fatalf("honest MCS: %v", err)
			}
			mIn := tc.s.NumPublic()
			// recommit keeps a corrupted witness committed, so that only the
			// intended check can fail.
			recommit := func(inst MCS, wit MCSWitness) (MCS, MCSWitness) {
				inst.C = commitDigits(t, tc.pp, wit.Z)
				return inst, wit
			}
			for _, bad := range []struct {
				name   string
				mutate func(MCS, MCSWitness) (MCS, MCSWitness)
				want   error
				substr string
			}{
				{"short C", func(i MCS, w MCSWitness) (MCS, MCSWitness) { i.C = i.C[1:]; return i, w }, ErrShape, "κ"},
				{"long X", func(i MCS, w MCSWitness) (MCS, MCSWitness) {
					i.X = append(clone(i.X), goldilocks.Element{})
					return i, w
				}, ErrShape, "m_in"},
				{"short Z", func(i MCS, w MCSWitness) (MCS, MCSWitness) { w.Z = w.Z[:len(w.Z)-1]; return i, w }, ErrShape, "d·m"},
				{"digit b", func(i MCS, w MCSWitness) (MCS, MCSWitness) {
					w.Z = clone(w.Z)
					w.Z[len(w.Z)-3] = b
					return recommit(i, w)
				}, ErrNorm, fmt.Sprintf("holds %d", b)},
				{"digit -b, before the commitment", func(i MCS, w MCSWitness) (MCS, MCSWitness) {
					w.Z = clone(w.Z)
					w.Z[len(w.Z)-3] = -b
					return i, w
				}, ErrNorm, fmt.Sprintf("holds %d", -b)},
				{"non-canonical constant", func(i MCS, w MCSWitness) (MCS, MCSWitness) {
					// z_0 = 1 as −1 + b·1: the same value, other digits.
					w.Z = clone(w.Z)
					w.Z[0], w.Z[1] = 1-b, 1
					return recommit(i, w)
				}, ErrPublic, "digit 0 of public input 0"},
				{"x changed", func(i MCS, w MCSWitness) (MCS, MCSWitness) {
					i.X = clone(i.X)
					i.X[mIn-1].Add(&i.X[mIn-1], new(goldilocks.Element).SetOne())
					return i, w
				}, ErrPublic, fmt.Sprintf("public input %d", mIn-1)},
				// Beyond 2^54 for b = 2, where Embed fails; other digits for b = 3.
				{"x of 2^60", func(i MCS, w MCSWitness) (MCS, MCSWitness) {
					i.X = clone(i.X)
					i.X[0].SetUint64(1 << 60)
					return i, w
				}, ErrPublic, ""},
				{"commitment", func(i MCS, w MCSWitness) (MCS, MCSWitness) {
					i.C = clone(i.C)
					i.C[3][17].Add(&i.C[3][17], new(goldilocks.Element).SetOne())
					return i, w
				}, ErrCommitment, "ring element 3"},
			} {
				t.Run(bad.name, func(t *testing.T) {
					i, w := bad.mutate(inst, MCSWitness{Z: wit.Z})
					err := CheckMCS(ctx, tc.pp, tc.s, i, w)
					if !errors.Is(err, bad.want) {
						t.Fatalf("got %v, want %v", err, bad.want)
					}
					if !strings.Contains(fmt.Sprint(err), bad.substr) {
						t.Fatalf("%v does not say %q", err, bad.substr)
					}
				})
			}
			// An unsatisfied row: output i of core row i off by one, every
			// other check passing.
			row := tc.core / 2
			w := clone(wit.Z)
			col := tc.outBase + row
			z := clone(tc.z)
			z[col].Add(&z[col], new(goldilocks.Element).SetOne())
			copy(w[col*ring.D:(col+1)*ring.D], embed(t, z[col:col+1], tc.pp.Params().Base))
			i, wi := recommit(inst, MCSWitness{Z: w})
			err := CheckMCS(ctx, tc.pp, tc.s, i, wi)
			var ue *ccs.UnsatisfiedError
			if !errors.Is(err, ErrUnsatisfied) || !errors.Is(err, ccs.ErrUnsatisfied) || !errors.As(err, &ue) {
				t.Fatalf("unsatisfied row: got %v", err)
			}
			if ue.Row != row {
				t.Fatalf("unsatisfied: error names row %d, want %d: %v", ue.Row, row, err)
			}
		})
	}
}

func clone[T any](s []T) []T { return append([]T(nil), s...) }

func TestCheckMCSParamsMismatch(t *testing.T) {
	tc := relCases(t)[0]
	pp, err := ajtai.Setup(context.Background(), ajtai.Goldilocks(tc.s.NumVariables()+1), relSeed())
	if err != nil {
		t.Fatal(err)
	}
	inst, wit := honestMCS(t, tc)
	if err := CheckMCS(context.Background(), pp, tc.s, inst, wit); !errors.Is(err, ErrShape) {
		t.Fatalf("key for m+1 columns: got %v, want ErrShape", err)
	}
	if err := CheckClaim(context.Background(), pp, tc.s, 2, Claim{}, wit.Z); !errors.Is(err, ErrShape) {
		t.Fatalf("key for m+1 columns: got %v, want ErrShape", err)
	}
}

func TestCheckMCSCancelled(t *testing.T) {
	tc := relCases(t)[0]
	inst, wit := honestMCS(t, tc)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := CheckMCS(ctx, tc.pp, tc.s, inst, wit); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestCheckClaim(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range relCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			b := int(tc.pp.Params().Base)
			_, wit := honestMCS(t, tc)
			// A witness that satisfies nothing: claims need no CCS solution.
			random := make([]int8, len(wit.Z))
			for i := range random {
				random[i] = int8(rng.IntN(2*b-1) - (b - 1))
			}
			for _, Z := range [][]int8{wit.Z, random} {
				c := honestClaim(t, rng, tc, Z)
				if err := CheckClaim(ctx, tc.pp, tc.s, b, c, Z); err != nil {
					t.Fatalf("honest claim: %v", err)
				}
				ys, err := Evaluations(tc.s, Z, c.R)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(ys) != fmt.Sprint(c.Y) {
					t.Fatal("Evaluations differs from the reference")
				}
			}
			c := honestClaim(t, rng, tc, random)
			Z := random
			for _, bad := range []struct {
				name   string
				mutate func(Claim, []int8) (Claim, []int8)
				want   error
				substr string
			}{
				{"short C", func(c Claim, Z []int8) (Claim, []int8) { c.C = c.C[:len(c.C)-1]; return c, Z }, ErrShape, "κ"},
				{"short X", func(c Claim, Z []int8) (Claim, []int8) { c.X = c.X[1:]; return c, Z }, ErrShape, "d·m_in"},
				{"long R", func(c Claim, Z []int8) (Claim, []int8) { c.R = append(clone(c.R), K{}); return c, Z }, ErrShape, "ℓ_n"},
				{"short Y", func(c Claim, Z []int8) (Claim, []int8) { c.Y = c.Y[1:]; return c, Z }, ErrShape, "t+1"},
				{"short Y[2]", func(c Claim, Z []int8) (Claim, []int8) {
					c.Y = clone(c.Y)
					c.Y[2] = c.Y[2][1:]
					return c, Z
				}, ErrShape, "Y[2]"},
				{"long Z", func(c Claim, Z []int8) (Claim, []int8) { return c, append(clone(Z), 0) }, ErrShape, "d·m"},
				{"digit b", func(c Claim, Z []int8) (Claim, []int8) {
					Z = clone(Z)
					Z[len(Z)-1] = int8(b)
					c.C = commitDigits(t, tc.pp, Z)
					return c, Z
				}, ErrNorm, fmt.Sprintf("column %d", len(Z)/ring.D-1)},
				{"commitment", func(c Claim, Z []int8) (Claim, []int8) {
					c.C = clone(c.C)
					c.C[0][0].Add(&c.C[0][0], new(goldilocks.Element).SetOne())
					return c, Z
				}, ErrCommitment, "ring element 0"},
				{"X", func(c Claim, Z []int8) (Claim, []int8) {
					c.X = clone(c.X)
					c.X[ring.D+5].Add(&c.X[ring.D+5], new(goldilocks.Element).SetOne())
					return c, Z
				}, ErrPublic, "row 5 of column 1"},
				{"Y[3][40]", func(c Claim, Z []int8) (Claim, []int8) {
					c.Y = clone(c.Y)
					c.Y[3] = clone(c.Y[3])
					c.Y[3][40].A1.Add(&c.Y[3][40].A1, new(goldilocks.Element).SetOne())
					return c, Z
				}, ErrEvaluation, "Y[3][40]"},
				{"Y[0][0]", func(c Claim, Z []int8) (Claim, []int8) {
					c.Y = clone(c.Y)
					c.Y[0] = clone(c.Y[0])
					c.Y[0][0].A0.Add(&c.Y[0][0].A0, new(goldilocks.Element).SetOne())
					return c, Z
				}, ErrEvaluation, "Y[0][0]"},
			} {
				t.Run(bad.name, func(t *testing.T) {
					cc, ZZ := bad.mutate(c, Z)
					err := CheckClaim(ctx, tc.pp, tc.s, b, cc, ZZ)
					if !errors.Is(err, bad.want) {
						t.Fatalf("got %v, want %v", err, bad.want)
					}
					if !strings.Contains(fmt.Sprint(err), bad.substr) {
						t.Fatalf("%v does not say %q", err, bad.substr)
					}
				})
			}
			if err := CheckClaim(ctx, tc.pp, tc.s, 0, c, Z); !errors.Is(err, ErrNorm) {
				t.Fatalf("bound 0: got %v, want ErrNorm", err)
			}
			// The same digits pass a larger bound, as ME(B) claims with
			// small digits do.
			if err := CheckClaim(ctx, tc.pp, tc.s, int(tc.pp.Params().Bound), c, Z); err != nil {
				t.Fatalf("bound B: %v", err)
			}
		})
	}
}

func TestColumnWeightsShape(t *testing.T) {
	tc := relCases(t)[1]
	ell := mle.NumVars(max(tc.s.NumVariables(), tc.s.NumConstraints()))
	for _, n := range []int{0, ell - 1, ell + 1} {
		if _, err := ColumnWeights(tc.s, make([]K, n)); !errors.Is(err, ErrShape) {
			t.Errorf("point of %d coordinates: got %v, want ErrShape", n, err)
		}
	}
	if _, err := Evaluations(tc.s, make([]int8, 3), make([]K, ell)); !errors.Is(err, ErrShape) {
		t.Errorf("Z of 3 digits: got %v, want ErrShape", err)
	}
}

func ajtaiSetup(m int) (*ajtai.PublicParams, error) {
	return ajtai.Setup(context.Background(), ajtai.Goldilocks(m), relSeed())
}
