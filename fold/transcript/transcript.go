package transcript

import (
	"fmt"
	"sync"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/consensys/gnark-crypto/field/goldilocks/extensions"

	"github.com/ssprove/ssprove/kernels/poseidon2"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/challenge"
	"github.com/ssprove/ssprove/lattice/ring"
)

// The sponge: width 12 with rate 8 leaves a 4-word (256-bit) capacity, twice
// the 128-bit target. The round numbers are those the Poseidon2 paper
// (ePrint 2023/323, table 1) gives for a 64-bit field, x^7 S-box and t = 12
// at 128-bit security, as Plonky3 uses them: R_F = 8, R_P = 22. gnark-crypto's
// own default (6, 17) is below that and is not used. The round constants are
// gnark-crypto's, derived from the parameter string by Keccak.
const (
	width          = poseidon2.Width
	rate           = 8
	fullRounds     = 8
	partialRounds  = 22
	labelBytesWord = 7 // bytes per label word: 7 bytes stay below q
)

// MaxLabel is the longest label accepted, in bytes.
const MaxLabel = 255

// The kinds of record, the high byte of each header word.
const (
	kindDomain = iota + 1
	kindField
	kindExt
	kindBytes
	kindUint64
	kindRing
	kindCommitment
	kindChallengeField
	kindChallengeExt
	kindChallengeSmall
	kindChallengeFields
)

var permutation = sync.OnceValue(func() *poseidon2.Permutation {
	p, err := poseidon2.New(fullRounds, partialRounds)
	if err != nil {
		panic(err) // the round numbers are constants New accepts
	}
	return p
})

// K is the extension field the sum-checks run over, F_q[u]/(u² − 7).
type K = extensions.E2

// Transcript is a Fiat–Shamir transcript. The zero value is not usable; call New.
type Transcript struct {
	state [width]goldilocks.Element
	pos   int  // next rate word to absorb into or squeeze from
	fresh bool // the rate words from pos on are unread permutation output
	perm  *poseidon2.Permutation
}

// New returns a transcript for protocol, a name that separates this use of
// the sponge from every other (for example "ssprove/neo/v1"). It panics if the
// name is longer than MaxLabel, a programming error.
func New(protocol string) *Transcript {
	t := &Transcript{perm: permutation()}
	t.header(kindDomain, protocol)
	return t
}

// Clone returns an independent copy of t in its current state.
func (t *Transcript) Clone() *Transcript {
	c := *t
	return &c
}

// AppendField absorbs field elements under label.
func (t *Transcript) AppendField(label string, xs ...goldilocks.Element) {
	t.header(kindField, label)
	t.absorbLength(len(xs))
	for i := range xs {
		t.absorb(xs[i])
	}
}

// AppendExt absorbs elements of K under label, each as its two coordinates.
func (t *Transcript) AppendExt(label string, xs ...K) {
	t.header(kindExt, label)
	t.absorbLength(len(xs))
	for i := range xs {
		t.absorb(xs[i].A0)
		t.absorb(xs[i].A1)
	}
}

// AppendUint64 absorbs unsigned integers (lengths, counts, indices) under
// label, each as two 32-bit words so that values at or above q stay distinct.
func (t *Transcript) AppendUint64(label string, vs ...uint64) {
	t.header(kindUint64, label)
	t.absorbLength(len(vs))
	for _, v := range vs {
		t.absorbUint(v >> 32)
		t.absorbUint(v & 0xFFFFFFFF)
	}
}

// AppendBytes absorbs a byte string under label, seven bytes to a word after
// its length.
func (t *Transcript) AppendBytes(label string, b []byte) {
	t.header(kindBytes, label)
	t.absorbLength(len(b))
	t.absorbPacked(b)
}

// AppendRing absorbs ring elements under label, each as its 54 coefficients.
func (t *Transcript) AppendRing(label string, xs ...ring.Elem) {
	t.header(kindRing, label)
	t.absorbLength(len(xs))
	for i := range xs {
		for j := range xs[i] {
			t.absorb(xs[i][j])
		}
	}
}

// AppendCommitment absorbs an Ajtai commitment under label: its length in
// ring elements, then their coefficients.
func (t *Transcript) AppendCommitment(label string, c ajtai.Commitment) {
	t.header(kindCommitment, label)
	t.absorbLength(len(c))
	for i := range c {
		for j := range c[i] {
			t.absorb(c[i][j])
		}
	}
}

// ChallengeField draws a uniformly random field element under label.
func (t *Transcript) ChallengeField(label string) goldilocks.Element {
	t.header(kindChallengeField, label)
	return t.squeeze()
}

// ChallengeFields draws n uniformly random field elements under label. It
// panics if n is negative, a programming error.
func (t *Transcript) ChallengeFields(label string, n int) []goldilocks.Element {
	if n < 0 {
		panic(fmt.Sprintf("transcript: ChallengeFields(%q, %d): negative count", label, n))
	}
	t.header(kindChallengeFields, label)
	t.absorbLength(n)
	out := make([]goldilocks.Element, n)
	for i := range out {
		out[i] = t.squeeze()
	}
	return out
}

// ChallengeExt draws a uniformly random element of K under label.
func (t *Transcript) ChallengeExt(label string) K {
	t.header(kindChallengeExt, label)
	var k K
	k.A0 = t.squeeze()
	k.A1 = t.squeeze()
	return k
}

// ChallengeSmall draws an element of the folding challenge set C (package
// lattice/challenge) under label. The error, which wraps challenge.ErrSource,
// means the sponge produced an astronomically unlikely run of rejections.
func (t *Transcript) ChallengeSmall(label string) (ring.Small, error) {
	t.header(kindChallengeSmall, label)
	c, err := challenge.Sample(squeezer{t})
	if err != nil {
		return c, fmt.Errorf("transcript: challenge %q: %w", label, err)
	}
	return c, nil
}

// squeezer is the challenge.Source a ChallengeSmall record reads from.
type squeezer struct{ t *Transcript }

func (s squeezer) SqueezeField() goldilocks.Element { return s.t.squeeze() }

// header starts a record: kind and label length in one word, then the label.
func (t *Transcript) header(kind int, label string) {
	if len(label) > MaxLabel {
		panic(fmt.Sprintf("transcript: label of %d bytes, the limit is %d", len(label), MaxLabel))
	}
	t.absorbUint(uint64(kind)<<8 | uint64(len(label)))
	t.absorbPacked([]byte(label))
}

func (t *Transcript) absorbLength(n int) { t.absorbUint(uint64(n)) }

func (t *Transcript) absorbUint(v uint64) {
	var x goldilocks.Element
	x.SetUint64(v)
	t.absorb(x)
}

// absorbPacked absorbs b seven little-endian bytes to a word; the caller has
// absorbed the length, so the zero padding of the last word is unambiguous.
func (t *Transcript) absorbPacked(b []byte) {
	for len(b) > 0 {
		n := min(labelBytesWord, len(b))
		var w uint64
		for i := n - 1; i >= 0; i-- {
			w = w<<8 | uint64(b[i])
		}
		t.absorbUint(w)
		b = b[n:]
	}
}

// absorb adds x into the next rate word, permuting when the rate is full.
// Adding (rather than overwriting) keeps earlier absorbed words in the state.
func (t *Transcript) absorb(x goldilocks.Element) {
	if t.fresh {
		t.fresh = false
		t.pos = 0
	}
	t.state[t.pos].Add(&t.state[t.pos], &x)
	t.pos++
	if t.pos == rate {
		t.permute()
	}
}

// squeeze returns the next unread rate word, permuting first when everything
// absorbed since the last permutation has not been mixed in yet or when the
// rate has been read out.
func (t *Transcript) squeeze() goldilocks.Element {
	if !t.fresh || t.pos == rate {
		t.permute()
		t.fresh = true
	}
	x := t.state[t.pos]
	t.pos++
	return x
}

func (t *Transcript) permute() {
	t.perm.Permute(&t.state)
	t.pos = 0
}
