;; test_jit_trap.wat: traps at known function indices (no imports: the index is the
;; position below), for test_jit.c: a trap names the function it happened in, in
;; compiled code as in the interpreter.
(module
  (type $ii (func (param i32) (result i32)))
  (memory 1)
  (table 4 funcref)
  (elem (i32.const 0) $inner_load $inner_div $inner_unreachable)
  ;; 0: loads at its argument
  (func $inner_load (param i32) (result i32) (i32.load (local.get 0)))
  ;; 1: divides 100 by its argument
  (func $inner_div (param i32) (result i32) (i32.div_s (i32.const 100) (local.get 0)))
  ;; 2: unreachable when its argument is not zero
  (func $inner_unreachable (param i32) (result i32)
    (if (local.get 0) (then (unreachable))) (i32.const 5))
  ;; 3: two levels above the load
  (func (export "outer_load") (param i32) (result i32)
    (i32.add (call $middle (local.get 0)) (i32.const 1)))
  ;; 4
  (func $middle (param i32) (result i32)
    (i32.add (call $inner_load (local.get 0)) (i32.const 1)))
  ;; 5: element (first argument) of the table called with the second
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $ii) (local.get 1) (local.get 0)))
  ;; 6: traps after its callee returned
  (func (export "after_call") (param i32) (result i32)
    (drop (call $inner_div (i32.const 1)))
    (i32.div_u (i32.const 1) (local.get 0)))
  ;; 7: a store past 2 GiB
  (func $store_far (param i32) (i32.store offset=0x80000000 (local.get 0) (i32.const 1)))
  ;; 8
  (func (export "calls_store_far") (param i32) (result i32)
    (call $store_far (local.get 0)) (i32.const 0))
  ;; 9: recursion without end
  (func $forever (export "forever") (param i32) (result i32)
    (call $forever (i32.add (local.get 0) (i32.const 1))))
  ;; 10: a fault in a callee of the callee reached through the table
  (func (export "indirect_outer") (param i32 i32) (result i32)
    (i32.add (call_indirect (type $ii) (local.get 1) (local.get 0)) (i32.const 1)))
  ;; 11: fine
  (func (export "fine") (param i32) (result i32) (call $middle (i32.const 8)))
  ;; 12: an i64 division overflow
  (func (export "div64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
)
