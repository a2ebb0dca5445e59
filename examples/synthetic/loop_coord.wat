;; loop_coord: a coordination script that makes many host calls in one step, the
;; synthetic transaction of fold/ARITH.md § 9.1 that proving is measured on.
;;
;; Inputs:     none
;; Arguments:  row 0 [n, 0, 0, 0]   the number of rounds
;;
;; One step (START) makes 6n + 4 host calls: the activation and two ref_get for the
;; init ref's header and row 0, then n rounds of
;;   new_ref(1), ref_push [i, 3i + 1, 0, 0], ref_get of that row,
;;   set_datum(i mod 16, 3i + 1), get_datum(i mod 16), activation,
;; then return. Each round checks what it reads back (the row, the datum, the
;; activation's ref and kind) and traps on a difference, so the calls are used, not
;; just made. tx1.json runs n = 682 rounds: 4,096 host calls, 682 refs, the 16
;; datum slots ending at the last 16 rounds' values. It creates nothing, so it runs
;; on any ledger and takes one id (the script's).
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111    activation: caller pid, kind, interface id
;;   128..159   one ref row
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "set_datum" (func $set_datum (param i64 i64)))
  (import "starstream" "get_datum" (func $get_datum (param i64) (result i64)))
  (import "starstream" "return" (func $return))

  (memory (export "memory") 1)

  (func (export "step")
    (local $ref i64)
    (local $n i64)
    (local $i i64)
    (local $v i64)
    (local $r i64)
    (local.set $ref (call $activation (i32.const 64)))
    (call $expect (i64.const 0))
    (call $start (local.get $ref))
    (local.set $n (call $argw (i64.const 0) (i32.const 0)))
    (block $done
      (loop $round
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $v (i64.add (i64.mul (local.get $i) (i64.const 3)) (i64.const 1)))
        (local.set $r (call $new_ref (i64.const 1)))
        (call $ref_push (local.get $i) (local.get $v) (i64.const 0) (i64.const 0))
        (call $ref_get (local.get $r) (i64.const 0) (i32.const 128))
        (if (i32.or
              (i64.ne (i64.load (i32.const 128)) (local.get $i))
              (i64.ne (i64.load (i32.const 136)) (local.get $v)))
          (then (unreachable)))
        (call $set_datum (i64.and (local.get $i) (i64.const 15)) (local.get $v))
        (if (i64.ne (call $get_datum (i64.and (local.get $i) (i64.const 15))) (local.get $v))
          (then (unreachable)))
        (if (i64.ne (call $activation (i32.const 64)) (local.get $ref)) (then (unreachable)))
        (call $expect (i64.const 0))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $round)))
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

  ;; Trap unless this step's activation is of the given kind.
  (func $expect (param $kind i64)
    (if (i64.ne (i64.load (i32.const 72)) (local.get $kind)) (then (unreachable))))
)
