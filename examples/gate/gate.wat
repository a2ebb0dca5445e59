;; gate: a UTXO that may only run in a transaction that burns a given asset
;; (the example of the Starstream architecture document: permissions as effects).
;;
;; Created with an init ref of one row: the program hash of the asset (a token
;; program) whose burn opens the gate.
;; Resumes (the command ref is ignored):
;;   first resume   read the init ref, yield (no value): the gate is set up
;;   every later    raise the effect "RequireBurn" with the ref [asset hash]; the
;;                  handler answers by resuming the gate with [1, 0, 0, 0] when
;;                  the transaction has burned a token of that asset: the gate
;;                  counts the opening and yields [count, 0, 0, 0]. Any other
;;                  answer: it traps, and the transaction fails.
;; Datum: slot 0 is how many times the gate has opened.
;;
;; As with every effect, the gate trusts whichever coordination script handles
;; it; here, the transaction's own script, which checks its own burns.
;;
;; Interface id of "RequireBurn": its ASCII bytes zero-padded to 32 bytes.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111    activation: caller pid, kind, interface id
;;   128..159   one ref row
;;   160        init: creator pid
;;   256..287   the interface id "RequireBurn"
;;   512        phase: 0 new, 1 set up, 2 waiting for the answer to RequireBurn
;;   520        openings so far
;;   1024..1055 the asset hash
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "init" (func $init (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "set_datum" (func $set_datum (param i64 i64)))
  (import "starstream" "call_effect_handler" (func $call_effect_handler (param i32 i64)))
  (import "starstream" "yield" (func $yield (param i64)))

  (memory (export "memory") 1)
  (data (i32.const 256) "RequireBurn")

  (func (export "step")
    (local $ref i64)
    (local $phase i64)
    (local $count i64)
    (local.set $ref (call $activation (i32.const 64)))
    (if (i64.ne (i64.load (i32.const 72)) (i64.const 1))
      (then (unreachable)))
    (local.set $phase (i64.load (i32.const 512)))

    ;; Phase 0: the first resume. Remember the asset.
    (if (i64.eqz (local.get $phase))
      (then
        (call $ref_get (call $init (i32.const 160)) (i64.const 0) (i32.const 1024))
        (i64.store (i32.const 512) (i64.const 1))
        (call $yield (i64.const 0))
        (return)))

    ;; Phase 1: asked to run. Require the burn first.
    (if (i64.eq (local.get $phase) (i64.const 1))
      (then
        (i64.store (i32.const 512) (i64.const 2))
        (local.set $ref (call $new_ref (i64.const 1)))
        (call $ref_push
          (i64.load (i32.const 1024)) (i64.load (i32.const 1032))
          (i64.load (i32.const 1040)) (i64.load (i32.const 1048)))
        (call $call_effect_handler (i32.const 256) (local.get $ref))
        (return)))

    ;; Phase 2: the answer. [1]: burned, so the gate opens.
    (if (i64.eq (local.get $phase) (i64.const 2))
      (then
        (if (i64.eqz (local.get $ref)) (then (unreachable)))
        (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
        (if (i64.ne (i64.load (i32.const 128)) (i64.const 1)) (then (unreachable)))
        (local.set $count (i64.add (i64.load (i32.const 520)) (i64.const 1)))
        (i64.store (i32.const 520) (local.get $count))
        (call $set_datum (i64.const 0) (local.get $count))
        (i64.store (i32.const 512) (i64.const 1))
        (local.set $ref (call $new_ref (i64.const 1)))
        (call $ref_push (local.get $count) (i64.const 0) (i64.const 0) (i64.const 0))
        (call $yield (local.get $ref))
        (return)))
    (unreachable)))
