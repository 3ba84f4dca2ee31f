/* emit_simd.c: the interpreter backend's 128-bit SIMD (compile.h's simd hook): each
 * 0xfd instruction as the OP_V128_* code of ops.h, and what v128 values change in the
 * rest of the backend: moves, returns and locals take both halves of a value (a
 * v128's high half lives EXEC_V128_HI slots above its slot, simd.h). */
#include <string.h>

#include "emit.h"
#include "simd.h"

/* A lane operation: OP_V128_OP on the n operands popped, pushing the result. */
static void emit_simd_apply(emitter *e, const compile_simd_insn *in, uint32_t n, int v128_result)
{
    operand o[3];
    uint32_t slot[3];
    for (uint32_t i = n; i-- > 0;)
        o[i] = emit_pop(e);
    for (uint32_t i = 0; i < 3; i++)
        slot[i] = i < n ? emit_src(e, &o[i]) : slot[0];
    uint64_t imm[2] = {in->lane, 0};
    if (simd_table[in->sub].sig == SIMD_SHUFFLE) memcpy(imm, in->bytes, 16);
    emit_op(e, OP_V128_OP);
    emit_result(e);
    e->stack[e->height - 1].v128 = (uint8_t)v128_result;
    emit_word(e, in->sub);
    for (uint32_t i = 0; i < 3; i++)
        emit_word(e, slot[i]);
    emit_word(e, imm[0]);
    emit_word(e, imm[1]);
}

/* Loads (into a lane of a vector, for the lane loads) and stores. */
static void emit_simd_memory(emitter *e, const compile_simd_insn *in, uint8_t sig)
{
    int has_vec = sig != SIMD_LOAD;
    operand vec = {0}, addr;
    if (has_vec) vec = emit_pop(e);
    addr = emit_pop(e);
    uint32_t sa = emit_src(e, &addr), sv = has_vec ? emit_src(e, &vec) : 0;
    if (sig == SIMD_STORE || sig == SIMD_STORE_LANE) {
        emit_op(e, e->checked ? OP_V128_STORE_CHECKED : OP_V128_STORE_GUARD);
        emit_word(e, sa);
        emit_word(e, sv);
        emit_word(e, in->offset);
        emit_word(e, in->sub);
        emit_word(e, in->lane);
        return;
    }
    emit_op(e, e->checked ? OP_V128_LOAD_CHECKED : OP_V128_LOAD_GUARD);
    uint32_t dst = emit_slot(e, e->height);
    emit_result(e);
    e->stack[e->height - 1].v128 = 1;
    emit_word(e, sa);
    emit_word(e, in->offset);
    emit_word(e, in->sub);
    emit_word(e, has_vec ? sv : dst);
    emit_word(e, in->lane);
}

void emit_simd(void *s, const compile_simd_insn *in)
{
    emitter *e = s;
    uint8_t sig = simd_table[in->sub].sig;
    switch (sig) {
    case SIMD_LOAD:
    case SIMD_LOAD_LANE:
    case SIMD_STORE:
    case SIMD_STORE_LANE:
        emit_simd_memory(e, in, sig);
        return;
    case SIMD_CONST: {
        uint64_t lo, hi;
        memcpy(&lo, in->bytes, 8);
        memcpy(&hi, in->bytes + 8, 8);
        emit_op(e, OP_V128_CONST);
        emit_result(e);
        e->stack[e->height - 1].v128 = 1;
        emit_word(e, lo);
        emit_word(e, hi);
        return;
    }
    case SIMD_V_V:
    case SIMD_SPLAT:
        emit_simd_apply(e, in, 1, 1);
        return;
    case SIMD_V_I32:
    case SIMD_EXTRACT:
        emit_simd_apply(e, in, 1, 0);
        return;
    case SIMD_VVV_V:
        emit_simd_apply(e, in, 3, 1);
        return;
    default: /* VV_V, VI_V, SHUFFLE, REPLACE */
        emit_simd_apply(e, in, 2, 1);
        return;
    }
}

void emit_v128_move(emitter *e, uint32_t dst, uint32_t src)
{
    if (src == dst) return;
    emit_op(e, OP_V128_COPY);
    emit_word(e, dst);
    emit_word(e, src);
}

int emit_v128_returns(const emitter *e)
{
    const functype *t = e->c->fn->type;
    for (uint32_t i = 0; i < t->result_count; i++)
        if (t->results[i] == WASMRT_V128) return 1;
    return 0;
}

void emit_v128_return(emitter *e)
{
    uint32_t n = e->c->fn->type->result_count;
    for (uint32_t i = e->height - n; i < e->height; i++)
        emit_materialize(e, i);
    emit_op(e, OP_V128_RETURN);
    emit_word(e, n);
    emit_word(e, emit_slot(e, e->height - n));
}

void emit_v128_zero_locals(emitter *e)
{
    const compiler *c = e->c;
    if (!e->v128_locals) return;
    for (uint32_t i = c->fn->type->param_count; i < c->nlocals; i++)
        if (c->local_types[i] == WASMRT_V128) {
            emit_op(e, OP_V128_CONST);
            emit_word(e, i);
            emit_word(e, 0);
            emit_word(e, 0);
        }
}
