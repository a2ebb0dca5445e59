package spectest

import (
	"context"
	"errors"
)

// Loader decodes and validates a binary module without running it. Its error is
// classified by [Config.Unsupported]: either the module uses a feature ssprove
// rejects on purpose, or it is malformed or invalid.
type Loader func(wasm []byte) error

// Engine executes modules. The runner makes one Store per script, so that
// registrations and instances of one script never leak into the next.
type Engine interface {
	NewStore() (Store, error)
}

// Store holds the instances of one script and the names they are registered under.
//
// Instantiate links wasm against the modules registered so far and against the
// "spectest" host module, which the Store provides itself (print_i32, global_i32,
// table, memory… as in the spec interpreter), then runs the start function. A trap
// during instantiation (start function, out-of-bounds segment) must be reported as
// an error wrapping [ErrTrap]; a link error must not wrap it.
//
// Register makes inst's exports importable under the module name as.
//
// Close releases everything the Store holds; the runner calls it once the script ends.
type Store interface {
	Instantiate(ctx context.Context, wasm []byte) (Instance, error)
	Register(as string, inst Instance) error
	Close() error
}

// Instance is an instantiated module. Values cross this interface as raw bits in a
// uint64: an i64 as is, an i32 in the low 32 bits (the high bits of an i32 result
// are ignored).
//
// Invoke calls the exported function field. A trap must be reported as an error
// wrapping [ErrTrap], and running out of call stack (or of any resource standing
// for it) as an error wrapping [ErrExhaustion]; any other error is a failure.
//
// Get reads the exported global field.
type Instance interface {
	Invoke(ctx context.Context, field string, args []uint64) ([]uint64, error)
	Get(field string) (uint64, error)
}

var (
	// ErrTrap marks an error as a WebAssembly trap; assert_trap and
	// assert_uninstantiable expect one. The message is not compared with the
	// script's: engines word traps differently.
	ErrTrap = errors.New("trap")
	// ErrExhaustion marks an error as exhaustion of the call stack; assert_exhaustion
	// expects one.
	ErrExhaustion = errors.New("call stack exhausted")
)
