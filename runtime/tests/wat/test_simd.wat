;; test_simd.wat: v128 values crossing every boundary the engine has: arguments and
;; results from the host, calls between functions (the shadow halves of the frame),
;; host functions, globals, blocks, branches, select, multi-value returns and memory;
;; and the compiler's own: arguments past the eight xmm registers, several results in
;; words, v128 locals in the registers a callee saves, v128 values across C helpers.
(module
  (import "host" "swap_halves" (func $swap_halves (param v128) (result v128)))
  (memory (export "memory") 1)
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))

  (func (export "add") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))

  ;; a scalar callee with many slots between two v128 values of the caller
  (func $scalar_noise (param i32) (result i32)
    (local i64 i64 i64 i64)
    (local.set 1 (i64.const -1)) (local.set 2 (i64.const -1))
    (local.set 3 (i64.const -1)) (local.set 4 (i64.const -1))
    (i32.add (local.get 0) (i32.const 1)))
  (func $double (param v128) (result v128)
    (i32x4.add (local.get 0) (local.get 0)))
  (func (export "keep_across_calls") (param $x v128) (result v128)
    (local $saved v128) (local $n i32)
    (local.set $saved (local.get $x))
    (local.set $n (call $scalar_noise (i32.const 41)))
    (i32x4.replace_lane 3 (call $double (local.get $saved)) (local.get $n)))

  (func (export "through_host") (param v128) (result v128)
    (call $swap_halves (local.get 0)))

  (func (export "global_roundtrip") (param v128) (result v128)
    (local $old v128)
    (local.set $old (global.get $g))
    (global.set $g (local.get 0))
    (local.get $old))

  ;; a v128 local starts at zero: all 16 bytes
  (func (export "fresh_local") (result v128)
    (local v128) (local.get 0))

  (func (export "pick") (param v128 v128 i32) (result v128)
    (select (local.get 0) (local.get 1) (local.get 2)))

  (func (export "branch_value") (param v128 i32) (result v128)
    (block (result v128)
      (br_if 0 (local.get 0) (local.get 1))
      (drop)
      (v128.const i64x2 7 8)))

  (func (export "two_results") (param v128) (result i32 v128)
    (i32x4.extract_lane 2 (local.get 0)) (local.get 0))

  ;; sum of n i32s at address 0, four lanes at a time
  (func (export "sum") (param $n i32) (result i32)
    (local $p i32) (local $acc v128)
    (block $done
      (loop $next
        (br_if $done (i32.lt_u (local.get $n) (i32.const 4)))
        (local.set $acc (i32x4.add (local.get $acc) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $next)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))

  ;; ten v128 parameters among an i32 and an f64 (in the compiler, the last three on
  ;; the stack) and three results
  (func $many (export "many")
    (param v128 i32 v128 f64 v128 v128 v128 v128 v128 v128 v128 v128) (result v128 i32 v128)
    (i32x4.add
      (i32x4.add (i32x4.add (local.get 0) (local.get 2)) (i32x4.add (local.get 4) (local.get 5)))
      (i32x4.add
        (i32x4.add (i32x4.add (local.get 6) (local.get 7)) (i32x4.add (local.get 8) (local.get 9)))
        (i32x4.add (local.get 10) (local.get 11))))
    (i32.add (local.get 1) (i32.trunc_f64_s (local.get 3)))
    (local.get 11))
  (func (export "call_many") (param $x v128) (result v128 i32 v128)
    (call $many (local.get $x) (i32.const 7) (local.get $x) (f64.const 2.5) (local.get $x)
      (local.get $x) (local.get $x) (local.get $x) (local.get $x) (local.get $x) (local.get $x)
      (i32x4.add (local.get $x) (local.get $x))))

  ;; f64 locals in the callee-saved xmm registers the caller's v128 locals live in:
  ;; their loads clear the upper halves, which the callee must give back whole
  (func $f64_noise (param i32) (result f64)
    (local f64 f64 f64 f64 f64 f64 f64)
    (local.set 1 (f64.load (local.get 0))) (local.set 2 (f64.load (local.get 0)))
    (local.set 3 (f64.load (local.get 0))) (local.set 4 (f64.load (local.get 0)))
    (local.set 5 (f64.load (local.get 0))) (local.set 6 (f64.load (local.get 0)))
    (local.set 7 (f64.load (local.get 0)))
    (f64.add (f64.add (f64.add (local.get 1) (local.get 2)) (f64.add (local.get 3) (local.get 4)))
      (f64.add (f64.add (local.get 5) (local.get 6)) (local.get 7))))
  (func (export "keep_in_registers") (param $x v128) (param $n i32) (result v128)
    (local $acc v128)
    (loop $again
      (local.set $acc (i32x4.add (local.get $acc) (local.get $x)))
      (drop (call $f64_noise (i32.const 0)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))

  ;; a v128 under the operands of C helpers (memory.grow, memory.fill): its spill
  ;; slot is 16 bytes, the helper's operands two words apart
  (func (export "keep_across_c") (param $x v128) (result v128)
    (local.get $x)
    (drop (memory.grow (i32.const 0)))
    (memory.fill (i32.const 2000) (i32.const 7) (i32.const 16))
    (i32x4.add (v128.load (i32.const 2000))))

  (table 1 funcref)
  (elem (i32.const 0) $double)
  (func (export "indirect_double") (param v128) (result v128)
    (call_indirect (param v128) (result v128) (local.get 0) (i32.const 0)))

  (func (export "load_at") (param i32) (result v128)
    (v128.load (local.get 0)))
  (func (export "store_lane_at") (param i32 v128)
    (v128.store16_lane 1 (local.get 0) (local.get 1)))
  ;; float lane operations whose NaN bits both tiers must agree on
  (func (export "f32x4.add") (param v128 v128) (result v128) (f32x4.add (local.get 0) (local.get 1)))
  (func (export "f32x4.sub") (param v128 v128) (result v128) (f32x4.sub (local.get 0) (local.get 1)))
  (func (export "f32x4.mul") (param v128 v128) (result v128) (f32x4.mul (local.get 0) (local.get 1)))
  (func (export "f32x4.div") (param v128 v128) (result v128) (f32x4.div (local.get 0) (local.get 1)))
  (func (export "f32x4.min") (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))
  (func (export "f32x4.max") (param v128 v128) (result v128) (f32x4.max (local.get 0) (local.get 1)))
  (func (export "f32x4.pmin") (param v128 v128) (result v128) (f32x4.pmin (local.get 0) (local.get 1)))
  (func (export "f32x4.pmax") (param v128 v128) (result v128) (f32x4.pmax (local.get 0) (local.get 1)))
  (func (export "f64x2.add") (param v128 v128) (result v128) (f64x2.add (local.get 0) (local.get 1)))
  (func (export "f64x2.sub") (param v128 v128) (result v128) (f64x2.sub (local.get 0) (local.get 1)))
  (func (export "f64x2.mul") (param v128 v128) (result v128) (f64x2.mul (local.get 0) (local.get 1)))
  (func (export "f64x2.div") (param v128 v128) (result v128) (f64x2.div (local.get 0) (local.get 1)))
  (func (export "f64x2.min") (param v128 v128) (result v128) (f64x2.min (local.get 0) (local.get 1)))
  (func (export "f64x2.max") (param v128 v128) (result v128) (f64x2.max (local.get 0) (local.get 1)))
  (func (export "f64x2.pmin") (param v128 v128) (result v128) (f64x2.pmin (local.get 0) (local.get 1)))
  (func (export "f64x2.pmax") (param v128 v128) (result v128) (f64x2.pmax (local.get 0) (local.get 1)))
  (func (export "f32x4.sqrt") (param v128 v128) (result v128) (f32x4.sqrt (local.get 0)))
  (func (export "f32x4.ceil") (param v128 v128) (result v128) (f32x4.ceil (local.get 0)))
  (func (export "f32x4.nearest") (param v128 v128) (result v128) (f32x4.nearest (local.get 0)))
  (func (export "f64x2.sqrt") (param v128 v128) (result v128) (f64x2.sqrt (local.get 0)))
  (func (export "f64x2.floor") (param v128 v128) (result v128) (f64x2.floor (local.get 0)))
  (func (export "f64x2.trunc") (param v128 v128) (result v128) (f64x2.trunc (local.get 0)))
  (func (export "f32x4.demote_f64x2_zero") (param v128 v128) (result v128) (f32x4.demote_f64x2_zero (local.get 0)))
  (func (export "f64x2.promote_low_f32x4") (param v128 v128) (result v128) (f64x2.promote_low_f32x4 (local.get 0)))
  (func (export "i32x4.trunc_sat_f32x4_u") (param v128 v128) (result v128) (i32x4.trunc_sat_f32x4_u (local.get 0)))
  (func (export "i32x4.trunc_sat_f64x2_s_zero") (param v128 v128) (result v128) (i32x4.trunc_sat_f64x2_s_zero (local.get 0)))
)
