package neo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/ring"
)

// combinedCase is a chain proved both ways under the same options.
type combinedCase struct {
	pp       *ajtai.PublicParams
	chain    *ccs.Chain // the verifier's: public parts only
	opts     []ChainOption
	proof    *CombinedChainProof
	plain    *ChainProof
	verifier *Verifier
}

// proveCombinedCase proves a random chain of the given steps with
// ProveCombined and ProveChain; with claims, every fold carries a step
// claim, the header binds data and the digit planes are bounded, as
// txproof proves.
func proveCombinedCase(t testing.TB, steps int, claims bool) combinedCase {
	t.Helper()
	ctx := context.Background()
	chain := chainR1CS(t, rand.New(rand.NewPCG(uint64(steps), 31)), 2, 9, steps)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	p, err := NewProver(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	var opts []ChainOption
	if claims {
		tt, ok := t.(*testing.T)
		if !ok {
			t.Fatal("step claims need a *testing.T")
		}
		data := []goldilocks.Element{goldilocks.NewElement(3), goldilocks.NewElement(5)}
		opts = []ChainOption{WithStepClaims(stepClaims(tt, pp, p, chain, rand.New(rand.NewPCG(uint64(steps), 32)))), WithHeaderData(data), WithDigitPlanes(8)}
	}
	proof, err := p.ProveCombined(ctx, chain, opts...)
	if err != nil {
		t.Fatal(err)
	}
	plain, _, _, err := p.ProveChain(ctx, chain, opts...)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(pp, s)
	if err != nil {
		t.Fatal(err)
	}
	return combinedCase{pp: pp, chain: publicOnly(chain), opts: opts, proof: proof, plain: plain, verifier: v}
}

// TestProveCombined: a combined proof verifies, before and after its
// encoding; its folds are ProveChain's up to the last Π_CCS, which it
// stops after; its opening is one matrix below B.
func TestProveCombined(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		steps  int
		claims bool
	}{{1, false}, {2, false}, {3, false}, {1, true}, {3, true}} {
		t.Run(fmt.Sprintf("steps=%d/claims=%v", tc.steps, tc.claims), func(t *testing.T) {
			c := proveCombinedCase(t, tc.steps, tc.claims)
			n := len(c.proof.Folds)
			if !reflect.DeepEqual(c.proof.Steps, c.plain.Steps) || !reflect.DeepEqual(c.proof.Folds[:n-1], c.plain.Folds[:n-1]) {
				t.Fatal("the folds before the last differ from ProveChain's")
			}
			if last := c.proof.Folds[n-1]; !reflect.DeepEqual(last.CCS, c.plain.Folds[n-1].CCS) || len(last.Parts) != 0 {
				t.Fatal("the last fold is not ProveChain's Π_CCS without parts")
			}
			claim, err := c.verifier.VerifyCombined(ctx, c.chain, c.proof, c.opts...)
			if err != nil {
				t.Fatalf("honest proof: %v", err)
			}
			if err := DecideCombined(ctx, c.pp, c.chain.Steps[0].CCS, claim, c.proof.Opening, c.proof.Quotients); err != nil {
				t.Fatalf("the returned claim: %v", err)
			}
			enc := mustMarshal(t, c.proof)
			var q CombinedChainProof
			if err := q.UnmarshalBinary(enc); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(mustMarshal(t, &q), enc) {
				t.Fatal("decoding then encoding changed the proof")
			}
			if _, err := q.Verify(ctx, c.pp, c.chain, c.opts...); err != nil {
				t.Fatalf("the decoded proof: %v", err)
			}
			t.Logf("combined proof %d bytes, ProveChain's without an opening %d", len(enc), len(mustMarshal(t, c.plain)))
			for _, kind := range []interface{ UnmarshalBinary([]byte) error }{new(ChainProof), new(OpenedChainProof), new(TreeProof)} {
				if err := kind.UnmarshalBinary(enc); !errors.Is(err, ErrEncoding) {
					t.Errorf("%T decodes a combined proof: %v", kind, err)
				}
			}
		})
	}
}

// TestCombinedRejects: the verifier rejects a combined proof with its
// opening, quotients or last fold changed, or under another chain or other
// options.
func TestCombinedRejects(t *testing.T) {
	ctx := context.Background()
	c := proveCombinedCase(t, 2, true)
	bound := int32(c.pp.Params().Bound)
	edit := func(f func(p *CombinedChainProof)) *CombinedChainProof {
		var q CombinedChainProof
		if err := q.UnmarshalBinary(mustMarshal(t, c.proof)); err != nil {
			t.Fatal(err)
		}
		f(&q)
		return &q
	}
	n := len(c.proof.Folds)
	otherChain := publicOnly(c.chain)
	otherChain.Steps = slices.Clone(otherChain.Steps)
	otherChain.Steps[n-1].Public = slices.Clone(otherChain.Steps[n-1].Public)
	otherChain.Steps[n-1].Public[len(otherChain.Steps[n-1].Public)-1].SetUint64(99)
	cases := []struct {
		name  string
		proof *CombinedChainProof
		chain *ccs.Chain
		opts  []ChainOption
		want  error
	}{
		{"an opening entry changed", edit(func(p *CombinedChainProof) { p.Opening[len(p.Opening)/2]++ }), nil, nil, ErrCommitment},
		{"a public entry changed", edit(func(p *CombinedChainProof) { p.Opening[0]-- }), nil, nil, ErrCommitment},
		{"an entry at B", edit(func(p *CombinedChainProof) { p.Opening[7] = bound }), nil, nil, ErrNorm},
		{"an entry at −B", edit(func(p *CombinedChainProof) { p.Opening[7] = -bound }), nil, nil, ErrNorm},
		{"a quotient changed", edit(func(p *CombinedChainProof) { p.Quotients[3].SetUint64(1) }), nil, nil, ErrCommitment},
		{"no quotients", edit(func(p *CombinedChainProof) { p.Quotients = nil }), nil, nil, ErrCommitment},
		{"a short opening", edit(func(p *CombinedChainProof) { p.Opening = p.Opening[:len(p.Opening)-1] }), nil, nil, ErrShape},
		{"the last fold with Π_DEC parts", edit(func(p *CombinedChainProof) { p.Folds[n-1].Parts = c.plain.Folds[n-1].Parts }), nil, nil, ErrShape},
		{"a phase-1 message changed", edit(func(p *CombinedChainProof) { p.Folds[n-1].CCS.Rounds[0][0].A0.SetUint64(5) }), nil, nil, nil},
		{"another chain", c.proof, otherChain, nil, ErrChain},
		{"other header data", c.proof, nil, append(slices.Clone(c.opts), WithHeaderData([]goldilocks.Element{goldilocks.NewElement(4)})), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			chain, opts := c.chain, c.opts
			if tc.chain != nil {
				chain = tc.chain
			}
			if tc.opts != nil {
				opts = tc.opts
			}
			_, err := c.verifier.VerifyCombined(ctx, chain, tc.proof, opts...)
			if err == nil {
				t.Fatal("accepted")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestCombinedBitFlips flips one bit at every byte of a one-step combined
// proof under a key of κ = 1 (a sample of a two-step one under -short):
// each flip is refused by the decoder or rejected by the verifier.
func TestCombinedBitFlips(t *testing.T) {
	ctx := context.Background()
	steps := 1
	if testing.Short() {
		steps = 2
	}
	rng := rand.New(rand.NewPCG(7, 8))
	chain := chainR1CS(t, rng, 1, 1, steps)
	params := ajtai.Goldilocks(chain.Steps[0].CCS.NumVariables())
	params.Kappa = 1
	pp, err := ajtai.Setup(ctx, params, relSeed())
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProver(pp, chain.Steps[0].CCS)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := p.ProveCombined(ctx, chain)
	if err != nil {
		t.Fatal(err)
	}
	pub := publicOnly(chain)
	if _, err := proof.Verify(ctx, pp, pub); err != nil {
		t.Fatalf("honest proof: %v", err)
	}
	flipBytes(t, mustMarshal(t, proof), func(b []byte) (bool, bool) {
		var q CombinedChainProof
		if q.UnmarshalBinary(b) != nil {
			return false, false
		}
		_, err := q.Verify(ctx, pp, pub)
		return true, err == nil
	})
}

// TestOpeningForms: an opening of binary digit columns is written as its
// values and any other entry by entry, both decode to what was encoded, and
// the decoder refuses everything else: the other form for the same
// opening, a varint longer than it needs, a value beyond d binary digits
// and an unknown form.
func TestOpeningForms(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	tiny := header{steps: 1, kappa: 1, ell: 0, mats: 1, parts: 0, digitRounds: 1, digitEvals: 1}
	const m = 3
	values := []int64{0, -5, 1<<ring.D - 1}
	bits := make([]int32, 0, ring.D*m)
	for _, v := range values {
		sign, mag := int32(1), v
		if v < 0 {
			sign, mag = -1, -v
		}
		for ρ := range ring.D {
			bits = append(bits, sign*int32(mag>>ρ&1))
		}
	}
	mixed := slices.Clone(bits)
	mixed[ring.D+1] = 1 // column 1, −5 = −1 − 4, now holds both signs
	for _, tc := range []struct {
		name string
		Z    []int32
		form byte
	}{{"binary columns", bits, openingValues}, {"a column of both signs", mixed, openingEntries}} {
		p := randomCombined(rng, tiny, m)
		p.Opening = tc.Z
		enc := mustMarshal(t, p)
		at := openingAt(t, enc, p)
		if enc[at] != tc.form {
			t.Errorf("%s: written in form %d, want %d", tc.name, enc[at], tc.form)
		}
		var q CombinedChainProof
		if err := q.UnmarshalBinary(enc); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(q.Opening, tc.Z) {
			t.Errorf("%s: decoded another opening", tc.name)
		}
	}

	p := randomCombined(rng, tiny, m)
	p.Opening = bits
	enc := mustMarshal(t, p)
	at := openingAt(t, enc, p)
	quotients := enc[len(enc)-8*len(p.Quotients):]
	head := enc[:at]
	withOpening := func(form byte, body []byte) []byte {
		return slices.Concat(head, []byte{form}, body, quotients)
	}
	var entries []byte
	for _, z := range bits {
		entries = append(entries, byte(uint16(z)), byte(uint16(z)>>8))
	}
	long := slices.Concat([]byte{0x80, 0x00}, enc[at+2:len(enc)-len(quotients)]) // value 0 in two bytes
	big := []byte{}
	for _, v := range []int64{0, 0, 1 << ring.D} {
		big = binary.AppendVarint(big, v)
	}
	for name, data := range map[string][]byte{
		"binary columns entry by entry": withOpening(openingEntries, entries),
		"an overlong varint":            withOpening(openingValues, long),
		"a value beyond d digits":       withOpening(openingValues, big),
		"an unknown form":               withOpening(2, enc[at+1:len(enc)-len(quotients)]),
	} {
		if err := new(CombinedChainProof).UnmarshalBinary(data); !errors.Is(err, ErrEncoding) {
			t.Errorf("%s: got %v, want ErrEncoding", name, err)
		}
	}
}

// openingAt returns the offset of the opening's form byte in enc, the
// encoding of p: the quotients and the opening end it.
func openingAt(t *testing.T, enc []byte, p *CombinedChainProof) int {
	t.Helper()
	var body []byte
	body, err := appendOpeningZ(body, p.Opening)
	if err != nil {
		t.Fatal(err)
	}
	return len(enc) - 8*len(p.Quotients) - len(body)
}
