//go:build !icicle

package field

import "github.com/consensys/gnark-crypto/field/goldilocks"

// viaICICLE reports false: without the icicle build tag ICICLE is never the
// selected backend.
func viaICICLE(string, []goldilocks.Element, []goldilocks.Element, []goldilocks.Element) (bool, error) {
	return false, nil
}

// reduceViaICICLE reports false, as viaICICLE.
func reduceViaICICLE(string, []goldilocks.Element, []goldilocks.Element) (bool, goldilocks.Element, error) {
	return false, goldilocks.Element{}, nil
}
