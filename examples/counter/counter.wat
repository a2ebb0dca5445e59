;; counter: a UTXO that counts how many times it has been resumed, across
;; transactions.
;;
;; Every resume (whatever its ref) adds one to the count, which the counter
;; keeps in its memory (at 512: the memory of a UTXO is saved in the ledger
;; when it yields and restored at its next resume) and also publishes in datum
;; slot 0, where `ssprove ledger show` displays it. It then yields a one-row
;; ref [count, 0, 0, 0].
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111  activation: caller pid, kind, interface id
;;   512      the count (state: kept between transactions)
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "set_datum" (func $set_datum (param i64 i64)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "yield" (func $yield (param i64)))

  (memory (export "memory") 1)

  (func (export "step")
    (local $count i64)
    (local $ref i64)
    (drop (call $activation (i32.const 64)))
    ;; Only a coordination script's resume (kind 1) runs a counter.
    (if (i64.ne (i64.load (i32.const 72)) (i64.const 1))
      (then (unreachable)))

    (local.set $count (i64.add (i64.load (i32.const 512)) (i64.const 1)))
    (i64.store (i32.const 512) (local.get $count))
    (call $set_datum (i64.const 0) (local.get $count))

    (local.set $ref (call $new_ref (i64.const 1)))
    (call $ref_push (local.get $count) (i64.const 0) (i64.const 0) (i64.const 0))
    (call $yield (local.get $ref))))
