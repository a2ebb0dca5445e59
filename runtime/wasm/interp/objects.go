package interp

import (
	"context"
	"fmt"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// PageSize is the size of a WebAssembly memory page.
const PageSize = 64 << 10

// HostFunc is a function written in Go that modules import. Fn reads its arguments from args
// (an i32 in the low 32 bits) and writes exactly len(Results) values to results. inst is the
// instance that called it, so that Fn can reach its memory. Returning ErrSuspend suspends the
// caller; any other error aborts the call and is returned by Instance.Call, wrapped.
type HostFunc struct {
	Params, Results []wasm.ValType
	Fn              func(ctx context.Context, inst *Instance, args []uint64, results []uint64) error
}

// Function is a function that can be imported, exported or put in a table: either a HostFunc
// or a function of some instance.
type Function struct {
	typ  wasm.FuncType
	sig  string // canonical form of typ, compared by call_indirect
	host *HostFunc
	inst *Instance // the defining instance when host is nil
	idx  int       // index among inst's defined functions
}

// NewHostFunction wraps h so that it can be imported.
func NewHostFunction(h HostFunc) (*Function, error) {
	if h.Fn == nil {
		return nil, fmt.Errorf("interp: host function has no Fn")
	}
	t := wasm.FuncType{Params: h.Params, Results: h.Results}
	for _, v := range append(append([]wasm.ValType(nil), h.Params...), h.Results...) {
		if v != wasm.I32 && v != wasm.I64 {
			return nil, fmt.Errorf("interp: host function type uses unsupported value type %#x", byte(v))
		}
	}
	return &Function{typ: t, sig: signature(t), host: &h}, nil
}

// Type is the function's signature.
func (f *Function) Type() wasm.FuncType { return f.typ }

func signature(t wasm.FuncType) string {
	b := make([]byte, 0, len(t.Params)+len(t.Results)+1)
	for _, v := range t.Params {
		b = append(b, byte(v))
	}
	b = append(b, ':')
	for _, v := range t.Results {
		b = append(b, byte(v))
	}
	return string(b)
}

// Global is a global variable; instances that import it share it.
type Global struct {
	Type  wasm.GlobalType
	Value uint64 // an i32 in the low 32 bits
}

// Memory is a linear memory; instances that import it share it.
type Memory struct {
	bytes []byte
	max   uint32 // pages: the module's maximum and the host cap, whichever is lower
	// declMax is the maximum in the memory's type, as import matching compares it.
	declMax    uint32
	hasDeclMax bool
}

// NewMemory makes a memory of min pages that may grow to max pages.
func NewMemory(min, max uint32) (*Memory, error) {
	if min > max || max > 65536 {
		return nil, fmt.Errorf("interp: memory limits %d..%d pages out of range", min, max)
	}
	return &Memory{bytes: make([]byte, int(min)*PageSize), max: max, declMax: max, hasDeclMax: true}, nil
}

// Bytes is the memory's content; writing to it writes the memory. It is invalidated by
// growth: do not keep it across calls.
func (m *Memory) Bytes() []byte { return m.bytes }

// Pages is the memory's size in pages.
func (m *Memory) Pages() uint32 { return uint32(len(m.bytes) / PageSize) }

// Grow adds n pages, as memory.grow would, and reports whether it could: a memory never
// passes its maximum. The host uses it to restore a saved memory larger than the module's
// initial one.
func (m *Memory) Grow(n uint32) bool { return m.grow(n) >= 0 }

// grow adds n pages and returns the old size, or -1 when that would pass the maximum.
func (m *Memory) grow(n uint32) int32 {
	old := m.Pages()
	if uint64(old)+uint64(n) > uint64(m.max) {
		return -1
	}
	if n > 0 {
		m.bytes = append(m.bytes, make([]byte, int(n)*PageSize)...)
	}
	return int32(old)
}

// Table is a funcref table; instances that import it share it. Tables do not grow: the
// supported subset has no table.grow.
type Table struct {
	elems      []*Function // nil: uninitialized
	declMax    uint32
	hasDeclMax bool
}

// NewTable makes a table of size uninitialized entries whose type declares max.
func NewTable(size, max uint32) (*Table, error) {
	if size > max || size > 1<<24 {
		return nil, fmt.Errorf("interp: table limits %d..%d out of range", size, max)
	}
	return &Table{elems: make([]*Function, size), declMax: max, hasDeclMax: true}, nil
}

// Size is the number of entries.
func (t *Table) Size() int { return len(t.elems) }

// Extern is something an instance imports or exports: exactly one field is set.
type Extern struct {
	Func   *Function
	Global *Global
	Memory *Memory
	Table  *Table
}

// Imports maps module name, then field name, to what is imported under it.
type Imports map[string]map[string]Extern
