/* simd_x64_float.c: the SSE code of the f32x4 / f64x2 lane operations that are more
 * than one instruction d = d op b (those are data in simd_x64.c's table): the
 * compares (cmpps / cmppd, gt and ge with the operands swapped), min and max with
 * Wasm's NaN propagation and signed zeros, pmin / pmax, abs and neg through a sign
 * mask, rounding, and the conversions where Wasm's rule differs from SSE's (unsigned
 * sources and results, saturation, NaN to 0). */
#include "simd_x64_ops.h"

#if defined(__x86_64__)

/* 0F 28 movaps, or 66 0F 28 movapd */
static void sx_movap(sx *o, int prefix, int d, int s)
{
    sx_enc(o, prefix, 0, 0x28, d, s, 0, 0);
}

/* cmpps / cmppd d, b, predicate */
void sx_float_compare(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)imm;
    sx_enc(o, op->prefix, 0, op->opcode, g->d, g->b, 0, 0);
    sx_byte(o, op->variant);
}

/* gt and ge: b lt a, b le a */
void sx_float_compare_swapped(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int t0 = g->t[0];
    (void)imm;
    sx_movap(o, op->prefix, t0, g->b);
    sx_enc(o, op->prefix, 0, op->opcode, t0, g->d, 0, 0);
    sx_byte(o, op->variant);
    sx_movap(o, op->prefix, g->d, t0);
}

/* Both operand orders, their or (min: -0 wins) or and (max: +0 wins), then NaN
 * lanes set to the default NaN. */
void sx_float_minmax(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int p = op->prefix, pd = p == 0x66, max = op->variant;
    int d = g->d, b = g->b, t0 = g->t[0], t1 = g->t[1];
    int opcode = max ? 0x5f : 0x5d;
    (void)imm;
    sx_movap(o, p, t0, d);
    sx_enc(o, p, 0, opcode, t0, b, 0, 0); /* t0 = minps(a, b) */
    sx_movap(o, p, t1, b);
    sx_enc(o, p, 0, opcode, t1, d, 0, 0);             /* t1 = minps(b, a) */
    sx_enc(o, p, 0, max ? 0x54 : 0x56, t1, t0, 0, 0); /* andps / orps */
    sx_movap(o, p, t0, d);
    sx_enc(o, p, 0, 0xc2, t0, b, 0, 0); /* cmpunord: NaN lanes */
    sx_byte(o, 3);
    sx_enc(o, p, 0, 0x56, t1, t0, 0, 0);                    /* orps: NaN lanes all ones */
    sx_shift_imm(o, pd ? 0x73 : 0x72, 2, t0, pd ? 13 : 10); /* the default NaN's complement */
    sx_enc(o, p, 0, 0x55, t0, t1, 0, 0);                    /* andnps */
    sx_movap(o, p, d, t0);
}

/* minps(b, a) is b < a ? b : a, exactly pmin; maxps(b, a) is pmax */
void sx_float_pminmax(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int t0 = g->t[0];
    (void)imm;
    sx_movap(o, op->prefix, t0, g->b);
    sx_enc(o, op->prefix, 0, op->opcode, t0, g->d, 0, 0);
    sx_movap(o, op->prefix, g->d, t0);
}

/* and with all but the sign bit, or xor with the sign bit */
void sx_float_abs_neg(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int pd = op->prefix == 0x66, neg = op->variant, t0 = g->t[0];
    (void)imm;
    sx_all_ones(o, t0);
    if (neg)
        sx_shift_imm(o, pd ? 0x73 : 0x72, 6, t0, pd ? 63 : 31); /* the sign bit */
    else
        sx_shift_imm(o, pd ? 0x73 : 0x72, 2, t0, 1); /* all but the sign bit */
    sx_enc(o, op->prefix, 0, neg ? 0x57 : 0x54, g->d, t0, 0, 0);
}

/* roundps / roundpd d, d, mode */
void sx_float_round(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)imm;
    sx_enc(o, op->prefix, op->map, op->opcode, g->d, g->d, 0, 0);
    sx_byte(o, op->variant | 8); /* no precision exception */
}

/* the low 16 bits and the rest converted apart (both exact), one rounding */
void sx_f32x4_convert_i32x4_u(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0];
    (void)op, (void)imm;
    sx_66(o, 0xef, t0, t0);
    sx_enc(o, 0x66, 0x3a, 0x0e, t0, d, 0, 0); /* pblendw: the low word of each lane */
    sx_byte(o, 0x55);
    sx_66(o, 0xfa, d, t0);
    sx_ps(o, 0x5b, t0, t0);
    sx_shift_imm(o, 0x72, 2, d, 1);
    sx_ps(o, 0x5b, d, d);
    sx_ps(o, 0x58, d, d);
    sx_ps(o, 0x58, d, t0);
}

void sx_i32x4_trunc_sat_f32x4_s(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0];
    (void)op, (void)imm;
    sx_movap(o, 0, t0, d);
    sx_ps(o, 0xc2, t0, t0); /* cmpeqps: not NaN */
    sx_byte(o, 0);
    sx_ps(o, 0x54, d, t0);                /* NaN lanes 0 */
    sx_66(o, 0xef, t0, d);                /* the complement of a's bits (0 in NaN lanes) */
    sx_enc(o, 0xf3, 0, 0x5b, d, d, 0, 0); /* cvttps2dq: out of range is INT32_MIN */
    sx_66(o, 0xdb, t0, d);
    sx_shift_imm(o, 0x72, 4, t0, 31); /* all ones where a was positive and overflowed */
    sx_66(o, 0xef, d, t0);
}

void sx_i32x4_trunc_sat_f32x4_u(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0], t1 = g->t[1];
    (void)op, (void)imm;
    sx_66(o, 0xef, t0, t0);
    sx_ps(o, 0x5f, d, t0); /* maxps: NaN and negative lanes 0 */
    sx_all_ones(o, t0);
    sx_shift_imm(o, 0x72, 2, t0, 1);
    sx_ps(o, 0x5b, t0, t0); /* 2^31 */
    sx_movap(o, 0, t1, d);
    sx_ps(o, 0x5c, t1, t0); /* a - 2^31 */
    sx_ps(o, 0xc2, t0, t1); /* 2^31 <= a - 2^31: past UINT32_MAX */
    sx_byte(o, 2);
    sx_enc(o, 0xf3, 0, 0x5b, t1, t1, 0, 0);
    sx_66(o, 0xef, t1, t0); /* those lanes 0x7fffffff */
    sx_66(o, 0xef, t0, t0);
    sx_66_38(o, 0x3d, t1, t0); /* pmaxsd: a below 2^31 adds 0 */
    sx_enc(o, 0xf3, 0, 0x5b, d, d, 0, 0);
    sx_66(o, 0xfe, d, t1);
}

/* 2^52 + x as a double, less 2^52 */
void sx_f64x2_convert_low_i32x4_u(sx *o, const sx_op *op, const uint8_t *imm,
                                  const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0];
    (void)op, (void)imm;
    sx_const128(o, g, t0, 0x4330000043300000ull, 0x4330000043300000ull);
    sx_ps(o, 0x14, d, t0); /* unpcklps */
    sx_const128(o, g, t0, 0x4330000000000000ull, 0x4330000000000000ull);
    sx_66(o, 0x5c, d, t0);
}

void sx_i32x4_trunc_sat_f64x2_s_zero(sx *o, const sx_op *op, const uint8_t *imm,
                                     const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0], t1 = g->t[1];
    (void)op, (void)imm;
    sx_movap(o, 0x66, t0, d);
    sx_66(o, 0xc2, t0, t0); /* not NaN */
    sx_byte(o, 0);
    sx_const128(o, g, t1, 0x41dfffffffc00000ull, 0x41dfffffffc00000ull); /* INT32_MAX */
    sx_66(o, 0x54, t0, t1);
    sx_66(o, 0x5d, d, t0);                /* minpd: NaN lanes take 0 */
    sx_enc(o, 0x66, 0, 0xe6, d, d, 0, 0); /* cvttpd2dq: below range is INT32_MIN */
}

void sx_i32x4_trunc_sat_f64x2_u_zero(sx *o, const sx_op *op, const uint8_t *imm,
                                     const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0], t1 = g->t[1];
    (void)op, (void)imm;
    sx_66(o, 0x57, t0, t0);
    sx_66(o, 0x5f, d, t0); /* maxpd: NaN and negative lanes 0 */
    sx_const128(o, g, t1, 0x41efffffffe00000ull, 0x41efffffffe00000ull); /* UINT32_MAX */
    sx_66(o, 0x5d, d, t1);
    sx_enc(o, 0x66, 0x3a, 0x09, d, d, 0, 0); /* roundpd: truncate */
    sx_byte(o, 3 | 8);
    sx_const128(o, g, t1, 0x4330000000000000ull, 0x4330000000000000ull);
    sx_66(o, 0x58, d, t1); /* 2^52 + n: n in the low dword */
    sx_ps(o, 0xc6, d, t0); /* shufps: the two low dwords, then zeros */
    sx_byte(o, 0x88);
}

#endif
