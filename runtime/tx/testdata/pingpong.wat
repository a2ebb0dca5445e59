;; pingpong: a coordination script that creates a ping UTXO (its first argument row is
;; ping's program hash) and resumes it as many times as its second argument row says,
;; then returns. Each resume/yield pair is one round trip of control through the host.
;;
;; Memory: 0 rounds left, 8 ping's pid, 16 scratch for ref_get, 64 ping's hash.
(module
  (import "starstream" "init" (func $init (param i32) (result i64)))
  (import "starstream" "ref_get" (func $ref_get (param i64 i64 i32)))
  (import "starstream" "new_utxo" (func $new_utxo (param i32 i64) (result i64)))
  (import "starstream" "resume" (func $resume (param i64 i64)))
  (import "starstream" "return" (func $return))
  (memory (export "memory") 1)
  (global $started (mut i32) (i32.const 0))
  (func (export "step")
    (local $args i64)
    (if (i32.eqz (global.get $started))
      (then
        (global.set $started (i32.const 1))
        ;; init ref: row 0 header, then (no inputs) row 1 the hash, row 2 the rounds
        (local.set $args (call $init (i32.const 0)))
        (call $ref_get (local.get $args) (i64.const 1) (i32.const 64))
        (call $ref_get (local.get $args) (i64.const 2) (i32.const 16))
        (i64.store (i32.const 0) (i64.load (i32.const 16)))
        (i64.store (i32.const 8) (call $new_utxo (i32.const 64) (i64.const 0)))))
    (if (i64.eqz (i64.load (i32.const 0)))
      (then (call $return) (return)))
    (i64.store (i32.const 0) (i64.sub (i64.load (i32.const 0)) (i64.const 1)))
    (call $resume (i64.load (i32.const 8)) (i64.const 0))))
