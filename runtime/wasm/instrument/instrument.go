package instrument

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// ErrLimit reports that the rewritten module would pass one of wasm.DefaultLimits although
// the input did not: one global, export or local too many, or a module too large.
var ErrLimit = errors.New("instrumented module would exceed the module limits")

// ErrReserved reports a module that already exports something under a name this package
// reserves (GlobalName, FuelExport) other than what the name stands for.
var ErrReserved = errors.New("export name reserved for instrumentation is taken")

// Section ids of the sections this package rewrites or adds.
const (
	secGlobal = 6
	secExport = 7
	secCode   = 10
)

// globalPrefix names the exports ExportGlobals adds. The prefix is reserved: a module that
// already uses one of these names for something else is refused.
const globalPrefix = "__ssprove_global_"

// GlobalName is the name under which ExportGlobals exports global i, i being the index in the
// module's global index space (imported globals first).
func GlobalName(i uint32) string { return globalPrefix + strconv.FormatUint(uint64(i), 10) }

// ExportGlobals returns bin with every mutable global the module defines also exported under
// GlobalName(i). Imported globals are left alone: their owner exports them already. Existing
// exports are kept, so a global may end up exported under two names, which WebAssembly
// allows. The result is deterministic and differs from bin only in its export section, which
// is added when bin has none.
//
// bin is decoded and validated with wasm.DefaultLimits. Applying ExportGlobals twice gives
// the same module as applying it once; a module that exports something else under one of the
// reserved names is refused.
func ExportGlobals(bin []byte) ([]byte, error) {
	m, err := wasm.Load(bin, wasm.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("instrument: %w", err)
	}
	existing := make(map[string]wasm.Export, len(m.Exports))
	for _, e := range m.Exports {
		existing[e.Name] = e
	}
	var add []wasm.Export
	for i, g := range m.Globals {
		if !g.Type.Mutable {
			continue
		}
		idx := uint32(m.NumImportedGlobals() + i)
		name := GlobalName(idx)
		if e, ok := existing[name]; ok {
			if e.Kind != wasm.ExternGlobal || e.Index != idx {
				return nil, fmt.Errorf("instrument: export %q is not global %d: %w", name, idx, ErrReserved)
			}
			continue
		}
		add = append(add, wasm.Export{Name: name, Kind: wasm.ExternGlobal, Index: idx})
	}
	if len(add) == 0 {
		return bytes.Clone(bin), nil
	}
	if len(m.Exports)+len(add) > wasm.DefaultLimits().MaxExports {
		return nil, fmt.Errorf("instrument: exporting %d globals: %w", len(add), ErrLimit)
	}
	secs, err := splitSections(bin)
	if err != nil {
		return nil, fmt.Errorf("instrument: %w", err)
	}
	exp, err := appendExports(secs, add)
	if err != nil {
		return nil, fmt.Errorf("instrument: %w", err)
	}
	return finish(secs, map[byte][]byte{secExport: exp})
}

// section is one section of a binary: its id, its content, and the whole section as it was
// encoded, header included, so that an unchanged section is copied as it was.
type section struct {
	id           byte
	payload, raw []byte
}

// splitSections cuts bin into its sections. bin has passed wasm.Load, but the bounds are
// checked anyway: a mistake here must be an error, not a panic.
func splitSections(bin []byte) ([]section, error) {
	if len(bin) < 8 {
		return nil, errors.New("module shorter than its header")
	}
	var secs []section
	for pos := 8; pos < len(bin); {
		id := bin[pos]
		size, n, err := readU32(bin[pos+1:])
		if err != nil {
			return nil, fmt.Errorf("section at offset %#x: %w", pos, err)
		}
		start := pos + 1 + n
		if uint64(size) > uint64(len(bin)-start) {
			return nil, fmt.Errorf("section at offset %#x: size %d past the end", pos, size)
		}
		secs = append(secs, section{id: id, payload: bin[start : start+int(size)], raw: bin[pos : start+int(size)]})
		pos = start + int(size)
	}
	return secs, nil
}

// rank is a non-custom section's place in the order the binary format requires; the data
// count section (12) comes before code (10) and data (11).
func rank(id byte) int {
	switch id {
	case 12:
		return 10
	case 10:
		return 11
	case 11:
		return 12
	}
	return int(id)
}

// sectionOrder lists the non-custom section ids in the order the binary format requires.
var sectionOrder = [...]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11}

// finish assembles the module from secs, the payloads in repl replacing the sections with
// their id or, for ids secs lack, inserted where the section order wants them, then checks
// that the result loads.
func finish(secs []section, repl map[byte][]byte) ([]byte, error) {
	out := []byte("\x00asm\x01\x00\x00\x00")
	emit := func(id byte, payload []byte) {
		out = append(out, id)
		out = appendU32(out, uint32(len(payload)))
		out = append(out, payload...)
	}
	done := make(map[byte]bool, len(repl))
	// missingBefore emits, in order, the new sections that go before a section of rank r.
	missingBefore := func(r int) {
		for _, id := range sectionOrder {
			if p, ok := repl[id]; ok && !done[id] && rank(id) < r {
				emit(id, p)
				done[id] = true
			}
		}
	}
	for _, s := range secs {
		if s.id == 0 { // custom sections stay where they are
			out = append(out, s.raw...)
			continue
		}
		missingBefore(rank(s.id))
		if p, ok := repl[s.id]; ok {
			emit(s.id, p)
			done[s.id] = true
			continue
		}
		out = append(out, s.raw...)
	}
	missingBefore(len(sectionOrder) + 1)
	if len(out) > wasm.DefaultLimits().MaxModuleBytes {
		return nil, fmt.Errorf("instrument: module of %d bytes: %w", len(out), ErrLimit)
	}
	if _, err := wasm.Load(out, wasm.DefaultLimits()); err != nil {
		return nil, fmt.Errorf("instrument: rewritten module does not load: %w", err)
	}
	return out, nil
}

// appendExports returns the payload of secs' export section, or of an empty one, with add
// appended.
func appendExports(secs []section, add []wasm.Export) ([]byte, error) {
	count, rest, err := vecPayload(secs, secExport)
	if err != nil {
		return nil, fmt.Errorf("export section: %w", err)
	}
	out := appendU32(nil, count+uint32(len(add)))
	out = append(out, rest...)
	for _, e := range add {
		out = appendU32(out, uint32(len(e.Name)))
		out = append(out, e.Name...)
		out = append(out, byte(e.Kind))
		out = appendU32(out, e.Index)
	}
	return out, nil
}

// vecPayload splits the payload of the section with id, a vector, into its count and the
// encoded entries; a missing section is an empty vector.
func vecPayload(secs []section, id byte) (count uint32, entries []byte, err error) {
	for _, s := range secs {
		if s.id == id {
			count, n, err := readU32(s.payload)
			if err != nil {
				return 0, nil, err
			}
			return count, s.payload[n:], nil
		}
	}
	return 0, nil, nil
}

// readU32 decodes an unsigned LEB128 of at most 32 bits from the start of b, returning it and
// its length.
func readU32(b []byte) (uint32, int, error) {
	var v uint64
	for i := 0; i < 5; i++ {
		if i >= len(b) {
			return 0, 0, errors.New("truncated LEB128")
		}
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			if v > 0xffffffff {
				return 0, 0, errors.New("LEB128 overflows 32 bits")
			}
			return uint32(v), i + 1, nil
		}
	}
	return 0, 0, errors.New("LEB128 longer than 5 bytes")
}

func appendU32(b []byte, v uint32) []byte { return wasm.AppendUnsigned(b, uint64(v)) }
