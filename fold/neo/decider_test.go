package neo

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

func TestDecide(t *testing.T) {
	ctx := context.Background()
	chain := chainR1CS(t, rand.New(rand.NewPCG(31, 32)), 2, 4, 2)
	pp := chainSetup(t, chain)
	s := chain.Steps[0].CCS
	_, acc, accW, err := ProveChain(ctx, pp, chain)
	if err != nil {
		t.Fatal(err)
	}
	if err := Decide(ctx, pp, s, acc, accW); err != nil {
		t.Fatalf("honest accumulator: %v", err)
	}
	one := new(goldilocks.Element).SetOne()
	// copyAcc returns a copy of acc and accW sharing no slice with them.
	copyAcc := func() (Acc, AccWitness) {
		w := AccWitness{Z: make([][]int8, len(accW.Z))}
		for i, Z := range accW.Z {
			w.Z[i] = clone(Z)
		}
		return Acc{Claims: cloneClaims(acc.Claims), Digest: acc.Digest}, w
	}
	for _, tc := range []struct {
		name   string
		tamper func(a *Acc, w *AccWitness)
		want   error
	}{
		{"a digit of b, recommitted", func(a *Acc, w *AccWitness) {
			// Column m−1's top digit is 0 in every plane: setting it to b
			// keeps the public columns and needs a claim recomputed to get
			// past the commitment and evaluations, so the norm alone fails.
			w.Z[4][len(w.Z[4])-1] = int8(pp.Params().Base)
			a.Claims[4] = ccsClaimAt(t, s, pp, w.Z[4], a.Claims[4].R)
		}, ErrNorm},
		{"a witness digit changed", func(_ *Acc, w *AccWitness) {
			last := &w.Z[0][len(w.Z[0])-1]
			*last = 1 - min(*last*(*last), 1) // 0 becomes 1, ±1 becomes 0
		}, ErrCommitment},
		{"a commitment", func(a *Acc, _ *AccWitness) {
			a.Claims[2].C[0][0].Add(&a.Claims[2].C[0][0], one)
		}, ErrCommitment},
		{"X", func(a *Acc, _ *AccWitness) {
			a.Claims[1].X[3].Add(&a.Claims[1].X[3], one)
		}, ErrPublic},
		{"Y", func(a *Acc, _ *AccWitness) {
			a.Claims[7].Y[2][11].A1.Add(&a.Claims[7].Y[2][11].A1, one)
		}, ErrEvaluation},
		{"R", func(a *Acc, _ *AccWitness) {
			a.Claims[0].R[0].A0.Add(&a.Claims[0].R[0].A0, one)
		}, ErrEvaluation},
		{"R too short", func(a *Acc, _ *AccWitness) {
			a.Claims[0].R = a.Claims[0].R[1:]
		}, ErrShape},
		{"witnesses swapped", func(_ *Acc, w *AccWitness) {
			w.Z[0], w.Z[1] = w.Z[1], w.Z[0]
		}, ErrCommitment},
		{"a claim missing", func(a *Acc, w *AccWitness) {
			a.Claims, w.Z = a.Claims[1:], w.Z[1:]
		}, ErrShape},
		{"a witness missing", func(_ *Acc, w *AccWitness) {
			w.Z = w.Z[1:]
		}, ErrShape},
		{"empty accumulator", func(a *Acc, w *AccWitness) {
			*a, *w = Acc{}, AccWitness{}
		}, ErrShape},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, w := copyAcc()
			tc.tamper(&a, &w)
			if err := Decide(ctx, pp, s, a, w); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if err := Decide(ctx, nil, s, acc, accW); !errors.Is(err, ErrShape) {
		t.Errorf("nil key: got %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := Decide(cancelled, pp, s, acc, accW); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}
