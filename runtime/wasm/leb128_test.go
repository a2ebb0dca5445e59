package wasm

import "testing"

func TestDecodeLEB128(t *testing.T) {
	tests := []struct {
		name   string
		in     []byte
		bits   uint
		signed bool
		want   int64
		n      int
		err    error
	}{
		{"u32 zero", []byte{0x00}, 32, false, 0, 1, nil},
		{"u32 max", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 32, false, 0xffffffff, 5, nil},
		{"u32 overlong zero within 5 bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x00}, 32, false, 0, 5, nil},
		{"u32 6 bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, false, 0, 5, errLEBTooLong},
		{"u32 unused bits set", []byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 32, false, 0, 5, errLEBTooLarge},
		{"u32 truncated", []byte{0x80, 0x80}, 32, false, 0, 2, errUnexpectedEnd},
		{"u32 empty", nil, 32, false, 0, 0, errUnexpectedEnd},
		{"s32 -1", []byte{0x7f}, 32, true, -1, 1, nil},
		{"s32 min", []byte{0x80, 0x80, 0x80, 0x80, 0x78}, 32, true, -1 << 31, 5, nil},
		{"s32 max", []byte{0xff, 0xff, 0xff, 0xff, 0x07}, 32, true, 1<<31 - 1, 5, nil},
		{"s32 overlong -1", []byte{0xff, 0xff, 0xff, 0xff, 0x7f}, 32, true, -1, 5, nil},
		{"s32 bad sign bits", []byte{0xff, 0xff, 0xff, 0xff, 0x4f}, 32, true, 0, 5, errLEBTooLarge},
		{"s32 positive unused bits", []byte{0x80, 0x80, 0x80, 0x80, 0x08}, 32, true, 0, 5, errLEBTooLarge},
		{"s32 6 bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, true, 0, 5, errLEBTooLong},
		{"s64 min", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, 64, true, -1 << 63, 10, nil},
		{"s64 max", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, 64, true, 1<<63 - 1, 10, nil},
		{"s64 bad last byte", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 64, true, 0, 10, errLEBTooLarge},
		{"s64 11 bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 64, true, 0, 10, errLEBTooLong},
		{"s33 type index max", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 33, true, 0xffffffff, 5, nil},
		{"s33 bad sign bits", []byte{0xff, 0xff, 0xff, 0xff, 0x2f}, 33, true, 0, 5, errLEBTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got int64
			var n int
			var err error
			if tt.signed {
				got, n, err = decodeSigned(tt.in, tt.bits)
			} else {
				var u uint64
				u, n, err = decodeUnsigned(tt.in, tt.bits)
				got = int64(u)
			}
			if err != tt.err || n != tt.n || err == nil && got != tt.want {
				t.Errorf("got (%d, %d, %v), want (%d, %d, %v)", got, n, err, tt.want, tt.n, tt.err)
			}
		})
	}
}

func TestAppendLEB128(t *testing.T) {
	for _, v := range []uint64{0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 1<<32 - 1, 1<<63 + 5, 1<<64 - 1} {
		b := AppendUnsigned(nil, v)
		got, n, err := decodeUnsigned(b, 64)
		if err != nil || got != v || n != len(b) {
			t.Errorf("unsigned %#x: encoded %x, decoded %#x, %d, %v", v, b, got, n, err)
		}
	}
	for _, v := range []int64{0, 1, -1, 63, 64, -64, -65, 1<<31 - 1, -1 << 31, 1<<63 - 1, -1 << 63} {
		b := AppendSigned(nil, v)
		got, n, err := decodeSigned(b, 64)
		if err != nil || got != v || n != len(b) {
			t.Errorf("signed %d: encoded %x, decoded %d, %d, %v", v, b, got, n, err)
		}
	}
}
