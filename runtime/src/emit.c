/* emit.c: the interpreter's backend (emit.h): the operand model and the instructions
 * that are not control flow. Operands know where their value lives: a stack slot, a
 * local or a constant, so consumers read locals and constants in place. Also the
 * translation entry points of code.h (compile_function, compile_get). */
#include <stdio.h>
#include <stdlib.h>

#include "emit.h"
#include "engine.h"
#include "interp.h"
#include "thread_exit.h"

int emit_fail(emitter *e, wasmrt_status status, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return compile_fail(e->c, status, "%s", msg);
}

int emit_grow_code(emitter *e)
{
    size_t cap = e->code_cap ? e->code_cap * 2 : 256;
    uint64_t *grown = realloc(e->code, cap * sizeof *grown);
    if (!grown) return emit_fail(e, WASMRT_ERR_RESOURCE, "out of memory translating the function");
    e->code = grown;
    e->code_cap = cap;
    return 1;
}

void emit_barrier(emitter *e)
{
    e->last_dst = -1;
    e->last_start = -1;
    e->shifts[0].start = e->shifts[1].start = -1;
    emit_forget_recent(e);
}

void emit_op(emitter *e, int op)
{
    e->last_dst = -1;
    e->last_start = -1;
    e->shifts[1] = e->shifts[0];
    e->shifts[0].start = -1;
    e->recent[1] = e->recent[0];
    e->recent[0].start = e->len + 1;
    e->recent[0].op = op;
    emit_word(e, (uint64_t)(uintptr_t)interp_labels[op]);
}

/* The destination word of a value-producing instruction: the next stack slot. */
static void emit_dst(emitter *e)
{
    if (e->c->failed) return;
    e->last_dst = (int64_t)e->len;
    e->last_pos = e->height;
    emit_word(e, emit_slot(e, e->height));
}

int emit_grow_stack(emitter *e)
{
    uint32_t cap = e->stack_cap ? e->stack_cap * 2 : 64;
    operand *grown = realloc(e->stack, cap * sizeof *grown);
    if (!grown) return emit_fail(e, WASMRT_ERR_RESOURCE, "out of memory validating the function");
    e->stack = grown;
    e->stack_cap = cap;
    return 1;
}

/* Writes operand o's value into slot `dst`. */
void emit_move(emitter *e, uint32_t dst, const operand *o)
{
    if (o->kind == OPERAND_CONST) {
        emit_op(e, OP_CONST);
        emit_word(e, dst);
        emit_word(e, o->bits);
    } else if (o->kind == OPERAND_LOCAL_ADD) {
        if (emit_add_pair(e, dst, o->local, (uint32_t)o->bits)) return;
        emit_op(e, OP_SI + 0x6a);
        emit_word(e, dst);
        emit_word(e, o->local);
        emit_word(e, (uint32_t)o->bits);
    } else {
        uint32_t src = o->kind == OPERAND_LOCAL ? o->local : emit_slot(e, o->pos);
        if (o->v128) {
            emit_v128_move(e, dst, src);
            return;
        }
        if (src == dst || emit_copy_pair(e, dst, src)) return;
        emit_op(e, OP_COPY);
        emit_word(e, dst);
        emit_word(e, src);
    }
}

void emit_materialize(emitter *e, uint32_t pos)
{
    operand *o = &e->stack[pos];
    if (o->kind == OPERAND_STACK) return;
    o->pos = pos;
    emit_move(e, emit_slot(e, pos), o);
    o->kind = OPERAND_STACK;
}

/* The slot to read a popped operand from; constants are first stored in their slot. */
uint32_t emit_src(emitter *e, operand *o)
{
    if (o->kind == OPERAND_LOCAL) return o->local;
    if (o->kind == OPERAND_CONST || o->kind == OPERAND_LOCAL_ADD) {
        emit_move(e, emit_slot(e, o->pos), o);
        o->kind = OPERAND_STACK;
    }
    return emit_slot(e, o->pos);
}

void emit_result(emitter *e)
{
    emit_dst(e);
    emit_push(e);
}

int emit_is_compare(int opcode)
{
    return (opcode >= 0x45 && opcode <= 0x4f) || (opcode >= 0x51 && opcode <= 0x5a);
}

/* Pops the n operands of an instruction (the last on top) and returns the slot of
 * each. */
static void emit_pop_slots(emitter *e, uint32_t n, uint32_t *slots)
{
    operand o[5];
    for (uint32_t i = n; i-- > 0;)
        o[i] = emit_pop(e);
    for (uint32_t i = 0; i < n; i++)
        slots[i] = emit_src(e, &o[i]);
}

static void emit_words(emitter *e, int op, const uint32_t *w, uint32_t n)
{
    emit_op(e, op);
    for (uint32_t i = 0; i < n; i++)
        emit_word(e, w[i]);
}

/* ---- values and variables --------------------------------------------------------- */

static void emit_constant(void *s, wasmrt_valtype t, uint64_t bits)
{
    (void)t;
    emit_push_fields(s, OPERAND_CONST, 0, bits);
}

static void emit_local_get(void *s, uint32_t index)
{
    emitter *e = s;
    emit_push_fields(e, OPERAND_LOCAL, index, 0);
    if (e->v128_locals) e->stack[e->height - 1].v128 = e->c->local_types[index] == WASMRT_V128;
}

static void emit_local_set(void *s, uint32_t index, int tee)
{
    emitter *e = s;
    operand v = emit_pop(e);
    if (e->straight) {
        if (v.kind == OPERAND_CONST && v.bits == 0 && e->local_zero[index]) {
            /* the local is zero already: nothing changes, no hazard either */
            if (tee) emit_push_operand(e, v);
            return;
        }
        e->local_zero[index] = 0;
    }
    int hazard = 0;
    for (uint32_t i = 0; i < e->height; i++)
        if ((e->stack[i].kind == OPERAND_LOCAL || e->stack[i].kind == OPERAND_LOCAL_ADD) &&
            e->stack[i].local == index)
            hazard = 1;
    if (v.kind == OPERAND_STACK && !hazard && e->last_dst >= 0 && e->last_pos == v.pos) {
        /* retarget the instruction that computed the value to write the local */
        e->code[e->last_dst] = index;
    } else {
        /* older copies of the local still on the stack must keep the old value */
        for (uint32_t i = 0; i < e->height; i++)
            if ((e->stack[i].kind == OPERAND_LOCAL || e->stack[i].kind == OPERAND_LOCAL_ADD) &&
                e->stack[i].local == index)
                emit_materialize(e, i);
        if (!(v.kind == OPERAND_LOCAL && v.local == index)) emit_move(e, index, &v);
    }
    /* the instruction that wrote the local stays the latest: a branch on the local may
       absorb it (emit_cond_branch), so `recent` survives the barrier */
    emit_recent keep[2] = {e->recent[0], e->recent[1]};
    emit_barrier(e);
    e->recent[0] = keep[0];
    e->recent[1] = keep[1];
    if (tee) {
        emit_push_fields(e, OPERAND_LOCAL, index, 0);
        e->stack[e->height - 1].v128 = v.v128;
    }
}

static void emit_global_get(void *s, uint32_t index)
{
    emitter *e = s;
    int v128 = e->c->m->globals[index].type == WASMRT_V128;
    emit_op(e, v128 ? OP_V128_GLOBAL_GET : OP_GLOBAL_GET);
    emit_result(e);
    e->stack[e->height - 1].v128 = (uint8_t)v128;
    emit_word(e, index);
}

static void emit_global_set(void *s, uint32_t index)
{
    emitter *e = s;
    operand v = emit_pop(e);
    uint32_t src = emit_src(e, &v);
    emit_words(e, v.v128 ? OP_V128_GLOBAL_SET : OP_GLOBAL_SET, (uint32_t[]){index, src}, 2);
}

static void emit_drop(void *s)
{
    emitter *e = s;
    e->height--;
}

static void emit_select(void *s, wasmrt_valtype t)
{
    emitter *e = s;
    operand cond = emit_pop(e), y = emit_pop(e), x = emit_pop(e);
    uint32_t sx = emit_src(e, &x), sy = emit_src(e, &y), sc = emit_src(e, &cond);
    emit_op(e, t == WASMRT_V128 ? OP_V128_SELECT : OP_SELECT);
    emit_result(e);
    e->stack[e->height - 1].v128 = t == WASMRT_V128;
    emit_word(e, sx);
    emit_word(e, sy);
    emit_word(e, sc);
}

/* ---- numeric ---------------------------------------------------------------------- */

static void emit_unary(void *s, uint32_t opcode, wasmrt_valtype in, wasmrt_valtype out)
{
    (void)in;
    (void)out;
    emitter *e = s;
    if (opcode == 0xa7 || (opcode >= 0xbc && opcode <= 0xbf))
        return; /* wrap and reinterpret keep the bits: i32 readers use the low half */
    int op = opcode >= COMPILE_OP_FC ? OP_SAT_BASE + (int)(opcode - COMPILE_OP_FC)
             : opcode == 0xd1        ? 0x50 /* ref.is_null: null is 0, i64.eqz */
                                     : (int)opcode;
    operand a = emit_pop(e);
    uint32_t sa = emit_src(e, &a);
    int64_t start = (int64_t)e->len;
    emit_op(e, op);
    emit_dst(e);
    emit_word(e, sa);
    emit_push(e);
    if (op == 0x45) {
        e->last_start = start;
        e->last_cmp = op;
    }
}

/* Whether an integer op has a constant-operand form (OP_SI) and whether it commutes. */
static void emit_int_form(int op, int *has_si, int *commutative)
{
    *has_si = *commutative = 0;
    if ((op >= 0x46 && op <= 0x4f) || (op >= 0x51 && op <= 0x5a)) {
        *has_si = 1;
        *commutative = op <= 0x47 || op == 0x51 || op == 0x52;
    } else if (op >= 0x6a && op <= 0x78) {
        *has_si = !(op >= 0x6d && op <= 0x70);
        *commutative = op == 0x6a || op == 0x6c || (op >= 0x71 && op <= 0x73);
    } else if (op >= 0x7c && op <= 0x8a) {
        *has_si = !(op >= 0x7f && op <= 0x82);
        *commutative = op == 0x7c || op == 0x7e || (op >= 0x83 && op <= 0x85);
    }
}

static void emit_binary(void *s, uint32_t op, wasmrt_valtype in, wasmrt_valtype out)
{
    (void)out;
    emitter *e = s;
    int opcode = (int)op, has_si, commutative;
    emit_int_form(opcode, &has_si, &commutative);
    operand b = emit_pop(e), a = emit_pop(e);
    if (opcode == 0x72 && emit_funnel(e, &a, &b)) {
        emit_push(e);
        return;
    }
    if (has_si && a.kind == OPERAND_CONST && b.kind != OPERAND_CONST && commutative) {
        operand t = a;
        a = b;
        b = t; /* a keeps its own slot; b becomes the inline constant */
    }
    if (opcode == 0x6a && a.kind == OPERAND_LOCAL && b.kind == OPERAND_CONST) {
        /* local + constant: left for the consumer (an address, usually) */
        emit_push_fields(e, OPERAND_LOCAL_ADD, a.local, (uint32_t)b.bits);
        return;
    }
    uint32_t sa = emit_src(e, &a);
    int64_t start;
    if (has_si && b.kind == OPERAND_CONST) {
        start = (int64_t)e->len;
        emit_op(e, OP_SI + opcode);
        emit_dst(e);
        emit_word(e, sa);
        emit_word(e, in == WASMRT_I32 ? (uint32_t)b.bits : b.bits);
        opcode += OP_SI;
    } else {
        uint32_t sb = emit_src(e, &b);
        start = (int64_t)e->len;
        emit_op(e, opcode);
        emit_dst(e);
        emit_word(e, sa);
        emit_word(e, sb);
    }
    emit_push(e);
    if (opcode == OP_SI + 0x74 || opcode == OP_SI + 0x76) {
        e->shifts[0].start = start;
        e->shifts[0].op = opcode;
        e->shifts[0].pos = e->height - 1;
    }
    if (emit_is_compare(opcode % OP_SI) || opcode == OP_SI + 0x6a) {
        e->last_start = start;
        e->last_cmp = opcode;
    }
}

/* ---- memory ----------------------------------------------------------------------- */

static void emit_load(void *s, uint32_t op, uint32_t offset)
{
    emitter *e = s;
    operand addr = emit_pop(e);
    uint32_t slot, imm = 0;
    if (!emit_take_address_add(e, &addr, &slot, &imm)) slot = emit_src(e, &addr);
    if (imm == 0 && emit_step_load(e, (int)op, slot, offset)) return;
    int64_t start = (int64_t)e->len;
    emit_op(e, (e->checked ? OP_MEM_CHECKED : OP_MEM_GUARD) + (int)op);
    emit_result(e);
    emit_word(e, slot);
    emit_word(e, offset);
    emit_word(e, imm);
    e->last_start = start; /* a store of this value may absorb the load */
    e->last_cmp = OP_LOADED + (int)op;
}

static void emit_store(void *s, uint32_t op, uint32_t offset)
{
    emitter *e = s;
    operand v = emit_pop(e), addr = emit_pop(e);
    if (emit_memory_move(e, (int)op, &addr, &v, offset) ||
        emit_funnel_store(e, (int)op, &addr, &v, offset))
        return;
    uint32_t sa, imm = 0;
    if (!emit_take_address_add(e, &addr, &sa, &imm)) sa = emit_src(e, &addr);
    uint32_t sv = emit_src(e, &v);
    emit_words(e, (e->checked ? OP_MEM_CHECKED : OP_MEM_GUARD) + (int)op,
               (uint32_t[]){sa, sv, offset, imm}, 4);
}

static void emit_memory_size(void *s)
{
    emitter *e = s;
    emit_op(e, OP_MEMORY_SIZE);
    emit_result(e);
}

static void emit_memory_grow(void *s)
{
    emitter *e = s;
    operand d = emit_pop(e);
    uint32_t slot = emit_src(e, &d);
    emit_op(e, OP_MEMORY_GROW);
    emit_result(e);
    emit_word(e, slot);
}

/* ---- references, tables, bulk memory ---------------------------------------------- */

static void emit_ref_func(void *s, uint32_t index)
{
    emitter *e = s;
    emit_op(e, OP_REF_FUNC);
    emit_result(e);
    emit_word(e, index);
}

static void emit_table_get(void *s, uint32_t table)
{
    emitter *e = s;
    uint32_t slot;
    emit_pop_slots(e, 1, &slot);
    emit_op(e, OP_TABLE_GET);
    emit_result(e);
    emit_word(e, table);
    emit_word(e, slot);
}

static void emit_table_set(void *s, uint32_t table)
{
    emitter *e = s;
    uint32_t slots[2];
    emit_pop_slots(e, 2, slots);
    emit_words(e, OP_TABLE_SET, (uint32_t[]){table, slots[0], slots[1]}, 3);
}

static void emit_bulk(void *s, uint32_t sub, uint32_t a, uint32_t b)
{
    emitter *e = s;
    uint32_t slots[3];
    switch (sub) {
    case 8: /* memory.init */
        emit_pop_slots(e, 3, slots);
        emit_words(e, OP_MEMORY_INIT, (uint32_t[]){a, slots[0], slots[1], slots[2]}, 4);
        break;
    case 9:
        emit_words(e, OP_DATA_DROP, &a, 1);
        break;
    case 10:
    case 11:
        emit_pop_slots(e, 3, slots);
        emit_words(e, sub == 10 ? OP_MEMORY_COPY : OP_MEMORY_FILL, slots, 3);
        break;
    case 12: /* table.init elem table */
        emit_pop_slots(e, 3, slots);
        emit_words(e, OP_TABLE_INIT, (uint32_t[]){b, a, slots[0], slots[1], slots[2]}, 5);
        break;
    case 13:
        emit_words(e, OP_ELEM_DROP, &a, 1);
        break;
    case 14: /* table.copy dst src */
        emit_pop_slots(e, 3, slots);
        emit_words(e, OP_TABLE_COPY, (uint32_t[]){a, b, slots[0], slots[1], slots[2]}, 5);
        break;
    case 15: /* table.grow */
        emit_pop_slots(e, 2, slots);
        emit_op(e, OP_TABLE_GROW);
        emit_result(e);
        emit_word(e, a);
        emit_word(e, slots[0]);
        emit_word(e, slots[1]);
        break;
    case 16:
        emit_op(e, OP_TABLE_SIZE_OP);
        emit_result(e);
        emit_word(e, a);
        break;
    default: /* 17, table.fill */
        emit_pop_slots(e, 3, slots);
        emit_words(e, OP_TABLE_FILL, (uint32_t[]){a, slots[0], slots[1], slots[2]}, 4);
        break;
    }
}

/* ---- calls ------------------------------------------------------------------------- */

/* Notes that the next word emitted holds a host pointer (code.h, code relocations). */
static void emit_reloc(emitter *e, int kind)
{
    if (e->c->failed) return;
    if (e->nrelocs == e->reloc_cap) {
        uint32_t cap = e->reloc_cap ? e->reloc_cap * 2 : 16;
        uint32_t *grown = realloc(e->relocs, cap * sizeof *grown);
        if (!grown) {
            emit_fail(e, WASMRT_ERR_RESOURCE, "out of memory translating the function");
            return;
        }
        e->relocs = grown;
        e->reloc_cap = cap;
    }
    e->relocs[e->nrelocs++] = (uint32_t)e->len << 1 | (uint32_t)kind;
}

/* A call: the arguments become the callee's first slots, so they are materialized in
 * place; the results come back in the same slots. */
static void emit_call_common(emitter *e, uint32_t fidx, const functype *t, int indirect,
                             uint32_t table)
{
    operand elem;
    if (indirect) elem = emit_pop(e);
    e->height -= t->param_count;
    uint32_t base = e->height;
    for (uint32_t i = base; i < base + t->param_count; i++)
        emit_materialize(e, i);
    if (indirect) {
        uint32_t es = emit_src(e, &elem);
        emit_op(e, OP_CALL_INDIRECT);
        emit_reloc(e, CODE_RELOC_TYPE);
        emit_word(e, (uint64_t)(uintptr_t)t);
        emit_word(e, table);
        emit_word(e, es);
        emit_word(e, emit_slot(e, base));
    } else if (fidx >= e->c->m->imported_funcs) {
        emit_op(e, OP_CALL);
        emit_reloc(e, CODE_RELOC_FUNC);
        emit_word(e, (uint64_t)(uintptr_t)&e->c->m->funcs[fidx]);
        emit_word(e, emit_slot(e, base));
        emit_word(e, 0); /* the callee's code, filled in by the first call */
    } else {
        emit_op(e, OP_CALL_FUNC);
        emit_word(e, fidx);
        emit_word(e, emit_slot(e, base));
    }
    for (uint32_t i = 0; i < t->result_count; i++)
        emit_push_typed(e, t->results[i]);
    /* the callee's frame starts at the arguments and may use every slot above */
    if (e->height + 1 > e->max_height) e->max_height = e->height + 1;
}

static void emit_call(void *s, uint32_t func)
{
    emitter *e = s;
    emit_call_common(e, func, e->c->m->funcs[func].type, 0, 0);
}

static void emit_call_indirect(void *s, uint32_t type, uint32_t table)
{
    emitter *e = s;
    emit_call_common(e, 0, e->c->m->types[type], 1, table);
}

static void emit_begin(void *s, compiler *c)
{
    emitter *e = s;
    e->c = c;
    const functype *t = c->fn->type;
    for (uint32_t i = 0; i < t->param_count; i++)
        e->v128_locals |= t->params[i] == WASMRT_V128;
    for (uint32_t i = 0; i < c->fn->local_run_count; i++)
        e->v128_locals |= c->fn->local_run_types[i] == WASMRT_V128;
}

static const compile_backend emit_backend = {
    .begin = emit_begin,
    .constant = emit_constant,
    .local_get = emit_local_get,
    .local_set = emit_local_set,
    .global_get = emit_global_get,
    .global_set = emit_global_set,
    .drop = emit_drop,
    .select = emit_select,
    .unary = emit_unary,
    .binary = emit_binary,
    .load = emit_load,
    .store = emit_store,
    .memory_size = emit_memory_size,
    .memory_grow = emit_memory_grow,
    .ref_func = emit_ref_func,
    .table_get = emit_table_get,
    .table_set = emit_table_set,
    .bulk = emit_bulk,
    .unreachable = emit_unreachable,
    .block = emit_block,
    .else_ = emit_else,
    .end = emit_end,
    .br = emit_br,
    .br_if = emit_br_if,
    .br_table = emit_br_table,
    .return_ = emit_return,
    .call = emit_call,
    .call_indirect = emit_call_indirect,
    .simd = emit_simd,
};

/* ---- translating a function --------------------------------------------------------- */

/* Debugging aid (WASMRT_DUMP_CODE=1): the translated code, one instruction a line as
 * the internal opcode (ops.h) and its operand words. */
static void emit_dump(const func_entry *fn, const code *cd)
{
    fprintf(stderr, "func %u: %u slots, %u words", fn->index, cd->frame_slots, cd->word_count);
    for (uint32_t k = 0; k < cd->word_count; k++) {
        int op = -1;
        for (int o = 0; o < OP_COUNT && op < 0; o++)
            if (interp_labels[o] && (uint64_t)(uintptr_t)interp_labels[o] == cd->words[k]) op = o;
        if (op >= 0)
            fprintf(stderr, "\n  %#x", op);
        else
            fprintf(stderr, " %lld", (long long)cd->words[k]);
    }
    fprintf(stderr, "\n");
}

/* WASMRT_DUMP_CODE, read once: getenv scans the environment, once per translated
 * function otherwise */
static int emit_dump_wanted(void)
{
    static atomic_int wanted = -1; /* threads may translate at once */
    int w = atomic_load_explicit(&wanted, memory_order_relaxed);
    if (w < 0) {
        w = getenv("WASMRT_DUMP_CODE") != NULL;
        atomic_store_explicit(&wanted, w, memory_order_relaxed);
    }
    return w;
}

/* The backend's growable buffers, kept between functions on each thread (compile.c
 * says why). Buffers past EMIT_SCRATCH_KEEP bytes are freed, not kept. */
typedef struct emit_scratch {
    operand *stack;
    uint32_t stack_cap;
    emit_frame *frames;
    uint32_t frame_cap;
    uint64_t *code;
    size_t code_cap;
    uint32_t *relocs;
    uint32_t reloc_cap;
    uint8_t *local_zero;
    size_t zero_cap;
} emit_scratch;

#define EMIT_SCRATCH_KEEP ((size_t)1 << 20)

static _Thread_local emit_scratch emit_tls; /* released when its thread exits */

static void emit_scratch_release(void *p)
{
    emit_scratch *s = p;
    free(s->stack);
    free(s->frames);
    free(s->code);
    free(s->relocs);
    free(s->local_zero);
    memset(s, 0, sizeof *s);
}

static void emit_scratch_give_back(emitter *e)
{
    emit_scratch *s = &emit_tls;
    s->stack = e->stack;
    s->stack_cap = e->stack_cap;
    s->frames = e->frames;
    s->frame_cap = e->frame_cap;
    s->code = e->code;
    s->code_cap = e->code_cap;
    s->relocs = e->relocs;
    s->reloc_cap = e->reloc_cap;
    if (s->stack_cap * sizeof *s->stack > EMIT_SCRATCH_KEEP ||
        s->frame_cap * sizeof *s->frames > EMIT_SCRATCH_KEEP ||
        s->code_cap * sizeof *s->code > EMIT_SCRATCH_KEEP ||
        s->reloc_cap * sizeof *s->relocs > EMIT_SCRATCH_KEEP || s->zero_cap > EMIT_SCRATCH_KEEP)
        emit_scratch_release(s); /* one huge function: do not keep its memory */
}

wasmrt_status compile_function(const wasmrt_module *m, const func_entry *fn, code **out,
                               wasmrt_error *error)
{
    const functype *t = fn->type;
    uint32_t nlocals = t->param_count + fn->local_count;
    emit_scratch *s = &emit_tls;
    thread_exit_register(s, emit_scratch_release);
    if (s->zero_cap < (size_t)nlocals + 1) {
        size_t cap = (size_t)nlocals + 1 > 2 * s->zero_cap ? (size_t)nlocals + 1 : 2 * s->zero_cap;
        uint8_t *zero = realloc(s->local_zero, cap);
        if (!zero) return error_set(error, WASMRT_ERR_RESOURCE, fn->body_offset, "out of memory");
        s->local_zero = zero;
        s->zero_cap = cap;
    }
    emitter e;
    memset(&e, 0, sizeof e);
    e.checked = m->bounds_checked;
    e.metered = m->engine->config.fuel || m->engine->config.deadline_ns;
    e.nlocals = nlocals;
    e.last_dst = e.last_start = -1;
    e.shifts[0].start = e.shifts[1].start = -1;
    e.stack = s->stack;
    e.stack_cap = s->stack_cap;
    e.frames = s->frames;
    e.frame_cap = s->frame_cap;
    e.code = s->code;
    e.code_cap = s->code_cap;
    e.relocs = s->relocs;
    e.reloc_cap = s->reloc_cap;
    e.local_zero = s->local_zero;
    memset(e.local_zero, 0, (size_t)nlocals + 1);
    memset(e.local_zero + t->param_count, 1, fn->local_count);
    e.straight = 1;
    wasmrt_status status = compile_pass(m, fn, &emit_backend, &e, error);
    if (status == WASMRT_OK) {
        code *cd = malloc(sizeof *cd + e.len * sizeof(uint64_t) + e.nrelocs * sizeof(uint32_t));
        if (!cd) {
            emit_scratch_give_back(&e);
            return error_set(error, WASMRT_ERR_RESOURCE, fn->body_offset, "out of memory");
        }
        cd->param_slots = t->param_count;
        cd->local_slots = fn->local_count;
        /* results are written at slot 0.. so the frame holds at least that many */
        uint32_t need = nlocals + e.max_height + 1;
        cd->frame_slots = need > t->result_count ? need : t->result_count;
        cd->word_count = (uint32_t)e.len;
        cd->func_index = fn->index;
        memcpy(cd->words, e.code, e.len * sizeof(uint64_t));
        cd->reloc_count = e.nrelocs;
        if (e.nrelocs) memcpy(code_relocs(cd), e.relocs, e.nrelocs * sizeof(uint32_t));
        if (emit_dump_wanted()) emit_dump(fn, cd);
        *out = cd;
    }
    emit_scratch_give_back(&e);
    return status;
}

code *compile_get(func_entry *fn, wasmrt_error *error)
{
    code *cd = atomic_load_explicit(&fn->compiled, memory_order_acquire);
    if (cd) return cd;
    wasmrt_module *m = fn->module;
    pthread_mutex_lock(&m->lock);
    cd = atomic_load_explicit(&fn->compiled, memory_order_relaxed);
    if (!cd && compile_function(m, fn, &cd, error) == WASMRT_OK)
        atomic_store_explicit(&fn->compiled, cd, memory_order_release);
    pthread_mutex_unlock(&m->lock);
    return cd;
}
