package ledger

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/runtime/program"
)

// base is a ledger with programs p (and q, deployed) and, after two transactions:
//
//	1  utxo, v0
//	2  utxo, v0
//	3  token 10, v0, bound to 1
//	4  burned at v0 by txHash(2)
//	5  token 5, v0, bound to 2
//
// and the allocator at 6.
func base(t testing.TB) (l *Ledger, p, q program.Hash) {
	t.Helper()
	l, _ = newLedger(t)
	p = deploy(t, l, "p", testModule)
	q = deploy(t, l, "q", []byte("another module"))
	ctx := context.Background()
	genesis := &Commit{Tx: txHash(1), Record: []byte(`{"tx":1}`), NextID: 6, Put: []*UTXO{
		{ID: 1, Program: p, Kind: program.UTXO, State: []byte("one")},
		{ID: 2, Program: p, Kind: program.UTXO, State: []byte("two")},
		{ID: 3, Program: p, Kind: program.Token, Amount: 10, Owner: 1},
		{ID: 4, Program: p, Kind: program.Token, Amount: 20},
		{ID: 5, Program: p, Kind: program.Token, Amount: 5, Owner: 2},
	}}
	if err := l.Apply(ctx, genesis); err != nil {
		t.Fatal(err)
	}
	burn := &Commit{Tx: txHash(2), NextID: 6, Inputs: []Input{{4, 0}}, Burned: []uint64{4}}
	if err := l.Apply(ctx, burn); err != nil {
		t.Fatal(err)
	}
	return l, p, q
}

func TestApplyRules(t *testing.T) {
	utxo := func(id, version uint64, h program.Hash) *UTXO {
		return &UTXO{ID: id, Version: version, Program: h, Kind: program.UTXO}
	}
	token := func(id, version uint64, h program.Hash, amount, owner uint64) *UTXO {
		return &UTXO{ID: id, Version: version, Program: h, Kind: program.Token, Amount: amount, Owner: owner}
	}
	unknown := program.Of([]byte("never deployed"))
	tests := []struct {
		name   string
		commit func(p, q program.Hash) *Commit
		ctx    context.Context
		want   error
		also   error // a second sentinel the error must match, if any
	}{
		{name: "nil commit", commit: func(p, q program.Hash) *Commit { return nil }, want: ErrInvalidCommit},
		{name: "zero tx hash", commit: func(p, q program.Hash) *Commit { return &Commit{NextID: 6} }, want: ErrInvalidCommit},
		{name: "duplicate tx", commit: func(p, q program.Hash) *Commit { return &Commit{Tx: txHash(1), NextID: 6} }, want: ErrDuplicateTx},
		{name: "next id going back", commit: func(p, q program.Hash) *Commit { return &Commit{Tx: txHash(9), NextID: 5} }, want: ErrInvalidCommit},
		{name: "record too large", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Record: make([]byte, MaxRecordSize+1)}
		}, want: ErrInvalidCommit},
		{name: "canceled", ctx: canceled(), commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{utxo(6, 0, p)}}
		}, want: context.Canceled},

		{name: "unknown input", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{99, 0}}}
		}, want: ErrUnknownUTXO},
		{name: "spent input", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{4, 0}}, Burned: []uint64{4}}
		}, want: &SpentError{ID: 4, Version: 0, Tx: txHash(2)}},
		{name: "stale input", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{1, 1}}, Put: []*UTXO{utxo(1, 2, p)}}
		}, want: &StaleError{ID: 1, Have: 0, Want: 1}},
		{name: "input twice", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{1, 0}, {1, 0}}}
		}, want: ErrInvalidCommit},

		{name: "burned twice", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{2, 0}, {5, 0}}, Burned: []uint64{5, 5}}
		}, want: ErrInvalidCommit},
		{name: "burned without input", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Burned: []uint64{5}}
		}, want: ErrInvalidCommit},
		{name: "burned outside the range", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Burned: []uint64{7}}
		}, want: ErrInvalidCommit},
		{name: "burned and put", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{5, 0}}, Burned: []uint64{5}, Put: []*UTXO{token(5, 1, p, 5, 2)}}
		}, want: ErrInvalidCommit},
		{name: "new id burned and put", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Burned: []uint64{6}, Put: []*UTXO{utxo(6, 0, p)}}
		}, want: ErrInvalidCommit},

		{name: "put twice", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{utxo(6, 0, p), utxo(6, 0, p)}}
		}, want: ErrInvalidCommit},
		{name: "nil put", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Put: []*UTXO{nil}}
		}, want: ErrInvalidCommit},
		{name: "put of a live id not an input", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Put: []*UTXO{utxo(1, 1, p)}}
		}, want: ErrInvalidCommit},
		{name: "put of a burned id", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Put: []*UTXO{token(4, 1, p, 20, 1)}}
		}, want: ErrInvalidCommit},
		{name: "put skipping a version", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{1, 0}}, Put: []*UTXO{utxo(1, 2, p)}}
		}, want: ErrInvalidCommit},
		{name: "put at the same version", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{1, 0}}, Put: []*UTXO{utxo(1, 0, p)}}
		}, want: ErrInvalidCommit},
		{name: "put changing the program", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{1, 0}}, Put: []*UTXO{utxo(1, 1, q)}}
		}, want: ErrInvalidCommit},
		{name: "put changing the kind", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{2, 0}}, Put: []*UTXO{token(2, 1, p, 1, 0)}}
		}, want: ErrInvalidCommit},
		{name: "put changing the amount", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{3, 0}}, Put: []*UTXO{token(3, 1, p, 11, 1)}}
		}, want: ErrInvalidCommit},
		{name: "new utxo not at version 0", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{utxo(6, 1, p)}}
		}, want: ErrInvalidCommit},
		{name: "new utxo past the range", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{utxo(7, 0, p)}}
		}, want: ErrInvalidCommit},
		{name: "new utxo of an unknown program", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{utxo(6, 0, unknown)}}
		}, want: ErrInvalidCommit, also: ErrUnknownProgram},
		{name: "coordination script put", commit: func(p, q program.Hash) *Commit {
			u := utxo(6, 0, p)
			u.Kind = program.Coord
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{u}}
		}, want: ErrInvalidCommit},
		{name: "utxo with an amount", commit: func(p, q program.Hash) *Commit {
			u := utxo(6, 0, p)
			u.Amount = 3
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{u}}
		}, want: ErrInvalidCommit},

		{name: "owner unknown", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{token(6, 0, p, 1, 99)}}
		}, want: ErrInvalidCommit, also: ErrBadOwner},
		{name: "owner is a token", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{token(6, 0, p, 1, 3)}}
		}, want: ErrBadOwner},
		{name: "owner is itself", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{token(6, 0, p, 1, 6)}}
		}, want: ErrBadOwner},
		{name: "owner burned earlier", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{token(6, 0, p, 1, 4)}}
		}, want: ErrBadOwner, also: ErrSpent},
		{name: "owner burned now", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{1, 0}, {3, 0}}, Burned: []uint64{1}, Put: []*UTXO{token(3, 1, p, 10, 1)}}
		}, want: ErrBadOwner},
		{name: "owner created and burned now", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 8, Burned: []uint64{6}, Put: []*UTXO{token(7, 0, p, 1, 6)}}
		}, want: ErrBadOwner},
		{name: "burning an owner of tokens", commit: func(p, q program.Hash) *Commit {
			return &Commit{Tx: txHash(9), NextID: 6, Inputs: []Input{{2, 0}}, Burned: []uint64{2}}
		}, want: ErrBadOwner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, p, q := base(t)
			before := dump(t, l)
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			err := l.Apply(ctx, tt.commit(p, q))
			switch want := tt.want.(type) {
			case *SpentError:
				var got *SpentError
				if !errors.As(err, &got) || *got != *want || !errors.Is(err, ErrSpent) {
					t.Fatalf("Apply: %v, want %v", err, want)
				}
			case *StaleError:
				var got *StaleError
				if !errors.As(err, &got) || *got != *want || !errors.Is(err, ErrStale) {
					t.Fatalf("Apply: %v, want %v", err, want)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("Apply: %v, want %v", err, want)
				}
			}
			if tt.also != nil && !errors.Is(err, tt.also) {
				t.Errorf("Apply: %v, want it to match %v too", err, tt.also)
			}
			if !maps.Equal(before, dump(t, l)) {
				t.Error("a failed Apply changed the ledger")
			}
		})
	}
}

func TestApplyLifecycle(t *testing.T) {
	ctx := context.Background()
	l, p, _ := base(t)
	apply := func(c *Commit) {
		t.Helper()
		if err := l.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	owned := func(owner uint64, want ...uint64) {
		t.Helper()
		got, err := l.OwnedBy(owner)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("OwnedBy(%d) = %v, %v; want %v", owner, got, err, want)
		}
	}
	owned(1, 3)
	owned(2, 5)

	// Tx 3 continues 1, moves token 3 to 2, creates a utxo 7 owning a new token 8; id 6 is a
	// coordination script and 9 a utxo created and burned.
	apply(&Commit{
		Tx: txHash(3), Record: []byte("three"), NextID: 10,
		Inputs: []Input{{1, 0}, {3, 0}},
		Burned: []uint64{9},
		Put: []*UTXO{
			{ID: 1, Version: 1, Program: p, Kind: program.UTXO, State: []byte("one, again")},
			{ID: 3, Version: 1, Program: p, Kind: program.Token, Amount: 10, Owner: 2},
			{ID: 7, Program: p, Kind: program.UTXO},
			{ID: 8, Program: p, Kind: program.Token, Amount: 1, Owner: 7, Tx: txHash(99)},
		},
	})
	owned(1)
	owned(2, 3, 5)
	owned(7, 8)
	u, err := l.UTXO(1)
	if err != nil {
		t.Fatal(err)
	}
	if u.Version != 1 || u.Tx != txHash(3) || string(u.State) != "one, again" || u.StateHash != sha256Sum(u.State) {
		t.Errorf("UTXO(1) = %+v", u)
	}
	if u, err := l.UTXO(8); err != nil || u.Tx != txHash(3) {
		t.Errorf("UTXO(8) = %+v, %v: the ledger sets Tx", u, err)
	}
	if _, err := l.UTXO(6); !errors.Is(err, ErrUnknownUTXO) {
		t.Errorf("UTXO(6), a coordination script's id: %v", err)
	}
	var spent *SpentError
	if _, err := l.UTXO(9); !errors.As(err, &spent) || spent.Tx != txHash(3) || spent.Version != 0 {
		t.Errorf("UTXO(9): %v", err)
	}
	if next, _ := l.NextID(); next != 10 {
		t.Errorf("NextID = %d, want 10", next)
	}

	// Two transactions consume utxo 2 at version 0: the second is stale.
	apply(&Commit{Tx: txHash(4), NextID: 10, Inputs: []Input{{2, 0}}, Put: []*UTXO{{ID: 2, Version: 1, Program: p, Kind: program.UTXO}}})
	err = l.Apply(ctx, &Commit{Tx: txHash(5), NextID: 10, Inputs: []Input{{2, 0}}, Put: []*UTXO{{ID: 2, Version: 1, Program: p, Kind: program.UTXO}}})
	var stale *StaleError
	if !errors.As(err, &stale) || *stale != (StaleError{ID: 2, Have: 1, Want: 0}) {
		t.Fatalf("double spend: %v", err)
	}

	// An input neither continued nor burned stays as it is, but must be at that version.
	before, _ := l.UTXO(7)
	apply(&Commit{Tx: txHash(6), NextID: 10, Inputs: []Input{{7, 0}}})
	if after, _ := l.UTXO(7); after.Version != 0 || after.Tx != before.Tx {
		t.Errorf("a listed input moved: %+v", after)
	}

	// Move token 3 to 1 and unbind 5, so that 2 owns nothing, then burn 2 and 5.
	apply(&Commit{Tx: txHash(7), NextID: 10, Inputs: []Input{{2, 1}, {3, 1}, {5, 0}},
		Put: []*UTXO{
			{ID: 2, Version: 2, Program: p, Kind: program.UTXO},
			{ID: 3, Version: 2, Program: p, Kind: program.Token, Amount: 10, Owner: 1},
			{ID: 5, Version: 1, Program: p, Kind: program.Token, Amount: 5},
		}})
	owned(2)
	apply(&Commit{Tx: txHash(8), NextID: 10, Inputs: []Input{{2, 2}, {5, 1}}, Burned: []uint64{2, 5}})
	if _, err := l.UTXO(2); !errors.As(err, &spent) || *spent != (SpentError{ID: 2, Version: 2, Tx: txHash(8)}) {
		t.Errorf("UTXO(2) after its burn: %v", err)
	}
	err = l.Apply(ctx, &Commit{Tx: txHash(9), NextID: 10, Inputs: []Input{{2, 1}}, Burned: []uint64{2}})
	if !errors.As(err, &spent) || spent.ID != 2 || spent.Tx != txHash(8) {
		t.Errorf("spending a burned utxo: %v", err)
	}

	rec, err := l.Tx(txHash(3))
	if err != nil || string(rec) != "three" {
		t.Errorf("Tx(3) = %q, %v", rec, err)
	}
	if _, err := l.Tx(txHash(5)); !errors.Is(err, ErrUnknownTx) {
		t.Errorf("Tx of a failed transaction: %v", err)
	}
	all, err := l.UTXOs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, u := range all {
		ids = append(ids, u.ID)
	}
	if want := []uint64{1, 3, 7, 8}; !slices.Equal(ids, want) {
		t.Errorf("UTXOs = %v, want %v", ids, want)
	}
	if err := l.Check(ctx); err != nil {
		t.Error(err)
	}
}

func TestApplyDoesNotKeepCallerMemory(t *testing.T) {
	l, p, _ := base(t)
	state := []byte("state")
	put := &UTXO{ID: 6, Program: p, Kind: program.UTXO, State: state}
	if err := l.Apply(context.Background(), &Commit{Tx: txHash(9), NextID: 7, Put: []*UTXO{put}}); err != nil {
		t.Fatal(err)
	}
	if put.Tx != ([32]byte{}) || put.StateHash != ([32]byte{}) {
		t.Error("Apply wrote into the caller's UTXO")
	}
	state[0] = 'X'
	u, err := l.UTXO(6)
	if err != nil || !bytes.Equal(u.State, []byte("state")) {
		t.Errorf("UTXO(6) = %+v, %v", u, err)
	}
}
