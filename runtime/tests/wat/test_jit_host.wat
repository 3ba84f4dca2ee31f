;; test_jit_host.wat: host functions called from compiled code, and host functions
;; that call back into the module (test_jit.c).
(module
  (import "env" "mixed" (func $mixed (param i32 i64 f32 f64) (result i64)))
  (import "env" "many" (func $many (param i32 i64 i32 i64 i32 i64 i32 i64) (result i64)))
  (import "env" "pair" (func $pair (param i32) (result i32 i64)))
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (import "env" "grow" (func $host_grow (param i32) (result i32)))
  (import "env" "fail" (func $fail (param i32)))
  (import "env" "swallow" (func $swallow (param i32) (result i32)))
  (import "env" "exit" (func $exit (param i32)))
  (memory 1)
  (global $calls (mut i32) (i32.const 0))
  ;; 8
  (func (export "call_mixed") (param i32 i64) (result i64)
    (i64.add (call $mixed (local.get 0) (local.get 1) (f32.const 1.5) (f64.const -2.25))
             (i64.const 1)))
  ;; 9
  (func (export "call_many") (param i32) (result i64)
    (call $many (local.get 0) (i64.const 0x100000000) (i32.const -1) (i64.const -2)
                (i32.const 0x7fffffff) (i64.const 0x7fffffffffffffff) (i32.const 8)
                (i64.extend_i32_u (local.get 0))))
  ;; 10
  (func (export "call_pair") (param i32) (result i64)
    (local i32 i64)
    (call $pair (local.get 0))
    (local.set 2) (local.set 1)
    (i64.add (i64.mul (i64.extend_i32_s (local.get 1)) (i64.const 1000)) (local.get 2)))
  ;; 11: squares; called back by the host
  (func $square (export "square") (param i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.mul (local.get 0) (local.get 0)))
  ;; 12: 1 + reenter(x): the host calls "square" back
  (func (export "call_reenter") (param i32) (result i32)
    (i32.add (call $reenter (local.get 0)) (i32.const 1)))
  ;; 13: n levels of wasm -> host -> wasm: the host's "reenter" with a negative
  ;; argument calls "down" with its negation
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $reenter (i32.sub (i32.const 1) (local.get 0))) (i32.const 2)))))
  ;; 14: grows memory through the host (which calls "grow_wasm"), then uses the new page
  (func (export "grow_through_host") (param i32) (result i32)
    (local i32)
    (local.set 1 (call $host_grow (local.get 0)))
    (i32.store offset=65532 (i32.shl (local.get 1) (i32.const 16)) (i32.const 0x600dcafe))
    (i32.load offset=65532 (i32.shl (local.get 1) (i32.const 16))))
  ;; 15
  (func (export "grow_wasm") (param i32) (result i32) (memory.grow (local.get 0)))
  ;; 16: the host traps
  (func (export "call_fail") (param i32) (result i32) (call $fail (local.get 0)) (i32.const 1))
  ;; 17: divides by its argument; the host calls it back
  (func $divide (export "divide") (param i32) (result i32) (i32.div_u (i32.const 10) (local.get 0)))
  ;; 18: the host calls "divide" with the argument and passes on what happens
  (func (export "call_swallow") (param i32) (result i32)
    (i32.add (call $swallow (local.get 0)) (i32.const 100)))
  ;; 19: the host calls "divide"(0), ignores the trap and returns 0; then this traps
  (func (export "swallow_then_trap") (param i32) (result i32)
    (drop (call $swallow (i32.const 0)))
    (if (local.get 0) (then (unreachable)))
    (i32.const 3))
  ;; 20: the host asks to exit
  (func (export "call_exit") (param i32) (result i32) (call $exit (local.get 0)) (i32.const 0))
  ;; 21: recursion through the host without end
  (func $host_forever (export "host_forever") (param i32) (result i32)
    (i32.add (call $reenter (i32.const -0x7fffffff)) (i32.const 1)))
  (func (export "calls") (result i32) (global.get $calls))
  ;; 23: as "rec" of test_jit.wat
  (func $rec (export "rec") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  ;; 24: a host call (which calls "square" back) at the bottom of a deep recursion
  (func $deep_then_host (export "deep_then_host") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (call $reenter (i32.const 3)))
      (else (i32.add (call $deep_then_host (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
;; 25: few locals, a host call (which calls "square" back)
  (func $via_host (param i32) (result i32) (call $reenter (local.get 0)))
  ;; 26: many locals used in a loop (in registers a C call may change: r8, r9, xmm8
  ;; and up), kept across calls whose callee calls the host
  (func (export "keeps_locals") (param i32) (result i64)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32) (local $f i32)
    (local $x f64) (local $y f64) (local $z f64) (local $w f64) (local $v f64) (local $u f64)
    (local $acc i64)
    (local.set $a (i32.add (local.get 0) (i32.const 1)))
    (local.set $b (i32.add (local.get 0) (i32.const 2)))
    (local.set $c (i32.add (local.get 0) (i32.const 3)))
    (local.set $d (i32.add (local.get 0) (i32.const 4)))
    (local.set $e (i32.add (local.get 0) (i32.const 5)))
    (local.set $f (i32.add (local.get 0) (i32.const 6)))
    (local.set $x (f64.const 1.5)) (local.set $y (f64.const 2.5)) (local.set $z (f64.const 3.5))
    (local.set $w (f64.const 4.5)) (local.set $v (f64.const 5.5)) (local.set $u (f64.const 6.5))
    (loop $again
      (local.set $acc (i64.add (local.get $acc)
        (i64.extend_i32_u (call $via_host (i32.and (local.get $a) (i32.const 15))))))
      (local.set $a (i32.add (local.get $a) (local.get $b)))
      (local.set $b (i32.add (local.get $b) (local.get $c)))
      (local.set $c (i32.add (local.get $c) (local.get $d)))
      (local.set $d (i32.add (local.get $d) (local.get $e)))
      (local.set $e (i32.add (local.get $e) (local.get $f)))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (local.set $x (f64.add (local.get $x) (local.get $y)))
      (local.set $y (f64.add (local.get $y) (local.get $z)))
      (local.set $z (f64.add (local.get $z) (local.get $w)))
      (local.set $w (f64.add (local.get $w) (local.get $v)))
      (local.set $v (f64.add (local.get $v) (local.get $u)))
      (local.set $u (f64.add (local.get $u) (f64.const 1)))
      (br_if $again (i32.lt_u (local.get $f) (i32.add (local.get 0) (i32.const 10)))))
    (i64.add (local.get $acc)
      (i64.add (i64.extend_i32_u (i32.xor (i32.xor (local.get $a) (local.get $b))
                                          (i32.xor (i32.xor (local.get $c) (local.get $d))
                                                   (i32.xor (local.get $e) (local.get $f)))))
               (i64.trunc_f64_s (f64.add (f64.add (f64.add (local.get $x) (local.get $y))
                                                  (f64.add (local.get $z) (local.get $w)))
                                         (f64.add (local.get $v) (local.get $u)))))))
)
