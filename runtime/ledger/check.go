package ledger

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/ssprove/ssprove/runtime/program"
	bolt "go.etcd.io/bbolt"
)

// Check reads the whole ledger and verifies that it is consistent: every record decodes,
// every module hashes to its key, every live id is below the allocator and not burned, every
// UTXO's program is deployed, the owner index matches the tokens and every bound token's
// owner is a live UTXO, and every burned id names a recorded transaction. A problem is
// ErrCorrupt. Check is for `ledger check` and for tests; Apply keeps these invariants.
func (l *Ledger) Check(ctx context.Context) error {
	err := l.view(func(tx *bolt.Tx) error {
		if err := checkMeta(tx); err != nil {
			return err
		}
		c := checker{ctx: ctx, tx: tx}
		for _, step := range []func() error{c.meta, c.programs, c.names, c.utxos, c.owned, c.spent, c.txs} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ledger: check %s: %w", l.path, err)
	}
	return nil
}

type checker struct {
	ctx  context.Context
	tx   *bolt.Tx
	next uint64
	seq  uint64
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

func (c *checker) meta() error {
	var err error
	if c.next, err = metaU64(c.tx, keyNext); err != nil {
		return err
	}
	if c.next == 0 {
		return corrupt("next id is 0")
	}
	c.seq, err = metaU64(c.tx, keySeq)
	return err
}

// each walks bucket, stopping when ctx is done.
func (c *checker) each(bucket []byte, fn func(k, v []byte) error) error {
	cur := c.tx.Bucket(bucket).Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		if v == nil {
			return corrupt("%s: nested bucket %q", bucket, k)
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) programs() error {
	names := c.tx.Bucket(bucketNames)
	return c.each(bucketPrograms, func(k, v []byte) error {
		h, err := program.FromBytes(k)
		if err != nil {
			return corrupt("program key %x: %v", k, err)
		}
		rec, err := decodeProgram(v)
		if err != nil {
			return fmt.Errorf("program %s: %w", h.Short(), err)
		}
		if program.Of(rec.Module) != h {
			return corrupt("program %s: module does not hash to its key", h.Short())
		}
		if rec.Deployed == 0 || rec.Deployed > c.seq {
			return corrupt("program %s deployed at change %d of %d", h.Short(), rec.Deployed, c.seq)
		}
		if rec.Name != "" && !bytes.Equal(names.Get([]byte(rec.Name)), k) {
			return corrupt("program %s: name %q is not bound to it", h.Short(), rec.Name)
		}
		return nil
	})
}

func (c *checker) names() error {
	programs := c.tx.Bucket(bucketPrograms)
	return c.each(bucketNames, func(k, v []byte) error {
		p := programs.Get(v)
		if p == nil {
			return corrupt("name %q is bound to a program that is not deployed", k)
		}
		rec, err := decodeProgram(p)
		if err != nil {
			return fmt.Errorf("name %q: %w", k, err)
		}
		if rec.Name != string(k) {
			return corrupt("name %q is bound to a program named %q", k, rec.Name)
		}
		return nil
	})
}

func (c *checker) utxos() error {
	spent, owned, programs := c.tx.Bucket(bucketSpent), c.tx.Bucket(bucketOwned), c.tx.Bucket(bucketPrograms)
	return c.each(bucketUTXOs, func(k, v []byte) error {
		id, err := keyID(k)
		if err != nil {
			return err
		}
		u, err := getUTXO(c.tx, id)
		if err != nil {
			return err
		}
		switch {
		case id == 0 || id >= c.next:
			return corrupt("utxo %d outside the allocated ids 1 to %d", id, c.next)
		case spent.Get(k) != nil:
			return corrupt("utxo %d is both live and burned", id)
		}
		hb := u.Program.Bytes()
		if programs.Get(hb[:]) == nil {
			return corrupt("utxo %d: program %s is not deployed", id, u.Program.Short())
		}
		if u.Kind != program.Token {
			if u.Amount != 0 || u.Owner != 0 {
				return corrupt("utxo %d is not a token but has amount %d, owner %d", id, u.Amount, u.Owner)
			}
			return nil
		}
		if u.Owner == 0 {
			return nil
		}
		if owned.Get(ownedKey(u.Owner, id)) == nil {
			return corrupt("token %d: missing from the index of owner %d", id, u.Owner)
		}
		o, err := getUTXO(c.tx, u.Owner)
		if err != nil {
			return corrupt("token %d: owner: %v", id, err)
		}
		if o.Kind != program.UTXO {
			return corrupt("token %d is bound to %d, a %v", id, o.ID, o.Kind)
		}
		return nil
	})
}

func (c *checker) owned() error {
	utxos := c.tx.Bucket(bucketUTXOs)
	return c.each(bucketOwned, func(k, v []byte) error {
		if len(k) != 16 || len(v) != 0 {
			return corrupt("owner index entry %x → %x", k, v)
		}
		owner, token := binary.BigEndian.Uint64(k), binary.BigEndian.Uint64(k[8:])
		tv := utxos.Get(idKey(token))
		if tv == nil {
			return corrupt("owner index: token %d of %d is not live", token, owner)
		}
		u, err := decodeUTXO(tv)
		if err != nil {
			return fmt.Errorf("utxo %d: %w", token, err)
		}
		if u.Kind != program.Token || u.Owner != owner {
			return corrupt("owner index: %d lists %d, which is bound to %d", owner, token, u.Owner)
		}
		return nil
	})
}

func (c *checker) spent() error {
	txs := c.tx.Bucket(bucketTxs)
	return c.each(bucketSpent, func(k, v []byte) error {
		id, err := keyID(k)
		if err != nil {
			return err
		}
		if id == 0 || id >= c.next {
			return corrupt("burned id %d outside the allocated ids 1 to %d", id, c.next)
		}
		s, err := decodeSpent(v)
		if err != nil {
			return fmt.Errorf("burned utxo %d: %w", id, err)
		}
		if txs.Get(s.Tx[:]) == nil {
			return corrupt("utxo %d was burned by tx %x, which is not recorded", id, s.Tx)
		}
		return nil
	})
}

func (c *checker) txs() error {
	log := c.tx.Bucket(bucketTxLog)
	n := 0
	err := c.each(bucketTxs, func(k, v []byte) error {
		t, err := decodeTx(v)
		if err != nil {
			return fmt.Errorf("tx %x: %w", k, err)
		}
		if !bytes.Equal(log.Get(idKey(t.Seq)), k) {
			return corrupt("tx %x (change %d) is not in the log", k, t.Seq)
		}
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if m := log.Stats().KeyN; m != n {
		return corrupt("%d transactions, %d in the log", n, m)
	}
	return nil
}
