package tx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// DatumSlots is the number of datum slots of a process.
const DatumSlots = 16

// pageSize is a WebAssembly page.
const pageSize = 64 << 10

// maxStatePages bounds a decoded state's memory: the spec's 4 GiB.
const maxStatePages = 65536

// State is a UTXO's state at rest: everything its next step depends on. A process is
// stackless, so this is plain data: its memory, its mutable globals (in index order) and its
// datum slots.
type State struct {
	Pages   uint32
	Memory  []byte // the first bytes of memory; the rest, up to Pages, is zero
	Globals []uint64
	Datum   [DatumSlots]uint64
}

// stateMagic and stateVersion open an encoded State.
var stateMagic = [4]byte{'S', 'S', 'S', 'T'}

const stateVersion = 1

// ErrState is the error of bytes that are not an encoded State.
var ErrState = errors.New("tx: bad process state")

// Encode is the state's canonical encoding: magic, version, pages, then the memory as
// (length, bytes) up to its last non-zero byte, the globals and the datum slots, integers
// little-endian. Equal states encode to equal bytes, which is what state hashes rest on.
func (s *State) Encode() []byte {
	mem := s.Memory[:used(s.Memory)]
	b := make([]byte, 0, 4+1+4+4+len(mem)+4+8*len(s.Globals)+8*DatumSlots)
	b = append(b, stateMagic[:]...)
	b = append(b, stateVersion)
	b = binary.LittleEndian.AppendUint32(b, s.Pages)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(mem)))
	b = append(b, mem...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s.Globals)))
	for _, g := range s.Globals {
		b = binary.LittleEndian.AppendUint64(b, g)
	}
	for _, d := range s.Datum {
		b = binary.LittleEndian.AppendUint64(b, d)
	}
	return b
}

// used is the length of mem up to its last non-zero byte. Saving a process runs it over
// every page, so it looks at eight bytes at a time.
func used(mem []byte) int {
	n := len(mem)
	for n >= 8 && binary.LittleEndian.Uint64(mem[n-8:]) == 0 {
		n -= 8
	}
	for n > 0 && mem[n-1] == 0 {
		n--
	}
	return n
}

// DecodeState reads what Encode wrote, and only that: trailing bytes, a memory longer than
// its pages, or a non-canonical encoding are errors wrapping ErrState.
func DecodeState(b []byte) (*State, error) {
	r := stateReader{b: b}
	var magic [4]byte
	copy(magic[:], r.take(4))
	if r.err != nil || magic != stateMagic {
		return nil, fmt.Errorf("%w: no state header", ErrState)
	}
	if v := r.take(1); r.err == nil && v[0] != stateVersion {
		return nil, fmt.Errorf("%w: version %d, this build reads %d", ErrState, v[0], stateVersion)
	}
	s := &State{Pages: r.u32()}
	n := r.u32()
	if r.err == nil && (s.Pages > maxStatePages || uint64(n) > uint64(s.Pages)*pageSize) {
		return nil, fmt.Errorf("%w: %d bytes of memory in %d pages", ErrState, n, s.Pages)
	}
	s.Memory = bytes.Clone(r.take(int(n)))
	if r.err == nil && n > 0 && s.Memory[n-1] == 0 {
		return nil, fmt.Errorf("%w: memory not trimmed", ErrState)
	}
	ng := r.u32()
	if r.err == nil && uint64(ng)*8 > uint64(len(r.b)) {
		return nil, fmt.Errorf("%w: %d globals in %d bytes", ErrState, ng, len(r.b))
	}
	for range ng {
		s.Globals = append(s.Globals, r.u64())
	}
	for i := range s.Datum {
		s.Datum[i] = r.u64()
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %v", ErrState, r.err)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the state", ErrState, len(r.b))
	}
	return s, nil
}

type stateReader struct {
	b   []byte
	err error
}

func (r *stateReader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.err = errors.New("truncated")
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *stateReader) u32() uint32 {
	if b := r.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *stateReader) u64() uint64 {
	if b := r.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}
