package transcript

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/consensys/gnark-crypto/field/goldilocks/poseidon2"

	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/challenge"
	"github.com/ssprove/ssprove/lattice/ring"
)

const q = 0xFFFF_FFFF_0000_0001

func el(v uint64) goldilocks.Element {
	var x goldilocks.Element
	x.SetUint64(v)
	return x
}

// ringElem returns the ring element with coefficients seed, seed+1, ….
func ringElem(seed uint64) ring.Elem {
	var r ring.Elem
	for i := range r {
		r[i] = el(seed + uint64(i))
	}
	return r
}

// draws is every later challenge a script reads, flattened to field
// elements (a K challenge gives two, a ring challenge its coefficients
// embedded in F), so that each can be compared on its own.
func draws(t *testing.T, tr *Transcript) []goldilocks.Element {
	t.Helper()
	var out []goldilocks.Element
	out = append(out, tr.ChallengeField("f"))
	out = append(out, tr.ChallengeFields("fs", 3)...)
	k := tr.ChallengeExt("k")
	out = append(out, k.A0, k.A1)
	for range 2 {
		c, err := tr.ChallengeSmall("rho")
		if err != nil {
			t.Fatal(err)
		}
		// The 54 coefficients as one value in base 5: equal only when the
		// challenges are.
		var v, five, d goldilocks.Element
		five.SetUint64(5)
		for _, x := range c {
			d.SetInt64(int64(x) + 2)
			v.Mul(&v, &five).Add(&v, &d)
		}
		out = append(out, v)
	}
	out = append(out, tr.ChallengeField("after"))
	return out
}

// step is one append of a script.
type step func(tr *Transcript)

// script is a transcript that absorbs every kind of record, with a
// challenge drawn between two of them.
func script() []step {
	return []step{
		func(tr *Transcript) { tr.AppendField("field", el(1), el(q-1), el(0)) },
		func(tr *Transcript) { tr.AppendExt("ext", K{A0: el(2), A1: el(3)}) },
		func(tr *Transcript) { tr.AppendUint64("u64", 0, 1<<32, q, q+5, 1<<64-1) },
		func(tr *Transcript) { tr.ChallengeField("mid") },
		func(tr *Transcript) { tr.AppendBytes("empty", nil) },
		func(tr *Transcript) { tr.AppendBytes("b7", []byte("abcdefg")) },
		func(tr *Transcript) { tr.AppendBytes("b8", []byte("abcdefgh")) },
		func(tr *Transcript) { tr.AppendBytes("b14", []byte("abcdefghijklmn")) },
		func(tr *Transcript) { tr.AppendRing("ring", ringElem(10), ringElem(100)) },
		func(tr *Transcript) { tr.AppendCommitment("commitment", ajtai.Commitment{ringElem(7), ringElem(70)}) },
	}
}

func run(t *testing.T, steps []step) []goldilocks.Element {
	t.Helper()
	tr := New("ssprove/transcript-test")
	for _, s := range steps {
		s(tr)
	}
	return draws(t, tr)
}

func TestDeterministic(t *testing.T) {
	a, b := run(t, script()), run(t, script())
	if !slices.Equal(a, b) {
		t.Fatal("the same appends gave different challenges")
	}
}

// TestEveryChangeChangesEveryLaterChallenge replaces one append of the
// script at a time by a variant (another value, another label, another
// length) and checks that every challenge drawn afterwards differs from
// the original one.
func TestEveryChangeChangesEveryLaterChallenge(t *testing.T) {
	base := run(t, script())
	variants := map[string]struct {
		at int
		s  step
	}{
		"field first":            {0, func(tr *Transcript) { tr.AppendField("field", el(2), el(q-1), el(0)) }},
		"field last":             {0, func(tr *Transcript) { tr.AppendField("field", el(1), el(q-1), el(1)) }},
		"field dropped zero":     {0, func(tr *Transcript) { tr.AppendField("field", el(1), el(q-1)) }},
		"field extra zero":       {0, func(tr *Transcript) { tr.AppendField("field", el(1), el(q-1), el(0), el(0)) }},
		"field label":            {0, func(tr *Transcript) { tr.AppendField("fielD", el(1), el(q-1), el(0)) }},
		"field empty label":      {0, func(tr *Transcript) { tr.AppendField("", el(1), el(q-1), el(0)) }},
		"ext A0":                 {1, func(tr *Transcript) { tr.AppendExt("ext", K{A0: el(4), A1: el(3)}) }},
		"ext A1":                 {1, func(tr *Transcript) { tr.AppendExt("ext", K{A0: el(2), A1: el(4)}) }},
		"ext swapped":            {1, func(tr *Transcript) { tr.AppendExt("ext", K{A0: el(3), A1: el(2)}) }},
		"ext as fields":          {1, func(tr *Transcript) { tr.AppendField("ext", el(2), el(3)) }},
		"u64 zero":               {2, func(tr *Transcript) { tr.AppendUint64("u64", 1, 1<<32, q, q+5, 1<<64-1) }},
		"u64 2^32":               {2, func(tr *Transcript) { tr.AppendUint64("u64", 0, 1, q, q+5, 1<<64-1) }},
		"u64 q as 0":             {2, func(tr *Transcript) { tr.AppendUint64("u64", 0, 1<<32, 0, q+5, 1<<64-1) }},
		"u64 q+5 as 5":           {2, func(tr *Transcript) { tr.AppendUint64("u64", 0, 1<<32, q, 5, 1<<64-1) }},
		"u64 max as max−q":       {2, func(tr *Transcript) { tr.AppendUint64("u64", 0, 1<<32, q, q+5, 1<<64-1-q) }},
		"u64 as fields":          {2, func(tr *Transcript) { tr.AppendField("u64", el(0), el(1<<32), el(q), el(q+5), el(1<<64-1)) }},
		"mid label":              {3, func(tr *Transcript) { tr.ChallengeField("mie") }},
		"mid kind":               {3, func(tr *Transcript) { tr.ChallengeExt("mid") }},
		"mid as Fields(1)":       {3, func(tr *Transcript) { tr.ChallengeFields("mid", 1) }},
		"mid dropped":            {3, func(tr *Transcript) {}},
		"empty as zero byte":     {4, func(tr *Transcript) { tr.AppendBytes("empty", []byte{0}) }},
		"empty dropped":          {4, func(tr *Transcript) {}},
		"empty as no fields":     {4, func(tr *Transcript) { tr.AppendField("empty") }},
		"b7 byte":                {5, func(tr *Transcript) { tr.AppendBytes("b7", []byte("abcdefG")) }},
		"b7 first byte":          {5, func(tr *Transcript) { tr.AppendBytes("b7", []byte("Abcdefg")) }},
		"b7 trailing zero":       {5, func(tr *Transcript) { tr.AppendBytes("b7", []byte("abcdefg\x00")) }},
		"b7 short":               {5, func(tr *Transcript) { tr.AppendBytes("b7", []byte("abcdef")) }},
		"b8 last byte":           {6, func(tr *Transcript) { tr.AppendBytes("b8", []byte("abcdefgH")) }},
		"b8 as 7+zero":           {6, func(tr *Transcript) { tr.AppendBytes("b8", []byte("abcdefg\x00")) }},
		"b8 split":               {6, func(tr *Transcript) { tr.AppendBytes("b8", []byte("abcdefg")); tr.AppendBytes("b8", []byte("h")) }},
		"b14 byte 7":             {7, func(tr *Transcript) { tr.AppendBytes("b14", []byte("abcdefgHijklmn")) }},
		"b14 last byte":          {7, func(tr *Transcript) { tr.AppendBytes("b14", []byte("abcdefghijklmN")) }},
		"b14 as 13":              {7, func(tr *Transcript) { tr.AppendBytes("b14", []byte("abcdefghijklm")) }},
		"b14 label":              {7, func(tr *Transcript) { tr.AppendBytes("b15", []byte("abcdefghijklmn")) }},
		"ring first coefficient": {8, func(tr *Transcript) { r := ringElem(10); r[0] = el(0); tr.AppendRing("ring", r, ringElem(100)) }},
		"ring last coefficient":  {8, func(tr *Transcript) { r := ringElem(100); r[ring.D-1] = el(0); tr.AppendRing("ring", ringElem(10), r) }},
		"ring swapped":           {8, func(tr *Transcript) { tr.AppendRing("ring", ringElem(100), ringElem(10)) }},
		"ring extra zero":        {8, func(tr *Transcript) { tr.AppendRing("ring", ringElem(10), ringElem(100), ring.Elem{}) }},
		"ring as commitment":     {8, func(tr *Transcript) { tr.AppendCommitment("ring", ajtai.Commitment{ringElem(10), ringElem(100)}) }},
		"commitment coefficient": {9, func(tr *Transcript) {
			c := ajtai.Commitment{ringElem(7), ringElem(70)}
			c[1][20] = el(1)
			tr.AppendCommitment("commitment", c)
		}},
		"commitment extra zero": {9, func(tr *Transcript) {
			tr.AppendCommitment("commitment", ajtai.Commitment{ringElem(7), ringElem(70), {}})
		}},
		"commitment as ring": {9, func(tr *Transcript) { tr.AppendRing("commitment", ringElem(7), ringElem(70)) }},
		"commitment label":   {9, func(tr *Transcript) { tr.AppendCommitment("Commitment", ajtai.Commitment{ringElem(7), ringElem(70)}) }},
	}
	for name, v := range variants {
		steps := script()
		steps[v.at] = v.s
		got := run(t, steps)
		for i := range base {
			if got[i] == base[i] {
				t.Errorf("%s: challenge word %d unchanged", name, i)
			}
		}
	}
}

// TestRecordBoundaries checks appends that absorb the same payload words
// split differently into records, or under different kinds.
func TestRecordBoundaries(t *testing.T) {
	x, y := el(5), el(6)
	pairs := []struct {
		name string
		a, b step
	}{
		{"fields split", func(tr *Transcript) { tr.AppendField("a", x, y) },
			func(tr *Transcript) { tr.AppendField("a", x); tr.AppendField("a", y) }},
		{"bytes split", func(tr *Transcript) { tr.AppendBytes("l", []byte("ab")) },
			func(tr *Transcript) { tr.AppendBytes("l", []byte("a")); tr.AppendBytes("l", []byte("b")) }},
		{"label and bytes", func(tr *Transcript) { tr.AppendBytes("ab", []byte("c")) },
			func(tr *Transcript) { tr.AppendBytes("a", []byte("bc")) }},
		{"field and ext", func(tr *Transcript) { tr.AppendField("a", x, y) },
			func(tr *Transcript) { tr.AppendExt("a", K{A0: x, A1: y}) }},
		{"field and uint64", func(tr *Transcript) { tr.AppendField("a", el(0), el(5)) },
			func(tr *Transcript) { tr.AppendUint64("a", 5) }},
		{"empty record and none", func(tr *Transcript) { tr.AppendField("a") }, func(*Transcript) {}},
		{"label padding", func(tr *Transcript) { tr.AppendField("a", x) },
			func(tr *Transcript) { tr.AppendField("a\x00", x) }},
		{"protocol and record", func(tr *Transcript) {}, func(tr *Transcript) { tr.AppendBytes("", nil) }},
	}
	for _, p := range pairs {
		a, b := New("p"), New("p")
		p.a(a)
		p.b(b)
		if da, db := draws(t, a), draws(t, b); slices.ContainsFunc(da, func(v goldilocks.Element) bool { return slices.Contains(db, v) }) {
			t.Errorf("%s: a challenge is the same", p.name)
		}
	}
	if New("p").ChallengeField("c") == New("q").ChallengeField("c") {
		t.Error("protocol names do not separate transcripts")
	}
}

func TestClone(t *testing.T) {
	tr := New("clone")
	tr.AppendField("x", el(1))
	c := tr.Clone()
	c.AppendField("y", el(2))
	cc := c.ChallengeField("c")
	tc := tr.ChallengeField("c")

	ref := New("clone")
	ref.AppendField("x", el(1))
	if want := ref.ChallengeField("c"); tc != want {
		t.Fatal("appending to the clone changed the original")
	}
	ref = New("clone")
	ref.AppendField("x", el(1))
	ref.AppendField("y", el(2))
	if want := ref.ChallengeField("c"); cc != want {
		t.Fatal("the clone does not continue the original")
	}
	// And the other way round, mid-squeeze: the clone keeps its own
	// position in the rate.
	tr2 := New("clone")
	tr2.ChallengeFields("many", 5)
	c2 := tr2.Clone()
	if a, b := tr2.ChallengeFields("more", 11), c2.ChallengeFields("more", 11); !slices.Equal(a, b) {
		t.Fatal("a clone taken mid-squeeze diverged")
	}
}

func TestChallengeSmall(t *testing.T) {
	tr := New("small")
	var counts [5]int
	const n = 2000
	for i := range n {
		tr.AppendUint64("i", uint64(i))
		c, err := tr.ChallengeSmall("rho")
		if err != nil {
			t.Fatal(err)
		}
		if c.NormInf() > 2 || c.OperatorNorm() > challenge.T {
			t.Fatalf("draw %d: ‖c‖∞ = %d, operator norm %d: not in the challenge set", i, c.NormInf(), c.OperatorNorm())
		}
		for _, x := range c {
			counts[x+2]++
		}
	}
	// Each coefficient value has probability 1/5: n·54/5 = 21600 draws each,
	// standard deviation about 131; 1000 off is over 7σ.
	for v, k := range counts {
		if want := n * ring.D / 5; k < want-1000 || k > want+1000 {
			t.Errorf("coefficient %d drawn %d times, want about %d", v-2, k, want)
		}
	}
}

// TestChallengesDistinct is a sanity check that squeezes do not repeat or
// stick: thousands of F and K challenges from one transcript are distinct,
// and their bits are balanced.
func TestChallengesDistinct(t *testing.T) {
	tr := New("distinct")
	seen := map[goldilocks.Element]int{}
	ones, words := 0, 0
	add := func(i int, xs ...goldilocks.Element) {
		for _, x := range xs {
			if j, ok := seen[x]; ok {
				t.Fatalf("draw %d repeats draw %d", i, j)
			}
			seen[x] = i
			v := x.Uint64()
			for ; v != 0; v &= v - 1 {
				ones++
			}
			words++
		}
	}
	for i := range 3000 {
		k := tr.ChallengeExt("k")
		add(i, k.A0, k.A1)
		add(i, tr.ChallengeFields("fs", 3)...)
		add(i, tr.ChallengeField("f"))
	}
	// About 32 ones a word; over 18000 words the mean is within 0.1 of it
	// unless something is badly skewed (standard error about 0.03).
	if mean := float64(ones) / float64(words); mean < 31.8 || mean > 32.2 {
		t.Fatalf("%.3f ones per 64-bit word", mean)
	}
}

// TestPermutation pins the sponge's permutation: width 12 with R_F = 8 and
// R_P = 22, not gnark-crypto's default (6, 17) and not the identity, so
// that nobody swaps it silently.
func TestPermutation(t *testing.T) {
	var in [width]goldilocks.Element
	for i := range in {
		in[i] = el(uint64(i))
	}
	got := in
	permutation().Permute(&got)
	if got == in {
		t.Fatal("the permutation is the identity")
	}
	apply := func(p *poseidon2.Permutation) [width]goldilocks.Element {
		s := in
		if err := p.Permutation(s[:]); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if want := apply(poseidon2.NewPermutation(12, 8, 22)); got != want {
		t.Fatal("the permutation is not Poseidon2 with t = 12, R_F = 8, R_P = 22")
	}
	if weak := apply(poseidon2.NewPermutation(12, 6, 17)); got == weak {
		t.Fatal("the permutation is gnark-crypto's default (6, 17)")
	}
	if New("p").perm != permutation() {
		t.Fatal("a transcript does not use the pinned permutation")
	}
}

// refSponge absorbs words as doc.go describes the encoding, independently
// of the transcript's code: each word added into the next rate word,
// permuting after every full rate block and once more before squeezing.
type refSponge struct {
	state [width]goldilocks.Element
	pos   int
	perm  *poseidon2.Permutation
}

func (s *refSponge) word(v uint64) { s.elem(el(v)) }

func (s *refSponge) elem(x goldilocks.Element) {
	s.state[s.pos].Add(&s.state[s.pos], &x)
	if s.pos++; s.pos == rate {
		_ = s.perm.Permutation(s.state[:])
		s.pos = 0
	}
}

// record absorbs a header word (kind in the high byte, the label's length
// below) and the label seven bytes to a little-endian word.
func (s *refSponge) record(kind int, label string) {
	s.word(uint64(kind)<<8 | uint64(len(label)))
	for b := []byte(label); len(b) > 0; {
		var w [8]byte
		n := copy(w[:7], b)
		b = b[n:]
		s.word(uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 | uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48)
	}
}

func TestEncodingMatchesDoc(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 5, 13, 20} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			xs := make([]goldilocks.Element, n)
			for i := range xs {
				xs[i] = el(uint64(1000 + i))
			}
			label := strings.Repeat("lbl", n%4)
			tr := New("ssprove/doc")
			tr.AppendField(label, xs...)
			got := tr.ChallengeFields("c", 10)

			ref := &refSponge{perm: poseidon2.NewPermutation(12, 8, 22)}
			ref.record(kindDomain, "ssprove/doc")
			ref.record(kindField, label)
			ref.word(uint64(n))
			for _, x := range xs {
				ref.elem(x)
			}
			ref.record(kindChallengeFields, "c")
			ref.word(10)
			var want []goldilocks.Element
			for len(want) < 10 {
				_ = ref.perm.Permutation(ref.state[:])
				want = append(want, ref.state[:rate]...)
			}
			if !slices.Equal(got, want[:10]) {
				t.Fatal("the transcript's challenges differ from the documented encoding")
			}
		})
	}
}

// TestKnownAnswer pins the first challenges of a fixed transcript. Any
// change to the encoding, the permutation or its constants changes them,
// and with them every proof: update these values only on purpose, with a
// new protocol version.
func TestKnownAnswer(t *testing.T) {
	tr := New("ssprove/kat/v1")
	tr.AppendField("field", el(1), el(2), el(q-1))
	tr.AppendExt("ext", K{A0: el(3), A1: el(4)})
	tr.AppendUint64("u64", 1<<64-1)
	tr.AppendBytes("bytes", []byte("known answer"))
	tr.AppendRing("ring", ringElem(5))
	tr.AppendCommitment("commitment", ajtai.Commitment{ringElem(9)})
	f := tr.ChallengeField("f")
	k := tr.ChallengeExt("k")
	got := []uint64{f.Uint64(), k.A0.Uint64(), k.A1.Uint64()}
	want := []uint64{6040712683281643674, 940133078086554297, 6821120844607844213}
	if !slices.Equal(got, want) {
		t.Fatalf("challenges %d, want %d", got, want)
	}
}

func TestLabelLimit(t *testing.T) {
	tr := New(strings.Repeat("x", MaxLabel))
	tr.AppendField(strings.Repeat("y", MaxLabel))
	defer func() {
		if recover() == nil {
			t.Fatal("a label over MaxLabel was accepted")
		}
	}()
	tr.AppendField(strings.Repeat("y", MaxLabel+1))
}

func BenchmarkAppendField(b *testing.B) {
	xs := make([]goldilocks.Element, 1024)
	for i := range xs {
		xs[i] = el(uint64(i) * 0x9E3779B97F4A7C15)
	}
	tr := New("bench")
	for b.Loop() {
		tr.AppendField("xs", xs...)
	}
	b.ReportMetric(float64(len(xs))*float64(b.N)/b.Elapsed().Seconds(), "elements/s")
}

func BenchmarkChallengeExt(b *testing.B) {
	tr := New("bench")
	for b.Loop() {
		tr.ChallengeExt("k")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "elements/s")
}

// BenchmarkPermutation is the cost every rate block of a transcript pays.
func BenchmarkPermutation(b *testing.B) {
	var s [width]goldilocks.Element
	for i := range s {
		s[i] = el(uint64(i))
	}
	p := permutation()
	for b.Loop() {
		p.Permute(&s)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "permutations/s")
}
