/* simd_x64_int.c: the SSE code of the integer and bitwise lane operations that are
 * more than one instruction d = d op b (those are data in simd_x64.c's table): the
 * compares SSE lacks (unsigned through min/max, the rest by swapping or inverting),
 * the lane tests and bitmasks, abs and neg, popcnt, i64x2.mul, q15mulr's one
 * overflow, the pairwise and extending multiplies, the shifts by a count in a GPR
 * (bytes through word shifts, i64x2.shr_s through a logical shift), splat and lane
 * access, swizzle and shuffle through pshufb. */
#include "simd_x64_ops.h"

#if defined(__x86_64__)

#include <string.h>

/* The compare opcodes of a lane width: eq, signed gt, unsigned min and max (0x38xx
 * for 66 0F 38 xx); i64x2 has no unsigned compares. */
typedef struct sx_compare_ops {
    int eq, gt, minu, maxu;
} sx_compare_ops;

static const sx_compare_ops sx_compare_lanes[4] = {
    {0x74, 0x64, 0xda, 0xde},
    {0x75, 0x65, 0x383a, 0x383e},
    {0x76, 0x66, 0x383b, 0x383f},
    {0x3829, 0x3837, 0, 0},
};

void sx_int_compare(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    const sx_compare_ops *c = &sx_compare_lanes[op->lane];
    int d = g->d, b = g->b, t = g->t[1], kind = op->variant;
    (void)imm;
    switch (kind) {
    case SX_EQ:
    case SX_NE: /* ne = not eq */
        sx_int_op(o, c->eq, d, b);
        break;
    case SX_GT_S:
    case SX_LE_S: /* le = not gt */
        sx_int_op(o, c->gt, d, b);
        break;
    case SX_LT_S:
    case SX_GE_S: /* b > a; ge = not lt */
        sx_movdqa(o, t, b);
        sx_int_op(o, c->gt, t, d);
        sx_movdqa(o, d, t);
        break;
    default: /* le_u: a == min(a, b), ge_u: a == max(a, b); gt_u, lt_u: their nots */
        sx_movdqa(o, t, d);
        sx_int_op(o, kind == SX_LE_U || kind == SX_GT_U ? c->minu : c->maxu, t, b);
        sx_int_op(o, c->eq, d, t);
        break;
    }
    if (kind == SX_NE || kind == SX_LE_S || kind == SX_GE_S || kind == SX_GT_U || kind == SX_LT_U)
        sx_invert(o, g);
}

void sx_v128_not(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)op, (void)imm;
    sx_invert(o, g);
}

/* a & ~b */
void sx_v128_andnot(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)op, (void)imm;
    sx_movdqa(o, g->t[0], g->b);
    sx_66(o, 0xdf, g->t[0], g->d); /* pandn: ~b & a */
    sx_movdqa(o, g->d, g->t[0]);
}

void sx_v128_bitselect(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)op, (void)imm;
    sx_66(o, 0xdb, g->d, g->c); /* a & c */
    sx_movdqa(o, g->t[0], g->c);
    sx_66(o, 0xdf, g->t[0], g->b); /* ~c & b */
    sx_66(o, 0xeb, g->d, g->t[0]);
}

void sx_v128_any_true(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)op, (void)imm;
    sx_66_38(o, 0x17, g->d, g->d); /* ptest */
    sx_flag_to_r(o, g, 0x95);      /* setne */
}

/* no lane equal to zero */
void sx_all_true(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int t0 = g->t[0];
    (void)imm;
    sx_66(o, 0xef, t0, t0);
    sx_int_op(o, sx_compare_lanes[op->lane].eq, t0, g->d); /* the zero lanes */
    sx_66_38(o, 0x17, t0, t0);
    sx_flag_to_r(o, g, 0x94); /* sete */
}

/* pmovmskb, movmskps, movmskpd */
void sx_move_mask(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)imm;
    sx_enc(o, op->prefix, 0, op->opcode, g->r, g->d, 0, 0);
}

void sx_i16x8_bitmask(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int t0 = g->t[0], r = g->r;
    (void)op, (void)imm;
    sx_movdqa(o, t0, g->d);
    sx_66(o, 0x63, t0, t0);                /* packsswb: the sign of each lane, twice */
    sx_enc(o, 0x66, 0, 0xd7, r, t0, 0, 0); /* pmovmskb */
    sx_enc(o, 0, 0, 0xb6, r, r, 0, 1);     /* movzx r32, r8 */
}

void sx_i64x2_abs(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0];
    (void)op, (void)imm;
    sx_66(o, 0x70, t0, d); /* pshufd: each high dword twice */
    sx_byte(o, 0xf5);
    sx_shift_imm(o, 0x72, 4, t0, 31); /* psrad: the sign of each lane */
    sx_66(o, 0xef, d, t0);
    sx_66(o, 0xfb, d, t0);
}

/* 0 - a */
void sx_int_neg(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)imm;
    sx_movdqa(o, g->t[0], g->d);
    sx_66(o, 0xef, g->d, g->d);
    sx_66(o, op->opcode, g->d, g->t[0]);
}

/* the bit counts of the low and the high nibbles, looked up by pshufb, added */
void sx_i8x16_popcnt(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0], t1 = g->t[1], t2 = g->t[2];
    (void)op, (void)imm;
    sx_const128(o, g, t1, 0x0f0f0f0f0f0f0f0full, 0x0f0f0f0f0f0f0f0full);
    sx_movdqa(o, t0, d);
    sx_shift_imm(o, 0x71, 2, t0, 4); /* psrlw 4 */
    sx_66(o, 0xdb, t0, t1);
    sx_66(o, 0xdb, d, t1);
    sx_const128(o, g, t2, 0x0302020102010100ull, 0x0403030203020201ull); /* bits of 0..15 */
    sx_movdqa(o, t1, t2);
    sx_66_38(o, 0x00, t1, d);  /* low nibbles */
    sx_66_38(o, 0x00, t2, t0); /* high nibbles */
    sx_66(o, 0xfc, t1, t2);
    sx_movdqa(o, d, t1);
}

/* three pmuludq: a_lo * b_lo + (a_hi * b_lo + b_hi * a_lo) << 32 */
void sx_i64x2_mul(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int d = g->d, b = g->b, t0 = g->t[0], t1 = g->t[1];
    (void)op, (void)imm;
    sx_movdqa(o, t0, d);
    sx_shift_imm(o, 0x73, 2, t0, 32);
    sx_66(o, 0xf4, t0, b); /* a_hi * b_lo */
    sx_movdqa(o, t1, b);
    sx_shift_imm(o, 0x73, 2, t1, 32);
    sx_66(o, 0xf4, t1, d); /* b_hi * a_lo */
    sx_66(o, 0xd4, t0, t1);
    sx_shift_imm(o, 0x73, 6, t0, 32);
    sx_66(o, 0xf4, d, b); /* a_lo * b_lo */
    sx_66(o, 0xd4, d, t0);
}

void sx_i16x8_q15mulr_sat_s(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0];
    (void)op, (void)imm;
    sx_66_38(o, 0x0b, d, g->b); /* pmulhrsw; 0x8000 * 0x8000 gives 0x8000: flip it */
    sx_const128(o, g, t0, 0x8000800080008000ull, 0x8000800080008000ull);
    sx_66(o, 0x75, t0, d);
    sx_66(o, 0xef, d, t0);
}

void sx_i16x8_extadd_pairwise_i8x16_s(sx *o, const sx_op *op, const uint8_t *imm,
                                      const simd_x64_regs *g)
{
    int t0 = g->t[0];
    (void)op, (void)imm;
    sx_const128(o, g, t0, 0x0101010101010101ull, 0x0101010101010101ull);
    sx_66_38(o, 0x04, t0, g->d); /* pmaddubsw: 1 (unsigned) x a (signed) */
    sx_movdqa(o, g->d, t0);
}

void sx_i16x8_extadd_pairwise_i8x16_u(sx *o, const sx_op *op, const uint8_t *imm,
                                      const simd_x64_regs *g)
{
    int t0 = g->t[0];
    (void)op, (void)imm;
    sx_const128(o, g, t0, 0x0101010101010101ull, 0x0101010101010101ull);
    sx_66_38(o, 0x04, g->d, t0); /* pmaddubsw: a (unsigned) x 1 (signed) */
}

void sx_i32x4_extadd_pairwise_i16x8_s(sx *o, const sx_op *op, const uint8_t *imm,
                                      const simd_x64_regs *g)
{
    int t0 = g->t[0];
    (void)op, (void)imm;
    sx_const128(o, g, t0, 0x0001000100010001ull, 0x0001000100010001ull);
    sx_66(o, 0xf5, g->d, t0); /* pmaddwd */
}

void sx_i32x4_extadd_pairwise_i16x8_u(sx *o, const sx_op *op, const uint8_t *imm,
                                      const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0];
    (void)op, (void)imm;
    sx_const128(o, g, t0, 0x8000800080008000ull, 0x8000800080008000ull);
    sx_66(o, 0xef, d, t0); /* u - 0x8000 as signed */
    sx_const128(o, g, t0, 0x0001000100010001ull, 0x0001000100010001ull);
    sx_66(o, 0xf5, d, t0);
    sx_const128(o, g, t0, 0x0001000000010000ull, 0x0001000000010000ull);
    sx_66(o, 0xfe, d, t0); /* + 2 * 0x8000 */
}

/* by the count in r, masked to the lane width, moved to t[0] */
void sx_shift(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)imm;
    sx_gpr_imm(o, 4, g->r, (8 << op->lane) - 1);
    sx_movd(o, g->t[0], g->r);
    sx_66(o, op->opcode, g->d, g->t[0]);
}

/* Bytes have no shift: shl clears the bits a word shift would carry into the next
 * byte, then shifts words; shr_u shifts words, then clears what came in; both with
 * the mask 0xff >> n in every byte (all-ones words shifted right by n + 8, packed):
 * here t[1] = that mask, t[0] = n. */
static void sx_byte_shift_mask(sx *o, const simd_x64_regs *g)
{
    int t0 = g->t[0], t1 = g->t[1], t2 = g->t[2], r = g->r;
    sx_gpr_imm(o, 4, r, 7);
    sx_movd(o, t0, r); /* n */
    sx_gpr_imm(o, 0, r, 8);
    sx_movd(o, t2, r); /* n + 8 */
    sx_all_ones(o, t1);
    sx_66(o, 0xd1, t1, t2); /* psrlw: 0xff >> n in the low byte of each word */
    sx_66(o, 0x67, t1, t1); /* packuswb: in every byte */
}

void sx_i8x16_shl(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)op, (void)imm;
    sx_byte_shift_mask(o, g);
    sx_66(o, 0xdb, g->d, g->t[1]);
    sx_66(o, 0xf1, g->d, g->t[0]); /* psllw */
}

void sx_i8x16_shr_u(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)op, (void)imm;
    sx_byte_shift_mask(o, g);
    sx_66(o, 0xd1, g->d, g->t[0]); /* psrlw */
    sx_66(o, 0xdb, g->d, g->t[1]);
}

/* the bytes widened to the high halves of words, shifted arithmetically by n + 8,
 * packed back */
void sx_i8x16_shr_s(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0], t1 = g->t[1], r = g->r;
    (void)op, (void)imm;
    sx_gpr_imm(o, 4, r, 7);
    sx_gpr_imm(o, 0, r, 8);
    sx_movd(o, t0, r);
    sx_movdqa(o, t1, d);
    sx_66(o, 0x68, t1, t1); /* punpckhbw */
    sx_66(o, 0xe1, t1, t0); /* psraw */
    sx_66(o, 0x60, d, d);   /* punpcklbw */
    sx_66(o, 0xe1, d, t0);
    sx_66(o, 0x63, d, t1); /* packsswb */
}

/* ((a >>> n) ^ m) - m with m = the sign bit >>> n */
void sx_i64x2_shr_s(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int d = g->d, t0 = g->t[0], t1 = g->t[1];
    (void)op, (void)imm;
    sx_gpr_imm(o, 4, g->r, 63);
    sx_movd(o, t1, g->r);
    sx_const128(o, g, t0, 0x8000000000000000ull, 0x8000000000000000ull);
    sx_66(o, 0xd3, t0, t1); /* psrlq */
    sx_66(o, 0xd3, d, t1);
    sx_66(o, 0xef, d, t0);
    sx_66(o, 0xfb, d, t0);
}

void sx_i8x16_splat(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)op, (void)imm;
    sx_movd(o, g->d, g->r);
    sx_66(o, 0xef, g->t[0], g->t[0]);
    sx_66_38(o, 0x00, g->d, g->t[0]); /* pshufb by zeros: byte 0 everywhere */
}

void sx_i16x8_splat(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)op, (void)imm;
    sx_movd(o, g->d, g->r);
    sx_enc(o, 0xf2, 0, 0x70, g->d, g->d, 0, 0); /* pshuflw 0 */
    sx_byte(o, 0);
    sx_66(o, 0x6c, g->d, g->d); /* punpcklqdq */
}

/* i32x4 and f32x4 */
void sx_splat_dword(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)op, (void)imm;
    sx_movd(o, g->d, g->r);
    sx_66(o, 0x70, g->d, g->d); /* pshufd 0 */
    sx_byte(o, 0);
}

/* i64x2 and f64x2 */
void sx_splat_qword(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)op, (void)imm;
    sx_enc(o, 0x66, 0, 0x6e, g->d, g->r, 1, 0); /* movq */
    sx_66(o, 0x6c, g->d, g->d);                 /* punpcklqdq */
}

/* pextrb, pextrd, pextrq r, d, lane (prefix, map, opcode); then a sign extension
 * if variant names one */
void sx_extract_lane(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    sx_enc(o, op->prefix, op->map, op->opcode, g->d, g->r, op->lane == 3, 0);
    sx_byte(o, imm[0] & ((16u >> op->lane) - 1));
    if (op->variant) sx_enc(o, 0, 0, op->variant, g->r, g->r, 0, 1); /* movsx r32, r8 */
}

/* pextrw's operands go the other way round */
void sx_i16x8_extract_lane(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    sx_enc(o, 0x66, 0, 0xc5, g->r, g->d, 0, 0); /* pextrw r, d */
    sx_byte(o, imm[0] & 7);
    if (op->variant) sx_enc(o, 0, 0, 0xbf, g->r, g->r, 0, 0); /* movsx r32, r16 */
}

/* pinsrb, pinsrw, pinsrd, pinsrq d, r, lane */
void sx_replace_lane(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    sx_enc(o, op->prefix, op->map, op->opcode, g->d, g->r, op->lane == 3, 0);
    sx_byte(o, imm[0] & ((16u >> op->lane) - 1));
}

void sx_i8x16_swizzle(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    int t0 = g->t[0];
    (void)op, (void)imm;
    sx_const128(o, g, t0, 0x7070707070707070ull, 0x7070707070707070ull);
    sx_66(o, 0xdc, t0, g->b); /* paddusb: 16 and up get the top bit, which zeroes the lane */
    sx_66_38(o, 0x00, g->d, t0);
}

/* x = x's bytes picked by the pshufb mask m (built in t) */
static void sx_pshufb_const(sx *o, const simd_x64_regs *g, int x, int t, const uint8_t m[16])
{
    uint64_t q[2];
    memcpy(q, m, 16);
    sx_const128(o, g, t, q[0], q[1]);
    sx_66_38(o, 0x00, x, t);
}

/* a pshufb of each operand the indices reach (0x80 zeroes the lanes of the other),
 * or'd */
void sx_i8x16_shuffle(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    uint8_t from_a[16], from_b[16];
    int any_a = 0, any_b = 0;
    (void)op;
    for (int i = 0; i < 16; i++) {
        from_a[i] = imm[i] < 16 ? imm[i] : 0x80;
        from_b[i] = imm[i] >= 16 ? (uint8_t)(imm[i] - 16) : 0x80;
        any_a |= imm[i] < 16;
        any_b |= imm[i] >= 16;
    }
    if (!any_b) {
        sx_pshufb_const(o, g, g->d, g->t[0], from_a);
    } else if (!any_a) {
        sx_movdqa(o, g->d, g->b);
        sx_pshufb_const(o, g, g->d, g->t[0], from_b);
    } else {
        sx_pshufb_const(o, g, g->d, g->t[0], from_a);
        sx_movdqa(o, g->t[1], g->b);
        sx_pshufb_const(o, g, g->t[1], g->t[0], from_b);
        sx_66(o, 0xeb, g->d, g->t[1]);
    }
}

/* x's low (or high) half widened by pmovsx/zx opcode */
static void sx_widen(sx *o, int x, int opcode, int high)
{
    if (high) sx_shift_imm(o, 0x73, 3, x, 8); /* psrldq x, 8 */
    sx_66_38(o, opcode, x, x);
}

void sx_extend(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)imm;
    sx_widen(o, g->d, op->opcode, op->variant);
}

/* both operands widened, then a full-width pmullw (i16x8) or pmulld (i32x4) */
void sx_extmul(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)imm;
    sx_movdqa(o, g->t[0], g->b);
    sx_widen(o, g->t[0], op->opcode, op->variant);
    sx_widen(o, g->d, op->opcode, op->variant);
    sx_int_op(o, op->lane == 2 ? 0x3840 : 0xd5, g->d, g->t[0]);
}

/* the two dwords of a half to the even lanes (pshufd), then pmuldq or pmuludq */
void sx_i64x2_extmul(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)imm;
    sx_66(o, 0x70, g->t[0], g->b);
    sx_byte(o, op->variant);
    sx_66(o, 0x70, g->d, g->d);
    sx_byte(o, op->variant);
    sx_enc(o, 0x66, op->map, op->opcode, g->d, g->t[0], 0, 0);
}

#endif
