/* simd_x64_ops.h: the shape of simd_x64.c's table (one sx_op per sub-opcode) and the
 * lowering functions its entries name, internal to simd_x64*.c. A function lowers
 * one operation or a family of them; what differs between a family's members
 * (opcode bytes, lane width, a compare's kind, a rounding mode) is data in the entry,
 * so most families are one function for many sub-opcodes. */
#ifndef WASMRT_SIMD_X64_OPS_H
#define WASMRT_SIMD_X64_OPS_H

#include "simd_x64_encode.h"

typedef struct sx_op sx_op;

/* Writes the code of op on registers g (imm: the lane, or the shuffle's 16 bytes). */
typedef void sx_lower_fn(sx *o, const sx_op *op, const uint8_t *imm, const simd_x64_regs *g);

struct sx_op {
    sx_lower_fn *lower; /* 0: no SSE code, the operation calls simd_apply */
    uint8_t prefix;     /* 0x66, 0xf3 or 0 (none) */
    uint8_t map;        /* 0 (0F), 0x38 or 0x3a */
    uint8_t opcode;
    uint8_t lane;    /* log2 of the lane's bytes, for the families that vary by it */
    uint8_t variant; /* the member of the family: see each function */
    uint8_t needs;   /* features besides SSSE3 and SSE4.1 (SIMD_X64_SSE42) */
};

/* The integer compares' variant, in the order of their sub-opcodes in a shape. */
enum sx_compare {
    SX_EQ,
    SX_NE,
    SX_LT_S,
    SX_LT_U,
    SX_GT_S,
    SX_GT_U,
    SX_LE_S,
    SX_LE_U,
    SX_GE_S,
    SX_GE_U
};

/* The families, and what of its entry each reads (prefix, map and opcode are the
 * instruction's unless said otherwise). simd_x64_int.c: */
sx_lower_fn sx_int_compare;        /* lane, variant: enum sx_compare */
sx_lower_fn sx_all_true;           /* lane */
sx_lower_fn sx_move_mask;          /* prefix, opcode: pmovmskb, movmskps/pd r, d */
sx_lower_fn sx_int_neg;            /* opcode: the lane's psub */
sx_lower_fn sx_shift;              /* lane, opcode: the shift by a count in xmm */
sx_lower_fn sx_extract_lane;       /* lane; pextrb/d/q; variant: a movsx r32, r8 opcode or 0 */
sx_lower_fn sx_i16x8_extract_lane; /* variant: 1 signed */
sx_lower_fn sx_replace_lane;       /* lane; pinsrb/w/d/q */
sx_lower_fn sx_extend;             /* opcode: pmovsx/zx, variant: 1 the high half */
sx_lower_fn sx_extmul;             /* lane, opcode: pmovsx/zx, variant: 1 the high halves */
sx_lower_fn sx_i64x2_extmul;       /* pmuldq or pmuludq, variant: pshufd's picks */
sx_lower_fn sx_splat_dword;        /* i32x4 and f32x4 */
sx_lower_fn sx_splat_qword;        /* i64x2 and f64x2 */
/* simd_x64_float.c (prefix 0x66 for f64x2, none for f32x4): */
sx_lower_fn sx_float_compare;         /* prefix, opcode cmpps, variant: the predicate */
sx_lower_fn sx_float_compare_swapped; /* the same, b compared with a */
sx_lower_fn sx_float_minmax;          /* prefix, variant: 1 max */
sx_lower_fn sx_float_pminmax;         /* prefix, opcode: minps or maxps */
sx_lower_fn sx_float_abs_neg;         /* prefix, variant: 1 neg */
sx_lower_fn sx_float_round;           /* roundps/pd, variant: the rounding mode */

/* One operation each, reading nothing of the entry. simd_x64_int.c: */
sx_lower_fn sx_v128_not, sx_v128_andnot, sx_v128_bitselect, sx_v128_any_true;
sx_lower_fn sx_i8x16_splat, sx_i16x8_splat, sx_i8x16_swizzle, sx_i8x16_shuffle;
sx_lower_fn sx_i16x8_bitmask, sx_i64x2_abs, sx_i8x16_popcnt, sx_i64x2_mul;
sx_lower_fn sx_i16x8_q15mulr_sat_s;
sx_lower_fn sx_i16x8_extadd_pairwise_i8x16_s, sx_i16x8_extadd_pairwise_i8x16_u;
sx_lower_fn sx_i32x4_extadd_pairwise_i16x8_s, sx_i32x4_extadd_pairwise_i16x8_u;
sx_lower_fn sx_i8x16_shl, sx_i8x16_shr_u, sx_i8x16_shr_s, sx_i64x2_shr_s;
/* simd_x64_float.c: */
sx_lower_fn sx_f32x4_convert_i32x4_u, sx_f64x2_convert_low_i32x4_u;
sx_lower_fn sx_i32x4_trunc_sat_f32x4_s, sx_i32x4_trunc_sat_f32x4_u;
sx_lower_fn sx_i32x4_trunc_sat_f64x2_s_zero, sx_i32x4_trunc_sat_f64x2_u_zero;

#endif
