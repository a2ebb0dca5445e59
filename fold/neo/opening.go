package neo

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/ssprove/ssprove/lattice/ring"
)

// The two forms of a combined proof's opening in its encoding. A
// one-step proof opens the step itself (Π_RLC combines it alone), whose
// columns are the canonical base-2 digits of the step's values
// (decomp.Embed: the bits of |z|, negated for z < 0), so the values say
// all of it: a varint each instead of d entries of 2 bytes, about 1/50 of
// the size for a transaction's small cells. Any other opening is written
// entry by entry.
const (
	openingEntries = 0 // d·m entries, two's-complement, 2 bytes each
	openingValues  = 1 // m values, zigzag varints, each column their digits
)

// binaryValues returns the values whose canonical base-2 digits Z's
// columns are, and whether every column is such: its digits in {−1, 0, 1},
// never both signs.
func binaryValues(Z []int32) ([]int64, bool) {
	vs := make([]int64, len(Z)/ring.D)
	for c := range vs {
		var mag int64
		sign := int32(0)
		for ρ, δ := range Z[c*ring.D : (c+1)*ring.D] {
			switch {
			case δ == 0:
				continue
			case δ != 1 && δ != -1, sign != 0 && δ != sign:
				return nil, false
			}
			sign = δ
			mag |= 1 << ρ
		}
		vs[c] = mag * int64(sign)
	}
	return vs, true
}

// appendOpeningZ appends the opening Z of m columns in the form that fits
// it (openingValues when binaryValues holds, else openingEntries).
func appendOpeningZ(b []byte, Z []int32) ([]byte, error) {
	if vs, ok := binaryValues(Z); ok {
		b = append(b, openingValues)
		for _, v := range vs {
			b = binary.AppendVarint(b, v)
		}
		return b, nil
	}
	b = append(b, openingEntries)
	for i, z := range Z {
		if z < math.MinInt16 || z > math.MaxInt16 {
			return nil, fmt.Errorf("opening entry %d is %d, beyond 2 bytes", i, z)
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(int16(z)))
	}
	return b, nil
}

// openingZ reads an opening of m columns in either form. Only the form
// appendOpeningZ would choose is accepted, and varints only at their
// shortest, so that a proof has one encoding.
func (d *decoder) openingZ(m int) []int32 {
	form := d.Byte()
	if d.Err() != nil {
		return nil
	}
	var Z []int32
	switch form {
	case openingEntries:
		raw := d.Take(2 * ring.D * m)
		if raw == nil {
			return nil
		}
		Z = make([]int32, 0, ring.D*m)
		for i := range ring.D * m {
			Z = append(Z, int32(int16(binary.LittleEndian.Uint16(raw[2*i:]))))
		}
		if _, ok := binaryValues(Z); ok {
			d.Fail("an opening of binary digits written entry by entry")
			return nil
		}
	case openingValues:
		// Every value takes a byte at least, which the caller checked the
		// input holds: the opening is at most 4·d times the input.
		Z = make([]int32, 0, ring.D*m)
		for c := range m {
			v := d.varint()
			if d.Err() != nil {
				return nil
			}
			if v <= -1<<ring.D || v >= 1<<ring.D {
				d.Fail("opening value %d is %d, beyond %d binary digits", c, v, ring.D)
				return nil
			}
			sign, mag := int32(1), v
			if v < 0 {
				sign, mag = -1, -v
			}
			for ρ := range ring.D {
				Z = append(Z, sign*int32(mag>>ρ&1))
			}
		}
	default:
		d.Fail("opening form %d, want %d or %d", form, openingEntries, openingValues)
		return nil
	}
	return Z
}

// varint reads a zigzag varint written by binary.AppendVarint, refusing a
// longer encoding than that of its value.
func (d *decoder) varint() int64 {
	var buf [binary.MaxVarintLen64]byte
	n := 0
	for n < len(buf) {
		c := d.Byte()
		if d.Err() != nil {
			return 0
		}
		buf[n] = c
		n++
		if c < 0x80 {
			break
		}
	}
	v, read := binary.Varint(buf[:n])
	switch {
	case read <= 0:
		d.Fail("bad varint")
		return 0
	case read != len(binary.AppendVarint(nil, v)):
		d.Fail("varint of %d in %d bytes, longer than its value needs", v, read)
		return 0
	}
	return v
}
