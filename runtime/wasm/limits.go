package wasm

// Limits bounds what Decode accepts, so that a hostile module costs time and memory in
// proportion to its size and never more than the host chose. Exceeding one is a *DecodeError.
// A zero field means "use the DefaultLimits value".
type Limits struct {
	MaxModuleBytes int    // size of the whole binary
	MaxTypes       int    // entries in the type section
	MaxParams      int    // parameters, and separately results, of one function type
	MaxFunctions   int    // imported plus defined functions
	MaxLocals      int    // parameters plus declared locals of one function
	MaxNesting     int    // depth of nested block/loop/if in one body, the function's own block included
	MaxGlobals     int    // imported plus defined globals
	MaxImports     int    // entries in the import section
	MaxExports     int    // entries in the export section
	MaxSegments    int    // element segments, and separately data segments
	MaxMemoryPages uint32 // minimum size of a memory, in 64 KiB pages
	MaxTableSize   uint32 // minimum size of a table, in entries
}

// DefaultLimits returns limits generous enough for any real contract and for the spec suite,
// and small enough that decoding the worst case stays in the tens of megabytes:
//
//   - 16 MiB per module: large compiled Rust/C programs are a few MiB.
//   - 100 000 types, functions, globals, imports, exports and segments: an order of magnitude above
//     big real-world modules, and each entry costs at least one input byte anyway.
//   - 1 000 params/results per type: the JS API uses the same bound.
//   - 50 000 locals per function (the JS API bound): the interpreter allocates a frame of this many
//     slots, so it must stay modest.
//   - 1 024 nested blocks: compilers emit a few dozen; deep nesting only serves to exhaust stacks.
//   - 65 536 pages, the spec's 4 GiB ceiling for 32-bit memories: this only bounds the declared
//     minimum; a host runs with a much lower cap of its own on what it actually allocates.
//   - 1 << 20 table entries: a table entry is a few words, so 1M entries is tens of MiB.
func DefaultLimits() Limits {
	return Limits{
		MaxModuleBytes: 16 << 20,
		MaxTypes:       100_000,
		MaxParams:      1_000,
		MaxFunctions:   100_000,
		MaxLocals:      50_000,
		MaxNesting:     1_024,
		MaxGlobals:     100_000,
		MaxImports:     100_000,
		MaxExports:     100_000,
		MaxSegments:    100_000,
		MaxMemoryPages: 65_536,
		MaxTableSize:   1 << 20,
	}
}

// withDefaults fills every zero field from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	setInt := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setInt(&l.MaxModuleBytes, d.MaxModuleBytes)
	setInt(&l.MaxTypes, d.MaxTypes)
	setInt(&l.MaxParams, d.MaxParams)
	setInt(&l.MaxFunctions, d.MaxFunctions)
	setInt(&l.MaxLocals, d.MaxLocals)
	setInt(&l.MaxNesting, d.MaxNesting)
	setInt(&l.MaxGlobals, d.MaxGlobals)
	setInt(&l.MaxImports, d.MaxImports)
	setInt(&l.MaxExports, d.MaxExports)
	setInt(&l.MaxSegments, d.MaxSegments)
	if l.MaxMemoryPages == 0 {
		l.MaxMemoryPages = d.MaxMemoryPages
	}
	if l.MaxTableSize == 0 {
		l.MaxTableSize = d.MaxTableSize
	}
	return l
}
