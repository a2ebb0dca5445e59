package ledger

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/ssprove/ssprove/runtime/program"
	bolt "go.etcd.io/bbolt"
)

// UTXO is a UTXO or token at rest: one version of it.
type UTXO struct {
	ID        uint64 // stable for the UTXO's whole life; never reused
	Version   uint64 // transactions that consumed it so far: 0 when just created
	Program   program.Hash
	Kind      program.Kind // program.UTXO or program.Token
	Amount    uint64       // tokens only
	Owner     uint64       // tokens only: the owning UTXO's id, 0 when unbound
	State     []byte       // the process state, encoded by the runtime; opaque here
	StateHash [32]byte     // SHA-256 of State, set by the ledger when it writes
	Tx        [32]byte     // the transaction that produced this version, set by the ledger
}

// UTXO returns the UTXO or token id as it is at rest. An id the ledger never stored is
// ErrUnknownUTXO; a burned one is a *SpentError.
func (l *Ledger) UTXO(id uint64) (*UTXO, error) {
	var u *UTXO
	err := l.view(func(tx *bolt.Tx) error {
		var err error
		u, err = getUTXO(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	return u, nil
}

// getUTXO reads a live UTXO, or says why there is none.
func getUTXO(tx *bolt.Tx, id uint64) (*UTXO, error) {
	k := idKey(id)
	if v := tx.Bucket(bucketUTXOs).Get(k); v != nil {
		u, err := decodeUTXO(v)
		if err != nil {
			return nil, fmt.Errorf("utxo %d: %w", id, err)
		}
		if u.ID != id {
			return nil, fmt.Errorf("%w: utxo %d stored under id %d", ErrCorrupt, u.ID, id)
		}
		return u, nil
	}
	if v := tx.Bucket(bucketSpent).Get(k); v != nil {
		s, err := decodeSpent(v)
		if err != nil {
			return nil, fmt.Errorf("burned utxo %d: %w", id, err)
		}
		return nil, &SpentError{ID: id, Version: s.Version, Tx: s.Tx}
	}
	return nil, fmt.Errorf("%w %d", ErrUnknownUTXO, id)
}

// UTXOs returns every live UTXO and token, by ascending id. It returns a slice rather than
// an iterator so that no read transaction stays open while the caller works: a caller that
// applied a commit inside the loop could otherwise wait on itself when bbolt grows the file.
func (l *Ledger) UTXOs(ctx context.Context) ([]*UTXO, error) {
	var list []*UTXO
	err := l.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketUTXOs).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			id, err := keyID(k)
			if err != nil {
				return err
			}
			u, err := decodeUTXO(v)
			if err != nil {
				return fmt.Errorf("utxo %d: %w", id, err)
			}
			if u.ID != id {
				return fmt.Errorf("%w: utxo %d stored under id %d", ErrCorrupt, u.ID, id)
			}
			list = append(list, u)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: utxos: %w", err)
	}
	return list, nil
}

// OwnedBy returns the ids of the tokens bound to owner, ascending.
func (l *Ledger) OwnedBy(owner uint64) ([]uint64, error) {
	var ids []uint64
	err := l.view(func(tx *bolt.Tx) error {
		var err error
		ids, err = ownedBy(tx, owner, 0)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: tokens of %d: %w", owner, err)
	}
	return ids, nil
}

// ownedBy lists the tokens of owner from the index, at most limit of them (0: all).
func ownedBy(tx *bolt.Tx, owner uint64, limit int) ([]uint64, error) {
	var ids []uint64
	prefix := idKey(owner)
	c := tx.Bucket(bucketOwned).Cursor()
	for k, _ := c.Seek(prefix); k != nil && len(k) >= 8 && binary.BigEndian.Uint64(k) == owner; k, _ = c.Next() {
		if len(k) != 16 {
			return nil, fmt.Errorf("%w: owner index key of %d bytes", ErrCorrupt, len(k))
		}
		ids = append(ids, binary.BigEndian.Uint64(k[8:]))
		if limit > 0 && len(ids) == limit {
			break
		}
	}
	return ids, nil
}

// NextID returns the id the next created process gets. Ids start at 1.
func (l *Ledger) NextID() (uint64, error) {
	var next uint64
	err := l.view(func(tx *bolt.Tx) error {
		var err error
		next, err = metaU64(tx, keyNext)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("ledger: next id: %w", err)
	}
	return next, nil
}
