;; Finding of the differential fuzzer (fuzz_target.c), not fixed yet: when both
;; operands of a commutative float op are NaN, the interpreter and the compiled code
;; return different NaN payloads.
;;   interp: 0x7fc00000 (the first operand)
;;   jit:    0xffe00001 (the second operand, quieted)
;; x86 SSE returns the NaN of the destination operand; the JIT's C helper (jit.c,
;; jh_f32_mul from ops.h's expression list) was compiled with the operands swapped
;; (gcc: movd esi,xmm0; movd edi,xmm1; mulss xmm1,xmm0), the interpreter's handler was
;; not. Seen for f32.add and f32.mul (gcc build) and also f64.add and f64.mul (clang
;; fuzz build); not for sub, div, min, max, copysign. The spec seeds float_exprs.53
;; ("thepast2") and the f32.no_fold_add_neg module hit it with the fuzzer's arguments.
;; Replay: build/runtime/fuzz/wasmrt-fuzz runtime/fuzz/findings/jit-nan-operand-order.wasm
(module
  (func (export "f") (result f32)
    f32.const nan
    f32.const -nan:0x200001
    f32.mul))
