/* ops_control.c: the compiler's control flow: block, loop, if/else and their ends,
 * br, br_if (fused with the compare before it when that left its flags), br_table,
 * select, return, unreachable. At a block's entry the stack below it goes to its
 * spill slots and the block's parameters to their canonical place; a branch carries
 * its values to the label's canonical place (jitc.h), so every path into a label
 * leaves the stack in the same state. */
#include <stdlib.h>

#include "jit/jitc.h"

static int jc_grow_frames(jc *j, uint32_t need)
{
    if (need <= j->frame_cap) return 1;
    uint32_t cap = j->frame_cap ? j->frame_cap * 2 : 16;
    while (cap < need)
        cap *= 2;
    jc_frame *grown = realloc(j->frames, cap * sizeof *grown);
    if (!grown) return compile_fail(j->c, WASMRT_ERR_RESOURCE, "out of memory compiling");
    j->frames = grown;
    j->frame_cap = cap;
    return 1;
}

/* The values a branch to the frame carries. */
static uint32_t jc_arity(const jc *j, uint32_t frame)
{
    uint32_t n;
    compile_label_types(&j->c->ctrls[frame], &n);
    return n;
}

/* After a label every register is free but the canonical ones of its values: the
 * stack below is in spill slots or constants. The n values from `height` are set to
 * their canonical place, with their types from the validator. */
static void jc_reset_at_label(jc *j, uint32_t height, uint32_t n, const wasmrt_valtype *types)
{
    while (j->height > height)
        jc_pop(j, 1);
    for (int r = 0; r < 32; r++)
        if (j->owner[r] >= 0 && (uint32_t)j->owner[r] >= height) {
            j->owner[r] = -1;
            j->free_regs |= JR_BIT(r);
        }
    for (uint32_t k = 0; k < n; k++) {
        if (n == 1)
            jc_push_reg(j, types[k], jc_is_xmm(types[k]) ? JR_XMM : RAX);
        else
            jc_push(j, JV_SPILL, types[k], 0, 0, 0);
    }
}

/* Jumps to `label` when the i32 condition on top is nonzero (or zero: negate),
 * without popping it. */
static void jc_branch_on(jc *j, int negate, uint32_t label)
{
    uint32_t pos = j->height - 1;
    jv *v = &j->stack[pos];
    if (v->kind == JV_FLAGS) {
        jc_jcc(j, negate ? v->reg ^ 1 : v->reg, label);
        return;
    }
    if (v->kind == JV_CONST) {
        if (((uint32_t)v->bits != 0) != negate) x64_jmp(&j->a, label);
        return;
    }
    jc_opnd o = jc_operand(j, pos, 0);
    if (o.kind == OPND_MEM)
        x64_alu_mi(&j->a, 0, ALU_CMP, o.mem, 0);
    else
        x64_test_rr(&j->a, 0, o.reg, o.reg);
    x64_jcc(&j->a, negate ? CC_E : CC_NE, label);
}

void jc_unreachable(void *s)
{
    jc *j = s;
    jc_begin(j, 0);
    x64_jmp(&j->a, jc_trap_label(j, WASMRT_TRAP_UNREACHABLE));
}

/* The n values from position `first` to their canonical place (jc_to_canonical for
 * values that are not on top: an if's parameters under its condition). */
static void jc_canonical_at(jc *j, uint32_t first, uint32_t n)
{
    if (n == 1) {
        jc_load_into(j, first, jc_is_xmm(j->stack[first].type) ? JR_XMM : RAX);
        return;
    }
    for (uint32_t k = 0; k < n; k++) {
        jv *v = &j->stack[first + k];
        jc_spill(j, first + k);
        if (v->kind != JV_SPILL) {
            jc_store_value(j, v, jc_slot(j, first + k));
            v->kind = JV_SPILL;
        }
    }
}

void jc_block(void *s, uint32_t frame)
{
    jc *j = s;
    const ctrl *f = &j->c->ctrls[frame];
    if (!jc_grow_frames(j, frame + 1)) return;
    jc_frame *jf = &j->frames[frame];
    if (f->kind == CTRL_FUNC) {
        jf->label = j->epilogue;
        return;
    }
    jc_begin(j, f->kind == CTRL_IF);
    jc_flush(j, f->height);
    if (f->nparams) jc_canonical_at(j, f->height, f->nparams);
    jf->label = x64_label(&j->a);
    if (f->kind == CTRL_LOOP) {
        x64_bind(&j->a, jf->label);
        if (j->metered) jc_meter(j);
    } else if (f->kind == CTRL_IF) {
        jf->else_label = x64_label(&j->a);
        jc_branch_on(j, 1, jf->else_label);
        jc_pop(j, 1);
    }
}

void jc_else(void *s, uint32_t frame, int reachable)
{
    jc *j = s;
    const ctrl *f = &j->c->ctrls[frame];
    jc_frame *jf = &j->frames[frame];
    if (reachable) {
        jc_begin(j, 0);
        if (f->nresults) jc_to_canonical(j, f->nresults);
        x64_jmp(&j->a, jf->label);
    }
    x64_bind(&j->a, jf->else_label);
    jc_reset_at_label(j, f->height, f->nparams, f->params);
}

void jc_end(void *s, uint32_t frame, int reachable)
{
    jc *j = s;
    const ctrl *f = &j->c->ctrls[frame];
    jc_frame *jf = &j->frames[frame];
    if (f->kind == CTRL_FUNC) {
        if (reachable) jc_return_values(j); /* the epilogue comes next */
        return;
    }
    if (f->kind == CTRL_LOOP) {
        /* only reached by falling through: the stack stays as it is; after a body
           that ends in a branch, the code that follows never runs */
        if (!reachable) {
            jc_reset_at_label(j, f->height, 0, NULL);
            for (uint32_t k = 0; k < f->nresults; k++)
                jc_push(j, JV_SPILL, compile_ctrl_results(f)[k], 0, 0, 0);
        }
        return;
    }
    if (reachable) {
        jc_begin(j, 0);
        if (f->nresults) jc_to_canonical(j, f->nresults);
    }
    if (f->kind == CTRL_IF) x64_bind(&j->a, jf->else_label);
    x64_bind(&j->a, jf->label);
    jc_reset_at_label(j, f->height, f->nresults, compile_ctrl_results(f));
}

/* The code leaving for frame `frame` with the n values on top (they stay on the
 * stack model). */
static void jc_exit_to(jc *j, uint32_t frame, uint32_t n)
{
    const ctrl *f = &j->c->ctrls[frame];
    if (f->kind == CTRL_FUNC) {
        jc_return(j);
        return;
    }
    jc_label_moves(j, f->height, n);
    x64_jmp(&j->a, j->frames[frame].label);
}

void jc_br(void *s, uint32_t frame)
{
    jc *j = s;
    jc_begin(j, 1);
    jc_exit_to(j, frame, jc_arity(j, frame));
}

/* Whether the n values on top are in the canonical place of a label at `height`
 * already, so a branch there needs no code besides the jump. */
static int jc_in_place(jc *j, uint32_t height, uint32_t n)
{
    uint32_t src = j->height - n;
    if (n == 0) return 1;
    if (n == 1) {
        const jv *v = &j->stack[src];
        return v->kind == JV_REG && v->reg == (jc_is_xmm(v->type) ? JR_XMM : RAX);
    }
    if (src != height) return 0;
    for (uint32_t k = 0; k < n; k++)
        if (j->stack[src + k].kind != JV_SPILL) return 0;
    return 1;
}

void jc_br_if(void *s, uint32_t frame)
{
    jc *j = s;
    jc_begin(j, 1);
    const ctrl *f = &j->c->ctrls[frame];
    uint32_t n = jc_arity(j, frame);
    /* the label's values are under the condition */
    j->height--;
    int direct = f->kind != CTRL_FUNC && jc_in_place(j, f->height, n);
    j->height++;
    if (direct) {
        jc_branch_on(j, 0, j->frames[frame].label);
    } else {
        uint32_t skip = x64_label(&j->a);
        jc_branch_on(j, 1, skip);
        j->height--;
        jc_exit_to(j, frame, n);
        j->height++;
        x64_bind(&j->a, skip);
    }
    jc_pop(j, 1);
}

void jc_br_table(void *s, const uint32_t *labels, uint32_t count)
{
    jc *j = s;
    compiler *c = j->c;
    jc_begin(j, 0);
    uint32_t n = jc_arity(j, c->depth - 1 - labels[count]);
    uint32_t index = (uint32_t)jc_own(j, j->height - 1);
    j->height--; /* the index is read; the values below are what the branches carry */
    /* where each entry jumps: the label itself, or a stub moving the values first */
    uint32_t *targets = malloc(((size_t)count + 1) * sizeof *targets);
    uint32_t *stubs = calloc((size_t)c->depth, sizeof *stubs);
    if (!targets || !stubs) {
        free(targets);
        free(stubs);
        compile_fail(c, WASMRT_ERR_RESOURCE, "out of memory compiling");
        return;
    }
    for (uint32_t i = 0; i <= count; i++) {
        uint32_t frame = c->depth - 1 - labels[i];
        const ctrl *f = &c->ctrls[frame];
        if (f->kind != CTRL_FUNC && jc_in_place(j, f->height, n))
            targets[i] = j->frames[frame].label;
        else
            targets[i] = stubs[frame] ? stubs[frame] : (stubs[frame] = x64_label(&j->a));
    }
    /* index >= count takes the default */
    x64_alu_ri(&j->a, 0, ALU_CMP, (int)index, (int32_t)count);
    x64_jcc(&j->a, CC_AE, targets[count]);
    uint32_t table = x64_label(&j->a);
    x64_lea(&j->a, X64_W, JR_SCRATCH, x64_rip(table, 0));
    x64_load(&j->a, X64_W, 4, 1, (int)index, x64_index(JR_SCRATCH, (int)index, 2, 0));
    x64_alu_rr(&j->a, X64_W, ALU_ADD, (int)index, JR_SCRATCH);
    x64_jmp_r(&j->a, (int)index);
    /* the table: 32-bit offsets from its start, placed with the function's data */
    if (j->ntables + count + 2 > j->table_cap) {
        uint32_t cap = j->table_cap ? j->table_cap * 2 : 64;
        while (cap < j->ntables + count + 2)
            cap *= 2;
        uint32_t *grown = realloc(j->tables, cap * sizeof *grown);
        if (!grown) {
            free(targets);
            free(stubs);
            compile_fail(c, WASMRT_ERR_RESOURCE, "out of memory compiling");
            return;
        }
        j->tables = grown;
        j->table_cap = cap;
    }
    j->tables[j->ntables++] = table;
    j->tables[j->ntables++] = count;
    for (uint32_t i = 0; i < count; i++)
        j->tables[j->ntables++] = targets[i];
    /* the stubs */
    for (uint32_t frame = 0; frame < c->depth; frame++) {
        if (!stubs[frame]) continue;
        x64_bind(&j->a, stubs[frame]);
        jc_exit_to(j, frame, n);
    }
    j->height++;
    jc_pop(j, 1);
    free(targets);
    free(stubs);
}

void jc_select(void *s, wasmrt_valtype t)
{
    jc *j = s;
    jc_begin(j, 1);
    uint32_t h = j->height;
    jv *cond = &j->stack[h - 1];
    if (jc_is_xmm(t)) {
        int rd = jc_own(j, h - 3);
        int ry = jc_reg(j, h - 2);
        uint32_t keep = x64_label(&j->a);
        jc_branch_on(j, 0, keep);
        jc_move_reg(j, t, rd, ry);
        x64_bind(&j->a, keep);
        jc_pop(j, 3);
        jc_push_reg(j, t, rd);
        return;
    }
    if (cond->kind == JV_CONST) {
        /* the choice is known: keep one of the two values */
        int first = (uint32_t)cond->bits != 0;
        jc_pop(j, 1);
        if (first) {
            jc_pop(j, 1);
        } else {
            int r = jc_own(j, h - 2);
            jc_pop(j, 2);
            jc_push_reg(j, t, r);
        }
        return;
    }
    int rd = jc_own(j, h - 3);
    jc_opnd y = jc_operand(j, h - 2, 0);
    int cc;
    if (cond->kind == JV_FLAGS && cond->reg >= JC_CC_FEQ)
        jc_materialize_flags(j, h - 1); /* a float (in)equality: no one condition code */
    if (cond->kind == JV_FLAGS) {
        cc = cond->reg ^ 1;
    } else {
        jc_opnd c = jc_operand(j, h - 1, 0);
        if (c.kind == OPND_MEM)
            x64_alu_mi(&j->a, 0, ALU_CMP, c.mem, 0);
        else
            x64_test_rr(&j->a, 0, c.reg, c.reg);
        cc = CC_E;
    }
    unsigned w = t == WASMRT_I32 ? 0 : X64_W;
    if (y.kind == OPND_MEM)
        x64_cmov_rm(&j->a, w, cc, rd, y.mem);
    else
        x64_cmov_rr(&j->a, w, cc, rd, y.reg);
    jc_pop(j, 3);
    jc_push_reg(j, t, rd);
}
