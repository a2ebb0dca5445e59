package spectest

import (
	"errors"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// RuntimeConfig runs the suite against ssprove's own decoder and validator,
// with modules that use unsupported features counted as skipped under the
// feature's name. It has no Engine yet: execution commands are skipped until
// the interpreter exists.
func RuntimeConfig(lim wasm.Limits) Config {
	return Config{
		Load: func(b []byte) error {
			_, err := wasm.Load(b, lim)
			return err
		},
		Imports: func(b []byte) []string {
			m, err := wasm.Decode(b, lim)
			if err != nil {
				return nil
			}
			names := make([]string, len(m.Imports))
			for i, im := range m.Imports {
				names[i] = im.Module
			}
			return names
		},
		Unsupported: func(err error) (string, bool) {
			var u *wasm.UnsupportedError
			if errors.As(err, &u) {
				return u.Feature, true
			}
			return "", false
		},
	}
}
