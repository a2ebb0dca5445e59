//go:build !icicle

package icicle

import (
	"errors"
	"strings"
	"testing"
)

// TestNotBuilt checks that a build without the icicle tag says so, and how
// to get one, instead of listing devices.
func TestNotBuilt(t *testing.T) {
	ds, err := Devices()
	if !errors.Is(err, ErrNotBuilt) || ds != nil {
		t.Fatalf("Devices() = %v, %v; want ErrNotBuilt", ds, err)
	}
	if !strings.Contains(err.Error(), "make icicle") {
		t.Errorf("%q does not say how to build with ICICLE", err)
	}
	if Built {
		t.Error("Built is true in a build without the icicle tag")
	}
}
