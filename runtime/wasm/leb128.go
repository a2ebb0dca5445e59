package wasm

import "errors"

// LEB128 errors carry the spec's wording; the reader wraps them with an offset.
var (
	errLEBTooLong    = errors.New("integer representation too long")
	errLEBTooLarge   = errors.New("integer too large")
	errUnexpectedEnd = errors.New("unexpected end")
)

// decodeUnsigned reads an unsigned LEB128 value of at most bits bits from b. It rejects
// encodings longer than ceil(bits/7) bytes and, in the last allowed byte, payload bits above
// bits, as the binary format requires (so overlong zero padding is fine only up to the limit).
func decodeUnsigned(b []byte, bits uint) (uint64, int, error) {
	maxBytes := int((bits + 6) / 7)
	var v uint64
	for i := 0; ; i++ {
		if i >= len(b) {
			return 0, i, errUnexpectedEnd
		}
		c := b[i]
		if i == maxBytes-1 {
			if c&0x80 != 0 {
				return 0, i + 1, errLEBTooLong
			}
			used := bits - uint(7*i)
			if c&(0x7f<<used)&0x7f != 0 {
				return 0, i + 1, errLEBTooLarge
			}
		}
		v |= uint64(c&0x7f) << (7 * uint(i))
		if c&0x80 == 0 {
			return v, i + 1, nil
		}
	}
}

// decodeSigned reads a signed LEB128 value of at most bits bits from b. In the last allowed byte
// the bits above the value's sign bit must all equal the sign bit.
func decodeSigned(b []byte, bits uint) (int64, int, error) {
	maxBytes := int((bits + 6) / 7)
	var v int64
	for i := 0; ; i++ {
		if i >= len(b) {
			return 0, i, errUnexpectedEnd
		}
		c := b[i]
		shift := 7 * uint(i)
		if i == maxBytes-1 {
			if c&0x80 != 0 {
				return 0, i + 1, errLEBTooLong
			}
			used := bits - shift
			signAndAbove := byte(0x7f<<(used-1)) & 0x7f
			if s := c & signAndAbove; s != 0 && s != signAndAbove {
				return 0, i + 1, errLEBTooLarge
			}
		}
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			shift += 7
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1, nil
		}
	}
}

// AppendUnsigned appends v in unsigned LEB128, the shortest encoding.
func AppendUnsigned(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// AppendSigned appends v in signed LEB128, the shortest encoding.
func AppendSigned(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
