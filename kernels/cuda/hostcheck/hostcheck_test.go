package hostcheck

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/ajtai"
	"github.com/ssprove/ssprove/kernels/ntt"
)

type E = goldilocks.Element

const q = 0xFFFF_FFFF_0000_0001

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	skipWhy   string
	tmpDir    string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if tmpDir != "" {
		os.RemoveAll(tmpDir)
	}
	os.Exit(code)
}

// hostcheck returns the path of the compiled host check, building it with
// g++ on first use; it skips the test when g++ is missing.
func hostcheck(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		gxx, err := exec.LookPath("g++")
		if err != nil {
			skipWhy = fmt.Sprintf("g++ is needed to build the CUDA sources' host check: %v", err)
			return
		}
		tmpDir, err = os.MkdirTemp("", "hostcheck")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(tmpDir, "hostcheck")
		cmd := exec.Command(gxx, "-O2", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-o", binPath, filepath.Join("cpp", "hostcheck.cpp"))
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("g++ hostcheck.cpp: %v\n%s", err, out)
		}
	})
	if skipWhy != "" {
		t.Skip(skipWhy)
	}
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// run feeds words to the host check's op and returns n words of its output.
func run(t *testing.T, op string, in []uint64, n int) []uint64 {
	t.Helper()
	buf := make([]byte, 8*len(in))
	for i, w := range in {
		binary.LittleEndian.PutUint64(buf[8*i:], w)
	}
	cmd := exec.Command(hostcheck(t), op)
	cmd.Stdin = bytes.NewReader(buf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("hostcheck %s: %v\n%s", op, err, stderr.String())
	}
	if len(out) != 8*n {
		t.Fatalf("hostcheck %s: %d bytes out, want %d\n%s", op, len(out), 8*n, stderr.String())
	}
	w := make([]uint64, n)
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(out[8*i:])
	}
	return w
}

func words(v []E) []uint64 {
	w := make([]uint64, len(v))
	for i := range v {
		w[i] = v[i][0]
	}
	return w
}

func randElems(r *rand.Rand, n int) []E {
	v := make([]E, n)
	for i := range v {
		v[i][0] = r.Uint64N(q)
	}
	return v
}

// edges are Montgomery words at the ends of the range and around 2^32.
var edges = []uint64{0, 1, 2, q - 1, q - 2, 1<<32 - 1, 1 << 32, 1<<32 + 1, 1 << 63, q - 1<<32, 0xFFFFFFFE00000001}

func TestArith(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var in []uint64
	for _, a := range edges {
		for _, b := range edges {
			in = append(in, a, b)
		}
	}
	for range 4000 {
		in = append(in, r.Uint64N(q), r.Uint64())
	}
	n := len(in) / 2
	out := run(t, "arith", append([]uint64{uint64(n)}, in...), 7*n)
	for i := range n {
		a, b := E{in[2*i]}, E{in[2*i+1] % q}
		var want [7]E
		want[0].Add(&a, &b)
		want[1].Sub(&a, &b)
		want[2].Mul(&a, &b)
		want[3].Neg(&a)
		want[4].Inverse(&a)
		want[5].Exp(a, new(big.Int).SetUint64(in[2*i+1]))
		want[6].SetUint64(in[2*i+1])
		for k, name := range []string{"add", "sub", "mul", "neg", "inv", "exp", "from_uint"} {
			if out[7*i+k] != want[k][0] {
				t.Fatalf("%s(%#x, %#x) = %#x, gnark-crypto %#x", name, in[2*i], in[2*i+1], out[7*i+k], want[k][0])
			}
		}
	}
}

func bitrev(v []E) []E {
	out := make([]E, len(v))
	l := bits.TrailingZeros(uint(len(v)))
	for i := range v {
		j := 0
		if l > 0 {
			j = int(bits.Reverse64(uint64(i)) >> (64 - l))
		}
		out[j] = v[i]
	}
	return out
}

// reference is what ssp_ntt must compute, from kernels/ntt: the orders
// through explicit bit reversals around its natural-order transforms.
func reference(t *testing.T, d *ntt.Domain, v []E, inverse, inRev, outRev bool, shift E) []E {
	x := append([]E(nil), v...)
	if inRev {
		x = bitrev(x)
	}
	var err error
	switch {
	case !inverse && shift.IsZero():
		err = d.Forward(x)
	case !inverse:
		err = d.ForwardCoset(x, shift)
	case shift.IsZero():
		err = d.Inverse(x)
	default:
		err = d.InverseCoset(x, shift)
	}
	if err != nil {
		t.Fatal(err)
	}
	if outRev {
		x = bitrev(x)
	}
	return x
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// checkNTT runs every direction, order and coset case of 2^logn x batch,
// planned with tiles of 2^tileLog and chunks of at least 2^minChunk.
func checkNTT(t *testing.T, r *rand.Rand, logn, batch, tileLog, minChunk int) {
	n := 1 << logn
	d, err := ntt.NewDomain(n)
	if err != nil {
		t.Fatal(err)
	}
	omega := d.Generator()
	for _, inverse := range []bool{false, true} {
		for _, inRev := range []bool{false, true} {
			for _, outRev := range []bool{false, true} {
				for _, coset := range []bool{false, true} {
					var shift E
					if coset {
						shift[0] = 1 + r.Uint64N(q-1)
					}
					v := randElems(r, n*batch)
					if logn == 2 {
						copy(v, []E{{0}, {q - 1}, {1}, {0}})
					}
					hdr := []uint64{uint64(logn), uint64(batch), b2u(inverse), b2u(inRev), b2u(outRev), shift[0], omega[0], uint64(tileLog), uint64(minChunk)}
					got := run(t, "ntt", append(hdr, words(v)...), n*batch)
					for b := range batch {
						want := words(reference(t, d, v[b*n:(b+1)*n], inverse, inRev, outRev, shift))
						for i := range want {
							if got[b*n+i] != want[i] {
								t.Fatalf("2^%d x %d (tiles 2^%d, chunks 2^%d) inverse=%v inRev=%v outRev=%v coset=%v: vector %d word %d = %#x, kernels/ntt %#x",
									logn, batch, tileLog, minChunk, inverse, inRev, outRev, coset, b, i, got[b*n+i], want[i])
							}
						}
					}
				}
			}
		}
	}
}

// TestNTT checks the device's plans (tiles of 2^13: whole vectors up to
// 2^13, several to a tile, then two tile steps and the permute).
func TestNTT(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for logn := 0; logn <= 16; logn++ {
		batch := 3
		if logn >= 14 {
			batch = 1
		}
		checkNTT(t, r, logn, batch, 13, 2)
	}
}

// TestNTTSmallTiles plans with tiny tiles, so that small sizes take many
// windows, chunks narrower than the tile and permutes of every shape.
func TestNTTSmallTiles(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct{ tile, chunk int }{{2, 1}, {3, 1}, {4, 2}, {5, 1}} {
		for logn := 0; logn <= 12; logn++ {
			checkNTT(t, r, logn, 2, c.tile, c.chunk)
		}
	}
}

func TestCommit(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range []struct{ kappa, m, witnesses, target, stage int }{
		{1, 1, 1, 1, 1},
		{3, 5, 2, 7, 3},
		{16, 37, 1, 528, 1 << 16},
		{17, 9, 3, 5, 4},
		{5, 20, 5, 3, 7},
		{2, 3, 4, 100, 2},
		{33, 6, 9, 2, 6},
	} {
		t.Run(fmt.Sprintf("kappa=%d/m=%d/witnesses=%d", c.kappa, c.m, c.witnesses), func(t *testing.T) {
			M := randElems(r, c.kappa*c.m*ajtai.D)
			src := func(dst []E, lo, hi int) {
				for j := lo; j < hi; j++ {
					for i := range c.kappa {
						copy(dst[((j-lo)*c.kappa+i)*ajtai.D:], M[(i*c.m+j)*ajtai.D:(i*c.m+j+1)*ajtai.D])
					}
				}
			}
			mat, err := ajtai.NewMatrix(context.Background(), c.kappa, c.m, src, true)
			if err != nil {
				t.Fatal(err)
			}
			Zs := make([][]E, c.witnesses)
			outs := make([][]E, c.witnesses)
			in := []uint64{uint64(c.kappa), uint64(c.m), uint64(c.witnesses), uint64(c.target), uint64(c.stage)}
			in = append(in, words(M)...)
			for w := range Zs {
				Zs[w] = randElems(r, c.m*ajtai.D)
				for i := range Zs[w] {
					if r.IntN(4) == 0 {
						Zs[w][i][0] = edges[r.IntN(len(edges))]
					}
				}
				outs[w] = make([]E, c.kappa*ajtai.D)
				in = append(in, words(Zs[w])...)
			}
			if err := ajtai.CommitBatch(context.Background(), mat, Zs, outs); err != nil {
				t.Fatal(err)
			}
			got := run(t, "commit", in, c.witnesses*c.kappa*ajtai.D)
			for w := range outs {
				for i, x := range words(outs[w]) {
					if g := got[w*c.kappa*ajtai.D+i]; g != x {
						t.Fatalf("witness %d, ring element %d, coefficient %d = %#x, kernels/ajtai %#x", w, i/ajtai.D, i%ajtai.D, g, x)
					}
				}
			}
		})
	}
}
