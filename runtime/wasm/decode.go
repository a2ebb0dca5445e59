package wasm

import "bytes"

var (
	magic   = []byte("\x00asm")
	version = []byte{1, 0, 0, 0}
)

// Section ids, and the order non-custom sections must appear in.
const (
	secCustom    = 0
	secType      = 1
	secImport    = 2
	secFunction  = 3
	secTable     = 4
	secMemory    = 5
	secGlobal    = 6
	secExport    = 7
	secStart     = 8
	secElem      = 9
	secCode      = 10
	secData      = 11
	secDataCount = 12
	secTag       = 13
)

// sectionRank gives the position of a section in the required order, or -1 for unknown ids.
// The data count section sits between element and code sections despite its higher id.
func sectionRank(id byte) int {
	switch {
	case id >= secType && id <= secElem:
		return int(id)
	case id == secDataCount:
		return 10
	case id == secCode:
		return 11
	case id == secData:
		return 12
	}
	return -1
}

// Decode parses a binary module, checking its structure and lim but not its types: the result
// must go through Validate before use (Load does both). The Module aliases data: function
// bodies, data segments and custom sections are sub-slices of it, so data must not change after.
//
// Errors are *DecodeError for malformed input and *UnsupportedError for constructs outside the
// supported subset that show in the module's declarations (value types, section and import kinds,
// segment kinds, limits flags, a second table); instructions are only decoded by Validate. The
// rules on table and memory limits (minimum at most maximum, at most 4 GiB, one memory) are
// checked here, where the offsets are known, and reported as *ValidationError.
func Decode(data []byte, lim Limits) (*Module, error) {
	lim = lim.withDefaults()
	r := &reader{data: data, end: len(data), fn: -1}
	if len(data) > lim.MaxModuleBytes {
		return nil, r.errorf(0, "module of %d bytes exceeds the limit of %d", len(data), lim.MaxModuleBytes)
	}
	if len(data) < 4 || !bytes.Equal(data[:4], magic) {
		return nil, r.errorf(0, "magic header not detected")
	}
	if len(data) < 8 {
		return nil, r.errorf(len(data), "unexpected end: no version")
	}
	if !bytes.Equal(data[4:8], version) {
		return nil, r.errorf(4, "unknown binary version")
	}
	r.pos = 8
	d := &decoder{r: r, m: &Module{limits: lim}, lim: lim}
	if err := d.sections(); err != nil {
		return nil, err
	}
	d.m.buildIndexSpaces()
	return d.m, nil
}

// decoder holds what one Decode call carries from section to section.
type decoder struct {
	r   *reader
	m   *Module
	lim Limits

	funcTypeIdx    []uint32 // from the function section, until the code section pairs them with bodies
	hasFuncSection bool
	hasCodeSection bool
	hasDataSection bool
	numFuncs       int // imported + declared so far
	numGlobals     int
	numTables      int
	numMemories    int
}

func (d *decoder) sections() error {
	r := d.r
	lastRank, lastID := 0, byte(0)
	for r.pos < len(r.data) {
		idOff := r.pos
		id, err := r.byte()
		if err != nil {
			return err
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		if uint64(size) > uint64(r.remaining()) {
			return r.errorf(r.pos, "length out of bounds: section of %d bytes, %d left", size, r.remaining())
		}
		if id != secCustom {
			rank := sectionRank(id)
			switch {
			case id == secTag:
				return r.unsupported(idOff, FeatureExceptions, "tag section")
			case rank < 0:
				return r.errorf(idOff, "malformed section id %d", id)
			case id == lastID:
				return r.errorf(idOff, "duplicate section %d", id)
			case rank < lastRank:
				return r.errorf(idOff, "unexpected content after last section: section %d out of order", id)
			}
			lastRank, lastID = rank, id
		}
		start := r.pos
		r.end = start + int(size)
		if err := d.section(id); err != nil {
			return err
		}
		if r.pos != r.end {
			return r.errorf(r.pos, "section size mismatch: section %d declared %d bytes, used %d", id, size, r.pos-start)
		}
		r.end = len(r.data)
	}
	if d.hasFuncSection != d.hasCodeSection && len(d.funcTypeIdx)+len(d.m.Funcs) > 0 {
		return r.errorf(r.pos, "function and code section have inconsistent lengths: %d functions declared, %d bodies", len(d.funcTypeIdx), len(d.m.Funcs))
	}
	if d.m.HasDataCount && !d.hasDataSection && d.m.DataCount != 0 {
		return r.errorf(r.pos, "data count and data section have inconsistent lengths: count %d, no data section", d.m.DataCount)
	}
	return nil
}

func (d *decoder) section(id byte) error {
	switch id {
	case secCustom:
		return d.customSection()
	case secType:
		return d.typeSection()
	case secImport:
		return d.importSection()
	case secFunction:
		return d.functionSection()
	case secTable:
		return d.tableSection()
	case secMemory:
		return d.memorySection()
	case secGlobal:
		return d.globalSection()
	case secExport:
		return d.exportSection()
	case secStart:
		return d.startSection()
	case secElem:
		return d.elemSection()
	case secDataCount:
		return d.dataCountSection()
	case secCode:
		return d.codeSection()
	default: // secData: sectionRank let nothing else through
		return d.dataSection()
	}
}
