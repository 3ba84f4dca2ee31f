;; test_jit_link_b.wat: imports test_jit_link_a.wat's exports as "a"; its own memory
;; is two pages (test_jit.c).
(module
  (type $ii (func (param i32) (result i32)))
  (import "a" "a_load" (func $a_load (param i32) (result i32)))
  (import "a" "a_div" (func $a_div (param i32) (result i32)))
  (import "a" "a_grow" (func $a_grow (param i32) (result i32)))
  (import "a" "a_store" (func $a_store (param i32 i32)))
  (import "a" "tab" (table 2 funcref))
  (import "a" "ga" (global $ga (mut i32)))
  (memory 2)
  (data (i32.const 0) "\02\00\00\00")
  ;; 4: A's load at x plus B's at 0
  (func (export "both_loads") (param i32) (result i32)
    (i32.add (call $a_load (local.get 0)) (i32.load (i32.const 0))))
  ;; 5: element x of A's table, then B's load at 0
  (func (export "via_table") (param i32 i32) (result i32)
    (i32.add (call_indirect (type $ii) (local.get 1) (local.get 0)) (i32.load (i32.const 0))))
  ;; 6: A grows its memory, then B writes and reads the last word of its own
  (func (export "grow_a_then_b") (param i32) (result i32)
    (drop (call $a_grow (local.get 0)))
    (i32.store (i32.const 131068) (i32.const 77))
    (i32.load (i32.const 131068)))
  ;; 7
  (func (export "b_load") (param i32) (result i32) (i32.load (local.get 0)))
  ;; 8
  (func (export "bump_ga") (result i32)
    (global.set $ga (i32.add (global.get $ga) (i32.const 1))) (global.get $ga))
  ;; 9: A stores at x in its memory, B loads at x in its own
  (func (export "store_a_load_b") (param i32) (result i32)
    (call $a_store (local.get 0) (i32.const 0x5555))
    (i32.load (local.get 0)))
  ;; 10: A's load, then B's own at x (a fault here is B's, after A's code ran)
  (func (export "a_then_b_load") (param i32) (result i32)
    (i32.add (call $a_load (i32.const 0)) (i32.load (local.get 0))))
  ;; 11: the same after a call through A's table
  (func (export "table_then_b_load") (param i32) (result i32)
    (i32.add (call_indirect (type $ii) (i32.const 0) (i32.const 0)) (i32.load (local.get 0))))
)
