package ajtai

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha3"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/field/goldilocks"

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

// DefaultMemory is the most memory Setup spends on keeping M (in coefficient
// and NTT form) before it switches to regenerating columns in every Commit.
const DefaultMemory = 4 << 30

type setupConfig struct{ memory int64 }

// Option configures Setup.
type Option func(*setupConfig)

// WithMemory sets how many bytes Setup may spend on keeping M in memory (at
// κ·m·1472 bytes); a larger matrix is regenerated from the seed in every
// Commit, which then costs the expansion and its transforms as well.
func WithMemory(bytes int64) Option { return func(c *setupConfig) { c.memory = bytes } }

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
	cfg := setupConfig{memory: DefaultMemory}
	for _, o := range opts {
		o(&cfg)
	}
	pp := &PublicParams{params: p}
	copy(pp.seed[:], seed)
	src, err := expander(pp.seed, p.Kappa)
	if err != nil {
		return nil, err
	}
	store := kajtai.StoredBytes(p.Kappa, p.M) <= cfg.memory
	if pp.mat, err = kajtai.NewMatrix(ctx, p.Kappa, p.M, src, store); err != nil {
		return nil, fmt.Errorf("ajtai: setup: %w", err)
	}
	return pp, nil
}

// Params returns the parameter set.
func (pp *PublicParams) Params() Params { return pp.params }

// Seed returns the seed M was expanded from, for a transcript to absorb.
func (pp *PublicParams) Seed() [SeedSize]byte { return pp.seed }

// Stored reports whether M is kept in memory rather than regenerated.
func (pp *PublicParams) Stored() bool { return pp.mat.Stored() }

// expander returns the kernel's source of M's columns for seed.
func expander(seed [SeedSize]byte, kappa int) (kajtai.Source, error) {
	key := sha3.SumSHAKE128(append([]byte(Domain), seed[:]...), 32)
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	const wordsPerColumnSlack = 8
	return func(dst []goldilocks.Element, lo, hi int) {
		per := kappa * kajtai.D
		buf := make([]byte, 8*(per+wordsPerColumnSlack))
		var iv [aes.BlockSize]byte
		for j := lo; j < hi; j++ {
			binary.BigEndian.PutUint64(iv[:8], uint64(j))
			stream := cipher.NewCTR(block, iv[:])
			out := dst[(j-lo)*per : (j-lo+1)*per]
			n := 0
			for n < len(out) {
				chunk := buf[:8*(len(out)-n+wordsPerColumnSlack)]
				clear(chunk)
				stream.XORKeyStream(chunk, chunk)
				for w := 0; w < len(chunk) && n < len(out); w += 8 {
					if x := binary.LittleEndian.Uint64(chunk[w:]); x < q {
						out[n].SetUint64(x)
						n++
					}
				}
			}
		}
	}, nil
}
