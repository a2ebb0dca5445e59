;; setup: a coordination script that creates wallets and mints tokens into them.
;;
;; Arguments (rows of the transaction file):
;;   row 0            "program:wallet"   the wallet program
;;   row 1            [n, 0, 0, 0]       how many wallets to create (at most 64)
;;   then, per token  "program:TOKEN"    the token program
;;                    [w, amount, 0, 0]  mint `amount` bound to the w-th new wallet (from 0)
;; Inputs: none.
;;
;; It creates the wallets in order, resuming each once (command 0, so that it
;; ends at a yield), then each token in order, resumed with [1, wallet] so
;; that it binds itself to its wallet. Ids, from a ledger whose next id is N:
;; this script N, the wallets N+1 .. N+n, then the tokens. The transaction
;; must declare every minted amount in its "mint" map.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111    activation: caller pid, kind, interface id
;;   128..159   one ref row
;;   1024..1055 the wallet program hash
;;   1056..1087 the token program hash of the token being minted
;;   2048..2559 the pids of the wallets created, one word each
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

  (global $n (mut i64) (i64.const 0))    ;; wallets to create
  (global $i (mut i64) (i64.const 0))    ;; wallets created so far
  (global $next (mut i64) (i64.const 2)) ;; argument row of the next token to mint

  (func (export "step")
    (local $ref i64)
    (local $pid i64)
    (local $w i64)
    (local $amount i64)
    (local.set $ref (call $activation (i32.const 64)))
    (if (i64.eqz (i64.load (i32.const 72)))
      (then
        ;; START: read the arguments.
        (call $start (local.get $ref))
        (call $arg (i64.const 0) (i32.const 1024))
        (global.set $n (call $argw (i64.const 1) (i32.const 0)))
        (if (i64.gt_u (global.get $n) (i64.const 64)) (then (unreachable))))
      (else
        ;; Every later step is the yield of the wallet or token resumed last.
        (call $expect (i64.const 2))))

    ;; Next wallet: create it and let it run to its first yield.
    (if (i64.lt_u (global.get $i) (global.get $n))
      (then
        (local.set $pid (call $new_utxo (i32.const 1024) (i64.const 0)))
        (i64.store
          (i32.add (i32.const 2048) (i32.wrap_i64 (i64.shl (global.get $i) (i64.const 3))))
          (local.get $pid))
        (global.set $i (i64.add (global.get $i) (i64.const 1)))
        (call $resume (local.get $pid) (i64.const 0))
        (return)))

    ;; Next token: mint it and bind it to its wallet.
    (if (i64.lt_u (global.get $next) (global.get $narg))
      (then
        (call $arg (global.get $next) (i32.const 1056))
        (local.set $w (call $argw (i64.add (global.get $next) (i64.const 1)) (i32.const 0)))
        (local.set $amount (i64.load (i32.const 136)))
        (if (i64.ge_u (local.get $w) (global.get $n)) (then (unreachable)))
        (global.set $next (i64.add (global.get $next) (i64.const 2)))
        (local.set $pid (call $new_token (i32.const 1056) (i64.const 0) (local.get $amount)))
        (call $resume (local.get $pid)
          (call $cmd (i64.const 1)
            (i64.load (i32.add (i32.const 2048) (i32.wrap_i64 (i64.shl (local.get $w) (i64.const 3)))))
            (i64.const 0) (i64.const 0)))
        (return)))

    ;; Done.
    (call $return))

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
