package interleave

import (
	"strconv"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
)

// TestCCSDigest pins the digest of each layout's step CCS, as the
// straightforward build (one constraint at a time, one growing entry list
// per matrix) computed it: the concurrent build must give the same
// matrices entry for entry. It changes when the tables or ccs's digest
// encoding do, and then on purpose.
func TestCCSDigest(t *testing.T) {
	for _, c := range []struct {
		rows int
		want ccs.Digest
	}{
		{16, ccs.Digest{
			goldilocks.NewElement(12093318100290432768), goldilocks.NewElement(17633143397134887870),
			goldilocks.NewElement(11341922458161553578), goldilocks.NewElement(18397219820448155211),
		}},
		{32, ccs.Digest{
			goldilocks.NewElement(58862007550154521), goldilocks.NewElement(9876876104834839628),
			goldilocks.NewElement(10642890505575815717), goldilocks.NewElement(15101294039301267868),
		}},
		{64, ccs.Digest{
			goldilocks.NewElement(370086410208599088), goldilocks.NewElement(13561237438112827948),
			goldilocks.NewElement(1216053628417849760), goldilocks.NewElement(15547860210960823212),
		}},
		{128, ccs.Digest{
			goldilocks.NewElement(3020778676853071282), goldilocks.NewElement(16956926714835702534),
			goldilocks.NewElement(8516314251355114127), goldilocks.NewElement(15423976102985795692),
		}},
		{256, ccs.Digest{
			goldilocks.NewElement(17576081142334900029), goldilocks.NewElement(10831146523383808334),
			goldilocks.NewElement(746182560376105842), goldilocks.NewElement(1229854607226043545),
		}},
		{512, ccs.Digest{
			goldilocks.NewElement(10058060328950969938), goldilocks.NewElement(12164379157970653712),
			goldilocks.NewElement(17819355825117507815), goldilocks.NewElement(14922887797576826023),
		}},
	} {
		l, err := NewLayout(c.rows)
		if err != nil {
			t.Fatal(err)
		}
		s, err := l.CCS()
		if err != nil {
			t.Fatal(err)
		}
		if d := s.Digest(); d != c.want {
			t.Errorf("R = %d: digest %s, want %s", c.rows, d, c.want)
		}
	}
}

// BenchmarkStepCCS measures what a one-shot verifier pays for the step CCS:
// a fresh build (around the layout's cache) and its first digest.
func BenchmarkStepCCS(b *testing.B) {
	for _, rows := range stepRows {
		b.Run("build/R="+strconv.Itoa(rows), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := buildCCS(rows); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("digest/R="+strconv.Itoa(rows), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				s, err := buildCCS(rows)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				s.Digest()
			}
		})
	}
}
