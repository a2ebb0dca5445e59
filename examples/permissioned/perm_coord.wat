;; perm_coord: mints or transfers a permissioned token, and handles "AllowList".
;;
;; Arguments:  row 0  [mode, to, amount, 0]
;;             row 1  "program:permissioned"   the token program
;;             row 2… the allow list: every nonzero word of these rows is an
;;                    allowed owner pid
;; mode 1, mint:     Inputs [to]. Mint `amount` (a new token, id N+1 if this
;;                   script is N) and bind it to `to`. Declare the amount in "mint".
;; mode 2, transfer: Inputs [from wallet, token, to]. The wallet unbinds the
;;                   token (which must be of the program of row 1), then the
;;                   token binds itself to `to`.
;; Either way the token asks "AllowList" before binding, and this script
;; answers [1, 0, 0, 0] if the owner is on the allow list, [0, 0, 0, 0]
;; otherwise (the token then traps and the transaction fails).
;;
;; Steps: START (install the handler; mint, or resume the wallet with [1, token])
;;   -> [YIELD wallet: resume the token with [1, to]] -> EFFECT AllowList: answer
;;   -> YIELD token: uninstall, return.
;;
;; Memory (shared convention of the examples, see examples/README.md):
;;   64..111    activation: caller pid, kind, interface id (80..111)
;;   128..159   one ref row
;;   256..287   the interface id "AllowList" (ASCII, zero-padded)
;;   1024..1055 the token program (argument row 1), 1056..1087 scratch hash
(module
  (import "starstream" "activation" (func $activation (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_ref" (func $new_ref (param i64) (result i64)))
  (import "starstream" "ref_push" (func $ref_push (param i64 i64 i64 i64)))
  (import "starstream" "new_token" (func $new_token (param i32 i64 i64) (result i64)))
  (import "starstream" "program_hash" (func $program_hash (param i64 i32)))
  (import "starstream" "install_handler" (func $install_handler (param i32)))
  (import "starstream" "uninstall_handler" (func $uninstall_handler (param i32)))
  (import "starstream" "resume" (func $resume (param i64 i64)))
  (import "starstream" "return" (func $return))

  (memory (export "memory") 1)
  (data (i32.const 256) "AllowList")

  (global $phase (mut i32) (i32.const 0))
  (global $to (mut i64) (i64.const 0))
  (global $token (mut i64) (i64.const 0))

  ;; 1 if pid is a nonzero word of argument rows 2, 3, …
  (func $allowed (param $pid i64) (result i64)
    (local $row i64)
    (local $k i32)
    (if (i64.eqz (local.get $pid)) (then (return (i64.const 0))))
    (local.set $row (i64.const 2))
    (block $done
      (loop $rows
        (br_if $done (i64.ge_u (local.get $row) (global.get $narg)))
        (call $arg (local.get $row) (i32.const 128))
        (local.set $k (i32.const 0))
        (loop $words
          (if (i64.eq (i64.load (i32.add (i32.const 128) (local.get $k))) (local.get $pid))
            (then (return (i64.const 1))))
          (local.set $k (i32.add (local.get $k) (i32.const 8)))
          (br_if $words (i32.lt_u (local.get $k) (i32.const 32))))
        (local.set $row (i64.add (local.get $row) (i64.const 1)))
        (br $rows)))
    (i64.const 0))

  (func (export "step")
    (local $ref i64)
    (local $mode i64)
    (local $amount i64)
    (local $from i64)
    (local.set $ref (call $activation (i32.const 64)))

    ;; Phase 0 (START).
    (if (i32.eqz (global.get $phase))
      (then
        (call $expect (i64.const 0))
        (call $start (local.get $ref))
        (call $arg (i64.const 1) (i32.const 1024))
        (local.set $mode (call $argw (i64.const 0) (i32.const 0)))
        (global.set $to (i64.load (i32.const 136)))
        (local.set $amount (i64.load (i32.const 144)))
        (call $install_handler (i32.const 256))
        ;; mode 1: mint, and go straight to binding.
        (if (i64.eq (local.get $mode) (i64.const 1))
          (then
            (global.set $token (call $new_token (i32.const 1024) (i64.const 0) (local.get $amount)))
            (global.set $phase (i32.const 2))
            (call $resume (global.get $token)
              (call $cmd (i64.const 1) (global.get $to) (i64.const 0) (i64.const 0)))
            (return)))
        ;; mode 2: transfer; the old owner unbinds first.
        (if (i64.eq (local.get $mode) (i64.const 2))
          (then
            (local.set $from (call $input (i64.const 0)))
            (global.set $token (call $input (i64.const 1)))
            (call $program_hash (global.get $token) (i32.const 1056))
            (if (i32.eqz (call $eq32 (i32.const 1024) (i32.const 1056))) (then (unreachable)))
            (global.set $phase (i32.const 1))
            (call $resume (local.get $from)
              (call $cmd (i64.const 1) (global.get $token) (i64.const 0) (i64.const 0)))
            (return)))
        (unreachable)))

    ;; Phase 1 (YIELD from the old owner): the token binds itself to the new one.
    (if (i32.eq (global.get $phase) (i32.const 1))
      (then
        (call $expect (i64.const 2))
        (global.set $phase (i32.const 2))
        (call $resume (global.get $token)
          (call $cmd (i64.const 1) (global.get $to) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 2 (EFFECT AllowList from the token): answer from the allow list.
    (if (i32.eq (global.get $phase) (i32.const 2))
      (then
        (call $expect (i64.const 5))
        (if (i32.eqz (call $eq32 (i32.const 80) (i32.const 256))) (then (unreachable)))
        (if (i64.ne (i64.load (i32.const 64)) (global.get $token)) (then (unreachable)))
        (call $ref_get (local.get $ref) (i64.const 0) (i32.const 128))
        (global.set $phase (i32.const 3))
        (call $resume (global.get $token)
          (call $cmd (call $allowed (i64.load (i32.const 128))) (i64.const 0) (i64.const 0) (i64.const 0)))
        (return)))

    ;; Phase 3 (YIELD from the token, bound): done.
    (if (i32.eq (global.get $phase) (i32.const 3))
      (then
        (call $expect (i64.const 2))
        (global.set $phase (i32.const 4))
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
