package ajtai

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha3"
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"

	kajtai "github.com/ssprove/ssprove/kernels/ajtai"
)

// q is the Goldilocks modulus.
const q = 1<<64 - 1<<32 + 1

// SeedSize is the length of a public-parameter seed in bytes.
const SeedSize = 32

// Domain separates the matrix expansion from every other use of a seed.
const Domain = "ssprove/ajtai/matrix/v1"

// ErrSeed is returned for a seed that is not SeedSize bytes.
var ErrSeed = errors.New("ajtai: seed must be 32 bytes")

// PublicParams are the parameters and the matrix M ∈ R_q^{κ×m} expanded from a
// seed. They are immutable and safe for concurrent use.
type PublicParams struct {
	params Params
	seed   [SeedSize]byte
	mat    *kajtai.Matrix
}

// DefaultMemory is the most memory Setup spends on keeping M before it
// switches to regenerating columns in every Commit.
const DefaultMemory = 4 << 30

type setupConfig struct {
	memory int64
	keep   kajtai.Storage
}

// Option configures Setup.
type Option func(*setupConfig)

// WithMemory sets how many bytes Setup may spend on keeping M in memory (at
// κ·m·1472 bytes, or κ·m·448 with CoefficientsOnly); a larger matrix is
// regenerated from the seed in every Commit, which then costs the expansion
// and its transforms as well.
func WithMemory(bytes int64) Option { return func(c *setupConfig) { c.memory = bytes } }

// CoefficientsOnly keeps M in coefficient form only, a verifier's key: at
// κ·m·448 bytes, under a third of the full key, and expanded without the
// transforms that cost most of a full Setup. VerifySmall reads nothing
// else, so it costs what it does on a full key. Commit works too but
// transforms, in every call, the columns of M it multiplies through the
// NTT (those of dense witness columns): cheaper than regenerating them from
// the seed, dearer than reading them stored. WithMemory still applies, to
// the smaller size.
func CoefficientsOnly() Option { return func(c *setupConfig) { c.keep = kajtai.StoreCoefficients } }

// Setup expands M from seed, deterministically:
//
//	key = SHAKE128(Domain ‖ seed), 32 bytes
//	column j: the AES-256-CTR keystream under key with the 16-byte initial
//	counter block BE64(j) ‖ 0^8, read as little-endian 64-bit words; words
//	≥ q are skipped and the others, in order, are the canonical coefficients
//	t = 0..d−1 of M_0j, then of M_1j, …, M_(κ−1)j.
//
// A column needs about κ·d·8 bytes of keystream (a word is rejected with
// probability 2^−32), so any column can be regenerated alone, and M for a
// smaller m or κ is a part of M for a larger one.
func Setup(ctx context.Context, p Params, seed []byte, opts ...Option) (*PublicParams, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if len(seed) != SeedSize {
		return nil, fmt.Errorf("%w, got %d", ErrSeed, len(seed))
	}
	cfg := setupConfig{memory: DefaultMemory, keep: kajtai.StoreAll}
	for _, o := range opts {
		o(&cfg)
	}
	pp := &PublicParams{params: p}
	copy(pp.seed[:], seed)
	words, err := expander(pp.seed, p.Kappa)
	if err != nil {
		return nil, err
	}
	if kajtai.StoredBytes(p.Kappa, p.M, cfg.keep) > cfg.memory {
		cfg.keep = kajtai.Regenerate
	}
	if pp.mat, err = kajtai.NewWordMatrix(ctx, p.Kappa, p.M, words, cfg.keep); err != nil {
		return nil, fmt.Errorf("ajtai: setup: %w", err)
	}
	return pp, nil
}

// Params returns the parameter set.
func (pp *PublicParams) Params() Params { return pp.params }

// Seed returns the seed M was expanded from, for a transcript to absorb.
func (pp *PublicParams) Seed() [SeedSize]byte { return pp.seed }

// Stored reports whether M is kept in memory, in either form, rather than
// regenerated.
func (pp *PublicParams) Stored() bool { return pp.mat.Stored() }

// expander returns M's columns for seed as canonical words, the kernel
// converting them to field elements in bulk where it needs them
// (kajtai.Canonical) and CombineColumns not at all: SetUint64 word by word,
// a Montgomery product each, used to cost more than the AES. The keystream
// goes straight into the destination words and a scan finds the rare word
// ≥ q (fillColumn).
func expander(seed [SeedSize]byte, kappa int) (kajtai.Words, error) {
	key := sha3.SumSHAKE128(append([]byte(Domain), seed[:]...), 32)
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	per := kappa * kajtai.D
	return func(dst []uint64, lo, hi int) {
		var iv [aes.BlockSize]byte
		for j := lo; j < hi; j++ {
			binary.BigEndian.PutUint64(iv[:8], uint64(j))
			fillColumn(cipher.NewCTR(block, iv[:]), dst[(j-lo)*per:(j-lo+1)*per])
		}
	}, nil
}

// fillColumn fills out with the words below q that stream yields, in order.
// A word is rejected with probability 2^−32, so the first fill almost
// always stands and the scan for rejects is the only work besides the AES.
func fillColumn(stream cipher.Stream, out []uint64) {
	for n := 0; n < len(out); {
		keystream(stream, out[n:])
		n += compact(out[n:])
	}
}

// keystream overwrites words with the next 8·len(words) bytes of stream,
// read as little-endian words.
func keystream(stream cipher.Stream, words []uint64) {
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), 8*len(words))
	for rest := b; len(rest) > 0; {
		n := min(len(rest), len(zeros))
		stream.XORKeyStream(rest[:n], zeros[:n])
		rest = rest[n:]
	}
	if !littleEndian {
		for i := range words {
			words[i] = binary.LittleEndian.Uint64(b[8*i:])
		}
	}
}

// zeros is the plaintext the keystream is XORed with: reading it from L1
// costs less than clearing the destination first, a pass of stores.
var zeros [8 << 10]byte

// littleEndian reports whether a word's bytes in memory are its
// little-endian encoding, as keystream reads them.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// compact moves the words of w below q to its front, in order, and returns
// how many there are.
func compact(w []uint64) int {
	// The scan for the first reject runs four words to a branch: max is
	// branch-free, and this scan is most of compact's cost.
	n := 0
	for ; n+4 <= len(w); n += 4 {
		if max(w[n], w[n+1], w[n+2], w[n+3]) >= q {
			break
		}
	}
	for n < len(w) && w[n] < q {
		n++
	}
	for _, x := range w[n:] {
		if x < q {
			w[n] = x
			n++
		}
	}
	return n
}
