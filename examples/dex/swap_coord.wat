;; swap_coord: one swap on a pool, and the handler of its "Settle" effect.
;;
;; Inputs:     [pool, trader wallet, t, reserve A, reserve B]
;;             t is the trader's token to swap, bound to the trader's wallet;
;;             the reserves are only listed so that the transaction may burn them.
;; Arguments:  row 0 [min_out, 0, 0, 0]   the least the trader accepts (0: any)
;;
;; Steps, and the ids they create (this script is N):
;;   START          install the handler of "Settle"; resume the wallet with
;;                  [1, t]: it unbinds t
;;   YIELD wallet   resume the pool with [2, t, amount(t), min_out]
;;   EFFECT Settle  the pool has unbound its reserves and asks:
;;                    row 0 [amount_in, amount_out, side, 0]
;;                    row 1 [old in-side reserve, old other-side reserve, t, 0]
;;                    row 2 [new in-side reserve amount, new other-side reserve amount, 0, 0]
;;                  burn the old in-side reserve ([2])
;;   BURN           burn the old other-side reserve
;;   BURN           burn t
;;   BURN           mint the new in-side reserve (N+1), bind it to the pool ([1, pool])
;;   YIELD          mint the new other-side reserve (N+2), bind it to the pool
;;   YIELD          mint the trader's output (N+3, amount_out), bind it to the wallet
;;   YIELD          answer the pool [N+1, N+2, N+3, 0]
;;   YIELD pool     [amount_out, reserve A, reserve B, 0]: uninstall, return
;; The new tokens are of the programs of the old reserves (program_hash).
;; Declared amounts, in-side program I, other side O, reserves rin, rout:
;;   burn I = rin + amount_in, O = rout;  mint I = rin + amount_in, O = rout.
;;
;; Interface id of "Settle": its ASCII bytes zero-padded to 32 bytes.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111    activation: caller pid, kind, interface id (80..111)
;;   128..159   one ref row
;;   256..287   the interface id "Settle"
;;   1024..1055 the in-side token program, 1056..1087 the other side's
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "new_token" (func $new_token (param i32 i64 i64) (result i64)))
  (import "starstream" "program_hash" (func $program_hash (param i64 i32)))
  (import "starstream" "amount" (func $amount (param i64) (result i64)))
  (import "starstream" "install_handler" (func $install_handler (param i32)))
  (import "starstream" "uninstall_handler" (func $uninstall_handler (param i32)))
  (import "starstream" "resume" (func $resume (param i64 i64)))
  (import "starstream" "return" (func $return))

  (memory (export "memory") 1)
  (data (i32.const 256) "Settle")

  (global $phase (mut i32) (i32.const 0))
  (global $pool (mut i64) (i64.const 0))
  (global $wallet (mut i64) (i64.const 0))
  (global $t (mut i64) (i64.const 0))        ;; the trader's input token
  (global $out (mut i64) (i64.const 0))      ;; amount_out
  (global $old_in (mut i64) (i64.const 0))   ;; the reserves to burn
  (global $old_out (mut i64) (i64.const 0))
  (global $rin (mut i64) (i64.const 0))      ;; the new reserves' amounts
  (global $rout (mut i64) (i64.const 0))
  (global $new_in (mut i64) (i64.const 0))   ;; the tokens minted
  (global $new_out (mut i64) (i64.const 0))
  (global $payout (mut i64) (i64.const 0))

  ;; The kind of activation each phase runs on: START, YIELD (wallet), EFFECT,
  ;; BURN x3, YIELD x4.
  (data (i32.const 512) "\00\02\05\03\03\03\02\02\02\02")

  (func (export "step")
    (local $ref i64)
    (local.set $ref (call $activation (i32.const 64)))
    (if (i32.ge_u (global.get $phase) (i32.const 10)) (then (unreachable)))
    (call $expect (i64.load8_u (i32.add (i32.const 512) (global.get $phase))))

    ;; Phase 0 (START): handle Settle; the trader's wallet lets go of t.
    (if (i32.eqz (global.get $phase))
      (then
        (call $start (local.get $ref))
        (global.set $pool (call $input (i64.const 0)))
        (global.set $wallet (call $input (i64.const 1)))
        (global.set $t (call $input (i64.const 2)))
        (call $install_handler (i32.const 256))
        (global.set $phase (i32.const 1))
        (call $resume (global.get $wallet)
          (call $cmd (i64.const 1) (global.get $t) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 1 (YIELD from the wallet): swap.
    (if (i32.eq (global.get $phase) (i32.const 1))
      (then
        (global.set $phase (i32.const 2))
        (call $resume (global.get $pool)
          (call $cmd (i64.const 2) (global.get $t) (call $amount (global.get $t))
            (call $argw (i64.const 0) (i32.const 0))))
        (return)))

    ;; Phase 2 (EFFECT Settle from the pool): read the bill, burn the first old reserve.
    (if (i32.eq (global.get $phase) (i32.const 2))
      (then
        (if (i32.eqz (call $eq32 (i32.const 80) (i32.const 256))) (then (unreachable)))
        (if (i64.ne (i64.load (i32.const 64)) (global.get $pool)) (then (unreachable)))
        (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
        (global.set $out (i64.load (i32.const 136)))
        (call $ref_get (local.get $ref) (i64.const 1) (i32.const 128))
        (global.set $old_in (i64.load (i32.const 128)))
        (global.set $old_out (i64.load (i32.const 136)))
        (if (i64.ne (i64.load (i32.const 144)) (global.get $t)) (then (unreachable)))
        (call $ref_get (local.get $ref) (i64.const 2) (i32.const 128))
        (global.set $rin (i64.load (i32.const 128)))
        (global.set $rout (i64.load (i32.const 136)))
        (call $program_hash (global.get $old_in) (i32.const 1024))
        (call $program_hash (global.get $old_out) (i32.const 1056))
        (global.set $phase (i32.const 3))
        (call $resume (global.get $old_in) (call $burn_cmd))
        (return)))

    ;; Phase 3 (BURN): burn the other old reserve.
    (if (i32.eq (global.get $phase) (i32.const 3))
      (then
        (global.set $phase (i32.const 4))
        (call $resume (global.get $old_out) (call $burn_cmd))
        (return)))

    ;; Phase 4 (BURN): burn the trader's input.
    (if (i32.eq (global.get $phase) (i32.const 4))
      (then
        (global.set $phase (i32.const 5))
        (call $resume (global.get $t) (call $burn_cmd))
        (return)))

    ;; Phase 5 (BURN): mint the new in-side reserve, for the pool.
    (if (i32.eq (global.get $phase) (i32.const 5))
      (then
        (global.set $new_in (call $new_token (i32.const 1024) (i64.const 0) (global.get $rin)))
        (global.set $phase (i32.const 6))
        (call $resume (global.get $new_in)
          (call $cmd (i64.const 1) (global.get $pool) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 6 (YIELD): mint the new other-side reserve, for the pool.
    (if (i32.eq (global.get $phase) (i32.const 6))
      (then
        (global.set $new_out (call $new_token (i32.const 1056) (i64.const 0) (global.get $rout)))
        (global.set $phase (i32.const 7))
        (call $resume (global.get $new_out)
          (call $cmd (i64.const 1) (global.get $pool) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 7 (YIELD): mint the trader's output, for the trader's wallet.
    (if (i32.eq (global.get $phase) (i32.const 7))
      (then
        (global.set $payout (call $new_token (i32.const 1056) (i64.const 0) (global.get $out)))
        (global.set $phase (i32.const 8))
        (call $resume (global.get $payout)
          (call $cmd (i64.const 1) (global.get $wallet) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 8 (YIELD): answer the pool.
    (if (i32.eq (global.get $phase) (i32.const 8))
      (then
        (global.set $phase (i32.const 9))
        (call $resume (global.get $pool)
          (call $cmd (global.get $new_in) (global.get $new_out) (global.get $payout) (i64.const 0)))
        (return)))

    ;; Phase 9 (YIELD from the pool): done.
    (if (i64.ne (i64.load (i32.const 64)) (global.get $pool)) (then (unreachable)))
    (global.set $phase (i32.const 10))
    (call $uninstall_handler (i32.const 256))
    (call $return))

  ;; The command [2, 0, 0, 0]: burn.
  (func $burn_cmd (result i64)
    (call $cmd (i64.const 2) (i64.const 0) (i64.const 0) (i64.const 0)))

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

  ;; 1 if the 32 bytes (four words: a hash or an interface id) at p and q are equal.
  (func $eq32 (param $p i32) (param $q i32) (result i32)
    (i32.and
      (i32.and
        (i64.eq (i64.load (local.get $p)) (i64.load (local.get $q)))
        (i64.eq (i64.load offset=8 (local.get $p)) (i64.load offset=8 (local.get $q))))
      (i32.and
        (i64.eq (i64.load offset=16 (local.get $p)) (i64.load offset=16 (local.get $q)))
        (i64.eq (i64.load offset=24 (local.get $p)) (i64.load offset=24 (local.get $q))))))
)
