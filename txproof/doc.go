// Package txproof proves and verifies Starstream transactions (fold/ARITH.md).
//
// Its public statement (Statement) says what an executed transaction did at the level the
// interleaving proof binds: the resolved transaction, its hash, the process table with
// every process's program, kind, ownership, final status, host-call count, states and
// datum before and after, the interfaces and datum slots the trace touched, and the host
// calls per host function. It is built from a runtime/tx Result (FromResult), encoded
// canonically (Encode, DecodeStatement), absorbed into the proof's transcript (Absorb)
// and checked natively for the end-of-transaction rules the proof leaves to the verifier
// (Check).
//
// Prove proves an executed transaction (fold/ARITH.md § 7.5): it lays the trace out in
// steps of rows (fold/interleave), commits every step, proves the memory argument over
// the steps' columns (fold/lookup), binds its claims to the committed steps through one
// claim per step, and folds the steps with those claims (fold/neo), the last fold
// stopping after Π_RLC and the proof opening the combined claim (fold/ARITH.md § 8.3).
// A Prover keeps the commitment keys it expands, for a process that proves many. Verify checks a Proof against its statement alone, rebuilding everything
// public from it. A Proof encodes to the proof file (MarshalBinary, UnmarshalBinary).
package txproof
