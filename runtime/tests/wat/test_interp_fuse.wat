;; Shapes the translator fuses into one branch instruction (emit_cond_branch): a flag
;; test (i32.and of a constant) branched on, directly, through local.tee, through
;; i32.eqz and as an `if` condition; a loop step (i32.add of a constant) compared and
;; branched on; a funnel shift stored at once (unaligned memcpy), at addresses given
;; by a local, a local plus a constant and a computed value; results returned from
;; where they are (a local, a constant, local + constant); loads through a pointer
;; just stepped (`*++p`); copies in pairs (call arguments, branch values); each also where the local is still on the operand stack with its old
;; value, and where the result is used again.
(module
  (memory (export "memory") 1)
  (data (i32.const 1000) "abc%de\00")
  ;; a linked list at 2000: each node's next pointer at offset 4, 0 ends it
  (data (i32.const 2004) "\10\08\00\00")
  (data (i32.const 2068) "\40\08\00\00")
  (data (i32.const 2116) "\00\00\00\00")
  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
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
;; counted loop: the sum of i for i = 0, 3, 6, ... below n
  (func (export "add_loop_sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 3)))
                          (local.get $n))))
    (local.get $s))
  ;; a signed countdown against a constant: how many steps of -2 from n stay above -5
  (func (export "add_loop_down") (param $n i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.gt_s (local.tee $n (i32.add (local.get $n) (i32.const -2)))
                          (i32.const -5))))
    (local.get $c))
  ;; the old n is still on the operand stack when the tee overwrites it:
  ;; ((taken ? 1 : 2) + n + 1) * 10 + n_old
  (func (export "add_under_copy") (param $n i32) (result i32)
    (local.get $n)
    (block (result i32)
      (i32.const 1)
      (br_if 0 (i32.ne (local.tee $n (i32.add (local.get $n) (i32.const 1)))
                       (i32.const 5)))
      (drop)
      (i32.const 2))
    (i32.add (local.get $n))
    (i32.add (i32.mul (i32.const 10))))
  ;; an unsigned compare of a wrapped sum: x - 1 < 10, taken unless x is 0 or > 10
  (func (export "add_wrap") (param $x i32) (result i32)
    (block (br_if 0 (i32.lt_u (i32.add (local.get $x) (i32.const -1)) (i32.const 10)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; the add's result compared with itself through the local: always taken
  (func (export "add_self") (param $x i32) (result i32)
    (block (br_if 0 (i32.le_s (local.tee $x (i32.add (local.get $x) (i32.const 7)))
                              (local.get $x)))
      (return (i32.const 0)))
    (local.get $x))
;; *(p + 4) = (x << 8) | (y >> 24), the word read back
  (func (export "funnel_store_local") (param $p i32) (param $x i32) (param $y i32) (result i32)
    (i32.store offset=4 (local.get $p)
      (i32.or (i32.shl (local.get $x) (i32.const 8)) (i32.shr_u (local.get $y) (i32.const 24))))
    (i32.load offset=4 (local.get $p)))
  ;; *(p + 8 + 2) = (y >> 16) | (x << 16), either order of the shifts
  (func (export "funnel_store_add") (param $p i32) (param $x i32) (param $y i32) (result i32)
    (i32.store offset=2 (i32.add (local.get $p) (i32.const 8))
      (i32.or (i32.shr_u (local.get $y) (i32.const 16)) (i32.shl (local.get $x) (i32.const 16))))
    (i32.load offset=10 (local.get $p)))
  ;; the address computed into a stack slot: *(p * 2) = (x << 24) | (y >> 8)
  (func (export "funnel_store_stack") (param $p i32) (param $x i32) (param $y i32) (result i32)
    (i32.store (i32.mul (local.get $p) (i32.const 2))
      (i32.or (i32.shl (local.get $x) (i32.const 24)) (i32.shr_u (local.get $y) (i32.const 8))))
    (i32.load (i32.shl (local.get $p) (i32.const 1))))
;; the result is a local, at the end and through return / br to the function
  (func (export "return_local") (param $x i32) (param $y i32) (result i32)
    (if (i32.eqz (local.get $x)) (then (return (local.get $y))))
    (if (i32.eq (local.get $x) (i32.const 1)) (then (br 1 (local.get $x))))
    (local.set $y (i32.add (local.get $y) (i32.const 5)))
    (local.get $y))
  ;; a constant, local + constant (param 0 is slot 0, the result slot), and a local
  ;; read before a local.set changes it
  (func (export "return_const") (param $x i32) (param $y i32) (result i32)
    (if (local.get $x) (then (return (i32.const 77))))
    (i32.const -3))
  (func (export "return_add") (param $x i32) (param $y i32) (result i32)
    (i32.add (local.get $y) (i32.const 1))
    (local.set $x (i32.const 1000))
    (drop)
    (i32.add (local.get $x) (i32.const 1)))
  (func (export "return_old_local") (param $x i32) (param $y i32) (result i32)
    (local.get $x)
    (local.set $x (i32.const 1000)))
;; bytes before the first '%' or NUL after p: a pre-increment scan
  (func (export "step_scan") (param $p i32) (result i32)
    (local $n i32)
    (block $done
      (loop $l
        (br_if $done (i32.eq (i32.load8_u (local.tee $p (i32.add (local.get $p) (i32.const 1))))
                             (i32.const 37)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $l (i32.load8_u (local.get $p)))))
    (local.get $n))
  ;; pointer chasing that overwrites the stepped pointer with the loaded value:
  ;; p = *(p += 4), counting the nodes
  (func (export "step_chase") (param $p i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $l (local.tee $p (i32.load (local.tee $p (i32.add (local.get $p) (i32.const 4)))))))
    (local.get $n))
  ;; the old p is still on the operand stack: old - (the byte at old + 3 << 8) + new
  (func (export "step_under_copy") (param $p i32) (result i32)
    local.get $p
    local.get $p
    i32.const 2
    i32.add
    local.tee $p
    i32.load8_u offset=1
    i32.const 8
    i32.shl
    i32.sub
    local.get $p
    i32.add)
  ;; a signed byte and a step past the end of memory (a trap in both bounds modes)
  (func (export "step_signed") (param $p i32) (result i32)
    (i32.load8_s (local.tee $p (i32.add (local.get $p) (i32.const 1)))))
;; call arguments copied from locals in pairs: (c - b) * 1000 + (b - a) * 10 + a
  (func $mix (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.add (i32.mul (i32.sub (local.get $c) (local.get $b)) (i32.const 1000))
                      (i32.mul (i32.sub (local.get $b) (local.get $a)) (i32.const 10)))
             (local.get $a)))
  (func (export "copy_args") (param $x i32) (param $y i32) (result i32)
    (call $mix (local.get $y) (local.get $x) (local.get $y)))
  ;; two branch values: x - y when x is 0, else y - x after swapping the locals
  (func (export "copy_swap") (param $x i32) (param $y i32) (result i32)
    (local.get $x)
    (local.get $y)
    (block (param i32 i32) (result i32 i32)
      (br_if 0 (i32.eqz (local.get $x)))
      (local.set $x)
      (local.set $y)
      (local.get $x)
      (local.get $y))
    (i32.sub))
;; p += 2 and n -= 1 per step (a pair), the loop test on n absorbing the second:
  ;; the sum of the bytes at p, p + 2, ... (n of them)
  (func (export "pair_loop") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 2)))
      (br_if $l (i32.ne (local.tee $n (i32.add (local.get $n) (i32.const -1))) (i32.const 0))))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (local.get $p)))
  ;; n -= 1 and p += 1 (a pair), then a load through p absorbing the second:
  ;; the byte at p + 1, times 1000, plus n
  (func (export "pair_step_load") (param $p i32) (param $n i32) (result i32)
    (local.set $n (i32.add (local.get $n) (i32.const -1)))
    (i32.load8_u (local.tee $p (i32.add (local.get $p) (i32.const 1))))
    (i32.add (i32.mul (i32.const 1000)) (local.get $n)))
)
