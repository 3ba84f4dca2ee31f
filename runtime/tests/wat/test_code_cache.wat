;; test_code_cache.wat: calls (direct, recursive, indirect through a table), memory,
;; globals and a trap, for the translated-code cache test: every relocation kind
;; (call target, call_indirect type) and the call-site code pointer appear.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (memory 1)
  (global $calls (mut i32) (i32.const 0))
  (table 3 funcref)
  (elem (i32.const 0) $add $mul $fib)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))
  (func $fib (param i32 i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)) (i32.const 0))))))
  ;; apply(k, a, b) = table[k](a, b), through call_indirect
  (func (export "apply") (param i32 i32 i32) (result i32)
    (call_indirect (type $binop) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "fib") (param i32) (result i32) (call $fib (local.get 0) (i32.const 0)))
  (func (export "calls") (result i32) (global.get $calls))
  ;; sum of i for i < n, stored and reloaded through memory
  (func (export "sum") (param i32) (result i32) (local i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (i32.store (i32.const 64) (i32.add (i32.load (i32.const 64)) (local.get 0)))
        (br $next)))
    (i32.load (i32.const 64)))
  (func (export "divide") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))
