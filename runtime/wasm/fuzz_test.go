package wasm

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func seedSpecModules(f *testing.F) {
	names, err := filepath.Glob(filepath.Join(specDir, "*.wasm"))
	if err != nil || len(names) == 0 {
		f.Fatalf("spec test suite not found at %s (err %v)", specDir, err)
	}
	for _, n := range names {
		f.Add(readSpecModule(f, filepath.Base(n)))
	}
}

func checkErrorKind(t *testing.T, err error) {
	var dec *DecodeError
	var inv *ValidationError
	var unsup *UnsupportedError
	if err != nil && !errors.As(err, &dec) && !errors.As(err, &inv) && !errors.As(err, &unsup) {
		t.Fatalf("error of unexpected type %T: %v", err, err)
	}
	if err != nil && !strings.HasPrefix(err.Error(), "wasm: ") {
		t.Fatalf("error message without context: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	seedSpecModules(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Decode(data, DefaultLimits())
		checkErrorKind(t, err)
	})
}

func FuzzLoad(f *testing.F) {
	seedSpecModules(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(data, DefaultLimits())
		checkErrorKind(t, err)
		if err == nil {
			for _, fn := range m.Funcs {
				if fn.MaxDepth < 1 {
					t.Fatalf("validated function without a recorded depth")
				}
			}
		}
	})
}
