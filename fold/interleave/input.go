package interleave

import "strconv"

// Input is an executed transaction as the interleaving proof needs it: its
// processes in index order, the interfaces its handler calls name, the rows of
// the root's init ref and its host calls in the order they happened. It is
// made from a runtime/tx Result by the package that imports both (txproof).
type Input struct {
	// Procs are the processes in index order, index = position + 1 (index 0 is
	// the dummy, which is not listed): the root coordination script, then the
	// inputs in the transaction's order, then the created processes in creation
	// order, then the external owners (owners of input tokens that are not
	// inputs themselves).
	Procs []Process
	// Ifaces are the interface ids the trace names (install_handler,
	// uninstall_handler, get_handler_for, call_effect_handler), distinct and
	// none all-zero; interface index j ≥ 1 is Ifaces[j−1], and 0 is the zero
	// interface.
	Ifaces [][4]uint64
	// InitRows are the rows of the root's init ref (ref 1): the header row, one
	// row per input and the arguments, as runtime/tx builds them.
	InitRows [][4]uint64
	// Events are the host calls in the order they happened (tx.Trace.Events).
	Events []Event
}

// Process is one process of a transaction, as it was before the transaction.
type Process struct {
	PID  uint64
	Role Role
	Kind Kind
	// Program is the hash of the process's program (zero for external owners).
	Program [4]uint64
	// Amount is a token's amount (zero for other kinds).
	Amount uint64
	// InitRef is the ref a created process was created with (init's result);
	// the root's is 1, the init ref.
	InitRef uint64
	// Creator is the index of the process that created a created process.
	Creator uint32
	// OwnerBefore is an input token's owner before the transaction, as a
	// process index (0: unbound).
	OwnerBefore uint32
	// OwnsBefore is how many tokens an input UTXO or an external owner owns at
	// rest before the transaction (tx.Result.OwnedAtRest).
	OwnsBefore uint64
	// DatumBefore is an input's datum before the transaction (zero otherwise).
	DatumBefore [DatumSlots]uint64
}

// Role is how a process takes part in a transaction.
type Role uint8

// Roles, in the order they appear in Input.Procs.
const (
	RoleRoot Role = iota
	RoleInput
	RoleCreated
	RoleExternal
)

// Kind is a process's kind, with runtime/program's numbering.
type Kind uint8

// Process kinds.
const (
	KindCoord Kind = iota
	KindUTXO
	KindToken
)

// DatumSlots is the number of datum slots of a process (runtime/ABI.md).
const DatumSlots = 16

// Event is one host call, as tx.Event records it, with its host function as a
// Call instead of a name.
type Event struct {
	// PID is the calling process's pid.
	PID  uint64
	Call Call
	// Args are the call's arguments as passed (pointers as addresses).
	Args []uint64
	// Data are the words the call read from the caller's memory (a hash or an
	// interface id) or wrote to it (activation, init, ref_get, program_hash).
	Data []uint64
	// Results are the call's results.
	Results []uint64
}

// Call is a host function of runtime/ABI.md, numbered in the ABI's order.
type Call uint8

// Host functions.
const (
	CallResume Call = iota
	CallYield
	CallBurn
	CallReturn
	CallEffect
	CallActivation
	CallInit
	CallNewUTXO
	CallNewToken
	CallNewCoord
	CallProgramHash
	CallAmount
	CallInstallHandler
	CallUninstallHandler
	CallGetHandlerFor
	CallNewRef
	CallRefPush
	CallRefGet
	CallRefWrite
	CallBind
	CallUnbind
	CallGetDatum
	CallSetDatum
	// NumCalls is the number of host functions.
	NumCalls
)

var callNames = [NumCalls]string{
	"resume", "yield", "burn", "return", "call_effect_handler", "activation", "init",
	"new_utxo", "new_token", "new_coord", "program_hash", "amount",
	"install_handler", "uninstall_handler", "get_handler_for",
	"new_ref", "ref_push", "ref_get", "ref_write", "bind", "unbind", "get_datum", "set_datum",
}

// callArgs is the number of arguments each host function takes.
var callArgs = [NumCalls]int{2, 1, 0, 0, 2, 1, 1, 2, 3, 2, 2, 1, 1, 1, 1, 1, 4, 3, 6, 1, 1, 1, 2}

// String returns the host function's ABI name.
func (c Call) String() string {
	if c < NumCalls {
		return callNames[c]
	}
	return "call(" + strconv.Itoa(int(c)) + ")"
}

// CallByName returns the host function of an ABI name (tx.Event.Call).
func CallByName(name string) (Call, bool) {
	for i, n := range callNames {
		if n == name {
			return Call(i), true
		}
	}
	return 0, false
}
