;; buy_coord: buys a listed NFT, paying with one token, and handles "Payment".
;;
;; Inputs:     [listing, buyer wallet, payment token, seller wallet, nft]
;;             (the last two are only listed so that the transaction may touch
;;             them: the seller's wallet receives the payment, the NFT moves)
;; Arguments:  none
;;
;; Steps:
;;   START          install the handler of "Payment"; resume the buyer's wallet
;;                  with [1, payment]: it unbinds the payment token
;;   YIELD wallet   resume the listing with [1, buyer] (buy)
;;   EFFECT Payment the listing asks: row 0 [seller, price, nft, buyer], row 1 currency.
;;                  If the payment token is of the currency and holds at least the
;;                  price, pay: resume it with [1, seller], so it binds itself to
;;                  the seller. Otherwise answer the listing [0] at once (it traps:
;;                  the transaction fails).
;;   YIELD payment  answer the listing [1]: paid
;;   BURN listing   it has unbound the NFT: resume the NFT with [1, buyer]
;;   YIELD nft      uninstall the handler, return
;; The whole payment token goes to the seller: there is no change.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111    activation: caller pid, kind, interface id (80..111)
;;   128..159   one ref row
;;   256..287   the interface id "Payment" (ASCII, zero-padded)
;;   1024..1055 the currency the listing asks for
;;   1056..1087 the program hash of the payment token
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "program_hash" (func $program_hash (param i64 i32)))
  (import "starstream" "amount" (func $amount (param i64) (result i64)))
  (import "starstream" "install_handler" (func $install_handler (param i32)))
  (import "starstream" "uninstall_handler" (func $uninstall_handler (param i32)))
  (import "starstream" "resume" (func $resume (param i64 i64)))
  (import "starstream" "return" (func $return))

  (memory (export "memory") 1)
  (data (i32.const 256) "Payment")

  (global $phase (mut i32) (i32.const 0))
  (global $listing (mut i64) (i64.const 0))
  (global $buyer (mut i64) (i64.const 0))
  (global $pay (mut i64) (i64.const 0))
  (global $seller (mut i64) (i64.const 0))
  (global $nft (mut i64) (i64.const 0))

  (func (export "step")
    (local $ref i64)
    (local $price i64)
    (local.set $ref (call $activation (i32.const 64)))

    ;; Phase 0 (START): handle Payment; the buyer's wallet lets go of the payment.
    (if (i32.eqz (global.get $phase))
      (then
        (call $expect (i64.const 0))
        (call $start (local.get $ref))
        (global.set $listing (call $input (i64.const 0)))
        (global.set $buyer (call $input (i64.const 1)))
        (global.set $pay (call $input (i64.const 2)))
        (call $install_handler (i32.const 256))
        (global.set $phase (i32.const 1))
        (call $resume (global.get $buyer)
          (call $cmd (i64.const 1) (global.get $pay) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 1 (YIELD from the wallet): buy.
    (if (i32.eq (global.get $phase) (i32.const 1))
      (then
        (call $expect (i64.const 2))
        (global.set $phase (i32.const 2))
        (call $resume (global.get $listing)
          (call $cmd (i64.const 1) (global.get $buyer) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 2 (EFFECT Payment from the listing): pay the seller, or refuse.
    (if (i32.eq (global.get $phase) (i32.const 2))
      (then
        (call $expect (i64.const 5))
        (if (i32.eqz (call $eq32 (i32.const 80) (i32.const 256))) (then (unreachable)))
        (if (i64.ne (i64.load (i32.const 64)) (global.get $listing)) (then (unreachable)))
        (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
        (global.set $seller (i64.load (i32.const 128)))
        (local.set $price (i64.load (i32.const 136)))
        (global.set $nft (i64.load (i32.const 144)))
        (call $ref_get (local.get $ref) (i64.const 1) (i32.const 1024))
        (call $program_hash (global.get $pay) (i32.const 1056))
        (if (i32.and
              (call $eq32 (i32.const 1024) (i32.const 1056))
              (i64.ge_u (call $amount (global.get $pay)) (local.get $price)))
          (then
            (global.set $phase (i32.const 3))
            (call $resume (global.get $pay)
              (call $cmd (i64.const 1) (global.get $seller) (i64.const 0) (i64.const 0))))
          (else
            ;; Not paid: say so. The listing traps, and the transaction with it.
            (global.set $phase (i32.const 6))
            (call $resume (global.get $listing)
              (call $cmd (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)))))
        (return)))

    ;; Phase 3 (YIELD from the payment token, now the seller's): confirm.
    (if (i32.eq (global.get $phase) (i32.const 3))
      (then
        (call $expect (i64.const 2))
        (global.set $phase (i32.const 4))
        (call $resume (global.get $listing)
          (call $cmd (i64.const 1) (i64.const 0) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 4 (BURN of the listing): the NFT, now unbound, goes to the buyer.
    (if (i32.eq (global.get $phase) (i32.const 4))
      (then
        (call $expect (i64.const 3))
        (global.set $phase (i32.const 5))
        (call $resume (global.get $nft)
          (call $cmd (i64.const 1) (global.get $buyer) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 5 (YIELD from the NFT): done.
    (if (i32.eq (global.get $phase) (i32.const 5))
      (then
        (call $expect (i64.const 2))
        (global.set $phase (i32.const 6))
        (call $uninstall_handler (i32.const 256))
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
