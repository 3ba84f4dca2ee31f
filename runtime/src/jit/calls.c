/* calls.c: how compiled code calls. Between compiled functions of one instance: the
 * caller checks the C stack and the call depth (a trap names the caller, as in the
 * interpreter), puts the arguments in registers (a parallel move) and on the stack,
 * and calls through the instance's table, where a function not compiled yet has a
 * stub that compiles it (or hands it to the interpreter). call_indirect checks the
 * table entry inline and takes the same path when the target is a function of this
 * instance, C otherwise; imports always go through C. C helpers are called with what
 * the C convention may change saved around them. */
#include <stddef.h>

#include "exec.h"
#include "jit/jitc.h"

uint32_t jc_trap_label(jc *j, int kind)
{
    if (!j->trap_labels[kind]) j->trap_labels[kind] = x64_label(&j->a) + 1;
    return j->trap_labels[kind] - 1;
}

void jc_check_status(jc *j)
{
    x64_test_rr(&j->a, 0, RAX, RAX);
    x64_jcc(&j->a, CC_NE, j->status_label);
}

void jc_reload_memory(jc *j)
{
    x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(R14, offsetof(wasmrt_instance, memory)));
    x64_load(&j->a, X64_W, 8, 0, R15, x64_base(JR_SCRATCH, offsetof(wasmrt_memory, base)));
    if (j->checked)
        x64_load(&j->a, X64_W, 8, 0, R9, x64_base(JR_SCRATCH, offsetof(wasmrt_memory, size)));
}

/* ---- C helpers ----------------------------------------------------------------------- */

void jc_ccall_prepare(jc *j)
{
    jc_save_for_call(j, j->height, JR_C_VOLATILE);
}

void jc_ccall_save(jc *j, uint32_t also)
{
    /* What the internal convention keeps across calls and C does not: this function's
       callers may have values there even when this function does not (and in checked
       mode r9 holds the memory's size). */
    uint32_t keep =
        (JR_CALLEE_SAVED | also | j->homes | (j->checked ? JR_BIT(R9) : 0)) & JR_C_VOLATILE;
    j->ccall_kept = keep;
    for (int r = 0; r < 16; r++)
        if (keep & JR_BIT(r)) {
            x64_push(&j->a, r);
            j->rsp_delta += 8;
        }
    /* an xmm register saved whole: it may hold a v128 */
    int nx = __builtin_popcount(keep & JR_XMMS);
    int32_t room = 16 * nx;
    if ((j->rsp_delta + room) % 16) room += 8;
    j->ccall_room = room;
    if (room) {
        x64_alu_ri(&j->a, X64_W, ALU_SUB, RSP, room);
        j->rsp_delta += room;
    }
    int k = 0;
    for (int r = JR_XMM; r < 32; r++)
        if (keep & JR_BIT(r)) x64_movs_store(&j->a, 16, r - JR_XMM, x64_base(RSP, 16 * k++));
}

void jc_ccall(jc *j, int helper)
{
    x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(R14, offsetof(wasmrt_instance, jit_helpers)));
    x64_call_m(&j->a, x64_base(JR_SCRATCH, 8 * helper));
}

void jc_ccall_restore(jc *j)
{
    uint32_t keep = j->ccall_kept;
    int k = 0;
    for (int r = JR_XMM; r < 32; r++)
        if (keep & JR_BIT(r)) x64_movs_load(&j->a, 16, r - JR_XMM, x64_base(RSP, 16 * k++));
    if (j->ccall_room) {
        x64_alu_ri(&j->a, X64_W, ALU_ADD, RSP, j->ccall_room);
        j->rsp_delta -= j->ccall_room;
    }
    for (int r = 15; r >= 0; r--)
        if (keep & JR_BIT(r)) {
            x64_pop(&j->a, r);
            j->rsp_delta -= 8;
        }
}

/* ---- arguments --------------------------------------------------------------------- */

/* Stack bytes a call needs below the frame: its stack arguments, or its results when
 * it has several, in words (a v128 takes two), 16-aligned. */
static int32_t jc_call_area(const functype *t)
{
    uint32_t ints = 0, floats = 0, on_stack = 0, results = 0;
    for (uint32_t i = 0; i < t->param_count; i++) {
        if (jc_is_xmm(t->params[i]) ? floats++ >= JC_FLOAT_ARGS : ints++ >= JC_INT_ARGS)
            on_stack += jc_words(t->params[i]);
    }
    for (uint32_t k = 0; k < t->result_count; k++)
        results += jc_words(t->results[k]);
    uint32_t n = t->result_count > 1 && results > on_stack ? results : on_stack;
    return (int32_t)((n * 8 + 15) & ~15u);
}

/* The arguments (stack positions first..) into the callee's registers and onto the
 * stack area at rsp. Stack arguments first (r11 may carry them), then a parallel move
 * between registers (r11 or xmm15 break a cycle), then the values not in registers. */
static void jc_arguments(jc *j, uint32_t first, const functype *t)
{
    struct {
        int8_t dst, src;
        uint32_t pos;
    } moves[JC_INT_ARGS + JC_FLOAT_ARGS];
    int nmoves = 0;
    uint32_t ints = 0, floats = 0, k = 0;
    for (uint32_t i = 0; i < t->param_count; i++) {
        uint32_t pos = first + i;
        jv *v = &j->stack[pos];
        int dst;
        if (jc_is_xmm(t->params[i]))
            dst = floats < JC_FLOAT_ARGS ? JR_XMM + (int)floats++ : -1;
        else
            dst = ints < JC_INT_ARGS ? jc_int_arg_regs[ints++] : -1;
        if (dst < 0) {
            jc_store_value(j, v, x64_base(RSP, 8 * (int32_t)k));
            k += jc_words(t->params[i]);
            continue;
        }
        int src = -1;
        if (v->kind == JV_REG)
            src = v->reg;
        else if (v->kind == JV_LOCAL && j->locals[v->local].reg >= 0)
            src = j->locals[v->local].reg;
        moves[nmoves].dst = (int8_t)dst;
        moves[nmoves].src = (int8_t)src;
        moves[nmoves].pos = pos;
        nmoves++;
    }
    /* register to register, each destination written once nothing reads it */
    int pending = 0;
    for (int i = 0; i < nmoves; i++)
        if (moves[i].src >= 0 && moves[i].src != moves[i].dst) pending |= 1 << i;
    while (pending) {
        int progress = 0;
        for (int i = 0; i < nmoves; i++) {
            if (!(pending & (1 << i))) continue;
            int blocked = 0;
            for (int k2 = 0; k2 < nmoves; k2++)
                if (k2 != i && (pending & (1 << k2)) && moves[k2].src == moves[i].dst) blocked = 1;
            if (blocked) continue;
            jc_move_reg(j, j->stack[moves[i].pos].type, moves[i].dst, moves[i].src);
            pending &= ~(1 << i);
            progress = 1;
        }
        if (!progress) {
            /* a cycle: one source to the scratch register */
            int i = __builtin_ctz((unsigned)pending);
            int scratch = moves[i].src >= JR_XMM ? JR_XMM + 15 : JR_SCRATCH;
            jc_move_reg(j, WASMRT_I64, scratch, moves[i].src);
            moves[i].src = (int8_t)scratch;
        }
    }
    for (int i = 0; i < nmoves; i++)
        if (moves[i].src < 0) jc_value_to(j, moves[i].pos, moves[i].dst);
}

/* After a call: the arguments are gone, the results in rax / xmm0 or in their spill
 * slots (several). */
static void jc_push_results(jc *j, const functype *t)
{
    jc_pop(j, t->param_count);
    if (t->result_count == 1) {
        int r = jc_is_xmm(t->results[0]) ? JR_XMM : RAX;
        j->free_regs &= ~JR_BIT(r);
        jc_push_reg(j, t->results[0], r);
        return;
    }
    for (uint32_t k = 0; k < t->result_count; k++)
        jc_push(j, JV_SPILL, t->results[k], 0, 0, 0);
}

/* The caller's checks before a call: C stack and call depth, the trap named for the
 * caller. r12 counts down here and is given back after the call. */
static void jc_enter_checks(jc *j)
{
    uint32_t stack = jc_trap_label(j, WASMRT_TRAP_STACK_EXHAUSTED);
    x64_alu_rm(&j->a, X64_W, ALU_CMP, RSP, x64_base(R13, offsetof(exec_thread, cstack_limit)));
    x64_jcc(&j->a, CC_B, stack);
    x64_alu_ri(&j->a, X64_W, ALU_SUB, R12, 1);
    x64_jcc(&j->a, CC_B, stack);
}

/* A call through the instance's table, to function `func`, or (func < 0) to the table
 * slot kept in position `held`'s spill slot; the arguments from position `first`.
 * Several results are copied from the call's stack area to their spill slots. */
static void jc_call_table(jc *j, uint32_t first, const functype *t, int32_t func, uint32_t held)
{
    int32_t area = jc_call_area(t);
    if (area) {
        x64_alu_ri(&j->a, X64_W, ALU_SUB, RSP, area);
        j->rsp_delta += area;
    }
    jc_enter_checks(j);
    jc_arguments(j, first, t);
    if (func >= 0 && (uint32_t)func == j->fn->index) {
        x64_call(&j->a, j->body_label); /* itself: its table slot would say this body */
    } else {
        if (func >= 0)
            x64_lea(&j->a, X64_W, JR_SCRATCH, x64_base(R14, jit_func_slot((uint32_t)func)));
        else
            x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, jc_slot(j, held));
        x64_call_m(&j->a, x64_base(JR_SCRATCH, 0));
    }
    x64_alu_ri(&j->a, X64_W, ALU_ADD, R12, 1);
    if (t->result_count > 1)
        for (uint32_t k = 0, word = 0; k < t->result_count; word += jc_words(t->results[k]), k++)
            jc_copy_mem(j, t->results[k], jc_slot(j, first + k), x64_base(RSP, 8 * (int32_t)word));
    if (area) {
        x64_alu_ri(&j->a, X64_W, ALU_ADD, RSP, area);
        j->rsp_delta -= area;
    }
}

/* ---- calls --------------------------------------------------------------------------- */

/* Through C: an import (host function or another instance's), or call_indirect's
 * target that is not this instance's (func_reg holds the wasmrt_func * then). The
 * arguments and results are in spill slots from `first`, slot_bytes apart: the stride
 * goes in r9, in words. */
static void jc_call_through_c(jc *j, uint32_t first, int helper, uint32_t index)
{
    jc_ccall_save(j, 0);
    x64_mov_rr(&j->a, X64_W, RDI, R13);
    x64_mov_rr(&j->a, X64_W, RSI, R14);
    if (helper == JH_CALL_IMPORT)
        x64_mov_ri(&j->a, RDX, index);
    else
        x64_load(&j->a, X64_W, 8, 0, RDX, jc_slot(j, index));
    x64_lea(&j->a, X64_W, RCX, jc_slot(j, first));
    x64_mov_rr(&j->a, X64_W, R8, R12);
    x64_mov_ri(&j->a, R9, j->slot_bytes / 8);
    jc_ccall(j, helper);
    jc_ccall_restore(j);
    jc_check_status(j);
    jc_reload_memory(j);
}

static void jc_call_import(jc *j, uint32_t func)
{
    const functype *t = j->m->funcs[func].type;
    uint32_t first = j->height - t->param_count;
    jc_ccall_prepare(j);
    jc_to_slots(j, first, t->param_count);
    jc_call_through_c(j, first, JH_CALL_IMPORT, func);
    jc_pop(j, t->param_count);
    for (uint32_t k = 0; k < t->result_count; k++)
        jc_push(j, JV_SPILL, t->results[k], 0, 0, 0);
}

void jc_call(void *s, uint32_t func)
{
    jc *j = s;
    jc_begin(j, 0);
    if (func < j->m->imported_funcs) {
        jc_call_import(j, func);
        return;
    }
    const functype *t = j->m->funcs[func].type;
    uint32_t first = j->height - t->param_count;
    jc_save_for_call(j, first, JR_CALLER_SAVED);
    jc_call_table(j, first, t, (int32_t)func, 0);
    jc_push_results(j, t);
}

void jc_call_indirect(void *s, uint32_t type, uint32_t table)
{
    jc *j = s;
    jc_begin(j, 0);
    const functype *t = j->m->types[type];
    uint32_t ipos = j->height - 1, first = ipos - t->param_count;
    /* what C (the slow path) may change goes to memory now, on both paths */
    jc_save_for_call(j, first, JR_C_VOLATILE);
    int ri = jc_own(j, ipos);
    x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(R14, offsetof(wasmrt_instance, tables)));
    x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(JR_SCRATCH, 8 * (int32_t)table));
    x64_alu_rm(&j->a, 0, ALU_CMP, ri, x64_base(JR_SCRATCH, offsetof(wasmrt_table, size)));
    x64_jcc(&j->a, CC_AE, jc_trap_label(j, WASMRT_TRAP_TABLE_OUT_OF_BOUNDS));
    x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(JR_SCRATCH, offsetof(wasmrt_table, items)));
    x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_index(JR_SCRATCH, ri, 3, 0));
    x64_test_rr(&j->a, X64_W, JR_SCRATCH, JR_SCRATCH);
    x64_jcc(&j->a, CC_E, jc_trap_label(j, WASMRT_TRAP_UNINITIALIZED_ELEMENT));
    x64_load(&j->a, X64_W, 8, 0, ri, x64_base(R14, offsetof(wasmrt_instance, jit_types)));
    x64_load(&j->a, X64_W, 8, 0, ri, x64_base(ri, 8 * (int32_t)type));
    x64_alu_rm(&j->a, X64_W, ALU_CMP, ri, x64_base(JR_SCRATCH, offsetof(wasmrt_func, type)));
    x64_jcc(&j->a, CC_NE, jc_trap_label(j, WASMRT_TRAP_INDIRECT_CALL_TYPE_MISMATCH));
    /* the function, kept in the index's spill slot for either path */
    x64_store(&j->a, 8, JR_SCRATCH, jc_slot(j, ipos));
    uint32_t slow = x64_label(&j->a), join = x64_label(&j->a);
    x64_alu_rm(&j->a, X64_W, ALU_CMP, R14, x64_base(JR_SCRATCH, offsetof(wasmrt_func, inst)));
    x64_jcc(&j->a, CC_NE, slow);
    /* this instance's function: its table slot, by the function's index */
    x64_load(&j->a, X64_W, 8, 0, ri, x64_base(JR_SCRATCH, offsetof(wasmrt_func, entry)));
    x64_load(&j->a, 0, 4, 0, ri, x64_base(ri, offsetof(func_entry, index)));
    x64_lea(&j->a, X64_W, JR_SCRATCH, x64_index(R14, ri, 3, JIT_TABLE_OFFSET));
    x64_store(&j->a, 8, JR_SCRATCH, jc_slot(j, ipos));
    jc_pop(j, 1);
    jc_call_table(j, first, t, -1, ipos);
    x64_jmp(&j->a, join);
    /* another instance's function or a host function: through C, the arguments and
       results in their spill slots */
    x64_bind(&j->a, slow);
    for (uint32_t i = 0; i < t->param_count; i++)
        jc_store_value(j, &j->stack[first + i], jc_slot(j, first + i));
    jc_call_through_c(j, first, JH_CALL_INDIRECT, ipos);
    if (t->result_count == 1)
        jc_value_slot_to(j, t->results[0], first, jc_is_xmm(t->results[0]) ? JR_XMM : RAX);
    x64_bind(&j->a, join);
    jc_push_results(j, t);
}

/* ---- metering ---------------------------------------------------------------------- */

void jc_meter(jc *j)
{
    uint32_t no_fuel = x64_label(&j->a), done = x64_label(&j->a);
    x64_load(&j->a, X64_W, 8, 0, JR_SCRATCH, x64_base(R13, offsetof(exec_thread, fuel)));
    x64_test_rr(&j->a, X64_W, JR_SCRATCH, JR_SCRATCH);
    x64_jcc(&j->a, CC_E, no_fuel);
    x64_alu_ri(&j->a, X64_W, ALU_SUB, JR_SCRATCH, 1);
    x64_store(&j->a, 8, JR_SCRATCH, x64_base(R13, offsetof(exec_thread, fuel)));
    x64_jcc(&j->a, CC_E, jc_trap_label(j, WASMRT_TRAP_OUT_OF_FUEL));
    x64_bind(&j->a, no_fuel);
    x64_alu_mi(&j->a, X64_W, ALU_CMP, x64_base(R13, offsetof(exec_thread, deadline)), 0);
    x64_jcc(&j->a, CC_E, done);
    x64_load(&j->a, 0, 4, 0, JR_SCRATCH, x64_base(R13, offsetof(exec_thread, checks)));
    x64_alu_ri(&j->a, 0, ALU_ADD, JR_SCRATCH, 1);
    x64_store(&j->a, 4, JR_SCRATCH, x64_base(R13, offsetof(exec_thread, checks)));
    x64_test_ri(&j->a, 0, JR_SCRATCH, 1023);
    x64_jcc(&j->a, CC_NE, done);
    /* every 1024th check asks the clock; a loop's value in rax or xmm0 is kept */
    jc_ccall_save(j, JR_BIT(RAX) | JR_BIT(JR_XMM));
    x64_mov_rr(&j->a, X64_W, RDI, R13);
    jc_ccall(j, JH_DEADLINE);
    x64_mov_rr(&j->a, 0, JR_SCRATCH, RAX);
    jc_ccall_restore(j);
    x64_test_rr(&j->a, 0, JR_SCRATCH, JR_SCRATCH);
    x64_jcc(&j->a, CC_NE, jc_trap_label(j, JC_TRAP_R11));
    x64_bind(&j->a, done);
}
