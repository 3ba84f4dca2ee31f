/* emit.c: the operand model and code emission behind compile.c. Operands are typed
 * (validation) and know where their value lives (translation): a stack slot, a local
 * or a constant, so consumers read locals and constants in place. Control frames
 * resolve branches, moving branch values into the target's slots. */
#include <stdio.h>
#include <stdlib.h>

#include "compile.h"
#include "engine.h"
#include "interp.h"

extern const void **interp_labels;

int emit_fail(compiler *c, wasmrt_status status, const char *fmt, ...)
{
    if (!c->failed) {
        char msg[200];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        c->failed = 1;
        c->r.status = error_set(c->error, status, reader_offset(&c->r), "%s", msg);
        if (c->error)
            c->error->func_index = c->fn->index;
    }
    return 0;
}


int emit_grow_code(compiler *c)
{
    size_t cap = c->code_cap ? c->code_cap * 2 : 256;
    uint64_t *grown = realloc(c->code, cap * sizeof *grown);
    if (!grown)
        return emit_fail(c, WASMRT_ERR_RESOURCE, "out of memory translating the function");
    c->code = grown;
    c->code_cap = cap;
    return 1;
}

void emit_barrier(compiler *c)
{
    c->last_dst = -1;
    c->last_start = -1;
    c->shifts[0].start = c->shifts[1].start = -1;
    emit_forget_recent(c);
}

void emit_op(compiler *c, int op)
{
    c->last_dst = -1;
    c->last_start = -1;
    c->shifts[1] = c->shifts[0];
    c->shifts[0].start = -1;
    c->recent[1] = c->recent[0];
    c->recent[0].start = c->len + 1;
    c->recent[0].op = op;
    emit_word(c, (uint64_t)(uintptr_t)interp_labels[op]);
}

uint32_t emit_slot(const compiler *c, uint32_t pos)
{
    return c->nlocals + pos;
}

/* The destination word of a value-producing instruction: the next stack slot. */
static void emit_dst(compiler *c)
{
    if (!emit_live(c))
        return;
    c->last_dst = (int64_t)c->len;
    c->last_pos = c->height;
    emit_word(c, emit_slot(c, c->height));
}

int emit_grow_stack(compiler *c)
{
    uint32_t cap = c->stack_cap ? c->stack_cap * 2 : 64;
    operand *grown = realloc(c->stack, cap * sizeof *grown);
    if (!grown)
        return emit_fail(c, WASMRT_ERR_RESOURCE, "out of memory validating the function");
    c->stack = grown;
    c->stack_cap = cap;
    return 1;
}

void emit_push_operand(compiler *c, operand o)
{
    emit_push_fields(c, o.type, o.kind, o.local, o.bits);
}

void emit_push(compiler *c, wasmrt_valtype t)
{
    emit_push_fields(c, t, OPERAND_STACK, 0, 0);
}

static const char *emit_type_name(wasmrt_valtype t)
{
    switch (t) {
    case WASMRT_I32: return "i32";
    case WASMRT_I64: return "i64";
    case WASMRT_F32: return "f32";
    case WASMRT_F64: return "f64";
    case WASMRT_FUNCREF: return "funcref";
    case WASMRT_EXTERNREF: return "externref";
    case WASMRT_V128: return "v128";
    default: return "nothing";
    }
}

/* Pops one operand; `expect` TYPE_UNKNOWN accepts any type. */
int emit_pop(compiler *c, wasmrt_valtype expect, operand *out)
{
    ctrl *f = &c->ctrls[c->depth - 1];
    if (c->height == f->height) {
        if (f->unreachable) {
            operand o = {TYPE_UNKNOWN, OPERAND_STACK, 0, 0, c->height};
            *out = o;
            return 1;
        }
        return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: expected %s, found an empty stack",
                         emit_type_name(expect));
    }
    /* field by field, as emit_push_fields wrote them (see there) */
    const operand *o = &c->stack[--c->height];
    if (expect != TYPE_UNKNOWN && o->type != TYPE_UNKNOWN && o->type != expect)
        return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: expected %s, found %s",
                         emit_type_name(expect), emit_type_name(o->type));
    out->type = o->type;
    out->kind = o->kind;
    out->local = o->local;
    out->bits = o->bits;
    out->pos = o->pos;
    return 1;
}

/* Writes operand o's value into slot `dst`. */
static void emit_move(compiler *c, uint32_t dst, const operand *o)
{
    if (o->kind == OPERAND_CONST) {
        emit_op(c, OP_CONST);
        emit_word(c, dst);
        emit_word(c, o->bits);
    } else if (o->kind == OPERAND_LOCAL_ADD) {
        if (emit_add_pair(c, dst, o->local, (uint32_t)o->bits))
            return;
        emit_op(c, OP_SI + 0x6a);
        emit_word(c, dst);
        emit_word(c, o->local);
        emit_word(c, (uint32_t)o->bits);
    } else {
        uint32_t src = o->kind == OPERAND_LOCAL ? o->local : emit_slot(c, o->pos);
        if (o->type == WASMRT_V128) {
            compile_simd_move(c, dst, src);
            return;
        }
        if (src == dst || emit_copy_pair(c, dst, src))
            return;
        emit_op(c, OP_COPY);
        emit_word(c, dst);
        emit_word(c, src);
    }
}

void emit_materialize(compiler *c, uint32_t pos)
{
    operand *o = &c->stack[pos];
    if (o->kind == OPERAND_STACK)
        return;
    if (emit_live(c)) {
        o->pos = pos;
        emit_move(c, emit_slot(c, pos), o);
    }
    o->kind = OPERAND_STACK;
}

void emit_materialize_all(compiler *c)
{
    for (uint32_t i = 0; i < c->height; i++)
        emit_materialize(c, i);
}

/* The slot to read a popped operand from; constants are first stored in their slot. */
uint32_t emit_src(compiler *c, operand *o)
{
    if (o->kind == OPERAND_LOCAL)
        return o->local;
    if ((o->kind == OPERAND_CONST || o->kind == OPERAND_LOCAL_ADD) && emit_live(c)) {
        emit_move(c, emit_slot(c, o->pos), o);
        o->kind = OPERAND_STACK;
    }
    return emit_slot(c, o->pos);
}

void emit_result(compiler *c, wasmrt_valtype t)
{
    emit_dst(c);
    emit_push(c, t);
}

static int emit_is_compare(int opcode)
{
    return (opcode >= 0x45 && opcode <= 0x4f) || (opcode >= 0x51 && opcode <= 0x5a);
}

void emit_binary(compiler *c, int opcode, wasmrt_valtype in, wasmrt_valtype out, int has_si,
                 int commutative)
{
    operand a, b;
    if (!emit_pop(c, in, &b) || !emit_pop(c, in, &a))
        return;
    if (!emit_live(c)) {
        emit_push(c, out);
        return;
    }
    if (opcode == 0x72 && emit_funnel(c, &a, &b)) {
        emit_push(c, out);
        return;
    }
    if (has_si && a.kind == OPERAND_CONST && b.kind != OPERAND_CONST && commutative) {
        operand t = a;
        a = b;
        b = t; /* a keeps its own slot; b becomes the inline constant */
    }
    if (opcode == 0x6a && a.kind == OPERAND_LOCAL && b.kind == OPERAND_CONST) {
        /* local + constant: left for the consumer (an address, usually) */
        emit_push_fields(c, out, OPERAND_LOCAL_ADD, a.local, (uint32_t)b.bits);
        return;
    }
    uint32_t sa = emit_src(c, &a);
    int64_t start;
    if (has_si && b.kind == OPERAND_CONST) {
        start = (int64_t)c->len;
        emit_op(c, OP_SI + opcode);
        emit_dst(c);
        emit_word(c, sa);
        emit_word(c, in == WASMRT_I32 ? (uint32_t)b.bits : b.bits);
        opcode += OP_SI;
    } else {
        uint32_t sb = emit_src(c, &b);
        start = (int64_t)c->len;
        emit_op(c, opcode);
        emit_dst(c);
        emit_word(c, sa);
        emit_word(c, sb);
    }
    emit_push(c, out);
    if (opcode == OP_SI + 0x74 || opcode == OP_SI + 0x76) {
        c->shifts[0].start = start;
        c->shifts[0].op = opcode;
        c->shifts[0].pos = c->height - 1;
    }
    if (emit_is_compare(opcode % OP_SI) || opcode == OP_SI + 0x6a) {
        c->last_start = start;
        c->last_cmp = opcode;
    }
}

void emit_unary(compiler *c, int opcode, wasmrt_valtype in, wasmrt_valtype out)
{
    operand a;
    if (!emit_pop(c, in, &a))
        return;
    if (!emit_live(c)) {
        emit_push(c, out);
        return;
    }
    uint32_t sa = emit_src(c, &a);
    int64_t start = (int64_t)c->len;
    emit_op(c, opcode);
    emit_dst(c);
    emit_word(c, sa);
    emit_push(c, out);
    if (opcode == 0x45) {
        c->last_start = start;
        c->last_cmp = opcode;
    }
}

void emit_local_set(compiler *c, uint32_t index, int tee)
{
    operand v;
    if (!emit_pop(c, c->local_types[index], &v))
        return;
    if (c->straight && c->local_zero) {
        if (v.kind == OPERAND_CONST && v.bits == 0 && c->local_zero[index]) {
            /* the local is zero already: nothing changes, no hazard either */
            if (tee)
                emit_push_operand(c, v);
            return;
        }
        c->local_zero[index] = 0;
    }
    if (emit_live(c)) {
        int hazard = 0;
        for (uint32_t i = 0; i < c->height; i++)
            if ((c->stack[i].kind == OPERAND_LOCAL || c->stack[i].kind == OPERAND_LOCAL_ADD) &&
                c->stack[i].local == index)
                hazard = 1;
        if (v.kind == OPERAND_STACK && !hazard && c->last_dst >= 0 && c->last_pos == v.pos) {
            /* retarget the instruction that computed the value to write the local */
            c->code[c->last_dst] = index;
        } else {
            /* older copies of the local still on the stack must keep the old value */
            for (uint32_t i = 0; i < c->height; i++)
                if ((c->stack[i].kind == OPERAND_LOCAL ||
                     c->stack[i].kind == OPERAND_LOCAL_ADD) &&
                    c->stack[i].local == index)
                    emit_materialize(c, i);
            if (!(v.kind == OPERAND_LOCAL && v.local == index))
                emit_move(c, index, &v);
        }
        /* the instruction that wrote the local stays the latest: a branch on the
           local may absorb it (emit_cond_branch), so `recent` survives the barrier */
        emit_recent keep[2] = {c->recent[0], c->recent[1]};
        emit_barrier(c);
        c->recent[0] = keep[0];
        c->recent[1] = keep[1];
    }
    if (tee) {
        operand o = {c->local_types[index], OPERAND_LOCAL, index, 0, 0};
        emit_push_operand(c, o);
    }
}

/* ---- control ------------------------------------------------------------------ */

ctrl *emit_ctrl_push(compiler *c, int kind, const wasmrt_valtype *params, uint32_t np,
                     const wasmrt_valtype *results, uint32_t nr, wasmrt_valtype single)
{
    if (c->depth == c->ctrl_cap) {
        uint32_t cap = c->ctrl_cap ? c->ctrl_cap * 2 : 16;
        ctrl *grown = realloc(c->ctrls, cap * sizeof *grown);
        if (!grown) {
            emit_fail(c, WASMRT_ERR_RESOURCE, "out of memory validating the function");
            return NULL;
        }
        c->ctrls = grown;
        c->ctrl_cap = cap;
    }
    ctrl *f = &c->ctrls[c->depth++];
    f->kind = (uint8_t)kind;
    f->unreachable = 0;
    f->dead = c->depth > 1 && (c->ctrls[c->depth - 2].unreachable || c->ctrls[c->depth - 2].dead);
    f->height = c->height - np;
    f->nparams = np;
    f->nresults = nr;
    f->params = params;
    f->results = results;
    f->single = single;
    f->loop_pc = c->len;
    f->patches = -1;
    f->else_patch = -1;
    return f;
}

const wasmrt_valtype *emit_ctrl_results(const ctrl *f)
{
    return f->results ? f->results : &f->single;
}

static const wasmrt_valtype *emit_label_types(const ctrl *f, uint32_t *n)
{
    if (f->kind == CTRL_LOOP) {
        *n = f->nparams;
        return f->params;
    }
    *n = f->nresults;
    return emit_ctrl_results(f);
}

/* At the end of a block (or before else): the results must be exactly on the stack. */
int emit_check_results(compiler *c, ctrl *f)
{
    const wasmrt_valtype *res = emit_ctrl_results(f);
    operand o;
    /* the function's end returns: emit_return places the results itself */
    if (emit_live(c) && f->kind != CTRL_FUNC)
        for (uint32_t i = f->height; i < c->height; i++)
            emit_materialize(c, i);
    for (uint32_t i = f->nresults; i-- > 0;)
        if (!emit_pop(c, res[i], &o))
            return 0;
    if (c->height != f->height)
        return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: %u values left on the stack at the end of a block",
                         c->height - f->height);
    return 1;
}

void emit_patch_here(compiler *c, int64_t word)
{
    if (c->emit && !c->failed && word >= 0) {
        c->code[word] = (uint64_t)((int64_t)c->len - word);
        emit_forget_recent(c); /* a label: nothing before it may be fused with what follows */
    }
}

void emit_place_label(compiler *c, ctrl *f)
{
    int64_t w = f->patches;
    while (w >= 0 && c->emit && !c->failed) {
        int64_t next = (int64_t)c->code[w];
        c->code[w] = (uint64_t)((int64_t)c->len - w);
        w = next;
    }
    f->patches = -1;
    emit_barrier(c);
    c->straight = 0;
}

void emit_set_unreachable(compiler *c)
{
    ctrl *f = &c->ctrls[c->depth - 1];
    c->height = f->height;
    f->unreachable = 1;
}

/* The offset word just emitted jumps to frame f's label. */
static void emit_target(compiler *c, ctrl *f)
{
    if (!c->emit || c->failed)
        return;
    int64_t w = (int64_t)c->len - 1;
    if (f->kind == CTRL_LOOP) {
        c->code[w] = (uint64_t)((int64_t)f->loop_pc - w);
    } else {
        c->code[w] = (uint64_t)f->patches;
        f->patches = w;
    }
}

void emit_return(compiler *c)
{
    uint32_t n = c->fn->type->result_count;
    if (emit_live(c) && n && compile_simd_returns(c)) {
        compile_simd_return(c);
        return;
    }
    if (emit_live(c) && n == 1 && c->stack[c->height - 1].kind != OPERAND_STACK) {
        /* a local is returned from where it is; a constant or local + constant is
           computed straight into the result slot 0 */
        const operand *o = &c->stack[c->height - 1];
        if (o->kind == OPERAND_LOCAL) {
            emit_op(c, OP_RETURN1);
            emit_word(c, o->local);
        } else {
            emit_move(c, 0, o);
            emit_op(c, OP_RETURN0);
        }
        return;
    }
    if (emit_live(c)) {
        for (uint32_t i = c->height - n; i < c->height; i++)
            emit_materialize(c, i);
        if (n == 0) {
            emit_op(c, OP_RETURN0);
        } else if (n == 1 && c->last_dst >= 0 && c->last_pos == c->height - 1 &&
                   c->stack[c->height - 1].kind == OPERAND_STACK) {
            /* the instruction computing the result writes it to slot 0 itself */
            c->code[c->last_dst] = 0;
            emit_op(c, OP_RETURN0);
        } else if (n == 1) {
            emit_op(c, OP_RETURN1);
            emit_word(c, emit_slot(c, c->height - 1));
        } else {
            emit_op(c, OP_RETURN);
            emit_word(c, n);
            emit_word(c, emit_slot(c, c->height - n));
        }
    }
}

/* Unconditionally leaves to frame f with the n values on top of the stack. */
static void emit_exit_to(compiler *c, ctrl *f, uint32_t n)
{
    if (f->kind == CTRL_FUNC) {
        emit_return(c);
        return;
    }
    uint32_t src = c->height - n;
    for (uint32_t i = 0; i < n; i++) {
        operand o = c->stack[src + i];
        o.pos = src + i;
        emit_move(c, emit_slot(c, f->height + i), &o);
    }
    emit_op(c, OP_BR);
    emit_word(c, 0);
    emit_target(c, f);
}

static ctrl *emit_label(compiler *c, uint32_t label)
{
    if (label >= c->depth) {
        emit_fail(c, WASMRT_ERR_INVALID, "unknown label %u", label);
        return NULL;
    }
    return &c->ctrls[c->depth - 1 - label];
}

/* Type-checks the label's values on the stack, leaving them there. */
static int emit_check_label(compiler *c, ctrl *f, int keep_types)
{
    uint32_t n;
    const wasmrt_valtype *types = emit_label_types(f, &n);
    operand tmp[16], *vals = n <= 16 ? tmp : malloc(n * sizeof *vals);
    if (!vals)
        return emit_fail(c, WASMRT_ERR_RESOURCE, "out of memory");
    int ok = 1;
    for (uint32_t i = n; i-- > 0;)
        if (!emit_pop(c, types[i], &vals[i])) {
            ok = 0;
            break;
        }
    if (ok)
        for (uint32_t i = 0; i < n; i++) {
            /* br_if leaves the label's types; br_table leaves what it found */
            if (!keep_types)
                vals[i].type = types[i];
            emit_push_operand(c, vals[i]);
        }
    if (vals != tmp)
        free(vals);
    return ok;
}

int emit_branch(compiler *c, uint32_t label)
{
    ctrl *f = emit_label(c, label);
    if (!f || !emit_check_label(c, f, 0))
        return 0;
    if (emit_live(c)) {
        uint32_t n;
        emit_label_types(f, &n);
        emit_exit_to(c, f, n);
    }
    emit_set_unreachable(c);
    return 1;
}

static const int emit_negated[10] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3}; /* eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u */

/* A conditional jump on a popped i32 condition, fusing a compare just emitted. The
 * offset word is left for the caller to target (*patch_out). */
void emit_cond_branch(compiler *c, operand *cond, int negate, int64_t *patch_out)
{
    *patch_out = -1;
    if (!emit_live(c))
        return;
    if (cond->kind == OPERAND_STACK && c->last_start >= 0 && c->last_pos == cond->pos &&
        emit_is_compare(c->last_cmp % OP_SI)) {
        int cmp = c->last_cmp, si = cmp >= OP_SI, base = cmp - (si ? OP_SI : 0);
        int64_t s = c->last_start;
        uint64_t a = c->code[s + 2], b = c->code[s + 3];
        c->len = (size_t)s;
        /* the compare was the latest instruction: the one before it is now */
        c->recent[0] = c->recent[1];
        c->recent[1].start = 0;
        if (base == 0x45) {
            if (!emit_branch_on_and(c, a, !negate)) {
                emit_op(c, negate ? OP_BR_IF : OP_BR_UNLESS);
                emit_word(c, a);
            }
        } else {
            int first = base <= 0x4f ? 0x46 : 0x51;
            int op = negate ? first + emit_negated[base - first] : base;
            if (!(first == 0x46 && emit_branch_on_add(c, op, si, a, b))) {
                emit_op(c, (si ? OP_BR_CMP_SI : OP_BR_CMP) + op);
                emit_word(c, a);
                emit_word(c, b);
            }
        }
    } else {
        uint32_t slot = emit_src(c, cond);
        if (!emit_branch_on_and(c, slot, negate)) {
            emit_op(c, negate ? OP_BR_UNLESS : OP_BR_IF);
            emit_word(c, slot);
        }
    }
    emit_word(c, 0);
    *patch_out = (int64_t)c->len - 1;
}

int emit_br_if(compiler *c, uint32_t label, int negate)
{
    operand cond;
    ctrl *f;
    if (!emit_pop(c, WASMRT_I32, &cond) || !(f = emit_label(c, label)) || !emit_check_label(c, f, 0))
        return 0;
    if (!emit_live(c))
        return 1;
    uint32_t n;
    emit_label_types(f, &n);
    int direct = f->kind != CTRL_FUNC && f->height == c->height - n;
    if (direct) {
        for (uint32_t i = c->height - n; i < c->height; i++)
            if (c->stack[i].kind != OPERAND_STACK) {
                /* keep the fused compare adjacent: store the condition first */
                if (cond.kind == OPERAND_CONST)
                    emit_src(c, &cond);
                emit_materialize(c, i);
            }
        int64_t w;
        emit_cond_branch(c, &cond, negate, &w);
        if (c->emit && !c->failed) {
            c->len = (size_t)w + 1;
            emit_target(c, f);
        }
    } else {
        int64_t skip;
        emit_cond_branch(c, &cond, !negate, &skip);
        emit_exit_to(c, f, n);
        emit_patch_here(c, skip);
        emit_barrier(c);
    }
    return 1;
}

int emit_br_table(compiler *c, uint32_t *labels, uint32_t count)
{
    operand index;
    if (!emit_pop(c, WASMRT_I32, &index))
        return 0;
    ctrl *def = emit_label(c, labels[count]);
    if (!def)
        return 0;
    uint32_t n;
    emit_label_types(def, &n);
    for (uint32_t i = 0; i <= count; i++) {
        ctrl *f = emit_label(c, labels[i]);
        uint32_t k;
        if (!f)
            return 0;
        emit_label_types(f, &k);
        if (k != n)
            return emit_fail(c, WASMRT_ERR_INVALID, "type mismatch: br_table labels have different arities (%u and %u)", k, n);
        if (!emit_check_label(c, f, 1))
            return 0;
    }
    if (emit_live(c)) {
        for (uint32_t i = c->height - n; i < c->height; i++)
            emit_materialize(c, i);
        uint32_t slot = emit_src(c, &index);
        emit_op(c, OP_BR_TABLE);
        emit_word(c, slot);
        emit_word(c, count);
        size_t table = c->len;
        for (uint32_t i = 0; i <= count; i++)
            emit_word(c, 0);
        for (uint32_t i = 0; i <= count && !c->failed; i++) {
            ctrl *f = emit_label(c, labels[i]);
            if (f->kind != CTRL_FUNC && f->height == c->height - n) {
                int64_t w = (int64_t)(table + i);
                if (f->kind == CTRL_LOOP) {
                    c->code[w] = (uint64_t)((int64_t)f->loop_pc - w);
                } else {
                    c->code[w] = (uint64_t)f->patches;
                    f->patches = w;
                }
            } else {
                emit_patch_here(c, (int64_t)(table + i));
                emit_exit_to(c, f, n);
            }
        }
    }
    emit_set_unreachable(c);
    return 1;
}
