;; dex_setup: opens a pool with two fresh reserves and gives a trader a wallet
;; holding some of token A.
;;
;; Inputs:     none
;; Arguments:  row 0 "program:pool"
;;             row 1 "program:A"          the first token program (token_a)
;;             row 2 "program:B"          the second (token_b)
;;             row 3 [ra, rb, 0, 0]        the reserves to mint
;;             row 4 "program:wallet"
;;             row 5 [amount, 0, 0, 0]     the trader's token A
;;
;; Steps, and the ids they create (this script is N):
;;   START        create the pool (N+1), resume it with [0]
;;   YIELD pool   mint reserve A (N+2, ra), resume it with [1, pool]
;;   YIELD        mint reserve B (N+3, rb), resume it with [1, pool]
;;   YIELD        open the pool: resume it with [1, reserve A, reserve B, 0]
;;   YIELD pool   create the trader's wallet (N+4), resume it
;;   YIELD        mint the trader's token A (N+5, amount), resume it with [1, wallet]
;;   YIELD        return
;; Declared mint: A = ra + amount, B = rb.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111    activation: caller pid, kind, interface id
;;   128..159   one ref row
;;   1024 pool, 1056 A, 1088 B, 1120 wallet: program hashes
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "new_utxo" (func $new_utxo (param i32 i64) (result i64)))
  (import "starstream" "new_token" (func $new_token (param i32 i64 i64) (result i64)))
  (import "starstream" "resume" (func $resume (param i64 i64)))
  (import "starstream" "return" (func $return))

  (memory (export "memory") 1)

  (global $phase (mut i32) (i32.const 0))
  (global $pool (mut i64) (i64.const 0))
  (global $a (mut i64) (i64.const 0))
  (global $b (mut i64) (i64.const 0))
  (global $wallet (mut i64) (i64.const 0))

  (func (export "step")
    (local $ref i64)
    (local $t i64)
    (local.set $ref (call $activation (i32.const 64)))
    (if (i32.eqz (global.get $phase))
      (then (call $expect (i64.const 0)))
      (else (call $expect (i64.const 2))))

    ;; Phase 0 (START): read the arguments, create the pool and let it run.
    (if (i32.eqz (global.get $phase))
      (then
        (call $start (local.get $ref))
        (call $arg (i64.const 0) (i32.const 1024))
        (call $arg (i64.const 1) (i32.const 1056))
        (call $arg (i64.const 2) (i32.const 1088))
        (call $arg (i64.const 4) (i32.const 1120))
        (global.set $pool (call $new_utxo (i32.const 1024) (i64.const 0)))
        (global.set $phase (i32.const 1))
        (call $resume (global.get $pool) (i64.const 0))
        (return)))

    ;; Phase 1: mint reserve A for the pool.
    (if (i32.eq (global.get $phase) (i32.const 1))
      (then
        (global.set $a (call $new_token (i32.const 1056) (i64.const 0)
          (call $argw (i64.const 3) (i32.const 0))))
        (global.set $phase (i32.const 2))
        (call $resume (global.get $a)
          (call $cmd (i64.const 1) (global.get $pool) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 2: mint reserve B for the pool.
    (if (i32.eq (global.get $phase) (i32.const 2))
      (then
        (global.set $b (call $new_token (i32.const 1088) (i64.const 0)
          (call $argw (i64.const 3) (i32.const 1))))
        (global.set $phase (i32.const 3))
        (call $resume (global.get $b)
          (call $cmd (i64.const 1) (global.get $pool) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 3: open the pool on its two reserves.
    (if (i32.eq (global.get $phase) (i32.const 3))
      (then
        (global.set $phase (i32.const 4))
        (call $resume (global.get $pool)
          (call $cmd (i64.const 1) (global.get $a) (global.get $b) (i64.const 0)))
        (return)))

    ;; Phase 4: the trader's wallet.
    (if (i32.eq (global.get $phase) (i32.const 4))
      (then
        (global.set $wallet (call $new_utxo (i32.const 1120) (i64.const 0)))
        (global.set $phase (i32.const 5))
        (call $resume (global.get $wallet) (i64.const 0))
        (return)))

    ;; Phase 5: the trader's token A.
    (if (i32.eq (global.get $phase) (i32.const 5))
      (then
        (local.set $t (call $new_token (i32.const 1056) (i64.const 0)
          (call $argw (i64.const 5) (i32.const 0))))
        (global.set $phase (i32.const 6))
        (call $resume (local.get $t)
          (call $cmd (i64.const 1) (global.get $wallet) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 6: done.
    (if (i32.eq (global.get $phase) (i32.const 6))
      (then
        (global.set $phase (i32.const 7))
        (call $return)
        (return)))
    (unreachable))

  ;; ---- helpers shared by the coordination scripts of the examples ----------
  ;; (WAT has no include: each coordination script carries its own copy.)

  (global $init (mut i64) (i64.const 0)) ;; the transaction's arguments: the init ref
  (global $nin (mut i64) (i64.const 0))  ;; how many inputs the transaction lists
  (global $narg (mut i64) (i64.const 0)) ;; how many argument rows it has

  ;; The first step (kind START): remember the init ref and its header row
  ;; [number of inputs, number of argument rows, 0, 0].
  (func $start (param $ref i64)
    (global.set $init (local.get $ref))
    (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
    (global.set $nin (i64.load (i32.const 128)))
    (global.set $narg (i64.load (i32.const 136))))

  ;; The pid of input i (row 1+i of the init ref is [pid, version, 0, 0]).
  (func $input (param $i i64) (result i64)
    (if (i64.ge_u (local.get $i) (global.get $nin)) (then (unreachable)))
    (call $ref_get (global.get $init) (i64.add (local.get $i) (i64.const 1)) (i32.const 128))
    (i64.load (i32.const 128)))

  ;; Copy argument row i (four words, e.g. a program hash) to memory at out.
  (func $arg (param $i i64) (param $out i32)
    (if (i64.ge_u (local.get $i) (global.get $narg)) (then (unreachable)))
    (call $ref_get (global.get $init)
      (i64.add (i64.add (local.get $i) (i64.const 1)) (global.get $nin))
      (local.get $out)))

  ;; Word k of argument row i.
  (func $argw (param $i i64) (param $k i32) (result i64)
    (call $arg (local.get $i) (i32.const 128))
    (i64.load (i32.add (i32.const 128) (i32.shl (local.get $k) (i32.const 3)))))

  ;; A new one-row ref [a, b, c, d]: the commands and answers of the examples.
  (func $cmd (param $a i64) (param $b i64) (param $c i64) (param $d i64) (result i64)
    (local $ref i64)
    (local.set $ref (call $new_ref (i64.const 1)))
    (call $ref_push (local.get $a) (local.get $b) (local.get $c) (local.get $d))
    (local.get $ref))

  ;; Trap unless this step's activation is of the given kind.
  (func $expect (param $kind i64)
    (if (i64.ne (i64.load (i32.const 72)) (local.get $kind)) (then (unreachable))))
)
