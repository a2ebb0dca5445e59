;; gate_coord: creates a gate, or opens one by burning a token, handling "RequireBurn".
;;
;; Argument row 0 is [mode, 0, 0, 0].
;; mode 1, create:  Arguments row 1 "program:gate", row 2 "program:ASSET".
;;                  Inputs none. Creates the gate (id N+1 if this script is N)
;;                  with the init ref [asset hash] and runs its first step.
;; mode 2, open:    Inputs [gate, wallet, token]. The wallet unbinds the token,
;;                  the token burns (declare its amount in "burn"), then the
;;                  gate is resumed; it raises RequireBurn [asset hash], and
;;                  this script answers [1, 0, 0, 0] if the token it burned is
;;                  of that asset, [0, 0, 0, 0] otherwise (the gate then traps).
;;
;; Steps of mode 2: START (install the handler; resume the wallet with [1, token])
;;   -> YIELD: resume the token with [2] -> BURN: resume the gate
;;   -> EFFECT RequireBurn: answer -> YIELD [count]: uninstall, return.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111    activation: caller pid, kind, interface id (80..111)
;;   128..159   one ref row
;;   256..287   the interface id "RequireBurn" (ASCII, zero-padded)
;;   1024 gate program, 1056 asset (mode 1); 1088 the burned token's program,
;;   1120 the asset the gate asks for (mode 2)
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "new_utxo" (func $new_utxo (param i32 i64) (result i64)))
  (import "starstream" "program_hash" (func $program_hash (param i64 i32)))
  (import "starstream" "install_handler" (func $install_handler (param i32)))
  (import "starstream" "uninstall_handler" (func $uninstall_handler (param i32)))
  (import "starstream" "resume" (func $resume (param i64 i64)))
  (import "starstream" "return" (func $return))

  (memory (export "memory") 1)
  (data (i32.const 256) "RequireBurn")

  (global $phase (mut i32) (i32.const 0))
  (global $gate (mut i64) (i64.const 0))
  (global $token (mut i64) (i64.const 0))

  (func (export "step")
    (local $ref i64)
    (local $mode i64)
    (local $wallet i64)
    (local.set $ref (call $activation (i32.const 64)))

    ;; Phase 0 (START).
    (if (i32.eqz (global.get $phase))
      (then
        (call $expect (i64.const 0))
        (call $start (local.get $ref))
        (local.set $mode (call $argw (i64.const 0) (i32.const 0)))
        ;; mode 1: create the gate.
        (if (i64.eq (local.get $mode) (i64.const 1))
          (then
            (call $arg (i64.const 1) (i32.const 1024))
            (call $arg (i64.const 2) (i32.const 1056))
            (local.set $ref (call $new_ref (i64.const 1)))
            (call $ref_push
              (i64.load (i32.const 1056)) (i64.load (i32.const 1064))
              (i64.load (i32.const 1072)) (i64.load (i32.const 1080)))
            (global.set $gate (call $new_utxo (i32.const 1024) (local.get $ref)))
            (global.set $phase (i32.const 4))
            (call $resume (global.get $gate) (i64.const 0))
            (return)))
        ;; mode 2: open it; first the wallet lets go of the token.
        (if (i64.eq (local.get $mode) (i64.const 2))
          (then
            (global.set $gate (call $input (i64.const 0)))
            (local.set $wallet (call $input (i64.const 1)))
            (global.set $token (call $input (i64.const 2)))
            (call $install_handler (i32.const 256))
            (global.set $phase (i32.const 1))
            (call $resume (local.get $wallet)
              (call $cmd (i64.const 1) (global.get $token) (i64.const 0) (i64.const 0)))
            (return)))
        (unreachable)))

    ;; Phase 1 (YIELD from the wallet): note what the token is, and burn it.
    (if (i32.eq (global.get $phase) (i32.const 1))
      (then
        (call $expect (i64.const 2))
        (call $program_hash (global.get $token) (i32.const 1088))
        (global.set $phase (i32.const 2))
        (call $resume (global.get $token)
          (call $cmd (i64.const 2) (i64.const 0) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 2 (BURN): now ask the gate to run.
    (if (i32.eq (global.get $phase) (i32.const 2))
      (then
        (call $expect (i64.const 3))
        (global.set $phase (i32.const 3))
        (call $resume (global.get $gate) (i64.const 0))
        (return)))

    ;; Phase 3 (EFFECT RequireBurn from the gate): did we burn that asset?
    (if (i32.eq (global.get $phase) (i32.const 3))
      (then
        (call $expect (i64.const 5))
        (if (i32.eqz (call $eq32 (i32.const 80) (i32.const 256))) (then (unreachable)))
        (if (i64.ne (i64.load (i32.const 64)) (global.get $gate)) (then (unreachable)))
        (call $ref_get (local.get $ref) (i64.const 0) (i32.const 1120))
        (global.set $phase (i32.const 4))
        (call $resume (global.get $gate)
          (call $cmd (i64.extend_i32_u (call $eq32 (i32.const 1088) (i32.const 1120)))
            (i64.const 0) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 4 (YIELD from the gate, either mode): done.
    (if (i32.eq (global.get $phase) (i32.const 4))
      (then
        (call $expect (i64.const 2))
        (global.set $phase (i32.const 5))
        (if (i64.ne (global.get $token) (i64.const 0))
          (then (call $uninstall_handler (i32.const 256))))
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
