;; counter_coord: creates a counter or resumes one, and checks the count it yields.
;;
;; Arguments:
;;   row 0  "program:counter"   the counter program (used when there is no input)
;;   row 1  [expected, 0, 0, 0] the count the counter must yield; 0 = do not check
;; Inputs: none, to create a new counter; or [counter], to resume that one.
;;
;; Steps: START -> (create the counter if there is no input) resume it with no
;; value -> YIELD [count] -> check it -> return.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111    activation: caller pid, kind, interface id
;;   128..159   one ref row
;;   1024..1055 the counter program hash
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "new_utxo" (func $new_utxo (param i32 i64) (result i64)))
  (import "starstream" "resume" (func $resume (param i64 i64)))
  (import "starstream" "return" (func $return))

  (memory (export "memory") 1)

  (global $phase (mut i32) (i32.const 0))
  (global $counter (mut i64) (i64.const 0))  ;; the counter's pid
  (global $expected (mut i64) (i64.const 0))

  (func (export "step")
    (local $ref i64)
    (local.set $ref (call $activation (i32.const 64)))

    ;; Phase 0 (START): find or create the counter, resume it.
    (if (i32.eqz (global.get $phase))
      (then
        (call $expect (i64.const 0))
        (call $start (local.get $ref))
        (global.set $expected (call $argw (i64.const 1) (i32.const 0)))
        (if (i64.eqz (global.get $nin))
          (then
            (call $arg (i64.const 0) (i32.const 1024))
            (global.set $counter (call $new_utxo (i32.const 1024) (i64.const 0))))
          (else
            (global.set $counter (call $input (i64.const 0)))))
        (global.set $phase (i32.const 1))
        (call $resume (global.get $counter) (i64.const 0))
        (return)))

    ;; Phase 1 (YIELD [count] from the counter): check the count, end the transaction.
    (if (i32.eq (global.get $phase) (i32.const 1))
      (then
        (call $expect (i64.const 2))
        (if (i64.ne (i64.load (i32.const 64)) (global.get $counter)) (then (unreachable)))
        (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
        (if (i32.and
              (i64.ne (global.get $expected) (i64.const 0))
              (i64.ne (i64.load (i32.const 128)) (global.get $expected)))
          (then (unreachable)))
        (global.set $phase (i32.const 2))
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
