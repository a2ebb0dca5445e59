// Package ledger is the persistent Starstream ledger of ssprove: the deployed programs, the
// UTXOs and tokens at rest, the ids that were burned and the record of every transaction, in
// one bbolt file (dir/ledger.db).
//
// Every change is one bbolt read-write transaction. Apply checks a whole Commit (the effect
// of one executed ssprove transaction) inside that transaction and writes it only when every
// rule holds, so a commit that breaks a rule, is cancelled, or whose process is killed while
// it is being written leaves the ledger exactly as it was: bbolt switches to the new state by
// writing a single meta page after everything else is on disk.
//
// # Ids and versions
//
// A UTXO or token keeps its id from the transaction that creates it to the one that burns
// it, and ids are never reused: the ledger keeps the allocator (NextID, starting at 1) and a
// transaction owns the ids it advanced the allocator past. A UTXO created by a transaction is
// at rest at version 0; each transaction that consumes it writes version v+1 or burns it.
// A burned id is remembered with the transaction that burned it, so that a late attempt to
// spend it says by whom (SpentError).
//
// # File layout
//
// Buckets, with big-endian integer keys so that cursors walk them in numeric order:
//
//	meta      "format" → "ssprove/ledger"; "schema" → uint32; "next" → uint64 (NextID);
//	          "seq" → uint64 (changes so far: deploys and commits)
//	programs  hash (32 bytes, Hash.Bytes) → program record
//	names     name → hash
//	utxos     id (uint64) → UTXO record
//	owned     owner id ‖ token id (uint64s) → empty: the tokens bound to each UTXO
//	spent     id → spent record (last version, burning tx)
//	txs       tx hash → tx record (seq, opaque record)
//	txlog     seq → tx hash, the order in which transactions were applied
//
// Check walks the whole file and verifies that the buckets agree with each other, for
// `ssprove ledger check` and for the tests.
//
// Records are encoded with encoding/binary, little-endian and length-prefixed, each starting
// with a one-byte record version; codec.go gives the exact layouts.
package ledger
