package lookup

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/kernels/ext"
)

const testTag = 7

func fes(xs ...uint64) []F {
	v := make([]F, len(xs))
	for i, x := range xs {
		v[i] = fe(x)
	}
	return v
}

// cells returns n cells at addresses 0…n−1 (times stride), cell a holding
// (a, a+1, …) in width words.
func cells(n, width int, stride uint64) []Cell {
	c := make([]Cell, n)
	for a := range c {
		c[a].Addr = fe(uint64(a) * stride)
		c[a].Value = make([]F, width)
		for k := range width {
			c[a].Value[k] = fe(uint64(a + k))
		}
	}
	return c
}

func rd(addr uint64, time uint64, v ...uint64) Op {
	return Op{Addr: fe(addr), Value: fes(v...), Time: time}
}

func wr(addr uint64, time uint64, v ...uint64) Op {
	return Op{Addr: fe(addr), Value: fes(v...), Time: time, Write: true}
}

// randomOps returns n ops at times 1, 2, … on random cells of the memory
// init describes, about half of them reads, every read returning the
// current value.
func randomOps(rng *rand.Rand, init []Cell, n int) []Op {
	cur := make(map[F][]F, len(init))
	for _, c := range init {
		cur[c.Addr] = c.Value
	}
	width := len(init[0].Value)
	ops := make([]Op, n)
	for i := range ops {
		a := init[rng.IntN(len(init))].Addr
		op := Op{Addr: a, Time: uint64(i + 1), Write: rng.IntN(2) == 0}
		if op.Write {
			op.Value = make([]F, width)
			for k := range op.Value {
				op.Value[k] = fe(rng.Uint64N(1 << 32))
			}
			cur[a] = op.Value
		} else {
			op.Value = cur[a]
		}
		ops[i] = op
	}
	return ops
}

// bind stands for the caller's commitments: it binds every committed
// column of t into tr, through a SHA-256 digest so that the tests do not
// spend their time absorbing columns. The memory's statement is not among
// them: ProveMemory and VerifyMemory bind it.
func bind(tr *transcript.Transcript, t *Trace) {
	h := sha256.New()
	var b []byte
	for _, cols := range [][][]F{{t.Real, t.Addr, t.ReadTime, t.Now, t.Lo, t.Hi, t.FinalTime, t.Mult}, t.Old, t.New, t.FinalValue} {
		for _, col := range cols {
			b = binary.LittleEndian.AppendUint64(b[:0], uint64(len(col)))
			for i := range col {
				b = binary.LittleEndian.AppendUint64(b, col[i].Uint64())
			}
			h.Write(b)
		}
	}
	tr.AppendBytes("memory test columns", h.Sum(nil))
}

// proveAndVerify runs prover and verifier on t over transcripts that bound
// its columns, checks the claims against them, and checks that both
// transcripts end in the same state.
func proveAndVerify(t *testing.T, tr *Trace) {
	t.Helper()
	ptr, vtr := transcript.New("memory test"), transcript.New("memory test")
	bind(ptr, tr)
	bind(vtr, tr)
	p, pclaims, err := ProveMemory(context.Background(), ptr, tr)
	if err != nil {
		t.Fatalf("ProveMemory: %v", err)
	}
	claims, err := VerifyMemory(vtr, tr.Mem, tr.Ops, p)
	if err != nil {
		t.Fatalf("VerifyMemory: %v", err)
	}
	if len(claims) != len(pclaims) {
		t.Fatalf("prover has %d claims, verifier %d", len(pclaims), len(claims))
	}
	if err := claimsHold(tr.Groups(), claims); err != nil {
		t.Fatalf("claims: %v", err)
	}
	if a, b := ptr.ChallengeExt("end"), vtr.ChallengeExt("end"); a != b {
		t.Fatal("prover and verifier transcripts end in different states")
	}
}

// simulate returns the final values of the memory init after ops, a map
// being the obvious model of a memory.
func simulate(init []Cell, ops []Op) map[F][]F {
	mem := make(map[F][]F, len(init))
	for _, c := range init {
		mem[c.Addr] = c.Value
	}
	for _, op := range ops {
		if op.Write {
			mem[op.Addr] = op.Value
		}
	}
	return mem
}

func TestMemoryHonest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		init []Cell
		ops  []Op
	}{
		{"single read", cells(1, 1, 1), []Op{rd(0, 5, 0)}},
		{"single write", cells(1, 1, 1), []Op{wr(0, 1, 9)}},
		{"no ops", cells(3, 1, 1), nil},
		{"interleaved", cells(4, 1, 1), []Op{
			rd(1, 1, 1), wr(1, 2, 10), rd(2, 3, 2), rd(1, 4, 10), wr(2, 5, 20), rd(2, 6, 20), wr(1, 7, 11), rd(1, 8, 11),
		}},
		{"repeated address", cells(2, 1, 1), []Op{
			wr(0, 1, 5), wr(0, 2, 6), rd(0, 3, 6), rd(0, 4, 6), wr(0, 5, 6), rd(0, 6, 6), wr(0, 7, 0),
		}},
		{"untouched cells", cells(13, 1, 1000), []Op{wr(3000, 1, 1), rd(3000, 2, 1), rd(12000, 3, 12)}},
		{"time gaps", cells(3, 1, 1), []Op{
			wr(1, 1, 4), rd(1, 1<<16, 4), rd(1, 1<<16+1, 4), wr(1, 1<<31, 3), rd(0, MaxTime-1, 0), rd(1, MaxTime, 3),
		}},
		{"width 3", cells(5, 3, 1), []Op{
			rd(4, 1, 4, 5, 6), wr(4, 2, 1, 2, 3), rd(4, 3, 1, 2, 3), wr(0, 4, 0, 0, 7), rd(0, 6, 0, 0, 7),
		}},
		{"1000 random ops", cells(50, 1, 3), randomOps(rng, cells(50, 1, 3), 1000)},
		{"random ops width 2", cells(33, 2, 1), randomOps(rng, cells(33, 2, 1), 200)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := NewMemory("ram", testTag, len(tc.init[0].Value), tc.init)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := m.Trace(tc.ops)
			if err != nil {
				t.Fatal(err)
			}
			want := simulate(tc.init, tc.ops)
			for c, cell := range tc.init {
				for k := range m.Width() {
					if got := tr.FinalValue[k][c]; got != want[cell.Addr][k] {
						t.Fatalf("final value of cell %d word %d is %s, want %s", c, k, got.String(), want[cell.Addr][k].String())
					}
				}
			}
			if got := fractionSum(t, tr.Groups()); !got.IsZero() {
				t.Fatalf("the honest statement's fractions add to %s", got.String())
			}
			proveAndVerify(t, tr)
		})
	}
}

// fractionSum evaluates the statement directly: Σ_g ±Σ_i Num/(α − Σ_k γ^k·t_k)
// at random α, γ, with nothing proven.
func fractionSum(t *testing.T, groups []Group) K {
	t.Helper()
	tr := transcript.New("fraction sum")
	alpha, gamma := tr.ChallengeExt("alpha"), tr.ChallengeExt("gamma")
	var total K
	for _, g := range groups {
		n := len(g.Tuple[0])
		num, den := make([]K, n), make([]K, n)
		for i := range n {
			num[i].SetOne()
			if g.Num != nil {
				num[i] = K{A0: g.Num[i]}
			}
			t := make([]K, len(g.Tuple))
			for k := range t {
				t[k].A0 = g.Tuple[k][i]
			}
			den[i] = fingerprint(alpha, gamma, t)
		}
		s, err := ext.FracSum(num, den)
		if err != nil {
			t.Fatal(err)
		}
		if g.Neg {
			s.Neg(&s)
		}
		total.Add(&total, &s)
	}
	return total
}

func TestMemoryPaddingRows(t *testing.T) {
	// Padding rows have Real = 0: whatever else they hold, their leaves are
	// 0 and the statement is unchanged.
	m, err := NewMemory("ram", testTag, 1, cells(4, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := m.Trace([]Op{wr(1, 1, 8), rd(1, 2, 8), rd(2, 3, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Real) != 4 {
		t.Fatalf("%d rows for 3 ops", len(tr.Real))
	}
	tr.Addr[3], tr.Old[0][3], tr.New[0][3] = fe(1), fe(99), fe(98)
	tr.Now[3], tr.ReadTime[3], tr.Lo[3], tr.Hi[3] = fe(1<<16+7), fe(5), fe(2), fe(1)
	if tr.Mult, err = limbMultiplicities(tr.Lo, tr.Hi); err != nil {
		t.Fatal(err)
	}
	proveAndVerify(t, tr)
}

func TestMemoryTraceErrors(t *testing.T) {
	init := cells(4, 1, 1)
	for _, tc := range []struct {
		name string
		ops  []Op
		want string // in the error
	}{
		{"stale read", []Op{wr(1, 1, 5), wr(1, 2, 6), rd(1, 3, 5)}, "op 2 reads (5) at address 1, which holds (6) since op 1"},
		{"wrong value", []Op{rd(1, 1, 1), rd(2, 2, 3)}, "op 1 reads (3) at address 2, which holds (2) since the start"},
		{"time out of order", []Op{rd(1, 2, 1), rd(2, 1, 2)}, "op 1 at time 1 follows op 0 at time 2"},
		{"time repeated", []Op{rd(1, 2, 1), wr(2, 2, 2)}, "op 1 at time 2 follows op 0 at time 2"},
		{"time 0", []Op{rd(1, 0, 1)}, "op 0 at time 0"},
		{"time too large", []Op{rd(1, 1, 1), rd(1, MaxTime+1, 1)}, "op 1 at time 4294967296"},
		{"not a cell", []Op{rd(1, 1, 1), wr(4, 2, 1)}, "op 1: address 4 is not a cell"},
		{"wrong width", []Op{rd(1, 1, 1), wr(2, 2, 1, 1)}, "op 1 has 2 value words, want 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := NewMemory("ram", testTag, 1, init)
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.Trace(tc.ops)
			if !errors.Is(err, ErrTrace) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want ErrTrace saying %q", err, tc.want)
			}
		})
	}
}

func TestNewMemoryErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tag   uint64
		width int
		init  []Cell
	}{
		{"no cells", testTag, 1, nil},
		{"width 0", testTag, 0, cells(2, 1, 1)},
		{"width too large", testTag, MaxValueWidth + 1, cells(2, MaxValueWidth+1, 1)},
		{"cell width", testTag, 2, cells(2, 1, 1)},
		{"repeated address", testTag, 1, []Cell{{fe(3), fes(1)}, {fe(3), fes(2)}}},
		{"range tag", RangeTag, 1, cells(2, 1, 1)},
		{"tag too large", 1 << 32, 1, cells(2, 1, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewMemory("ram", tc.tag, tc.width, tc.init); !errors.Is(err, ErrShape) {
				t.Fatalf("got %v, want ErrShape", err)
			}
		})
	}
}

// clone returns a deep copy of t's columns (the memory is shared).
func (t *Trace) clone() *Trace {
	c := *t
	col := func(x []F) []F { return append([]F(nil), x...) }
	cols := func(x [][]F) [][]F {
		y := make([][]F, len(x))
		for i := range x {
			y[i] = col(x[i])
		}
		return y
	}
	c.Real, c.Addr, c.ReadTime, c.Now, c.Lo, c.Hi = col(t.Real), col(t.Addr), col(t.ReadTime), col(t.Now), col(t.Lo), col(t.Hi)
	c.Old, c.New, c.FinalValue = cols(t.Old), cols(t.New), cols(t.FinalValue)
	c.FinalTime, c.Mult = col(t.FinalTime), col(t.Mult)
	return &c
}

// relimb sets the limbs of row i from Now − ReadTime − Real, which must be
// below 2^32, and recounts the multiplicities: what a forger keeps
// consistent.
func relimb(t *testing.T, tr *Trace, i int) {
	t.Helper()
	var d F
	d.Sub(&tr.Now[i], &tr.ReadTime[i])
	d.Sub(&d, &tr.Real[i])
	v := d.Uint64()
	if v >= 1<<32 {
		t.Fatalf("row %d: Δ = %d is not below 2^32", i, v)
	}
	tr.Lo[i], tr.Hi[i] = fe(v&(1<<limbBits-1)), fe(v>>limbBits)
	recount(t, tr)
}

// recount recounts the multiplicities of the limbs that are in the table.
func recount(t *testing.T, tr *Trace) {
	t.Helper()
	var in []F
	for _, l := range [][]F{tr.Lo, tr.Hi} {
		for i := range l {
			if l[i].Uint64() < 1<<limbBits {
				in = append(in, l[i])
			}
		}
	}
	mult, err := limbMultiplicities(in, []F{})
	if err != nil {
		t.Fatal(err)
	}
	tr.Mult = mult
}

// Where a forgery is caught.
const (
	byProve  = "Prove: the statement is false"
	byVerify = "VerifyMemory"
	byClaims = "the claim check"
)

// cheat runs a cheating prover on forged columns, which the caller has
// committed to (bound into the transcripts), skipping every check of
// ProveMemory, and returns where it was caught. When the statement is false
// and Prove refuses, the cheater proves the honest columns instead, which
// the claim check must catch.
func cheat(t *testing.T, honest, forged *Trace) string {
	t.Helper()
	ptr, vtr := transcript.New("memory test"), transcript.New("memory test")
	bind(ptr, forged)
	bind(vtr, forged)
	fallback := ptr.Clone() // the cheater's second try starts from the commitments
	p, _, err := Prove(context.Background(), ptr, forged.Groups())
	caught := ""
	if err != nil {
		if !errors.Is(err, ErrUnbalanced) {
			t.Fatalf("Prove on the forged columns: %v, want ErrUnbalanced", err)
		}
		if s := fractionSum(t, forged.Groups()); s.IsZero() {
			t.Fatal("Prove refuses a statement whose fractions add to 0")
		}
		caught = byProve
		if p, _, err = Prove(context.Background(), fallback, honest.Groups()); err != nil {
			t.Fatalf("Prove on the honest columns: %v", err)
		}
	}
	claims, err := VerifyMemory(vtr, forged.Mem, forged.Ops, p)
	switch {
	case err != nil:
		if !errors.Is(err, ErrReject) {
			t.Fatalf("VerifyMemory: %v, want ErrReject", err)
		}
		t.Logf("VerifyMemory: %v", err)
		if caught == "" {
			caught = byVerify
		}
	case claimsHold(forged.Groups(), claims) != nil:
		t.Logf("claims: %v", claimsHold(forged.Groups(), claims))
		if caught == "" {
			caught = byClaims
		}
	default:
		t.Fatal("a forged trace was accepted")
	}
	return caught
}

func TestMemoryForged(t *testing.T) {
	// Cells 0…3 hold 0…3. Rows: 0 wr(1)=10 @1, 1 rd(1)=10 @2, 2 wr(1)=11 @3,
	// 3 rd(1)=11 @4, 4 rd(2)=2 @5, 5 wr(3)=30 @6, 6 rd(3)=30 @7, 7 padding.
	m, err := NewMemory("ram", testTag, 1, cells(4, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	honest, err := m.Trace([]Op{wr(1, 1, 10), rd(1, 2, 10), wr(1, 3, 11), rd(1, 4, 11), rd(2, 5, 2), wr(3, 6, 30), rd(3, 7, 30)})
	if err != nil {
		t.Fatal(err)
	}
	// Cell 0 holds 0. Rows: 0 rd(0)=0 @1, 1 wr(0)=7 @2.
	m0, err := NewMemory("ram", testTag, 1, cells(1, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	future, err := m0.Trace([]Op{rd(0, 1, 0), wr(0, 2, 7)})
	if err != nil {
		t.Fatal(err)
	}
	// readsFuture makes row 0 read the 7 row 1 writes at time 2, and row 1
	// read the initial 0: the memory tuples balance, only Δ_0 = −2 is wrong.
	readsFuture := func(f *Trace) {
		f.Old[0][0], f.New[0][0], f.ReadTime[0] = fe(7), fe(7), fe(2)
		f.ReadTime[1] = fe(0)
		f.FinalTime[0] = fe(1)
	}
	var minus2 F
	minus2.SetInt64(-2)
	for _, tc := range []struct {
		name   string
		honest *Trace
		forge  func(t *testing.T, f *Trace)
		want   string
	}{
		{"stale read", honest, func(t *testing.T, f *Trace) {
			// Row 3 returns the 10 written at time 1, not the 11 of time 3.
			f.Old[0][3], f.New[0][3], f.ReadTime[3] = fe(10), fe(10), fe(1)
			f.FinalValue[0][1] = fe(10)
			relimb(t, f, 3)
		}, byProve},
		{"wrong value", honest, func(t *testing.T, f *Trace) {
			f.Old[0][4], f.New[0][4] = fe(99), fe(99)
			f.FinalValue[0][2] = fe(99)
		}, byProve},
		{"missing write", honest, func(t *testing.T, f *Trace) {
			// Row 2, the write of 11, leaves the write set (and the read set).
			f.Real[2] = fe(0)
			relimb(t, f, 2)
		}, byProve},
		{"write made a read", honest, func(t *testing.T, f *Trace) {
			f.New[0][2] = fe(10)
		}, byProve},
		{"read from the future, limbs decompose Δ", future, func(t *testing.T, f *Trace) {
			readsFuture(f)
			v := minus2.Uint64()
			f.Lo[0], f.Hi[0] = fe(v&(1<<limbBits-1)), fe(v>>limbBits)
			recount(t, f)
		}, byProve},
		{"read from the future, limbs in range", future, func(t *testing.T, f *Trace) {
			readsFuture(f)
			f.Lo[0], f.Hi[0] = fe(0), fe(0)
			recount(t, f)
		}, byVerify},
		{"read time is now", honest, func(t *testing.T, f *Trace) {
			// Row 4 reads what it writes itself, and cell 2 ends as it
			// started: the memory tuples balance, Δ_4 = −1.
			f.ReadTime[4] = f.Now[4]
			f.FinalTime[2] = fe(0)
			f.Lo[4], f.Hi[4] = fe(0), fe(0)
			recount(t, f)
		}, byVerify},
		{"final value", honest, func(t *testing.T, f *Trace) {
			f.FinalValue[0][3] = fe(31)
		}, byProve},
		{"final time", honest, func(t *testing.T, f *Trace) {
			f.FinalTime[0] = fe(3)
		}, byProve},
		{"limb out of the table", honest, func(t *testing.T, f *Trace) {
			// Δ_0 = 0 = 2^16 + 2^16·(−1): the decomposition holds, the limbs
			// are not in the table.
			var m1 F
			m1.SetInt64(-1)
			f.Lo[0], f.Hi[0] = fe(1<<limbBits), m1
			recount(t, f)
		}, byProve},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.honest.clone()
			tc.forge(t, f)
			if got := cheat(t, tc.honest, f); got != tc.want {
				t.Fatalf("caught by %s, want %s", got, tc.want)
			}
		})
	}
}

func TestMemoryMalformed(t *testing.T) {
	m, err := NewMemory("ram", testTag, 2, cells(4, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	honest, err := m.Trace([]Op{wr(1, 1, 5, 6), rd(1, 2, 5, 6), rd(3, 3, 3, 4)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		forge func(f *Trace)
		want  error
	}{
		{"short column", func(f *Trace) { f.Now = f.Now[:3] }, ErrShape},
		{"missing value column", func(f *Trace) { f.Old = f.Old[:1] }, ErrShape},
		{"final column", func(f *Trace) { f.FinalTime = f.FinalTime[:2] }, ErrShape},
		{"multiplicities", func(f *Trace) { f.Mult = f.Mult[:10] }, ErrShape},
		{"ops count", func(f *Trace) { f.Ops = 9 }, ErrShape},
		{"no memory", func(f *Trace) { f.Mem = nil }, ErrShape},
		{"decomposition", func(f *Trace) { f.Lo[1] = fe(3) }, ErrUnbalanced},
		{"multiset", func(f *Trace) { f.New[1][2] = fe(3) }, ErrUnbalanced},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := honest.clone()
			tc.forge(f)
			if _, _, err := ProveMemory(ctx, transcript.New("memory test"), f); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if _, _, err := ProveMemory(ctx, transcript.New("memory test"), nil); !errors.Is(err, ErrShape) {
		t.Fatalf("nil trace: got %v, want ErrShape", err)
	}
	if _, _, err := ProveMemory(ctx, nil, honest); !errors.Is(err, ErrShape) {
		t.Fatalf("nil transcript: got %v, want ErrShape", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := ProveMemory(canceled, transcript.New("memory test"), honest); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: got %v, want context.Canceled", err)
	}

	tr := transcript.New("memory test")
	bind(tr, honest)
	p, _, err := ProveMemory(ctx, tr, honest)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(m *Memory, ops int, p *Proof) error {
		vtr := transcript.New("memory test")
		bind(vtr, honest)
		_, err := VerifyMemory(vtr, m, ops, p)
		return err
	}
	if err := verify(m, honest.Ops, p); err != nil {
		t.Fatalf("honest: %v", err)
	}
	other, err := NewMemory("ram", testTag, 2, cells(5, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	otherTag, err := NewMemory("ram", testTag+1, 2, cells(4, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		m    *Memory
		ops  int
		p    *Proof
		want error
	}{
		{"more ops", m, 5, p, ErrReject},
		{"fewer ops", m, 2, p, ErrReject},
		{"ops of the same size", m, 4, p, ErrReject},
		{"negative ops", m, -1, p, ErrShape},
		{"other cells", other, honest.Ops, p, ErrReject},
		{"other tag", otherTag, honest.Ops, p, ErrReject},
		{"no proof", m, honest.Ops, nil, ErrReject},
		{"empty proof", m, honest.Ops, &Proof{}, ErrReject},
		{"no memory", nil, honest.Ops, p, ErrShape},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := verify(tc.m, tc.ops, tc.p); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := VerifyMemory(nil, m, honest.Ops, p); !errors.Is(err, ErrShape) {
		t.Fatalf("nil transcript: got %v, want ErrShape", err)
	}
}

// TestMemoryStatementBound: ProveMemory and VerifyMemory bind the memory's
// statement themselves. A proof whose challenges were drawn without it (Prove
// on the groups, over the committed columns only) fails VerifyMemory, and
// the digest tells apart statements that differ in any part, the number of
// cells among them: padding repeats a cell at address 0 holding 0.
func TestMemoryStatementBound(t *testing.T) {
	m, err := NewMemory("ram", testTag, 1, cells(4, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := m.Trace([]Op{wr(1, 1, 5), rd(1, 2, 5), rd(3, 3, 3)})
	if err != nil {
		t.Fatal(err)
	}
	ptr, vtr := transcript.New("memory test"), transcript.New("memory test")
	bind(ptr, tr)
	bind(vtr, tr)
	p, _, err := Prove(context.Background(), ptr, tr.Groups())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyMemory(vtr, m, tr.Ops, p); !errors.Is(err, ErrReject) {
		t.Fatalf("VerifyMemory of a proof that did not bind the memory: %v, want ErrReject", err)
	}

	three := []Cell{{fe(1), fes(0)}, {fe(2), fes(0)}, {fe(3), fes(0)}}
	four := append(append([]Cell(nil), three...), Cell{fe(0), fes(0)})
	base, err := NewMemory("ram", testTag, 1, three)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(base.cells.addr, fes(1, 2, 3, 0)) {
		t.Fatalf("padded addresses %v", base.cells.addr)
	}
	for _, tc := range []struct {
		name  string
		mname string
		tag   uint64
		width int
		init  []Cell
	}{
		{"name", "rom", testTag, 1, three},
		{"tag", "ram", testTag + 1, 1, three},
		{"width", "ram", testTag, 2, []Cell{{fe(1), fes(0, 0)}, {fe(2), fes(0, 0)}, {fe(3), fes(0, 0)}}},
		{"a cell more", "ram", testTag, 1, four},
		{"address", "ram", testTag, 1, []Cell{{fe(1), fes(0)}, {fe(2), fes(0)}, {fe(4), fes(0)}}},
		{"value", "ram", testTag, 1, []Cell{{fe(1), fes(0)}, {fe(2), fes(1)}, {fe(3), fes(0)}}},
		{"order", "ram", testTag, 1, []Cell{{fe(2), fes(0)}, {fe(1), fes(0)}, {fe(3), fes(0)}}},
	} {
		other, err := NewMemory(tc.mname, tc.tag, tc.width, tc.init)
		if err != nil {
			t.Fatal(err)
		}
		a, b := transcript.New("memory test"), transcript.New("memory test")
		base.Bind(a)
		other.Bind(b)
		if x, y := a.ChallengeExt("x"), b.ChallengeExt("x"); x == y {
			t.Errorf("%s: memories that differ bind the same statement", tc.name)
		}
	}
}

// TestMemoryCheckClaims changes one entry of honest claims at a time:
// CheckClaims rejects each.
func TestMemoryCheckClaims(t *testing.T) {
	m, err := NewMemory("ram", testTag, 2, cells(4, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := m.Trace([]Op{wr(1, 1, 5, 6), rd(1, 2, 5, 6), rd(3, 3, 3, 4)})
	if err != nil {
		t.Fatal(err)
	}
	ptr := transcript.New("memory test")
	bind(ptr, tr)
	_, honest, err := ProveMemory(context.Background(), ptr, tr)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.CheckClaims(honest); err != nil {
		t.Fatalf("honest claims: %v", err)
	}
	var one K
	one.SetOne()
	add := func(x *K) { x.Add(x, &one) }
	for _, tc := range []struct {
		name   string
		change func(c []Claim) []Claim
	}{
		{"a claim fewer", func(c []Claim) []Claim { return c[1:] }},
		{"a claim more", func(c []Claim) []Claim { return append(c, c[0]) }},
		{"order", func(c []Claim) []Claim { c[1], c[2] = c[2], c[1]; return c }},
		{"tuple entry dropped", func(c []Claim) []Claim { c[groupRead].Tuple = c[groupRead].Tuple[1:]; return c }},
		{"init point", func(c []Claim) []Claim { c[groupInit].Point = c[groupInit].Point[1:]; return c }},
		{"range table point", func(c []Claim) []Claim { c[groupRangeTable].Point = nil; return c }},
		{"op points", func(c []Claim) []Claim { add(&c[groupHi].Point[0]); return c }},
		{"write tag", func(c []Claim) []Claim { add(&c[groupWrite].Tuple[colTag]); return c }},
		{"final tag", func(c []Claim) []Claim { add(&c[groupFinal].Tuple[colTag]); return c }},
		{"initial time", func(c []Claim) []Claim { add(&c[groupInit].Tuple[colValue+2]); return c }},
		{"initial value", func(c []Claim) []Claim { add(&c[groupInit].Tuple[colValue+1]); return c }},
		{"initial Num", func(c []Claim) []Claim { add(&c[groupInit].Num); return c }},
		{"final address", func(c []Claim) []Claim { add(&c[groupFinal].Tuple[colAddr]); return c }},
		{"range tag", func(c []Claim) []Claim { add(&c[groupLo].Tuple[0]); return c }},
		{"range table", func(c []Claim) []Claim { add(&c[groupRangeTable].Tuple[1]); return c }},
		{"Real", func(c []Claim) []Claim { add(&c[groupRead].Num); return c }},
		{"read address", func(c []Claim) []Claim { add(&c[groupRead].Tuple[colAddr]); return c }},
		{"decomposition", func(c []Claim) []Claim { add(&c[groupLo].Tuple[1]); return c }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			claims := make([]Claim, len(honest))
			for i, c := range honest {
				claims[i] = c
				claims[i].Point = append([]K(nil), c.Point...)
				claims[i].Tuple = append([]K(nil), c.Tuple...)
			}
			if err := m.CheckClaims(tc.change(claims)); !errors.Is(err, ErrReject) {
				t.Fatalf("got %v, want ErrReject", err)
			}
		})
	}
}

// TestMemoryInLargerArgument proves a memory and a tagged table in one
// argument, as the arithmetization does, and checks the claims with
// CheckClaims on the memory's run of them and the table's claim checks.
func TestMemoryInLargerArgument(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	init := cells(6, 2, 1)
	m, err := NewMemory("ram", testTag, 2, init)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := m.Trace(randomOps(rng, init, 20))
	if err != nil {
		t.Fatal(err)
	}
	const tableTag = testTag + 1
	bits, err := RangeTable(8)
	if err != nil {
		t.Fatal(err)
	}
	inputs := column(rng, 1<<5, 1<<8)
	table, err := Table("byte", tableTag, [][]F{inputs}, [][]F{bits})
	if err != nil {
		t.Fatal(err)
	}
	groups := append(tr.Groups(), table...)
	shapes := append(m.Shapes(tr.Ops), TableShapes("byte", 5, 8, 1)...)

	// run proves with m bound and verifies with bmem bound, checking the
	// claims as those of checked.
	run := func(bmem, checked *Memory) error {
		ptr, vtr := bound(groups), bound(groups)
		m.Bind(ptr)
		bmem.Bind(vtr)
		proof, _, err := Prove(context.Background(), ptr, groups)
		if err != nil {
			t.Fatal(err)
		}
		claims, err := Verify(vtr, shapes, proof)
		if err != nil {
			return err
		}
		if err := checked.CheckClaims(claims[:len(claims)-2]); err != nil {
			return err
		}
		tc := claims[len(claims)-2:]
		for _, c := range tc {
			if err := c.CheckConstant(0, fe(tableTag)); err != nil {
				return err
			}
		}
		if err := tc[1].CheckRange(1); err != nil {
			return err
		}
		return claimsHold(groups, claims)
	}
	if err := run(m, m); err != nil {
		t.Fatalf("honest: %v", err)
	}
	other, err := NewMemory("ram", testTag, 2, cells(6, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	if err := run(other, m); !errors.Is(err, ErrReject) {
		t.Fatalf("verified with another memory bound: %v, want ErrReject", err)
	}
	if err := run(m, other); !errors.Is(err, ErrReject) {
		t.Fatalf("the claims checked as another memory's: %v, want ErrReject", err)
	}
}

// FuzzMemoryTrace builds traces of up to 64 ops from the input, 3 bytes an
// op (address, value, time step and kind): Trace either rejects them with
// ErrTrace or returns a witness whose final state is the simulated one and
// whose statement holds.
func FuzzMemoryTrace(f *testing.F) {
	f.Add([]byte{0x01, 0x05, 0x11, 0x01, 0x05, 0x10})
	f.Add([]byte{0x02, 0x00, 0x10, 0x02, 0x02, 0x10, 0x02, 0x02, 0x00})
	f.Add([]byte{0x09, 0x00, 0x10})
	init := cells(8, 1, 1)
	m, err := NewMemory("ram", testTag, 1, init)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var ops []Op
		var now uint64
		for i := 0; i+3 <= len(data) && len(ops) < 64; i += 3 {
			// Addresses 0…9 (8 and 9 are not cells), values 0…7, time steps
			// 0…7 (0 repeats a time), the low bit of the last byte the kind.
			now += uint64(data[i+2] >> 1 & 7)
			ops = append(ops, Op{Addr: fe(uint64(data[i]) % 10), Value: fes(uint64(data[i+1]) % 8), Time: now, Write: data[i+2]&1 == 1})
		}
		tr, err := m.Trace(ops)
		if err != nil {
			if !errors.Is(err, ErrTrace) {
				t.Fatalf("Trace: %v, want ErrTrace", err)
			}
			return
		}
		want := simulate(init, ops)
		for c, cell := range init {
			if got := tr.FinalValue[0][c]; got != want[cell.Addr][0] {
				t.Fatalf("final value of cell %d is %s, want %s", c, got.String(), want[cell.Addr][0].String())
			}
		}
		if err := tr.check(); err != nil {
			t.Fatal(err)
		}
		// The memory groups balance on their own; the range lookups are in
		// the table when the decomposition holds (check) and Trace counted
		// them (Multiplicities rejects a limb outside it).
		if s := fractionSum(t, tr.Groups()[:groupLo]); !s.IsZero() {
			t.Fatalf("the memory fractions of an accepted trace add to %s", s.String())
		}
	})
}
