package interp

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/ssprove/ssprove/runtime/wasm"
)

// A snapshot is, in order, all integers little-endian:
//
//	magic       8 bytes "ssprovSN"
//	version     u32 (snapshotVersion)
//	module      32 bytes: SHA-256 of the module binary (Module.Digest)
//	status      u8: 0 idle, 1 suspended
//	fuel        u64
//	steps       u64: steps traced so far, which numbers the next one (Tracer); 0 untraced
//	stack       u32 n, n × u64: the live value stack, locals included
//	frames      u32 n, n × (fn u32, pc u32, base u32, offset u32), outermost first: defined
//	            function index, compiled pc to continue at, stack slot of local 0, and the
//	            module byte offset of the call before pc (for people; checked, not used)
//	pending     if suspended: u32 imported function index, u32 n, n × u64 arguments
//	globals     u32 n, n × (mutable u8, value u64), imported ones included
//	memory      u8 present; if present: u32 pages, u32 n, n × (u32 page index, 65536 bytes),
//	            the pages not all zero, in increasing order
//	table       u8 present; if present: u32 n, n × u32: 0 uninitialized, else function index + 1
//	hash        32 bytes: SHA-256 of everything before it
//
// Branch targets are precomputed by Compile, so there is no label stack to save: a frame's
// pc and the stack say everything.
const (
	snapshotMagic   = "ssprovSN"
	snapshotVersion = 2
)

// Snapshot returns the complete state of an instance that is idle or suspended, as bytes
// that Restore turns back into an instance. It refuses instances whose state is not theirs
// alone: a memory, a table or a mutable global that is imported (imported immutable globals
// are recorded, and Restore checks them against its imports), and table entries that are
// functions of other instances. It also refuses while a call runs (from a host function) and
// modules compiled without their binary (use Load).
func (inst *Instance) Snapshot() ([]byte, error) {
	mod := inst.mod
	if !mod.hasDigest {
		return nil, errors.New("interp: snapshot: the module has no digest; compile it with interp.Load")
	}
	if err := mod.ownsState(); err != nil {
		return nil, fmt.Errorf("interp: snapshot: %w", err)
	}
	if !inst.suspended && (len(inst.frames) > 0 || inst.reentry > 0) {
		return nil, errors.New("interp: snapshot: a call is running")
	}
	b := make([]byte, 0, 256+8*inst.sp)
	b = append(b, snapshotMagic...)
	b = binary.LittleEndian.AppendUint32(b, snapshotVersion)
	b = append(b, mod.digest[:]...)
	if inst.suspended {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.LittleEndian.AppendUint64(b, inst.Fuel())
	b = binary.LittleEndian.AppendUint64(b, inst.steps())
	b = binary.LittleEndian.AppendUint32(b, uint32(inst.sp))
	for _, v := range inst.stack[:inst.sp] {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(inst.frames)))
	for _, fr := range inst.frames {
		b = binary.LittleEndian.AppendUint32(b, fr.fn)
		b = binary.LittleEndian.AppendUint32(b, fr.pc)
		b = binary.LittleEndian.AppendUint32(b, fr.base)
		b = binary.LittleEndian.AppendUint32(b, mod.funcs[fr.fn].offsets[fr.pc-1])
	}
	if inst.suspended {
		fi, err := inst.importIndex(inst.pending)
		if err != nil {
			return nil, fmt.Errorf("interp: snapshot: %w", err)
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(fi))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(inst.pendingArgs)))
		for _, v := range inst.pendingArgs {
			b = binary.LittleEndian.AppendUint64(b, v)
		}
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(inst.globals)))
	for _, g := range inst.globals {
		if g.Type.Mutable {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.LittleEndian.AppendUint64(b, g.Value)
	}
	b = append(b, b2byte(inst.memory != nil))
	if m := inst.memory; m != nil {
		b = binary.LittleEndian.AppendUint32(b, m.Pages())
		var live []uint32
		for p := range m.Pages() {
			if !allZero(m.bytes[int(p)*PageSize : int(p+1)*PageSize]) {
				live = append(live, p)
			}
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(len(live)))
		for _, p := range live {
			b = binary.LittleEndian.AppendUint32(b, p)
			b = append(b, m.bytes[int(p)*PageSize:int(p+1)*PageSize]...)
		}
	}
	b = append(b, b2byte(inst.table != nil))
	if t := inst.table; t != nil {
		index := make(map[*Function]uint32, len(inst.funcs))
		for i := len(inst.funcs) - 1; i >= 0; i-- { // the lowest index wins
			index[inst.funcs[i]] = uint32(i)
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(len(t.elems)))
		for i, f := range t.elems {
			var v uint32
			if f != nil {
				fi, ok := index[f]
				if !ok {
					return nil, fmt.Errorf("interp: snapshot: table entry %d is a function of another instance", i)
				}
				v = fi + 1
			}
			b = binary.LittleEndian.AppendUint32(b, v)
		}
	}
	h := sha256.Sum256(b)
	return append(b, h[:]...), nil
}

// ownsState reports the imports that would make an instance's state shared with others.
func (m *Module) ownsState() error {
	for _, im := range m.m.Imports {
		switch {
		case im.Kind == wasm.ExternMemory, im.Kind == wasm.ExternTable,
			im.Kind == wasm.ExternGlobal && im.Global.Mutable:
			return fmt.Errorf("import %s.%s is shared state (%v), which snapshots do not record", im.Module, im.Name, im.Kind)
		}
	}
	return nil
}

func b2byte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

var zeroPage [PageSize]byte

func allZero(p []byte) bool { return bytes.Equal(p, zeroPage[:len(p)]) }

// Restore makes an instance of m from a snapshot that Snapshot took of an instance of the same
// module (same binary), linked to imports as Instantiate links. The fuel left is the
// snapshot's: cfg.Fuel is ignored, its limits apply. Nothing in the snapshot is trusted: a
// corrupt, truncated or forged one, one of another module or version, or one that does not
// fit cfg's limits is an error. A suspended snapshot is continued with Resume; Pending says
// which host call it waits on. The start function is not run again.
func Restore(m *Module, imports Imports, snapshot []byte, cfg Config) (*Instance, error) {
	if m == nil {
		return nil, errors.New("interp: restore: nil module")
	}
	if !m.hasDigest {
		return nil, errors.New("interp: restore: the module has no digest; compile it with interp.Load")
	}
	hdr := len(snapshotMagic) + 4 + sha256.Size
	if len(snapshot) < hdr+sha256.Size {
		return nil, fmt.Errorf("interp: restore: snapshot of %d bytes is truncated", len(snapshot))
	}
	if string(snapshot[:len(snapshotMagic)]) != snapshotMagic {
		return nil, errors.New("interp: restore: not a snapshot (bad magic)")
	}
	if v := binary.LittleEndian.Uint32(snapshot[len(snapshotMagic):]); v != snapshotVersion {
		return nil, fmt.Errorf("interp: restore: snapshot version %d, this build reads %d", v, snapshotVersion)
	}
	body, sum := snapshot[:len(snapshot)-sha256.Size], snapshot[len(snapshot)-sha256.Size:]
	if h := sha256.Sum256(body); !bytes.Equal(h[:], sum) {
		return nil, errors.New("interp: restore: snapshot is corrupt (hash mismatch)")
	}
	if !bytes.Equal(snapshot[hdr-sha256.Size:hdr], m.digest[:]) {
		return nil, fmt.Errorf("interp: restore: snapshot is of module %x, not of this one (%x)", snapshot[hdr-sha256.Size:hdr], m.digest)
	}
	if err := m.ownsState(); err != nil {
		return nil, fmt.Errorf("interp: restore: %w", err)
	}
	cfg = cfg.withLimits()
	inst, err := m.newInstance(imports, cfg)
	if err != nil {
		return nil, err
	}
	r := &reader{b: body[hdr:]}
	if err := inst.decode(r); err != nil {
		return nil, fmt.Errorf("interp: restore: %w", err)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("interp: restore: %d bytes left over", len(r.b))
	}
	return inst, nil
}

// reader reads a snapshot's fields; the first error sticks, and reads after it return zeros.
type reader struct {
	b   []byte
	err error
}

var errTruncated = errors.New("snapshot is truncated")

func (r *reader) take(n int) []byte {
	if r.err != nil || n > len(r.b) {
		r.err = firstErr(r.err, errTruncated)
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func firstErr(prev, err error) error {
	if prev != nil {
		return prev
	}
	return err
}

func (r *reader) u8() byte {
	if p := r.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *reader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if p := r.take(8); p != nil {
		return binary.LittleEndian.Uint64(p)
	}
	return 0
}

// count reads a length of items of size bytes each and checks, before anything is allocated
// for them, that they are there and that there are at most max.
func (r *reader) count(what string, size, max int) int {
	n := r.u32()
	if r.err != nil {
		return 0
	}
	if uint64(n) > uint64(max) {
		r.err = fmt.Errorf("%s: %d exceeds the limit of %d", what, n, max)
		return 0
	}
	if uint64(n)*uint64(size) > uint64(len(r.b)) {
		r.err = fmt.Errorf("%s: %d: %w", what, n, errTruncated)
		return 0
	}
	return int(n)
}

func (r *reader) flag(what string) bool {
	switch v := r.u8(); v {
	case 0:
		return false
	case 1:
		return true
	default:
		r.err = firstErr(r.err, fmt.Errorf("%s: flag %d is neither 0 nor 1", what, v))
		return false
	}
}

// decode reads the state after the header into inst, fresh from newInstance, and checks it
// against the module and inst.cfg.
func (inst *Instance) decode(r *reader) error {
	inst.suspended = r.flag("status")
	inst.fuel = r.u64()
	if steps := r.u64(); inst.tracer != nil {
		inst.tracer.steps = steps
	}
	sp := r.count("stack", 8, inst.cfg.MaxStack)
	stack := make([]uint64, sp)
	for i := range stack {
		stack[i] = r.u64()
	}
	nf := r.count("frames", 16, inst.cfg.MaxCallDepth)
	frames := make([]frame, nf)
	offsets := make([]uint32, nf)
	for i := range frames {
		frames[i] = frame{fn: r.u32(), pc: r.u32(), base: r.u32()}
		offsets[i] = r.u32()
	}
	if r.err != nil {
		return r.err
	}
	nimp := inst.mod.m.NumImportedFuncs()
	if inst.suspended {
		fi := r.u32()
		if r.err != nil {
			return r.err
		}
		if uint64(fi) >= uint64(nimp) {
			return fmt.Errorf("pending call of function %d, which is not an import", fi)
		}
		f := inst.funcs[fi]
		if f.host == nil {
			return fmt.Errorf("pending call of import %d, which is not a host function", fi)
		}
		n := r.count("pending arguments", 8, len(f.typ.Params))
		if r.err == nil && n != len(f.typ.Params) {
			return fmt.Errorf("pending call of import %d with %d arguments, want %d", fi, n, len(f.typ.Params))
		}
		inst.pending, inst.pendingArgs = f, make([]uint64, n)
		for i := range inst.pendingArgs {
			inst.pendingArgs[i] = r.u64()
		}
	}
	if r.err != nil {
		return r.err
	}
	high, err := inst.checkFrames(frames, offsets, sp)
	if err != nil {
		return err
	}
	if !inst.reserve(high) {
		return fmt.Errorf("the frames need %d stack slots, more than Config.MaxStack", high)
	}
	copy(inst.stack, stack)
	inst.sp, inst.frames = sp, frames
	if err := inst.decodeGlobals(r); err != nil {
		return err
	}
	if err := inst.decodeMemory(r); err != nil {
		return err
	}
	return inst.decodeTable(r)
}

// checkFrames checks restored frames against the compiled code: each must stand just after a
// call, the callee's base where that call put it, the innermost after a call of the pending
// host function with sp just past its results. It returns the stack the frames may use, and
// sets inst.entry for a suspended instance.
func (inst *Instance) checkFrames(frames []frame, offsets []uint32, sp int) (int, error) {
	mod := inst.mod
	nimp := mod.m.NumImportedFuncs()
	if !inst.suspended {
		if len(frames) > 0 || sp > 0 {
			return 0, errors.New("an idle instance with frames or values on its stack")
		}
		return 0, nil
	}
	if len(frames) == 0 {
		if sp > 0 {
			return 0, errors.New("values on the stack of a suspended call without frames")
		}
		inst.entry = inst.pending
		return 0, nil
	}
	high, base := 0, uint64(0)
	for i, fr := range frames {
		if uint64(fr.fn) >= uint64(len(mod.funcs)) {
			return 0, fmt.Errorf("frame %d: unknown function %d", i, fr.fn)
		}
		fn := &mod.funcs[fr.fn]
		if i == 0 {
			inst.entry = inst.funcs[nimp+int(fr.fn)]
		} else {
			// The caller's call has pushed the callee's results once it returns; before, its
			// parameters and locals start at the same place.
			call := mod.funcs[frames[i-1].fn].code[frames[i-1].pc-1]
			if call.op == opCallImport {
				return 0, fmt.Errorf("frame %d: called by a call of a host function", i)
			}
			if call.op == byte(wasm.OpCall) && call.a != fr.fn || call.op == byte(wasm.OpCallIndirect) && mod.sigs[mod.m.Funcs[fr.fn].TypeIndex] != mod.sigs[call.a] {
				return 0, fmt.Errorf("frame %d: function %d is not what its caller calls", i, nimp+int(fr.fn))
			}
			base = uint64(frames[i-1].base) + uint64(call.b) - uint64(fn.results)
		}
		if uint64(fr.base) != base {
			return 0, fmt.Errorf("frame %d: base %d, want %d", i, fr.base, base)
		}
		if fr.pc == 0 || uint64(fr.pc) >= uint64(len(fn.code)) {
			return 0, fmt.Errorf("frame %d: pc %d out of function %d", i, fr.pc, nimp+int(fr.fn))
		}
		call := fn.code[fr.pc-1]
		if call.op != byte(wasm.OpCall) && call.op != byte(wasm.OpCallIndirect) && call.op != opCallImport {
			return 0, fmt.Errorf("frame %d: pc %d does not follow a call", i, fr.pc)
		}
		if offsets[i] != fn.offsets[fr.pc-1] {
			return 0, fmt.Errorf("frame %d: offset %#x, but pc %d is at %#x", i, offsets[i], fr.pc, fn.offsets[fr.pc-1])
		}
		high = max(high, int(base)+fn.height)
	}
	last := frames[len(frames)-1]
	call := mod.funcs[last.fn].code[last.pc-1]
	switch {
	case call.op == opCallImport && inst.funcs[call.a] != inst.pending,
		call.op == byte(wasm.OpCallIndirect) && inst.pending.sig != mod.sigs[call.a],
		call.op == byte(wasm.OpCall):
		return 0, errors.New("the innermost frame is not at a call of the pending host function")
	}
	if want := uint64(last.base) + uint64(call.b); uint64(sp) != want {
		return 0, fmt.Errorf("stack of %d values, the frames want %d", sp, want)
	}
	return high, nil
}

func (inst *Instance) decodeGlobals(r *reader) error {
	n := r.count("globals", 9, len(inst.globals))
	if r.err == nil && n != len(inst.globals) {
		return fmt.Errorf("%d globals, the module has %d", n, len(inst.globals))
	}
	nimp := len(inst.globals) - len(inst.mod.m.Globals)
	for i, g := range inst.globals {
		mut, v := r.flag("global mutability"), r.u64()
		switch {
		case r.err != nil:
			return r.err
		case mut != g.Type.Mutable:
			return fmt.Errorf("global %d: mutability differs from the module's", i)
		case g.Type.Type == wasm.I32 && v > math.MaxUint32:
			return fmt.Errorf("global %d: i32 value %#x", i, v)
		case i < nimp && v != g.Value:
			return fmt.Errorf("global %d: imported value %#x, the snapshot has %#x", i, g.Value, v)
		}
		g.Value = v
	}
	return nil
}

func (inst *Instance) decodeMemory(r *reader) error {
	present := r.flag("memory")
	if r.err != nil {
		return r.err
	}
	m := inst.memory
	if present != (m != nil) {
		return errors.New("memory presence differs from the module's")
	}
	if m == nil {
		return nil
	}
	pages := r.u32()
	if r.err != nil {
		return r.err
	}
	if pages < m.Pages() || pages > m.max {
		return fmt.Errorf("memory of %d pages, the module and limits allow %d to %d", pages, m.Pages(), m.max)
	}
	n := r.count("memory pages", 4+PageSize, int(pages))
	if r.err != nil {
		return r.err
	}
	bs := make([]byte, int(pages)*PageSize)
	next := uint32(0)
	for range n {
		p := r.u32()
		data := r.take(PageSize)
		if r.err != nil {
			return r.err
		}
		if p < next || p >= pages {
			return fmt.Errorf("memory page %d out of order or past %d pages", p, pages)
		}
		if allZero(data) {
			return fmt.Errorf("memory page %d is listed but all zero", p)
		}
		copy(bs[int(p)*PageSize:], data)
		next = p + 1
	}
	m.bytes = bs
	return nil
}

func (inst *Instance) decodeTable(r *reader) error {
	present := r.flag("table")
	if r.err != nil {
		return r.err
	}
	t := inst.table
	if present != (t != nil) {
		return errors.New("table presence differs from the module's")
	}
	if t == nil {
		return nil
	}
	n := r.count("table entries", 4, len(t.elems))
	if r.err == nil && n != len(t.elems) {
		return fmt.Errorf("table of %d entries, the module's has %d", n, len(t.elems))
	}
	for i := range t.elems {
		v := r.u32()
		if r.err != nil {
			return r.err
		}
		if uint64(v) > uint64(len(inst.funcs)) {
			return fmt.Errorf("table entry %d: unknown function %d", i, v-1)
		}
		if v > 0 {
			t.elems[i] = inst.funcs[v-1]
		}
	}
	return nil
}
