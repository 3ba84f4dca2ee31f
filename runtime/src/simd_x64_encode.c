/* simd_x64_encode.c: the byte writer of simd_x64's lowerings (simd_x64_encode.h): the
 * legacy-SSE encoding (prefix, REX, 0F map, opcode, register ModRM), the constants
 * through a GPR, setcc and the imm8 GPR arithmetic. */
#include "simd_x64_encode.h"

#if defined(__x86_64__)

void sx_byte(sx *o, unsigned v)
{
    o->b[o->n++] = (uint8_t)v;
}

void sx_enc(sx *o, int prefix, int map, int opcode, int reg, int rm, int rex_w, int byte_regs)
{
    if (prefix) sx_byte(o, (unsigned)prefix);
    unsigned rex = (rex_w ? 8u : 0u) | (reg & 8 ? 4u : 0u) | (rm & 8 ? 1u : 0u);
    if (rex || (byte_regs && ((rm & 7) >= 4 || (reg & 7) >= 4))) sx_byte(o, 0x40 | rex);
    sx_byte(o, 0x0f);
    if (map) sx_byte(o, (unsigned)map);
    sx_byte(o, (unsigned)opcode);
    sx_byte(o, 0xc0 | (unsigned)(reg & 7) << 3 | (unsigned)(rm & 7));
}

void sx_66(sx *o, int opcode, int d, int s)
{
    sx_enc(o, 0x66, 0, opcode, d, s, 0, 0);
}

void sx_66_38(sx *o, int opcode, int d, int s)
{
    sx_enc(o, 0x66, 0x38, opcode, d, s, 0, 0);
}

void sx_ps(sx *o, int opcode, int d, int s)
{
    sx_enc(o, 0, 0, opcode, d, s, 0, 0);
}

void sx_int_op(sx *o, int code, int d, int s)
{
    if (code >> 8)
        sx_66_38(o, code & 0xff, d, s);
    else
        sx_66(o, code, d, s);
}

void sx_movdqa(sx *o, int d, int s)
{
    sx_66(o, 0x6f, d, s);
}

void sx_movd(sx *o, int x, int r)
{
    sx_enc(o, 0x66, 0, 0x6e, x, r, 0, 0);
}

void sx_shift_imm(sx *o, int group, int ext, int x, int n)
{
    sx_66(o, group, ext, x);
    sx_byte(o, (unsigned)n);
}

void sx_all_ones(sx *o, int x)
{
    sx_66(o, 0x76, x, x);
}

void sx_invert(sx *o, const simd_x64_regs *g)
{
    sx_all_ones(o, g->t[0]);
    sx_66(o, 0xef, g->d, g->t[0]); /* pxor */
}

/* mov r64, imm64 */
static void sx_mov_imm64(sx *o, int r, uint64_t v)
{
    sx_byte(o, 0x48 | (r & 8 ? 1u : 0u));
    sx_byte(o, 0xb8 + (unsigned)(r & 7));
    for (int i = 0; i < 8; i++)
        sx_byte(o, (unsigned)(v >> (8 * i)));
}

void sx_const128(sx *o, const simd_x64_regs *g, int x, uint64_t lo, uint64_t hi)
{
    sx_mov_imm64(o, g->rt, lo);
    sx_enc(o, 0x66, 0, 0x6e, x, g->rt, 1, 0); /* movq x, rt */
    if (hi == lo) {
        sx_66(o, 0x6c, x, x); /* punpcklqdq */
        return;
    }
    sx_mov_imm64(o, g->rt, hi);
    sx_enc(o, 0x66, 0x3a, 0x22, x, g->rt, 1, 0); /* pinsrq x, rt, 1 */
    sx_byte(o, 1);
}

void sx_flag_to_r(sx *o, const simd_x64_regs *g, int set_opcode)
{
    sx_enc(o, 0, 0, set_opcode, 0, g->r, 0, 1); /* setcc r8 */
    sx_enc(o, 0, 0, 0xb6, g->r, g->r, 0, 1);    /* movzx r32, r8 */
}

void sx_gpr_imm(sx *o, int ext, int r, int imm)
{
    if (r & 8) sx_byte(o, 0x41);
    sx_byte(o, 0x83);
    sx_byte(o, 0xc0 | (unsigned)ext << 3 | (unsigned)(r & 7));
    sx_byte(o, (unsigned)imm);
}

#endif
