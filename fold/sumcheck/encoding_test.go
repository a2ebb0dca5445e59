package sumcheck

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/internal/wire"
)

// q is the Goldilocks modulus, the first non-canonical word.
const q = 0xFFFF_FFFF_0000_0001

func sameProof(a, b *Proof) bool {
	if len(a.Rounds) != len(b.Rounds) || !slices.Equal(a.Evals, b.Evals) {
		return false
	}
	for i := range a.Rounds {
		if !slices.Equal(a.Rounds[i], b.Rounds[i]) {
			return false
		}
	}
	return true
}

// sampleProofs returns proofs of several shapes, real and ragged.
func sampleProofs(t *testing.T) []*Proof {
	rng := newRand(12)
	var ps []*Proof
	for _, c := range []struct {
		g       Composition
		numVars int
	}{{Product(3, 0, 1, 2), 4}, {rangeCheck{d: 8}, 2}, {Product(1, 0), 0}} {
		_, p := honest(t, c.g, c.numVars)
		ps = append(ps, p)
	}
	ps = append(ps,
		&Proof{},
		&Proof{Rounds: [][]K{{randK(rng)}, nil, {randK(rng), randK(rng)}}, Evals: []K{randK(rng)}},
	)
	return ps
}

func TestEncodingRoundTrip(t *testing.T) {
	skipWithoutKernels(t)
	for i, p := range sampleProofs(t) {
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("proof %d: %v", i, err)
		}
		again, _ := p.MarshalBinary()
		if !bytes.Equal(b, again) {
			t.Fatalf("proof %d: two encodings differ", i)
		}
		prefixed, err := p.AppendBinary([]byte("xy"))
		if err != nil || !bytes.Equal(prefixed[2:], b) || string(prefixed[:2]) != "xy" {
			t.Fatalf("proof %d: AppendBinary does not append the encoding: %v", i, err)
		}
		var q Proof
		if err := q.UnmarshalBinary(b); err != nil {
			t.Fatalf("proof %d: decode: %v", i, err)
		}
		if !sameProof(p, &q) {
			t.Fatalf("proof %d: decoded %+v, want %+v", i, q, *p)
		}
	}
}

func TestEncodingRejects(t *testing.T) {
	skipWithoutKernels(t)
	good, err := sampleProofs(t)[0].MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	modified := func(f func(b []byte) []byte) []byte { return f(slices.Clone(good)) }
	// Layout of good: version, 4 rounds of degree 3, each 1 + 3·16 bytes, then evals.
	firstWord := 3
	evalsAt := 2 + 4*(1+3*wire.ElemBytes)
	tests := map[string][]byte{
		"empty":           nil,
		"version 0":       modified(func(b []byte) []byte { b[0] = 0; return b }),
		"version 2":       modified(func(b []byte) []byte { b[0] = 2; return b }),
		"33 rounds":       modified(func(b []byte) []byte { b[1] = MaxRounds + 1; return b }),
		"more rounds":     modified(func(b []byte) []byte { b[1]++; return b }),
		"fewer rounds":    modified(func(b []byte) []byte { b[1]--; return b }),
		"round of 10":     modified(func(b []byte) []byte { b[2] = maxRoundEvals + 1; return b }),
		"round count + 1": modified(func(b []byte) []byte { b[2]++; return b }),
		"word q":          modified(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[firstWord:], q); return b }),
		"word 2^64-1":     modified(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[firstWord+8:], ^uint64(0)); return b }),
		"eval word q":     modified(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[evalsAt+4:], q); return b }),
		"evals count max": modified(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[evalsAt:], MaxPolys+1); return b }),
		"evals count +1":  modified(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[evalsAt:], 4); return b }),
		"evals count 2^32": modified(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[evalsAt:], ^uint32(0))
			return b
		}),
		"trailing byte": append(slices.Clone(good), 0),
	}
	for n := range len(good) {
		tests[fmt.Sprintf("truncated to %d bytes", n)] = good[:n]
	}
	for name, b := range tests {
		var p Proof
		p.Evals = []K{kOf(42)}
		if err := p.UnmarshalBinary(b); !errors.Is(err, ErrEncoding) {
			t.Errorf("%s: UnmarshalBinary = %v, want ErrEncoding", name, err)
		}
		if len(p.Evals) != 1 || p.Rounds != nil {
			t.Errorf("%s: a failed decode changed the proof", name)
		}
	}
}

func TestEncodingBounds(t *testing.T) {
	for name, p := range map[string]*Proof{
		"33 rounds":      {Rounds: make([][]K, MaxRounds+1)},
		"round of 10":    {Rounds: [][]K{make([]K, maxRoundEvals+1)}},
		"too many evals": {Evals: make([]K, MaxPolys+1)},
	} {
		if _, err := p.MarshalBinary(); !errors.Is(err, ErrEncoding) {
			t.Errorf("%s: MarshalBinary = %v, want ErrEncoding", name, err)
		}
	}
}

// FuzzUnmarshalBinary checks that no input panics, that whatever decodes
// encodes back to exactly the input (the encoding is canonical), and that
// the decoded proof is no bigger than the input justifies.
func FuzzUnmarshalBinary(f *testing.F) {
	rng := newRand(13)
	seeds := []*Proof{
		{},
		{Rounds: [][]K{{randK(rng), randK(rng)}}, Evals: []K{randK(rng)}},
		{Rounds: [][]K{{randK(rng), randK(rng), randK(rng), randK(rng)}, {randK(rng), randK(rng), randK(rng), randK(rng)}}, Evals: []K{randK(rng), randK(rng), randK(rng)}},
	}
	for _, p := range seeds {
		b, err := p.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{1, 32})
	f.Add([]byte{1, 0, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Proof
		if err := p.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrEncoding) {
				t.Fatalf("error %v does not wrap ErrEncoding", err)
			}
			return
		}
		elems := len(p.Evals)
		for _, s := range p.Rounds {
			elems += len(s)
		}
		if elems*wire.ElemBytes > len(data) {
			t.Fatalf("%d bytes decoded to %d elements", len(data), elems)
		}
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("a decoded proof does not encode: %v", err)
		}
		if !bytes.Equal(b, data) {
			t.Fatalf("re-encoding differs from the input:\n%x\n%x", data, b)
		}
	})
}
