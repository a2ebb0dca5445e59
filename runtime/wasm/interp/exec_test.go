package interp

import (
	"context"
	"errors"
	"math"
	"math/bits"
	"testing"

	"github.com/ssprove/ssprove/internal/wasmtest"
	"github.com/ssprove/ssprove/runtime/wasm"
)

var (
	i32 = wasm.I32
	i64 = wasm.I64
)

// ref32 is Go's own arithmetic for an i32 instruction; trap is the code it must trap with, if any.
type ref32 func(a, b uint32) (r uint32, trap TrapCode)
type ref64 func(a, b uint64) (r uint64, trap TrapCode)

func b2u32(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

var binary32 = map[wasm.Opcode]ref32{
	wasm.OpI32Add:  func(a, b uint32) (uint32, TrapCode) { return a + b, 0 },
	wasm.OpI32Sub:  func(a, b uint32) (uint32, TrapCode) { return a - b, 0 },
	wasm.OpI32Mul:  func(a, b uint32) (uint32, TrapCode) { return a * b, 0 },
	wasm.OpI32And:  func(a, b uint32) (uint32, TrapCode) { return a & b, 0 },
	wasm.OpI32Or:   func(a, b uint32) (uint32, TrapCode) { return a | b, 0 },
	wasm.OpI32Xor:  func(a, b uint32) (uint32, TrapCode) { return a ^ b, 0 },
	wasm.OpI32Shl:  func(a, b uint32) (uint32, TrapCode) { return a << (b % 32), 0 },
	wasm.OpI32ShrU: func(a, b uint32) (uint32, TrapCode) { return a >> (b % 32), 0 },
	wasm.OpI32ShrS: func(a, b uint32) (uint32, TrapCode) { return uint32(int32(a) >> (b % 32)), 0 },
	wasm.OpI32Rotl: func(a, b uint32) (uint32, TrapCode) { return a<<(b%32) | a>>((32-b%32)%32), 0 },
	wasm.OpI32Rotr: func(a, b uint32) (uint32, TrapCode) { return a>>(b%32) | a<<((32-b%32)%32), 0 },
	wasm.OpI32DivU: func(a, b uint32) (uint32, TrapCode) {
		if b == 0 {
			return 0, TrapDivideByZero
		}
		return a / b, 0
	},
	wasm.OpI32RemU: func(a, b uint32) (uint32, TrapCode) {
		if b == 0 {
			return 0, TrapDivideByZero
		}
		return a % b, 0
	},
	wasm.OpI32DivS: func(a, b uint32) (uint32, TrapCode) {
		switch {
		case b == 0:
			return 0, TrapDivideByZero
		case a == 1<<31 && b == math.MaxUint32:
			return 0, TrapIntegerOverflow
		}
		return uint32(int32(a) / int32(b)), 0
	},
	wasm.OpI32RemS: func(a, b uint32) (uint32, TrapCode) {
		switch {
		case b == 0:
			return 0, TrapDivideByZero
		case b == math.MaxUint32:
			return 0, 0
		}
		return uint32(int32(a) % int32(b)), 0
	},
	wasm.OpI32Eq:  func(a, b uint32) (uint32, TrapCode) { return b2u32(a == b), 0 },
	wasm.OpI32Ne:  func(a, b uint32) (uint32, TrapCode) { return b2u32(a != b), 0 },
	wasm.OpI32LtS: func(a, b uint32) (uint32, TrapCode) { return b2u32(int32(a) < int32(b)), 0 },
	wasm.OpI32LtU: func(a, b uint32) (uint32, TrapCode) { return b2u32(a < b), 0 },
	wasm.OpI32GtS: func(a, b uint32) (uint32, TrapCode) { return b2u32(int32(a) > int32(b)), 0 },
	wasm.OpI32GtU: func(a, b uint32) (uint32, TrapCode) { return b2u32(a > b), 0 },
	wasm.OpI32LeS: func(a, b uint32) (uint32, TrapCode) { return b2u32(int32(a) <= int32(b)), 0 },
	wasm.OpI32LeU: func(a, b uint32) (uint32, TrapCode) { return b2u32(a <= b), 0 },
	wasm.OpI32GeS: func(a, b uint32) (uint32, TrapCode) { return b2u32(int32(a) >= int32(b)), 0 },
	wasm.OpI32GeU: func(a, b uint32) (uint32, TrapCode) { return b2u32(a >= b), 0 },
}

var binary64 = map[wasm.Opcode]ref64{
	wasm.OpI64Add:  func(a, b uint64) (uint64, TrapCode) { return a + b, 0 },
	wasm.OpI64Sub:  func(a, b uint64) (uint64, TrapCode) { return a - b, 0 },
	wasm.OpI64Mul:  func(a, b uint64) (uint64, TrapCode) { return a * b, 0 },
	wasm.OpI64And:  func(a, b uint64) (uint64, TrapCode) { return a & b, 0 },
	wasm.OpI64Or:   func(a, b uint64) (uint64, TrapCode) { return a | b, 0 },
	wasm.OpI64Xor:  func(a, b uint64) (uint64, TrapCode) { return a ^ b, 0 },
	wasm.OpI64Shl:  func(a, b uint64) (uint64, TrapCode) { return a << (b % 64), 0 },
	wasm.OpI64ShrU: func(a, b uint64) (uint64, TrapCode) { return a >> (b % 64), 0 },
	wasm.OpI64ShrS: func(a, b uint64) (uint64, TrapCode) { return uint64(int64(a) >> (b % 64)), 0 },
	wasm.OpI64Rotl: func(a, b uint64) (uint64, TrapCode) { return a<<(b%64) | a>>((64-b%64)%64), 0 },
	wasm.OpI64Rotr: func(a, b uint64) (uint64, TrapCode) { return a>>(b%64) | a<<((64-b%64)%64), 0 },
	wasm.OpI64DivU: func(a, b uint64) (uint64, TrapCode) {
		if b == 0 {
			return 0, TrapDivideByZero
		}
		return a / b, 0
	},
	wasm.OpI64RemU: func(a, b uint64) (uint64, TrapCode) {
		if b == 0 {
			return 0, TrapDivideByZero
		}
		return a % b, 0
	},
	wasm.OpI64DivS: func(a, b uint64) (uint64, TrapCode) {
		switch {
		case b == 0:
			return 0, TrapDivideByZero
		case a == 1<<63 && b == math.MaxUint64:
			return 0, TrapIntegerOverflow
		}
		return uint64(int64(a) / int64(b)), 0
	},
	wasm.OpI64RemS: func(a, b uint64) (uint64, TrapCode) {
		switch {
		case b == 0:
			return 0, TrapDivideByZero
		case b == math.MaxUint64:
			return 0, 0
		}
		return uint64(int64(a) % int64(b)), 0
	},
	wasm.OpI64Eq:  func(a, b uint64) (uint64, TrapCode) { return uint64(b2u32(a == b)), 0 },
	wasm.OpI64Ne:  func(a, b uint64) (uint64, TrapCode) { return uint64(b2u32(a != b)), 0 },
	wasm.OpI64LtS: func(a, b uint64) (uint64, TrapCode) { return uint64(b2u32(int64(a) < int64(b))), 0 },
	wasm.OpI64LtU: func(a, b uint64) (uint64, TrapCode) { return uint64(b2u32(a < b)), 0 },
	wasm.OpI64GtS: func(a, b uint64) (uint64, TrapCode) { return uint64(b2u32(int64(a) > int64(b))), 0 },
	wasm.OpI64GtU: func(a, b uint64) (uint64, TrapCode) { return uint64(b2u32(a > b)), 0 },
	wasm.OpI64LeS: func(a, b uint64) (uint64, TrapCode) { return uint64(b2u32(int64(a) <= int64(b))), 0 },
	wasm.OpI64LeU: func(a, b uint64) (uint64, TrapCode) { return uint64(b2u32(a <= b)), 0 },
	wasm.OpI64GeS: func(a, b uint64) (uint64, TrapCode) { return uint64(b2u32(int64(a) >= int64(b))), 0 },
	wasm.OpI64GeU: func(a, b uint64) (uint64, TrapCode) { return uint64(b2u32(a >= b)), 0 },
}

// unary ops take and give 64 bits: an i32 in the low half. in and out say the types.
type unaryCase struct {
	in, out wasm.ValType
	ref     func(uint64) uint64
}

var unary = map[wasm.Opcode]unaryCase{
	wasm.OpI32Eqz:        {i32, i32, func(a uint64) uint64 { return uint64(b2u32(uint32(a) == 0)) }},
	wasm.OpI64Eqz:        {i64, i32, func(a uint64) uint64 { return uint64(b2u32(a == 0)) }},
	wasm.OpI32Clz:        {i32, i32, func(a uint64) uint64 { return uint64(bits.LeadingZeros32(uint32(a))) }},
	wasm.OpI32Ctz:        {i32, i32, func(a uint64) uint64 { return uint64(bits.TrailingZeros32(uint32(a))) }},
	wasm.OpI32Popcnt:     {i32, i32, func(a uint64) uint64 { return uint64(bits.OnesCount32(uint32(a))) }},
	wasm.OpI64Clz:        {i64, i64, func(a uint64) uint64 { return uint64(bits.LeadingZeros64(a)) }},
	wasm.OpI64Ctz:        {i64, i64, func(a uint64) uint64 { return uint64(bits.TrailingZeros64(a)) }},
	wasm.OpI64Popcnt:     {i64, i64, func(a uint64) uint64 { return uint64(bits.OnesCount64(a)) }},
	wasm.OpI32WrapI64:    {i64, i32, func(a uint64) uint64 { return a & math.MaxUint32 }},
	wasm.OpI64ExtendI32S: {i32, i64, func(a uint64) uint64 { return uint64(int64(int32(uint32(a)))) }},
	wasm.OpI64ExtendI32U: {i32, i64, func(a uint64) uint64 { return a & math.MaxUint32 }},
	wasm.OpI32Extend8S:   {i32, i32, func(a uint64) uint64 { return uint64(uint32(int32(int8(a)))) }},
	wasm.OpI32Extend16S:  {i32, i32, func(a uint64) uint64 { return uint64(uint32(int32(int16(a)))) }},
	wasm.OpI64Extend8S:   {i64, i64, func(a uint64) uint64 { return uint64(int64(int8(a))) }},
	wasm.OpI64Extend16S:  {i64, i64, func(a uint64) uint64 { return uint64(int64(int16(a))) }},
	wasm.OpI64Extend32S:  {i64, i64, func(a uint64) uint64 { return uint64(int64(int32(a))) }},
}

var edges32 = []uint32{0, 1, 2, 3, 7, 31, 32, 33, 0x7f, 0x80, 0xff, 0x8000, 0xffff,
	math.MaxInt32, 1 << 31, 1<<31 + 1, math.MaxUint32, math.MaxUint32 - 1, 0x12345678, 0xdeadbeef}

var edges64 = []uint64{0, 1, 2, 3, 63, 64, 65, 0x80, 0x8000, 0x80000000, math.MaxUint32,
	math.MaxInt64, 1 << 63, 1<<63 + 1, math.MaxUint64, math.MaxUint64 - 1, 0x123456789abcdef0, 0xdeadbeefcafebabe}

// TestOpcodeSemantics checks every numeric instruction against Go's arithmetic on edge values.
func TestOpcodeSemantics(t *testing.T) {
	var tm wasmtest.Module
	add := func(name string, o wasm.Opcode, params []wasm.ValType, result wasm.ValType) {
		code := []byte{}
		for i := range params {
			code = append(code, wasmtest.LocalGet(uint32(i))...)
		}
		tm.Funcs = append(tm.Funcs, wasmtest.Func{Params: params, Results: []wasm.ValType{result}, Code: wasmtest.Cat(code, wasmtest.Op(o)), Export: name})
	}
	names := map[wasm.Opcode]string{}
	for o := range binary32 {
		names[o] = opName(o)
		add(names[o], o, []wasm.ValType{i32, i32}, i32)
	}
	for o := range binary64 {
		names[o] = opName(o)
		r := i64
		if o >= wasm.OpI64Eq && o <= wasm.OpI64GeU {
			r = i32
		}
		add(names[o], o, []wasm.ValType{i64, i64}, r)
	}
	for o, u := range unary {
		names[o] = opName(o)
		add(names[o], o, []wasm.ValType{u.in}, u.out)
	}
	inst := instantiate(t, tm, Config{}, nil)
	ctx := context.Background()
	check := func(name string, args []uint64, want uint64, wantTrap TrapCode) {
		t.Helper()
		got, _, err := inst.Call(ctx, name, args...)
		var tr *Trap
		switch {
		case wantTrap != 0:
			if !errors.As(err, &tr) || tr.Code != wantTrap {
				t.Errorf("%s%v = %v, %v; want trap %v", name, args, got, err, wantTrap)
			}
		case err != nil:
			t.Errorf("%s%v: %v", name, args, err)
		case got[0] != want:
			t.Errorf("%s%v = %#x, want %#x", name, args, got[0], want)
		}
	}
	for o, ref := range binary32 {
		for _, a := range edges32 {
			for _, b := range edges32 {
				r, tc := ref(a, b)
				check(names[o], []uint64{uint64(a), uint64(b)}, uint64(r), tc)
			}
		}
	}
	for o, ref := range binary64 {
		for _, a := range edges64 {
			for _, b := range edges64 {
				r, tc := ref(a, b)
				check(names[o], []uint64{a, b}, r, tc)
			}
		}
	}
	for o, u := range unary {
		in := edges64
		if u.in == i32 {
			in = nil
			for _, e := range edges32 {
				in = append(in, uint64(e))
			}
		}
		for _, a := range in {
			check(names[o], []uint64{a}, u.ref(a), 0)
		}
	}
}

func opName(o wasm.Opcode) string {
	return "op" + string(rune('A'+int(o)/16)) + string(rune('A'+int(o)%16))
}
