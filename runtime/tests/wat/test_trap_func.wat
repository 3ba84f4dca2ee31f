(module
  ;; function 0: the import; the rest are numbered in order below
  (import "env" "fail" (func $host_fail))
  (type $ii (func (param i32) (result i32)))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $inner_load)
  ;; 1: loads at its argument (out of bounds for a large one)
  (func $inner_load (param i32) (result i32) (i32.load (local.get 0)))
  ;; 2: divides by its argument
  (func $inner_div (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
  ;; 3: a caller two levels above the trap
  (func $outer (export "outer_load") (param i32) (result i32)
    (i32.add (call $middle (local.get 0)) (i32.const 1)))
  ;; 4
  (func $middle (param i32) (result i32)
    (i32.add (call $inner_load (local.get 0)) (i32.const 1)))
  ;; 5: traps after its callee returned
  (func $after_call (export "after_call") (param i32) (result i32)
    (drop (call $inner_div (i32.const 1)))
    (i32.div_s (i32.const 1) (local.get 0)))
  ;; 6: calls the host function that traps
  (func $calls_host (export "calls_host") (param i32) (result i32)
    (call $host_fail) (local.get 0))
  ;; 7: recursion without end
  (func $forever (export "forever") (param i32) (result i32)
    (call $forever (i32.add (local.get 0) (i32.const 1))))
  ;; 8: an indirect call with the wrong type
  (func $bad_indirect (export "bad_indirect") (param i32) (result i32)
    (call_indirect (param i32 i32) (result i32) (local.get 0) (local.get 0) (i32.const 0)))
  ;; 9: through the table, then a division
  (func (export "div") (param i32) (result i32) (call $inner_div (local.get 0)))
  ;; 10: no name in the name section: wat2wasm names only $-named functions
  (func (export "anonymous") (param i32) (result i32) (unreachable))
  ;; 11: returns normally: the next trap must not name a stale function
  (func $fine (export "fine") (param i32) (result i32) (call $inner_div (i32.const 1)))
)
