package txproof

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/ssprove/ssprove/fold/interleave"
	"github.com/ssprove/ssprove/internal/wire"
	"github.com/ssprove/ssprove/lattice/ring"
)

// TestProofFile: a proof's file decodes to a proof that verifies and
// encodes to the same bytes, and a truncated or extended file is refused.
func TestProofFile(t *testing.T) {
	p := prove(t, "tx1", dexResults(t)["tx1"])
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("tx1: proof file of %d bytes", len(b))
	var q Proof
	if err := q.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(context.Background(), &q); err != nil {
		t.Fatalf("the decoded proof: %v", err)
	}
	again, err := q.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, b) {
		t.Fatal("decoding then encoding changed the file")
	}
	for name, data := range map[string][]byte{
		"truncated":      b[:len(b)-1],
		"trailing bytes": append(bytes.Clone(b), 0),
		"empty":          nil,
		"magic only":     b[:4],
	} {
		if err := new(Proof).UnmarshalBinary(data); !errors.Is(err, ErrProofFormat) {
			t.Errorf("%s: got %v, want ErrProofFormat", name, err)
		}
	}
	if _, err := (&Proof{Statement: p.Statement}).MarshalBinary(); !errors.Is(err, ErrProofFormat) {
		t.Errorf("an incomplete proof encodes: %v", err)
	}
}

// TestProofFileByteChanges: changing any one byte of a proof file makes it
// undecodable or rejected. The positions are sampled in every part of the
// file (the header whole), fewer under -short.
func TestProofFileByteChanges(t *testing.T) {
	ctx := context.Background()
	p := prove(t, "tx1", dexResults(t)["tx1"])
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	mem, err := p.Memory.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// The parts' ends, as the file lays them out.
	header := 4 + 2 + 1
	stmt := header + 4 + len(p.Statement.Encode())
	memory := stmt + 4 + len(mem)
	cells := memory + interleave.Width*wire.ElemBytes
	evals := cells + 1 + len(p.Evals)*len(p.Evals[0])*ring.D*wire.ElemBytes
	perPart := 64
	if testing.Short() {
		perPart = 8
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var positions []int
	for i := range header {
		positions = append(positions, i)
	}
	for _, part := range [][2]int{{header, stmt}, {stmt, memory}, {memory, cells}, {cells, evals}, {evals, evals + 64}, {evals + 64, len(b)}} {
		positions = append(positions, part[0]) // its length, count or first byte
		for range perPart {
			positions = append(positions, part[0]+rng.IntN(part[1]-part[0]))
		}
	}
	positions = append(positions, len(b)-1)
	refused := 0
	for _, at := range positions {
		c := bytes.Clone(b)
		c[at] ^= 1 << (at % 8)
		var q Proof
		if err := q.UnmarshalBinary(c); err != nil {
			refused++
			continue
		}
		if _, err := Verify(ctx, &q); err == nil {
			t.Errorf("byte %d of %d changed: the proof still verifies", at, len(b))
		}
	}
	t.Logf("%d single-byte changes: %d refused by the decoder, the others by Verify", len(positions), refused)
}

// FuzzProof: any input either decodes to a proof that encodes back to it, or
// is refused with ErrProofFormat; neither panics nor allocates more than the
// input justifies.
func FuzzProof(f *testing.F) {
	f.Add([]byte{})
	f.Add(append(proofMagic[:], 1, 0, presetGoldilocks, 0xff, 0xff, 0xff, 0xff))
	f.Add(append(proofMagic[:], 1, 0, presetGoldilocks, 4, 0, 0, 0, 'S', 'S', 'T', 'S'))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Proof
		if err := p.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrProofFormat) {
				t.Fatalf("error %v does not wrap ErrProofFormat", err)
			}
			return
		}
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("a decoded proof does not encode: %v", err)
		}
		if !bytes.Equal(b, data) {
			t.Fatal("decoding then encoding changed the input")
		}
	})
}
