;; permissioned: a fungible token that may only be bound to allowed owners.
;;
;; The same protocol as the C token (examples/c/token.c), except that binding
;; asks first. Commands (row 0 of the resume ref):
;;   [1, owner, 0, 0]  raise the effect "AllowList" with the ref [owner, 0, 0, 0];
;;                     the handler answers by resuming the token with [1, 0, 0, 0]
;;                     (allowed): the token binds itself to owner and yields
;;                     (no value); any other answer: it traps, and the
;;                     transaction fails
;;   [2, 0, 0, 0]      burn
;;   anything else     trap
;; Datum: slot 0 is the owner the token last bound itself to.
;;
;; Who decides: whatever coordination script handles AllowList innermost. In
;; this example that is the transaction's own script, with the allow list in
;; its arguments, which only shows the mechanics. A real issuer would pin the
;; policy, e.g. keep the hash of its compliance script in the token's memory at
;; mint and compare it with program_hash(get_handler_for("AllowList")).
;;
;; Interface id of "AllowList": its ASCII bytes zero-padded to 32 bytes.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111   activation: caller pid, kind, interface id
;;   128..159  one ref row
;;   256..287  the interface id "AllowList"
;;   512       phase: 0 idle, 1 waiting for the answer to AllowList
;;   520       the owner asked for
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "set_datum" (func $set_datum (param i64 i64)))
  (import "starstream" "call_effect_handler" (func $call_effect_handler (param i32 i64)))
  (import "starstream" "bind" (func $bind (param i64)))
  (import "starstream" "yield" (func $yield (param i64)))
  (import "starstream" "burn" (func $burn))

  (memory (export "memory") 1)
  (data (i32.const 256) "AllowList")

  (func (export "step")
    (local $ref i64)
    (local $cmd i64)
    (local.set $ref (call $activation (i32.const 64)))
    ;; Commands and the handler's answer are both resumes, and always carry a ref.
    (if (i64.ne (i64.load (i32.const 72)) (i64.const 1))
      (then (unreachable)))
    (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
    (local.set $cmd (i64.load (i32.const 128)))

    ;; Phase 1: the answer to AllowList.
    (if (i64.eq (i64.load (i32.const 512)) (i64.const 1))
      (then
        (if (i64.ne (local.get $cmd) (i64.const 1))
          (then (unreachable)))
        (i64.store (i32.const 512) (i64.const 0))
        (call $bind (i64.load (i32.const 520)))
        (call $set_datum (i64.const 0) (i64.load (i32.const 520)))
        (call $yield (i64.const 0))
        (return)))

    ;; [1, owner]: ask whether owner may hold the token.
    (if (i64.eq (local.get $cmd) (i64.const 1))
      (then
        (i64.store (i32.const 520) (i64.load (i32.const 136)))
        (i64.store (i32.const 512) (i64.const 1))
        (local.set $ref (call $new_ref (i64.const 1)))
        (call $ref_push (i64.load (i32.const 520)) (i64.const 0) (i64.const 0) (i64.const 0))
        (call $call_effect_handler (i32.const 256) (local.get $ref))
        (return)))

    ;; [2]: burn.
    (if (i64.eq (local.get $cmd) (i64.const 2))
      (then
        (call $burn)
        (return)))
    (unreachable)))
