package ledger

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ssprove/ssprove/runtime/program"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// FileName is the name of the ledger's file in its directory.
const FileName = "ledger.db"

// Schema is the version of the file layout this package reads and writes.
const Schema = 1

// format marks a bbolt file as a ledger, so that another program's bbolt file is told apart
// from a damaged ledger.
const format = "ssprove/ledger"

// Limits on what the ledger stores.
const (
	MaxModuleSize = 16 << 20 // bytes of a deployed module
	MaxNameLen    = 128      // bytes of a program name
	MaxStateSize  = 1 << 30  // bytes of a UTXO's state
	MaxRecordSize = 16 << 20 // bytes of a transaction record
)

// DefaultTimeout is how long Open waits for another process to release the ledger.
const DefaultTimeout = time.Second

var (
	bucketMeta     = []byte("meta")
	bucketPrograms = []byte("programs")
	bucketNames    = []byte("names")
	bucketUTXOs    = []byte("utxos")
	bucketOwned    = []byte("owned")
	bucketSpent    = []byte("spent")
	bucketTxs      = []byte("txs")
	bucketTxLog    = []byte("txlog")

	allBuckets = [][]byte{bucketMeta, bucketPrograms, bucketNames, bucketUTXOs, bucketOwned, bucketSpent, bucketTxs, bucketTxLog}

	keyFormat = []byte("format")
	keySchema = []byte("schema")
	keyNext   = []byte("next")
	keySeq    = []byte("seq")
)

// A Ledger is an open ledger file. Its methods may be called from several goroutines: bbolt
// runs one writer at a time and readers beside it.
type Ledger struct {
	db   *bolt.DB
	path string
}

// An Option changes how Open opens a ledger.
type Option func(*options)

type options struct {
	readOnly bool
	timeout  time.Duration
}

// ReadOnly opens the ledger for reading only, sharing it with other readers; Apply and
// Deploy then fail with ErrReadOnly.
func ReadOnly() Option { return func(o *options) { o.readOnly = true } }

// Timeout sets how long Open waits for the file lock another process holds before it fails
// with ErrLocked (DefaultTimeout when not given). Zero or less waits forever.
func Timeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// Init creates a new, empty ledger in dir, creating dir if needed. A ledger already there is
// ErrExists.
//
// The file is built under a temporary name and linked into place only when complete, so that
// an Init that is interrupted leaves no half-made ledger behind, and two racing Inits cannot
// both succeed.
func Init(dir string) error {
	path := filepath.Join(dir, FileName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("ledger: init %s: %w", dir, err)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("ledger: init %s: %w", path, ErrExists)
	}
	tmp, err := os.CreateTemp(dir, ".ledger-*.db")
	if err != nil {
		return fmt.Errorf("ledger: init %s: %w", dir, err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpPath)

	db, err := bolt.Open(tmpPath, 0o644, &bolt.Options{Timeout: DefaultTimeout})
	if err != nil {
		return fmt.Errorf("ledger: init %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		return errors.Join(
			meta.Put(keyFormat, []byte(format)),
			meta.Put(keySchema, appendU32(Schema)),
			meta.Put(keyNext, appendU64(1)),
			meta.Put(keySeq, appendU64(0)),
		)
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("ledger: init %s: %w", path, err)
	}
	if err := os.Link(tmpPath, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("ledger: init %s: %w", path, ErrExists)
		}
		return fmt.Errorf("ledger: init %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes the new directory entry durable, as far as the platform allows: some cannot
// sync a directory, and the ledger is complete either way, so a failure here is not Init's.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// errEmptyFile stops bbolt from turning an empty file into a fresh database.
var errEmptyFile = errors.New("empty file")

// Open opens the ledger in dir. A missing ledger, and a file that is not a ledger, are
// ErrNotLedger; a ledger of another schema is ErrSchema; a ledger another process holds past
// the timeout is ErrLocked.
func Open(dir string, opts ...Option) (*Ledger, error) {
	o := options{timeout: DefaultTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	if o.timeout < 0 {
		o.timeout = 0
	}
	path := filepath.Join(dir, FileName)
	bo := &bolt.Options{
		Timeout:  o.timeout,
		ReadOnly: o.readOnly,
		// Open must never create or initialise a file: that is Init's job, and a missing
		// or empty file is an error to report, not a ledger to make.
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag&^os.O_CREATE, perm)
			if err != nil {
				return nil, err
			}
			if fi, err := f.Stat(); err == nil && fi.Size() == 0 {
				f.Close()
				return nil, errEmptyFile
			}
			return f, nil
		},
	}
	db, err := openBolt(path, bo)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("ledger: open %s: %w: no such file (run init first)", path, ErrNotLedger)
		case errors.Is(err, errEmptyFile):
			return nil, fmt.Errorf("ledger: open %s: %w: empty file", path, ErrNotLedger)
		case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum),
			errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, ErrCorrupt):
			return nil, fmt.Errorf("ledger: open %s: %w: not a bbolt database (%v)", path, ErrNotLedger, err)
		case errors.Is(err, bolterrors.ErrTimeout):
			return nil, fmt.Errorf("ledger: open %s: %w (waited %v)", path, ErrLocked, o.timeout)
		}
		return nil, fmt.Errorf("ledger: open %s: %w", path, err)
	}
	l := &Ledger{db: db, path: path}
	if err := l.view(checkMeta); err != nil {
		db.Close()
		return nil, fmt.Errorf("ledger: open %s: %w", path, err)
	}
	return l, nil
}

// openBolt is bolt.Open, with a panic (bbolt panics on some damaged files) turned into
// ErrCorrupt.
func openBolt(path string, bo *bolt.Options) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	return bolt.Open(path, 0o644, bo)
}

// checkMeta says whether tx is a ledger of this package's schema.
func checkMeta(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil || string(meta.Get(keyFormat)) != format {
		return fmt.Errorf("%w: a bbolt database of another kind", ErrNotLedger)
	}
	v := meta.Get(keySchema)
	if len(v) != 4 {
		return fmt.Errorf("%w: schema version of %d bytes", ErrCorrupt, len(v))
	}
	if s := leU32(v); s != Schema {
		return fmt.Errorf("%w: schema %d, this ssprove reads schema %d", ErrSchema, s, Schema)
	}
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil {
			return fmt.Errorf("%w: bucket %q missing", ErrCorrupt, name)
		}
	}
	return nil
}

// Path is the ledger's file.
func (l *Ledger) Path() string { return l.path }

// Close closes the ledger, waiting for transactions in progress.
func (l *Ledger) Close() error {
	if err := l.db.Close(); err != nil {
		return fmt.Errorf("ledger: close %s: %w", l.path, err)
	}
	return nil
}

// view runs fn in a read transaction. bbolt panics on some damaged pages instead of
// returning an error; that panic is a corrupt file, not a bug of the caller, so it comes
// back as ErrCorrupt (bbolt has already rolled the transaction back by then).
func (l *Ledger) view(fn func(*bolt.Tx) error) (err error) {
	defer recoverCorrupt(&err)
	return boltErr(l.db.View(fn))
}

// update runs fn in a read-write transaction, committed only when fn returns nil.
func (l *Ledger) update(fn func(*bolt.Tx) error) (err error) {
	defer recoverCorrupt(&err)
	return boltErr(l.db.Update(fn))
}

func recoverCorrupt(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v", ErrCorrupt, r)
	}
}

func boltErr(err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrDatabaseReadOnly):
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	case errors.Is(err, bolterrors.ErrDatabaseNotOpen):
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

// metaU64 reads a counter of the meta bucket.
func metaU64(tx *bolt.Tx, key []byte) (uint64, error) {
	return u64Value(tx.Bucket(bucketMeta).Get(key), "meta "+string(key))
}

// bumpSeq advances the change counter and returns its new value.
func bumpSeq(tx *bolt.Tx) (uint64, error) {
	seq, err := metaU64(tx, keySeq)
	if err != nil {
		return 0, err
	}
	seq++
	return seq, tx.Bucket(bucketMeta).Put(keySeq, appendU64(seq))
}

// Stats counts what a ledger holds.
type Stats struct {
	Schema   int
	NextID   uint64 // the next id the allocator gives
	Seq      uint64 // changes so far: deploys and commits
	Programs int
	UTXOs    int // live UTXOs that are not tokens
	Tokens   int // live tokens
	Spent    int // burned ids
	Txs      int // transactions applied
}

// Stats counts the ledger's contents. It walks every UTXO to tell tokens apart, so it takes
// a context.
func (l *Ledger) Stats(ctx context.Context) (*Stats, error) {
	s := &Stats{Schema: Schema}
	err := l.view(func(tx *bolt.Tx) error {
		var err error
		if s.NextID, err = metaU64(tx, keyNext); err != nil {
			return err
		}
		if s.Seq, err = metaU64(tx, keySeq); err != nil {
			return err
		}
		s.Programs = tx.Bucket(bucketPrograms).Stats().KeyN
		s.Spent = tx.Bucket(bucketSpent).Stats().KeyN
		s.Txs = tx.Bucket(bucketTxs).Stats().KeyN
		c := tx.Bucket(bucketUTXOs).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			// The kind sits at a fixed offset; Check decodes whole records.
			if len(v) < utxoHeader {
				return fmt.Errorf("%w: utxo record of %d bytes", ErrCorrupt, len(v))
			}
			if program.Kind(v[kindOffset]) == program.Token {
				s.Tokens++
			} else {
				s.UTXOs++
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: stats: %w", err)
	}
	return s, nil
}

func appendU32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func leU32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
