package ajtai

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	kajtai "github.com/ssprove/ssprove/kernels/ajtai"
	"github.com/ssprove/ssprove/lattice/challenge"
	"github.com/ssprove/ssprove/lattice/decomp"
	"github.com/ssprove/ssprove/lattice/ring"
)

var ctx = context.Background()

func testSeed() []byte {
	seed := make([]byte, SeedSize)
	for i := range seed {
		seed[i] = byte(i)
	}
	return seed
}

func setup(t testing.TB, m int, opts ...Option) *PublicParams {
	t.Helper()
	pp, err := Setup(ctx, Goldilocks(m), testSeed(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return pp
}

// column returns M_ij for the test seed, straight from the expansion.
func column(t testing.TB, kappa, j int) []ring.Elem {
	var seed [SeedSize]byte
	copy(seed[:], testSeed())
	words, err := expander(seed, kappa)
	if err != nil {
		t.Fatal(err)
	}
	raw := make([]goldilocks.Element, kappa*ring.D)
	kajtai.Canonical(words)(raw, j, j+1)
	out := make([]ring.Elem, kappa)
	for i := range out {
		copy(out[i][:], raw[i*ring.D:])
	}
	return out
}

func randomWitness(r *rand.Rand, kind string, n int) []goldilocks.Element {
	Z := make([]goldilocks.Element, n)
	for i := range Z {
		switch kind {
		case "full":
			Z[i].SetUint64(r.Uint64())
		case "bits":
			Z[i].SetUint64(r.Uint64N(2))
		case "digits":
			Z[i].SetInt64(r.Int64N(3) - 1)
		case "bounded":
			Z[i].SetInt64(r.Int64N(2*4096-1) - 4095)
		}
	}
	return Z
}

// TestSetupPinned fixes the expansion: the first two columns of M for the seed
// 0, 1, …, 31 hash to a pinned digest, so any change to the documented
// procedure fails here. The digest was checked against an independent
// implementation of the doc comment (Python's hashlib SHAKE128 and the
// cryptography package's AES-256-CTR).
func TestSetupPinned(t *testing.T) {
	h := sha256.New()
	for j := range 2 {
		for _, e := range column(t, 16, j) {
			for _, x := range e {
				h.Write(binary.LittleEndian.AppendUint64(nil, x.Uint64()))
			}
		}
	}
	const want = "f02752f228bbc7481c8a0a73e54fb5bd200455268ddf4a8b3b48d0b79734fdff"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Fatalf("expansion digest %s, want %s", got, want)
	}
}

func TestSetupErrors(t *testing.T) {
	for _, n := range []int{0, 31, 33, 64} {
		if _, err := Setup(ctx, Goldilocks(4), make([]byte, n)); !errors.Is(err, ErrSeed) {
			t.Errorf("seed of %d bytes: %v", n, err)
		}
	}
	bad := []Params{
		{Kappa: 16, D: 53, M: 4, Base: 2, K: 12, Bound: 4096, T: 216},
		{Kappa: 0, D: ring.D, M: 4, Base: 2, K: 12, Bound: 4096, T: 216},
		{Kappa: 16, D: ring.D, M: 0, Base: 2, K: 12, Bound: 4096, T: 216},
		{Kappa: 16, D: ring.D, M: 4, Base: 1, K: 12, Bound: 4096, T: 216},
		{Kappa: 16, D: ring.D, M: 4, Base: 2, K: 12, Bound: 4095, T: 216},
		{Kappa: 16, D: ring.D, M: 4, Base: 2, K: 64, Bound: 0, T: 216},
		{Kappa: 16, D: ring.D, M: 4, Base: 2, K: 12, Bound: 4096, T: 0},
	}
	for _, p := range bad {
		if _, err := Setup(ctx, p, testSeed()); !errors.Is(err, ErrParams) {
			t.Errorf("%+v: %v", p, err)
		}
	}
}

func TestSecurity(t *testing.T) {
	for _, m := range []int{1 << 10, 1 << 20} {
		est, err := Goldilocks(m).Security()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("m = %d: BKZ block %d, %.1f bits classical, %.1f quantum", m, est.Block, est.Classical, est.Quantum)
		if est.Classical < 128 || est.Quantum < 128 {
			t.Errorf("m = %d: %.1f/%.1f bits, below 128", m, est.Classical, est.Quantum)
		}
	}
}

// TestCommitIsRingProduct checks the kernel against the ring: c_i = Σ_j
// M_ij·z_j with ring.Mul, with M kept in memory and regenerated.
func TestCommitIsRingProduct(t *testing.T) {
	const m = 21
	r := rand.New(rand.NewPCG(1, 1))
	for _, pp := range keys(t, m) {
		for _, kind := range []string{"full", "bits", "digits"} {
			Z := randomWitness(r, kind, ring.D*m)
			got, err := pp.Commit(ctx, Z)
			if err != nil {
				t.Fatal(err)
			}
			want := make(Commitment, 16)
			for j := range m {
				z, err := ring.FromCoefficients(Z[j*ring.D : (j+1)*ring.D])
				if err != nil {
					t.Fatal(err)
				}
				for i, a := range column(t, 16, j) {
					var p ring.Elem
					p.MulSchoolbook(&a, &z)
					want[i].Add(&want[i], &p)
				}
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%s %s: ring element %d differs from Σ M_ij·z_j", pp.mat.Storage(), kind, i)
				}
			}
		}
	}
}

// TestSetupPrefix checks that M for a smaller m is the first columns of M for
// a larger one.
func TestSetupPrefix(t *testing.T) {
	small, large := setup(t, 5), setup(t, 40)
	Z := randomWitness(rand.New(rand.NewPCG(2, 2)), "digits", ring.D*5)
	c1, err := small.Commit(ctx, Z)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := large.Commit(ctx, append(Z, make([]goldilocks.Element, ring.D*35)...))
	if err != nil {
		t.Fatal(err)
	}
	for i := range c1 {
		if c1[i] != c2[i] {
			t.Fatal("the smaller matrix is not a prefix of the larger")
		}
	}
}

func TestVerify(t *testing.T) {
	const m = 50
	pp := setup(t, m)
	r := rand.New(rand.NewPCG(3, 3))
	Z := randomWitness(r, "bounded", ring.D*m)
	c, err := pp.Commit(ctx, Z)
	if err != nil {
		t.Fatal(err)
	}
	if err := pp.Verify(ctx, c, Z); err != nil {
		t.Fatalf("honest opening rejected: %v", err)
	}

	wrongZ := append([]goldilocks.Element(nil), Z...)
	wrongZ[7*ring.D+3].SetInt64(0)
	if Z[7*ring.D+3].IsZero() {
		wrongZ[7*ring.D+3].SetOne()
	}
	if err := pp.Verify(ctx, c, wrongZ); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong witness: %v", err)
	}

	wrongC := append(Commitment(nil), c...)
	wrongC[15][53].Add(&wrongC[15][53], new(goldilocks.Element).SetOne())
	if err := pp.Verify(ctx, wrongC, Z); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong commitment: %v", err)
	}

	// An over-norm witness is refused even with its own commitment.
	for _, v := range []int64{4096, -4096, 1 << 40} {
		big := append([]goldilocks.Element(nil), Z...)
		big[m*ring.D-1].SetInt64(v)
		cb, err := pp.Commit(ctx, big)
		if err != nil {
			t.Fatal(err)
		}
		if err := pp.Verify(ctx, cb, big); !errors.Is(err, ErrNorm) {
			t.Errorf("entry %d: %v", v, err)
		}
	}
	edge := append([]goldilocks.Element(nil), Z...)
	edge[0].SetInt64(-4095)
	ce, err := pp.Commit(ctx, edge)
	if err != nil {
		t.Fatal(err)
	}
	if err := pp.Verify(ctx, ce, edge); err != nil {
		t.Errorf("entry −4095 is within the bound: %v", err)
	}

	if err := pp.Verify(ctx, c[:15], Z); !errors.Is(err, ErrShape) {
		t.Errorf("short commitment: %v", err)
	}
	if err := pp.Verify(ctx, c, Z[1:]); !errors.Is(err, ErrShape) {
		t.Errorf("short witness: %v", err)
	}
	if _, err := pp.Commit(ctx, Z[:ring.D]); !errors.Is(err, ErrShape) {
		t.Errorf("Commit of a short witness: %v", err)
	}
	unreduced := append([]goldilocks.Element(nil), Z...)
	unreduced[9] = goldilocks.Element{q}
	if err := pp.Verify(ctx, c, unreduced); !errors.Is(err, ErrEntry) {
		t.Errorf("Verify of an unreduced entry: %v", err)
	}
	if _, err := pp.Commit(ctx, unreduced); !errors.Is(err, ErrEntry) {
		t.Errorf("Commit of an unreduced entry: %v", err)
	}
}

type shakeSource struct{ r *rand.Rand }

func (s shakeSource) SqueezeField() goldilocks.Element {
	var e goldilocks.Element
	e.SetUint64(s.r.Uint64())
	return e
}

func TestLinearity(t *testing.T) {
	const m = 30
	pp := setup(t, m)
	r := rand.New(rand.NewPCG(4, 4))
	commit := func(Z []goldilocks.Element) Commitment {
		c, err := pp.Commit(ctx, Z)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	equal := func(name string, a, b Commitment) {
		t.Helper()
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s: ring element %d differs", name, i)
			}
		}
	}

	z1, z2 := randomWitness(r, "full", ring.D*m), randomWitness(r, "bits", ring.D*m)
	sum := make([]goldilocks.Element, len(z1))
	for i := range sum {
		sum[i].Add(&z1[i], &z2[i])
	}
	c12, err := Add(commit(z1), commit(z2))
	if err != nil {
		t.Fatal(err)
	}
	equal("c1 + c2", c12, commit(sum))

	rho, err := challenge.Sample(shakeSource{r})
	if err != nil {
		t.Fatal(err)
	}
	scaled := make([]goldilocks.Element, len(z1))
	for j := range m {
		z, _ := ring.FromCoefficients(z1[j*ring.D : (j+1)*ring.D])
		var p ring.Elem
		p.MulSmall(&z, &rho)
		copy(scaled[j*ring.D:], p[:])
	}
	equal("ρ·c", MulChallenge(&rho, commit(z1)), commit(scaled))

	Z := randomWitness(r, "bounded", ring.D*m)
	parts, err := decomp.Split(Z, 2, 12)
	if err != nil {
		t.Fatal(err)
	}
	cs := make([]Commitment, len(parts))
	for i, p := range parts {
		cs[i] = commit(p)
		if err := pp.Verify(ctx, cs[i], p); err != nil {
			t.Fatalf("digit matrix %d: %v", i, err)
		}
	}
	rec, err := Recompose(cs, 2)
	if err != nil {
		t.Fatal(err)
	}
	equal("Σ b^i·c_i", rec, commit(Z))

	if _, err := Add(cs[0], cs[1][:3]); !errors.Is(err, ErrShape) {
		t.Errorf("Add of mismatched commitments: %v", err)
	}
	if _, err := Recompose(nil, 2); !errors.Is(err, ErrShape) {
		t.Errorf("Recompose of nothing: %v", err)
	}
	if _, err := Recompose([]Commitment{cs[0], cs[1][:2]}, 2); !errors.Is(err, ErrShape) {
		t.Errorf("Recompose of mismatched commitments: %v", err)
	}
}
