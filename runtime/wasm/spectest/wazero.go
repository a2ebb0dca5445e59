package spectest

import (
	"context"
	"errors"
	"fmt"

	"github.com/ssprove/ssprove/runtime/wasm"
	"github.com/ssprove/ssprove/runtime/wasm/wazeroengine"
)

// WazeroConfig runs the suite on wazero (its compiler when compiler is set, else
// its interpreter), behind the same decoder and validator as RuntimeConfig: it is
// the check of the harness itself, since wazero passes the spec suite upstream.
//
// register is exact: wazeroengine resolves imports through its own namespace, so an
// instance can be given a name after it was instantiated, and the registered name
// shares its memory, tables and globals. Two differences from the spec's 2.0
// instantiation rule remain, because wazero runs with reference types off (ssprove
// does not support them): segment bounds are all checked before any segment is
// written, so a module that fails on a later segment leaves no earlier write behind;
// and an element segment is checked against the table's declared minimum.
func WazeroConfig(lim wasm.Limits, compiler bool) Config {
	cfg := RuntimeConfig(lim)
	cfg.Engine = wazeroEngine{cfg: wazeroengine.Config{Compiler: compiler, Limits: lim}}
	return cfg
}

type wazeroEngine struct{ cfg wazeroengine.Config }

func (w wazeroEngine) NewStore() (Store, error) {
	ctx := context.Background()
	eng, err := wazeroengine.New(ctx, w.cfg)
	if err != nil {
		return nil, err
	}
	if _, err := eng.Instantiate(ctx, "spectest", spectestModule()); err != nil {
		return nil, errors.Join(fmt.Errorf("spectest module: %w", err), eng.Close(ctx))
	}
	return &wazeroStore{eng: eng}, nil
}

type wazeroStore struct{ eng *wazeroengine.Engine }

func (s *wazeroStore) Instantiate(ctx context.Context, wasm []byte) (Instance, error) {
	inst, err := s.eng.Instantiate(ctx, "", wasm)
	if err != nil {
		return nil, specError(err)
	}
	return wazeroInstance{inst}, nil
}

func (s *wazeroStore) Register(as string, inst Instance) error {
	wi, ok := inst.(wazeroInstance)
	if !ok {
		return fmt.Errorf("register %q: instance of another engine (%T)", as, inst)
	}
	return s.eng.Register(as, wi.inst)
}

func (s *wazeroStore) Close() error { return s.eng.Close(context.Background()) }

type wazeroInstance struct{ inst *wazeroengine.Instance }

func (i wazeroInstance) Invoke(ctx context.Context, field string, args []uint64) ([]uint64, error) {
	res, err := i.inst.Call(ctx, field, args...)
	if err != nil {
		return nil, specError(err)
	}
	return res, nil
}

func (i wazeroInstance) Get(field string) (uint64, error) { return i.inst.Global(field) }

// specError marks wazero's traps with ErrTrap or ErrExhaustion, keeping the
// original error (and so an *UnsupportedError) in the chain.
func specError(err error) error {
	var trap *wazeroengine.TrapError
	switch {
	case !errors.As(err, &trap):
		return err
	case trap.Kind == wazeroengine.TrapStackExhausted:
		return fmt.Errorf("%w: %w", ErrExhaustion, err)
	default:
		return fmt.Errorf("%w: %w", ErrTrap, err)
	}
}

// spectestModule is the module the spec scripts import as "spectest", in binary
// form since wazero host modules can export only functions. It has the integer
// part of the spec interpreter's: print, print_i32 and print_i64 (which print
// nothing here), global_i32 and global_i64 (666), a funcref table (10, 20) and a
// memory (1, 2). The float exports are left out: a module that imports them uses
// floats, and wasm.Load refuses it before linking.
func spectestModule() []byte {
	const (
		i32, i64, funcType, funcref = 0x7f, 0x7e, 0x60, 0x70
		limitsMinMax, immutable     = 0x01, 0x00
		i32Const, i64Const, end     = 0x41, 0x42, 0x0b
		kindFunc, kindTable         = 0x00, 0x01
		kindMemory, kindGlobal      = 0x02, 0x03
	)
	const v666lo, v666hi = 0x9a, 0x05 // 666 as signed LEB128
	exports := []struct {
		name  string
		kind  byte
		index byte
	}{
		{"print", kindFunc, 0}, {"print_i32", kindFunc, 1}, {"print_i64", kindFunc, 2},
		{"global_i32", kindGlobal, 0}, {"global_i64", kindGlobal, 1},
		{"table", kindTable, 0}, {"memory", kindMemory, 0},
	}
	exportSec := []byte{byte(len(exports))}
	for _, e := range exports {
		exportSec = append(exportSec, byte(len(e.name)))
		exportSec = append(exportSec, e.name...)
		exportSec = append(exportSec, e.kind, e.index)
	}
	emptyBody := []byte{2, 0, end} // size, no locals, end
	b := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	section := func(id byte, content ...byte) {
		b = append(b, id, byte(len(content))) // every section is under 128 bytes
		b = append(b, content...)
	}
	section(1, 3, funcType, 0, 0, funcType, 1, i32, 0, funcType, 1, i64, 0)
	section(3, 3, 0, 1, 2)
	section(4, 1, funcref, limitsMinMax, 10, 20)
	section(5, 1, limitsMinMax, 1, 2)
	section(6, 2,
		i32, immutable, i32Const, v666lo, v666hi, end,
		i64, immutable, i64Const, v666lo, v666hi, end)
	section(7, exportSec...)
	section(10, append(append(append([]byte{3}, emptyBody...), emptyBody...), emptyBody...)...)
	return b
}
