/* simd_x64_encode.h: the byte writer that simd_x64's lowerings share (internal to
 * simd_x64*.c, not an engine interface): SSE instructions in their
 * register-to-register forms, 128-bit constants built through a GPR, and the few GPR
 * instructions the lane tests and shifts need. Registers are numbers 0-15 (xmm or GPR
 * as the instruction reads them). */
#ifndef WASMRT_SIMD_X64_ENCODE_H
#define WASMRT_SIMD_X64_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "simd_x64.h"

/* The code being written: n bytes so far at b (room for SIMD_X64_MAX). */
typedef struct sx {
    uint8_t *b;
    size_t n;
} sx;

void sx_byte(sx *o, unsigned v);
/* [prefix] [REX] 0F [38 | 3A] opcode ModRM(reg, rm), prefix and map 0 for none;
 * rex_w sets REX.W; byte_regs forces a REX so that rm 4-7 name spl..dil, not ah..bh. */
void sx_enc(sx *o, int prefix, int map, int opcode, int reg, int rm, int rex_w, int byte_regs);
/* 66 0F opcode (integer and pd), 66 0F 38 opcode, 0F opcode (ps): d, s. */
void sx_66(sx *o, int opcode, int d, int s);
void sx_66_38(sx *o, int opcode, int d, int s);
void sx_ps(sx *o, int opcode, int d, int s);
/* 66 0F opcode, or 66 0F 38 opcode when code is 0x38xx. */
void sx_int_op(sx *o, int code, int d, int s);
void sx_movdqa(sx *o, int d, int s);
/* movd x, r32 */
void sx_movd(sx *o, int x, int r);
/* A shift of x by the immediate n: 66 0F group /ext ib (group 71 words, 72 dwords,
 * 73 qwords; ext 2 logical right, 4 arithmetic right, 6 left; 73 /3 bytes right). */
void sx_shift_imm(sx *o, int group, int ext, int x, int n);
/* x = all ones (pcmpeqd x, x) */
void sx_all_ones(sx *o, int x);
/* d = not d, through t[0] */
void sx_invert(sx *o, const simd_x64_regs *g);
/* x = the 16 bytes lo, hi (built in rt) */
void sx_const128(sx *o, const simd_x64_regs *g, int x, uint64_t lo, uint64_t hi);
/* r = 1 if the condition of setcc opcode set_opcode holds, else 0 (setcc, movzx) */
void sx_flag_to_r(sx *o, const simd_x64_regs *g, int set_opcode);
/* r32 op= imm8: 83 /ext ib (0 add, 4 and, 5 sub) */
void sx_gpr_imm(sx *o, int ext, int r, int imm);

#endif
