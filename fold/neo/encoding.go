package neo

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/sumcheck"
	"github.com/ssprove/ssprove/internal/wire"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/ring"
)

// ErrEncoding is wrapped by every error about a proof that cannot be
// encoded, or bytes that are not the encoding of a proof.
var ErrEncoding = errors.New("neo: malformed proof encoding")

// Bounds of the encoding. A decoder refuses anything larger before reading
// further, so that a short input cannot announce a large allocation.
const (
	// MaxEncodedSize is the largest encoding accepted, 1 GiB.
	MaxEncodedSize = 1 << 30
	// MaxSteps is the most steps a chain proof may hold.
	MaxSteps = 1 << 16

	maxKappa  = 256     // ring elements per commitment
	maxPublic = 1 << 20 // public inputs of a step
	maxMats   = 256     // matrices, the identity included
	maxParts  = 64      // claims Π_DEC splits into: k
	maxM      = 1 << 26 // witness columns of the opening
)

// encodingVersion is the first byte of an encoded chain proof.
const encodingVersion = 1

// The second byte: what the encoding holds.
const (
	kindFolds  = 0 // a ChainProof
	kindOpened = 1 // an OpenedChainProof: the folds, then the final opening
	kindTree   = 2 // a TreeProof: the steps and folds of a tree's nodes
	// kindCombined is a CombinedChainProof: the folds, the last without
	// parts, then the combined claim's opening and quotients.
	kindCombined = 3
)

// The encoding of a ChainProof (fold/NEO.md §5.4), every integer
// little-endian, every field element a canonical word (below q) in 8 bytes,
// every element of K two of them (package wire), every ring element its 54
// coefficients:
//
//	version      1 byte (1)
//	kind         1 byte: 0 a ChainProof, 1 an OpenedChainProof, 2 a TreeProof,
//	             3 a CombinedChainProof
//	steps        4 bytes s, 1 ≤ s ≤ MaxSteps
//	kappa        4 bytes κ, ring elements per commitment, 1 … 256
//	public       4 bytes m_in, public inputs per step, ≤ 2^20
//	ell          4 bytes ℓ_n, coordinates of a row point, ≤ sumcheck.MaxRounds
//	mats         4 bytes t+1, matrices with the identity, 1 … 256
//	parts        4 bytes k, claims of an accumulator, 1 … 64
//	digitRounds  4 bytes, Π_CCS phase-1 rounds, 1 … sumcheck.MaxRounds
//	digitEvals   4 bytes, evaluations per phase-1 round, ≤ sumcheck.MaxDegree
//	per step     the MCS: C (κ ring elements), X (m_in field elements)
//	per fold     K_in (1 byte, 1 ≤ K_in ≤ k+2 in a chain, whose folds may
//	             carry a step claim, ≤ 2k+1 in a tree, whose merges fold two
//	             accumulators: the instances Π_CCS folds),
//	             the phase-1 rounds (digitRounds × digitEvals elements of K),
//	             4 bytes L ≤ MaxEncodedSize and L bytes: the phase-2
//	             sumcheck.Proof in its own encoding,
//	             y' (K_in × (t+1) × d elements of K),
//	             the point R of the parts (ℓ_n elements of K),
//	             per part: C (κ ring elements), X (d·m_in digits, one
//	             two's-complement byte each), Y ((t+1) × d elements of K)
//
// A TreeProof holds its nodes' steps and folds in the order of its shape's
// nodes; the shape is the verifier's, as the chain is (VerifyTree).
//
// An OpenedChainProof continues with the opening of the final accumulator:
//
//	m            4 bytes, witness columns, 1 … 2^26
//	per part     d·m digits of Z, one two's-complement byte each
//
// A CombinedChainProof's last fold ends after y': it has no point and no
// parts (a proof of one step has no parts at all, and its header says 0
// parts and ℓ_n = 0). The proof continues with the opening of the combined
// claim and its quotients:
//
//	m            4 bytes, witness columns, 1 … 2^26
//	form         1 byte: 1 when every column of Z is the canonical base-2
//	             digits of a value (a one-step proof opens the step), else 0
//	Z            form 0: d·m entries, two's-complement, 2 bytes each;
//	             form 1: m values, zigzag varints at their shortest
//	quotients    κ·(d−1) field elements
//
// The parts of a fold share one point, Π_CCS's, so R is sent once per fold
// (the verifier checks it against its own); X of a part holds digits and
// is sent as bytes. An encoding holds nothing else and no trailing bytes,
// so every proof has one encoding, and decoding then encoding gives the
// input back. The shapes are fixed by the header: a proof whose steps or
// folds differ in shape from the first (never one ProveChain makes) cannot
// be encoded.

// header is the shape every step and fold of an encoded proof has.
type header struct {
	steps, kappa, public, ell, mats, parts, digitRounds, digitEvals int
	// tree and combined are not encoded but follow from the kind: a tree's
	// merges fold up to 2k+1 instances, and a combined chain's last fold
	// has no parts.
	tree, combined bool
}

// partsIn returns the parts fold i of the proof carries.
func (h header) partsIn(i int) int {
	if h.combined && i == h.steps-1 {
		return 0
	}
	return h.parts
}

// maxInstances returns the most instances one fold of the proof folds:
// in a chain the step, the accumulator's k claims and a step claim
// (WithStepClaims); in a tree a merge's step and two accumulators.
func (h header) maxInstances() int {
	if h.tree {
		return 2*h.parts + 1
	}
	return h.parts + 2
}

// headerBytes is the size of version, kind and the header fields.
const headerBytes = 2 + 8*4

// elemBytes is the size of an encoded ring element.
const elemBytes = ring.D * goldilocks.Bytes

// shapeOf returns the header of p, read from its first step and fold, and
// checks the bounds.
func shapeOf(p *ChainProof, kind byte) (header, error) {
	if len(p.Steps) == 0 || len(p.Steps) != len(p.Folds) {
		return header{}, fmt.Errorf("%d steps and %d folds, want as many of each and at least one", len(p.Steps), len(p.Folds))
	}
	h := header{steps: len(p.Steps), tree: kind == kindTree, combined: kind == kindCombined}
	noParts := h.noParts()
	f := p.Folds[0]
	if f == nil || f.CCS == nil || len(f.CCS.Y) == 0 || len(f.CCS.Rounds) == 0 || len(f.Parts) == 0 && !noParts {
		return header{}, errors.New("fold 0 is incomplete")
	}
	h.kappa, h.public = len(p.Steps[0].C), len(p.Steps[0].X)
	h.mats, h.digitRounds, h.digitEvals = len(f.CCS.Y[0]), len(f.CCS.Rounds), len(f.CCS.Rounds[0])
	if !noParts {
		h.ell, h.parts = len(f.Parts[0].R), len(f.Parts)
	}
	return h, h.check()
}

// check returns an error naming the first field out of its bounds.
func (h header) check() error {
	// A proof whose folds carry no parts has 0 parts and ℓ_n = 0 (no point
	// is sent), so that it has one encoding.
	minParts, maxEll, maxK := 1, sumcheck.MaxRounds, maxParts
	if h.noParts() {
		minParts, maxEll, maxK = 0, 0, 0
	}
	for _, c := range []struct {
		name    string
		v, l, u int
	}{
		{"steps", h.steps, 1, MaxSteps},
		{"κ", h.kappa, 1, maxKappa},
		{"public inputs", h.public, 0, maxPublic},
		{"ℓ_n", h.ell, 0, maxEll},
		{"matrices", h.mats, 1, maxMats},
		{"parts", h.parts, minParts, maxK},
		{"phase-1 rounds", h.digitRounds, 1, sumcheck.MaxRounds},
		{"phase-1 evaluations", h.digitEvals, 0, sumcheck.MaxDegree},
	} {
		if c.v < c.l || c.v > c.u {
			return fmt.Errorf("%d %s, want %d … %d", c.v, c.name, c.l, c.u)
		}
	}
	return nil
}

// noParts reports whether no fold of the proof carries parts: a combined
// chain of one step, whose one fold stops after Π_RLC.
func (h header) noParts() bool {
	return h.combined && h.steps == 1
}

// minStepBytes is the least input one step and its fold take, which bounds
// the steps a decoder allocates for.
func (h header) minStepBytes() int {
	return 2*h.kappa*elemBytes + 1 + 4
}

// AppendBinary appends the encoding of p to b (encoding.BinaryAppender).
// It fails, wrapping ErrEncoding and returning b as it was, when p is not
// within the bounds of the encoding or its steps and folds differ in shape.
func (p *ChainProof) AppendBinary(b []byte) ([]byte, error) {
	out, err := appendChain(b, p, kindFolds, nil)
	if err != nil {
		return b, err
	}
	return out, nil
}

// MarshalBinary returns the encoding of p (encoding.BinaryMarshaler).
func (p *ChainProof) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(nil)
}

// UnmarshalBinary sets p to the proof data encodes (encoding.BinaryUnmarshaler).
// It accepts exactly the encodings AppendBinary produces: a known version
// and kind, counts within bounds, canonical words, no trailing bytes and
// at most MaxEncodedSize bytes, and allocates no more than a constant times
// the length of data. On error p is left unchanged.
func (p *ChainProof) UnmarshalBinary(data []byte) error {
	q, err := decodeChain(data, kindFolds, nil)
	if err != nil {
		return err
	}
	*p = *q
	return nil
}

// OpenedChainProof is the stage-1 proof of a chain (fold/NEO.md §5.4): the
// per-fold messages and the opening of the final accumulator, the k digit
// matrices Decide checks it with, so that a verifier needs nothing beyond
// the chain's public part and this proof. The opening is the final witness
// itself: the proof is linear in the chain's length and the witness width,
// and not zero-knowledge.
type OpenedChainProof struct {
	ChainProof
	Opening AccWitness
}

// Verify checks p against chain (VerifyChain), deciding the final
// accumulator with Decide over p.Opening. It returns the final accumulator.
func (p *OpenedChainProof) Verify(ctx context.Context, pp *ajtai.PublicParams, chain *ccs.Chain, opts ...ChainOption) (Acc, error) {
	s, err := chainCCS(chain)
	if err != nil {
		return Acc{}, fmt.Errorf("neo: Verify: %w", err)
	}
	return VerifyChain(ctx, pp, chain, &p.ChainProof, func(acc Acc) error {
		return Decide(ctx, pp, s, acc, p.Opening)
	}, opts...)
}

// AppendBinary appends the encoding of p to b, as ChainProof.AppendBinary
// does, the opening included.
func (p *OpenedChainProof) AppendBinary(b []byte) ([]byte, error) {
	out, err := appendChain(b, &p.ChainProof, kindOpened, appendOpening(&p.Opening))
	if err != nil {
		return b, err
	}
	return out, nil
}

// MarshalBinary returns the encoding of p.
func (p *OpenedChainProof) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(nil)
}

// UnmarshalBinary sets p to the proof data encodes, under the rules of
// ChainProof.UnmarshalBinary.
func (p *OpenedChainProof) UnmarshalBinary(data []byte) error {
	var opening AccWitness
	q, err := decodeChain(data, kindOpened, func(d *decoder) {
		m := d.columns(ring.D)
		if d.Err() == nil && d.h.parts > d.Len()/(ring.D*m) {
			d.Fail("opening of %d×%d digits in %d bytes", d.h.parts, ring.D*m, d.Len())
		}
		if d.Err() == nil {
			opening.Z = make([][]int8, d.h.parts)
			for i := range opening.Z {
				opening.Z[i] = d.digits(ring.D * m)
			}
		}
	})
	if err != nil {
		return err
	}
	*p = OpenedChainProof{ChainProof: *q, Opening: opening}
	return nil
}

// columns reads the width m of an opening, checking 1 ≤ m ≤ 2^26 and that
// the input holds m columns of at least perColumn bytes each; it returns 0
// after an error.
func (d *decoder) columns(perColumn int) int {
	m := int(d.Uint32())
	if d.Err() == nil && (m < 1 || m > maxM) {
		d.Fail("opening of %d columns, want 1 … %d", m, maxM)
	}
	if d.Err() == nil && m > d.Len()/perColumn {
		d.Fail("opening of %d columns in %d bytes", m, d.Len())
	}
	if d.Err() != nil {
		return 0
	}
	return m
}

// AppendBinary appends the encoding of p to b, as ChainProof.AppendBinary
// does, the opening and its quotients included. An entry of the opening
// beyond 2 bytes, or quotients of another length than κ·(d−1), is an error
// wrapping ErrEncoding.
func (p *CombinedChainProof) AppendBinary(b []byte) ([]byte, error) {
	out, err := appendChain(b, &p.ChainProof, kindCombined, func(b []byte, h header) ([]byte, error) {
		m := len(p.Opening) / ring.D
		if m < 1 || m > maxM || len(p.Opening) != ring.D*m {
			return nil, fmt.Errorf("opening of %d entries, want d·m for 1 ≤ m ≤ %d", len(p.Opening), maxM)
		}
		if len(p.Quotients) != h.kappa*(ring.D-1) {
			return nil, fmt.Errorf("%d quotient coefficients, want κ·(d−1) = %d", len(p.Quotients), h.kappa*(ring.D-1))
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(m))
		b, err := appendOpeningZ(b, p.Opening)
		if err != nil {
			return nil, err
		}
		return wire.AppendWords(b, p.Quotients), nil
	})
	if err != nil {
		return b, err
	}
	return out, nil
}

// MarshalBinary returns the encoding of p.
func (p *CombinedChainProof) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(nil)
}

// UnmarshalBinary sets p to the proof data encodes, under the rules of
// ChainProof.UnmarshalBinary.
func (p *CombinedChainProof) UnmarshalBinary(data []byte) error {
	var (
		opening   []int32
		quotients ajtai.Quotients
	)
	q, err := decodeChain(data, kindCombined, func(d *decoder) {
		// Each column takes a byte at least (a varint).
		if m := d.columns(1); d.Err() == nil {
			opening = d.openingZ(m)
		}
		quotients = d.Words(d.h.kappa * (ring.D - 1))
	})
	if err != nil {
		return err
	}
	*p = CombinedChainProof{ChainProof: *q, Opening: opening, Quotients: quotients}
	return nil
}

// AppendBinary appends the encoding of p to b (encoding.BinaryAppender),
// under the rules of ChainProof.AppendBinary, its folds of up to 2k+1
// instances: a tree's merges fold two accumulators and a step.
func (p *TreeProof) AppendBinary(b []byte) ([]byte, error) {
	out, err := appendChain(b, (*ChainProof)(p), kindTree, nil)
	if err != nil {
		return b, err
	}
	return out, nil
}

// MarshalBinary returns the encoding of p (encoding.BinaryMarshaler).
func (p *TreeProof) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(nil)
}

// UnmarshalBinary sets p to the proof data encodes, under the rules of
// ChainProof.UnmarshalBinary. The shape is not in the encoding: VerifyTree
// takes it from the verifier.
func (p *TreeProof) UnmarshalBinary(data []byte) error {
	q, err := decodeChain(data, kindTree, nil)
	if err != nil {
		return err
	}
	*p = TreeProof(*q)
	return nil
}

// appendChain appends the encoding of p as kind, then what tail appends
// (the opening of kindOpened and kindCombined), when it is not nil.
func appendChain(b []byte, p *ChainProof, kind byte, tail func(b []byte, h header) ([]byte, error)) ([]byte, error) {
	h, err := shapeOf(p, kind)
	if err != nil {
		return nil, fmt.Errorf("neo: encode: %s: %w", err, ErrEncoding)
	}
	start := len(b)
	b = append(b, encodingVersion, kind)
	for _, v := range []int{h.steps, h.kappa, h.public, h.ell, h.mats, h.parts, h.digitRounds, h.digitEvals} {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	for i, st := range p.Steps {
		if len(st.C) != h.kappa || len(st.X) != h.public {
			return nil, fmt.Errorf("neo: encode: step %d has %d ring elements and %d public inputs, step 0 %d and %d: %w",
				i, len(st.C), len(st.X), h.kappa, h.public, ErrEncoding)
		}
		b = appendRing(b, st.C)
		b = wire.AppendWords(b, st.X)
	}
	for i, f := range p.Folds {
		if b, err = appendFold(b, h, f, h.partsIn(i)); err != nil {
			return nil, fmt.Errorf("neo: encode: fold %d: %s: %w", i, err, ErrEncoding)
		}
		if len(b)-start > MaxEncodedSize {
			return nil, fmt.Errorf("neo: encode: over %d bytes: %w", MaxEncodedSize, ErrEncoding)
		}
	}
	if tail != nil {
		if b, err = tail(b, h); err != nil {
			return nil, fmt.Errorf("neo: encode: %s: %w", err, ErrEncoding)
		}
	}
	if len(b)-start > MaxEncodedSize {
		return nil, fmt.Errorf("neo: encode: over %d bytes: %w", MaxEncodedSize, ErrEncoding)
	}
	return b, nil
}

// appendOpening appends the k digit matrices of an OpenedChainProof.
func appendOpening(opening *AccWitness) func(b []byte, h header) ([]byte, error) {
	return func(b []byte, h header) ([]byte, error) {
		if len(opening.Z) != h.parts {
			return nil, fmt.Errorf("opening of %d witnesses, want k = %d", len(opening.Z), h.parts)
		}
		m := len(opening.Z[0]) / ring.D
		if m < 1 || m > maxM {
			return nil, fmt.Errorf("opening of %d columns, want 1 … %d", m, maxM)
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(m))
		for i, Z := range opening.Z {
			if len(Z) != ring.D*m {
				return nil, fmt.Errorf("opening witness %d has %d digits, want d·m = %d", i, len(Z), ring.D*m)
			}
			b = append(b, int8Bytes(Z)...)
		}
		return b, nil
	}
}

// appendFold appends the encoding of one fold of shape h with the given
// number of parts: h.parts, or none for a combined chain's last fold, which
// then ends after y'.
func appendFold(b []byte, h header, f *FoldProof, parts int) ([]byte, error) {
	if f == nil || f.CCS == nil || f.CCS.Sumcheck == nil {
		return nil, errors.New("incomplete")
	}
	kin := len(f.CCS.Y)
	if kin < 1 || kin > h.maxInstances() {
		return nil, fmt.Errorf("y' for %d instances, want 1 … %d", kin, h.maxInstances())
	}
	if len(f.CCS.Rounds) != h.digitRounds {
		return nil, fmt.Errorf("%d phase-1 rounds, want %d", len(f.CCS.Rounds), h.digitRounds)
	}
	b = append(b, byte(kin))
	for i, s := range f.CCS.Rounds {
		if len(s) != h.digitEvals {
			return nil, fmt.Errorf("phase-1 round %d has %d evaluations, want %d", i, len(s), h.digitEvals)
		}
		b = wire.AppendElems(b, s)
	}
	at := len(b)
	b = append(b, 0, 0, 0, 0)
	b, err := f.CCS.Sumcheck.AppendBinary(b)
	if err != nil {
		return nil, err
	}
	binary.LittleEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	for i, y := range f.CCS.Y {
		if b, err = appendVectors(b, h, y); err != nil {
			return nil, fmt.Errorf("y'[%d]: %w", i, err)
		}
	}
	if len(f.Parts) != parts {
		return nil, fmt.Errorf("%d parts, want %d", len(f.Parts), parts)
	}
	if parts == 0 {
		return b, nil
	}
	R := f.Parts[0].R
	if len(R) != h.ell {
		return nil, fmt.Errorf("point of %d coordinates, want ℓ_n = %d", len(R), h.ell)
	}
	b = wire.AppendElems(b, R)
	for i, part := range f.Parts {
		switch {
		case !slices.Equal(part.R, R):
			return nil, fmt.Errorf("part %d is at another point than part 0", i)
		case len(part.C) != h.kappa:
			return nil, fmt.Errorf("part %d: %d ring elements, want κ = %d", i, len(part.C), h.kappa)
		case len(part.X) != ring.D*h.public:
			return nil, fmt.Errorf("part %d: X of %d entries, want d·m_in = %d", i, len(part.X), ring.D*h.public)
		}
		b = appendRing(b, part.C)
		for k, x := range part.X {
			v := ring.Signed(x)
			if v < -128 || v > 127 {
				return nil, fmt.Errorf("part %d: X[%d] = %d is not a digit", i, k, v)
			}
			b = append(b, byte(int8(v)))
		}
		if b, err = appendVectors(b, h, part.Y); err != nil {
			return nil, fmt.Errorf("part %d: Y: %w", i, err)
		}
	}
	return b, nil
}

// appendVectors appends t+1 vectors of d elements of K.
func appendVectors(b []byte, h header, ys [][]K) ([]byte, error) {
	if len(ys) != h.mats {
		return nil, fmt.Errorf("%d vectors, want t+1 = %d", len(ys), h.mats)
	}
	for j, y := range ys {
		if len(y) != ring.D {
			return nil, fmt.Errorf("vector %d has %d entries, want d = %d", j, len(y), ring.D)
		}
		b = wire.AppendElems(b, y)
	}
	return b, nil
}

// appendRing appends ring elements, each as its d coefficients.
func appendRing(b []byte, c ajtai.Commitment) []byte {
	for i := range c {
		b = wire.AppendWords(b, c[i][:])
	}
	return b
}

// decoder reads an encoded chain proof; its errors wrap ErrEncoding.
type decoder struct {
	*wire.Reader
	h header
}

// decodeChain decodes data, which must be of the given kind, and returns
// the proof; tail, when not nil, reads what follows the folds (an
// opening), its errors those of the decoder.
func decodeChain(data []byte, kind byte, tail func(d *decoder)) (*ChainProof, error) {
	if len(data) > MaxEncodedSize {
		return nil, fmt.Errorf("neo: decode: %d bytes, at most %d: %w", len(data), MaxEncodedSize, ErrEncoding)
	}
	d := &decoder{Reader: wire.NewReader(data, ErrEncoding)}
	if v := d.Byte(); d.Err() == nil && v != encodingVersion {
		return nil, fmt.Errorf("neo: decode: version %d, want %d: %w", v, encodingVersion, ErrEncoding)
	}
	if k := d.Byte(); d.Err() == nil && k != kind {
		return nil, fmt.Errorf("neo: decode: kind %d, want %d: %w", k, kind, ErrEncoding)
	}
	h := &d.h
	h.tree, h.combined = kind == kindTree, kind == kindCombined
	for _, f := range []*int{&h.steps, &h.kappa, &h.public, &h.ell, &h.mats, &h.parts, &h.digitRounds, &h.digitEvals} {
		*f = int(min(d.Uint32(), 1<<31-1))
	}
	if d.Err() != nil {
		return nil, fmt.Errorf("neo: decode: %w", d.Err())
	}
	if err := h.check(); err != nil {
		return nil, fmt.Errorf("neo: decode: %s: %w", err, ErrEncoding)
	}
	if h.steps > d.Len()/h.minStepBytes() {
		return nil, fmt.Errorf("neo: decode: %d steps in %d bytes: %w", h.steps, d.Len(), ErrEncoding)
	}
	p := &ChainProof{Steps: make([]MCS, h.steps), Folds: make([]*FoldProof, h.steps)}
	for i := range p.Steps {
		p.Steps[i] = MCS{C: d.ring(h.kappa), X: d.Words(h.public)}
	}
	for i := range p.Folds {
		f, err := d.fold(h.partsIn(i))
		if err != nil {
			return nil, fmt.Errorf("neo: decode: fold %d: %w", i, err)
		}
		p.Folds[i] = f
	}
	if tail != nil && d.Err() == nil {
		tail(d)
	}
	if d.Err() != nil {
		return nil, fmt.Errorf("neo: decode: %w", d.Err())
	}
	if d.Len() != 0 {
		return nil, fmt.Errorf("neo: decode: %d trailing bytes: %w", d.Len(), ErrEncoding)
	}
	return p, nil
}

// fold reads one fold of the given number of parts.
func (d *decoder) fold(parts int) (*FoldProof, error) {
	h := d.h
	kin := int(d.Byte())
	if d.Err() == nil && (kin < 1 || kin > h.maxInstances()) {
		return nil, fmt.Errorf("y' for %d instances, want 1 … %d: %w", kin, h.maxInstances(), ErrEncoding)
	}
	if d.Err() != nil {
		return nil, d.Err()
	}
	p := &CCSProof{Rounds: make([][]K, h.digitRounds), Sumcheck: new(sumcheck.Proof)}
	for i := range p.Rounds {
		p.Rounds[i] = d.Elems(h.digitEvals)
	}
	n := int(d.Uint32())
	sc := d.Take(n)
	if d.Err() != nil {
		return nil, d.Err()
	}
	if err := p.Sumcheck.UnmarshalBinary(sc); err != nil {
		return nil, fmt.Errorf("phase 2: %w: %w", ErrEncoding, err)
	}
	// Each vector is d elements of K: check the input holds all of them
	// before allocating the slices that hold them.
	if kin*h.mats > d.Len()/(ring.D*wire.ElemBytes) {
		return nil, fmt.Errorf("y' of %d×%d vectors in %d bytes: %w", kin, h.mats, d.Len(), ErrEncoding)
	}
	p.Y = make([][][]K, kin)
	for i := range p.Y {
		p.Y[i] = d.vectors()
	}
	if parts == 0 {
		if d.Err() != nil {
			return nil, d.Err()
		}
		return &FoldProof{CCS: p}, nil
	}
	R := d.Elems(h.ell)
	if d.Err() == nil && parts > d.Len()/(h.kappa*elemBytes) {
		return nil, fmt.Errorf("%d parts in %d bytes: %w", parts, d.Len(), ErrEncoding)
	}
	if d.Err() != nil {
		return nil, d.Err()
	}
	claims := make([]Claim, parts)
	for i := range claims {
		claims[i].C = d.ring(h.kappa)
		if digits := d.digits(ring.D * h.public); digits != nil {
			claims[i].X = make([]goldilocks.Element, len(digits))
			for k, δ := range digits {
				claims[i].X[k] = digitElement(δ)
			}
		}
		claims[i].R = slices.Clone(R)
		if d.Err() == nil && h.mats > d.Len()/(ring.D*wire.ElemBytes) {
			return nil, fmt.Errorf("part %d: %d vectors in %d bytes: %w", i, h.mats, d.Len(), ErrEncoding)
		}
		claims[i].Y = d.vectors()
	}
	if d.Err() != nil {
		return nil, d.Err()
	}
	return &FoldProof{CCS: p, Parts: claims}, nil
}

// vectors reads t+1 vectors of d elements of K; the caller has checked that
// the input holds them.
func (d *decoder) vectors() [][]K {
	if d.Err() != nil {
		return nil
	}
	ys := make([][]K, d.h.mats)
	for j := range ys {
		ys[j] = d.Elems(ring.D)
	}
	return ys
}

// ring reads a commitment of n ring elements.
func (d *decoder) ring(n int) ajtai.Commitment {
	xs := d.Words(n * ring.D)
	if xs == nil {
		return nil
	}
	c := make(ajtai.Commitment, n)
	for i := range c {
		c[i] = ring.Elem(xs[i*ring.D:])
	}
	return c
}

// digits reads n two's-complement digits.
func (d *decoder) digits(n int) []int8 {
	b := d.Take(n)
	if b == nil {
		return nil
	}
	out := make([]int8, n)
	for i, v := range b {
		out[i] = int8(v)
	}
	return out
}
