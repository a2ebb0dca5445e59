package txproof

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/tx"
)

// statementMagic opens an encoded statement.
var statementMagic = [4]byte{'S', 'S', 'T', 'S'}

// Encoded sizes of the list elements, for checking counts against the bytes left.
const (
	inputSize  = 16
	argSize    = 32
	amountSize = 40
	procSize   = 8 + 1 + 1 + 32 + 8 + 8 + 4 + 4 + 4 + 8 + 1 + 4 + 32 + 32 + 2*8*tx.DatumSlots
	ifaceSize  = 32
	cellSize   = 5
)

// Encode is the statement's canonical encoding (fold/ARITH.md § 6.3): the magic "SSTS",
// then every field in declaration order, integers little-endian, enums one byte, every
// list preceded by its length as a u32, arrays of fixed length (hashes, Kinds) without.
func (s *Statement) Encode() []byte {
	b := make([]byte, 0, 4+2+8*8+len(s.Tx.Inputs)*inputSize+len(s.Tx.Args)*argSize+
		(len(s.Tx.Mint)+len(s.Tx.Burn))*amountSize+32+len(s.Procs)*procSize+
		len(s.Ifaces)*ifaceSize+len(s.Datum)*cellSize+4*tx.NumHostFunctions+8)
	b = append(b, statementMagic[:]...)
	b = binary.LittleEndian.AppendUint16(b, s.Version)

	t := &s.Tx
	b = binary.LittleEndian.AppendUint64(b, t.NextID)
	b = appendWords(b, t.Coordinator[:]...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(t.Inputs)))
	for _, in := range t.Inputs {
		b = appendWords(b, in.ID, in.Version)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(t.Args)))
	for _, a := range t.Args {
		b = appendWords(b, a[:]...)
	}
	for _, list := range [][]tx.Amount{t.Mint, t.Burn} {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(list)))
		for _, a := range list {
			b = appendWords(b, a.Program[:]...)
			b = binary.LittleEndian.AppendUint64(b, a.Amount)
		}
	}
	b = binary.LittleEndian.AppendUint64(b, t.Fuel)
	b = append(b, s.Hash[:]...)

	b = binary.LittleEndian.AppendUint32(b, uint32(len(s.Procs)))
	for i := range s.Procs {
		p := &s.Procs[i]
		b = binary.LittleEndian.AppendUint64(b, p.PID)
		b = append(b, byte(p.Role), byte(p.Kind))
		b = appendWords(b, p.Program[:]...)
		b = appendWords(b, p.Amount, p.InitRef)
		b = binary.LittleEndian.AppendUint32(b, p.Creator)
		b = binary.LittleEndian.AppendUint32(b, p.OwnerBefore)
		b = binary.LittleEndian.AppendUint32(b, p.OwnerAfter)
		b = binary.LittleEndian.AppendUint64(b, p.OwnsBefore)
		b = append(b, byte(p.StatusAfter))
		b = binary.LittleEndian.AppendUint32(b, p.HostCalls)
		b = append(b, p.StateBefore[:]...)
		b = append(b, p.StateAfter[:]...)
		b = appendWords(b, p.DatumBefore[:]...)
		b = appendWords(b, p.DatumAfter[:]...)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s.Ifaces)))
	for _, id := range s.Ifaces {
		b = appendWords(b, id[:]...)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s.Datum)))
	for _, c := range s.Datum {
		b = binary.LittleEndian.AppendUint32(b, c.Proc)
		b = append(b, c.Slot)
	}
	for _, k := range s.Kinds {
		b = binary.LittleEndian.AppendUint32(b, k)
	}
	b = binary.LittleEndian.AppendUint32(b, s.Rows)
	b = binary.LittleEndian.AppendUint32(b, s.Steps)
	return b
}

func appendWords(b []byte, ws ...uint64) []byte {
	for _, w := range ws {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

// DecodeStatement reads what Encode wrote, and only that. Another magic or version, a
// count over its limit (tx.MaxInputs, tx.MaxArgRows, tx.MaxAssets, MaxProcs, MaxIfaces,
// 16 datum cells per process, MaxSteps) or over the bytes left, a sorted list (Mint, Burn,
// Ifaces, Datum) out of order or with a repeat, and trailing bytes are errors wrapping
// ErrFormat. It checks the encoding, not the statement: that is Check.
func DecodeStatement(b []byte) (*Statement, error) {
	s, err := decodeStatement(&reader{b: b})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	return s, nil
}

func decodeStatement(r *reader) (*Statement, error) {
	if m := r.take(4); r.err != nil || [4]byte(m) != statementMagic {
		return nil, errors.New("no statement header")
	}
	s := &Statement{Version: r.u16()}
	if r.err == nil && s.Version != StatementVersion {
		return nil, fmt.Errorf("version %d, this build reads %d", s.Version, StatementVersion)
	}

	t := &s.Tx
	t.NextID = r.u64()
	r.words(t.Coordinator[:])
	if n := r.count("inputs", tx.MaxInputs, inputSize); n > 0 {
		t.Inputs = make([]ledger.Input, n)
		for i := range t.Inputs {
			t.Inputs[i] = ledger.Input{ID: r.u64(), Version: r.u64()}
		}
	}
	if n := r.count("argument rows", tx.MaxArgRows, argSize); n > 0 {
		t.Args = make([][4]uint64, n)
		for i := range t.Args {
			r.words(t.Args[i][:])
		}
	}
	for _, list := range []*[]tx.Amount{&t.Mint, &t.Burn} {
		n := r.count("amounts", tx.MaxAssets, amountSize)
		for i := range n {
			var a tx.Amount
			r.words(a.Program[:])
			a.Amount = r.u64()
			if i > 0 && compareWords((*list)[i-1].Program, a.Program) >= 0 {
				return nil, errors.New("mint or burn not sorted by program")
			}
			*list = append(*list, a)
		}
	}
	t.Fuel = r.u64()
	copy(s.Hash[:], r.take(32))

	if n := r.count("processes", MaxProcs, procSize); n > 0 {
		s.Procs = make([]Proc, n)
		for i := range s.Procs {
			p := &s.Procs[i]
			p.PID = r.u64()
			p.Role, p.Kind = Role(r.u8()), Kind(r.u8())
			r.words(p.Program[:])
			p.Amount, p.InitRef = r.u64(), r.u64()
			p.Creator, p.OwnerBefore, p.OwnerAfter = r.u32(), r.u32(), r.u32()
			p.OwnsBefore = r.u64()
			p.StatusAfter = Status(r.u8())
			p.HostCalls = r.u32()
			copy(p.StateBefore[:], r.take(32))
			copy(p.StateAfter[:], r.take(32))
			r.words(p.DatumBefore[:])
			r.words(p.DatumAfter[:])
		}
	}
	n := r.count("interfaces", MaxIfaces, ifaceSize)
	for i := range n {
		var id [4]uint64
		r.words(id[:])
		if i > 0 && compareWords(s.Ifaces[i-1], id) >= 0 {
			return nil, errors.New("interfaces not sorted")
		}
		s.Ifaces = append(s.Ifaces, id)
	}
	n = r.count("datum cells", tx.DatumSlots*len(s.Procs), cellSize)
	for i := range n {
		c := DatumCell{Proc: r.u32(), Slot: r.u8()}
		if i > 0 && s.Datum[i-1].compare(c) >= 0 {
			return nil, errors.New("datum cells not sorted")
		}
		s.Datum = append(s.Datum, c)
	}
	for i := range s.Kinds {
		s.Kinds[i] = r.u32()
	}
	s.Rows, s.Steps = r.u32(), r.u32()
	switch {
	case r.err != nil:
		return nil, r.err
	case s.Steps > MaxSteps:
		return nil, fmt.Errorf("%d steps, over the limit of %d", s.Steps, MaxSteps)
	case len(r.b) != 0:
		return nil, fmt.Errorf("%d bytes after the statement", len(r.b))
	}
	return s, nil
}

// reader reads little-endian integers; after the first error every read returns zero
// and the error stays.
type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return make([]byte, n)
	}
	if n > len(r.b) {
		r.err = errors.New("truncated")
		return make([]byte, n)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u8() uint8   { return r.take(1)[0] }
func (r *reader) u16() uint16 { return binary.LittleEndian.Uint16(r.take(2)) }
func (r *reader) u32() uint32 { return binary.LittleEndian.Uint32(r.take(4)) }
func (r *reader) u64() uint64 { return binary.LittleEndian.Uint64(r.take(8)) }

func (r *reader) words(w []uint64) {
	for i := range w {
		w[i] = r.u64()
	}
}

// count reads a list's length and refuses one over max or longer than the bytes left
// could hold, so that nothing is allocated for a list that is not there.
func (r *reader) count(what string, max, size int) int {
	n := r.u32()
	switch {
	case r.err != nil:
		return 0
	case uint64(n) > uint64(max):
		r.err = fmt.Errorf("%d %s, over the limit of %d", n, what, max)
		return 0
	case uint64(n)*uint64(size) > uint64(len(r.b)):
		r.err = fmt.Errorf("%d %s in %d bytes", n, what, len(r.b))
		return 0
	}
	return int(n)
}
