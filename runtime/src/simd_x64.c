/* simd_x64.c: the SSE code of each 128-bit SIMD lane operation (simd_x64.h), found
 * through a table indexed by sub-opcode. An entry names the function that writes the
 * code and the data that tells one member of a family from another: the operations
 * that are one instruction d = d op b (or d = op d) are only data here, the opcode
 * bytes, written by sx_binary / sx_unary; the sequences where Wasm's rule differs
 * from SSE's are functions in simd_x64_int.c and simd_x64_float.c. Every entry needs
 * SSSE3 and SSE4.1, a few SSE4.2 besides; this file also reads the CPU's features and
 * finds which scratch registers an operation uses. */
#include "simd_x64.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <string.h>

#include "simd.h"
#include "simd_x64_ops.h"

#define SX_ALL (SIMD_X64_SSSE3 | SIMD_X64_SSE41)

unsigned simd_x64_features(void)
{
    static int known;
    static unsigned features;
    if (!__atomic_load_n(&known, __ATOMIC_ACQUIRE)) {
        unsigned a, b, c, d, f = 0;
        if (__get_cpuid(1, &a, &b, &c, &d)) {
            if (c & bit_SSSE3) f |= SIMD_X64_SSSE3;
            if (c & bit_SSE4_1) f |= SIMD_X64_SSE41;
            if (c & bit_SSE4_2) f |= SIMD_X64_SSE42;
        }
        features = f;
        __atomic_store_n(&known, 1, __ATOMIC_RELEASE);
    }
    return features;
}

/* d = d op b: prefix, map, opcode */
static void sx_binary(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)imm;
    sx_enc(o, op->prefix, op->map, op->opcode, g->d, g->b, 0, 0);
}

/* d = op d: prefix, map, opcode */
static void sx_unary(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g)
{
    (void)imm;
    sx_enc(o, op->prefix, op->map, op->opcode, g->d, g->d, 0, 0);
}

/* Entries: {function, prefix, map, opcode, then the fields the function reads}. */
static const sx_op sx_ops[256] = {
    [SIMD_i8x16_shuffle] = {sx_i8x16_shuffle},
    [SIMD_i8x16_swizzle] = {sx_i8x16_swizzle},
    [SIMD_i8x16_splat] = {sx_i8x16_splat},
    [SIMD_i16x8_splat] = {sx_i16x8_splat},
    [SIMD_i32x4_splat] = {sx_splat_dword},
    [SIMD_i64x2_splat] = {sx_splat_qword},
    [SIMD_f32x4_splat] = {sx_splat_dword},
    [SIMD_f64x2_splat] = {sx_splat_qword},
    [SIMD_i8x16_extract_lane_s] = {sx_extract_lane, 0x66, 0x3a, 0x14, .lane = 0, .variant = 0xbe},
    [SIMD_i8x16_extract_lane_u] = {sx_extract_lane, 0x66, 0x3a, 0x14, .lane = 0},
    [SIMD_i8x16_replace_lane] = {sx_replace_lane, 0x66, 0x3a, 0x20, .lane = 0},
    [SIMD_i16x8_extract_lane_s] = {sx_i16x8_extract_lane, .variant = 1},
    [SIMD_i16x8_extract_lane_u] = {sx_i16x8_extract_lane},
    [SIMD_i16x8_replace_lane] = {sx_replace_lane, 0x66, 0, 0xc4, .lane = 1},
    [SIMD_i32x4_extract_lane] = {sx_extract_lane, 0x66, 0x3a, 0x16, .lane = 2},
    [SIMD_i32x4_replace_lane] = {sx_replace_lane, 0x66, 0x3a, 0x22, .lane = 2},
    [SIMD_i64x2_extract_lane] = {sx_extract_lane, 0x66, 0x3a, 0x16, .lane = 3},
    [SIMD_i64x2_replace_lane] = {sx_replace_lane, 0x66, 0x3a, 0x22, .lane = 3},
    [SIMD_f32x4_extract_lane] = {sx_extract_lane, 0x66, 0x3a, 0x16, .lane = 2},
    [SIMD_f32x4_replace_lane] = {sx_replace_lane, 0x66, 0x3a, 0x22, .lane = 2},
    [SIMD_f64x2_extract_lane] = {sx_extract_lane, 0x66, 0x3a, 0x16, .lane = 3},
    [SIMD_f64x2_replace_lane] = {sx_replace_lane, 0x66, 0x3a, 0x22, .lane = 3},

    [SIMD_i8x16_eq] = {sx_int_compare, .lane = 0, .variant = SX_EQ},
    [SIMD_i8x16_ne] = {sx_int_compare, .lane = 0, .variant = SX_NE},
    [SIMD_i8x16_lt_s] = {sx_int_compare, .lane = 0, .variant = SX_LT_S},
    [SIMD_i8x16_lt_u] = {sx_int_compare, .lane = 0, .variant = SX_LT_U},
    [SIMD_i8x16_gt_s] = {sx_int_compare, .lane = 0, .variant = SX_GT_S},
    [SIMD_i8x16_gt_u] = {sx_int_compare, .lane = 0, .variant = SX_GT_U},
    [SIMD_i8x16_le_s] = {sx_int_compare, .lane = 0, .variant = SX_LE_S},
    [SIMD_i8x16_le_u] = {sx_int_compare, .lane = 0, .variant = SX_LE_U},
    [SIMD_i8x16_ge_s] = {sx_int_compare, .lane = 0, .variant = SX_GE_S},
    [SIMD_i8x16_ge_u] = {sx_int_compare, .lane = 0, .variant = SX_GE_U},
    [SIMD_i16x8_eq] = {sx_int_compare, .lane = 1, .variant = SX_EQ},
    [SIMD_i16x8_ne] = {sx_int_compare, .lane = 1, .variant = SX_NE},
    [SIMD_i16x8_lt_s] = {sx_int_compare, .lane = 1, .variant = SX_LT_S},
    [SIMD_i16x8_lt_u] = {sx_int_compare, .lane = 1, .variant = SX_LT_U},
    [SIMD_i16x8_gt_s] = {sx_int_compare, .lane = 1, .variant = SX_GT_S},
    [SIMD_i16x8_gt_u] = {sx_int_compare, .lane = 1, .variant = SX_GT_U},
    [SIMD_i16x8_le_s] = {sx_int_compare, .lane = 1, .variant = SX_LE_S},
    [SIMD_i16x8_le_u] = {sx_int_compare, .lane = 1, .variant = SX_LE_U},
    [SIMD_i16x8_ge_s] = {sx_int_compare, .lane = 1, .variant = SX_GE_S},
    [SIMD_i16x8_ge_u] = {sx_int_compare, .lane = 1, .variant = SX_GE_U},
    [SIMD_i32x4_eq] = {sx_int_compare, .lane = 2, .variant = SX_EQ},
    [SIMD_i32x4_ne] = {sx_int_compare, .lane = 2, .variant = SX_NE},
    [SIMD_i32x4_lt_s] = {sx_int_compare, .lane = 2, .variant = SX_LT_S},
    [SIMD_i32x4_lt_u] = {sx_int_compare, .lane = 2, .variant = SX_LT_U},
    [SIMD_i32x4_gt_s] = {sx_int_compare, .lane = 2, .variant = SX_GT_S},
    [SIMD_i32x4_gt_u] = {sx_int_compare, .lane = 2, .variant = SX_GT_U},
    [SIMD_i32x4_le_s] = {sx_int_compare, .lane = 2, .variant = SX_LE_S},
    [SIMD_i32x4_le_u] = {sx_int_compare, .lane = 2, .variant = SX_LE_U},
    [SIMD_i32x4_ge_s] = {sx_int_compare, .lane = 2, .variant = SX_GE_S},
    [SIMD_i32x4_ge_u] = {sx_int_compare, .lane = 2, .variant = SX_GE_U},
    /* cmpps / cmppd predicates: 0 eq, 1 lt, 2 le, 4 neq; gt and ge swap the operands */
    [SIMD_f32x4_eq] = {sx_float_compare, 0, 0, 0xc2, .variant = 0},
    [SIMD_f32x4_ne] = {sx_float_compare, 0, 0, 0xc2, .variant = 4},
    [SIMD_f32x4_lt] = {sx_float_compare, 0, 0, 0xc2, .variant = 1},
    [SIMD_f32x4_gt] = {sx_float_compare_swapped, 0, 0, 0xc2, .variant = 1},
    [SIMD_f32x4_le] = {sx_float_compare, 0, 0, 0xc2, .variant = 2},
    [SIMD_f32x4_ge] = {sx_float_compare_swapped, 0, 0, 0xc2, .variant = 2},
    [SIMD_f64x2_eq] = {sx_float_compare, 0x66, 0, 0xc2, .variant = 0},
    [SIMD_f64x2_ne] = {sx_float_compare, 0x66, 0, 0xc2, .variant = 4},
    [SIMD_f64x2_lt] = {sx_float_compare, 0x66, 0, 0xc2, .variant = 1},
    [SIMD_f64x2_gt] = {sx_float_compare_swapped, 0x66, 0, 0xc2, .variant = 1},
    [SIMD_f64x2_le] = {sx_float_compare, 0x66, 0, 0xc2, .variant = 2},
    [SIMD_f64x2_ge] = {sx_float_compare_swapped, 0x66, 0, 0xc2, .variant = 2},

    [SIMD_v128_not] = {sx_v128_not},
    [SIMD_v128_and] = {sx_binary, 0x66, 0, 0xdb},
    [SIMD_v128_andnot] = {sx_v128_andnot},
    [SIMD_v128_or] = {sx_binary, 0x66, 0, 0xeb},
    [SIMD_v128_xor] = {sx_binary, 0x66, 0, 0xef},
    [SIMD_v128_bitselect] = {sx_v128_bitselect},
    [SIMD_v128_any_true] = {sx_v128_any_true},
    [SIMD_f32x4_demote_f64x2_zero] = {sx_unary, 0x66, 0, 0x5a},
    [SIMD_f64x2_promote_low_f32x4] = {sx_unary, 0, 0, 0x5a},

    [SIMD_i8x16_abs] = {sx_unary, 0x66, 0x38, 0x1c},
    [SIMD_i8x16_neg] = {sx_int_neg, .opcode = 0xf8},
    [SIMD_i8x16_popcnt] = {sx_i8x16_popcnt},
    [SIMD_i8x16_all_true] = {sx_all_true, .lane = 0},
    [SIMD_i8x16_bitmask] = {sx_move_mask, 0x66, 0, 0xd7},
    [SIMD_i8x16_narrow_i16x8_s] = {sx_binary, 0x66, 0, 0x63},
    [SIMD_i8x16_narrow_i16x8_u] = {sx_binary, 0x66, 0, 0x67},
    /* roundps / roundpd modes: 0 nearest, 1 floor, 2 ceil, 3 trunc */
    [SIMD_f32x4_ceil] = {sx_float_round, 0x66, 0x3a, 0x08, .variant = 2},
    [SIMD_f32x4_floor] = {sx_float_round, 0x66, 0x3a, 0x08, .variant = 1},
    [SIMD_f32x4_trunc] = {sx_float_round, 0x66, 0x3a, 0x08, .variant = 3},
    [SIMD_f32x4_nearest] = {sx_float_round, 0x66, 0x3a, 0x08, .variant = 0},
    [SIMD_i8x16_shl] = {sx_i8x16_shl},
    [SIMD_i8x16_shr_s] = {sx_i8x16_shr_s},
    [SIMD_i8x16_shr_u] = {sx_i8x16_shr_u},
    [SIMD_i8x16_add] = {sx_binary, 0x66, 0, 0xfc},
    [SIMD_i8x16_add_sat_s] = {sx_binary, 0x66, 0, 0xec},
    [SIMD_i8x16_add_sat_u] = {sx_binary, 0x66, 0, 0xdc},
    [SIMD_i8x16_sub] = {sx_binary, 0x66, 0, 0xf8},
    [SIMD_i8x16_sub_sat_s] = {sx_binary, 0x66, 0, 0xe8},
    [SIMD_i8x16_sub_sat_u] = {sx_binary, 0x66, 0, 0xd8},
    [SIMD_f64x2_ceil] = {sx_float_round, 0x66, 0x3a, 0x09, .variant = 2},
    [SIMD_f64x2_floor] = {sx_float_round, 0x66, 0x3a, 0x09, .variant = 1},
    [SIMD_i8x16_min_s] = {sx_binary, 0x66, 0x38, 0x38},
    [SIMD_i8x16_min_u] = {sx_binary, 0x66, 0, 0xda},
    [SIMD_i8x16_max_s] = {sx_binary, 0x66, 0x38, 0x3c},
    [SIMD_i8x16_max_u] = {sx_binary, 0x66, 0, 0xde},
    [SIMD_f64x2_trunc] = {sx_float_round, 0x66, 0x3a, 0x09, .variant = 3},
    [SIMD_i8x16_avgr_u] = {sx_binary, 0x66, 0, 0xe0},
    [SIMD_i16x8_extadd_pairwise_i8x16_s] = {sx_i16x8_extadd_pairwise_i8x16_s},
    [SIMD_i16x8_extadd_pairwise_i8x16_u] = {sx_i16x8_extadd_pairwise_i8x16_u},
    [SIMD_i32x4_extadd_pairwise_i16x8_s] = {sx_i32x4_extadd_pairwise_i16x8_s},
    [SIMD_i32x4_extadd_pairwise_i16x8_u] = {sx_i32x4_extadd_pairwise_i16x8_u},

    [SIMD_i16x8_abs] = {sx_unary, 0x66, 0x38, 0x1d},
    [SIMD_i16x8_neg] = {sx_int_neg, .opcode = 0xf9},
    [SIMD_i16x8_q15mulr_sat_s] = {sx_i16x8_q15mulr_sat_s},
    [SIMD_i16x8_all_true] = {sx_all_true, .lane = 1},
    [SIMD_i16x8_bitmask] = {sx_i16x8_bitmask},
    [SIMD_i16x8_narrow_i32x4_s] = {sx_binary, 0x66, 0, 0x6b},
    [SIMD_i16x8_narrow_i32x4_u] = {sx_binary, 0x66, 0x38, 0x2b},
    /* pmovsxbw, pmovzxbw */
    [SIMD_i16x8_extend_low_i8x16_s] = {sx_extend, .opcode = 0x20},
    [SIMD_i16x8_extend_high_i8x16_s] = {sx_extend, .opcode = 0x20, .variant = 1},
    [SIMD_i16x8_extend_low_i8x16_u] = {sx_extend, .opcode = 0x30},
    [SIMD_i16x8_extend_high_i8x16_u] = {sx_extend, .opcode = 0x30, .variant = 1},
    [SIMD_i16x8_shl] = {sx_shift, .opcode = 0xf1, .lane = 1},
    [SIMD_i16x8_shr_s] = {sx_shift, .opcode = 0xe1, .lane = 1},
    [SIMD_i16x8_shr_u] = {sx_shift, .opcode = 0xd1, .lane = 1},
    [SIMD_i16x8_add] = {sx_binary, 0x66, 0, 0xfd},
    [SIMD_i16x8_add_sat_s] = {sx_binary, 0x66, 0, 0xed},
    [SIMD_i16x8_add_sat_u] = {sx_binary, 0x66, 0, 0xdd},
    [SIMD_i16x8_sub] = {sx_binary, 0x66, 0, 0xf9},
    [SIMD_i16x8_sub_sat_s] = {sx_binary, 0x66, 0, 0xe9},
    [SIMD_i16x8_sub_sat_u] = {sx_binary, 0x66, 0, 0xd9},
    [SIMD_f64x2_nearest] = {sx_float_round, 0x66, 0x3a, 0x09, .variant = 0},
    [SIMD_i16x8_mul] = {sx_binary, 0x66, 0, 0xd5},
    [SIMD_i16x8_min_s] = {sx_binary, 0x66, 0, 0xea},
    [SIMD_i16x8_min_u] = {sx_binary, 0x66, 0x38, 0x3a},
    [SIMD_i16x8_max_s] = {sx_binary, 0x66, 0, 0xee},
    [SIMD_i16x8_max_u] = {sx_binary, 0x66, 0x38, 0x3e},
    [SIMD_i16x8_avgr_u] = {sx_binary, 0x66, 0, 0xe3},
    [SIMD_i16x8_extmul_low_i8x16_s] = {sx_extmul, .opcode = 0x20, .lane = 1},
    [SIMD_i16x8_extmul_high_i8x16_s] = {sx_extmul, .opcode = 0x20, .lane = 1, .variant = 1},
    [SIMD_i16x8_extmul_low_i8x16_u] = {sx_extmul, .opcode = 0x30, .lane = 1},
    [SIMD_i16x8_extmul_high_i8x16_u] = {sx_extmul, .opcode = 0x30, .lane = 1, .variant = 1},

    [SIMD_i32x4_abs] = {sx_unary, 0x66, 0x38, 0x1e},
    [SIMD_i32x4_neg] = {sx_int_neg, .opcode = 0xfa},
    [SIMD_i32x4_all_true] = {sx_all_true, .lane = 2},
    [SIMD_i32x4_bitmask] = {sx_move_mask, 0, 0, 0x50},
    /* pmovsxwd, pmovzxwd */
    [SIMD_i32x4_extend_low_i16x8_s] = {sx_extend, .opcode = 0x23},
    [SIMD_i32x4_extend_high_i16x8_s] = {sx_extend, .opcode = 0x23, .variant = 1},
    [SIMD_i32x4_extend_low_i16x8_u] = {sx_extend, .opcode = 0x33},
    [SIMD_i32x4_extend_high_i16x8_u] = {sx_extend, .opcode = 0x33, .variant = 1},
    [SIMD_i32x4_shl] = {sx_shift, .opcode = 0xf2, .lane = 2},
    [SIMD_i32x4_shr_s] = {sx_shift, .opcode = 0xe2, .lane = 2},
    [SIMD_i32x4_shr_u] = {sx_shift, .opcode = 0xd2, .lane = 2},
    [SIMD_i32x4_add] = {sx_binary, 0x66, 0, 0xfe},
    [SIMD_i32x4_sub] = {sx_binary, 0x66, 0, 0xfa},
    [SIMD_i32x4_mul] = {sx_binary, 0x66, 0x38, 0x40},
    [SIMD_i32x4_min_s] = {sx_binary, 0x66, 0x38, 0x39},
    [SIMD_i32x4_min_u] = {sx_binary, 0x66, 0x38, 0x3b},
    [SIMD_i32x4_max_s] = {sx_binary, 0x66, 0x38, 0x3d},
    [SIMD_i32x4_max_u] = {sx_binary, 0x66, 0x38, 0x3f},
    [SIMD_i32x4_dot_i16x8_s] = {sx_binary, 0x66, 0, 0xf5},
    [SIMD_i32x4_extmul_low_i16x8_s] = {sx_extmul, .opcode = 0x23, .lane = 2},
    [SIMD_i32x4_extmul_high_i16x8_s] = {sx_extmul, .opcode = 0x23, .lane = 2, .variant = 1},
    [SIMD_i32x4_extmul_low_i16x8_u] = {sx_extmul, .opcode = 0x33, .lane = 2},
    [SIMD_i32x4_extmul_high_i16x8_u] = {sx_extmul, .opcode = 0x33, .lane = 2, .variant = 1},

    [SIMD_i64x2_abs] = {sx_i64x2_abs},
    [SIMD_i64x2_neg] = {sx_int_neg, .opcode = 0xfb},
    [SIMD_i64x2_all_true] = {sx_all_true, .lane = 3},
    [SIMD_i64x2_bitmask] = {sx_move_mask, 0x66, 0, 0x50},
    /* pmovsxdq, pmovzxdq */
    [SIMD_i64x2_extend_low_i32x4_s] = {sx_extend, .opcode = 0x25},
    [SIMD_i64x2_extend_high_i32x4_s] = {sx_extend, .opcode = 0x25, .variant = 1},
    [SIMD_i64x2_extend_low_i32x4_u] = {sx_extend, .opcode = 0x35},
    [SIMD_i64x2_extend_high_i32x4_u] = {sx_extend, .opcode = 0x35, .variant = 1},
    [SIMD_i64x2_shl] = {sx_shift, .opcode = 0xf3, .lane = 3},
    [SIMD_i64x2_shr_s] = {sx_i64x2_shr_s},
    [SIMD_i64x2_shr_u] = {sx_shift, .opcode = 0xd3, .lane = 3},
    [SIMD_i64x2_add] = {sx_binary, 0x66, 0, 0xd4},
    [SIMD_i64x2_sub] = {sx_binary, 0x66, 0, 0xfb},
    [SIMD_i64x2_mul] = {sx_i64x2_mul},
    [SIMD_i64x2_eq] = {sx_int_compare, .lane = 3, .variant = SX_EQ},
    [SIMD_i64x2_ne] = {sx_int_compare, .lane = 3, .variant = SX_NE},
    /* pcmpgtq */
    [SIMD_i64x2_lt_s] = {sx_int_compare, .lane = 3, .variant = SX_LT_S, .needs = SIMD_X64_SSE42},
    [SIMD_i64x2_gt_s] = {sx_int_compare, .lane = 3, .variant = SX_GT_S, .needs = SIMD_X64_SSE42},
    [SIMD_i64x2_le_s] = {sx_int_compare, .lane = 3, .variant = SX_LE_S, .needs = SIMD_X64_SSE42},
    [SIMD_i64x2_ge_s] = {sx_int_compare, .lane = 3, .variant = SX_GE_S, .needs = SIMD_X64_SSE42},
    /* pshufd picks lanes 0 0 1 1 (0x50) or 2 2 3 3 (0xfa); pmuldq, pmuludq */
    [SIMD_i64x2_extmul_low_i32x4_s] = {sx_i64x2_extmul, 0x66, 0x38, 0x28, .variant = 0x50},
    [SIMD_i64x2_extmul_high_i32x4_s] = {sx_i64x2_extmul, 0x66, 0x38, 0x28, .variant = 0xfa},
    [SIMD_i64x2_extmul_low_i32x4_u] = {sx_i64x2_extmul, 0x66, 0, 0xf4, .variant = 0x50},
    [SIMD_i64x2_extmul_high_i32x4_u] = {sx_i64x2_extmul, 0x66, 0, 0xf4, .variant = 0xfa},

    [SIMD_f32x4_abs] = {sx_float_abs_neg, 0},
    [SIMD_f32x4_neg] = {sx_float_abs_neg, 0, .variant = 1},
    [SIMD_f32x4_sqrt] = {sx_unary, 0, 0, 0x51},
    [SIMD_f32x4_add] = {sx_binary, 0, 0, 0x58},
    [SIMD_f32x4_sub] = {sx_binary, 0, 0, 0x5c},
    [SIMD_f32x4_mul] = {sx_binary, 0, 0, 0x59},
    [SIMD_f32x4_div] = {sx_binary, 0, 0, 0x5e},
    [SIMD_f32x4_min] = {sx_float_minmax, 0},
    [SIMD_f32x4_max] = {sx_float_minmax, 0, .variant = 1},
    [SIMD_f32x4_pmin] = {sx_float_pminmax, 0, 0, 0x5d},
    [SIMD_f32x4_pmax] = {sx_float_pminmax, 0, 0, 0x5f},
    [SIMD_f64x2_abs] = {sx_float_abs_neg, 0x66},
    [SIMD_f64x2_neg] = {sx_float_abs_neg, 0x66, .variant = 1},
    [SIMD_f64x2_sqrt] = {sx_unary, 0x66, 0, 0x51},
    [SIMD_f64x2_add] = {sx_binary, 0x66, 0, 0x58},
    [SIMD_f64x2_sub] = {sx_binary, 0x66, 0, 0x5c},
    [SIMD_f64x2_mul] = {sx_binary, 0x66, 0, 0x59},
    [SIMD_f64x2_div] = {sx_binary, 0x66, 0, 0x5e},
    [SIMD_f64x2_min] = {sx_float_minmax, 0x66},
    [SIMD_f64x2_max] = {sx_float_minmax, 0x66, .variant = 1},
    [SIMD_f64x2_pmin] = {sx_float_pminmax, 0x66, 0, 0x5d},
    [SIMD_f64x2_pmax] = {sx_float_pminmax, 0x66, 0, 0x5f},
    [SIMD_i32x4_trunc_sat_f32x4_s] = {sx_i32x4_trunc_sat_f32x4_s},
    [SIMD_i32x4_trunc_sat_f32x4_u] = {sx_i32x4_trunc_sat_f32x4_u},
    [SIMD_f32x4_convert_i32x4_s] = {sx_unary, 0, 0, 0x5b},
    [SIMD_f32x4_convert_i32x4_u] = {sx_f32x4_convert_i32x4_u},
    [SIMD_i32x4_trunc_sat_f64x2_s_zero] = {sx_i32x4_trunc_sat_f64x2_s_zero},
    [SIMD_i32x4_trunc_sat_f64x2_u_zero] = {sx_i32x4_trunc_sat_f64x2_u_zero},
    [SIMD_f64x2_convert_low_i32x4_s] = {sx_unary, 0xf3, 0, 0xe6},
    [SIMD_f64x2_convert_low_i32x4_u] = {sx_f64x2_convert_low_i32x4_u},
};

size_t simd_x64_lower(uint8_t *out, uint32_t sub, const uint8_t *imm, const simd_x64_regs *regs,
                      unsigned features)
{
    /* SSE2 alone: every operation calls simd_apply */
    if (sub > 0xff || (features & SX_ALL) != SX_ALL) return 0;
    const sx_op *op = &sx_ops[sub];
    if (!op->lower || (op->needs & ~features)) return 0;
    sx o = {out, 0};
    op->lower(&o, op, imm, regs);
    return o.n;
}

int simd_x64_single(uint32_t sub, int *prefix66, int *map38, uint8_t *opcode)
{
    if (sub > 0xff || sx_ops[sub].lower != sx_binary) return 0;
    *prefix66 = sx_ops[sub].prefix == 0x66;
    *map38 = sx_ops[sub].map == 0x38;
    *opcode = sx_ops[sub].opcode;
    return 1;
}

unsigned simd_x64_scratch(uint32_t sub, const uint8_t *imm, unsigned features)
{
    static const simd_x64_regs base = {0, 1, 2, {3, 4, 5}, 0, 1};
    uint8_t with[SIMD_X64_MAX], other[SIMD_X64_MAX];
    size_t n = simd_x64_lower(with, sub, imm, &base, features);
    unsigned uses = 0;
    for (int k = 0; k < 4; k++) {
        simd_x64_regs g = base;
        if (k < 3)
            g.t[k] = 6 + k;
        else
            g.rt = 2;
        size_t m = simd_x64_lower(other, sub, imm, &g, features);
        if (m != n || memcmp(with, other, n) != 0) uses |= 1u << k;
    }
    return uses;
}

#else /* not x86-64: no code, every operation calls simd_apply */

unsigned simd_x64_features(void)
{
    return 0;
}

size_t simd_x64_lower(uint8_t *out, uint32_t sub, const uint8_t *imm, const simd_x64_regs *regs,
                      unsigned features)
{
    (void)out, (void)sub, (void)imm, (void)regs, (void)features;
    return 0;
}

unsigned simd_x64_scratch(uint32_t sub, const uint8_t *imm, unsigned features)
{
    (void)sub, (void)imm, (void)features;
    return 0;
}

int simd_x64_single(uint32_t sub, int *prefix66, int *map38, uint8_t *opcode)
{
    (void)sub, (void)prefix66, (void)map38, (void)opcode;
    return 0;
}

#endif
