;; pool: a constant-product market maker (x * y = k) between two token programs.
;;
;; The pool is a UTXO that owns exactly two tokens, its reserves: one of
;; program A and one of program B (A and B are fixed when it opens: whatever
;; the programs of its first two reserve tokens are). A swap never splits a
;; token in place: the coordination script burns the old reserves and the
;; trader's input, and mints new reserves and the trader's output, so that per
;; token program the amounts minted equal the amounts burned.
;;
;; Commands (row 0 of the resume ref; ref 0 reads as command 0):
;;   [0, 0, 0, 0]               yield [0, reserve A, reserve B, 0]
;;   [1, a, b, 0]               open (once, first): the tokens a and b, already
;;                              bound to the pool, are its reserves; yield as [0]
;;   [2, t, amount_in, min_out] swap: t is an unbound token of program A or B
;;                              holding exactly amount_in. With (rin, rout) the
;;                              reserves on t's side and on the other side:
;;                                amount_out = rout * amount_in / (rin + amount_in)
;;                              (rounded down; trap if 0 or below min_out). The
;;                              pool unbinds both reserves and raises "Settle":
;;                                row 0 [amount_in, amount_out, side of t (0 A, 1 B), 0]
;;                                row 1 [old reserve on t's side, old reserve on the other side, t, 0]
;;                                row 2 [new reserve on t's side = rin + amount_in,
;;                                       new reserve on the other side = rout - amount_out, 0, 0]
;;                              The handler must burn the two old reserves and t,
;;                              mint the two new reserves bound to the pool and a
;;                              token of amount_out (other side's program) for the
;;                              trader, and answer [new in-side reserve, new
;;                              other-side reserve, trader's token, 0]. The pool
;;                              checks the programs and amounts of all three and
;;                              yields [amount_out, reserve A, reserve B, 0].
;;   anything else              trap
;; Datum: slot 0 reserve A, 1 reserve B, 2 pid of the A reserve, 3 pid of the B reserve.
;;
;; What the pool cannot check: that the new reserves are bound to it (the ABI
;; has no call that says who owns a token) and that t was really burned. Both
;; are up to the coordination script (and the declared mint/burn amounts).
;; Amounts are assumed below 2^32, so that rout * amount_in does not overflow.
;;
;; Interface id of "Settle": its ASCII bytes zero-padded to 32 bytes.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111    activation: caller pid, kind, interface id
;;   128..159   one ref row
;;   256..287   the interface id "Settle"
;;   512        phase: 0 not open, 1 open, 2 waiting for the answer to Settle
;;   520, 528   pid of the reserve of side 0 (A), side 1 (B)
;;   536, 544   amount of the reserve of side 0, side 1
;;   552        the swap in progress: side of its input, 560 amount_in, 568 amount_out
;;   1024..1055 program A, 1056..1087 program B, 1088..1119 scratch hash
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "program_hash" (func $program_hash (param i64 i32)))
  (import "starstream" "amount" (func $amount (param i64) (result i64)))
  (import "starstream" "set_datum" (func $set_datum (param i64 i64)))
  (import "starstream" "call_effect_handler" (func $call_effect_handler (param i32 i64)))
  (import "starstream" "unbind" (func $unbind (param i64)))
  (import "starstream" "yield" (func $yield (param i64)))

  (memory (export "memory") 1)
  (data (i32.const 256) "Settle")

  ;; Addresses of the state of side s (0 or 1).
  (func $pid (param $s i64) (result i32)
    (i32.add (i32.const 520) (i32.shl (i32.wrap_i64 (local.get $s)) (i32.const 3))))
  (func $amt (param $s i64) (result i32)
    (i32.add (i32.const 536) (i32.shl (i32.wrap_i64 (local.get $s)) (i32.const 3))))
  (func $hash (param $s i64) (result i32)
    (i32.add (i32.const 1024) (i32.shl (i32.wrap_i64 (local.get $s)) (i32.const 5))))

  ;; Trap unless token t is of the program of side s and holds exactly want.
  (func $check (param $t i64) (param $s i64) (param $want i64)
    (call $program_hash (local.get $t) (i32.const 1088))
    (if (i32.eqz (call $eq32 (i32.const 1088) (call $hash (local.get $s))))
      (then (unreachable)))
    (if (i64.ne (call $amount (local.get $t)) (local.get $want))
      (then (unreachable))))

  ;; Publish the reserves in the datum; yield [first, reserve A, reserve B, 0].
  (func $publish_and_yield (param $first i64)
    (local $ref i64)
    (call $set_datum (i64.const 0) (i64.load (i32.const 536)))
    (call $set_datum (i64.const 1) (i64.load (i32.const 544)))
    (call $set_datum (i64.const 2) (i64.load (i32.const 520)))
    (call $set_datum (i64.const 3) (i64.load (i32.const 528)))
    (local.set $ref (call $new_ref (i64.const 1)))
    (call $ref_push (local.get $first) (i64.load (i32.const 536)) (i64.load (i32.const 544)) (i64.const 0))
    (call $yield (local.get $ref)))

  (func (export "step")
    (local $ref i64)
    (local $phase i64)
    (local $cmd i64)
    (local $t i64)
    (local $in i64)
    (local $min i64)
    (local $d i64)
    (local $o i64)
    (local $rin i64)
    (local $rout i64)
    (local $out i64)
    (local.set $ref (call $activation (i32.const 64)))
    ;; Commands and the answer to Settle are all resumes.
    (if (i64.ne (i64.load (i32.const 72)) (i64.const 1))
      (then (unreachable)))
    (local.set $phase (i64.load (i32.const 512)))
    (if (i64.ne (local.get $ref) (i64.const 0))
      (then
        (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
        (local.set $cmd (i64.load (i32.const 128)))))

    ;; Phase 2: the answer to Settle, [new in-side reserve, new other-side reserve, trader's token].
    (if (i64.eq (local.get $phase) (i64.const 2))
      (then
        (local.set $d (i64.load (i32.const 552)))
        (local.set $o (i64.sub (i64.const 1) (local.get $d)))
        (local.set $in (i64.load (i32.const 560)))
        (local.set $out (i64.load (i32.const 568)))
        (local.set $rin (i64.add (i64.load (call $amt (local.get $d))) (local.get $in)))
        (local.set $rout (i64.sub (i64.load (call $amt (local.get $o))) (local.get $out)))
        ;; Row 0 of the answer is at 128..159; $check overwrites nothing there.
        (call $check (i64.load (i32.const 128)) (local.get $d) (local.get $rin))
        (call $check (i64.load (i32.const 136)) (local.get $o) (local.get $rout))
        (call $check (i64.load (i32.const 144)) (local.get $o) (local.get $out))
        (i64.store (call $pid (local.get $d)) (i64.load (i32.const 128)))
        (i64.store (call $pid (local.get $o)) (i64.load (i32.const 136)))
        (i64.store (call $amt (local.get $d)) (local.get $rin))
        (i64.store (call $amt (local.get $o)) (local.get $rout))
        (i64.store (i32.const 512) (i64.const 1))
        (call $publish_and_yield (local.get $out))
        (return)))

    ;; [0]: show the reserves.
    (if (i64.eqz (local.get $cmd))
      (then
        (call $publish_and_yield (i64.const 0))
        (return)))

    ;; [1, a, b]: open, once.
    (if (i32.and (i64.eq (local.get $cmd) (i64.const 1)) (i64.eqz (local.get $phase)))
      (then
        (i64.store (i32.const 520) (i64.load (i32.const 136)))
        (i64.store (i32.const 528) (i64.load (i32.const 144)))
        (call $program_hash (i64.load (i32.const 520)) (i32.const 1024))
        (call $program_hash (i64.load (i32.const 528)) (i32.const 1056))
        (if (call $eq32 (i32.const 1024) (i32.const 1056)) (then (unreachable)))
        (i64.store (i32.const 536) (call $amount (i64.load (i32.const 520))))
        (i64.store (i32.const 544) (call $amount (i64.load (i32.const 528))))
        (i64.store (i32.const 512) (i64.const 1))
        (call $publish_and_yield (i64.const 0))
        (return)))

    ;; [2, t, amount_in, min_out]: swap.
    (if (i32.and (i64.eq (local.get $cmd) (i64.const 2)) (i64.eq (local.get $phase) (i64.const 1)))
      (then
        (local.set $t (i64.load (i32.const 136)))
        (local.set $in (i64.load (i32.const 144)))
        (local.set $min (i64.load (i32.const 152)))
        ;; Which side does t come in on?
        (call $program_hash (local.get $t) (i32.const 1088))
        (if (call $eq32 (i32.const 1088) (i32.const 1024))
          (then (local.set $d (i64.const 0)))
          (else
            (if (call $eq32 (i32.const 1088) (i32.const 1056))
              (then (local.set $d (i64.const 1)))
              (else (unreachable)))))
        (local.set $o (i64.sub (i64.const 1) (local.get $d)))
        (if (i64.ne (call $amount (local.get $t)) (local.get $in)) (then (unreachable)))
        ;; x * y = k: out = rout * in / (rin + in), rounded down (in the pool's favour).
        (local.set $rin (i64.load (call $amt (local.get $d))))
        (local.set $rout (i64.load (call $amt (local.get $o))))
        (local.set $out
          (i64.div_u
            (i64.mul (local.get $rout) (local.get $in))
            (i64.add (local.get $rin) (local.get $in))))
        (if (i64.eqz (local.get $out)) (then (unreachable)))
        (if (i64.lt_u (local.get $out) (local.get $min)) (then (unreachable)))
        ;; Remember the swap, let go of both reserves, ask for settlement.
        (i64.store (i32.const 552) (local.get $d))
        (i64.store (i32.const 560) (local.get $in))
        (i64.store (i32.const 568) (local.get $out))
        (i64.store (i32.const 512) (i64.const 2))
        (call $unbind (i64.load (i32.const 520)))
        (call $unbind (i64.load (i32.const 528)))
        (local.set $ref (call $new_ref (i64.const 3)))
        (call $ref_push (local.get $in) (local.get $out) (local.get $d) (i64.const 0))
        (call $ref_push
          (i64.load (call $pid (local.get $d))) (i64.load (call $pid (local.get $o)))
          (local.get $t) (i64.const 0))
        (call $ref_push
          (i64.add (local.get $rin) (local.get $in)) (i64.sub (local.get $rout) (local.get $out))
          (i64.const 0) (i64.const 0))
        (call $call_effect_handler (i32.const 256) (local.get $ref))
        (return)))
    (unreachable))

  ;; 1 if the 32 bytes (four words: a hash) at p and q are equal.
  (func $eq32 (param $p i32) (param $q i32) (result i32)
    (i32.and
      (i32.and
        (i64.eq (i64.load (local.get $p)) (i64.load (local.get $q)))
        (i64.eq (i64.load offset=8 (local.get $p)) (i64.load offset=8 (local.get $q))))
      (i32.and
        (i64.eq (i64.load offset=16 (local.get $p)) (i64.load offset=16 (local.get $q)))
        (i64.eq (i64.load offset=24 (local.get $p)) (i64.load offset=24 (local.get $q)))))))
