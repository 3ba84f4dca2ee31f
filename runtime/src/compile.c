/* compile.c: one pass over a function body, opcode by opcode, that validates it (the
 * spec's type-checking algorithm) and, when translating, emits the internal code of
 * ops.h through emit.c. Used twice: validate-only for every function at load, and
 * translate on a function's first call (lazy) or at load (eager). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "engine.h"
#include "interp.h"

static int compile_blocktype(compiler *c, const wasmrt_valtype **params, uint32_t *np,
                             const wasmrt_valtype **results, uint32_t *nr,
                             wasmrt_valtype *single)
{
    reader *r = &c->r;
    *params = *results = NULL;
    *np = *nr = 0;
    if (r->p >= r->end) {
        c->failed = 1;
        return reader_eof(r);
    }
    uint8_t b = *r->p;
    if (b == 0x40) {
        r->p++;
        return 1;
    }
    if (b == 0x7f || b == 0x7e || b == 0x7d || b == 0x7c || b == 0x7b || b == 0x70 ||
        b == 0x6f) {
        r->p++;
        *single = (wasmrt_valtype)b;
        *nr = 1;
        return 1;
    }
    int64_t idx;
    if (!reader_sleb(r, 33, &idx)) {
        c->failed = 1;
        return 0;
    }
    if (idx < 0 || idx >= c->m->type_count)
        return emit_fail(c, WASMRT_ERR_INVALID, "unknown type %lld", (long long)idx);
    const functype *t = c->m->types[idx];
    *params = t->params;
    *np = t->param_count;
    *results = t->results;
    *nr = t->result_count;
    return 1;
}

/* Notes that the next word emitted holds a host pointer (module.h, code relocations). */
static void compile_reloc(compiler *c, int kind)
{
    if (!c->emit || c->failed)
        return;
    if (c->nrelocs == c->reloc_cap) {
        uint32_t cap = c->reloc_cap ? c->reloc_cap * 2 : 16;
        uint32_t *grown = realloc(c->relocs, cap * sizeof *grown);
        if (!grown) {
            emit_fail(c, WASMRT_ERR_RESOURCE, "out of memory translating the function");
            return;
        }
        c->relocs = grown;
        c->reloc_cap = cap;
    }
    c->relocs[c->nrelocs++] = (uint32_t)c->len << 1 | (uint32_t)kind;
}

/* A call: the arguments become the callee's first slots, so they are materialized
 * in place; the results come back in the same slots. */
static int compile_call(compiler *c, uint32_t fidx, const functype *t, int indirect,
                        uint32_t table)
{
    operand elem;
    if (indirect && !emit_pop(c, WASMRT_I32, &elem))
        return 0;
    for (uint32_t i = t->param_count; i-- > 0;) {
        operand o;
        if (!emit_pop(c, t->params[i], &o))
            return 0;
    }
    if (emit_live(c)) {
        uint32_t base = c->height;
        for (uint32_t i = base; i < base + t->param_count; i++)
            emit_materialize(c, i);
        if (indirect) {
            uint32_t es = emit_src(c, &elem);
            emit_op(c, OP_CALL_INDIRECT);
            compile_reloc(c, CODE_RELOC_TYPE);
            emit_word(c, (uint64_t)(uintptr_t)t);
            emit_word(c, table);
            emit_word(c, es);
        } else if (fidx >= c->m->imported_funcs) {
            emit_op(c, OP_CALL);
            compile_reloc(c, CODE_RELOC_FUNC);
            emit_word(c, (uint64_t)(uintptr_t)&c->m->funcs[fidx]);
            emit_word(c, emit_slot(c, base));
            emit_word(c, 0); /* the callee's code, filled in by the first call */
            goto pushed;
        } else {
            emit_op(c, OP_CALL_FUNC);
            emit_word(c, fidx);
        }
        emit_word(c, emit_slot(c, base));
    }
pushed:
    for (uint32_t i = 0; i < t->result_count; i++)
        emit_push(c, t->results[i]);
    /* the callee's frame starts at the arguments and may use every slot above */
    if (c->height + 1 > c->max_height)
        c->max_height = c->height + 1;
    return 1;
}

static int compile_body(compiler *c)
{
    reader *r = &c->r;
    const wasmrt_module *m = c->m;
    while (!c->failed) {
        uint8_t op;
        uint32_t a, b;
        if (c->depth == 0) {
            if (r->p != r->end)
                return emit_fail(c, WASMRT_ERR_MALFORMED,
                                 "section size mismatch: the function's END is not at its end");
            return 1;
        }
        if (r->p >= r->end) {
            /* the reference decoder reads on into the next section, so a missing END
               is a size mismatch unless the file ends here */
            if (r->end == m->bytes + m->size)
                return emit_fail(c, WASMRT_ERR_MALFORMED,
                                 "unexpected end of section or function: END opcode expected");
            if (r->end < m->bytes + m->code_end)
                return emit_fail(c, WASMRT_ERR_MALFORMED, "END opcode expected");
            return emit_fail(c, WASMRT_ERR_MALFORMED,
                             "section size mismatch: function body ends without END");
        }
        op = *r->p++;
        switch (op) {
        case 0x00:
            if (emit_live(c))
                emit_op(c, OP_UNREACHABLE);
            emit_set_unreachable(c);
            break;
        case 0x01:
            break;
        case 0x02: case 0x03: case 0x04: {
            const wasmrt_valtype *params, *results;
            uint32_t np, nr;
            wasmrt_valtype single = TYPE_UNKNOWN;
            operand cond;
            int64_t patch = -1;
            if (!compile_blocktype(c, &params, &np, &results, &nr, &single))
                return 0;
            if (op == 0x04 && !emit_pop(c, WASMRT_I32, &cond))
                return 0;
            if (np > 64)
                return emit_fail(c, WASMRT_ERR_RESOURCE, "block with %u parameters", np);
            operand ps[64];
            for (uint32_t i = np; i-- > 0;)
                if (!emit_pop(c, params[i], &ps[i]))
                    return 0;
            for (uint32_t i = 0; i < np; i++) {
                ps[i].type = params[i];
                emit_push_operand(c, ps[i]);
            }
            if (op == 0x04 && cond.kind == OPERAND_CONST && emit_live(c))
                emit_src(c, &cond);
            if (emit_live(c)) {
                /* everything becomes a real slot so a local.set inside the block
                   cannot change a value the merge point still needs */
                for (uint32_t i = 0; i < c->height; i++)
                    if (c->stack[i].kind != OPERAND_STACK && !(op == 0x04 && i == cond.pos))
                        emit_materialize(c, i);
            }
            if (op == 0x04)
                emit_cond_branch(c, &cond, 1, &patch);
            emit_barrier(c);
            ctrl *f = emit_ctrl_push(c, op == 0x02 ? CTRL_BLOCK : op == 0x03 ? CTRL_LOOP : CTRL_IF,
                                     params, np, results, nr, single);
            if (!f)
                return 0;
            f->else_patch = patch;
            if (op == 0x03)
                c->straight = 0; /* a loop head is reached again from below */
            if (op == 0x03 && c->metered && emit_live(c)) {
                emit_op(c, OP_CHECK);
                f->loop_pc = c->len - 1;
            }
            break;
        }
        case 0x05: {
            ctrl *f = &c->ctrls[c->depth - 1];
            if (f->kind != CTRL_IF)
                return emit_fail(c, WASMRT_ERR_INVALID, "else without a matching if");
            if (!emit_check_results(c, f))
                return 0;
            if (emit_live(c)) {
                emit_op(c, OP_BR);
                emit_word(c, (uint64_t)f->patches);
                if (c->emit && !c->failed)
                    f->patches = (int64_t)c->len - 1;
            }
            emit_patch_here(c, f->else_patch);
            f->else_patch = -1;
            emit_barrier(c);
            f->kind = CTRL_ELSE;
            c->straight = 0;
            f->unreachable = 0;
            for (uint32_t i = 0; i < f->nparams; i++)
                emit_push(c, f->params[i]);
            break;
        }
        case 0x0b: {
            ctrl *f = &c->ctrls[c->depth - 1];
            if (!emit_check_results(c, f))
                return 0;
            if (f->kind == CTRL_IF) {
                /* no else: the false path must turn the parameters into the results */
                if (f->nparams != f->nresults ||
                    (f->nparams && memcmp(f->params, emit_ctrl_results(f), f->nparams * sizeof *f->params)))
                    return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: if without else must not change the stack");
                emit_patch_here(c, f->else_patch);
            }
            if (f->kind == CTRL_FUNC) {
                c->height += f->nresults;
                emit_return(c);
                c->depth--;
                break;
            }
            emit_place_label(c, f);
            c->depth--;
            for (uint32_t i = 0; i < f->nresults; i++)
                emit_push(c, emit_ctrl_results(f)[i]);
            break;
        }
        case 0x0c:
            if (!compile_index(c, &a) || !emit_branch(c, a))
                return 0;
            break;
        case 0x0d:
            if (!compile_index(c, &a) || !emit_br_if(c, a, 0))
                return 0;
            break;
        case 0x0e: {
            uint32_t n;
            if (!compile_index(c, &n))
                return 0;
            if (n > (size_t)(r->end - r->p))
                return emit_fail(c, WASMRT_ERR_MALFORMED, "unexpected end of section or function");
            uint32_t *labels = malloc(((size_t)n + 1) * sizeof *labels);
            if (!labels)
                return emit_fail(c, WASMRT_ERR_RESOURCE, "out of memory");
            int ok = 1;
            for (uint32_t i = 0; i <= n && ok; i++)
                ok = compile_index(c, &labels[i]);
            ok = ok && emit_br_table(c, labels, n);
            free(labels);
            if (!ok)
                return 0;
            break;
        }
        case 0x0f: {
            const functype *t = c->fn->type;
            for (uint32_t i = t->result_count; i-- > 0;) {
                operand o;
                if (!emit_pop(c, t->results[i], &o))
                    return 0;
            }
            c->height += t->result_count;
            if (c->ctrls[c->depth - 1].unreachable)
                c->height = c->ctrls[c->depth - 1].height;
            emit_return(c);
            emit_set_unreachable(c);
            break;
        }
        case 0x10:
            if (!compile_index(c, &a))
                return 0;
            if (a >= m->func_count)
                return emit_fail(c, WASMRT_ERR_INVALID, "unknown function %u", a);
            if (!compile_call(c, a, m->funcs[a].type, 0, 0))
                return 0;
            break;
        case 0x11:
            if (!compile_index(c, &a) || !compile_index(c, &b))
                return 0;
            if (b >= m->table_count)
                return emit_fail(c, WASMRT_ERR_INVALID, "unknown table %u", b);
            if (a >= m->type_count)
                return emit_fail(c, WASMRT_ERR_INVALID, "unknown type %u", a);
            if (m->tables[b].elem != WASMRT_FUNCREF)
                return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: call_indirect on a table of externref");
            if (!compile_call(c, 0, m->types[a], 1, b))
                return 0;
            break;
        case 0x1a: {
            operand o;
            if (!emit_pop(c, TYPE_UNKNOWN, &o))
                return 0;
            break;
        }
        case 0x1b: case 0x1c: {
            operand cond, x, y;
            wasmrt_valtype t = TYPE_UNKNOWN;
            if (op == 0x1c) {
                uint32_t n;
                uint8_t vt;
                if (!compile_index(c, &n))
                    return 0;
                if (n != 1)
                    return emit_fail(c, WASMRT_ERR_INVALID, "invalid result arity %u for select", n);
                if (!reader_byte(r, &vt)) {
                    c->failed = 1;
                    return 0;
                }
                t = (wasmrt_valtype)vt;
                if (t != WASMRT_I32 && t != WASMRT_I64 && t != WASMRT_F32 && t != WASMRT_F64 &&
                    t != WASMRT_V128 && !valtype_is_ref(t))
                    return emit_fail(c, WASMRT_ERR_MALFORMED, "malformed value type");
            }
            if (!emit_pop(c, WASMRT_I32, &cond) || !emit_pop(c, t, &y) || !emit_pop(c, t, &x))
                return 0;
            if (op == 0x1b) {
                if (valtype_is_ref(x.type) || valtype_is_ref(y.type))
                    return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: select without a type on references");
                if (x.type != TYPE_UNKNOWN && y.type != TYPE_UNKNOWN && x.type != y.type)
                    return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: select operands differ");
                t = x.type != TYPE_UNKNOWN ? x.type : y.type;
            }
            if (emit_live(c)) {
                uint32_t sx = emit_src(c, &x), sy = emit_src(c, &y), sc = emit_src(c, &cond);
                emit_op(c, t == WASMRT_V128 ? OP_V128_SELECT : OP_SELECT);
                emit_result(c, t);
                emit_word(c, sx);
                emit_word(c, sy);
                emit_word(c, sc);
            } else {
                emit_push(c, t);
            }
            break;
        }
        case 0x20: {
            if (!compile_index(c, &a))
                return 0;
            if (a >= c->nlocals)
                return emit_fail(c, WASMRT_ERR_INVALID, "unknown local %u", a);
            emit_push_fields(c, c->local_types[a], OPERAND_LOCAL, a, 0);
            break;
        }
        case 0x21: case 0x22:
            if (!compile_index(c, &a))
                return 0;
            if (a >= c->nlocals)
                return emit_fail(c, WASMRT_ERR_INVALID, "unknown local %u", a);
            emit_local_set(c, a, op == 0x22);
            break;
        case 0x23:
            if (!compile_index(c, &a))
                return 0;
            if (a >= m->global_count)
                return emit_fail(c, WASMRT_ERR_INVALID, "unknown global %u", a);
            if (emit_live(c)) {
                emit_op(c, m->globals[a].type == WASMRT_V128 ? OP_V128_GLOBAL_GET : OP_GLOBAL_GET);
                emit_result(c, m->globals[a].type);
                emit_word(c, a);
            } else {
                emit_push(c, m->globals[a].type);
            }
            break;
        case 0x24: {
            operand v;
            if (!compile_index(c, &a))
                return 0;
            if (a >= m->global_count)
                return emit_fail(c, WASMRT_ERR_INVALID, "unknown global %u", a);
            if (!m->globals[a].mutable_)
                return emit_fail(c, WASMRT_ERR_INVALID, "global is immutable: global.set %u", a);
            if (!emit_pop(c, m->globals[a].type, &v))
                return 0;
            if (emit_live(c)) {
                uint32_t s = emit_src(c, &v);
                compile_words(c, m->globals[a].type == WASMRT_V128 ? OP_V128_GLOBAL_SET : OP_GLOBAL_SET,
                              (uint32_t[]){a, s}, 2);
            }
            break;
        }
        case 0x25: case 0x26: {
            uint32_t slots[2];
            if (!compile_table(c, &a))
                return 0;
            wasmrt_valtype t[2] = {WASMRT_I32, m->tables[a].elem};
            if (!compile_pop_slots(c, t, op == 0x25 ? 1 : 2, slots))
                return 0;
            if (op == 0x26) {
                compile_words(c, OP_TABLE_SET, (uint32_t[]){a, slots[0], slots[1]}, 3);
            } else if (emit_live(c)) {
                emit_op(c, OP_TABLE_GET);
                emit_result(c, t[1]);
                emit_word(c, a);
                emit_word(c, slots[0]);
            } else {
                emit_push(c, t[1]);
            }
            break;
        }
        case 0x28: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: case 0x2e:
        case 0x2f: case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: {
            static const uint8_t natural[14] = {2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2};
            static const char out[14] = "ILFDIIIILLLLLL";
            wasmrt_valtype t = out[op - 0x28] == 'I' ? WASMRT_I32 : out[op - 0x28] == 'L' ? WASMRT_I64
                               : out[op - 0x28] == 'F' ? WASMRT_F32 : WASMRT_F64;
            operand addr;
            if (!compile_memarg(c, natural[op - 0x28], &a) || !emit_pop(c, WASMRT_I32, &addr))
                return 0;
            if (emit_live(c)) {
                uint32_t s, imm = 0;
                if (!emit_take_address_add(c, &addr, &s, &imm))
                    s = emit_src(c, &addr);
                if (imm == 0 && emit_step_load(c, op, t, s, a))
                    break;
                int64_t start = (int64_t)c->len;
                emit_op(c, (c->checked ? OP_MEM_CHECKED : OP_MEM_GUARD) + op);
                emit_result(c, t);
                emit_word(c, s);
                emit_word(c, a);
                emit_word(c, imm);
                c->last_start = start; /* a store of this value may absorb the load */
                c->last_cmp = OP_LOADED + op;
            } else {
                emit_push(c, t);
            }
            break;
        }
        case 0x36: case 0x37: case 0x38: case 0x39: case 0x3a: case 0x3b: case 0x3c:
        case 0x3d: case 0x3e: {
            static const uint8_t natural[9] = {2, 3, 2, 3, 0, 1, 0, 1, 2};
            static const char in[9] = "ILFDIILLL";
            wasmrt_valtype t = in[op - 0x36] == 'I' ? WASMRT_I32 : in[op - 0x36] == 'L' ? WASMRT_I64
                               : in[op - 0x36] == 'F' ? WASMRT_F32 : WASMRT_F64;
            operand addr, v;
            if (!compile_memarg(c, natural[op - 0x36], &a) || !emit_pop(c, t, &v) ||
                !emit_pop(c, WASMRT_I32, &addr))
                return 0;
            if (emit_live(c) && (emit_memory_move(c, op, &addr, &v, a) ||
                                 emit_funnel_store(c, op, &addr, &v, a)))
                break;
            if (emit_live(c)) {
                uint32_t sa, imm = 0;
                if (!emit_take_address_add(c, &addr, &sa, &imm))
                    sa = emit_src(c, &addr);
                uint32_t sv = emit_src(c, &v);
                compile_words(c, (c->checked ? OP_MEM_CHECKED : OP_MEM_GUARD) + op,
                              (uint32_t[]){sa, sv, a, imm}, 4);
            }
            break;
        }
        case 0x3f: case 0x40: {
            operand d;
            if (!compile_zero_byte(c) || !compile_need_memory(c))
                return 0;
            if (op == 0x40 && !emit_pop(c, WASMRT_I32, &d))
                return 0;
            if (emit_live(c)) {
                uint32_t s = op == 0x40 ? emit_src(c, &d) : 0;
                emit_op(c, op == 0x3f ? OP_MEMORY_SIZE : OP_MEMORY_GROW);
                emit_result(c, WASMRT_I32);
                if (op == 0x40)
                    emit_word(c, s);
            } else {
                emit_push(c, WASMRT_I32);
            }
            break;
        }
        case 0x41: {
            int64_t v;
            if (!reader_sleb(r, 32, &v)) {
                c->failed = 1;
                return 0;
            }
            compile_const(c, WASMRT_I32, (uint32_t)v);
            break;
        }
        case 0x42: {
            int64_t v;
            if (!reader_sleb(r, 64, &v)) {
                c->failed = 1;
                return 0;
            }
            compile_const(c, WASMRT_I64, (uint64_t)v);
            break;
        }
        case 0x43: {
            uint32_t v;
            if (!reader_fixed32(r, &v)) {
                c->failed = 1;
                return 0;
            }
            compile_const(c, WASMRT_F32, v);
            break;
        }
        case 0x44: {
            uint64_t v;
            if (!reader_fixed64(r, &v)) {
                c->failed = 1;
                return 0;
            }
            compile_const(c, WASMRT_F64, v);
            break;
        }
        case 0xd0: {
            uint8_t t;
            if (!reader_byte(r, &t)) {
                c->failed = 1;
                return 0;
            }
            if (t != 0x70 && t != 0x6f)
                return emit_fail(c, WASMRT_ERR_MALFORMED, "malformed reference type");
            compile_const(c, (wasmrt_valtype)t, 0);
            break;
        }
        case 0xd1: {
            operand o;
            if (!emit_pop(c, TYPE_UNKNOWN, &o))
                return 0;
            if (o.type != TYPE_UNKNOWN && !valtype_is_ref(o.type))
                return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: ref.is_null on a number");
            emit_push_operand(c, o);
            emit_unary(c, 0x50, o.type, WASMRT_I32); /* null is 0: i64.eqz */
            break;
        }
        case 0xd2:
            if (!compile_index(c, &a))
                return 0;
            if (a >= m->func_count)
                return emit_fail(c, WASMRT_ERR_INVALID, "unknown function %u", a);
            if (!m->declared_funcs[a])
                return emit_fail(c, WASMRT_ERR_INVALID, "undeclared function reference %u", a);
            if (emit_live(c)) {
                emit_op(c, OP_REF_FUNC);
                emit_result(c, WASMRT_FUNCREF);
                emit_word(c, a);
            } else {
                emit_push(c, WASMRT_FUNCREF);
            }
            break;
        case 0xfc:
            if (!compile_prefixed(c))
                return 0;
            break;
        case 0xfd:
            if (!compile_simd(c))
                return 0;
            break;
        default:
            if (op >= 0x45 && op <= 0xc4) {
                compile_numeric(c, op);
                break;
            }
            r->p--;
            return emit_fail(c, WASMRT_ERR_MALFORMED, "illegal opcode 0x%02x", op);
        }
    }
    return 0;
}

/* Debugging aid (WASMRT_DUMP_CODE=1): the translated code, one instruction a line as
 * the internal opcode (ops.h) and its operand words. */
static void compile_dump(const func_entry *fn, const code *cd)
{
    fprintf(stderr, "func %u: %u slots, %u words", fn->index, cd->frame_slots, cd->word_count);
    for (uint32_t k = 0; k < cd->word_count; k++) {
        int op = -1;
        for (int o = 0; o < OP_COUNT && op < 0; o++)
            if (interp_labels[o] && (uint64_t)(uintptr_t)interp_labels[o] == cd->words[k])
                op = o;
        if (op >= 0)
            fprintf(stderr, "\n  %#x", op);
        else
            fprintf(stderr, " %lld", (long long)cd->words[k]);
    }
    fprintf(stderr, "\n");
}

/* WASMRT_DUMP_CODE, read once: getenv scans the environment, once per translated
 * function otherwise */
static int compile_dump_wanted(void)
{
    static atomic_int wanted = -1; /* threads may translate at once */
    int w = atomic_load_explicit(&wanted, memory_order_relaxed);
    if (w < 0) {
        w = getenv("WASMRT_DUMP_CODE") != NULL;
        atomic_store_explicit(&wanted, w, memory_order_relaxed);
    }
    return w;
}

/* The growable buffers of a translation, kept between functions on each thread.
 * Validating or translating a module's functions one after another would otherwise
 * allocate and free the same few buffers hundreds of times, and musl's allocator (the
 * command's libc) answers each with an mmap and a munmap: most of a cold start
 * without caches. Buffers past COMPILE_SCRATCH_KEEP bytes are freed, not kept. */
typedef struct compile_scratch {
    wasmrt_valtype *local_types;
    uint8_t *local_zero;
    size_t locals_cap; /* entries in both */
    operand *stack;
    uint32_t stack_cap;
    ctrl *ctrls;
    uint32_t ctrl_cap;
    uint64_t *code;
    size_t code_cap;
    uint32_t *relocs;
    uint32_t reloc_cap;
} compile_scratch;

#define COMPILE_SCRATCH_KEEP ((size_t)1 << 20)

static _Thread_local compile_scratch compile_tls;
static pthread_key_t compile_key; /* releases a thread's buffers when it exits */
static pthread_once_t compile_key_once = PTHREAD_ONCE_INIT;

static void compile_scratch_release(void *p)
{
    compile_scratch *s = p;
    free(s->local_types);
    free(s->local_zero);
    free(s->stack);
    free(s->ctrls);
    free(s->code);
    free(s->relocs);
    memset(s, 0, sizeof *s);
}

static void compile_key_create(void)
{
    pthread_key_create(&compile_key, compile_scratch_release);
}

/* This thread's buffers, with room for nlocals + 1 locals; NULL when out of memory. */
static compile_scratch *compile_scratch_take(size_t locals)
{
    compile_scratch *s = &compile_tls;
    pthread_once(&compile_key_once, compile_key_create);
    if (!pthread_getspecific(compile_key))
        pthread_setspecific(compile_key, s);
    if (s->locals_cap < locals) {
        size_t cap = locals > 2 * s->locals_cap ? locals : 2 * s->locals_cap;
        wasmrt_valtype *types = realloc(s->local_types, cap * sizeof *types);
        if (types)
            s->local_types = types;
        uint8_t *zero = types ? realloc(s->local_zero, cap) : NULL;
        if (!zero)
            return NULL;
        s->local_zero = zero;
        s->locals_cap = cap;
    }
    return s;
}

/* Hands the buffers back for the next function (emit.c may have grown them). */
static void compiler_free(compiler *c)
{
    compile_scratch *s = &compile_tls;
    s->stack = c->stack;
    s->stack_cap = c->stack_cap;
    s->ctrls = c->ctrls;
    s->ctrl_cap = c->ctrl_cap;
    s->code = c->code;
    s->code_cap = c->code_cap;
    s->relocs = c->relocs;
    s->reloc_cap = c->reloc_cap;
    if (s->locals_cap * (sizeof *s->local_types + 1) > COMPILE_SCRATCH_KEEP ||
        s->stack_cap * sizeof *s->stack > COMPILE_SCRATCH_KEEP ||
        s->ctrl_cap * sizeof *s->ctrls > COMPILE_SCRATCH_KEEP ||
        s->code_cap * sizeof *s->code > COMPILE_SCRATCH_KEEP ||
        s->reloc_cap * sizeof *s->relocs > COMPILE_SCRATCH_KEEP)
        compile_scratch_release(s); /* one huge function: do not keep its memory */
}

wasmrt_status compile_function(const wasmrt_module *m, const func_entry *fn, code **out,
                               wasmrt_error *error)
{
    compiler c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.fn = fn;
    c.error = error;
    c.emit = out != NULL;
    c.checked = m->engine->config.bounds == WASMRT_BOUNDS_EXPLICIT;
    c.metered = m->engine->config.fuel || m->engine->config.deadline_ns;
    c.last_dst = c.last_start = -1;
    c.shifts[0].start = c.shifts[1].start = -1;
    c.r.base = m->bytes;
    c.r.p = m->bytes + fn->body_offset;
    c.r.end = c.r.p + fn->body_size;
    c.r.error = error;
    const functype *t = fn->type;
    c.nlocals = t->param_count + fn->local_count;
    compile_scratch *s = compile_scratch_take((size_t)c.nlocals + 1);
    if (!s)
        return error_set(error, WASMRT_ERR_RESOURCE, fn->body_offset, "out of memory");
    c.local_types = s->local_types;
    c.stack = s->stack;
    c.stack_cap = s->stack_cap;
    c.ctrls = s->ctrls;
    c.ctrl_cap = s->ctrl_cap;
    c.code = s->code;
    c.code_cap = s->code_cap;
    c.relocs = s->relocs;
    c.reloc_cap = s->reloc_cap;
    memcpy(c.local_types, t->params, t->param_count * sizeof *t->params);
    uint32_t k = t->param_count;
    for (uint32_t i = 0; i < fn->local_run_count; i++)
        for (uint32_t j = 0; j < fn->local_run_counts[i]; j++)
            c.local_types[k++] = fn->local_run_types[i];
    if (c.emit) {
        c.local_zero = s->local_zero;
        memset(c.local_zero, 0, (size_t)c.nlocals + 1);
        memset(c.local_zero + t->param_count, 1, fn->local_count);
        c.straight = 1;
    }
    emit_ctrl_push(&c, CTRL_FUNC, NULL, 0, t->results, t->result_count, TYPE_UNKNOWN);
    if (c.metered)
        emit_op(&c, OP_CHECK);
    if (c.emit)
        compile_simd_prologue(&c);
    compile_body(&c);
    if (c.failed || c.r.status != WASMRT_OK) {
        wasmrt_status s = c.r.status != WASMRT_OK ? c.r.status : WASMRT_ERR_INVALID;
        if (error)
            error->func_index = fn->index;
        compiler_free(&c);
        return s;
    }
    if (out) {
        code *cd = malloc(sizeof *cd + c.len * sizeof(uint64_t) + c.nrelocs * sizeof(uint32_t));
        if (!cd) {
            compiler_free(&c);
            return error_set(error, WASMRT_ERR_RESOURCE, fn->body_offset, "out of memory");
        }
        cd->param_slots = t->param_count;
        cd->local_slots = fn->local_count;
        /* results are written at slot 0.. so the frame holds at least that many */
        uint32_t need = c.nlocals + c.max_height + 1;
        cd->frame_slots = need > t->result_count ? need : t->result_count;
        cd->word_count = (uint32_t)c.len;
        cd->func_index = fn->index;
        memcpy(cd->words, c.code, c.len * sizeof(uint64_t));
        cd->reloc_count = c.nrelocs;
        if (c.nrelocs)
            memcpy(code_relocs(cd), c.relocs, c.nrelocs * sizeof(uint32_t));
        if (compile_dump_wanted())
            compile_dump(fn, cd);
        *out = cd;
    }
    compiler_free(&c);
    return WASMRT_OK;
}

code *compile_get(func_entry *fn, wasmrt_error *error)
{
    code *cd = atomic_load_explicit(&fn->compiled, memory_order_acquire);
    if (cd)
        return cd;
    wasmrt_module *m = fn->module;
    pthread_mutex_lock(&m->lock);
    cd = atomic_load_explicit(&fn->compiled, memory_order_relaxed);
    if (!cd && compile_function(m, fn, &cd, error) == WASMRT_OK)
        atomic_store_explicit(&fn->compiled, cd, memory_order_release);
    pthread_mutex_unlock(&m->lock);
    return cd;
}
