package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/ssprove/ssprove/runtime/program"
)

// Record layouts. Every record starts with its version byte, integers are little-endian and
// variable-length fields carry their length just before them. A decoder refuses a short
// record, trailing bytes and values the writer never produces, and never panics: every
// record comes from a file that may have been damaged.
//
//	utxo     1 | id u64 | version u64 | program [32] | kind u8 | amount u64 | owner u64 |
//	         tx [32] | state hash [32] | len u32 | state
//	program  1 | deployed u64 | len u16 | name | len u32 | module
//	spent    1 | version u64 | tx [32]
//	tx       1 | seq u64 | len u32 | record
const recordV1 = 1

const (
	utxoHeader = 1 + 8 + 8 + program.Size + 1 + 8 + 8 + 32 + 32 + 4
	kindOffset = 1 + 8 + 8 + program.Size
)

// appendUTXO appends the record of u, whose StateHash must already be set.
func appendUTXO(b []byte, u *UTXO) []byte {
	b = append(b, recordV1)
	b = binary.LittleEndian.AppendUint64(b, u.ID)
	b = binary.LittleEndian.AppendUint64(b, u.Version)
	h := u.Program.Bytes()
	b = append(b, h[:]...)
	b = append(b, byte(u.Kind))
	b = binary.LittleEndian.AppendUint64(b, u.Amount)
	b = binary.LittleEndian.AppendUint64(b, u.Owner)
	b = append(b, u.Tx[:]...)
	b = append(b, u.StateHash[:]...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(u.State)))
	return append(b, u.State...)
}

// decodeUTXO decodes a UTXO record, copying the state out of b, and checks the state
// against its hash.
func decodeUTXO(b []byte) (*UTXO, error) {
	d := decoder{b: b, what: "utxo record"}
	d.version()
	u := &UTXO{
		ID:      d.u64(),
		Version: d.u64(),
	}
	h, err := program.FromBytes(d.bytes(program.Size))
	if err != nil && d.err == nil {
		d.fail("program: %v", err)
	}
	u.Program = h
	u.Kind = program.Kind(d.u8())
	if d.err == nil && u.Kind != program.UTXO && u.Kind != program.Token {
		d.fail("kind %d is neither utxo nor token", u.Kind)
	}
	u.Amount = d.u64()
	u.Owner = d.u64()
	copy(u.Tx[:], d.bytes(32))
	copy(u.StateHash[:], d.bytes(32))
	if s := d.bytes(int(d.u32())); s != nil {
		u.State = bytes.Clone(s)
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	if sha256.Sum256(u.State) != u.StateHash {
		return nil, fmt.Errorf("%w: utxo %d: state does not match its hash", ErrCorrupt, u.ID)
	}
	return u, nil
}

// programRecord is a program at rest.
type programRecord struct {
	Deployed uint64
	Name     string
	Module   []byte // aliases the decoded bytes
}

func appendProgram(b []byte, p *programRecord) []byte {
	b = append(b, recordV1)
	b = binary.LittleEndian.AppendUint64(b, p.Deployed)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(p.Name)))
	b = append(b, p.Name...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p.Module)))
	return append(b, p.Module...)
}

// decodeProgram decodes a program record; Module aliases b, so that listing programs does
// not copy every module.
func decodeProgram(b []byte) (*programRecord, error) {
	d := decoder{b: b, what: "program record"}
	d.version()
	p := &programRecord{Deployed: d.u64()}
	p.Name = string(d.bytes(int(d.u16())))
	p.Module = d.bytes(int(d.u32()))
	if err := d.end(); err != nil {
		return nil, err
	}
	if p.Name != "" {
		if err := checkName(p.Name); err != nil {
			return nil, fmt.Errorf("%w: program record: %v", ErrCorrupt, err)
		}
	}
	if len(p.Module) == 0 || len(p.Module) > MaxModuleSize {
		return nil, fmt.Errorf("%w: program record: module of %d bytes", ErrCorrupt, len(p.Module))
	}
	return p, nil
}

// spentRecord is what the ledger remembers of a burned id.
type spentRecord struct {
	Version uint64
	Tx      [32]byte
}

func appendSpent(b []byte, s *spentRecord) []byte {
	b = append(b, recordV1)
	b = binary.LittleEndian.AppendUint64(b, s.Version)
	return append(b, s.Tx[:]...)
}

func decodeSpent(b []byte) (*spentRecord, error) {
	d := decoder{b: b, what: "spent record"}
	d.version()
	s := &spentRecord{Version: d.u64()}
	copy(s.Tx[:], d.bytes(32))
	if err := d.end(); err != nil {
		return nil, err
	}
	return s, nil
}

// txRecord is a transaction's record at rest.
type txRecord struct {
	Seq    uint64
	Record []byte // aliases the decoded bytes
}

func appendTx(b []byte, t *txRecord) []byte {
	b = append(b, recordV1)
	b = binary.LittleEndian.AppendUint64(b, t.Seq)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(t.Record)))
	return append(b, t.Record...)
}

func decodeTx(b []byte) (*txRecord, error) {
	d := decoder{b: b, what: "tx record"}
	d.version()
	t := &txRecord{Seq: d.u64()}
	t.Record = d.bytes(int(d.u32()))
	if err := d.end(); err != nil {
		return nil, err
	}
	return t, nil
}

// decoder reads a record front to back. After the first failure every read returns zero
// values and the error sticks, so that a decode function reads straight through and checks
// once at the end.
type decoder struct {
	b    []byte
	what string
	err  error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s: %s", ErrCorrupt, d.what, fmt.Sprintf(format, args...))
	}
}

// bytes returns the next n bytes, aliasing the record, or nil when they are not there.
func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b) {
		d.fail("%d bytes short", n-len(d.b))
		return nil
	}
	s := d.b[:n:n]
	d.b = d.b[n:]
	return s
}

func (d *decoder) u8() uint8 {
	if s := d.bytes(1); s != nil {
		return s[0]
	}
	return 0
}

func (d *decoder) u16() uint16 {
	if s := d.bytes(2); s != nil {
		return binary.LittleEndian.Uint16(s)
	}
	return 0
}

func (d *decoder) u32() uint32 {
	if s := d.bytes(4); s != nil {
		return binary.LittleEndian.Uint32(s)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if s := d.bytes(8); s != nil {
		return binary.LittleEndian.Uint64(s)
	}
	return 0
}

func (d *decoder) version() {
	if v := d.u8(); d.err == nil && v != recordV1 {
		d.fail("record version %d, want %d", v, recordV1)
	}
}

func (d *decoder) end() error {
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	return d.err
}

// Keys. Integers are big-endian so that bbolt's byte order is numeric order.

func idKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

func ownedKey(owner, token uint64) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(make([]byte, 0, 16), owner), token)
}

func keyID(k []byte) (uint64, error) {
	if len(k) != 8 {
		return 0, fmt.Errorf("%w: id key of %d bytes", ErrCorrupt, len(k))
	}
	return binary.BigEndian.Uint64(k), nil
}

func u64Value(v []byte, what string) (uint64, error) {
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: %s: %d bytes, want 8", ErrCorrupt, what, len(v))
	}
	return binary.LittleEndian.Uint64(v), nil
}

func appendU64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// The length prefixes hold every size the limits allow: a conversion of a constant that
// overflows does not compile.
const (
	_ = uint32(MaxModuleSize)
	_ = uint32(MaxStateSize)
	_ = uint32(MaxRecordSize)
	_ = uint16(MaxNameLen)
)
