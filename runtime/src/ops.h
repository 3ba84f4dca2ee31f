/* ops.h: the internal instruction set shared by compile.c (which emits it) and
 * interp.c (which runs it). An instruction is a handler address followed by operand
 * words: frame-slot indices, inline constants, branch offsets.
 *
 * Numbering: plain numeric ops keep their Wasm opcode (0x45..0xc4; the saturating
 * truncations follow at 0xc5..0xcc); integer binary ops and compares with a constant
 * right operand are OP_SI + opcode; br_if fused with an i32/i64 compare is
 * OP_BR_CMP + opcode (slot, slot) and OP_BR_CMP_SI + opcode (slot, constant), and
 * also fused with the add before it OP_ADD_BR_CMP(_SI) + opcode; loads and stores are
 * OP_MEM_GUARD / OP_MEM_CHECKED + opcode, and a load through a pointer an i32.add of
 * a constant just wrote is OP_MEM_STEP_GUARD / OP_MEM_STEP_CHECKED + opcode ([op, dst,
 * addr, offset, x, k]: addr = x + k, then dst = the load at addr + offset). */
#ifndef WASMRT_OPS_H
#define WASMRT_OPS_H

#define OP_SAT_BASE 0xc5 /* + 0xfc sub-opcode 0..7 */
#define OP_MEM_GUARD 0x100
#define OP_MEM_CHECKED 0x140
#define OP_MEM_STEP_GUARD 0x180
#define OP_MEM_STEP_CHECKED 0x1c0
#define OP_SI 0x200
#define OP_BR_CMP 0x300
#define OP_BR_CMP_SI 0x400
#define OP_LOADED 0x1000 /* not an op: marks "a load just emitted" for fusion */
/* i32 add of a constant then a compare of its result and a branch ([op, dst, x, k, b,
 * rel]: dst = x + k; branch if dst OP b): OP_ADD_BR_CMP + opcode with b a slot,
 * OP_ADD_BR_CMP_SI + opcode with b a constant; i32 compares only (0x46..0x4f) */
#define OP_ADD_BR_CMP 0x500
#define OP_ADD_BR_CMP_SI 0x580

/* Integer compares: dst = a OP b (i32 result). */
#define OPS_I32_CMP(X)                                                                   \
    X(i32_eq, 0x46, a == b) X(i32_ne, 0x47, a != b) X(i32_lt_s, 0x48, (int32_t)a < (int32_t)b) \
    X(i32_lt_u, 0x49, a < b) X(i32_gt_s, 0x4a, (int32_t)a > (int32_t)b) X(i32_gt_u, 0x4b, a > b) \
    X(i32_le_s, 0x4c, (int32_t)a <= (int32_t)b) X(i32_le_u, 0x4d, a <= b)                 \
    X(i32_ge_s, 0x4e, (int32_t)a >= (int32_t)b) X(i32_ge_u, 0x4f, a >= b)
#define OPS_I64_CMP(X)                                                                   \
    X(i64_eq, 0x51, a == b) X(i64_ne, 0x52, a != b) X(i64_lt_s, 0x53, (int64_t)a < (int64_t)b) \
    X(i64_lt_u, 0x54, a < b) X(i64_gt_s, 0x55, (int64_t)a > (int64_t)b) X(i64_gt_u, 0x56, a > b) \
    X(i64_le_s, 0x57, (int64_t)a <= (int64_t)b) X(i64_le_u, 0x58, a <= b)                 \
    X(i64_ge_s, 0x59, (int64_t)a >= (int64_t)b) X(i64_ge_u, 0x5a, a >= b)

/* Integer binary ops that cannot trap: dst = expr(a, b). */
#define OPS_I32_BIN(X)                                                                   \
    X(i32_add, 0x6a, a + b) X(i32_sub, 0x6b, a - b) X(i32_mul, 0x6c, a * b)              \
    X(i32_and, 0x71, a & b) X(i32_or, 0x72, a | b) X(i32_xor, 0x73, a ^ b)               \
    X(i32_shl, 0x74, a << (b & 31)) X(i32_shr_s, 0x75, (uint32_t)((int32_t)a >> (b & 31))) \
    X(i32_shr_u, 0x76, a >> (b & 31))                                                    \
    X(i32_rotl, 0x77, (a << (b & 31)) | (a >> ((32 - (b & 31)) & 31)))                    \
    X(i32_rotr, 0x78, (a >> (b & 31)) | (a << ((32 - (b & 31)) & 31)))
#define OPS_I64_BIN(X)                                                                   \
    X(i64_add, 0x7c, a + b) X(i64_sub, 0x7d, a - b) X(i64_mul, 0x7e, a * b)              \
    X(i64_and, 0x83, a & b) X(i64_or, 0x84, a | b) X(i64_xor, 0x85, a ^ b)               \
    X(i64_shl, 0x86, a << (b & 63)) X(i64_shr_s, 0x87, (uint64_t)((int64_t)a >> (b & 63))) \
    X(i64_shr_u, 0x88, a >> (b & 63))                                                    \
    X(i64_rotl, 0x89, (a << (b & 63)) | (a >> ((64 - (b & 63)) & 63)))                    \
    X(i64_rotr, 0x8a, (a >> (b & 63)) | (a << ((64 - (b & 63)) & 63)))

/* Division and remainder (trap on zero / overflow): name, opcode. */
#define OPS_DIV(X)                                                                       \
    X(i32_div_s, 0x6d) X(i32_div_u, 0x6e) X(i32_rem_s, 0x6f) X(i32_rem_u, 0x70)          \
    X(i64_div_s, 0x7f) X(i64_div_u, 0x80) X(i64_rem_s, 0x81) X(i64_rem_u, 0x82)

/* The plain numeric ops as expressions of the operand bits a (and b), the result bits
 * written whole: the interpreter's handlers come from these lists (the compiler,
 * src/jit/, writes the same operations inline). num_* are numeric.h's; exec_f*_add / mul are
 * exec_ops.c's: with two NaN operands SSE returns its destination's, and a compiler
 * may swap the operands of a commutative op, so they pick the NaN themselves (the
 * first operand's, as src/jit/ops_float.c's code does). */
#define OPS_PURE_UN(X)                                                                   \
    X(i32_eqz, 0x45, (uint32_t)a == 0) X(i64_eqz, 0x50, a == 0)                          \
    X(i32_clz, 0x67, (uint32_t)a ? __builtin_clz((uint32_t)a) : 32)                      \
    X(i32_ctz, 0x68, (uint32_t)a ? __builtin_ctz((uint32_t)a) : 32)                      \
    X(i32_popcnt, 0x69, __builtin_popcount((uint32_t)a))                                 \
    X(i64_clz, 0x79, a ? __builtin_clzll(a) : 64) X(i64_ctz, 0x7a, a ? __builtin_ctzll(a) : 64) \
    X(i64_popcnt, 0x7b, __builtin_popcountll(a))                                         \
    X(f32_abs, 0x8b, (uint32_t)a & 0x7fffffffu) X(f32_neg, 0x8c, (uint32_t)a ^ 0x80000000u) \
    X(f32_ceil, 0x8d, num_f32_bits(num_ceilf(num_f32(a))))                               \
    X(f32_floor, 0x8e, num_f32_bits(num_floorf(num_f32(a))))                             \
    X(f32_trunc, 0x8f, num_f32_bits(num_truncf(num_f32(a))))                             \
    X(f32_nearest, 0x90, num_f32_bits(num_rintf(num_f32(a))))                            \
    X(f32_sqrt, 0x91, num_f32_bits(sqrtf(num_f32(a))))                                   \
    X(f64_abs, 0x99, a & 0x7fffffffffffffffull) X(f64_neg, 0x9a, a ^ 0x8000000000000000ull) \
    X(f64_ceil, 0x9b, num_f64_bits(num_ceil(num_f64(a))))                                \
    X(f64_floor, 0x9c, num_f64_bits(num_floor(num_f64(a))))                              \
    X(f64_trunc, 0x9d, num_f64_bits(num_trunc(num_f64(a))))                              \
    X(f64_nearest, 0x9e, num_f64_bits(num_rint(num_f64(a))))                             \
    X(f64_sqrt, 0x9f, num_f64_bits(sqrt(num_f64(a))))                                    \
    X(i32_trunc_sat_f32_s, 0xc5, num_sat_i32_s(num_f32(a)))                              \
    X(i32_trunc_sat_f32_u, 0xc6, num_sat_i32_u(num_f32(a)))                              \
    X(i32_trunc_sat_f64_s, 0xc7, num_sat_i32_s(num_f64(a)))                              \
    X(i32_trunc_sat_f64_u, 0xc8, num_sat_i32_u(num_f64(a)))                              \
    X(i64_trunc_sat_f32_s, 0xc9, num_sat_i64_s(num_f32(a)))                              \
    X(i64_trunc_sat_f32_u, 0xca, num_sat_i64_u(num_f32(a)))                              \
    X(i64_trunc_sat_f64_s, 0xcb, num_sat_i64_s(num_f64(a)))                              \
    X(i64_trunc_sat_f64_u, 0xcc, num_sat_i64_u(num_f64(a)))                              \
    X(i64_extend_i32_s, 0xac, (uint64_t)(int64_t)(int32_t)(uint32_t)a)                   \
    X(i64_extend_i32_u, 0xad, (uint32_t)a)                                               \
    X(f32_convert_i32_s, 0xb2, num_f32_bits((float)(int32_t)(uint32_t)a))                \
    X(f32_convert_i32_u, 0xb3, num_f32_bits((float)(uint32_t)a))                         \
    X(f32_convert_i64_s, 0xb4, num_f32_bits((float)(int64_t)a))                          \
    X(f32_convert_i64_u, 0xb5, num_f32_bits((float)a))                                   \
    X(f32_demote_f64, 0xb6, num_f32_bits((float)num_f64(a)))                             \
    X(f64_convert_i32_s, 0xb7, num_f64_bits((double)(int32_t)(uint32_t)a))               \
    X(f64_convert_i32_u, 0xb8, num_f64_bits((double)(uint32_t)a))                        \
    X(f64_convert_i64_s, 0xb9, num_f64_bits((double)(int64_t)a))                         \
    X(f64_convert_i64_u, 0xba, num_f64_bits((double)a))                                  \
    X(f64_promote_f32, 0xbb, num_f64_bits((double)num_f32(a)))                           \
    X(i32_extend8_s, 0xc0, (uint32_t)(int32_t)(int8_t)a)                                 \
    X(i32_extend16_s, 0xc1, (uint32_t)(int32_t)(int16_t)a)                               \
    X(i64_extend8_s, 0xc2, (uint64_t)(int64_t)(int8_t)a)                                 \
    X(i64_extend16_s, 0xc3, (uint64_t)(int64_t)(int16_t)a)                               \
    X(i64_extend32_s, 0xc4, (uint64_t)(int64_t)(int32_t)a)
#define OPS_PURE_BIN(X)                                                                  \
    X(f32_eq, 0x5b, num_f32(a) == num_f32(b)) X(f32_ne, 0x5c, num_f32(a) != num_f32(b))  \
    X(f32_lt, 0x5d, num_f32(a) < num_f32(b)) X(f32_gt, 0x5e, num_f32(a) > num_f32(b))    \
    X(f32_le, 0x5f, num_f32(a) <= num_f32(b)) X(f32_ge, 0x60, num_f32(a) >= num_f32(b))  \
    X(f64_eq, 0x61, num_f64(a) == num_f64(b)) X(f64_ne, 0x62, num_f64(a) != num_f64(b))  \
    X(f64_lt, 0x63, num_f64(a) < num_f64(b)) X(f64_gt, 0x64, num_f64(a) > num_f64(b))    \
    X(f64_le, 0x65, num_f64(a) <= num_f64(b)) X(f64_ge, 0x66, num_f64(a) >= num_f64(b))  \
    X(f32_add, 0x92, exec_f32_add(a, b))                              \
    X(f32_sub, 0x93, num_f32_bits(num_f32(a) - num_f32(b)))                              \
    X(f32_mul, 0x94, exec_f32_mul(a, b))                              \
    X(f32_div, 0x95, num_f32_bits(num_f32(a) / num_f32(b)))                              \
    X(f32_min, 0x96, num_f32_bits(num_f32_min(num_f32(a), num_f32(b))))                  \
    X(f32_max, 0x97, num_f32_bits(num_f32_max(num_f32(a), num_f32(b))))                  \
    X(f32_copysign, 0x98, ((uint32_t)a & 0x7fffffffu) | ((uint32_t)b & 0x80000000u))     \
    X(f64_add, 0xa0, exec_f64_add(a, b))                              \
    X(f64_sub, 0xa1, num_f64_bits(num_f64(a) - num_f64(b)))                              \
    X(f64_mul, 0xa2, exec_f64_mul(a, b))                              \
    X(f64_div, 0xa3, num_f64_bits(num_f64(a) / num_f64(b)))                              \
    X(f64_min, 0xa4, num_f64_bits(num_f64_min(num_f64(a), num_f64(b))))                  \
    X(f64_max, 0xa5, num_f64_bits(num_f64_max(num_f64(a), num_f64(b))))                  \
    X(f64_copysign, 0xa6, (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull))
/* Float-to-integer truncations that trap: name, opcode, operand (num_f32 / num_f64),
 * range test, conversion to the result bits. */
#define OPS_TRUNC(X)                                                                     \
    X(i32_trunc_f32_s, 0xa8, num_f32, num_fits_i32_s, (uint32_t)(int32_t))               \
    X(i32_trunc_f32_u, 0xa9, num_f32, num_fits_i32_u, (uint32_t))                        \
    X(i32_trunc_f64_s, 0xaa, num_f64, num_fits_i32_s, (uint32_t)(int32_t))               \
    X(i32_trunc_f64_u, 0xab, num_f64, num_fits_i32_u, (uint32_t))                        \
    X(i64_trunc_f32_s, 0xae, num_f32, num_fits_i64_s, (uint64_t)(int64_t))               \
    X(i64_trunc_f32_u, 0xaf, num_f32, num_fits_i64_u, (uint64_t))                        \
    X(i64_trunc_f64_s, 0xb0, num_f64, num_fits_i64_s, (uint64_t)(int64_t))               \
    X(i64_trunc_f64_u, 0xb1, num_f64, num_fits_i64_u, (uint64_t))

/* Loads: name, opcode, C type read, conversion to the slot. Stores: name, opcode, C type. */
#define OPS_LOAD(X)                                                                      \
    X(i32_load, 0x28, uint32_t, (uint64_t)) X(i64_load, 0x29, uint64_t, (uint64_t))      \
    X(f32_load, 0x2a, uint32_t, (uint64_t)) X(f64_load, 0x2b, uint64_t, (uint64_t))      \
    X(i32_load8_s, 0x2c, int8_t, (uint32_t)(int32_t)) X(i32_load8_u, 0x2d, uint8_t, (uint64_t)) \
    X(i32_load16_s, 0x2e, int16_t, (uint32_t)(int32_t)) X(i32_load16_u, 0x2f, uint16_t, (uint64_t)) \
    X(i64_load8_s, 0x30, int8_t, (uint64_t)(int64_t)) X(i64_load8_u, 0x31, uint8_t, (uint64_t)) \
    X(i64_load16_s, 0x32, int16_t, (uint64_t)(int64_t)) X(i64_load16_u, 0x33, uint16_t, (uint64_t)) \
    X(i64_load32_s, 0x34, int32_t, (uint64_t)(int64_t)) X(i64_load32_u, 0x35, uint32_t, (uint64_t))
#define OPS_STORE(X)                                                                     \
    X(i32_store, 0x36, uint32_t) X(i64_store, 0x37, uint64_t) X(f32_store, 0x38, uint32_t) \
    X(f64_store, 0x39, uint64_t) X(i32_store8, 0x3a, uint8_t) X(i32_store16, 0x3b, uint16_t) \
    X(i64_store8, 0x3c, uint8_t) X(i64_store16, 0x3d, uint16_t) X(i64_store32, 0x3e, uint32_t)

/* The rest; operands in the comment. */
enum op_misc {
    OP_UNREACHABLE = 0x600, /* */
    OP_BR,              /* rel */
    OP_BR_IF,           /* cond, rel */
    OP_BR_UNLESS,       /* cond, rel */
    OP_BR_TABLE,        /* index, count, rel x (count + 1) */
    OP_RETURN,          /* count, src */
    OP_RETURN0,         /* */
    OP_RETURN1,         /* src */
    OP_CALL,            /* func_entry *, arg base, code * (cached by the first call) */
    OP_CALL_FUNC,       /* function index (import), arg base */
    OP_CALL_INDIRECT,   /* functype *, table, element slot, arg base */
    OP_COPY,            /* dst, src */
    OP_COPY2,           /* dst, src, dst2, src2: two copies, in that order */
    OP_ADD2_SI,         /* dst, x, k, dst2, x2, k2: two i32 adds of a constant, in order */
    OP_CONST,           /* dst, 64-bit bits */
    OP_SELECT,          /* dst, a, b, cond */
    OP_GLOBAL_GET,      /* dst, global */
    OP_GLOBAL_SET,      /* global, src */
    OP_MEMORY_SIZE,     /* dst */
    OP_MEMORY_GROW,     /* dst, delta */
    OP_MEMORY_COPY,     /* dst addr, src addr, n */
    OP_MEMORY_FILL,     /* dst addr, value, n */
    OP_MEMORY_INIT,     /* segment, dst addr, src offset, n */
    OP_DATA_DROP,       /* segment */
    OP_TABLE_GET,       /* dst, table, index */
    OP_TABLE_SET,       /* table, index, value */
    OP_TABLE_SIZE_OP,   /* dst, table */
    OP_TABLE_GROW,      /* dst, table, init, n */
    OP_TABLE_FILL,      /* table, index, value, n */
    OP_TABLE_COPY,      /* dst table, src table, dst, src, n */
    OP_TABLE_INIT,      /* table, segment, dst, src, n */
    OP_ELEM_DROP,       /* segment */
    OP_REF_FUNC,        /* dst, function index */
    OP_CHECK,           /* fuel / deadline */
    OP_I32_FUNNEL,      /* dst, x, k1, y, k2: (x << k1) | (y >> k2), i32 */
    /* a load whose value is stored at once: dst addr, offset, add, src addr, offset,
       add (addresses as in loads and stores); 1, 2, 4, 8 bytes, guard then checked */
    OP_MOVE_GUARD1, OP_MOVE_GUARD2, OP_MOVE_GUARD4, OP_MOVE_GUARD8,
    OP_MOVE_CHECKED1, OP_MOVE_CHECKED2, OP_MOVE_CHECKED4, OP_MOVE_CHECKED8,
    /* i32.and of a constant whose result is branched on: dst, a, k, rel with dst =
       a & k, taken when dst is nonzero (BR_AND_SI) or zero (BR_AND_ZERO_SI) */
    OP_BR_AND_SI, OP_BR_AND_ZERO_SI,
    /* an i32.store of an OP_I32_FUNNEL result: addr, offset, add (as in stores), x,
       k1, y, k2 (as in the funnel); guard then checked */
    OP_FUNNEL_STORE_GUARD, OP_FUNNEL_STORE_CHECKED,
    /* 128-bit SIMD (simd.h): a v128 in slot s has its high half at s + EXEC_V128_HI */
    OP_V128_OP,       /* dst, sub-opcode, a, b, c, imm, imm: dst = simd_apply(...); the
                         unused operands name a; imm = lane or the shuffle's 16 bytes */
    OP_V128_CONST,    /* dst, low 8 bytes, high 8 bytes */
    OP_V128_COPY,     /* dst, src */
    OP_V128_SELECT,   /* dst, a, b, cond */
    OP_V128_RETURN,   /* count, src: a return moving both halves of every value */
    OP_V128_GLOBAL_GET, /* dst, global */
    OP_V128_GLOBAL_SET, /* global, src */
    /* dst, addr, offset, sub-opcode, vector (lane loads; else dst), lane: guard, checked */
    OP_V128_LOAD_GUARD, OP_V128_LOAD_CHECKED,
    /* addr, vector, offset, sub-opcode, lane: guard, checked */
    OP_V128_STORE_GUARD, OP_V128_STORE_CHECKED,
    OP_COUNT
};

#endif
