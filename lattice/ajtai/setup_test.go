package ajtai

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha3"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/internal/gltest"
	kajtai "github.com/ssprove/ssprove/kernels/ajtai"
	"github.com/ssprove/ssprove/lattice/ring"
)

// referenceExpander is the expansion as first written, word by word with
// SetUint64: the reference expander must match bit for bit.
func referenceExpander(seed [SeedSize]byte, kappa int) kajtai.Source {
	key := sha3.SumSHAKE128(append([]byte(Domain), seed[:]...), 32)
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	return func(dst []goldilocks.Element, lo, hi int) {
		per := kappa * kajtai.D
		var iv [aes.BlockSize]byte
		for j := lo; j < hi; j++ {
			binary.BigEndian.PutUint64(iv[:8], uint64(j))
			referenceColumn(cipher.NewCTR(block, iv[:]), dst[(j-lo)*per:(j-lo+1)*per])
		}
	}
}

// referenceColumn is the original column loop.
func referenceColumn(stream cipher.Stream, out []goldilocks.Element) {
	const wordsPerColumnSlack = 8
	buf := make([]byte, 8*(len(out)+wordsPerColumnSlack))
	n := 0
	for n < len(out) {
		chunk := buf[:8*(len(out)-n+wordsPerColumnSlack)]
		clear(chunk)
		stream.XORKeyStream(chunk, chunk)
		for w := 0; w < len(chunk) && n < len(out); w += 8 {
			if x := binary.LittleEndian.Uint64(chunk[w:]); x < q {
				out[n].SetUint64(x)
				n++
			}
		}
	}
}

func testSeedArray() (seed [SeedSize]byte) {
	copy(seed[:], testSeed())
	return seed
}

// TestExpanderMatchesReference compares the expansion with the reference on
// many column ranges, κ and backends (the bulk conversion runs on the
// selected one), including ranges far from 0 and of odd lengths.
func TestExpanderMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	seed := testSeedArray()
	gltest.ForEachBackend(t, func(t *testing.T) {
		for _, kappa := range []int{1, 3, 16} {
			words, err := expander(seed, kappa)
			if err != nil {
				t.Fatal(err)
			}
			src := kajtai.Canonical(words)
			ref := referenceExpander(seed, kappa)
			ranges := [][2]int{{0, 1}, {0, 2}, {1, 2}, {0, 33}, {5, 70}, {1 << 20, 1<<20 + 3}, {1<<40 - 2, 1 << 40}}
			for range 8 {
				lo := r.IntN(1 << 30)
				ranges = append(ranges, [2]int{lo, lo + 1 + r.IntN(40)})
			}
			for _, rg := range ranges {
				lo, hi := rg[0], rg[1]
				got := make([]goldilocks.Element, (hi-lo)*kappa*kajtai.D)
				want := make([]goldilocks.Element, len(got))
				src(got, lo, hi)
				ref(want, lo, hi)
				if i := firstDiff(got, want); i >= 0 {
					t.Fatalf("κ = %d, columns [%d, %d): word %d is %v, want %v", kappa, lo, hi, i, got[i], want[i])
				}
			}
		}
	})
}

func firstDiff(a, b []goldilocks.Element) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// craftedStream is a keystream of little-endian words, reject (≥ q) at
// every position in rejects and counting up from 1 elsewhere, to drive the
// slow path that a real keystream takes with probability 2^−32 per word.
type craftedStream struct {
	rejects map[int]uint64
	pos     int // bytes consumed
}

func (s *craftedStream) XORKeyStream(dst, src []byte) {
	for i := range src {
		w, b := (s.pos+i)/8, (s.pos+i)%8
		x, ok := s.rejects[w]
		if !ok {
			x = uint64(w) + 1
		}
		dst[i] = src[i] ^ byte(x>>(8*b))
	}
	s.pos += len(src)
}

// TestFillColumnRejects runs fillColumn and the reference on crafted keystreams
// with words ≥ q at the start, the end, in runs and just past the column's
// length, and checks the words it kept.
func TestFillColumnRejects(t *testing.T) {
	const n = 16 * kajtai.D
	cases := map[string][]int{
		"none":         nil,
		"first":        {0},
		"last":         {n - 1},
		"past the end": {n, n + 1},
		"run":          {10, 11, 12, 13},
		"scattered":    {0, 7, 300, n - 2, n - 1, n, n + 3},
		"every other": func() (w []int) {
			for i := 0; i < 2*n; i += 2 {
				w = append(w, i)
			}
			return
		}(),
	}
	for name, at := range cases {
		for _, reject := range []uint64{q, q + 1, 1<<64 - 1} {
			rejects := map[int]uint64{}
			for _, w := range at {
				rejects[w] = reject
			}
			got := make([]uint64, n)
			fillColumn(&craftedStream{rejects: rejects}, got)
			want := make([]goldilocks.Element, n)
			referenceColumn(&craftedStream{rejects: rejects}, want)
			for i := range got {
				var e goldilocks.Element
				e.SetUint64(got[i])
				if e != want[i] || got[i] >= q {
					t.Fatalf("%s, reject %#x: word %d is %#x, want %v", name, reject, i, got[i], want[i].Uint64())
				}
			}
		}
	}
}

func TestCompact(t *testing.T) {
	for _, c := range []struct{ in, want []uint64 }{
		{nil, nil},
		{[]uint64{1, 2, 3}, []uint64{1, 2, 3}},
		{[]uint64{q}, nil},
		{[]uint64{q, 1, q + 5, 2, 1<<64 - 1, q - 1}, []uint64{1, 2, q - 1}},
		{[]uint64{0, q - 1, q, q}, []uint64{0, q - 1}},
	} {
		w := slices.Clone(c.in)
		n := compact(w)
		if !slices.Equal(w[:n], c.want) {
			t.Errorf("compact(%#x) kept %#x, want %#x", c.in, w[:n], c.want)
		}
	}
	// Rejects at every position of lengths around the four-word scan.
	for size := range 13 {
		for at := range size {
			for _, reject := range []uint64{q, 1<<64 - 1} {
				in := make([]uint64, size)
				for i := range in {
					in[i] = q - 1 - uint64(i)
				}
				in[at] = reject
				var want []uint64
				for _, x := range in {
					if x < q {
						want = append(want, x)
					}
				}
				w := slices.Clone(in)
				if n := compact(w); !slices.Equal(w[:n], want) {
					t.Errorf("compact(%#x) kept %#x, want %#x", in, w[:n], want)
				}
			}
		}
	}
}

// BenchmarkExpand expands m = 2^15 columns of κ = 16 on one goroutine, the
// reference against the current expansion; the metric is the words per
// second of M.
func BenchmarkExpand(b *testing.B) {
	const kappa, m, chunk = 16, 1 << 15, 32
	seed := testSeedArray()
	words, err := expander(seed, kappa)
	if err != nil {
		b.Fatal(err)
	}
	src := kajtai.Canonical(words)
	dst := make([]goldilocks.Element, chunk*kappa*kajtai.D)
	run := func(name string, src kajtai.Source) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				for lo := 0; lo < m; lo += chunk {
					src(dst, lo, lo+chunk)
				}
			}
			b.ReportMetric(float64(m*kappa*kajtai.D)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
		})
	}
	run("reference", referenceExpander(seed, kappa))
	gltest.EachBackend(b, func(be accel.Backend) { run(fmt.Sprint(be), src) })
}

// storageOptions are Setup's options for each way of keeping M: in both
// forms (the default), in coefficient form only, and not at all.
var storageOptions = [][]Option{nil, {CoefficientsOnly()}, {WithMemory(0)}}

// keys returns the key for m in each of storageOptions' modes.
func keys(t testing.TB, m int) []*PublicParams {
	t.Helper()
	pps := make([]*PublicParams, len(storageOptions))
	for i, opts := range storageOptions {
		pps[i] = setup(t, m, opts...)
	}
	return pps
}

// TestStorageOptions checks which form Setup keeps M in for each
// combination of options, WithMemory comparing with the size of that form.
func TestStorageOptions(t *testing.T) {
	const m = 10
	p := Goldilocks(m)
	full := kajtai.StoredBytes(p.Kappa, m, kajtai.StoreAll)
	coef := kajtai.StoredBytes(p.Kappa, m, kajtai.StoreCoefficients)
	if full != int64(p.Kappa)*m*1472 || coef != int64(p.Kappa)*m*448 {
		t.Fatalf("StoredBytes: %d in both forms, %d in coefficients, want κ·m·1472 and κ·m·448", full, coef)
	}
	for _, c := range []struct {
		opts []Option
		want kajtai.Storage
	}{
		{nil, kajtai.StoreAll},
		{[]Option{WithMemory(full)}, kajtai.StoreAll},
		{[]Option{WithMemory(full - 1)}, kajtai.Regenerate},
		{[]Option{WithMemory(0)}, kajtai.Regenerate},
		{[]Option{CoefficientsOnly()}, kajtai.StoreCoefficients},
		{[]Option{CoefficientsOnly(), WithMemory(coef)}, kajtai.StoreCoefficients},
		{[]Option{WithMemory(coef - 1), CoefficientsOnly()}, kajtai.Regenerate},
	} {
		pp := setup(t, m, c.opts...)
		if got := pp.mat.Storage(); got != c.want {
			t.Errorf("%d options: M %s, want %s", len(c.opts), got, c.want)
		}
		if pp.Stored() != (c.want != kajtai.Regenerate) {
			t.Errorf("%d options: Stored() = %v for M %s", len(c.opts), pp.Stored(), c.want)
		}
	}
}

// TestStorageModesAgree checks that Commit, CommitSmall, CommitDigits and
// VerifySmall give the same results on keys of every storage mode, every
// backend, for widths around the kernel's chunks of 32 columns, and for
// witnesses that take both of its paths.
func TestStorageModesAgree(t *testing.T) {
	const bound = 4096
	for _, m := range []int{1, 33, 97} {
		pps := keys(t, m)
		r := rand.New(rand.NewPCG(uint64(m), 31))
		var fields [][]goldilocks.Element
		for _, kind := range []string{"full", "bits", "digits", "bounded"} {
			fields = append(fields, randomWitness(r, kind, ring.D*m))
		}
		var digits [][]int8
		for _, kind := range []string{"bits", "ternary", "small", "int8"} {
			digits = append(digits, randomDigits(r, kind, ring.D*m))
		}
		small := smallWitness(r, ring.D*m, bound)
		gltest.EachBackend(t, func(be accel.Backend) {
			var want []Commitment
			var wantQuo Quotients
			for k, pp := range pps {
				var got []Commitment
				for _, Z := range fields {
					c, err := pp.Commit(ctx, Z)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, c)
				}
				cs, err := pp.CommitDigits(ctx, digits)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, cs...)
				c, quo, err := pp.CommitSmall(ctx, small)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, c)
				if err := pp.VerifySmall(ctx, c, small, quo, bound); err != nil {
					t.Errorf("m = %d, %s, %s: VerifySmall rejects an honest opening: %v", m, be, pp.mat.Storage(), err)
				}
				if k == 0 {
					want, wantQuo = got, quo
					continue
				}
				for w := range got {
					if !equalCommitments(got[w], want[w]) {
						t.Errorf("m = %d, %s: commitment %d on M %s differs from M %s", m, be, w, pp.mat.Storage(), pps[0].mat.Storage())
					}
				}
				if !slices.Equal(quo, wantQuo) {
					t.Errorf("m = %d, %s: CommitSmall's quotients on M %s differ from M %s", m, be, pp.mat.Storage(), pps[0].mat.Storage())
				}
			}
		})
	}
}

// BenchmarkSetup expands the key at m = 2^14 and 2^15 in each storage mode
// (a regenerated key expands nothing: the figure is its fixed cost).
func BenchmarkSetup(b *testing.B) {
	for _, m := range []int{1 << 14, 1 << 15} {
		for _, opts := range storageOptions {
			name := fmt.Sprintf("m=%d/%s", m, setup(b, 1, opts...).mat.Storage())
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					setup(b, m, opts...)
				}
			})
		}
	}
}
