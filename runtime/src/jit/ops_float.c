/* ops_float.c: the compiler's f32/f64 instructions, inline in SSE2 (SSE4.1's roundss
 * and roundsd for ceil, floor, trunc and nearest). The result of an operation on two
 * operands is computed into the first's register, so a NaN follows x86's rule (the
 * first operand's if it is one, else the second's, quieted): the rule numeric.h gives
 * the interpreter. min and max treat NaNs and signed zeros as the spec says; compares
 * leave flags (equality needs the parity flag too: JC_CC_FEQ, JC_CC_FNE); the
 * float-to-integer conversions check their range after converting, out of the way of
 * the common case. xmm15 is the scratch register of these sequences. */
#include <math.h>
#include <string.h>

#include "jit/jitc.h"

#define F32 WASMRT_F32
#define F64 WASMRT_F64
#define XS (JR_XMM + 15)

static unsigned jc_prefix(int type)
{
    return type == F32 ? X64_F3 : X64_F2;
}

static unsigned jc_size(int type)
{
    return type == F32 ? 4 : 8;
}

/* The bits of value v as a constant of the type, in the function's pool. */
static x64_mem jc_fconst(jc *j, int type, double v)
{
    float f = (float)v;
    uint32_t b32;
    uint64_t b64;
    memcpy(&b32, &f, 4);
    memcpy(&b64, &v, 8);
    return type == F32 ? jc_const(j, b32, 4) : jc_const(j, b64, 8);
}

/* op xd, the value at pos (register, spill slot, frame home or pool constant) */
static void jc_sse_op(jc *j, unsigned flags, uint32_t opc, int xd, uint32_t pos)
{
    const jv *v = &j->stack[pos];
    int type = v->type;
    if (v->kind == JV_CONST)
        x64_sse_rm(&j->a, flags, opc, xd - JR_XMM,
                   jc_const(j, type == F32 ? (uint32_t)v->bits : v->bits, jc_size(type)));
    else if (v->kind == JV_SPILL)
        x64_sse_rm(&j->a, flags, opc, xd - JR_XMM, jc_slot(j, pos));
    else if (v->kind == JV_LOCAL && j->locals[v->local].reg < 0)
        x64_sse_rm(&j->a, flags, opc, xd - JR_XMM, jc_local_mem(j, v->local));
    else
        x64_sse_rr(&j->a, flags, opc, xd - JR_XMM, jc_reg(j, pos) - JR_XMM);
}

/* ucomiss / ucomisd x, y */
static void jc_ucomi(jc *j, int type, int x, uint32_t pos_y)
{
    jc_sse_op(j, type == F64 ? X64_66 : 0, OP2(0x0f, 0x2e), x, pos_y);
}

static void jc_ucomi_const(jc *j, int type, int x, double v)
{
    x64_sse_rm(&j->a, type == F64 ? X64_66 : 0, OP2(0x0f, 0x2e), x - JR_XMM, jc_fconst(j, type, v));
}

/* xmm15 = the constant (a mask) */
static void jc_scratch_const(jc *j, int type, uint64_t bits)
{
    x64_movs_load(&j->a, jc_size(type), XS - JR_XMM, jc_const(j, bits, jc_size(type)));
}

static void jc_fcompare(jc *j, int type, int k)
{
    /* eq ne lt gt le ge; lt and le compare the other way round, so that unordered
       (CF set) reads as false for all four orders */
    static const uint8_t cc[6] = {JC_CC_FEQ, JC_CC_FNE, CC_A, CC_A, CC_AE, CC_AE};
    uint32_t h = j->height;
    int swap = k == 2 || k == 4;
    int x = jc_reg(j, swap ? h - 1 : h - 2);
    jc_ucomi(j, type, x, swap ? h - 2 : h - 1);
    jc_pop(j, 2);
    jc_push(j, JV_FLAGS, WASMRT_I32, cc[k], 0, 0);
}

/* min (max): NaN if either is, the negative (positive) zero of two zeros */
static void jc_minmax(jc *j, int type, int max, int rd, int rb)
{
    uint32_t nan = x64_label(&j->a), differ = x64_label(&j->a), done = x64_label(&j->a);
    x64_sse_rr(&j->a, type == F64 ? X64_66 : 0, OP2(0x0f, 0x2e), rd - JR_XMM, rb - JR_XMM);
    x64_jcc(&j->a, CC_P, nan);
    x64_jcc(&j->a, CC_NE, differ);
    x64_sse_rr(&j->a, 0, OP2(0x0f, max ? 0x54 : 0x56), rd - JR_XMM, rb - JR_XMM); /* and/or */
    x64_jmp(&j->a, done);
    x64_bind(&j->a, differ);
    x64_sse_rr(&j->a, jc_prefix(type), OP2(0x0f, max ? 0x5f : 0x5d), rd - JR_XMM, rb - JR_XMM);
    x64_jmp(&j->a, done);
    x64_bind(&j->a, nan);
    x64_sse_rr(&j->a, jc_prefix(type), OP2(0x0f, 0x58), rd - JR_XMM, rb - JR_XMM); /* add */
    x64_bind(&j->a, done);
}

int jc_float_binary(jc *j, uint32_t op)
{
    int type = (op >= 0x61 && op <= 0x66) || op >= 0xa0 ? F64 : F32;
    uint32_t h = j->height;
    if (op >= 0x5b && op <= 0x66) {
        jc_fcompare(j, type, (int)(op - (type == F64 ? 0x61 : 0x5b)));
        return 1;
    }
    int k = (int)op - (type == F64 ? 0xa0 : 0x92); /* add sub mul div min max copysign */
    static const uint8_t arith[4] = {0x58, 0x5c, 0x59, 0x5e};
    x64_mem loaded;
    int rd;
    if (k < 4 && jc_take_load(j, h - 1, jc_size(type), &loaded)) {
        /* the second operand straight from linear memory */
        rd = jc_dest(j, h - 2, 2, type);
        jc_fault_mark(j);
        x64_sse_rm(&j->a, jc_prefix(type), OP2(0x0f, arith[k]), rd - JR_XMM, loaded);
        jc_load_done(j);
    } else if (k < 4) {
        rd = jc_dest(j, h - 2, 2, type);
        jc_sse_op(j, jc_prefix(type), OP2(0x0f, arith[k]), rd, h - 1);
    } else if (k < 6) {
        rd = jc_own(j, h - 2);
        jc_minmax(j, type, k == 5, rd, jc_reg(j, h - 1));
    } else {
        /* copysign: |a| with b's sign */
        rd = jc_own(j, h - 2);
        int rb = jc_reg(j, h - 1);
        int t = jc_alloc(j, 1, 0);
        jc_scratch_const(j, type, type == F32 ? 0x80000000u : 0x8000000000000000ull);
        x64_movaps(&j->a, t - JR_XMM, rb - JR_XMM);
        x64_sse_rr(&j->a, 0, OP2(0x0f, 0x54), t - JR_XMM, XS - JR_XMM);  /* andps */
        x64_sse_rr(&j->a, 0, OP2(0x0f, 0x55), XS - JR_XMM, rd - JR_XMM); /* andnps */
        x64_sse_rr(&j->a, 0, OP2(0x0f, 0x56), XS - JR_XMM, t - JR_XMM);  /* orps */
        x64_movaps(&j->a, rd - JR_XMM, XS - JR_XMM);
        jc_release(j, t);
    }
    jc_pop(j, 2);
    jc_push_result(j, type, rd);
    return 1;
}

/* ---- conversions ------------------------------------------------------------------- */

/* r = cvttss2si / cvttsd2si x (64 bits when w) */
static void jc_cvtt(jc *j, int from, unsigned w, int r, int x)
{
    x64_rr(&j->a, jc_prefix(from) | w, OP2(0x0f, 0x2c), r, x - JR_XMM);
}

/* xd = cvtsi2ss / cvtsi2sd r (a 64-bit source when w), the old value of xd not read */
static void jc_cvtsi(jc *j, int to, unsigned w, int xd, int r)
{
    x64_sse_rr(&j->a, 0, OP2(0x0f, 0x57), xd - JR_XMM, xd - JR_XMM);
    x64_rr(&j->a, jc_prefix(to) | w, OP2(0x0f, 0x2a), xd - JR_XMM, r);
}

/* The largest value a truncation to a signed integer of `bits` bits accepts is below
 * 2^(bits-1); the smallest is above -2^(bits-1) - 1, which for 64 bits, or f32, is the
 * first representable value below -2^(bits-1). */
static void jc_trunc_signed(jc *j, int from, int to_bits, int sat, int r, int x)
{
    unsigned w = to_bits == 64 ? X64_W : 0;
    double lim = ldexp(1.0, to_bits - 1);
    uint32_t done = x64_label(&j->a);
    jc_cvtt(j, from, w, r, x);
    x64_alu_ri(&j->a, w, ALU_CMP, r, 1); /* overflows only for the smallest value */
    x64_jcc(&j->a, CC_NO, done);
    uint32_t nan = sat ? x64_label(&j->a) : jc_trap_label(j, WASMRT_TRAP_INVALID_CONVERSION);
    x64_sse_rr(&j->a, from == F64 ? X64_66 : 0, OP2(0x0f, 0x2e), x - JR_XMM, x - JR_XMM);
    x64_jcc(&j->a, CC_P, nan);
    if (sat) {
        /* a negative value keeps the smallest integer, a positive one the largest */
        x64_sse_rr(&j->a, 0, OP2(0x0f, 0x57), XS - JR_XMM, XS - JR_XMM);
        x64_sse_rr(&j->a, from == F64 ? X64_66 : 0, OP2(0x0f, 0x2e), x - JR_XMM, XS - JR_XMM);
        x64_jcc(&j->a, CC_B, done);
        x64_mov_ri(&j->a, r, w ? (uint64_t)INT64_MAX : (uint64_t)INT32_MAX);
        x64_jmp(&j->a, done);
        x64_bind(&j->a, nan);
        x64_mov_ri(&j->a, r, 0);
    } else {
        uint32_t overflow = jc_trap_label(j, WASMRT_TRAP_INTEGER_OVERFLOW);
        jc_ucomi_const(j, from, x, lim);
        x64_jcc(&j->a, CC_AE, overflow);
        if (to_bits == 32 && from == F64) {
            jc_ucomi_const(j, from, x, -lim - 1.0);
            x64_jcc(&j->a, CC_BE, overflow);
        } else {
            jc_ucomi_const(j, from, x, -lim);
            x64_jcc(&j->a, CC_B, overflow);
        }
    }
    x64_bind(&j->a, done);
}

/* To an unsigned integer: 32 bits through a 64-bit signed conversion (exact on the
 * range), 64 bits in two halves of the range. */
static void jc_trunc_unsigned(jc *j, int from, int to_bits, int sat, int r, int x)
{
    uint32_t done = x64_label(&j->a), bad = x64_label(&j->a);
    uint32_t invalid = sat ? 0 : jc_trap_label(j, WASMRT_TRAP_INVALID_CONVERSION);
    uint32_t overflow = sat ? 0 : jc_trap_label(j, WASMRT_TRAP_INTEGER_OVERFLOW);
    if (to_bits == 32) {
        jc_cvtt(j, from, X64_W, r, x);
        x64_mov_rr(&j->a, X64_W, JR_SCRATCH, r);
        x64_shift_ri(&j->a, X64_W, SH_SHR, JR_SCRATCH, 32);
        x64_jcc(&j->a, CC_E, done);
    } else {
        uint32_t big = x64_label(&j->a);
        jc_ucomi_const(j, from, x, 9223372036854775808.0);
        x64_jcc(&j->a, CC_AE, big);
        jc_cvtt(j, from, X64_W, r, x); /* NaN and x <= -1 give a negative value */
        x64_test_rr(&j->a, X64_W, r, r);
        x64_jcc(&j->a, CC_S, bad);
        x64_jmp(&j->a, done);
        x64_bind(&j->a, big);
        /* x - 2^63 in the signed range, then the top bit back */
        x64_movaps(&j->a, XS - JR_XMM, x - JR_XMM);
        x64_sse_rm(&j->a, jc_prefix(from), OP2(0x0f, 0x5c), XS - JR_XMM,
                   jc_fconst(j, from, 9223372036854775808.0));
        jc_cvtt(j, from, X64_W, r, XS);
        x64_test_rr(&j->a, X64_W, r, r);
        if (sat) {
            uint32_t in_range = x64_label(&j->a);
            x64_jcc(&j->a, CC_NS, in_range);
            x64_mov_ri(&j->a, r, UINT64_MAX);
            x64_jmp(&j->a, done);
            x64_bind(&j->a, in_range);
        } else {
            x64_jcc(&j->a, CC_S, overflow);
        }
        x64_mov_ri(&j->a, JR_SCRATCH, 0x8000000000000000ull);
        x64_alu_rr(&j->a, X64_W, ALU_XOR, r, JR_SCRATCH);
        x64_jmp(&j->a, done);
    }
    x64_bind(&j->a, bad);
    /* NaN, below 0 (-1 or less) or above the range */
    if (sat) {
        uint32_t low = x64_label(&j->a);
        x64_sse_rr(&j->a, 0, OP2(0x0f, 0x57), XS - JR_XMM, XS - JR_XMM);
        x64_sse_rr(&j->a, from == F64 ? X64_66 : 0, OP2(0x0f, 0x2e), x - JR_XMM, XS - JR_XMM);
        x64_jcc(&j->a, CC_BE, low); /* NaN (unordered) or not positive: 0 */
        x64_mov_ri(&j->a, r, to_bits == 32 ? UINT32_MAX : UINT64_MAX);
        x64_jmp(&j->a, done);
        x64_bind(&j->a, low);
        x64_mov_ri(&j->a, r, 0);
    } else {
        x64_sse_rr(&j->a, from == F64 ? X64_66 : 0, OP2(0x0f, 0x2e), x - JR_XMM, x - JR_XMM);
        x64_jcc(&j->a, CC_P, invalid);
        x64_jmp(&j->a, overflow);
    }
    x64_bind(&j->a, done);
}

/* Float to integer: trapping (Wasm opcodes 0xa8..0xb1) or saturating (0xfc 0..7). */
static void jc_truncate(jc *j, int from, int to_bits, int is_signed, int sat)
{
    int x = jc_reg(j, j->height - 1);
    int r = jc_alloc(j, 0, 0);
    if (is_signed)
        jc_trunc_signed(j, from, to_bits, sat, r, x);
    else
        jc_trunc_unsigned(j, from, to_bits, sat, r, x);
    jc_pop(j, 1);
    jc_push_reg(j, to_bits == 64 ? WASMRT_I64 : WASMRT_I32, r);
}

/* Integer to float: i32 (signed, or zero-extended as i64), i64 signed, or i64
 * unsigned (halved with the low bit kept when the top bit is set, then doubled). */
static void jc_convert(jc *j, int to, int from, int is_signed)
{
    uint32_t pos = j->height - 1;
    int xd = jc_alloc(j, 1, 0);
    if (from == WASMRT_I64 && !is_signed) {
        int r = jc_own(j, pos);
        uint32_t big = x64_label(&j->a), done = x64_label(&j->a);
        x64_test_rr(&j->a, X64_W, r, r);
        x64_jcc(&j->a, CC_S, big);
        jc_cvtsi(j, to, X64_W, xd, r);
        x64_jmp(&j->a, done);
        x64_bind(&j->a, big);
        x64_mov_rr(&j->a, 0, JR_SCRATCH, r);
        x64_alu_ri(&j->a, 0, ALU_AND, JR_SCRATCH, 1);
        x64_shift_ri(&j->a, X64_W, SH_SHR, r, 1);
        x64_alu_rr(&j->a, X64_W, ALU_OR, r, JR_SCRATCH);
        jc_cvtsi(j, to, X64_W, xd, r);
        x64_sse_rr(&j->a, jc_prefix(to), OP2(0x0f, 0x58), xd - JR_XMM, xd - JR_XMM);
        x64_bind(&j->a, done);
    } else {
        int r = jc_reg(j, pos);
        /* an unsigned i32 is zero-extended in its register: a 64-bit conversion */
        jc_cvtsi(j, to, from == WASMRT_I64 || !is_signed ? X64_W : 0, xd, r);
    }
    jc_pop(j, 1);
    jc_push_reg(j, to, xd);
}

/* reinterpret: the bits to a register of the other class */
static void jc_reinterpret(jc *j, int to)
{
    uint32_t pos = j->height - 1;
    jv *v = &j->stack[pos];
    if (v->kind == JV_CONST || v->kind == JV_SPILL) {
        v->type = (uint8_t)to; /* the same bits, read as the other type */
        return;
    }
    unsigned w = to == F64 || to == WASMRT_I64 ? X64_W : 0;
    int from = jc_reg(j, pos);
    int r = jc_alloc(j, jc_is_xmm(to), 0);
    if (jc_is_xmm(to))
        x64_movq_xr(&j->a, w, r - JR_XMM, from);
    else
        x64_movq_rx(&j->a, w, r, from - JR_XMM);
    jc_pop(j, 1);
    jc_push_reg(j, to, r);
}

int jc_float_unary(jc *j, uint32_t op)
{
    uint32_t pos = j->height - 1;
    if (op >= COMPILE_OP_FC) {
        int sub = (int)(op - COMPILE_OP_FC);
        jc_truncate(j, sub & 2 ? F64 : F32, sub < 4 ? 32 : 64, !(sub & 1), 1);
        return 1;
    }
    if ((op >= 0x8b && op <= 0x91) || (op >= 0x99 && op <= 0x9f)) {
        int type = op >= 0x99 ? F64 : F32;
        int k = (int)op - (type == F64 ? 0x99 : 0x8b); /* abs neg ceil floor trunc nearest sqrt */
        int rd = jc_own(j, pos);
        if (k == 0 || k == 1) {
            uint64_t mask = type == F32 ? (k ? 0x80000000u : 0x7fffffffu)
                                        : (k ? 0x8000000000000000ull : 0x7fffffffffffffffull);
            jc_scratch_const(j, type, mask);
            x64_sse_rr(&j->a, 0, OP2(0x0f, k ? 0x57 : 0x54), rd - JR_XMM, XS - JR_XMM);
        } else if (k == 6) {
            x64_sse_rr(&j->a, jc_prefix(type), OP2(0x0f, 0x51), rd - JR_XMM, rd - JR_XMM);
        } else {
            if (!(j->features & JIT_CPU_SSE41)) return jc_fail(j, "rounding without SSE4.1");
            static const uint8_t mode[4] = {2, 1, 3, 0}; /* ceil floor trunc nearest */
            x64_rr(&j->a, X64_66, OP3(0x0f, 0x3a, type == F32 ? 0x0a : 0x0b), rd - JR_XMM,
                   rd - JR_XMM);
            x64_u8(&j->a, 8u | mode[k - 2]); /* no precision exception */
        }
        jc_pop(j, 1);
        jc_push_reg(j, type, rd);
        return 1;
    }
    switch (op) {
    case 0xa8:
        jc_truncate(j, F32, 32, 1, 0);
        break;
    case 0xa9:
        jc_truncate(j, F32, 32, 0, 0);
        break;
    case 0xaa:
        jc_truncate(j, F64, 32, 1, 0);
        break;
    case 0xab:
        jc_truncate(j, F64, 32, 0, 0);
        break;
    case 0xae:
        jc_truncate(j, F32, 64, 1, 0);
        break;
    case 0xaf:
        jc_truncate(j, F32, 64, 0, 0);
        break;
    case 0xb0:
        jc_truncate(j, F64, 64, 1, 0);
        break;
    case 0xb1:
        jc_truncate(j, F64, 64, 0, 0);
        break;
    case 0xb2:
        jc_convert(j, F32, WASMRT_I32, 1);
        break;
    case 0xb3:
        jc_convert(j, F32, WASMRT_I32, 0);
        break;
    case 0xb4:
        jc_convert(j, F32, WASMRT_I64, 1);
        break;
    case 0xb5:
        jc_convert(j, F32, WASMRT_I64, 0);
        break;
    case 0xb7:
        jc_convert(j, F64, WASMRT_I32, 1);
        break;
    case 0xb8:
        jc_convert(j, F64, WASMRT_I32, 0);
        break;
    case 0xb9:
        jc_convert(j, F64, WASMRT_I64, 1);
        break;
    case 0xba:
        jc_convert(j, F64, WASMRT_I64, 0);
        break;
    case 0xb6:   /* f32.demote_f64 */
    case 0xbb: { /* f64.promote_f32 */
        int rd = jc_own(j, pos);
        x64_sse_rr(&j->a, op == 0xb6 ? X64_F2 : X64_F3, OP2(0x0f, 0x5a), rd - JR_XMM, rd - JR_XMM);
        jc_pop(j, 1);
        jc_push_reg(j, op == 0xb6 ? F32 : F64, rd);
        break;
    }
    case 0xbc:
        jc_reinterpret(j, WASMRT_I32);
        break;
    case 0xbd:
        jc_reinterpret(j, WASMRT_I64);
        break;
    case 0xbe:
        jc_reinterpret(j, F32);
        break;
    case 0xbf:
        jc_reinterpret(j, F64);
        break;
    default:
        return jc_fail(j, "float instruction");
    }
    return 1;
}
