/* simd.h: the 128-bit SIMD instructions of Wasm 2.0 (the 0xfd prefix): a v128 value
 * as C sees it, every instruction's sub-opcode with its operand signature and
 * immediate (read by decode_body.c, compile_simd.c), and the lane operations of
 * exec_simd.c, the one implementation every tier calls, so the tiers cannot differ in
 * a lane, a saturation or a NaN.
 *
 * How a v128 lives in the slot frame: slot s holds its low 8 bytes, and the slot at
 * the same index in the shadow frame, EXEC_V128_HI slots further (exec.h), holds the
 * high 8 bytes. Every slot index, call convention and frame layout stays what it is
 * for scalar code, which never reads or writes the shadow. */
#ifndef WASMRT_SIMD_H
#define WASMRT_SIMD_H

#include <stdint.h>

typedef union v128 {
    uint8_t u8[16];
    int8_t i8[16];
    uint16_t u16[8];
    int16_t i16[8];
    uint32_t u32[4];
    int32_t i32[4];
    uint64_t u64[2];
    int64_t i64[2];
    float f32[4];
    double f64[2];
} v128;

/* Operand signatures: what an instruction pops and pushes, and its immediates. */
enum simd_sig {
    SIMD_NONE,       /* not an instruction */
    SIMD_LOAD,       /* memarg; i32 -> v128 (arg: log2 of the bytes read) */
    SIMD_LOAD_LANE,  /* memarg, lane; i32 v128 -> v128 (arg: log2 of the bytes) */
    SIMD_STORE,      /* memarg; i32 v128 -> */
    SIMD_STORE_LANE, /* memarg, lane; i32 v128 -> */
    SIMD_CONST,      /* 16 bytes; -> v128 */
    SIMD_SHUFFLE,    /* 16 lane indices; v128 v128 -> v128 */
    SIMD_V_V,        /* v128 -> v128 */
    SIMD_VV_V,       /* v128 v128 -> v128 */
    SIMD_VVV_V,      /* v128 v128 v128 -> v128 */
    SIMD_V_I32,      /* v128 -> i32 (tests, bitmasks) */
    SIMD_VI_V,       /* v128 i32 -> v128 (shifts) */
    SIMD_SPLAT,      /* t -> v128 (arg: the scalar type) */
    SIMD_EXTRACT,    /* lane; v128 -> t (arg: the lane count, type from the shape) */
    SIMD_REPLACE,    /* lane; v128 t -> v128 */
};

/* name, sub-opcode, signature, arg (see enum simd_sig) */
/* clang-format off */
#define SIMD_OPS(X)                                                                      \
    X(v128_load, 0x00, SIMD_LOAD, 4) X(v128_load8x8_s, 0x01, SIMD_LOAD, 3)               \
    X(v128_load8x8_u, 0x02, SIMD_LOAD, 3) X(v128_load16x4_s, 0x03, SIMD_LOAD, 3)          \
    X(v128_load16x4_u, 0x04, SIMD_LOAD, 3) X(v128_load32x2_s, 0x05, SIMD_LOAD, 3)         \
    X(v128_load32x2_u, 0x06, SIMD_LOAD, 3) X(v128_load8_splat, 0x07, SIMD_LOAD, 0)        \
    X(v128_load16_splat, 0x08, SIMD_LOAD, 1) X(v128_load32_splat, 0x09, SIMD_LOAD, 2)     \
    X(v128_load64_splat, 0x0a, SIMD_LOAD, 3) X(v128_store, 0x0b, SIMD_STORE, 4)           \
    X(v128_const, 0x0c, SIMD_CONST, 0) X(i8x16_shuffle, 0x0d, SIMD_SHUFFLE, 0)            \
    X(i8x16_swizzle, 0x0e, SIMD_VV_V, 0) X(i8x16_splat, 0x0f, SIMD_SPLAT, 0x7f)           \
    X(i16x8_splat, 0x10, SIMD_SPLAT, 0x7f) X(i32x4_splat, 0x11, SIMD_SPLAT, 0x7f)         \
    X(i64x2_splat, 0x12, SIMD_SPLAT, 0x7e) X(f32x4_splat, 0x13, SIMD_SPLAT, 0x7d)         \
    X(f64x2_splat, 0x14, SIMD_SPLAT, 0x7c)                                               \
    X(i8x16_extract_lane_s, 0x15, SIMD_EXTRACT, 16)                                      \
    X(i8x16_extract_lane_u, 0x16, SIMD_EXTRACT, 16)                                      \
    X(i8x16_replace_lane, 0x17, SIMD_REPLACE, 16)                                        \
    X(i16x8_extract_lane_s, 0x18, SIMD_EXTRACT, 8)                                       \
    X(i16x8_extract_lane_u, 0x19, SIMD_EXTRACT, 8)                                       \
    X(i16x8_replace_lane, 0x1a, SIMD_REPLACE, 8) X(i32x4_extract_lane, 0x1b, SIMD_EXTRACT, 4) \
    X(i32x4_replace_lane, 0x1c, SIMD_REPLACE, 4) X(i64x2_extract_lane, 0x1d, SIMD_EXTRACT, 2) \
    X(i64x2_replace_lane, 0x1e, SIMD_REPLACE, 2) X(f32x4_extract_lane, 0x1f, SIMD_EXTRACT, 4) \
    X(f32x4_replace_lane, 0x20, SIMD_REPLACE, 4) X(f64x2_extract_lane, 0x21, SIMD_EXTRACT, 2) \
    X(f64x2_replace_lane, 0x22, SIMD_REPLACE, 2)                                         \
    X(i8x16_eq, 0x23, SIMD_VV_V, 0) X(i8x16_ne, 0x24, SIMD_VV_V, 0)                      \
    X(i8x16_lt_s, 0x25, SIMD_VV_V, 0) X(i8x16_lt_u, 0x26, SIMD_VV_V, 0)                  \
    X(i8x16_gt_s, 0x27, SIMD_VV_V, 0) X(i8x16_gt_u, 0x28, SIMD_VV_V, 0)                  \
    X(i8x16_le_s, 0x29, SIMD_VV_V, 0) X(i8x16_le_u, 0x2a, SIMD_VV_V, 0)                  \
    X(i8x16_ge_s, 0x2b, SIMD_VV_V, 0) X(i8x16_ge_u, 0x2c, SIMD_VV_V, 0)                  \
    X(i16x8_eq, 0x2d, SIMD_VV_V, 0) X(i16x8_ne, 0x2e, SIMD_VV_V, 0)                      \
    X(i16x8_lt_s, 0x2f, SIMD_VV_V, 0) X(i16x8_lt_u, 0x30, SIMD_VV_V, 0)                  \
    X(i16x8_gt_s, 0x31, SIMD_VV_V, 0) X(i16x8_gt_u, 0x32, SIMD_VV_V, 0)                  \
    X(i16x8_le_s, 0x33, SIMD_VV_V, 0) X(i16x8_le_u, 0x34, SIMD_VV_V, 0)                  \
    X(i16x8_ge_s, 0x35, SIMD_VV_V, 0) X(i16x8_ge_u, 0x36, SIMD_VV_V, 0)                  \
    X(i32x4_eq, 0x37, SIMD_VV_V, 0) X(i32x4_ne, 0x38, SIMD_VV_V, 0)                      \
    X(i32x4_lt_s, 0x39, SIMD_VV_V, 0) X(i32x4_lt_u, 0x3a, SIMD_VV_V, 0)                  \
    X(i32x4_gt_s, 0x3b, SIMD_VV_V, 0) X(i32x4_gt_u, 0x3c, SIMD_VV_V, 0)                  \
    X(i32x4_le_s, 0x3d, SIMD_VV_V, 0) X(i32x4_le_u, 0x3e, SIMD_VV_V, 0)                  \
    X(i32x4_ge_s, 0x3f, SIMD_VV_V, 0) X(i32x4_ge_u, 0x40, SIMD_VV_V, 0)                  \
    X(f32x4_eq, 0x41, SIMD_VV_V, 0) X(f32x4_ne, 0x42, SIMD_VV_V, 0)                      \
    X(f32x4_lt, 0x43, SIMD_VV_V, 0) X(f32x4_gt, 0x44, SIMD_VV_V, 0)                      \
    X(f32x4_le, 0x45, SIMD_VV_V, 0) X(f32x4_ge, 0x46, SIMD_VV_V, 0)                      \
    X(f64x2_eq, 0x47, SIMD_VV_V, 0) X(f64x2_ne, 0x48, SIMD_VV_V, 0)                      \
    X(f64x2_lt, 0x49, SIMD_VV_V, 0) X(f64x2_gt, 0x4a, SIMD_VV_V, 0)                      \
    X(f64x2_le, 0x4b, SIMD_VV_V, 0) X(f64x2_ge, 0x4c, SIMD_VV_V, 0)                      \
    X(v128_not, 0x4d, SIMD_V_V, 0) X(v128_and, 0x4e, SIMD_VV_V, 0)                       \
    X(v128_andnot, 0x4f, SIMD_VV_V, 0) X(v128_or, 0x50, SIMD_VV_V, 0)                    \
    X(v128_xor, 0x51, SIMD_VV_V, 0) X(v128_bitselect, 0x52, SIMD_VVV_V, 0)               \
    X(v128_any_true, 0x53, SIMD_V_I32, 0)                                                \
    X(v128_load8_lane, 0x54, SIMD_LOAD_LANE, 0) X(v128_load16_lane, 0x55, SIMD_LOAD_LANE, 1) \
    X(v128_load32_lane, 0x56, SIMD_LOAD_LANE, 2) X(v128_load64_lane, 0x57, SIMD_LOAD_LANE, 3) \
    X(v128_store8_lane, 0x58, SIMD_STORE_LANE, 0)                                        \
    X(v128_store16_lane, 0x59, SIMD_STORE_LANE, 1)                                       \
    X(v128_store32_lane, 0x5a, SIMD_STORE_LANE, 2)                                       \
    X(v128_store64_lane, 0x5b, SIMD_STORE_LANE, 3)                                       \
    X(v128_load32_zero, 0x5c, SIMD_LOAD, 2) X(v128_load64_zero, 0x5d, SIMD_LOAD, 3)       \
    X(f32x4_demote_f64x2_zero, 0x5e, SIMD_V_V, 0)                                        \
    X(f64x2_promote_low_f32x4, 0x5f, SIMD_V_V, 0)                                        \
    X(i8x16_abs, 0x60, SIMD_V_V, 0) X(i8x16_neg, 0x61, SIMD_V_V, 0)                      \
    X(i8x16_popcnt, 0x62, SIMD_V_V, 0) X(i8x16_all_true, 0x63, SIMD_V_I32, 0)            \
    X(i8x16_bitmask, 0x64, SIMD_V_I32, 0) X(i8x16_narrow_i16x8_s, 0x65, SIMD_VV_V, 0)    \
    X(i8x16_narrow_i16x8_u, 0x66, SIMD_VV_V, 0) X(f32x4_ceil, 0x67, SIMD_V_V, 0)         \
    X(f32x4_floor, 0x68, SIMD_V_V, 0) X(f32x4_trunc, 0x69, SIMD_V_V, 0)                  \
    X(f32x4_nearest, 0x6a, SIMD_V_V, 0) X(i8x16_shl, 0x6b, SIMD_VI_V, 0)                 \
    X(i8x16_shr_s, 0x6c, SIMD_VI_V, 0) X(i8x16_shr_u, 0x6d, SIMD_VI_V, 0)                \
    X(i8x16_add, 0x6e, SIMD_VV_V, 0) X(i8x16_add_sat_s, 0x6f, SIMD_VV_V, 0)              \
    X(i8x16_add_sat_u, 0x70, SIMD_VV_V, 0) X(i8x16_sub, 0x71, SIMD_VV_V, 0)              \
    X(i8x16_sub_sat_s, 0x72, SIMD_VV_V, 0) X(i8x16_sub_sat_u, 0x73, SIMD_VV_V, 0)        \
    X(f64x2_ceil, 0x74, SIMD_V_V, 0) X(f64x2_floor, 0x75, SIMD_V_V, 0)                   \
    X(i8x16_min_s, 0x76, SIMD_VV_V, 0) X(i8x16_min_u, 0x77, SIMD_VV_V, 0)                \
    X(i8x16_max_s, 0x78, SIMD_VV_V, 0) X(i8x16_max_u, 0x79, SIMD_VV_V, 0)                \
    X(f64x2_trunc, 0x7a, SIMD_V_V, 0) X(i8x16_avgr_u, 0x7b, SIMD_VV_V, 0)                \
    X(i16x8_extadd_pairwise_i8x16_s, 0x7c, SIMD_V_V, 0)                                  \
    X(i16x8_extadd_pairwise_i8x16_u, 0x7d, SIMD_V_V, 0)                                  \
    X(i32x4_extadd_pairwise_i16x8_s, 0x7e, SIMD_V_V, 0)                                  \
    X(i32x4_extadd_pairwise_i16x8_u, 0x7f, SIMD_V_V, 0)                                  \
    X(i16x8_abs, 0x80, SIMD_V_V, 0) X(i16x8_neg, 0x81, SIMD_V_V, 0)                      \
    X(i16x8_q15mulr_sat_s, 0x82, SIMD_VV_V, 0) X(i16x8_all_true, 0x83, SIMD_V_I32, 0)    \
    X(i16x8_bitmask, 0x84, SIMD_V_I32, 0) X(i16x8_narrow_i32x4_s, 0x85, SIMD_VV_V, 0)    \
    X(i16x8_narrow_i32x4_u, 0x86, SIMD_VV_V, 0)                                          \
    X(i16x8_extend_low_i8x16_s, 0x87, SIMD_V_V, 0)                                       \
    X(i16x8_extend_high_i8x16_s, 0x88, SIMD_V_V, 0)                                      \
    X(i16x8_extend_low_i8x16_u, 0x89, SIMD_V_V, 0)                                       \
    X(i16x8_extend_high_i8x16_u, 0x8a, SIMD_V_V, 0) X(i16x8_shl, 0x8b, SIMD_VI_V, 0)     \
    X(i16x8_shr_s, 0x8c, SIMD_VI_V, 0) X(i16x8_shr_u, 0x8d, SIMD_VI_V, 0)                \
    X(i16x8_add, 0x8e, SIMD_VV_V, 0) X(i16x8_add_sat_s, 0x8f, SIMD_VV_V, 0)              \
    X(i16x8_add_sat_u, 0x90, SIMD_VV_V, 0) X(i16x8_sub, 0x91, SIMD_VV_V, 0)              \
    X(i16x8_sub_sat_s, 0x92, SIMD_VV_V, 0) X(i16x8_sub_sat_u, 0x93, SIMD_VV_V, 0)        \
    X(f64x2_nearest, 0x94, SIMD_V_V, 0) X(i16x8_mul, 0x95, SIMD_VV_V, 0)                 \
    X(i16x8_min_s, 0x96, SIMD_VV_V, 0) X(i16x8_min_u, 0x97, SIMD_VV_V, 0)                \
    X(i16x8_max_s, 0x98, SIMD_VV_V, 0) X(i16x8_max_u, 0x99, SIMD_VV_V, 0)                \
    X(i16x8_avgr_u, 0x9b, SIMD_VV_V, 0)                                                  \
    X(i16x8_extmul_low_i8x16_s, 0x9c, SIMD_VV_V, 0)                                      \
    X(i16x8_extmul_high_i8x16_s, 0x9d, SIMD_VV_V, 0)                                     \
    X(i16x8_extmul_low_i8x16_u, 0x9e, SIMD_VV_V, 0)                                      \
    X(i16x8_extmul_high_i8x16_u, 0x9f, SIMD_VV_V, 0)                                     \
    X(i32x4_abs, 0xa0, SIMD_V_V, 0) X(i32x4_neg, 0xa1, SIMD_V_V, 0)                      \
    X(i32x4_all_true, 0xa3, SIMD_V_I32, 0) X(i32x4_bitmask, 0xa4, SIMD_V_I32, 0)         \
    X(i32x4_extend_low_i16x8_s, 0xa7, SIMD_V_V, 0)                                       \
    X(i32x4_extend_high_i16x8_s, 0xa8, SIMD_V_V, 0)                                      \
    X(i32x4_extend_low_i16x8_u, 0xa9, SIMD_V_V, 0)                                       \
    X(i32x4_extend_high_i16x8_u, 0xaa, SIMD_V_V, 0) X(i32x4_shl, 0xab, SIMD_VI_V, 0)     \
    X(i32x4_shr_s, 0xac, SIMD_VI_V, 0) X(i32x4_shr_u, 0xad, SIMD_VI_V, 0)                \
    X(i32x4_add, 0xae, SIMD_VV_V, 0) X(i32x4_sub, 0xb1, SIMD_VV_V, 0)                    \
    X(i32x4_mul, 0xb5, SIMD_VV_V, 0) X(i32x4_min_s, 0xb6, SIMD_VV_V, 0)                  \
    X(i32x4_min_u, 0xb7, SIMD_VV_V, 0) X(i32x4_max_s, 0xb8, SIMD_VV_V, 0)                \
    X(i32x4_max_u, 0xb9, SIMD_VV_V, 0) X(i32x4_dot_i16x8_s, 0xba, SIMD_VV_V, 0)          \
    X(i32x4_extmul_low_i16x8_s, 0xbc, SIMD_VV_V, 0)                                      \
    X(i32x4_extmul_high_i16x8_s, 0xbd, SIMD_VV_V, 0)                                     \
    X(i32x4_extmul_low_i16x8_u, 0xbe, SIMD_VV_V, 0)                                      \
    X(i32x4_extmul_high_i16x8_u, 0xbf, SIMD_VV_V, 0)                                     \
    X(i64x2_abs, 0xc0, SIMD_V_V, 0) X(i64x2_neg, 0xc1, SIMD_V_V, 0)                      \
    X(i64x2_all_true, 0xc3, SIMD_V_I32, 0) X(i64x2_bitmask, 0xc4, SIMD_V_I32, 0)         \
    X(i64x2_extend_low_i32x4_s, 0xc7, SIMD_V_V, 0)                                       \
    X(i64x2_extend_high_i32x4_s, 0xc8, SIMD_V_V, 0)                                      \
    X(i64x2_extend_low_i32x4_u, 0xc9, SIMD_V_V, 0)                                       \
    X(i64x2_extend_high_i32x4_u, 0xca, SIMD_V_V, 0) X(i64x2_shl, 0xcb, SIMD_VI_V, 0)     \
    X(i64x2_shr_s, 0xcc, SIMD_VI_V, 0) X(i64x2_shr_u, 0xcd, SIMD_VI_V, 0)                \
    X(i64x2_add, 0xce, SIMD_VV_V, 0) X(i64x2_sub, 0xd1, SIMD_VV_V, 0)                    \
    X(i64x2_mul, 0xd5, SIMD_VV_V, 0) X(i64x2_eq, 0xd6, SIMD_VV_V, 0)                     \
    X(i64x2_ne, 0xd7, SIMD_VV_V, 0) X(i64x2_lt_s, 0xd8, SIMD_VV_V, 0)                    \
    X(i64x2_gt_s, 0xd9, SIMD_VV_V, 0) X(i64x2_le_s, 0xda, SIMD_VV_V, 0)                  \
    X(i64x2_ge_s, 0xdb, SIMD_VV_V, 0)                                                    \
    X(i64x2_extmul_low_i32x4_s, 0xdc, SIMD_VV_V, 0)                                      \
    X(i64x2_extmul_high_i32x4_s, 0xdd, SIMD_VV_V, 0)                                     \
    X(i64x2_extmul_low_i32x4_u, 0xde, SIMD_VV_V, 0)                                      \
    X(i64x2_extmul_high_i32x4_u, 0xdf, SIMD_VV_V, 0)                                     \
    X(f32x4_abs, 0xe0, SIMD_V_V, 0) X(f32x4_neg, 0xe1, SIMD_V_V, 0)                      \
    X(f32x4_sqrt, 0xe3, SIMD_V_V, 0) X(f32x4_add, 0xe4, SIMD_VV_V, 0)                    \
    X(f32x4_sub, 0xe5, SIMD_VV_V, 0) X(f32x4_mul, 0xe6, SIMD_VV_V, 0)                    \
    X(f32x4_div, 0xe7, SIMD_VV_V, 0) X(f32x4_min, 0xe8, SIMD_VV_V, 0)                    \
    X(f32x4_max, 0xe9, SIMD_VV_V, 0) X(f32x4_pmin, 0xea, SIMD_VV_V, 0)                   \
    X(f32x4_pmax, 0xeb, SIMD_VV_V, 0) X(f64x2_abs, 0xec, SIMD_V_V, 0)                    \
    X(f64x2_neg, 0xed, SIMD_V_V, 0) X(f64x2_sqrt, 0xef, SIMD_V_V, 0)                     \
    X(f64x2_add, 0xf0, SIMD_VV_V, 0) X(f64x2_sub, 0xf1, SIMD_VV_V, 0)                    \
    X(f64x2_mul, 0xf2, SIMD_VV_V, 0) X(f64x2_div, 0xf3, SIMD_VV_V, 0)                    \
    X(f64x2_min, 0xf4, SIMD_VV_V, 0) X(f64x2_max, 0xf5, SIMD_VV_V, 0)                    \
    X(f64x2_pmin, 0xf6, SIMD_VV_V, 0) X(f64x2_pmax, 0xf7, SIMD_VV_V, 0)                  \
    X(i32x4_trunc_sat_f32x4_s, 0xf8, SIMD_V_V, 0)                                        \
    X(i32x4_trunc_sat_f32x4_u, 0xf9, SIMD_V_V, 0)                                        \
    X(f32x4_convert_i32x4_s, 0xfa, SIMD_V_V, 0) X(f32x4_convert_i32x4_u, 0xfb, SIMD_V_V, 0) \
    X(i32x4_trunc_sat_f64x2_s_zero, 0xfc, SIMD_V_V, 0)                                   \
    X(i32x4_trunc_sat_f64x2_u_zero, 0xfd, SIMD_V_V, 0)                                   \
    X(f64x2_convert_low_i32x4_s, 0xfe, SIMD_V_V, 0)                                      \
    X(f64x2_convert_low_i32x4_u, 0xff, SIMD_V_V, 0)
/* clang-format on */

enum simd_op {
#define SIMD_ENUM(name, sub, sig, arg) SIMD_##name = sub,
    SIMD_OPS(SIMD_ENUM)
#undef SIMD_ENUM
};

/* Signature and arg of each sub-opcode (SIMD_NONE where none is assigned). */
typedef struct simd_info {
    uint8_t sig, arg;
} simd_info;
extern const simd_info simd_table[256];

/* The value type of a lane-access instruction's scalar (extract, replace, splat). */
int simd_scalar_type(uint32_t sub);

/* A lane operation (not memory, not const): r = op(a, b, c), with imm the lane index
 * or, for i8x16.shuffle, the 16 lane indices. Scalar operands are a->u64[0] or
 * b->u64[0]; a scalar result is r->u64[0] (upper bytes zero). */
void simd_apply(uint32_t sub, v128 *r, const v128 *a, const v128 *b, const v128 *c,
                const uint8_t *imm);
/* A load: r from the bytes read (1 << simd_table[sub].arg of them); vec and lane
 * for the lane loads. */
void simd_load(uint32_t sub, v128 *r, const uint8_t *bytes, const v128 *vec, uint32_t lane);
/* A store: the bytes to write (1 << arg of them) from vec (and lane). */
void simd_store_bytes(uint32_t sub, uint8_t *out, const v128 *vec, uint32_t lane);

#endif
