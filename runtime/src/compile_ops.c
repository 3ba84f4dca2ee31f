/* compile_ops.c: the non-control instructions of the function-body pass: numeric
 * ops and conversions, memory and table access, the 0xfc bulk-memory, table and
 * saturating-truncation group. Each checks its immediates and operand types and,
 * when translating, emits through emit.c. */
#include <stdlib.h>
#include <string.h>

#include "compile.h"

static const wasmrt_valtype I32_3[3] = {WASMRT_I32, WASMRT_I32, WASMRT_I32};

int compile_index(compiler *c, uint32_t *out)
{
    if (!reader_u32(&c->r, out)) {
        c->failed = 1;
        return 0;
    }
    return 1;
}

int compile_memarg(compiler *c, uint32_t natural_log2, uint32_t *offset)
{
    uint32_t align;
    if (!compile_index(c, &align) || !compile_index(c, offset))
        return 0;
    if (c->m->memory_count == 0)
        return emit_fail(c, WASMRT_ERR_INVALID, "unknown memory 0");
    if (align > natural_log2)
        return emit_fail(c, WASMRT_ERR_INVALID,
                         "alignment must not be larger than natural (2^%u > %u bytes)", align,
                         1u << natural_log2);
    return 1;
}

int compile_zero_byte(compiler *c)
{
    uint8_t b;
    if (!reader_byte(&c->r, &b)) {
        c->failed = 1;
        return 0;
    }
    if (b != 0)
        return emit_fail(c, WASMRT_ERR_MALFORMED, "zero byte expected");
    return 1;
}

int compile_need_memory(compiler *c)
{
    if (c->m->memory_count == 0)
        return emit_fail(c, WASMRT_ERR_INVALID, "unknown memory 0");
    return 1;
}

int compile_table(compiler *c, uint32_t *t)
{
    if (!compile_index(c, t))
        return 0;
    if (*t >= c->m->table_count)
        return emit_fail(c, WASMRT_ERR_INVALID, "unknown table %u", *t);
    return 1;
}

/* Pops n operands of the given types (last on top) and returns the slot of each. */
int compile_pop_slots(compiler *c, const wasmrt_valtype *types, uint32_t n, uint32_t *slots)
{
    operand o[5];
    for (uint32_t i = n; i-- > 0;)
        if (!emit_pop(c, types[i], &o[i]))
            return 0;
    for (uint32_t i = 0; i < n; i++)
        slots[i] = emit_live(c) ? emit_src(c, &o[i]) : 0;
    return 1;
}

void compile_words(compiler *c, int op, const uint32_t *w, uint32_t n)
{
    if (!emit_live(c))
        return;
    emit_op(c, op);
    for (uint32_t i = 0; i < n; i++)
        emit_word(c, w[i]);
}

int compile_prefixed(compiler *c)
{
    uint32_t sub, a, b, slots[5];
    const wasmrt_module *m = c->m;
    if (!compile_index(c, &sub))
        return 0;
    if (sub <= 7) {
        static const wasmrt_valtype in[8] = {WASMRT_F32, WASMRT_F32, WASMRT_F64, WASMRT_F64,
                                             WASMRT_F32, WASMRT_F32, WASMRT_F64, WASMRT_F64};
        emit_unary(c, OP_SAT_BASE + (int)sub, in[sub], sub < 4 ? WASMRT_I32 : WASMRT_I64);
        return !c->failed;
    }
    switch (sub) {
    case 8: /* memory.init */
        if (!compile_index(c, &a) || !compile_zero_byte(c) || !compile_need_memory(c))
            return 0;
        if (a >= m->data_count)
            return emit_fail(c, WASMRT_ERR_INVALID, "unknown data segment %u", a);
        if (!m->has_data_count)
            return emit_fail(c, WASMRT_ERR_MALFORMED, "data count section required");
        if (!compile_pop_slots(c, I32_3, 3, slots))
            return 0;
        compile_words(c, OP_MEMORY_INIT, (uint32_t[]){a, slots[0], slots[1], slots[2]}, 4);
        return 1;
    case 9:
        if (!compile_index(c, &a))
            return 0;
        if (a >= m->data_count)
            return emit_fail(c, WASMRT_ERR_INVALID, "unknown data segment %u", a);
        if (!m->has_data_count)
            return emit_fail(c, WASMRT_ERR_MALFORMED, "data count section required");
        compile_words(c, OP_DATA_DROP, &a, 1);
        return 1;
    case 10:
        if (!compile_zero_byte(c) || !compile_zero_byte(c) || !compile_need_memory(c) ||
            !compile_pop_slots(c, I32_3, 3, slots))
            return 0;
        compile_words(c, OP_MEMORY_COPY, slots, 3);
        return 1;
    case 11:
        if (!compile_zero_byte(c) || !compile_need_memory(c) || !compile_pop_slots(c, I32_3, 3, slots))
            return 0;
        compile_words(c, OP_MEMORY_FILL, slots, 3);
        return 1;
    case 12: /* table.init elem table */
        if (!compile_index(c, &a) || !compile_table(c, &b))
            return 0;
        if (a >= m->elem_count)
            return emit_fail(c, WASMRT_ERR_INVALID, "unknown elem segment %u", a);
        if (m->elems[a].type != m->tables[b].elem)
            return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: element segment and table types differ");
        if (!compile_pop_slots(c, I32_3, 3, slots))
            return 0;
        compile_words(c, OP_TABLE_INIT, (uint32_t[]){b, a, slots[0], slots[1], slots[2]}, 5);
        return 1;
    case 13:
        if (!compile_index(c, &a))
            return 0;
        if (a >= m->elem_count)
            return emit_fail(c, WASMRT_ERR_INVALID, "unknown elem segment %u", a);
        compile_words(c, OP_ELEM_DROP, &a, 1);
        return 1;
    case 14: /* table.copy dst src */
        if (!compile_table(c, &a) || !compile_table(c, &b))
            return 0;
        if (m->tables[a].elem != m->tables[b].elem)
            return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: tables of different types");
        if (!compile_pop_slots(c, I32_3, 3, slots))
            return 0;
        compile_words(c, OP_TABLE_COPY, (uint32_t[]){a, b, slots[0], slots[1], slots[2]}, 5);
        return 1;
    case 15: { /* table.grow: init, n -> old size */
        if (!compile_table(c, &a))
            return 0;
        wasmrt_valtype t[2] = {m->tables[a].elem, WASMRT_I32};
        if (!compile_pop_slots(c, t, 2, slots))
            return 0;
        if (emit_live(c)) {
            emit_op(c, OP_TABLE_GROW);
            emit_result(c, WASMRT_I32);
            emit_word(c, a);
            emit_word(c, slots[0]);
            emit_word(c, slots[1]);
        } else {
            emit_push(c, WASMRT_I32);
        }
        return 1;
    }
    case 16:
        if (!compile_table(c, &a))
            return 0;
        if (emit_live(c)) {
            emit_op(c, OP_TABLE_SIZE_OP);
            emit_result(c, WASMRT_I32);
            emit_word(c, a);
        } else {
            emit_push(c, WASMRT_I32);
        }
        return 1;
    case 17: { /* table.fill: i, value, n */
        if (!compile_table(c, &a))
            return 0;
        wasmrt_valtype t[3] = {WASMRT_I32, m->tables[a].elem, WASMRT_I32};
        if (!compile_pop_slots(c, t, 3, slots))
            return 0;
        compile_words(c, OP_TABLE_FILL, (uint32_t[]){a, slots[0], slots[1], slots[2]}, 4);
        return 1;
    }
    default:
        return emit_fail(c, WASMRT_ERR_MALFORMED, "illegal opcode 0xfc %u", sub);
    }
}

void compile_const(compiler *c, wasmrt_valtype t, uint64_t bits)
{
    emit_push_fields(c, t, OPERAND_CONST, 0, bits);
}

/* Numeric ops by opcode range: operand and result types, whether an integer op has a
 * constant-operand form and whether it commutes. */
void compile_numeric(compiler *c, uint8_t op)
{
    const wasmrt_valtype I = WASMRT_I32, L = WASMRT_I64, F = WASMRT_F32, D = WASMRT_F64;
    if (op == 0x45) emit_unary(c, op, I, I);
    else if (op <= 0x4f) emit_binary(c, op, I, I, 1, op <= 0x47);
    else if (op == 0x50) emit_unary(c, op, L, I);
    else if (op <= 0x5a) emit_binary(c, op, L, I, 1, op <= 0x52);
    else if (op <= 0x60) emit_binary(c, op, F, I, 0, 0);
    else if (op <= 0x66) emit_binary(c, op, D, I, 0, 0);
    else if (op <= 0x69) emit_unary(c, op, I, I);
    else if (op <= 0x78) emit_binary(c, op, I, I, !(op >= 0x6d && op <= 0x70),
                                     op == 0x6a || op == 0x6c || (op >= 0x71 && op <= 0x73));
    else if (op <= 0x7b) emit_unary(c, op, L, L);
    else if (op <= 0x8a) emit_binary(c, op, L, L, !(op >= 0x7f && op <= 0x82),
                                     op == 0x7c || op == 0x7e || (op >= 0x83 && op <= 0x85));
    else if (op <= 0x91) emit_unary(c, op, F, F);
    else if (op <= 0x98) emit_binary(c, op, F, F, 0, 0);
    else if (op <= 0x9f) emit_unary(c, op, D, D);
    else if (op <= 0xa6) emit_binary(c, op, D, D, 0, 0);
    else {
        /* conversions: (input, output) per opcode 0xa7..0xc4 */
        static const char io[30][3] = {
            "LI", "FI", "FI", "DI", "DI", "IL", "IL", "FL", "FL", "DL", "DL", "IF", "IF", "LF",
            "LF", "DF", "ID", "ID", "LD", "LD", "FD", "FI", "DL", "IF", "LD", "II", "II", "LL",
            "LL", "LL"};
        const char *s = io[op - 0xa7];
        wasmrt_valtype in = s[0] == 'I' ? I : s[0] == 'L' ? L : s[0] == 'F' ? F : D;
        wasmrt_valtype out = s[1] == 'I' ? I : s[1] == 'L' ? L : s[1] == 'F' ? F : D;
        if (op == 0xa7 || (op >= 0xbc && op <= 0xbf)) {
            /* wrap and reinterpret keep the bits: i32 readers use the low half */
            operand o;
            if (emit_pop(c, in, &o)) {
                o.type = out;
                emit_push_operand(c, o);
            }
            return;
        }
        emit_unary(c, op, in, out);
    }
}
