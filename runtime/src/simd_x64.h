/* simd_x64.h: x86-64 machine code for the 128-bit SIMD lane operations (simd.h), on
 * SSE2, SSSE3, SSE4.1 (and SSE4.2 for the i64x2 orderings): what a compiling tier
 * emits instead of calling simd_apply. It gives the same bits as simd_apply for every
 * input, NaNs included (exec_simd.c pins down the NaN rules to SSE's). The code works
 * on registers the caller chooses and knows nothing of frames or slots, so any
 * compiler can use it: it loads the operands, appends this code, stores the result. */
#ifndef WASMRT_SIMD_X64_H
#define WASMRT_SIMD_X64_H

#include <stddef.h>
#include <stdint.h>

/* The most bytes simd_x64_lower writes for one instruction. */
#define SIMD_X64_MAX 160

/* CPU features the lowering may use (simd_x64_features). */
enum { SIMD_X64_SSSE3 = 1, SIMD_X64_SSE41 = 2, SIMD_X64_SSE42 = 4 };

/* Registers for one instruction: xmm numbers (0-15) for d, b, c and the scratch t[],
 * GPR numbers (0-15, rax = 0) for r and rt. On entry d holds operand a (a v128), b and c
 * the next v128 operands, r the scalar operand (splat's a; replace_lane's and the
 * shifts' b). On exit d holds a v128 result, r a scalar one (an i32 zero-extended to
 * 64 bits, or the bits of an i64, f32 or f64); with a scalar result d is preserved. b
 * and c are preserved; t[], rt and r (unless it is the result) are clobbered. All
 * distinct, except r and rt from the xmm numbers, and b and c from each other. */
typedef struct simd_x64_regs {
    int d, b, c, t[3];
    int r, rt;
} simd_x64_regs;

/* Which scratch registers the code of sub uses: bit k for t[k] (0-2), bit 3 for rt;
 * a caller need not give it the others. Found by writing the code with other registers
 * in their place, so it is right for every operation and immediate. */
#define SIMD_X64_USES_RT 8u
unsigned simd_x64_scratch(uint32_t sub, const uint8_t *imm, unsigned features);

/* Whether sub is one instruction d = d op b (the integer lane arithmetic SSE has as
 * one instruction, and/or/xor, f32x4/f64x2 add, sub, mul and div): its encoding then,
 * prefix 66 or none, map 0F or 0F 38 and the opcode byte, so a compiler can write it in
 * another form (AVX's three operands, a memory operand). */
int simd_x64_single(uint32_t sub, int *prefix66, int *map38, uint8_t *opcode);

/* This CPU's features (cpuid), read once. */
unsigned simd_x64_features(void);

/* Writes the code of lane operation sub (with imm: the lane, or the shuffle's 16
 * bytes) into out, which has room for SIMD_X64_MAX bytes; returns its length, or 0
 * when there is none for this operation on these features (call simd_apply). */
size_t simd_x64_lower(uint8_t *out, uint32_t sub, const uint8_t *imm, const simd_x64_regs *regs,
                      unsigned features);

#endif
