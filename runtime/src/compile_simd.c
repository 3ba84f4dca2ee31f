/* compile_simd.c: the 128-bit SIMD part of the function-body pass. The 0xfd
 * instructions (their immediates, lane indices, alignment and operand types, from
 * simd.h's table) and what v128 changes in the rest: moving, selecting, returning and
 * keeping globals of 16 bytes, and zeroing v128 locals. compile.c calls
 * compile_simd for every 0xfd opcode; emit.c calls the move and return helpers when
 * a value is a v128. */
#include <string.h>

#include "compile.h"
#include "simd.h"

/* Lane index immediate, < lanes. */
static int simd_lane(compiler *c, uint32_t lanes, uint32_t *lane)
{
    uint8_t b;
    if (!reader_byte(&c->r, &b)) {
        c->failed = 1;
        return 0;
    }
    if (b >= lanes)
        return emit_fail(c, WASMRT_ERR_INVALID, "invalid lane index %u (the shape has %u lanes)", b,
                         lanes);
    *lane = b;
    return 1;
}

/* Pops n operands of the given types (last on top). */
static int simd_pop(compiler *c, const wasmrt_valtype *types, uint32_t n, operand *o)
{
    for (uint32_t i = n; i-- > 0;)
        if (!emit_pop(c, types[i], &o[i])) return 0;
    return 1;
}

/* A lane operation: OP_V128_OP on n popped operands, pushing `out`. */
static void simd_emit_apply(compiler *c, uint32_t sub, operand *o, uint32_t n, wasmrt_valtype out,
                            uint64_t imm0, uint64_t imm1)
{
    if (!emit_live(c)) {
        emit_push(c, out);
        return;
    }
    uint32_t s[3];
    for (uint32_t i = 0; i < 3; i++)
        s[i] = i < n ? emit_src(c, &o[i]) : s[0];
    emit_op(c, OP_V128_OP);
    emit_result(c, out);
    emit_word(c, sub);
    emit_word(c, s[0]);
    emit_word(c, s[1]);
    emit_word(c, s[2]);
    emit_word(c, imm0);
    emit_word(c, imm1);
}

/* The memory instructions: loads (optionally into a lane of a vector) and stores. */
static int simd_memory(compiler *c, uint32_t sub, uint8_t sig, uint32_t log2)
{
    uint32_t offset, lane = 0;
    if (!compile_memarg(c, log2, &offset)) return 0;
    int has_lane = sig == SIMD_LOAD_LANE || sig == SIMD_STORE_LANE;
    if (has_lane && !simd_lane(c, 16u >> log2, &lane)) return 0;
    int has_vec = sig != SIMD_LOAD;
    operand o[2];
    static const wasmrt_valtype types[2] = {WASMRT_I32, WASMRT_V128};
    if (!simd_pop(c, types, has_vec ? 2 : 1, o)) return 0;
    int store = sig == SIMD_STORE || sig == SIMD_STORE_LANE;
    if (!emit_live(c)) {
        if (!store) emit_push(c, WASMRT_V128);
        return 1;
    }
    uint32_t addr = emit_src(c, &o[0]), vec = has_vec ? emit_src(c, &o[1]) : 0;
    if (store) {
        emit_op(c, c->checked ? OP_V128_STORE_CHECKED : OP_V128_STORE_GUARD);
        emit_word(c, addr);
        emit_word(c, vec);
        emit_word(c, offset);
        emit_word(c, sub);
        emit_word(c, lane);
        return 1;
    }
    emit_op(c, c->checked ? OP_V128_LOAD_CHECKED : OP_V128_LOAD_GUARD);
    uint32_t dst = emit_slot(c, c->height);
    emit_result(c, WASMRT_V128);
    emit_word(c, addr);
    emit_word(c, offset);
    emit_word(c, sub);
    emit_word(c, has_vec ? vec : dst);
    emit_word(c, lane);
    return 1;
}

int compile_simd(compiler *c)
{
    static const wasmrt_valtype V = WASMRT_V128, I = WASMRT_I32;
    uint32_t sub, lane = 0;
    if (!compile_index(c, &sub)) return 0;
    const simd_info info = sub < 256 ? simd_table[sub] : (simd_info){SIMD_NONE, 0};
    operand o[3];
    uint8_t bytes[16];
    const uint8_t *p;
    switch (info.sig) {
    case SIMD_LOAD:
    case SIMD_LOAD_LANE:
    case SIMD_STORE:
    case SIMD_STORE_LANE:
        return simd_memory(c, sub, info.sig, info.arg);
    case SIMD_CONST: {
        if (!reader_bytes(&c->r, 16, &p)) {
            c->failed = 1;
            return 0;
        }
        uint64_t lo, hi;
        memcpy(&lo, p, 8);
        memcpy(&hi, p + 8, 8);
        if (!emit_live(c)) {
            emit_push(c, V);
            return 1;
        }
        emit_op(c, OP_V128_CONST);
        emit_result(c, V);
        emit_word(c, lo);
        emit_word(c, hi);
        return 1;
    }
    case SIMD_SHUFFLE: {
        if (!reader_bytes(&c->r, 16, &p)) {
            c->failed = 1;
            return 0;
        }
        memcpy(bytes, p, 16);
        for (int i = 0; i < 16; i++)
            if (bytes[i] >= 32)
                return emit_fail(c, WASMRT_ERR_INVALID,
                                 "invalid lane index %u (shuffle lanes "
                                 "are below 32)",
                                 bytes[i]);
        if (!simd_pop(c, (const wasmrt_valtype[]){V, V}, 2, o)) return 0;
        uint64_t imm[2];
        memcpy(imm, bytes, 16);
        simd_emit_apply(c, sub, o, 2, V, imm[0], imm[1]);
        return 1;
    }
    case SIMD_V_V:
        if (!simd_pop(c, &V, 1, o)) return 0;
        simd_emit_apply(c, sub, o, 1, V, 0, 0);
        return 1;
    case SIMD_VV_V:
        if (!simd_pop(c, (const wasmrt_valtype[]){V, V}, 2, o)) return 0;
        simd_emit_apply(c, sub, o, 2, V, 0, 0);
        return 1;
    case SIMD_VVV_V:
        if (!simd_pop(c, (const wasmrt_valtype[]){V, V, V}, 3, o)) return 0;
        simd_emit_apply(c, sub, o, 3, V, 0, 0);
        return 1;
    case SIMD_V_I32:
        if (!simd_pop(c, &V, 1, o)) return 0;
        simd_emit_apply(c, sub, o, 1, I, 0, 0);
        return 1;
    case SIMD_VI_V:
        if (!simd_pop(c, (const wasmrt_valtype[]){V, I}, 2, o)) return 0;
        simd_emit_apply(c, sub, o, 2, V, 0, 0);
        return 1;
    case SIMD_SPLAT: {
        wasmrt_valtype t = (wasmrt_valtype)simd_scalar_type(sub);
        if (!simd_pop(c, &t, 1, o)) return 0;
        simd_emit_apply(c, sub, o, 1, V, 0, 0);
        return 1;
    }
    case SIMD_EXTRACT: {
        wasmrt_valtype t = (wasmrt_valtype)simd_scalar_type(sub);
        if (!simd_lane(c, info.arg, &lane) || !simd_pop(c, &V, 1, o)) return 0;
        simd_emit_apply(c, sub, o, 1, t, lane, 0);
        return 1;
    }
    case SIMD_REPLACE: {
        wasmrt_valtype t = (wasmrt_valtype)simd_scalar_type(sub);
        if (!simd_lane(c, info.arg, &lane) || !simd_pop(c, (const wasmrt_valtype[]){V, t}, 2, o))
            return 0;
        simd_emit_apply(c, sub, o, 2, V, lane, 0);
        return 1;
    }
    default:
        return emit_fail(c, WASMRT_ERR_MALFORMED, "illegal opcode 0xfd %u", sub);
    }
}

void compile_simd_move(compiler *c, uint32_t dst, uint32_t src)
{
    if (src == dst) return;
    emit_op(c, OP_V128_COPY);
    emit_word(c, dst);
    emit_word(c, src);
}

int compile_simd_returns(const compiler *c)
{
    const functype *t = c->fn->type;
    for (uint32_t i = 0; i < t->result_count; i++)
        if (t->results[i] == WASMRT_V128) return 1;
    return 0;
}

void compile_simd_return(compiler *c)
{
    uint32_t n = c->fn->type->result_count;
    for (uint32_t i = c->height - n; i < c->height; i++)
        emit_materialize(c, i);
    emit_op(c, OP_V128_RETURN);
    emit_word(c, n);
    emit_word(c, emit_slot(c, c->height - n));
}

void compile_simd_prologue(compiler *c)
{
    /* locals start at zero: the interpreter zeroes their slots, the high halves of
       v128 locals are zeroed here */
    for (uint32_t i = c->fn->type->param_count; i < c->nlocals; i++)
        if (c->local_types[i] == WASMRT_V128) {
            emit_op(c, OP_V128_CONST);
            emit_word(c, i);
            emit_word(c, 0);
            emit_word(c, 0);
        }
}
