;; ping: a UTXO that yields at every step. The resume/yield benchmark's partner.
(module
  (import "starstream" "yield" (func $yield (param i64)))
  (memory (export "memory") 1)
  (func (export "step")
    (call $yield (i64.const 0))))
