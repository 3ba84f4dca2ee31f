/* exec_simd.c: the lane operations of the 128-bit SIMD instructions (simd.h), written
 * once for every tier: the interpreter's handlers and compiled code call these, so a
 * lane, a saturation or a NaN comes out the same whichever tier ran.
 *
 * Which NaN a float lane gives is pinned down here, not left to the C compiler (which
 * may swap the operands of a commutative op), and chosen as x86's SSE instructions
 * give it with the first operand first, so that inline SSE code (simd_x64.c) returns
 * the same bits: add, sub, mul, div and sqrt return the first NaN operand quieted,
 * else the second quieted, else the default NaN (sign set, payload only the quiet
 * bit); min and max return the default NaN when either operand is a NaN (and order
 * signed zeros); rounding quiets a signalling NaN; pmin/pmax return an operand as it
 * is. All of these are NaNs the spec allows. */
#include <string.h>

#include "numeric.h"
#include "simd.h"

const simd_info simd_table[256] = {
#define SIMD_INFO(name, sub, sig, arg) [sub] = {sig, arg},
    SIMD_OPS(SIMD_INFO)
#undef SIMD_INFO
};

int simd_scalar_type(uint32_t sub)
{
    switch (sub) {
    case SIMD_i64x2_splat:
    case SIMD_i64x2_extract_lane:
    case SIMD_i64x2_replace_lane:
        return 0x7e;
    case SIMD_f32x4_splat:
    case SIMD_f32x4_extract_lane:
    case SIMD_f32x4_replace_lane:
        return 0x7d;
    case SIMD_f64x2_splat:
    case SIMD_f64x2_extract_lane:
    case SIMD_f64x2_replace_lane:
        return 0x7c;
    default:
        return 0x7f;
    }
}

static int8_t sat_i8(int32_t x)
{
    return (int8_t)(x < INT8_MIN ? INT8_MIN : x > INT8_MAX ? INT8_MAX : x);
}
static uint8_t sat_u8(int32_t x)
{
    return (uint8_t)(x < 0 ? 0 : x > UINT8_MAX ? UINT8_MAX : x);
}
static int16_t sat_i16(int32_t x)
{
    return (int16_t)(x < INT16_MIN ? INT16_MIN : x > INT16_MAX ? INT16_MAX : x);
}
static uint16_t sat_u16(int32_t x)
{
    return (uint16_t)(x < 0 ? 0 : x > UINT16_MAX ? UINT16_MAX : x);
}
static uint32_t f32_to(float f)
{
    return (uint32_t)num_f32_bits(f);
}

/* A float lane's result r of a op b by the rule above (b = a for unary ops). */
static float f32_nan(float r, float a, float b)
{
    if (!isnan(r)) return r;
    uint32_t bits = isnan(a) ? f32_to(a) : isnan(b) ? f32_to(b) : 0xffc00000u;
    return num_f32(bits | 0x00400000u);
}
static double f64_nan(double r, double a, double b)
{
    if (!isnan(r)) return r;
    uint64_t bits = isnan(a) ? num_f64_bits(a) : isnan(b) ? num_f64_bits(b) : 0xfff8000000000000ull;
    return num_f64(bits | 0x0008000000000000ull);
}
static float f32_min(float a, float b)
{
    return isnan(a) || isnan(b) ? num_f32(0xffc00000u) : num_f32_min(a, b);
}
static float f32_max(float a, float b)
{
    return isnan(a) || isnan(b) ? num_f32(0xffc00000u) : num_f32_max(a, b);
}
static double f64_min(double a, double b)
{
    return isnan(a) || isnan(b) ? num_f64(0xfff8000000000000ull) : num_f64_min(a, b);
}
static double f64_max(double a, double b)
{
    return isnan(a) || isnan(b) ? num_f64(0xfff8000000000000ull) : num_f64_max(a, b);
}

/* Lane loops: N lanes of field F, r.F[i] = expression of a.F[i], b.F[i]. */
#define EACH(n, stmt)                                                                              \
    do {                                                                                           \
        for (int i = 0; i < (n); i++) {                                                            \
            stmt;                                                                                  \
        }                                                                                          \
    } while (0)
/* Compares: all ones where true. */
#define CMP(n, F, U, op) EACH(n, r.U[i] = a->F[i] op b->F[i] ? (__typeof__(r.U[i]))-1 : 0)
#define BIN(n, F, expr) EACH(n, r.F[i] = (__typeof__(r.F[i]))(expr))

void simd_apply(uint32_t sub, v128 *out, const v128 *a, const v128 *b, const v128 *c,
                const uint8_t *imm)
{
    v128 r;
    memset(&r, 0, sizeof r);
    uint32_t lane = imm[0];
    switch ((enum simd_op)sub) {
    case SIMD_i8x16_shuffle:
        EACH(16, r.u8[i] = imm[i] < 16 ? a->u8[imm[i]] : b->u8[imm[i] & 15]);
        break;
    case SIMD_i8x16_swizzle:
        EACH(16, r.u8[i] = b->u8[i] < 16 ? a->u8[b->u8[i]] : 0);
        break;
    case SIMD_i8x16_splat:
        EACH(16, r.u8[i] = (uint8_t)a->u64[0]);
        break;
    case SIMD_i16x8_splat:
        EACH(8, r.u16[i] = (uint16_t)a->u64[0]);
        break;
    case SIMD_i32x4_splat:
    case SIMD_f32x4_splat:
        EACH(4, r.u32[i] = (uint32_t)a->u64[0]);
        break;
    case SIMD_i64x2_splat:
    case SIMD_f64x2_splat:
        EACH(2, r.u64[i] = a->u64[0]);
        break;
    case SIMD_i8x16_extract_lane_s:
        r.u64[0] = (uint32_t)(int32_t)a->i8[lane & 15];
        break;
    case SIMD_i8x16_extract_lane_u:
        r.u64[0] = a->u8[lane & 15];
        break;
    case SIMD_i16x8_extract_lane_s:
        r.u64[0] = (uint32_t)(int32_t)a->i16[lane & 7];
        break;
    case SIMD_i16x8_extract_lane_u:
        r.u64[0] = a->u16[lane & 7];
        break;
    case SIMD_i32x4_extract_lane:
    case SIMD_f32x4_extract_lane:
        r.u64[0] = a->u32[lane & 3];
        break;
    case SIMD_i64x2_extract_lane:
    case SIMD_f64x2_extract_lane:
        r.u64[0] = a->u64[lane & 1];
        break;
    case SIMD_i8x16_replace_lane:
        r = *a;
        r.u8[lane & 15] = (uint8_t)b->u64[0];
        break;
    case SIMD_i16x8_replace_lane:
        r = *a;
        r.u16[lane & 7] = (uint16_t)b->u64[0];
        break;
    case SIMD_i32x4_replace_lane:
    case SIMD_f32x4_replace_lane:
        r = *a;
        r.u32[lane & 3] = (uint32_t)b->u64[0];
        break;
    case SIMD_i64x2_replace_lane:
    case SIMD_f64x2_replace_lane:
        r = *a;
        r.u64[lane & 1] = b->u64[0];
        break;

    case SIMD_i8x16_eq:
        CMP(16, u8, u8, ==);
        break;
    case SIMD_i8x16_ne:
        CMP(16, u8, u8, !=);
        break;
    case SIMD_i8x16_lt_s:
        CMP(16, i8, u8, <);
        break;
    case SIMD_i8x16_lt_u:
        CMP(16, u8, u8, <);
        break;
    case SIMD_i8x16_gt_s:
        CMP(16, i8, u8, >);
        break;
    case SIMD_i8x16_gt_u:
        CMP(16, u8, u8, >);
        break;
    case SIMD_i8x16_le_s:
        CMP(16, i8, u8, <=);
        break;
    case SIMD_i8x16_le_u:
        CMP(16, u8, u8, <=);
        break;
    case SIMD_i8x16_ge_s:
        CMP(16, i8, u8, >=);
        break;
    case SIMD_i8x16_ge_u:
        CMP(16, u8, u8, >=);
        break;
    case SIMD_i16x8_eq:
        CMP(8, u16, u16, ==);
        break;
    case SIMD_i16x8_ne:
        CMP(8, u16, u16, !=);
        break;
    case SIMD_i16x8_lt_s:
        CMP(8, i16, u16, <);
        break;
    case SIMD_i16x8_lt_u:
        CMP(8, u16, u16, <);
        break;
    case SIMD_i16x8_gt_s:
        CMP(8, i16, u16, >);
        break;
    case SIMD_i16x8_gt_u:
        CMP(8, u16, u16, >);
        break;
    case SIMD_i16x8_le_s:
        CMP(8, i16, u16, <=);
        break;
    case SIMD_i16x8_le_u:
        CMP(8, u16, u16, <=);
        break;
    case SIMD_i16x8_ge_s:
        CMP(8, i16, u16, >=);
        break;
    case SIMD_i16x8_ge_u:
        CMP(8, u16, u16, >=);
        break;
    case SIMD_i32x4_eq:
        CMP(4, u32, u32, ==);
        break;
    case SIMD_i32x4_ne:
        CMP(4, u32, u32, !=);
        break;
    case SIMD_i32x4_lt_s:
        CMP(4, i32, u32, <);
        break;
    case SIMD_i32x4_lt_u:
        CMP(4, u32, u32, <);
        break;
    case SIMD_i32x4_gt_s:
        CMP(4, i32, u32, >);
        break;
    case SIMD_i32x4_gt_u:
        CMP(4, u32, u32, >);
        break;
    case SIMD_i32x4_le_s:
        CMP(4, i32, u32, <=);
        break;
    case SIMD_i32x4_le_u:
        CMP(4, u32, u32, <=);
        break;
    case SIMD_i32x4_ge_s:
        CMP(4, i32, u32, >=);
        break;
    case SIMD_i32x4_ge_u:
        CMP(4, u32, u32, >=);
        break;
    case SIMD_i64x2_eq:
        CMP(2, u64, u64, ==);
        break;
    case SIMD_i64x2_ne:
        CMP(2, u64, u64, !=);
        break;
    case SIMD_i64x2_lt_s:
        CMP(2, i64, u64, <);
        break;
    case SIMD_i64x2_gt_s:
        CMP(2, i64, u64, >);
        break;
    case SIMD_i64x2_le_s:
        CMP(2, i64, u64, <=);
        break;
    case SIMD_i64x2_ge_s:
        CMP(2, i64, u64, >=);
        break;
    case SIMD_f32x4_eq:
        CMP(4, f32, u32, ==);
        break;
    case SIMD_f32x4_ne:
        CMP(4, f32, u32, !=);
        break;
    case SIMD_f32x4_lt:
        CMP(4, f32, u32, <);
        break;
    case SIMD_f32x4_gt:
        CMP(4, f32, u32, >);
        break;
    case SIMD_f32x4_le:
        CMP(4, f32, u32, <=);
        break;
    case SIMD_f32x4_ge:
        CMP(4, f32, u32, >=);
        break;
    case SIMD_f64x2_eq:
        CMP(2, f64, u64, ==);
        break;
    case SIMD_f64x2_ne:
        CMP(2, f64, u64, !=);
        break;
    case SIMD_f64x2_lt:
        CMP(2, f64, u64, <);
        break;
    case SIMD_f64x2_gt:
        CMP(2, f64, u64, >);
        break;
    case SIMD_f64x2_le:
        CMP(2, f64, u64, <=);
        break;
    case SIMD_f64x2_ge:
        CMP(2, f64, u64, >=);
        break;

    case SIMD_v128_not:
        BIN(2, u64, ~a->u64[i]);
        break;
    case SIMD_v128_and:
        BIN(2, u64, a->u64[i] & b->u64[i]);
        break;
    case SIMD_v128_andnot:
        BIN(2, u64, a->u64[i] & ~b->u64[i]);
        break;
    case SIMD_v128_or:
        BIN(2, u64, a->u64[i] | b->u64[i]);
        break;
    case SIMD_v128_xor:
        BIN(2, u64, a->u64[i] ^ b->u64[i]);
        break;
    case SIMD_v128_bitselect:
        BIN(2, u64, (a->u64[i] & c->u64[i]) | (b->u64[i] & ~c->u64[i]));
        break;
    case SIMD_v128_any_true:
        r.u64[0] = (a->u64[0] | a->u64[1]) != 0;
        break;

    case SIMD_f32x4_demote_f64x2_zero:
        BIN(2, f32, (float)a->f64[i]);
        break;
    case SIMD_f64x2_promote_low_f32x4:
        BIN(2, f64, (double)a->f32[i]);
        break;

    /* i8x16 */
    case SIMD_i8x16_abs:
        BIN(16, u8, a->i8[i] < 0 ? 0u - a->u8[i] : a->u8[i]);
        break;
    case SIMD_i8x16_neg:
        BIN(16, u8, 0u - a->u8[i]);
        break;
    case SIMD_i8x16_popcnt:
        BIN(16, u8, __builtin_popcount(a->u8[i]));
        break;
    case SIMD_i8x16_all_true: {
        int all = 1;
        EACH(16, all &= a->u8[i] != 0);
        r.u64[0] = (uint64_t)all;
        break;
    }
    case SIMD_i8x16_bitmask:
        EACH(16, r.u64[0] |= (uint64_t)(a->u8[i] >> 7) << i);
        break;
    case SIMD_i8x16_narrow_i16x8_s:
        EACH(8, r.i8[i] = sat_i8(a->i16[i]); r.i8[i + 8] = sat_i8(b->i16[i]));
        break;
    case SIMD_i8x16_narrow_i16x8_u:
        EACH(8, r.u8[i] = sat_u8(a->i16[i]); r.u8[i + 8] = sat_u8(b->i16[i]));
        break;
    case SIMD_i8x16_shl:
        BIN(16, u8, a->u8[i] << (b->u64[0] & 7));
        break;
    case SIMD_i8x16_shr_s:
        BIN(16, i8, a->i8[i] >> (b->u64[0] & 7));
        break;
    case SIMD_i8x16_shr_u:
        BIN(16, u8, a->u8[i] >> (b->u64[0] & 7));
        break;
    case SIMD_i8x16_add:
        BIN(16, u8, a->u8[i] + b->u8[i]);
        break;
    case SIMD_i8x16_add_sat_s:
        BIN(16, i8, sat_i8(a->i8[i] + b->i8[i]));
        break;
    case SIMD_i8x16_add_sat_u:
        BIN(16, u8, sat_u8(a->u8[i] + b->u8[i]));
        break;
    case SIMD_i8x16_sub:
        BIN(16, u8, a->u8[i] - b->u8[i]);
        break;
    case SIMD_i8x16_sub_sat_s:
        BIN(16, i8, sat_i8(a->i8[i] - b->i8[i]));
        break;
    case SIMD_i8x16_sub_sat_u:
        BIN(16, u8, sat_u8(a->u8[i] - b->u8[i]));
        break;
    case SIMD_i8x16_min_s:
        BIN(16, i8, a->i8[i] < b->i8[i] ? a->i8[i] : b->i8[i]);
        break;
    case SIMD_i8x16_min_u:
        BIN(16, u8, a->u8[i] < b->u8[i] ? a->u8[i] : b->u8[i]);
        break;
    case SIMD_i8x16_max_s:
        BIN(16, i8, a->i8[i] > b->i8[i] ? a->i8[i] : b->i8[i]);
        break;
    case SIMD_i8x16_max_u:
        BIN(16, u8, a->u8[i] > b->u8[i] ? a->u8[i] : b->u8[i]);
        break;
    case SIMD_i8x16_avgr_u:
        BIN(16, u8, (a->u8[i] + b->u8[i] + 1u) >> 1);
        break;

    /* i16x8 */
    case SIMD_i16x8_extadd_pairwise_i8x16_s:
        BIN(8, i16, a->i8[2 * i] + a->i8[2 * i + 1]);
        break;
    case SIMD_i16x8_extadd_pairwise_i8x16_u:
        BIN(8, u16, a->u8[2 * i] + a->u8[2 * i + 1]);
        break;
    case SIMD_i16x8_abs:
        BIN(8, u16, a->i16[i] < 0 ? 0u - a->u16[i] : a->u16[i]);
        break;
    case SIMD_i16x8_neg:
        BIN(8, u16, 0u - a->u16[i]);
        break;
    case SIMD_i16x8_q15mulr_sat_s:
        BIN(8, i16, sat_i16((a->i16[i] * b->i16[i] + 0x4000) >> 15));
        break;
    case SIMD_i16x8_all_true: {
        int all = 1;
        EACH(8, all &= a->u16[i] != 0);
        r.u64[0] = (uint64_t)all;
        break;
    }
    case SIMD_i16x8_bitmask:
        EACH(8, r.u64[0] |= (uint64_t)(a->u16[i] >> 15) << i);
        break;
    case SIMD_i16x8_narrow_i32x4_s:
        EACH(4, r.i16[i] = sat_i16(a->i32[i]); r.i16[i + 4] = sat_i16(b->i32[i]));
        break;
    case SIMD_i16x8_narrow_i32x4_u:
        EACH(4, r.u16[i] = sat_u16(a->i32[i]); r.u16[i + 4] = sat_u16(b->i32[i]));
        break;
    case SIMD_i16x8_extend_low_i8x16_s:
        BIN(8, i16, a->i8[i]);
        break;
    case SIMD_i16x8_extend_high_i8x16_s:
        BIN(8, i16, a->i8[i + 8]);
        break;
    case SIMD_i16x8_extend_low_i8x16_u:
        BIN(8, u16, a->u8[i]);
        break;
    case SIMD_i16x8_extend_high_i8x16_u:
        BIN(8, u16, a->u8[i + 8]);
        break;
    case SIMD_i16x8_shl:
        BIN(8, u16, (uint32_t)a->u16[i] << (b->u64[0] & 15));
        break;
    case SIMD_i16x8_shr_s:
        BIN(8, i16, a->i16[i] >> (b->u64[0] & 15));
        break;
    case SIMD_i16x8_shr_u:
        BIN(8, u16, a->u16[i] >> (b->u64[0] & 15));
        break;
    case SIMD_i16x8_add:
        BIN(8, u16, a->u16[i] + b->u16[i]);
        break;
    case SIMD_i16x8_add_sat_s:
        BIN(8, i16, sat_i16(a->i16[i] + b->i16[i]));
        break;
    case SIMD_i16x8_add_sat_u:
        BIN(8, u16, sat_u16(a->u16[i] + b->u16[i]));
        break;
    case SIMD_i16x8_sub:
        BIN(8, u16, a->u16[i] - b->u16[i]);
        break;
    case SIMD_i16x8_sub_sat_s:
        BIN(8, i16, sat_i16(a->i16[i] - b->i16[i]));
        break;
    case SIMD_i16x8_sub_sat_u:
        BIN(8, u16, sat_u16(a->u16[i] - b->u16[i]));
        break;
    case SIMD_i16x8_mul:
        BIN(8, u16, (uint32_t)a->u16[i] * b->u16[i]);
        break;
    case SIMD_i16x8_min_s:
        BIN(8, i16, a->i16[i] < b->i16[i] ? a->i16[i] : b->i16[i]);
        break;
    case SIMD_i16x8_min_u:
        BIN(8, u16, a->u16[i] < b->u16[i] ? a->u16[i] : b->u16[i]);
        break;
    case SIMD_i16x8_max_s:
        BIN(8, i16, a->i16[i] > b->i16[i] ? a->i16[i] : b->i16[i]);
        break;
    case SIMD_i16x8_max_u:
        BIN(8, u16, a->u16[i] > b->u16[i] ? a->u16[i] : b->u16[i]);
        break;
    case SIMD_i16x8_avgr_u:
        BIN(8, u16, (a->u16[i] + b->u16[i] + 1u) >> 1);
        break;
    case SIMD_i16x8_extmul_low_i8x16_s:
        BIN(8, i16, a->i8[i] * b->i8[i]);
        break;
    case SIMD_i16x8_extmul_high_i8x16_s:
        BIN(8, i16, a->i8[i + 8] * b->i8[i + 8]);
        break;
    case SIMD_i16x8_extmul_low_i8x16_u:
        BIN(8, u16, a->u8[i] * b->u8[i]);
        break;
    case SIMD_i16x8_extmul_high_i8x16_u:
        BIN(8, u16, a->u8[i + 8] * b->u8[i + 8]);
        break;

    /* i32x4 */
    case SIMD_i32x4_extadd_pairwise_i16x8_s:
        BIN(4, i32, a->i16[2 * i] + a->i16[2 * i + 1]);
        break;
    case SIMD_i32x4_extadd_pairwise_i16x8_u:
        BIN(4, u32, (uint32_t)a->u16[2 * i] + a->u16[2 * i + 1]);
        break;
    case SIMD_i32x4_abs:
        BIN(4, u32, a->i32[i] < 0 ? 0u - a->u32[i] : a->u32[i]);
        break;
    case SIMD_i32x4_neg:
        BIN(4, u32, 0u - a->u32[i]);
        break;
    case SIMD_i32x4_all_true: {
        int all = 1;
        EACH(4, all &= a->u32[i] != 0);
        r.u64[0] = (uint64_t)all;
        break;
    }
    case SIMD_i32x4_bitmask:
        EACH(4, r.u64[0] |= (uint64_t)(a->u32[i] >> 31) << i);
        break;
    case SIMD_i32x4_extend_low_i16x8_s:
        BIN(4, i32, a->i16[i]);
        break;
    case SIMD_i32x4_extend_high_i16x8_s:
        BIN(4, i32, a->i16[i + 4]);
        break;
    case SIMD_i32x4_extend_low_i16x8_u:
        BIN(4, u32, a->u16[i]);
        break;
    case SIMD_i32x4_extend_high_i16x8_u:
        BIN(4, u32, a->u16[i + 4]);
        break;
    case SIMD_i32x4_shl:
        BIN(4, u32, a->u32[i] << (b->u64[0] & 31));
        break;
    case SIMD_i32x4_shr_s:
        BIN(4, i32, a->i32[i] >> (b->u64[0] & 31));
        break;
    case SIMD_i32x4_shr_u:
        BIN(4, u32, a->u32[i] >> (b->u64[0] & 31));
        break;
    case SIMD_i32x4_add:
        BIN(4, u32, a->u32[i] + b->u32[i]);
        break;
    case SIMD_i32x4_sub:
        BIN(4, u32, a->u32[i] - b->u32[i]);
        break;
    case SIMD_i32x4_mul:
        BIN(4, u32, a->u32[i] * b->u32[i]);
        break;
    case SIMD_i32x4_min_s:
        BIN(4, i32, a->i32[i] < b->i32[i] ? a->i32[i] : b->i32[i]);
        break;
    case SIMD_i32x4_min_u:
        BIN(4, u32, a->u32[i] < b->u32[i] ? a->u32[i] : b->u32[i]);
        break;
    case SIMD_i32x4_max_s:
        BIN(4, i32, a->i32[i] > b->i32[i] ? a->i32[i] : b->i32[i]);
        break;
    case SIMD_i32x4_max_u:
        BIN(4, u32, a->u32[i] > b->u32[i] ? a->u32[i] : b->u32[i]);
        break;
    case SIMD_i32x4_dot_i16x8_s:
        BIN(4, u32,
            (uint32_t)(a->i16[2 * i] * b->i16[2 * i]) +
                (uint32_t)(a->i16[2 * i + 1] * b->i16[2 * i + 1]));
        break;
    case SIMD_i32x4_extmul_low_i16x8_s:
        BIN(4, i32, a->i16[i] * b->i16[i]);
        break;
    case SIMD_i32x4_extmul_high_i16x8_s:
        BIN(4, i32, a->i16[i + 4] * b->i16[i + 4]);
        break;
    case SIMD_i32x4_extmul_low_i16x8_u:
        BIN(4, u32, (uint32_t)a->u16[i] * b->u16[i]);
        break;
    case SIMD_i32x4_extmul_high_i16x8_u:
        BIN(4, u32, (uint32_t)a->u16[i + 4] * b->u16[i + 4]);
        break;

    /* i64x2 */
    case SIMD_i64x2_abs:
        BIN(2, u64, a->i64[i] < 0 ? 0u - a->u64[i] : a->u64[i]);
        break;
    case SIMD_i64x2_neg:
        BIN(2, u64, 0u - a->u64[i]);
        break;
    case SIMD_i64x2_all_true:
        r.u64[0] = a->u64[0] != 0 && a->u64[1] != 0;
        break;
    case SIMD_i64x2_bitmask:
        EACH(2, r.u64[0] |= (a->u64[i] >> 63) << i);
        break;
    case SIMD_i64x2_extend_low_i32x4_s:
        BIN(2, i64, a->i32[i]);
        break;
    case SIMD_i64x2_extend_high_i32x4_s:
        BIN(2, i64, a->i32[i + 2]);
        break;
    case SIMD_i64x2_extend_low_i32x4_u:
        BIN(2, u64, a->u32[i]);
        break;
    case SIMD_i64x2_extend_high_i32x4_u:
        BIN(2, u64, a->u32[i + 2]);
        break;
    case SIMD_i64x2_shl:
        BIN(2, u64, a->u64[i] << (b->u64[0] & 63));
        break;
    case SIMD_i64x2_shr_s:
        BIN(2, i64, a->i64[i] >> (b->u64[0] & 63));
        break;
    case SIMD_i64x2_shr_u:
        BIN(2, u64, a->u64[i] >> (b->u64[0] & 63));
        break;
    case SIMD_i64x2_add:
        BIN(2, u64, a->u64[i] + b->u64[i]);
        break;
    case SIMD_i64x2_sub:
        BIN(2, u64, a->u64[i] - b->u64[i]);
        break;
    case SIMD_i64x2_mul:
        BIN(2, u64, a->u64[i] * b->u64[i]);
        break;
    case SIMD_i64x2_extmul_low_i32x4_s:
        BIN(2, i64, (int64_t)a->i32[i] * b->i32[i]);
        break;
    case SIMD_i64x2_extmul_high_i32x4_s:
        BIN(2, i64, (int64_t)a->i32[i + 2] * b->i32[i + 2]);
        break;
    case SIMD_i64x2_extmul_low_i32x4_u:
        BIN(2, u64, (uint64_t)a->u32[i] * b->u32[i]);
        break;
    case SIMD_i64x2_extmul_high_i32x4_u:
        BIN(2, u64, (uint64_t)a->u32[i + 2] * b->u32[i + 2]);
        break;

    /* f32x4 */
    case SIMD_f32x4_ceil:
        BIN(4, f32, num_ceilf(a->f32[i]));
        break;
    case SIMD_f32x4_floor:
        BIN(4, f32, num_floorf(a->f32[i]));
        break;
    case SIMD_f32x4_trunc:
        BIN(4, f32, num_truncf(a->f32[i]));
        break;
    case SIMD_f32x4_nearest:
        BIN(4, f32, num_rintf(a->f32[i]));
        break;
    case SIMD_f32x4_abs:
        BIN(4, u32, a->u32[i] & 0x7fffffffu);
        break;
    case SIMD_f32x4_neg:
        BIN(4, u32, a->u32[i] ^ 0x80000000u);
        break;
    case SIMD_f32x4_sqrt:
        BIN(4, f32, f32_nan(sqrtf(a->f32[i]), a->f32[i], a->f32[i]));
        break;
    case SIMD_f32x4_add:
        BIN(4, f32, f32_nan(a->f32[i] + b->f32[i], a->f32[i], b->f32[i]));
        break;
    case SIMD_f32x4_sub:
        BIN(4, f32, f32_nan(a->f32[i] - b->f32[i], a->f32[i], b->f32[i]));
        break;
    case SIMD_f32x4_mul:
        BIN(4, f32, f32_nan(a->f32[i] * b->f32[i], a->f32[i], b->f32[i]));
        break;
    case SIMD_f32x4_div:
        BIN(4, f32, f32_nan(a->f32[i] / b->f32[i], a->f32[i], b->f32[i]));
        break;
    case SIMD_f32x4_min:
        BIN(4, u32, f32_to(f32_min(a->f32[i], b->f32[i])));
        break;
    case SIMD_f32x4_max:
        BIN(4, u32, f32_to(f32_max(a->f32[i], b->f32[i])));
        break;
    case SIMD_f32x4_pmin:
        BIN(4, u32, b->f32[i] < a->f32[i] ? b->u32[i] : a->u32[i]);
        break;
    case SIMD_f32x4_pmax:
        BIN(4, u32, a->f32[i] < b->f32[i] ? b->u32[i] : a->u32[i]);
        break;
    case SIMD_i32x4_trunc_sat_f32x4_s:
        BIN(4, u32, num_sat_i32_s(a->f32[i]));
        break;
    case SIMD_i32x4_trunc_sat_f32x4_u:
        BIN(4, u32, num_sat_i32_u(a->f32[i]));
        break;
    case SIMD_f32x4_convert_i32x4_s:
        BIN(4, f32, (float)a->i32[i]);
        break;
    case SIMD_f32x4_convert_i32x4_u:
        BIN(4, f32, (float)a->u32[i]);
        break;

    /* f64x2 */
    case SIMD_f64x2_ceil:
        BIN(2, f64, num_ceil(a->f64[i]));
        break;
    case SIMD_f64x2_floor:
        BIN(2, f64, num_floor(a->f64[i]));
        break;
    case SIMD_f64x2_trunc:
        BIN(2, f64, num_trunc(a->f64[i]));
        break;
    case SIMD_f64x2_nearest:
        BIN(2, f64, num_rint(a->f64[i]));
        break;
    case SIMD_f64x2_abs:
        BIN(2, u64, a->u64[i] & 0x7fffffffffffffffull);
        break;
    case SIMD_f64x2_neg:
        BIN(2, u64, a->u64[i] ^ 0x8000000000000000ull);
        break;
    case SIMD_f64x2_sqrt:
        BIN(2, f64, f64_nan(sqrt(a->f64[i]), a->f64[i], a->f64[i]));
        break;
    case SIMD_f64x2_add:
        BIN(2, f64, f64_nan(a->f64[i] + b->f64[i], a->f64[i], b->f64[i]));
        break;
    case SIMD_f64x2_sub:
        BIN(2, f64, f64_nan(a->f64[i] - b->f64[i], a->f64[i], b->f64[i]));
        break;
    case SIMD_f64x2_mul:
        BIN(2, f64, f64_nan(a->f64[i] * b->f64[i], a->f64[i], b->f64[i]));
        break;
    case SIMD_f64x2_div:
        BIN(2, f64, f64_nan(a->f64[i] / b->f64[i], a->f64[i], b->f64[i]));
        break;
    case SIMD_f64x2_min:
        BIN(2, u64, num_f64_bits(f64_min(a->f64[i], b->f64[i])));
        break;
    case SIMD_f64x2_max:
        BIN(2, u64, num_f64_bits(f64_max(a->f64[i], b->f64[i])));
        break;
    case SIMD_f64x2_pmin:
        BIN(2, u64, b->f64[i] < a->f64[i] ? b->u64[i] : a->u64[i]);
        break;
    case SIMD_f64x2_pmax:
        BIN(2, u64, a->f64[i] < b->f64[i] ? b->u64[i] : a->u64[i]);
        break;
    case SIMD_i32x4_trunc_sat_f64x2_s_zero:
        BIN(2, u32, num_sat_i32_s(a->f64[i]));
        break;
    case SIMD_i32x4_trunc_sat_f64x2_u_zero:
        BIN(2, u32, num_sat_i32_u(a->f64[i]));
        break;
    case SIMD_f64x2_convert_low_i32x4_s:
        BIN(2, f64, (double)a->i32[i]);
        break;
    case SIMD_f64x2_convert_low_i32x4_u:
        BIN(2, f64, (double)a->u32[i]);
        break;
    default:
        /* memory and const instructions are not lane operations (simd_load,
           simd_store_bytes); validation lets no other sub-opcode through */
        break;
    }
    *out = r;
}

void simd_load(uint32_t sub, v128 *out, const uint8_t *m, const v128 *vec, uint32_t lane)
{
    v128 r;
    memset(&r, 0, sizeof r);
    v128 s; /* the bytes read, in the low lanes */
    memset(&s, 0, sizeof s);
    memcpy(&s, m, (size_t)1 << simd_table[sub & 0xff].arg);
    switch ((enum simd_op)sub) {
    case SIMD_v128_load8x8_s:
        BIN(8, i16, s.i8[i]);
        break;
    case SIMD_v128_load8x8_u:
        BIN(8, u16, s.u8[i]);
        break;
    case SIMD_v128_load16x4_s:
        BIN(4, i32, s.i16[i]);
        break;
    case SIMD_v128_load16x4_u:
        BIN(4, u32, s.u16[i]);
        break;
    case SIMD_v128_load32x2_s:
        BIN(2, i64, s.i32[i]);
        break;
    case SIMD_v128_load32x2_u:
        BIN(2, u64, s.u32[i]);
        break;
    case SIMD_v128_load8_splat:
        BIN(16, u8, s.u8[0]);
        break;
    case SIMD_v128_load16_splat:
        BIN(8, u16, s.u16[0]);
        break;
    case SIMD_v128_load32_splat:
        BIN(4, u32, s.u32[0]);
        break;
    case SIMD_v128_load64_splat:
        BIN(2, u64, s.u64[0]);
        break;
    case SIMD_v128_load8_lane:
        r = *vec;
        r.u8[lane & 15] = s.u8[0];
        break;
    case SIMD_v128_load16_lane:
        r = *vec;
        r.u16[lane & 7] = s.u16[0];
        break;
    case SIMD_v128_load32_lane:
        r = *vec;
        r.u32[lane & 3] = s.u32[0];
        break;
    case SIMD_v128_load64_lane:
        r = *vec;
        r.u64[lane & 1] = s.u64[0];
        break;
    default: /* v128.load, load32_zero, load64_zero: the bytes as they are */
        r = s;
        break;
    }
    *out = r;
}

void simd_store_bytes(uint32_t sub, uint8_t *out, const v128 *vec, uint32_t lane)
{
    switch ((enum simd_op)sub) {
    case SIMD_v128_store8_lane:
        out[0] = vec->u8[lane & 15];
        break;
    case SIMD_v128_store16_lane:
        memcpy(out, &vec->u16[lane & 7], 2);
        break;
    case SIMD_v128_store32_lane:
        memcpy(out, &vec->u32[lane & 3], 4);
        break;
    case SIMD_v128_store64_lane:
        memcpy(out, &vec->u64[lane & 1], 8);
        break;
    default:
        memcpy(out, vec, 16);
        break;
    }
}
