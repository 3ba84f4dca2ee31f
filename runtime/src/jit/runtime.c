/* runtime.c: the C functions compiled code calls (the helper table, layout.h): memory
 * growth, calls that leave the compiled world (imports, another instance's function
 * or a host function through call_indirect, a function the interpreter runs), the
 * deadline check, and the lazy compile behind the `lazy` stub. Calls that may run Wasm
 * get the caller's remaining call depth (r12) and make the frame limit say the same,
 * so the interpreter and the C entry count on from there; their arguments and results
 * go through the thread's value stack above everything in use. */
#include <string.h>

#include "interp.h"
#include "jit.h"
#include "jit/tier.h"
#include "memory.h"

uint64_t tier_rt_memory_grow(wasmrt_instance *inst, uint64_t delta)
{
    return (uint32_t)memory_grow(inst->memory, (uint32_t)delta);
}

wasmrt_trap_kind tier_rt_deadline(exec_thread *t)
{
    return exec_now_ns() > t->deadline ? WASMRT_TRAP_DEADLINE : WASMRT_TRAP_NONE;
}

/* The frame limit of a call from compiled code with `depth` calls left (and `extra`
 * frames the callee pushes for itself before counting). */
static exec_frame *tier_limit(exec_thread *t, uint64_t depth, uint64_t extra)
{
    uint64_t left = (uint64_t)(t->frames_limit - t->ft);
    return depth + extra < left ? t->ft + depth + extra : t->frames_limit;
}

/* Slots for a call's arguments and results on the thread's value stack, NULL (and the
 * trap set) when it is full. */
static uint64_t *tier_slots(exec_thread *t, const functype *ty, uint32_t *width)
{
    *width = ty->param_count > ty->result_count ? ty->param_count : ty->result_count;
    if (t->sp + *width + 1 > t->stack_end) {
        t->trap = WASMRT_TRAP_STACK_EXHAUSTED;
        return NULL;
    }
    return t->sp;
}

/* args: a value every `stride` words, a v128's high half in the word after its low
 * one; the callee's slots keep it in the shadow (EXEC_V128_HI) */
static wasmrt_status tier_rt_call(exec_thread *t, wasmrt_instance *inst, wasmrt_func *f,
                                  uint64_t *args, uint64_t depth, uint64_t stride)
{
    const functype *ty = f->type;
    uint32_t width;
    uint64_t *fp = tier_slots(t, ty, &width);
    if (!fp) return WASMRT_ERR_TRAP;
    for (uint32_t i = 0; i < ty->param_count; i++) {
        fp[i] = args[i * stride];
        if (ty->params[i] == WASMRT_V128) fp[i + EXEC_V128_HI] = args[i * stride + 1];
    }
    uint64_t *saved_sp = t->sp;
    exec_frame *saved_limit = t->frames_limit;
    t->frames_limit = tier_limit(t, depth, 0);
    t->sp = fp + width;
    wasmrt_status s = jit_call_func(t, inst, f, fp);
    t->sp = saved_sp;
    t->frames_limit = saved_limit;
    for (uint32_t k = 0; s == WASMRT_OK && k < ty->result_count; k++) {
        args[k * stride] = fp[k];
        if (ty->results[k] == WASMRT_V128) args[k * stride + 1] = fp[k + EXEC_V128_HI];
    }
    return s;
}

wasmrt_status tier_rt_call_import(exec_thread *t, wasmrt_instance *inst, uint32_t index,
                                  uint64_t *args, uint64_t depth, uint64_t stride)
{
    return tier_rt_call(t, inst, inst->funcs[index], args, depth, stride);
}

wasmrt_status tier_rt_call_indirect(exec_thread *t, wasmrt_instance *inst, wasmrt_func *f,
                                    uint64_t *args, uint64_t depth, uint64_t stride)
{
    return tier_rt_call(t, inst, f, args, depth, stride);
}

/* A status for compiled code from a translation that failed: the message in the
 * thread. */
static wasmrt_status tier_failed(exec_thread *t, const wasmrt_error *err)
{
    memcpy(t->message, err->message, sizeof t->message - 1);
    t->message[sizeof t->message - 1] = 0;
    return err->status != WASMRT_OK ? err->status : WASMRT_ERR_RESOURCE;
}

wasmrt_status tier_rt_resolve(wasmrt_instance *inst, void **slot, exec_thread *t)
{
    wasmrt_module *m = (wasmrt_module *)inst->module;
    uint32_t index = (uint32_t)(slot - jit_table(inst));
    func_entry *fe = &m->funcs[index];
    void *body = atomic_load_explicit(&fe->body, memory_order_acquire);
    if (!body) {
        wasmrt_error err;
        memset(&err, 0, sizeof err);
        if (!jit_compile(fe, &err)) return tier_failed(t, &err);
        body = atomic_load_explicit(&fe->body, memory_order_acquire);
    }
    atomic_store_explicit((_Atomic(void *) *)slot, body, memory_order_release);
    return WASMRT_OK;
}

wasmrt_status tier_rt_interp(wasmrt_instance *inst, tier_regs *regs, exec_thread *t, uint64_t depth)
{
    uint32_t index = (uint32_t)((void **)(uintptr_t)regs->r11 - jit_table(inst));
    wasmrt_func *f = inst->funcs[index];
    const functype *ty = f->type;
    uint32_t width;
    uint64_t *fp = tier_slots(t, ty, &width);
    if (!fp) return WASMRT_ERR_TRAP;
    const uint64_t int_args[4] = {regs->rax, regs->rcx, regs->rdx, regs->r10};
    uint32_t ints = 0, floats = 0, k = 0;
    for (uint32_t i = 0; i < ty->param_count; i++) {
        wasmrt_valtype p = ty->params[i];
        int in_xmm = p == WASMRT_F32 || p == WASMRT_F64 || p == WASMRT_V128;
        uint64_t v, hi = 0;
        if (in_xmm && floats < 8) {
            v = regs->xmm[floats][0];
            hi = regs->xmm[floats++][1];
        } else if (!in_xmm && ints < 4) {
            v = int_args[ints++];
        } else {
            v = regs->stack_args[k++];
            if (p == WASMRT_V128) hi = regs->stack_args[k++];
        }
        fp[i] = p == WASMRT_I32 || p == WASMRT_F32 ? (uint32_t)v : v;
        if (p == WASMRT_V128) fp[i + EXEC_V128_HI] = hi;
    }
    uint64_t *saved_sp = t->sp;
    exec_frame *saved_limit = t->frames_limit;
    /* the caller counted this call already; the interpreter counts it again */
    t->frames_limit = tier_limit(t, depth, 1);
    t->sp = fp + width;
    wasmrt_status s = interp_run(t, f, fp);
    t->sp = saved_sp;
    t->frames_limit = saved_limit;
    if (s == WASMRT_OK) {
        wasmrt_valtype r0 = ty->result_count ? ty->results[0] : WASMRT_I32;
        if (ty->result_count == 1 && (r0 == WASMRT_F32 || r0 == WASMRT_F64 || r0 == WASMRT_V128)) {
            regs->xmm[0][0] = fp[0];
            regs->xmm[0][1] = r0 == WASMRT_V128 ? fp[EXEC_V128_HI] : 0;
        } else if (ty->result_count == 1) {
            regs->rax = fp[0];
        } else {
            /* in words, a v128's halves one after the other */
            for (uint32_t r = 0, word = 0; r < ty->result_count; r++) {
                regs->stack_args[word++] = fp[r];
                if (ty->results[r] == WASMRT_V128) regs->stack_args[word++] = fp[r + EXEC_V128_HI];
            }
        }
    } else if (s == WASMRT_ERR_TRAP && t->trap_func == WASMRT_NO_FUNC) {
        /* a trap before the callee started (its stack): the caller's, as when the
           interpreter calls */
        uint32_t caller;
        if (jit_fault_func((const void *)(uintptr_t)regs->ret, &caller) >= 0) t->trap_func = caller;
    }
    return s;
}
