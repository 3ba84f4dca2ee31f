;; test_jit_link_a.wat: a module whose functions, table and global another instance
;; (test_jit_link_b.wat) imports, for test_jit.c: calls across instances with two
;; memories.
(module
  (memory (export "mem") 1)
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $a_load $a_div)
  (global (export "ga") (mut i32) (i32.const 100))
  (data (i32.const 0) "\01\00\00\00")
  ;; 0
  (func $a_load (export "a_load") (param i32) (result i32) (i32.load (local.get 0)))
  ;; 1
  (func $a_div (export "a_div") (param i32) (result i32) (i32.div_u (i32.const 1000) (local.get 0)))
  ;; 2
  (func (export "a_grow") (param i32) (result i32) (memory.grow (local.get 0)))
  ;; 3
  (func (export "a_store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
)
