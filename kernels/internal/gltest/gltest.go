// Package gltest holds what the kernel packages' tests share: turning fuzz
// input into field elements.
package gltest

import "encoding/binary"

// q is the Goldilocks modulus; this package stays free of the kernel packages
// so that their own tests can import it.
const q = 0xFFFF_FFFF_0000_0001

// WordsOf reads k little-endian words from data, reduced mod q, repeating the
// input cyclically (zeros when it is empty) so any input gives k values.
func WordsOf(data []byte, k int) []uint64 {
	w := make([]uint64, k)
	if len(data) == 0 {
		return w
	}
	var buf [8]byte
	p := 0
	for i := range w {
		for j := range buf {
			buf[j] = data[p%len(data)]
			p++
		}
		w[i] = binary.LittleEndian.Uint64(buf[:]) % q
	}
	return w
}
