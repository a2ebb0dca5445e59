package tx

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"

	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/program"
)

// Content is a transaction resolved against the ledger it ran on: exactly what its hash
// names (Hash), and what a proof's statement carries of it.
type Content struct {
	// NextID is the ledger's next id when the transaction ran: the root coordination
	// script's pid; the processes it creates get the ids after it, in creation order.
	NextID      uint64
	Coordinator program.Hash
	// Inputs are the transaction's inputs in the order it lists them, with the versions
	// it consumes.
	Inputs []ledger.Input
	// Args are the argument rows, program names replaced by their hashes.
	Args [][4]uint64
	// Mint and Burn are the declared amounts, sorted by program, without zero amounts.
	Mint, Burn []Amount
	// Fuel is the budget, DefaultFuel when the transaction names none.
	Fuel uint64
}

// Amount is an amount of one token program.
type Amount struct {
	Program program.Hash
	Amount  uint64
}

// Hash names a transaction: SHA-256 over a domain tag, the ledger's next id when it ran
// (so that the same file run twice is two transactions), the coordinator, the inputs with
// the versions consumed, the argument rows, the declared mint and burn and the fuel
// budget, integers little-endian and every list preceded by its length. Mint and Burn are
// hashed in the order given, which Content requires sorted.
func Hash(c *Content) [32]byte {
	var b []byte
	b = append(b, "ssprove/tx/v1"...)
	b = binary.LittleEndian.AppendUint64(b, c.NextID)
	b = appendWords(b, c.Coordinator[:]...)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(c.Inputs)))
	for _, in := range c.Inputs {
		b = appendWords(b, in.ID, in.Version)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(len(c.Args)))
	for _, a := range c.Args {
		b = appendWords(b, a[:]...)
	}
	for _, list := range [][]Amount{c.Mint, c.Burn} {
		b = binary.LittleEndian.AppendUint64(b, uint64(len(list)))
		for _, a := range list {
			b = appendWords(b, a.Program[:]...)
			b = binary.LittleEndian.AppendUint64(b, a.Amount)
		}
	}
	b = binary.LittleEndian.AppendUint64(b, c.Fuel)
	return sha256.Sum256(b)
}

func appendWords(b []byte, ws ...uint64) []byte {
	for _, w := range ws {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

// sortedAmounts lists m sorted by program.
func sortedAmounts(m map[program.Hash]uint64) []Amount {
	var out []Amount
	for _, k := range sortedHashes(m) {
		out = append(out, Amount{Program: k, Amount: m[k]})
	}
	return out
}

// NumHostFunctions is the number of host functions of runtime/ABI.md.
const NumHostFunctions = 23

// hostOrder lists the host functions in runtime/ABI.md's order.
var hostOrder = [NumHostFunctions]string{
	"resume", "yield", "burn", "return", "call_effect_handler",
	"activation", "init",
	"new_utxo", "new_token", "new_coord", "program_hash", "amount",
	"install_handler", "uninstall_handler", "get_handler_for",
	"new_ref", "ref_push", "ref_get", "ref_write",
	"bind", "unbind",
	"get_datum", "set_datum",
}

// HostFunctions are the names of the host functions in runtime/ABI.md's order (control,
// reading what happened, processes, handlers, refs, tokens, datum). A host function's
// index in it is its code wherever a proof needs a small integer for a host call.
func HostFunctions() [NumHostFunctions]string { return hostOrder }

// HostCode is the index of host function name in HostFunctions.
func HostCode(name string) (int, bool) {
	i := slices.Index(hostOrder[:], name)
	return i, i >= 0
}
