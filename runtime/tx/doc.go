// Package tx executes Starstream transactions: it runs the processes a transaction
// names on either engine, enforces every rule of runtime/ABI.md at the host call that
// would break it and again at the end, and returns a Result: the interleaving of host
// calls (the trace the prover proves), the process table with what the proof's
// statement needs of each process, and the ledger commit.
package tx
