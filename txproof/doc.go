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
package txproof
