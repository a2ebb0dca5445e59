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
			src, err := expander(seed, kappa)
			if err != nil {
				t.Fatal(err)
			}
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
}

// BenchmarkExpand expands m = 2^15 columns of κ = 16 on one goroutine, the
// reference against the current expansion; the metric is the words per
// second of M.
func BenchmarkExpand(b *testing.B) {
	const kappa, m, chunk = 16, 1 << 15, 32
	seed := testSeedArray()
	src, err := expander(seed, kappa)
	if err != nil {
		b.Fatal(err)
	}
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
