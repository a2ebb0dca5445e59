//go:build !(linux && (amd64 || arm64))

package cuda

import (
	"fmt"
	"runtime"
)

// platformErr says that this platform has no loader: libssprove_cuda.so is
// built for Linux, and purego runs without cgo on amd64 and arm64 there.
var platformErr = fmt.Errorf("%w: %s/%s (the CUDA library loads on linux/amd64 and linux/arm64)", ErrUnsupported, runtime.GOOS, runtime.GOARCH)

func bind(string) (*library, error) { return nil, platformErr }

func probeDriver() (version, devices int, err error) { return 0, 0, platformErr }
