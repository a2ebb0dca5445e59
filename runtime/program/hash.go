package program

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/consensys/gnark-crypto/field/goldilocks/poseidon2"
)

// Hash is a program hash: four canonical Goldilocks elements. As bytes (in memory, in refs,
// in hex) it is the four values as little-endian uint64s.
type Hash [4]uint64

// Size is the length of a Hash in bytes.
const Size = 32

// domain is absorbed before the module so that a program hash never equals a Poseidon2
// hash taken for another purpose over the same bytes.
const domain = "ssprove/program/v1"

// bytesPerElement is how many input bytes go into one field element: seven bytes are
// always below the modulus, so the packing is injective without reduction.
const bytesPerElement = 7

// modulus is the Goldilocks prime 2^64 − 2^32 + 1.
const modulus = 0xFFFF_FFFF_0000_0001

var perm = sync.OnceValue(poseidon2.NewDefaultPermutation)

// Of returns the program hash of module, whatever its content.
//
// Construction: Merkle–Damgård over gnark-crypto's default Poseidon2 permutation (width 8)
// used as the compression function h' = P(h ‖ m)[4:8] + m, with the chaining value h starting
// at zero. The message is: the domain string, then the module, then the module's length in
// bytes, each packed as 7-byte little-endian chunks into field elements (the last chunk
// zero-padded) and the whole padded with zero elements to a multiple of four. The length
// suffix makes the packing of inputs of different lengths distinct.
func Of(module []byte) Hash {
	var h [4]goldilocks.Element
	var block [4]goldilocks.Element
	n := 0
	absorb := func(e goldilocks.Element) {
		block[n] = e
		n++
		if n == 4 {
			compress(&h, &block)
			n = 0
		}
	}
	pack := func(b []byte) {
		for len(b) > 0 {
			var buf [8]byte
			k := copy(buf[:bytesPerElement], b)
			b = b[k:]
			var e goldilocks.Element
			e.SetUint64(binary.LittleEndian.Uint64(buf[:]))
			absorb(e)
		}
	}
	pack([]byte(domain))
	pack(module)
	var l goldilocks.Element
	l.SetUint64(uint64(len(module)))
	absorb(l)
	for n != 0 {
		absorb(goldilocks.Element{})
	}
	var out Hash
	for i := range h {
		out[i] = h[i].Uint64()
	}
	return out
}

func compress(h, m *[4]goldilocks.Element) {
	var x [8]goldilocks.Element
	copy(x[:4], h[:])
	copy(x[4:], m[:])
	if err := perm().Permutation(x[:]); err != nil {
		panic(err) // width 8 is the permutation's own: cannot fail
	}
	for i := range h {
		h[i].Add(&x[4+i], &m[i])
	}
}

// Bytes is h as 32 bytes, four little-endian words.
func (h Hash) Bytes() [Size]byte {
	var b [Size]byte
	for i, w := range h {
		binary.LittleEndian.PutUint64(b[8*i:], w)
	}
	return b
}

// String is h in hex, 64 characters, as Bytes orders it.
func (h Hash) String() string {
	b := h.Bytes()
	return hex.EncodeToString(b[:])
}

// Short is the first 12 hex characters of h, for people.
func (h Hash) Short() string { return h.String()[:12] }

// ErrHash is returned for bytes or text that are not a program hash.
var ErrHash = errors.New("program: not a program hash")

// FromBytes reads a hash from 32 bytes, refusing words that are not canonical field
// elements.
func FromBytes(b []byte) (Hash, error) {
	if len(b) != Size {
		return Hash{}, fmt.Errorf("%w: %d bytes, want %d", ErrHash, len(b), Size)
	}
	var h Hash
	for i := range h {
		h[i] = binary.LittleEndian.Uint64(b[8*i:])
		if h[i] >= modulus {
			return Hash{}, fmt.Errorf("%w: word %d is %#x, not below the Goldilocks modulus", ErrHash, i, h[i])
		}
	}
	return h, nil
}

// Parse reads a hash written by String.
func Parse(s string) (Hash, error) {
	if len(s) != 2*Size {
		return Hash{}, fmt.Errorf("%w: %q has %d characters, want %d hex digits", ErrHash, s, len(s), 2*Size)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return Hash{}, fmt.Errorf("%w: %q: %v", ErrHash, s, err)
	}
	return FromBytes(b)
}

// MarshalText and UnmarshalText make a Hash read and write as its hex string.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

func (h *Hash) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}
