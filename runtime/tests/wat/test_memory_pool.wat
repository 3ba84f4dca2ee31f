;; For test_memory_pool.c: a memory larger at start than test_memory.wat's, so that a
;; recycled reservation is both grown and shrunk between instances.
(module
  (memory (export "memory") 3 8)
  (data (i32.const 100) "pool")
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
)
