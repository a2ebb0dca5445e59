package txproof

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ssprove/ssprove/fold/interleave"
	"github.com/ssprove/ssprove/internal/parallel"
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
	p := prove(t, "tx1", dexResults(t)["tx1"])
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	perPart := 64
	if testing.Short() {
		perPart = 8
	}
	rng := rand.New(rand.NewPCG(1, 2))
	parts := fileParts(t, p, len(b))
	var positions []int
	for i := range parts[0][1] {
		positions = append(positions, i)
	}
	for _, part := range parts[1:] {
		positions = append(positions, part[0]) // its length, count or first byte
		for range perPart {
			positions = append(positions, part[0]+rng.IntN(part[1]-part[0]))
		}
	}
	positions = append(positions, len(b)-1)
	changeBytes(t, b, positions)
}

// TestSmallProofEveryByte proves the smallest example transaction, the
// counter's second (13 host calls and 8 scans: one step of 32 rows), and
// checks that flipping one bit of any byte of its 36 KB proof file makes it
// undecodable or rejected. Every byte is tried without -short (about 77 s
// on 2 cores, with a Verifier that keeps the key); under -short, the header, the first bytes of every part and
// 200 random positions.
func TestSmallProofEveryByte(t *testing.T) {
	results, errs := runExample(t, "counter", "tx1", "tx2")
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	p := prove(t, "counter tx2", results[1])
	if p.Statement.Rows != 32 || p.Statement.Steps != 1 {
		t.Fatalf("%d steps of %d rows, want one of 32", p.Statement.Steps, p.Statement.Rows)
	}
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("counter tx2: proof file of %d bytes", len(b))
	positions := make([]int, len(b))
	for i := range positions {
		positions[i] = i
	}
	if testing.Short() {
		parts := fileParts(t, p, len(b))
		positions = positions[:parts[0][1]]
		for _, part := range parts[1:] {
			for at := part[0]; at < min(part[0]+4, part[1]); at++ {
				positions = append(positions, at)
			}
		}
		rng := rand.New(rand.NewPCG(3, 4))
		for range 200 {
			positions = append(positions, rng.IntN(len(b)))
		}
		positions = append(positions, len(b)-1)
	}
	changeBytes(t, b, positions)
}

// fileParts returns the parts of p's proof file of size bytes as [start,
// end) offsets, as MarshalBinary lays them out: the header, the statement,
// the memory argument, the column evaluations, the step claims, then the
// chain's first 64 bytes and the rest of it.
func fileParts(t *testing.T, p *Proof, size int) [][2]int {
	t.Helper()
	mem, err := p.Memory.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	header := 4 + 2 + 1
	stmt := header + 4 + len(p.Statement.Encode())
	memory := stmt + 4 + len(mem)
	cells := memory + interleave.Width*wire.ElemBytes
	evals := cells + 1 + len(p.Evals)*len(p.Evals[0])*ring.D*wire.ElemBytes
	if evals+64 > size {
		t.Fatalf("a proof file of %d bytes whose chain starts at %d", size, evals)
	}
	return [][2]int{{0, header}, {header, stmt}, {stmt, memory}, {memory, cells}, {cells, evals}, {evals, evals + 64}, {evals + 64, size}}
}

// changeBytes flips one bit of b at each of positions in turn, on every
// core, and fails the test for each change that decodes to a proof a
// Verifier accepts.
func changeBytes(t *testing.T, b []byte, positions []int) {
	t.Helper()
	ctx := context.Background()
	// Shuffled, so that every core gets its share of each part of the
	// file, whose changes differ in what they cost to refuse.
	positions = slices.Clone(positions)
	rand.New(rand.NewPCG(5, 6)).Shuffle(len(positions), func(i, j int) {
		positions[i], positions[j] = positions[j], positions[i]
	})
	// One Verifier keeps the key's coefficients for every change, as a node
	// verifying many proofs would.
	var v Verifier
	workers := parallel.Workers(len(positions), 2)
	accepted := make([][]int, workers)
	refused := make([]int, workers)
	start := time.Now()
	parallel.Split(len(positions), workers, func(c, lo, hi int) {
		for _, at := range positions[lo:hi] {
			bad := bytes.Clone(b)
			bad[at] ^= 1 << (at % 8)
			var q Proof
			if err := q.UnmarshalBinary(bad); err != nil {
				refused[c]++
				continue
			}
			if _, err := v.Verify(ctx, &q); err == nil {
				accepted[c] = append(accepted[c], at)
			}
		}
	})
	decoder := 0
	for c, ats := range accepted {
		decoder += refused[c]
		for _, at := range ats {
			t.Errorf("byte %d of %d changed: the proof still verifies", at, len(b))
		}
	}
	t.Logf("%d single-byte changes of %d bytes in %v on %d cores: %d refused by the decoder, the others by Verify",
		len(positions), len(b), time.Since(start).Round(time.Millisecond), workers, decoder)
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
