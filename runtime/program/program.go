package program

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// Kind is what a process of a program is.
type Kind uint8

const (
	UTXO  Kind = iota + 1 // persists between transactions
	Token                 // a UTXO with an amount that may be bound to an owner
	Coord                 // a coordination script: one transaction only
)

func (k Kind) String() string {
	switch k {
	case UTXO:
		return "utxo"
	case Token:
		return "token"
	case Coord:
		return "coord"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// HostModule is the import module of the host ABI.
const HostModule = "starstream"

// Exports a deployable module must have.
const (
	StepExport   = "step"
	MemoryExport = "memory"
)

var (
	i32, i64 = wasm.I32, wasm.I64
)

func sig(params []wasm.ValType, results ...wasm.ValType) wasm.FuncType {
	return wasm.FuncType{Params: params, Results: results}
}

func vals(v ...wasm.ValType) []wasm.ValType { return v }

// Imports are the host functions of runtime/ABI.md with their signatures. A module may
// import any of them, and nothing else.
var Imports = map[string]wasm.FuncType{
	"resume":              sig(vals(i64, i64)),
	"yield":               sig(vals(i64)),
	"burn":                sig(nil),
	"return":              sig(nil),
	"call_effect_handler": sig(vals(i32, i64)),
	"activation":          sig(vals(i32), i64),
	"init":                sig(vals(i32), i64),
	"new_utxo":            sig(vals(i32, i64), i64),
	"new_token":           sig(vals(i32, i64, i64), i64),
	"new_coord":           sig(vals(i32, i64), i64),
	"program_hash":        sig(vals(i64, i32)),
	"amount":              sig(vals(i64), i64),
	"install_handler":     sig(vals(i32)),
	"uninstall_handler":   sig(vals(i32)),
	"get_handler_for":     sig(vals(i32), i64),
	"new_ref":             sig(vals(i64), i64),
	"ref_push":            sig(vals(i64, i64, i64, i64)),
	"ref_get":             sig(vals(i64, i64, i32)),
	"ref_write":           sig(vals(i64, i64, i64, i64, i64, i64)),
	"bind":                sig(vals(i64)),
	"unbind":              sig(vals(i64)),
	"get_datum":           sig(vals(i64), i64),
	"set_datum":           sig(vals(i64, i64)),
}

// Errors of Check, each wrapped with the detail.
var (
	ErrImport = errors.New("program: import not in the host ABI")
	ErrExport = errors.New("program: missing or wrong export")
	ErrStart  = errors.New("program: start function not allowed")
)

// Info is what Check learned of a module.
type Info struct {
	Hash   Hash
	Module *wasm.Module
	// HostCalls are the names of the module's imports, in import order: the index of a
	// host call is its index here.
	HostCalls []string
}

// Check loads module with lim and checks it against the deployment rules of runtime/ABI.md.
// Errors: wasm.Load's, or ErrImport, ErrExport, ErrStart wrapped with the culprit.
func Check(module []byte, lim wasm.Limits) (*Info, error) {
	m, err := wasm.Load(module, lim)
	if err != nil {
		return nil, err
	}
	info := &Info{Hash: Of(module), Module: m}
	for _, im := range m.Imports {
		name := im.Module + "." + im.Name
		if im.Kind != wasm.ExternFunc {
			return nil, fmt.Errorf("%w: %s is not a function; a program may import host functions only", ErrImport, name)
		}
		want, ok := Imports[im.Name]
		if im.Module != HostModule || !ok {
			return nil, fmt.Errorf("%w: %s is not a host function (the host module is %q; see runtime/ABI.md)", ErrImport, name, HostModule)
		}
		if got := m.Types[im.TypeIndex]; !sameType(got, want) {
			return nil, fmt.Errorf("%w: %s has type %s, want %s", ErrImport, name, typeString(got), typeString(want))
		}
		info.HostCalls = append(info.HostCalls, im.Name)
	}
	if m.HasStart {
		return nil, fmt.Errorf("%w: a process's state must be its memory and globals alone, and it is instantiated again at every resume", ErrStart)
	}
	var step, mem bool
	for _, ex := range m.Exports {
		switch {
		case ex.Name == StepExport && ex.Kind == wasm.ExternFunc:
			t, _ := m.FuncType(ex.Index) // Load checked the index
			if len(t.Params) != 0 || len(t.Results) != 0 {
				return nil, fmt.Errorf("%w: %s has type %s, want [] -> []", ErrExport, StepExport, typeString(t))
			}
			step = true
		case ex.Name == MemoryExport && ex.Kind == wasm.ExternMemory:
			mem = true
		}
	}
	if !step {
		return nil, fmt.Errorf("%w: no function %q exported", ErrExport, StepExport)
	}
	if !mem {
		return nil, fmt.Errorf("%w: no memory %q exported", ErrExport, MemoryExport)
	}
	return info, nil
}

func sameType(a, b wasm.FuncType) bool {
	return slices.Equal(a.Params, b.Params) && slices.Equal(a.Results, b.Results)
}

func typeString(t wasm.FuncType) string {
	s := func(v []wasm.ValType) string {
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = x.String()
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return s(t.Params) + " -> " + s(t.Results)
}
