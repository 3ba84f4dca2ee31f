/* emit_control.c: the interpreter backend's control flow (emit.h): block, loop, if and
 * else, branches (moving branch values into the target's slots), br_table, return.
 * Forward branches to a frame's end chain through their offset words until the end
 * is placed; a loop's label is where its body starts. */
#include <stdlib.h>

#include "emit.h"

int emit_grow_frames(emitter *e, uint32_t need)
{
    if (need <= e->frame_cap) return 1;
    uint32_t cap = e->frame_cap ? e->frame_cap * 2 : 16;
    while (cap < need)
        cap *= 2;
    emit_frame *grown = realloc(e->frames, cap * sizeof *grown);
    if (!grown) return emit_fail(e, WASMRT_ERR_RESOURCE, "out of memory validating the function");
    e->frames = grown;
    e->frame_cap = cap;
    return 1;
}

void emit_patch_here(emitter *e, int64_t word)
{
    if (!e->c->failed && word >= 0) {
        e->code[word] = (uint64_t)((int64_t)e->len - word);
        emit_forget_recent(e); /* a label: nothing before it may be fused with what follows */
    }
}

static void emit_place_label(emitter *e, emit_frame *f)
{
    int64_t w = f->patches;
    while (w >= 0 && !e->c->failed) {
        int64_t next = (int64_t)e->code[w];
        e->code[w] = (uint64_t)((int64_t)e->len - w);
        w = next;
    }
    f->patches = -1;
    emit_barrier(e);
    e->straight = 0;
}

/* The offset word just emitted jumps to frame `frame`'s label. */
static void emit_target(emitter *e, uint32_t frame)
{
    if (e->c->failed) return;
    emit_frame *f = &e->frames[frame];
    int64_t w = (int64_t)e->len - 1;
    if (e->c->ctrls[frame].kind == CTRL_LOOP) {
        e->code[w] = (uint64_t)((int64_t)f->loop_pc - w);
    } else {
        e->code[w] = (uint64_t)f->patches;
        f->patches = w;
    }
}

static const int emit_negated[10] = {
    1, 0, 8, 9, 6, 7, 4, 5, 2, 3}; /* eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u */

/* A conditional jump on a popped i32 condition, fusing a compare just emitted. The
 * offset word is left for the caller to target (*patch_out). */
void emit_cond_branch(emitter *e, operand *cond, int negate, int64_t *patch_out)
{
    *patch_out = -1;
    if (cond->kind == OPERAND_STACK && e->last_start >= 0 && e->last_pos == cond->pos &&
        emit_is_compare(e->last_cmp % OP_SI)) {
        int cmp = e->last_cmp, si = cmp >= OP_SI, base = cmp - (si ? OP_SI : 0);
        int64_t s = e->last_start;
        uint64_t a = e->code[s + 2], b = e->code[s + 3];
        e->len = (size_t)s;
        /* the compare was the latest instruction: the one before it is now */
        e->recent[0] = e->recent[1];
        e->recent[1].start = 0;
        if (base == 0x45) {
            if (!emit_branch_on_and(e, a, !negate)) {
                emit_op(e, negate ? OP_BR_IF : OP_BR_UNLESS);
                emit_word(e, a);
            }
        } else {
            int first = base <= 0x4f ? 0x46 : 0x51;
            int op = negate ? first + emit_negated[base - first] : base;
            if (!(first == 0x46 && emit_branch_on_add(e, op, si, a, b))) {
                emit_op(e, (si ? OP_BR_CMP_SI : OP_BR_CMP) + op);
                emit_word(e, a);
                emit_word(e, b);
            }
        }
    } else {
        uint32_t slot = emit_src(e, cond);
        if (!emit_branch_on_and(e, slot, negate)) {
            emit_op(e, negate ? OP_BR_UNLESS : OP_BR_IF);
            emit_word(e, slot);
        }
    }
    emit_word(e, 0);
    *patch_out = (int64_t)e->len - 1;
}

void emit_unreachable(void *s)
{
    emit_op(s, OP_UNREACHABLE);
}

void emit_block(void *s, uint32_t frame)
{
    emitter *e = s;
    const ctrl *f = &e->c->ctrls[frame];
    if (!emit_grow_frames(e, frame + 1)) return;
    emit_frame *ef = &e->frames[frame];
    ef->patches = -1;
    ef->else_patch = -1;
    if (f->kind == CTRL_FUNC) {
        ef->loop_pc = e->len;
        if (e->metered) emit_op(e, OP_CHECK);
        emit_v128_zero_locals(e);
        return;
    }
    operand cond = {0};
    if (f->kind == CTRL_IF) cond = emit_pop(e);
    if (f->kind == CTRL_IF && cond.kind == OPERAND_CONST) emit_src(e, &cond);
    /* everything becomes a real slot so a local.set inside the block cannot change a
       value the merge point still needs */
    for (uint32_t i = 0; i < e->height; i++)
        if (e->stack[i].kind != OPERAND_STACK && !(f->kind == CTRL_IF && i == cond.pos))
            emit_materialize(e, i);
    if (f->kind == CTRL_IF) emit_cond_branch(e, &cond, 1, &ef->else_patch);
    emit_barrier(e);
    ef->loop_pc = e->len;
    if (f->kind == CTRL_LOOP) {
        e->straight = 0; /* a loop head is reached again from below */
        if (e->metered) {
            emit_op(e, OP_CHECK);
            ef->loop_pc = e->len - 1;
        }
    }
}

void emit_else(void *s, uint32_t frame, int reachable)
{
    emitter *e = s;
    const ctrl *f = &e->c->ctrls[frame];
    emit_frame *ef = &e->frames[frame];
    if (reachable) {
        for (uint32_t i = f->height; i < e->height; i++)
            emit_materialize(e, i);
        emit_op(e, OP_BR);
        emit_word(e, (uint64_t)ef->patches);
        if (!e->c->failed) ef->patches = (int64_t)e->len - 1;
    }
    emit_patch_here(e, ef->else_patch);
    ef->else_patch = -1;
    emit_barrier(e);
    e->straight = 0;
    e->height = f->height;
    for (uint32_t i = 0; i < f->nparams; i++)
        emit_push_typed(e, f->params[i]);
}

void emit_end(void *s, uint32_t frame, int reachable)
{
    emitter *e = s;
    const ctrl *f = &e->c->ctrls[frame];
    emit_frame *ef = &e->frames[frame];
    if (f->kind == CTRL_FUNC) {
        if (reachable) emit_return(e);
        return;
    }
    if (reachable)
        for (uint32_t i = f->height; i < e->height; i++)
            emit_materialize(e, i);
    if (f->kind == CTRL_IF) emit_patch_here(e, ef->else_patch);
    emit_place_label(e, ef);
    e->height = f->height;
    for (uint32_t i = 0; i < f->nresults; i++)
        emit_push_typed(e, compile_ctrl_results(f)[i]);
}

void emit_return(void *s)
{
    emitter *e = s;
    uint32_t n = e->c->fn->type->result_count;
    if (n && emit_v128_returns(e)) {
        emit_v128_return(e);
        return;
    }
    if (n == 1 && e->stack[e->height - 1].kind != OPERAND_STACK) {
        /* a local is returned from where it is; a constant or local + constant is
           computed straight into the result slot 0 */
        const operand *o = &e->stack[e->height - 1];
        if (o->kind == OPERAND_LOCAL) {
            emit_op(e, OP_RETURN1);
            emit_word(e, o->local);
        } else {
            emit_move(e, 0, o);
            emit_op(e, OP_RETURN0);
        }
        return;
    }
    for (uint32_t i = e->height - n; i < e->height; i++)
        emit_materialize(e, i);
    if (n == 0) {
        emit_op(e, OP_RETURN0);
    } else if (n == 1 && e->last_dst >= 0 && e->last_pos == e->height - 1 &&
               e->stack[e->height - 1].kind == OPERAND_STACK) {
        /* the instruction computing the result writes it to slot 0 itself */
        e->code[e->last_dst] = 0;
        emit_op(e, OP_RETURN0);
    } else if (n == 1) {
        emit_op(e, OP_RETURN1);
        emit_word(e, emit_slot(e, e->height - 1));
    } else {
        emit_op(e, OP_RETURN);
        emit_word(e, n);
        emit_word(e, emit_slot(e, e->height - n));
    }
}

/* Unconditionally leaves to frame `frame` with the n values on top of the stack. */
static void emit_exit_to(emitter *e, uint32_t frame, uint32_t n)
{
    const ctrl *f = &e->c->ctrls[frame];
    if (f->kind == CTRL_FUNC) {
        emit_return(e);
        return;
    }
    uint32_t src = e->height - n;
    for (uint32_t i = 0; i < n; i++) {
        operand o = e->stack[src + i];
        o.pos = src + i;
        emit_move(e, emit_slot(e, f->height + i), &o);
    }
    emit_op(e, OP_BR);
    emit_word(e, 0);
    emit_target(e, frame);
}

static uint32_t emit_arity(const emitter *e, uint32_t frame)
{
    uint32_t n;
    compile_label_types(&e->c->ctrls[frame], &n);
    return n;
}

void emit_br(void *s, uint32_t frame)
{
    emitter *e = s;
    emit_exit_to(e, frame, emit_arity(e, frame));
}

void emit_br_if(void *s, uint32_t frame)
{
    emitter *e = s;
    operand cond = emit_pop(e);
    const ctrl *f = &e->c->ctrls[frame];
    uint32_t n = emit_arity(e, frame);
    int direct = f->kind != CTRL_FUNC && f->height == e->height - n;
    if (direct) {
        for (uint32_t i = e->height - n; i < e->height; i++)
            if (e->stack[i].kind != OPERAND_STACK) {
                /* keep the fused compare adjacent: store the condition first */
                if (cond.kind == OPERAND_CONST) emit_src(e, &cond);
                emit_materialize(e, i);
            }
        int64_t w;
        emit_cond_branch(e, &cond, 0, &w);
        if (!e->c->failed) {
            e->len = (size_t)w + 1;
            emit_target(e, frame);
        }
    } else {
        int64_t skip;
        emit_cond_branch(e, &cond, 1, &skip);
        emit_exit_to(e, frame, n);
        emit_patch_here(e, skip);
        emit_barrier(e);
    }
}

void emit_br_table(void *s, const uint32_t *labels, uint32_t count)
{
    emitter *e = s;
    compiler *c = e->c;
    operand index = emit_pop(e);
    uint32_t n = emit_arity(e, c->depth - 1 - labels[count]);
    for (uint32_t i = e->height - n; i < e->height; i++)
        emit_materialize(e, i);
    uint32_t slot = emit_src(e, &index);
    emit_op(e, OP_BR_TABLE);
    emit_word(e, slot);
    emit_word(e, count);
    size_t table = e->len;
    for (uint32_t i = 0; i <= count; i++)
        emit_word(e, 0);
    for (uint32_t i = 0; i <= count && !c->failed; i++) {
        uint32_t frame = c->depth - 1 - labels[i];
        const ctrl *f = &c->ctrls[frame];
        if (f->kind != CTRL_FUNC && f->height == e->height - n) {
            int64_t w = (int64_t)(table + i);
            if (f->kind == CTRL_LOOP) {
                e->code[w] = (uint64_t)((int64_t)e->frames[frame].loop_pc - w);
            } else {
                e->code[w] = (uint64_t)e->frames[frame].patches;
                e->frames[frame].patches = w;
            }
        } else {
            emit_patch_here(e, (int64_t)(table + i));
            emit_exit_to(e, frame, n);
        }
    }
}
