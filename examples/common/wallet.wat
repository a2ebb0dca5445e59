;; wallet: a UTXO that owns tokens.
;;
;; A wallet does nothing on its own: tokens bind themselves to it (bind is
;; called by the token), and a coordination script moves them out again by
;; telling the wallet to unbind them. Every step is one command, the first row
;; of the ref it was resumed with (ref 0 reads as command 0):
;;
;;   [0, 0, 0, 0]      just yield: the first resume, right after creation
;;   [1, token, 0, 0]  unbind `token` (the wallet must own it), then yield
;;   [2, 0, 0, 0]      burn the wallet; it must own no tokens any more, so the
;;                     coordination script unbinds them first
;;   anything else     trap
;;
;; A wallet yields no value (ref 0). It has no state and no authentication:
;; the ABI has no signatures yet, so whoever lists a wallet as an input of a
;; transaction may move its tokens.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111   activation: caller pid, kind, interface id (4 words)
;;   128..159  one ref row
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "unbind" (func $unbind (param i64)))
  (import "starstream" "yield" (func $yield (param i64)))
  (import "starstream" "burn" (func $burn))

  (memory (export "memory") 1)

  (func (export "step")
    (local $ref i64)
    (local $cmd i64)
    (local.set $ref (call $activation (i32.const 64)))
    ;; A wallet is only ever resumed by a coordination script (kind 1, RESUME).
    (if (i64.ne (i64.load (i32.const 72)) (i64.const 1))
      (then (unreachable)))
    ;; The command: row 0 of the ref, or 0 without one.
    (if (i64.ne (local.get $ref) (i64.const 0))
      (then
        (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
        (local.set $cmd (i64.load (i32.const 128)))))

    ;; [0]: yield.
    (if (i64.eqz (local.get $cmd))
      (then
        (call $yield (i64.const 0))
        (return)))
    ;; [1, token]: unbind the token, then yield.
    (if (i64.eq (local.get $cmd) (i64.const 1))
      (then
        (call $unbind (i64.load (i32.const 136)))
        (call $yield (i64.const 0))
        (return)))
    ;; [2]: burn.
    (if (i64.eq (local.get $cmd) (i64.const 2))
      (then
        (call $burn)
        (return)))
    (unreachable)))
