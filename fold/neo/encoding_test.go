package neo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/sumcheck"
	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/ring"
)

// randomOpened returns a proof of the shape h with random values: not a
// valid proof, but every field the encoding has.
func randomOpened(rng *rand.Rand, h header, m int) *OpenedChainProof {
	elem := func() goldilocks.Element { return goldilocks.NewElement(rng.Uint64()) }
	ext := func(n int) []K {
		out := make([]K, n)
		for i := range out {
			out[i] = K{A0: elem(), A1: elem()}
		}
		return out
	}
	commitment := func() ajtai.Commitment {
		c := make(ajtai.Commitment, h.kappa)
		for i := range c {
			for j := range c[i] {
				c[i][j] = elem()
			}
		}
		return c
	}
	vectors := func() [][]K {
		ys := make([][]K, h.mats)
		for j := range ys {
			ys[j] = ext(ring.D)
		}
		return ys
	}
	digits := func(n int) []int8 {
		out := make([]int8, n)
		for i := range out {
			out[i] = int8(rng.IntN(256) - 128)
		}
		return out
	}
	p := &OpenedChainProof{}
	for i := range h.steps {
		X := make([]goldilocks.Element, h.public)
		for k := range X {
			X[k] = elem()
		}
		p.Steps = append(p.Steps, MCS{C: commitment(), X: X})
		kin := 1 + min(i, h.parts)
		cp := &CCSProof{Sumcheck: &sumcheck.Proof{Rounds: [][]K{ext(2), nil}, Evals: ext(3)}}
		for range h.digitRounds {
			cp.Rounds = append(cp.Rounds, ext(h.digitEvals))
		}
		for range kin {
			cp.Y = append(cp.Y, vectors())
		}
		R := ext(h.ell)
		f := &FoldProof{CCS: cp}
		for range h.parts {
			X := make([]goldilocks.Element, ring.D*h.public)
			for k, δ := range digits(len(X)) {
				X[k] = digitElement(δ)
			}
			f.Parts = append(f.Parts, Claim{C: commitment(), X: X, R: clone(R), Y: vectors()})
		}
		p.Folds = append(p.Folds, f)
	}
	for range h.parts {
		p.Opening.Z = append(p.Opening.Z, digits(ring.D*m))
	}
	return p
}

// randomCombined returns randomOpened's proof as a combined one: its last
// fold without parts, a random opening of entries below 2^15 in magnitude
// and random quotients.
func randomCombined(rng *rand.Rand, h header, m int) *CombinedChainProof {
	o := randomOpened(rng, h, m)
	p := &CombinedChainProof{ChainProof: o.ChainProof}
	p.Folds[len(p.Folds)-1].Parts = nil
	for range ring.D * m {
		p.Opening = append(p.Opening, int32(rng.IntN(1<<16)-1<<15))
	}
	for range h.kappa * (ring.D - 1) {
		p.Quotients = append(p.Quotients, goldilocks.NewElement(rng.Uint64()))
	}
	return p
}

// smallShape is a proof shape small enough to test every byte of.
var smallShape = header{steps: 2, kappa: 1, public: 1, ell: 2, mats: 2, parts: 2, digitRounds: 2, digitEvals: 3}

func mustMarshal(t testing.TB, p interface{ MarshalBinary() ([]byte, error) }) []byte {
	t.Helper()
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// smallChainProof proves a random chain of the given steps with κ = 1, so
// that the proof is small, and returns it with its key and the chain's
// public part.
func smallChainProof(t testing.TB, steps int) (*OpenedChainProof, *ajtai.PublicParams, *ccs.Chain) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	chain := chainR1CS(t, rng, 1, 1, steps)
	p := ajtai.Goldilocks(chain.Steps[0].CCS.NumVariables())
	p.Kappa = 1
	pp, err := ajtai.Setup(context.Background(), p, relSeed())
	if err != nil {
		t.Fatal(err)
	}
	proof, _, accW, err := ProveChain(context.Background(), pp, chain)
	if err != nil {
		t.Fatal(err)
	}
	return &OpenedChainProof{ChainProof: *proof, Opening: accW}, pp, publicOnly(chain)
}

func TestEncodingNightstream(t *testing.T) {
	ctx := context.Background()
	chain := readChain(t, "test_starstream_tx_export_valid.json")
	pp := chainSetup(t, chain)
	proof, acc, accW, err := ProveChain(ctx, pp, chain)
	if err != nil {
		t.Fatal(err)
	}
	opened := &OpenedChainProof{ChainProof: *proof, Opening: accW}
	b := mustMarshal(t, opened)
	t.Logf("valid Nightstream chain: %d steps, proof with opening %d bytes, folds alone %d bytes",
		len(proof.Steps), len(b), len(mustMarshal(t, proof)))
	var got OpenedChainProof
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if again := mustMarshal(t, &got); !bytes.Equal(again, b) {
		t.Fatal("decoded proof re-encodes differently")
	}
	final, err := got.Verify(ctx, pp, publicOnly(chain))
	if err != nil {
		t.Fatalf("decoded proof does not verify: %v", err)
	}
	if final.Digest != acc.Digest {
		t.Fatal("verifier's final digest differs from the prover's")
	}

	// The folds alone: another kind, which the other type refuses.
	folds := mustMarshal(t, proof)
	var p ChainProof
	if err := p.UnmarshalBinary(folds); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyChain(context.Background(), pp, publicOnly(chain), &p, decider(pp, chain.Steps[0].CCS, accW)); err != nil {
		t.Fatalf("decoded folds do not verify: %v", err)
	}
	if err := p.UnmarshalBinary(b); !errors.Is(err, ErrEncoding) {
		t.Errorf("ChainProof of an opened proof's bytes: got %v, want ErrEncoding", err)
	}
	if err := got.UnmarshalBinary(folds); !errors.Is(err, ErrEncoding) {
		t.Errorf("OpenedChainProof of a ChainProof's bytes: got %v, want ErrEncoding", err)
	}
	prefixed, err := opened.AppendBinary([]byte("xy"))
	if err != nil || string(prefixed[:2]) != "xy" || !bytes.Equal(prefixed[2:], b) {
		t.Fatalf("AppendBinary does not append the encoding: %v", err)
	}
}

func TestEncodingTruncated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := randomOpened(rng, smallShape, 3)
	for _, enc := range [][]byte{mustMarshal(t, p), mustMarshal(t, &p.ChainProof)} {
		for n := range enc {
			var q OpenedChainProof
			err := q.UnmarshalBinary(enc[:n])
			var f ChainProof
			errF := f.UnmarshalBinary(enc[:n])
			if !errors.Is(err, ErrEncoding) || !errors.Is(errF, ErrEncoding) {
				t.Fatalf("%d of %d bytes: got %v and %v, want ErrEncoding", n, len(enc), err, errF)
			}
		}
		var q OpenedChainProof
		var f ChainProof
		long := append(clone(enc), 0)
		if q.UnmarshalBinary(long) == nil || f.UnmarshalBinary(long) == nil {
			t.Fatal("a trailing byte accepted")
		}
	}
}

func TestEncodingRoundTripShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, h := range []header{
		smallShape,
		{steps: 1, kappa: 2, public: 0, ell: 0, mats: 1, parts: 1, digitRounds: 1, digitEvals: 0},
		{steps: 3, kappa: 1, public: 3, ell: 5, mats: 4, parts: 3, digitRounds: 6, digitEvals: 4},
	} {
		p := randomOpened(rng, h, 2)
		b := mustMarshal(t, p)
		var q OpenedChainProof
		if err := q.UnmarshalBinary(b); err != nil {
			t.Fatalf("%+v: %v", h, err)
		}
		if !bytes.Equal(mustMarshal(t, &q), b) {
			t.Fatalf("%+v: re-encodes differently", h)
		}
	}
}

// TestEncodingRefuses checks what cannot be encoded and what is not an
// encoding: non-canonical words, out-of-bound counts, ragged shapes.
func TestEncodingRefuses(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	good := mustMarshal(t, randomOpened(rng, smallShape, 3))
	decodes := func(b []byte) error {
		var q OpenedChainProof
		return q.UnmarshalBinary(b)
	}
	word := func(at int, v uint64) []byte {
		b := clone(good)
		binary.LittleEndian.PutUint64(b[at:], v)
		return b
	}
	field := func(i int, v uint32) []byte {
		b := clone(good)
		binary.LittleEndian.PutUint32(b[2+4*i:], v)
		return b
	}
	stepC := headerBytes
	stepX := stepC + elemBytes
	fold0 := headerBytes + smallShape.steps*(smallShape.kappa*elemBytes+smallShape.public*8)
	const q = 0xFFFF_FFFF_0000_0001
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"version 2", append([]byte{2}, good[1:]...)},
		{"kind 7", append([]byte{1, 7}, good[2:]...)},
		{"commitment word q", word(stepC, q)},
		{"commitment word 2^64-1", word(stepC+8*5, 1<<64-1)},
		{"public word q", word(stepX, q)},
		{"phase-1 word q", word(fold0+1, q)},
		{"phase-1 A1 word q", word(fold0+1+8, q)},
		{"no steps", field(0, 0)},
		{"2^16+1 steps", field(0, MaxSteps+1)},
		{"2^16 steps in a short input", field(0, MaxSteps)},
		{"κ 0", field(1, 0)},
		{"κ 2^32-1", field(1, 1<<32-1)},
		{"ℓ 33", field(3, 33)},
		{"no matrices", field(4, 0)},
		{"65 parts", field(5, 65)},
		{"no phase-1 rounds", field(6, 0)},
		{"9 phase-1 evaluations", field(7, 9)},
		{"K_in 0", func() []byte { b := clone(good); b[fold0] = 0; return b }()},
		{"K_in k+3", func() []byte { b := clone(good); b[fold0] = byte(smallShape.parts + 3); return b }()},
	} {
		if err := decodes(c.data); !errors.Is(err, ErrEncoding) {
			t.Errorf("%s: got %v, want ErrEncoding", c.name, err)
		}
	}

	for _, c := range []struct {
		name  string
		spoil func(p *OpenedChainProof)
	}{
		{"no steps", func(p *OpenedChainProof) { p.Steps, p.Folds = nil, nil }},
		{"a fold missing", func(p *OpenedChainProof) { p.Folds = p.Folds[:1] }},
		{"nil fold", func(p *OpenedChainProof) { p.Folds[1] = nil }},
		{"no phase-2 proof", func(p *OpenedChainProof) { p.Folds[1].CCS.Sumcheck = nil }},
		{"ragged commitment", func(p *OpenedChainProof) { p.Steps[1].C = append(p.Steps[1].C, ring.Elem{}) }},
		{"ragged public input", func(p *OpenedChainProof) { p.Steps[1].X = nil }},
		{"ragged round", func(p *OpenedChainProof) { p.Folds[1].CCS.Rounds[0] = nil }},
		{"ragged y'", func(p *OpenedChainProof) { p.Folds[1].CCS.Y[0] = p.Folds[1].CCS.Y[0][:1] }},
		{"part off the point", func(p *OpenedChainProof) { p.Folds[1].Parts[1].R = make([]K, smallShape.ell) }},
		{"X not a digit", func(p *OpenedChainProof) { p.Folds[0].Parts[0].X[0] = goldilocks.NewElement(200) }},
		{"part Y short", func(p *OpenedChainProof) { p.Folds[0].Parts[1].Y[1] = nil }},
		{"opening of 1 witness", func(p *OpenedChainProof) { p.Opening.Z = p.Opening.Z[:1] }},
		{"opening of ragged witnesses", func(p *OpenedChainProof) { p.Opening.Z[1] = p.Opening.Z[1][1:] }},
		{"sum-check of 33 rounds", func(p *OpenedChainProof) { p.Folds[0].CCS.Sumcheck.Rounds = make([][]K, 33) }},
	} {
		p := randomOpened(rng, smallShape, 3)
		c.spoil(p)
		buf := []byte("xy")
		got, err := p.AppendBinary(buf)
		if !errors.Is(err, ErrEncoding) && !errors.Is(err, sumcheck.ErrEncoding) {
			t.Errorf("%s: got %v, want an encoding error", c.name, err)
		}
		if string(got) != "xy" {
			t.Errorf("%s: AppendBinary changed its input on error", c.name)
		}
	}
}

// TestEncodingAllocation checks that an input announcing large counts is
// refused without allocating for them.
func TestEncodingAllocation(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	good := mustMarshal(t, randomOpened(rng, smallShape, 3))
	for _, h := range []header{
		{steps: MaxSteps, kappa: maxKappa, public: maxPublic, ell: 32, mats: maxMats, parts: maxParts, digitRounds: 32, digitEvals: 8},
		{steps: 1, kappa: 1, public: maxPublic, ell: 32, mats: maxMats, parts: maxParts, digitRounds: 32, digitEvals: 8},
	} {
		b := clone(good)
		for i, v := range []int{h.steps, h.kappa, h.public, h.ell, h.mats, h.parts, h.digitRounds, h.digitEvals} {
			binary.LittleEndian.PutUint32(b[2+4*i:], uint32(v))
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var q OpenedChainProof
		err := q.UnmarshalBinary(b)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrEncoding) {
			t.Fatalf("%+v: got %v, want ErrEncoding", h, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 16*uint64(len(b))+1<<16 {
			t.Errorf("%+v: %d bytes allocated for an input of %d", h, n, len(b))
		}
	}
}

// TestEncodingBitFlips flips one bit at every byte of a real one-step
// proof (a sample of a two-step one under -short, whose second fold carries
// claims): each flip is refused by the decoder or rejected by the verifier,
// the decider included.
func TestEncodingBitFlips(t *testing.T) {
	ctx := context.Background()
	steps := 1
	if testing.Short() {
		steps = 2
	}
	opened, pp, pub := smallChainProof(t, steps)
	enc := mustMarshal(t, opened)
	if _, err := opened.Verify(ctx, pp, pub); err != nil {
		t.Fatalf("honest proof: %v", err)
	}
	flipBytes(t, enc, func(b []byte) (bool, bool) {
		var q OpenedChainProof
		if q.UnmarshalBinary(b) != nil {
			return false, false
		}
		_, err := q.Verify(ctx, pp, pub)
		return true, err == nil
	})
}

// flipBytes flips one bit at every byte of enc (400 of them under -short),
// on every core, and fails the test for each change that check reports as
// decoded and accepted.
func flipBytes(t *testing.T, enc []byte, check func(b []byte) (decoded, accepted bool)) {
	t.Helper()
	positions := make([]int, len(enc))
	for i := range positions {
		positions[i] = i
	}
	if testing.Short() {
		rng := rand.New(rand.NewPCG(11, 12))
		rng.Shuffle(len(positions), func(i, j int) { positions[i], positions[j] = positions[j], positions[i] })
		positions = positions[:min(400, len(positions))]
	}
	var decoded atomic.Int64
	var failed atomic.Pointer[string]
	parallel.For(len(positions), 64, func(lo, hi int) {
		b := clone(enc)
		for i := lo; i < hi; i++ {
			at, bit := positions[i], byte(1)<<(i%8)
			b[at] ^= bit
			dec, ok := check(b)
			if dec {
				decoded.Add(1)
			}
			if ok {
				msg := fmt.Sprintf("bit %d of byte %d flipped: the proof still verifies", i%8, at)
				failed.Store(&msg)
			}
			b[at] ^= bit
		}
	})
	if msg := failed.Load(); msg != nil {
		t.Fatal(*msg)
	}
	t.Logf("%d-byte proof, %d positions flipped, %d of them decoded and rejected by the verifier", len(enc), len(positions), decoded.Load())
}

func FuzzUnmarshal(f *testing.F) {
	// The smallest shapes: a ring element alone is 432 bytes, and the
	// fuzzer minimises slowly on large inputs.
	rng := rand.New(rand.NewPCG(13, 14))
	tiny := header{steps: 1, kappa: 1, ell: 1, mats: 1, parts: 1, digitRounds: 1, digitEvals: 1}
	p := randomOpened(rng, tiny, 1)
	f.Add(mustMarshal(f, p))
	f.Add(mustMarshal(f, &p.ChainProof))
	f.Add(mustMarshal(f, randomCombined(rng, tiny, 1)))
	bits := randomCombined(rng, tiny, 2)
	bits.Opening = make([]int32, 2*ring.D)
	bits.Opening[0], bits.Opening[ring.D+3] = 1, -1
	f.Add(mustMarshal(f, bits))
	tiny.steps, tiny.public = 2, 1
	f.Add(mustMarshal(f, randomOpened(rng, tiny, 1)))
	f.Add(mustMarshal(f, randomCombined(rng, tiny, 1)))
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var q OpenedChainProof
		if err := q.UnmarshalBinary(data); err == nil {
			if again := mustMarshal(t, &q); !bytes.Equal(again, data) {
				t.Fatal("an opened proof re-encodes differently")
			}
		} else if !errors.Is(err, ErrEncoding) {
			t.Fatalf("error %v does not wrap ErrEncoding", err)
		}
		var c ChainProof
		if err := c.UnmarshalBinary(data); err == nil {
			if again := mustMarshal(t, &c); !bytes.Equal(again, data) {
				t.Fatal("a chain proof re-encodes differently")
			}
		} else if !errors.Is(err, ErrEncoding) {
			t.Fatalf("error %v does not wrap ErrEncoding", err)
		}
		var cp CombinedChainProof
		if err := cp.UnmarshalBinary(data); err == nil {
			if again := mustMarshal(t, &cp); !bytes.Equal(again, data) {
				t.Fatal("a combined proof re-encodes differently")
			}
		} else if !errors.Is(err, ErrEncoding) {
			t.Fatalf("error %v does not wrap ErrEncoding", err)
		}
		var tp TreeProof
		if err := tp.UnmarshalBinary(data); err == nil {
			if again := mustMarshal(t, &tp); !bytes.Equal(again, data) {
				t.Fatal("a tree proof re-encodes differently")
			}
		} else if !errors.Is(err, ErrEncoding) {
			t.Fatalf("error %v does not wrap ErrEncoding", err)
		}
	})
}

// TestTreeEncoding round-trips a real tree proof with merges (folds of
// 2k+1 instances), checks that the decoded proof verifies, that the kinds
// do not mix, and that flipped bits are refused by the decoder or rejected
// by VerifyTree with the decider.
func TestTreeEncoding(t *testing.T) {
	ctx := context.Background()
	s, pp, mcs, wit := mergeSetup(t, ajtai.GoldilocksMerge)
	shape := randomTree(rand.New(rand.NewPCG(71, 72)), 3)
	steps := make([]MCS, len(shape))
	wits := make([]MCSWitness, len(shape))
	for i := range steps {
		steps[i], wits[i] = mcs, wit
	}
	proof, _, accW, err := ProveTree(ctx, pp, s, shape, steps, wits)
	if err != nil {
		t.Fatal(err)
	}
	decide := func(a Acc) error { return Decide(ctx, pp, s, a, accW) }
	enc := mustMarshal(t, proof)
	var got TreeProof
	if err := got.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mustMarshal(t, &got), enc) {
		t.Fatal("a tree proof re-encodes differently")
	}
	if _, err := VerifyTree(pp, s, shape, &got, decide); err != nil {
		t.Fatalf("decoded proof rejected: %v", err)
	}
	if err := new(ChainProof).UnmarshalBinary(enc); !errors.Is(err, ErrEncoding) {
		t.Errorf("a tree proof decoded as a chain proof: %v", err)
	}
	if _, err := (*ChainProof)(proof).MarshalBinary(); !errors.Is(err, ErrEncoding) {
		t.Errorf("merges of 2k+1 instances encoded as a chain: %v", err)
	}
	rng := rand.New(rand.NewPCG(73, 74))
	flips := 200
	if testing.Short() {
		flips = 40
	}
	for range flips {
		at, bit := rng.IntN(len(enc)), byte(1)<<rng.IntN(8)
		b := clone(enc)
		b[at] ^= bit
		var q TreeProof
		if err := q.UnmarshalBinary(b); err != nil {
			continue
		}
		if _, err := VerifyTree(pp, s, shape, &q, decide); err == nil {
			t.Fatalf("bit %#x of byte %d flipped: the tree proof still verifies", bit, at)
		}
	}
}
