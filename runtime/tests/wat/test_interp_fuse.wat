;; Shapes the translator fuses into one branch instruction (emit_cond_branch): a flag
;; test (i32.and of a constant) branched on, directly, through local.tee, through
;; i32.eqz and as an `if` condition; each also where the and's local is still on the
;; operand stack with its old value, and where the and's result is used again.
(module
  (memory (export "memory") 1)
  ;; br_if on x & 4: 1 when set, 2 when not
  (func (export "and_br_if") (param $x i32) (result i32)
    (block (br_if 0 (i32.and (local.get $x) (i32.const 4))) (return (i32.const 2)))
    (i32.const 1))
  ;; br_if on (x & 255) == 0 with the masked value kept in $x (musl's format scan)
  (func (export "and_tee_eqz") (param $x i32) (result i32)
    (block
      (br_if 0 (i32.eqz (local.tee $x (i32.and (local.get $x) (i32.const 255)))))
      (return (i32.add (local.get $x) (i32.const 1000))))
    (local.get $x))
  ;; the old $x is on the operand stack when the tee overwrites it
  (func (export "and_tee_under_copy") (param $x i32) (result i32)
    (local.get $x)
    (block (result i32)
      (i32.const 7)
      (br_if 0 (local.tee $x (i32.and (local.get $x) (i32.const 0xf0))))
      (drop)
      (i32.const 9))
    (i32.add)
    (i32.mul (i32.const 1000))
    (i32.add (local.get $x)))
  ;; if (x & 0x80) then 1 else 0, and the masked value again afterwards
  (func (export "and_if") (param $x i32) (result i32)
    (local $m i32)
    (if (result i32) (local.tee $m (i32.and (local.get $x) (i32.const 0x80)))
      (then (i32.const 1)) (else (i32.const 0)))
    (i32.add (local.get $m)))
  ;; if (!(x & 1)) counted in a loop over n values: the even numbers below n
  (func (export "and_loop_evens") (param $n i32) (result i32)
    (local $i i32) (local $c i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.and (local.get $i) (i32.const 1)))
          (then (local.set $c (i32.add (local.get $c) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $c))
  ;; a branch that carries a value past the and (not the and's own slot)
  (func (export "and_br_value") (param $x i32) (result i32)
    (block (result i32)
      (i32.and (local.get $x) (i32.const 3))
      (br_if 0 (i32.and (local.get $x) (i32.const 8)))
      (i32.const 100)
      (i32.add))
  )
)
