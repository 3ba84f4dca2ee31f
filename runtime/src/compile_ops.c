/* compile_ops.c: the validator's non-control instructions and the opcode table that
 * compile.c's loop dispatches through: variables, parametric instructions, memory
 * access, constants, references, numeric ops and conversions, and the 0xfc group
 * (saturating truncation, bulk memory, tables). Each handler reads its immediates,
 * checks its operand types, and tells the backend when the code is reachable. */
#include <stdlib.h>
#include <string.h>

#include "compile.h"

#define I WASMRT_I32
#define L WASMRT_I64
#define F WASMRT_F32
#define D WASMRT_F64

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
    if (!compile_index(c, &align) || !compile_index(c, offset)) return 0;
    if (c->m->memory_count == 0) return compile_fail(c, WASMRT_ERR_INVALID, "unknown memory 0");
    if (align > natural_log2)
        return compile_fail(c, WASMRT_ERR_INVALID,
                            "alignment must not be larger than natural (2^%u > %u bytes)", align,
                            1u << natural_log2);
    return 1;
}

static int compile_zero_byte(compiler *c)
{
    uint8_t b;
    if (!reader_byte(&c->r, &b)) {
        c->failed = 1;
        return 0;
    }
    if (b != 0) return compile_fail(c, WASMRT_ERR_MALFORMED, "zero byte expected");
    return 1;
}

static int compile_need_memory(compiler *c)
{
    if (c->m->memory_count == 0) return compile_fail(c, WASMRT_ERR_INVALID, "unknown memory 0");
    return 1;
}

static int compile_table(compiler *c, uint32_t *t)
{
    if (!compile_index(c, t)) return 0;
    if (*t >= c->m->table_count) return compile_fail(c, WASMRT_ERR_INVALID, "unknown table %u", *t);
    return 1;
}

/* Pops operands of the given types, the last on top. */
static int compile_pop_types(compiler *c, const wasmrt_valtype *types, uint32_t n)
{
    wasmrt_valtype t;
    for (uint32_t i = n; i-- > 0;)
        if (!compile_pop(c, types[i], &t)) return 0;
    return 1;
}

/* ---- variables and parametric instructions ---------------------------------------- */

static int op_drop(compiler *c, uint32_t op)
{
    (void)op;
    wasmrt_valtype t;
    if (!compile_pop(c, TYPE_UNKNOWN, &t)) return 0;
    if (compile_live(c)) c->be->drop(c->bs);
    return 1;
}

/* select 0x1b, select with a type 0x1c */
static int op_select(compiler *c, uint32_t op)
{
    wasmrt_valtype t = TYPE_UNKNOWN, cond, x, y;
    if (op == 0x1c) {
        uint32_t n;
        uint8_t vt;
        if (!compile_index(c, &n)) return 0;
        if (n != 1)
            return compile_fail(c, WASMRT_ERR_INVALID, "invalid result arity %u for select", n);
        if (!reader_byte(&c->r, &vt)) {
            c->failed = 1;
            return 0;
        }
        t = (wasmrt_valtype)vt;
        if (t != I && t != L && t != F && t != D && t != WASMRT_V128 && !valtype_is_ref(t))
            return compile_fail(c, WASMRT_ERR_MALFORMED, "malformed value type");
    }
    if (!compile_pop(c, I, &cond) || !compile_pop(c, t, &y) || !compile_pop(c, t, &x)) return 0;
    if (op == 0x1b) {
        if (valtype_is_ref(x) || valtype_is_ref(y))
            return compile_fail(c, WASMRT_ERR_INVALID,
                                "type mismatch: select without a type on references");
        if (x != TYPE_UNKNOWN && y != TYPE_UNKNOWN && x != y)
            return compile_fail(c, WASMRT_ERR_INVALID, "type mismatch: select operands differ");
        t = x != TYPE_UNKNOWN ? x : y;
    }
    if (compile_live(c)) c->be->select(c->bs, t);
    compile_push(c, t);
    return 1;
}

static int op_local_get(compiler *c, uint32_t op)
{
    (void)op;
    uint32_t a;
    if (!compile_index(c, &a)) return 0;
    if (a >= c->nlocals) return compile_fail(c, WASMRT_ERR_INVALID, "unknown local %u", a);
    if (compile_live(c)) c->be->local_get(c->bs, a);
    compile_push(c, c->local_types[a]);
    return 1;
}

/* local.set 0x21, local.tee 0x22 */
static int op_local_set(compiler *c, uint32_t op)
{
    uint32_t a;
    wasmrt_valtype t;
    if (!compile_index(c, &a)) return 0;
    if (a >= c->nlocals) return compile_fail(c, WASMRT_ERR_INVALID, "unknown local %u", a);
    if (!compile_pop(c, c->local_types[a], &t)) return 0;
    if (compile_live(c)) c->be->local_set(c->bs, a, op == 0x22);
    if (op == 0x22) compile_push(c, c->local_types[a]);
    return 1;
}

static int op_global_get(compiler *c, uint32_t op)
{
    (void)op;
    uint32_t a;
    if (!compile_index(c, &a)) return 0;
    if (a >= c->m->global_count) return compile_fail(c, WASMRT_ERR_INVALID, "unknown global %u", a);
    if (compile_live(c)) c->be->global_get(c->bs, a);
    compile_push(c, c->m->globals[a].type);
    return 1;
}

static int op_global_set(compiler *c, uint32_t op)
{
    (void)op;
    uint32_t a;
    wasmrt_valtype t;
    if (!compile_index(c, &a)) return 0;
    if (a >= c->m->global_count) return compile_fail(c, WASMRT_ERR_INVALID, "unknown global %u", a);
    if (!c->m->globals[a].mutable_)
        return compile_fail(c, WASMRT_ERR_INVALID, "global is immutable: global.set %u", a);
    if (!compile_pop(c, c->m->globals[a].type, &t)) return 0;
    if (compile_live(c)) c->be->global_set(c->bs, a);
    return 1;
}

/* table.get 0x25, table.set 0x26 */
static int op_table_access(compiler *c, uint32_t op)
{
    uint32_t a;
    if (!compile_table(c, &a)) return 0;
    wasmrt_valtype t[2] = {I, c->m->tables[a].elem};
    if (!compile_pop_types(c, t, op == 0x25 ? 1 : 2)) return 0;
    if (op == 0x26) {
        if (compile_live(c)) c->be->table_set(c->bs, a);
        return 1;
    }
    if (compile_live(c)) c->be->table_get(c->bs, a);
    compile_push(c, t[1]);
    return 1;
}

/* ---- memory ------------------------------------------------------------------------ */

/* Loads 0x28..0x35: the natural alignment (log2) and the result type of each. */
static const uint8_t load_natural[14] = {2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2};
static const wasmrt_valtype load_type[14] = {I, L, F, D, I, I, I, I, L, L, L, L, L, L};
/* Stores 0x36..0x3e: the same of the value stored. */
static const uint8_t store_natural[9] = {2, 3, 2, 3, 0, 1, 0, 1, 2};
static const wasmrt_valtype store_type[9] = {I, L, F, D, I, I, L, L, L};

static int op_load(compiler *c, uint32_t op)
{
    uint32_t offset;
    wasmrt_valtype t;
    if (!compile_memarg(c, load_natural[op - 0x28], &offset) || !compile_pop(c, I, &t)) return 0;
    if (compile_live(c)) c->be->load(c->bs, op, offset);
    compile_push(c, load_type[op - 0x28]);
    return 1;
}

static int op_store(compiler *c, uint32_t op)
{
    uint32_t offset;
    wasmrt_valtype t;
    if (!compile_memarg(c, store_natural[op - 0x36], &offset) ||
        !compile_pop(c, store_type[op - 0x36], &t) || !compile_pop(c, I, &t))
        return 0;
    if (compile_live(c)) c->be->store(c->bs, op, offset);
    return 1;
}

/* memory.size 0x3f, memory.grow 0x40 */
static int op_memory_size_grow(compiler *c, uint32_t op)
{
    wasmrt_valtype t;
    if (!compile_zero_byte(c) || !compile_need_memory(c)) return 0;
    if (op == 0x40 && !compile_pop(c, I, &t)) return 0;
    if (compile_live(c)) {
        if (op == 0x40)
            c->be->memory_grow(c->bs);
        else
            c->be->memory_size(c->bs);
    }
    compile_push(c, I);
    return 1;
}

/* ---- constants and references ----------------------------------------------------- */

static void compile_const(compiler *c, wasmrt_valtype t, uint64_t bits)
{
    if (compile_live(c)) c->be->constant(c->bs, t, bits);
    compile_push(c, t);
}

/* i32.const 0x41, i64.const 0x42 */
static int op_int_const(compiler *c, uint32_t op)
{
    int64_t v;
    if (!reader_sleb(&c->r, op == 0x41 ? 32 : 64, &v)) {
        c->failed = 1;
        return 0;
    }
    compile_const(c, op == 0x41 ? I : L, op == 0x41 ? (uint32_t)v : (uint64_t)v);
    return 1;
}

static int op_f32_const(compiler *c, uint32_t op)
{
    (void)op;
    uint32_t v;
    if (!reader_fixed32(&c->r, &v)) {
        c->failed = 1;
        return 0;
    }
    compile_const(c, F, v);
    return 1;
}

static int op_f64_const(compiler *c, uint32_t op)
{
    (void)op;
    uint64_t v;
    if (!reader_fixed64(&c->r, &v)) {
        c->failed = 1;
        return 0;
    }
    compile_const(c, D, v);
    return 1;
}

static int op_ref_null(compiler *c, uint32_t op)
{
    (void)op;
    uint8_t t;
    if (!reader_byte(&c->r, &t)) {
        c->failed = 1;
        return 0;
    }
    if (t != 0x70 && t != 0x6f)
        return compile_fail(c, WASMRT_ERR_MALFORMED, "malformed reference type");
    compile_const(c, (wasmrt_valtype)t, 0);
    return 1;
}

static int op_ref_is_null(compiler *c, uint32_t op)
{
    wasmrt_valtype t;
    if (!compile_pop(c, TYPE_UNKNOWN, &t)) return 0;
    if (t != TYPE_UNKNOWN && !valtype_is_ref(t))
        return compile_fail(c, WASMRT_ERR_INVALID, "type mismatch: ref.is_null on a number");
    if (compile_live(c)) c->be->unary(c->bs, op, t, I);
    compile_push(c, I);
    return 1;
}

static int op_ref_func(compiler *c, uint32_t op)
{
    (void)op;
    uint32_t a;
    if (!compile_index(c, &a)) return 0;
    if (a >= c->m->func_count) return compile_fail(c, WASMRT_ERR_INVALID, "unknown function %u", a);
    if (!c->m->declared_funcs[a])
        return compile_fail(c, WASMRT_ERR_INVALID, "undeclared function reference %u", a);
    if (compile_live(c)) c->be->ref_func(c->bs, a);
    compile_push(c, WASMRT_FUNCREF);
    return 1;
}

/* ---- numeric ----------------------------------------------------------------------- */

/* Operand and result type of the numeric ops 0x45..0xc4, and whether each is binary. */
typedef struct numeric_type {
    wasmrt_valtype in, out;
    uint8_t binary;
} numeric_type;

#define NUM(lo, hi, in, out, binary) [(lo)-0x45 ...(hi) - 0x45] = {in, out, binary}
#define CONV(op, in, out) [(op)-0x45] = {in, out, 0}
static const numeric_type numeric_types[0xc5 - 0x45] = {
    NUM(0x45, 0x45, I, I, 0), /* i32.eqz */
    NUM(0x46, 0x4f, I, I, 1),
    NUM(0x50, 0x50, L, I, 0), /* i64.eqz */
    NUM(0x51, 0x5a, L, I, 1),
    NUM(0x5b, 0x60, F, I, 1),
    NUM(0x61, 0x66, D, I, 1),
    NUM(0x67, 0x69, I, I, 0),
    NUM(0x6a, 0x78, I, I, 1),
    NUM(0x79, 0x7b, L, L, 0),
    NUM(0x7c, 0x8a, L, L, 1),
    NUM(0x8b, 0x91, F, F, 0),
    NUM(0x92, 0x98, F, F, 1),
    NUM(0x99, 0x9f, D, D, 0),
    NUM(0xa0, 0xa6, D, D, 1),
    /* conversions */
    CONV(0xa7, L, I),
    CONV(0xa8, F, I),
    CONV(0xa9, F, I),
    CONV(0xaa, D, I),
    CONV(0xab, D, I),
    CONV(0xac, I, L),
    CONV(0xad, I, L),
    CONV(0xae, F, L),
    CONV(0xaf, F, L),
    CONV(0xb0, D, L),
    CONV(0xb1, D, L),
    CONV(0xb2, I, F),
    CONV(0xb3, I, F),
    CONV(0xb4, L, F),
    CONV(0xb5, L, F),
    CONV(0xb6, D, F),
    CONV(0xb7, I, D),
    CONV(0xb8, I, D),
    CONV(0xb9, L, D),
    CONV(0xba, L, D),
    CONV(0xbb, F, D),
    CONV(0xbc, F, I),
    CONV(0xbd, D, L),
    CONV(0xbe, I, F),
    CONV(0xbf, L, D),
    CONV(0xc0, I, I),
    CONV(0xc1, I, I),
    CONV(0xc2, L, L),
    CONV(0xc3, L, L),
    CONV(0xc4, L, L),
};
#undef NUM
#undef CONV

static int op_numeric(compiler *c, uint32_t op)
{
    const numeric_type *nt = &numeric_types[op - 0x45];
    wasmrt_valtype t;
    if (nt->binary && !compile_pop(c, nt->in, &t)) return 0;
    if (!compile_pop(c, nt->in, &t)) return 0;
    if (compile_live(c)) {
        if (nt->binary)
            c->be->binary(c->bs, op, nt->in, nt->out);
        else
            c->be->unary(c->bs, op, nt->in, nt->out);
    }
    compile_push(c, nt->out);
    return 1;
}

/* ---- the 0xfc group --------------------------------------------------------------- */

static const wasmrt_valtype I32_3[3] = {I, I, I};

/* Pops the types of a bulk or table instruction (sub-opcode 8..17) and pushes its
 * result, after the immediates were checked. */
static int compile_bulk_types(compiler *c, uint32_t sub, uint32_t a)
{
    const wasmrt_module *m = c->m;
    switch (sub) {
    case 8:
    case 10:
    case 11:
    case 12:
    case 14:
        return compile_pop_types(c, I32_3, 3);
    case 15: { /* table.grow: init, n -> old size */
        wasmrt_valtype t[2] = {m->tables[a].elem, I};
        return compile_pop_types(c, t, 2);
    }
    case 17: { /* table.fill: i, value, n */
        wasmrt_valtype t[3] = {I, m->tables[a].elem, I};
        return compile_pop_types(c, t, 3);
    }
    default: /* data.drop, elem.drop, table.size */
        return 1;
    }
}

static int op_prefixed(compiler *c, uint32_t op)
{
    (void)op;
    uint32_t sub, a = 0, b = 0;
    wasmrt_valtype t;
    const wasmrt_module *m = c->m;
    if (!compile_index(c, &sub)) return 0;
    if (sub <= 7) { /* saturating truncation */
        static const wasmrt_valtype in[8] = {F, F, D, D, F, F, D, D};
        if (!compile_pop(c, in[sub], &t)) return 0;
        if (compile_live(c)) c->be->unary(c->bs, COMPILE_OP_FC + sub, in[sub], sub < 4 ? I : L);
        compile_push(c, sub < 4 ? I : L);
        return 1;
    }
    switch (sub) {
    case 8: /* memory.init data */
        if (!compile_index(c, &a) || !compile_zero_byte(c) || !compile_need_memory(c)) return 0;
        if (a >= m->data_count)
            return compile_fail(c, WASMRT_ERR_INVALID, "unknown data segment %u", a);
        if (!m->has_data_count)
            return compile_fail(c, WASMRT_ERR_MALFORMED, "data count section required");
        break;
    case 9: /* data.drop data */
        if (!compile_index(c, &a)) return 0;
        if (a >= m->data_count)
            return compile_fail(c, WASMRT_ERR_INVALID, "unknown data segment %u", a);
        if (!m->has_data_count)
            return compile_fail(c, WASMRT_ERR_MALFORMED, "data count section required");
        break;
    case 10: /* memory.copy */
        if (!compile_zero_byte(c) || !compile_zero_byte(c) || !compile_need_memory(c)) return 0;
        break;
    case 11: /* memory.fill */
        if (!compile_zero_byte(c) || !compile_need_memory(c)) return 0;
        break;
    case 12: /* table.init elem table */
        if (!compile_index(c, &a) || !compile_table(c, &b)) return 0;
        if (a >= m->elem_count)
            return compile_fail(c, WASMRT_ERR_INVALID, "unknown elem segment %u", a);
        if (m->elems[a].type != m->tables[b].elem)
            return compile_fail(c, WASMRT_ERR_INVALID,
                                "type mismatch: element segment and table types differ");
        break;
    case 13: /* elem.drop elem */
        if (!compile_index(c, &a)) return 0;
        if (a >= m->elem_count)
            return compile_fail(c, WASMRT_ERR_INVALID, "unknown elem segment %u", a);
        break;
    case 14: /* table.copy dst src */
        if (!compile_table(c, &a) || !compile_table(c, &b)) return 0;
        if (m->tables[a].elem != m->tables[b].elem)
            return compile_fail(c, WASMRT_ERR_INVALID, "type mismatch: tables of different types");
        break;
    case 15:
    case 16:
    case 17: /* table.grow, table.size, table.fill */
        if (!compile_table(c, &a)) return 0;
        break;
    default:
        return compile_fail(c, WASMRT_ERR_MALFORMED, "illegal opcode 0xfc %u", sub);
    }
    if (!compile_bulk_types(c, sub, a)) return 0;
    if (compile_live(c)) c->be->bulk(c->bs, sub, a, b);
    if (sub == 15 || sub == 16) compile_push(c, I);
    return 1;
}

const compile_op_fn compile_ops[256] = {
    [0x00] = compile_op_unreachable,
    [0x01] = compile_op_nop,
    [0x02] = compile_op_block,
    [0x03] = compile_op_block,
    [0x04] = compile_op_block,
    [0x05] = compile_op_else,
    [0x0b] = compile_op_end,
    [0x0c] = compile_op_br,
    [0x0d] = compile_op_br_if,
    [0x0e] = compile_op_br_table,
    [0x0f] = compile_op_return,
    [0x10] = compile_op_call,
    [0x11] = compile_op_call_indirect,
    [0x1a] = op_drop,
    [0x1b] = op_select,
    [0x1c] = op_select,
    [0x20] = op_local_get,
    [0x21] = op_local_set,
    [0x22] = op_local_set,
    [0x23] = op_global_get,
    [0x24] = op_global_set,
    [0x25] = op_table_access,
    [0x26] = op_table_access,
    [0x28 ... 0x35] = op_load,
    [0x36 ... 0x3e] = op_store,
    [0x3f] = op_memory_size_grow,
    [0x40] = op_memory_size_grow,
    [0x41] = op_int_const,
    [0x42] = op_int_const,
    [0x43] = op_f32_const,
    [0x44] = op_f64_const,
    [0x45 ... 0xc4] = op_numeric,
    [0xd0] = op_ref_null,
    [0xd1] = op_ref_is_null,
    [0xd2] = op_ref_func,
    [0xfc] = op_prefixed,
    [0xfd] = compile_op_simd,
};
