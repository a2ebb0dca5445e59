package wasm

import "fmt"

// DecodeError reports a malformed binary: bytes that are not a WebAssembly module at all, or that
// break a structural rule or one of the decoder's Limits.
type DecodeError struct {
	Offset int    // byte offset in the module binary
	Func   int    // function index (imports counted) when inside a body, else -1
	Msg    string // what is wrong, in the spec's words where it has some
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("wasm: malformed module at offset %#x%s: %s", e.Offset, funcSuffix(e.Func), e.Msg)
}

// ValidationError reports a well-formed module that the spec's validation rules reject:
// type errors, unknown indices, module-level constraints.
type ValidationError struct {
	Offset int
	Func   int // -1 when not inside a function body
	Msg    string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("wasm: invalid module at offset %#x%s: %s", e.Offset, funcSuffix(e.Func), e.Msg)
}

// Features named by UnsupportedError.Feature. Anything outside the integer MVP subset (plus
// sign extension, multi-value, memory.copy and memory.fill) is one of these.
const (
	FeatureFloats         = "floats"
	FeatureSIMD           = "SIMD"
	FeatureThreads        = "threads"
	FeatureReferenceTypes = "reference types"
	FeatureBulkMemory     = "bulk memory"
	FeatureTailCalls      = "tail calls"
	FeatureExceptions     = "exceptions"
	FeatureMultiMemory    = "multi-memory"
	FeatureMemory64       = "memory64"
	FeatureGC             = "GC"
	FeatureFuncRefs       = "function references"
)

// UnsupportedError reports a construct that may be valid WebAssembly but lies outside the subset
// this runtime executes (and proves). Loading such a module is refused rather than half-supported.
type UnsupportedError struct {
	Feature string // one of the Feature constants
	What    string // the construct that needs it, e.g. "opcode 0x92" or "value type f32"
	Func    int    // function index (imports counted) when inside a body, else -1
	Offset  int
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("wasm: unsupported feature %s (%s) at offset %#x%s", e.Feature, e.What, e.Offset, funcSuffix(e.Func))
}

func funcSuffix(fn int) string {
	if fn < 0 {
		return ""
	}
	return fmt.Sprintf(" in function %d", fn)
}
