;; listing: a UTXO that holds an NFT for sale until someone buys it.
;;
;; Created by list_coord with an init ref of two rows:
;;   row 0  [nft, price, seller, 0]  the NFT token (bound to the listing), its
;;                                   price, and the seller's wallet
;;   row 1  currency                 the program hash of the token to pay in
;; Commands (row 0 of the resume ref; ref 0 reads as command 0):
;;   first resume (any command)  read the init ref, yield [nft, price, seller, 0]
;;   [0, 0, 0, 0]                yield [nft, price, seller, 0]
;;   [1, buyer, 0, 0]            buy: raise the effect "Payment" with the ref
;;                                 row 0 [seller, price, nft, buyer]
;;                                 row 1 currency
;;                               asking the coordination script to confirm that
;;                               it paid `price` in `currency` to `seller`. The
;;                               handler answers by resuming the listing with
;;                               [1, 0, 0, 0] (paid): the listing unbinds the
;;                               NFT and burns itself, and the coordination
;;                               script binds the NFT to the buyer; any other
;;                               answer: the listing traps, so the whole
;;                               transaction fails.
;;   anything else               trap
;; Datum: slot 0 nft, slot 1 price, slot 2 seller.
;;
;; Interface id of "Payment": the ASCII bytes of the name, zero-padded to 32
;; bytes (four little-endian words), the convention of all the examples.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111   activation: caller pid, kind, interface id
;;   128..159  one ref row
;;   160       init: creator pid
;;   256..287  the interface id "Payment"
;;   512       phase: 0 new, 1 listed, 2 waiting for the answer to Payment
;;   520       nft pid, 528 price, 536 seller pid
;;   544..575  currency program hash
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "init" (func $init (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "set_datum" (func $set_datum (param i64 i64)))
  (import "starstream" "call_effect_handler" (func $call_effect_handler (param i32 i64)))
  (import "starstream" "unbind" (func $unbind (param i64)))
  (import "starstream" "yield" (func $yield (param i64)))
  (import "starstream" "burn" (func $burn))

  (memory (export "memory") 1)
  (data (i32.const 256) "Payment")

  ;; The ref [nft, price, seller, 0] the listing yields.
  (func $info (result i64)
    (local $ref i64)
    (local.set $ref (call $new_ref (i64.const 1)))
    (call $ref_push
      (i64.load (i32.const 520)) (i64.load (i32.const 528)) (i64.load (i32.const 536)) (i64.const 0))
    (local.get $ref))

  (func (export "step")
    (local $ref i64)
    (local $phase i64)
    (local $cmd i64)
    (local $pay i64)
    (local.set $ref (call $activation (i32.const 64)))
    ;; Both the coordination script's commands and the handler's answer are resumes.
    (if (i64.ne (i64.load (i32.const 72)) (i64.const 1))
      (then (unreachable)))
    (local.set $phase (i64.load (i32.const 512)))
    (if (i64.ne (local.get $ref) (i64.const 0))
      (then
        (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
        (local.set $cmd (i64.load (i32.const 128)))))

    ;; Phase 0: the first resume. Remember the terms of the sale.
    (if (i64.eqz (local.get $phase))
      (then
        (local.set $ref (call $init (i32.const 160)))
        (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
        (i64.store (i32.const 520) (i64.load (i32.const 128)))
        (i64.store (i32.const 528) (i64.load (i32.const 136)))
        (i64.store (i32.const 536) (i64.load (i32.const 144)))
        (call $ref_get (local.get $ref) (i64.const 1) (i32.const 544))
        (call $set_datum (i64.const 0) (i64.load (i32.const 520)))
        (call $set_datum (i64.const 1) (i64.load (i32.const 528)))
        (call $set_datum (i64.const 2) (i64.load (i32.const 536)))
        (i64.store (i32.const 512) (i64.const 1))
        (call $yield (call $info))
        (return)))

    ;; Phase 1: listed, waiting for a command.
    (if (i64.eq (local.get $phase) (i64.const 1))
      (then
        ;; [0]: show the terms.
        (if (i64.eqz (local.get $cmd))
          (then
            (call $yield (call $info))
            (return)))
        ;; [1, buyer]: ask the coordination script to confirm the payment.
        (if (i64.eq (local.get $cmd) (i64.const 1))
          (then
            (i64.store (i32.const 512) (i64.const 2))
            (local.set $pay (call $new_ref (i64.const 2)))
            (call $ref_push
              (i64.load (i32.const 536)) (i64.load (i32.const 528))
              (i64.load (i32.const 520)) (i64.load (i32.const 136)))
            (call $ref_push
              (i64.load (i32.const 544)) (i64.load (i32.const 552))
              (i64.load (i32.const 560)) (i64.load (i32.const 568)))
            (call $call_effect_handler (i32.const 256) (local.get $pay))
            (return)))
        (unreachable)))

    ;; Phase 2: the answer to Payment. [1]: paid, so hand over the NFT and end.
    (if (i64.eq (local.get $phase) (i64.const 2))
      (then
        (if (i64.ne (local.get $cmd) (i64.const 1))
          (then (unreachable)))
        (call $unbind (i64.load (i32.const 520)))
        (call $burn)
        (return)))
    (unreachable)))
