package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ssprove/ssprove/runtime/program"
	bolt "go.etcd.io/bbolt"
)

// newLedger makes and opens a ledger in a temporary directory. fsync is off: the tests here
// are about what the ledger writes, not about the disk (the crash test keeps it on).
func newLedger(t testing.TB) (*Ledger, string) {
	t.Helper()
	dir := t.TempDir()
	if err := Init(dir); err != nil {
		t.Fatal(err)
	}
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	l.db.NoSync = true
	t.Cleanup(func() { l.Close() })
	return l, dir
}

var testModule = []byte("\x00asm\x01\x00\x00\x00 not checked by the ledger")

func deploy(t testing.TB, l *Ledger, name string, module []byte) program.Hash {
	t.Helper()
	h, err := l.Deploy(name, module)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// txHash is a distinct transaction hash for each n.
func txHash(n int) [32]byte {
	return sha256.Sum256(binary.LittleEndian.AppendUint64([]byte("tx"), uint64(n)))
}

// dump is every key and value of every bucket, to compare a ledger before and after.
func dump(t testing.TB, l *Ledger) map[string]string {
	t.Helper()
	m := make(map[string]string)
	err := l.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				m[string(name)+"/"+string(k)] = string(v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sub", "dir")
	if err := Init(dir); err != nil {
		t.Fatal(err)
	}
	if err := Init(dir); !errors.Is(err, ErrExists) {
		t.Fatalf("second Init: %v, want ErrExists", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != FileName {
		t.Errorf("dir holds %v, want only %s", entries, FileName)
	}
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if next, err := l.NextID(); err != nil || next != 1 {
		t.Errorf("NextID = %d, %v; want 1", next, err)
	}
	if err := l.Check(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestOpenErrors(t *testing.T) {
	writeFile := func(data []byte) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, FileName), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	withBolt := func(fn func(tx *bolt.Tx) error) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			db, err := bolt.Open(filepath.Join(dir, FileName), 0o644, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Update(fn); err != nil {
				t.Fatal(err)
			}
		}
	}
	withLedger := func(fn func(tx *bolt.Tx) error) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			if err := Init(dir); err != nil {
				t.Fatal(err)
			}
			withBolt(fn)(t, dir)
		}
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  error
	}{
		{"missing", func(*testing.T, string) {}, ErrNotLedger},
		{"empty file", writeFile(nil), ErrNotLedger},
		{"short file", writeFile([]byte("hello")), ErrNotLedger},
		{"zero-filled file", writeFile(make([]byte, 3*4096)), ErrNotLedger},
		{"random bytes", writeFile(randomBytes(5 * 4096)), ErrNotLedger},
		{"other bbolt database", withBolt(func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket([]byte("widgets"))
			return err
		}), ErrNotLedger},
		{"other schema", withLedger(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keySchema, appendU32(Schema+1))
		}), ErrSchema},
		{"bad schema value", withLedger(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keySchema, []byte{1})
		}), ErrCorrupt},
		{"missing bucket", withLedger(func(tx *bolt.Tx) error {
			return tx.DeleteBucket(bucketSpent)
		}), ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			before, _ := os.ReadFile(filepath.Join(dir, FileName))
			l, err := Open(dir)
			if err == nil {
				l.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open: %v, want %v", err, tt.want)
			}
			after, _ := os.ReadFile(filepath.Join(dir, FileName))
			if string(before) != string(after) {
				t.Error("a failed Open changed the file")
			}
			if _, err := os.Stat(filepath.Join(dir, FileName)); tt.name == "missing" && err == nil {
				t.Error("Open created a file")
			}
		})
	}
}

func TestLockAndReadOnly(t *testing.T) {
	l, dir := newLedger(t)
	if _, err := Open(dir, Timeout(20*time.Millisecond)); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	deploy(t, l, "p", testModule)
	l.Close()

	r1, err := Open(dir, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := Open(dir, ReadOnly(), Timeout(time.Second))
	if err != nil {
		t.Fatalf("two readers: %v", err)
	}
	defer r2.Close()
	if _, err := r1.ProgramByName("p"); err != nil {
		t.Error(err)
	}
	if _, err := r1.Deploy("q", []byte("q")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Deploy on a reader: %v, want ErrReadOnly", err)
	}
	err = r2.Apply(context.Background(), &Commit{Tx: txHash(1), NextID: 1})
	if !errors.Is(err, ErrReadOnly) {
		t.Errorf("Apply on a reader: %v, want ErrReadOnly", err)
	}
}

func TestClosed(t *testing.T) {
	l, _ := newLedger(t)
	l.Close()
	if _, err := l.NextID(); !errors.Is(err, ErrClosed) {
		t.Errorf("NextID after Close: %v, want ErrClosed", err)
	}
}

func TestCorruptRecord(t *testing.T) {
	l, _ := newLedger(t)
	h := deploy(t, l, "", testModule)
	put := &UTXO{ID: 1, Program: h, Kind: program.UTXO, State: []byte("state")}
	if err := l.Apply(context.Background(), &Commit{Tx: txHash(1), NextID: 2, Put: []*UTXO{put}}); err != nil {
		t.Fatal(err)
	}
	if err := l.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Flip one byte of the stored state: the state hash no longer matches.
	err := l.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUTXOs)
		v := []byte(string(b.Get(idKey(1))))
		v[len(v)-1] ^= 1
		return b.Put(idKey(1), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.UTXO(1); !errors.Is(err, ErrCorrupt) {
		t.Errorf("UTXO: %v, want ErrCorrupt", err)
	}
	if _, err := l.UTXOs(context.Background()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("UTXOs: %v, want ErrCorrupt", err)
	}
	if err := l.Check(context.Background()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Check: %v, want ErrCorrupt", err)
	}
}

func TestStats(t *testing.T) {
	l, _ := newLedger(t)
	h := deploy(t, l, "p", testModule)
	c := &Commit{Tx: txHash(1), NextID: 5, Burned: []uint64{4}, Put: []*UTXO{
		{ID: 1, Program: h, Kind: program.UTXO},
		{ID: 2, Program: h, Kind: program.Token, Amount: 5, Owner: 1},
		{ID: 3, Program: h, Kind: program.Token, Amount: 7},
	}}
	if err := l.Apply(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	s, err := l.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{Schema: Schema, NextID: 5, Seq: 2, Programs: 1, UTXOs: 1, Tokens: 2, Spent: 1, Txs: 1}
	if *s != want {
		t.Errorf("Stats = %+v, want %+v", *s, want)
	}
	m := dump(t, l)
	if _, err := l.Stats(canceled()); !errors.Is(err, context.Canceled) {
		t.Errorf("Stats with a canceled context: %v", err)
	}
	if !maps.Equal(m, dump(t, l)) {
		t.Error("Stats changed the ledger")
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }

func randomBytes(n int) []byte {
	b := make([]byte, 0, n)
	for i := 0; len(b) < n; i++ {
		h := txHash(i)
		b = append(b, h[:]...)
	}
	return b[:n]
}
