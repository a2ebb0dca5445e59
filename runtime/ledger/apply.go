package ledger

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"

	"github.com/ssprove/ssprove/runtime/program"
	bolt "go.etcd.io/bbolt"
)

// Input is a version of a UTXO a transaction consumed.
type Input struct {
	ID      uint64
	Version uint64
}

// Commit is the effect of one executed transaction.
//
// Ids: the ledger's allocator stands at NextID() before the transaction; the transaction
// owns the ids in [that, c.NextID). A UTXO the transaction creates is put at version 0 with
// one of those ids. One it creates and burns is listed in Burned only, and is remembered as
// burned at version 0. An id of the range that is neither put nor burned (a coordination
// script's) is never stored: UTXO says ErrUnknownUTXO for it.
//
// Versions: an input is continued by putting it at Version+1 with the same program, kind
// and amount, or ended by burning it. An input that is neither is left as it is: listing
// it only states that the transaction saw that version, so the commit fails if it moved.
type Commit struct {
	Tx     [32]byte // the transaction's hash: the key of its record; must not be zero
	Record []byte   // the transaction's record (opaque here), returned by Ledger.Tx
	NextID uint64   // the allocator after the transaction: at least the current one
	Inputs []Input  // the versions the transaction consumed, each live at exactly that version
	Burned []uint64 // ids that ended: inputs, or ids the transaction created and burned
	Put    []*UTXO  // versions to write: continued inputs and created UTXOs
}

// Apply writes c in one bbolt transaction after checking it against the ledger. Any broken
// rule, a cancelled ctx or a failed write returns an error and leaves the ledger unchanged.
//
// An input that is not live at its stated version is a *StaleError, or a *SpentError when
// it was burned: that is how a double spend across transactions shows. A transaction
// already applied is ErrDuplicateTx. Every other rule is ErrInvalidCommit: duplicate ids,
// an id both burned and put, a put that is neither the next version of an input nor a new
// id of the transaction's range, a program that is not deployed (also ErrUnknownProgram), a
// token whose owner is not a live non-token UTXO after the commit, or a burned UTXO that
// still owns tokens (both also ErrBadOwner).
//
// The Tx and StateHash fields of the puts are ignored: the ledger sets them.
func (l *Ledger) Apply(ctx context.Context, c *Commit) error {
	if c == nil {
		return fmt.Errorf("ledger: apply: %w: nil commit", ErrInvalidCommit)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ledger: apply: %w", err)
	}
	if err := c.check(); err != nil {
		return fmt.Errorf("ledger: apply tx %s: %w", shortHex(c.Tx), err)
	}
	err := l.update(func(tx *bolt.Tx) error {
		if err := apply(ctx, tx, c); err != nil {
			return err
		}
		// The last chance to give up: after this bbolt commits.
		return ctx.Err()
	})
	if err != nil {
		return fmt.Errorf("ledger: apply tx %s: %w", shortHex(c.Tx), err)
	}
	return nil
}

// check holds the rules that need no ledger.
func (c *Commit) check() error {
	if c.Tx == [32]byte{} {
		return fmt.Errorf("%w: zero transaction hash", ErrInvalidCommit)
	}
	if len(c.Record) > MaxRecordSize {
		return fmt.Errorf("%w: record of %d bytes (the limit is %d)", ErrInvalidCommit, len(c.Record), MaxRecordSize)
	}
	for _, u := range c.Put {
		if u == nil {
			return fmt.Errorf("%w: nil put", ErrInvalidCommit)
		}
		switch u.Kind {
		case program.UTXO:
			if u.Amount != 0 || u.Owner != 0 {
				return fmt.Errorf("%w: utxo %d is not a token but has amount %d, owner %d", ErrInvalidCommit, u.ID, u.Amount, u.Owner)
			}
		case program.Token:
			if u.Owner == u.ID {
				return fmt.Errorf("%w: %w: token %d owns itself", ErrInvalidCommit, ErrBadOwner, u.ID)
			}
		default:
			return fmt.Errorf("%w: utxo %d of kind %v", ErrInvalidCommit, u.ID, u.Kind)
		}
		if len(u.State) > MaxStateSize {
			return fmt.Errorf("%w: utxo %d: state of %d bytes (the limit is %d)", ErrInvalidCommit, u.ID, len(u.State), MaxStateSize)
		}
	}
	return nil
}

func apply(ctx context.Context, tx *bolt.Tx, c *Commit) error {
	meta, utxos, owned, spent, programs := tx.Bucket(bucketMeta), tx.Bucket(bucketUTXOs),
		tx.Bucket(bucketOwned), tx.Bucket(bucketSpent), tx.Bucket(bucketPrograms)

	if tx.Bucket(bucketTxs).Get(c.Tx[:]) != nil {
		return fmt.Errorf("%w: %x", ErrDuplicateTx, c.Tx)
	}
	first, err := metaU64(tx, keyNext)
	if err != nil {
		return err
	}
	if c.NextID < first {
		return fmt.Errorf("%w: next id %d is below the ledger's %d", ErrInvalidCommit, c.NextID, first)
	}
	created := func(id uint64) bool { return first <= id && id < c.NextID }

	// The inputs, as they are at rest.
	inputs := make(map[uint64]*UTXO, len(c.Inputs))
	for _, in := range c.Inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, dup := inputs[in.ID]; dup {
			return fmt.Errorf("%w: input %d listed twice", ErrInvalidCommit, in.ID)
		}
		u, err := getUTXO(tx, in.ID)
		if err != nil {
			return fmt.Errorf("input: %w", err)
		}
		if u.Version != in.Version {
			return &StaleError{ID: in.ID, Have: u.Version, Want: in.Version}
		}
		inputs[in.ID] = u
	}

	burned := make(map[uint64]bool, len(c.Burned))
	for _, id := range c.Burned {
		if burned[id] {
			return fmt.Errorf("%w: %d burned twice", ErrInvalidCommit, id)
		}
		if inputs[id] == nil && !created(id) {
			return fmt.Errorf("%w: burned %d is neither an input nor created by the transaction", ErrInvalidCommit, id)
		}
		burned[id] = true
	}

	put := make(map[uint64]bool, len(c.Put))
	for _, u := range c.Put {
		switch old := inputs[u.ID]; {
		case put[u.ID]:
			return fmt.Errorf("%w: utxo %d put twice", ErrInvalidCommit, u.ID)
		case burned[u.ID]:
			return fmt.Errorf("%w: utxo %d both burned and put", ErrInvalidCommit, u.ID)
		case old != nil:
			if old.Version == math.MaxUint64 || u.Version != old.Version+1 {
				return fmt.Errorf("%w: utxo %d put at version %d, continuing version %d", ErrInvalidCommit, u.ID, u.Version, old.Version)
			}
			if u.Program != old.Program || u.Kind != old.Kind || u.Amount != old.Amount {
				return fmt.Errorf("%w: utxo %d changes its program, kind or amount", ErrInvalidCommit, u.ID)
			}
		case created(u.ID):
			if u.Version != 0 {
				return fmt.Errorf("%w: new utxo %d put at version %d, not 0", ErrInvalidCommit, u.ID, u.Version)
			}
		default:
			return fmt.Errorf("%w: utxo %d is neither an input nor an id of the transaction (%d to %d)", ErrInvalidCommit, u.ID, first, c.NextID)
		}
		hb := u.Program.Bytes()
		if programs.Get(hb[:]) == nil {
			return fmt.Errorf("%w: utxo %d: %w %s", ErrInvalidCommit, u.ID, ErrUnknownProgram, u.Program.Short())
		}
		put[u.ID] = true
	}

	// Write. bbolt keeps all of it in memory until the commit, so a rule that fails
	// below still leaves the file untouched.
	for _, id := range c.Burned {
		rec := spentRecord{Tx: c.Tx}
		if old := inputs[id]; old != nil {
			rec.Version = old.Version
			if err := utxos.Delete(idKey(id)); err != nil {
				return err
			}
			if old.Kind == program.Token && old.Owner != 0 {
				if err := owned.Delete(ownedKey(old.Owner, id)); err != nil {
					return err
				}
			}
		}
		if err := spent.Put(idKey(id), appendSpent(nil, &rec)); err != nil {
			return err
		}
	}
	for _, u := range c.Put {
		if err := ctx.Err(); err != nil {
			return err
		}
		if old := inputs[u.ID]; old != nil && old.Kind == program.Token && old.Owner != 0 {
			if err := owned.Delete(ownedKey(old.Owner, u.ID)); err != nil {
				return err
			}
		}
		w := *u
		w.StateHash = sha256.Sum256(u.State)
		w.Tx = c.Tx
		// bbolt keeps the value slice until the commit, so each gets its own.
		if err := utxos.Put(idKey(u.ID), appendUTXO(make([]byte, 0, utxoHeader+len(w.State)), &w)); err != nil {
			return err
		}
		if w.Kind == program.Token && w.Owner != 0 {
			if err := owned.Put(ownedKey(w.Owner, w.ID), nil); err != nil {
				return err
			}
		}
	}

	// Owners, as they are after the commit.
	for _, u := range c.Put {
		if u.Kind != program.Token || u.Owner == 0 {
			continue
		}
		o, err := getUTXO(tx, u.Owner)
		if err != nil {
			return fmt.Errorf("%w: %w: token %d: owner: %w", ErrInvalidCommit, ErrBadOwner, u.ID, err)
		}
		if o.Kind != program.UTXO {
			return fmt.Errorf("%w: %w: token %d is bound to %d, a %v", ErrInvalidCommit, ErrBadOwner, u.ID, o.ID, o.Kind)
		}
	}
	for _, id := range c.Burned {
		left, err := ownedBy(tx, id, 1)
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("%w: %w: utxo %d burned while token %d is bound to it", ErrInvalidCommit, ErrBadOwner, id, left[0])
		}
	}

	seq, err := bumpSeq(tx)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketTxs).Put(c.Tx[:], appendTx(nil, &txRecord{Seq: seq, Record: c.Record})); err != nil {
		return err
	}
	if err := tx.Bucket(bucketTxLog).Put(idKey(seq), c.Tx[:]); err != nil {
		return err
	}
	return meta.Put(keyNext, appendU64(c.NextID))
}

// Tx returns the record of the transaction hash; one never applied is ErrUnknownTx.
func (l *Ledger) Tx(hash [32]byte) ([]byte, error) {
	var rec []byte
	err := l.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketTxs).Get(hash[:])
		if v == nil {
			return fmt.Errorf("%w %x", ErrUnknownTx, hash)
		}
		t, err := decodeTx(v)
		if err != nil {
			return fmt.Errorf("tx %x: %w", hash, err)
		}
		rec = append([]byte{}, t.Record...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	return rec, nil
}
