/* exec.c: calls across the host/Wasm boundary. The per-thread execution state
 * (value stack and frame stack, reserved lazily and touched only as deep as calls
 * go), entering Wasm from the host (wasmrt_func_call) with a jump point for memory
 * faults, calling host functions from Wasm, and the wasmrt_caller API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "code.h"
#include "engine.h"
#include "jit.h"
#include "thread_exit.h"

__thread exec_thread *exec_current;

static void exec_thread_free(void *p)
{
    exec_thread *t = p;
    if (!t)
        return;
    munmap(t->stack, 2 * EXEC_STACK_BYTES);
    munmap(t->frames, (size_t)EXEC_MAX_FRAMES * sizeof *t->frames);
    trap_uninstall(t->altstack);
    exec_current = NULL;
    free(t);
}

exec_thread *exec_thread_get(wasmrt_error *error)
{
    if (exec_current)
        return exec_current;
    exec_thread *t = calloc(1, sizeof *t);
    if (!t) {
        error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
        return NULL;
    }
    /* the slots, then their shadow: the upper halves of v128 values (EXEC_V128_HI) */
    t->stack = mmap(NULL, 2 * EXEC_STACK_BYTES, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    t->frames = mmap(NULL, (size_t)EXEC_MAX_FRAMES * sizeof *t->frames, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (t->stack == MAP_FAILED || t->frames == MAP_FAILED || !trap_install(&t->altstack)) {
        if (t->stack != MAP_FAILED)
            munmap(t->stack, 2 * EXEC_STACK_BYTES);
        if (t->frames != MAP_FAILED)
            munmap(t->frames, (size_t)EXEC_MAX_FRAMES * sizeof *t->frames);
        free(t);
        error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                  "setting up the execution stack for this thread failed");
        return NULL;
    }
    t->stack_end = t->stack + EXEC_STACK_BYTES / sizeof(uint64_t);
    t->sp = t->stack;
    t->frames_end = t->frames + EXEC_MAX_FRAMES;
    t->frames_limit = t->frames_end;
    t->ft = t->frames;
    jit_thread_limits(t);
    if (!thread_exit_register(t, exec_thread_free)) {
        exec_thread_free(t);
        error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                  "registering this thread's execution stack for its exit failed");
        return NULL;
    }
    exec_current = t;
    return t;
}

uint64_t exec_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t value_to_bits(wasmrt_value v)
{
    switch (v.type) {
    case WASMRT_I32: return (uint32_t)v.of.i32;
    case WASMRT_F32: return v.of.f32_bits;
    case WASMRT_FUNCREF:
    case WASMRT_EXTERNREF: return (uint64_t)(uintptr_t)v.of.ref;
    case WASMRT_V128: return v.of.v128[0];
    default: return (uint64_t)v.of.i64;
    }
}

uint64_t value_hi_bits(wasmrt_value v)
{
    return v.type == WASMRT_V128 ? v.of.v128[1] : 0;
}

wasmrt_value value_from_bits(wasmrt_valtype type, uint64_t bits, uint64_t hi)
{
    wasmrt_value v;
    memset(&v, 0, sizeof v);
    v.type = type;
    switch (type) {
    case WASMRT_I32: v.of.i32 = (int32_t)(uint32_t)bits; break;
    case WASMRT_F32: v.of.f32_bits = (uint32_t)bits; break;
    case WASMRT_FUNCREF:
    case WASMRT_EXTERNREF: v.of.ref = (void *)(uintptr_t)bits; break;
    case WASMRT_V128:
        v.of.v128[0] = bits;
        v.of.v128[1] = hi;
        break;
    default: v.of.i64 = (int64_t)bits; break;
    }
    return v;
}

wasmrt_status exec_call_host(exec_thread *t, wasmrt_instance *inst, wasmrt_func *f,
                             uint64_t *slots)
{
    const functype *ty = f->type;
    wasmrt_value small[16], *args = small, *results;
    size_t n = (size_t)ty->param_count + ty->result_count;
    if (n > 16 && !(args = calloc(n, sizeof *args)))
        return WASMRT_ERR_RESOURCE;
    results = args + ty->param_count;
    for (uint32_t i = 0; i < ty->param_count; i++)
        args[i] = value_from_bits(ty->params[i], slots[i], slots[i + EXEC_V128_HI]);
    for (uint32_t i = 0; i < ty->result_count; i++)
        results[i] = value_from_bits(ty->results[i], 0, 0);
    wasmrt_caller caller = {inst, t};
    t->trap = WASMRT_TRAP_NONE;
    t->message[0] = 0;
    wasmrt_status s = f->host(&caller, f->user, args, results);
    if (s == WASMRT_OK) {
        /* a trap the host function swallowed (a callback it called) is not ours */
        t->trap_func = WASMRT_NO_FUNC;
        for (uint32_t i = 0; i < ty->result_count; i++) {
            slots[i] = value_to_bits(results[i]);
            if (ty->results[i] == WASMRT_V128)
                slots[i + EXEC_V128_HI] = value_hi_bits(results[i]);
        }
    } else if (s == WASMRT_ERR_TRAP && t->trap == WASMRT_TRAP_NONE) {
        t->trap = WASMRT_TRAP_HOST;
    } else if (s != WASMRT_ERR_TRAP && s != WASMRT_ERR_EXIT && !t->message[0]) {
        snprintf(t->message, sizeof t->message, "host function failed: %s",
                 wasmrt_status_name(s));
    }
    if (args != small)
        free(args);
    return s;
}

/* Runs func with args on this thread; results as slot bits. */
wasmrt_status exec_call(wasmrt_func *func, const uint64_t *args, const uint64_t *args_hi,
                        uint64_t *results, uint64_t *results_hi, wasmrt_error *error)
{
    exec_thread *t = exec_thread_get(error);
    if (!t)
        return WASMRT_ERR_RESOURCE;
    const functype *ty = func->type;
    uint32_t width = ty->param_count > ty->result_count ? ty->param_count : ty->result_count;
    uint64_t *fp = t->sp;
    if (fp + width + 1 > t->stack_end)
        return error_trap(error, WASMRT_TRAP_STACK_EXHAUSTED, NULL);
    memcpy(fp, args, ty->param_count * sizeof *fp);
    if (args_hi)
        memcpy(fp + EXEC_V128_HI, args_hi, ty->param_count * sizeof *fp);

    /* saved for nesting: a host function may call back into Wasm */
    uint64_t *saved_sp = t->sp;
    exec_frame *saved_ft = t->ft, *saved_limit = t->frames_limit;
    sigjmp_buf *saved_jmp = t->jmp;
    int saved_in_wasm = t->in_wasm;
    uint8_t *saved_lo = t->mem_lo, *saved_hi = t->mem_hi;
    char *saved_cstack = t->cstack_limit;
    void *saved_unwind = t->jit_unwind_sp;
    int outermost = saved_ft == t->frames;
    sigjmp_buf jb;
    wasmrt_status status;

    t->sp = fp + width;
    t->cstack_limit = jit_stack_limit(t, __builtin_frame_address(0));
    if (outermost && !func->host && func->inst->memory->guard && !trap_ensure())
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                         "cannot install the memory fault handler");
    if (outermost) {
        const wasmrt_config *cfg = func->inst ? &func->inst->engine->config : NULL;
        uint32_t depth = cfg && cfg->max_call_depth ? cfg->max_call_depth : ENGINE_DEFAULT_CALL_DEPTH;
        t->frames_limit = t->frames + (depth < EXEC_MAX_FRAMES ? depth : EXEC_MAX_FRAMES - 1);
        t->fuel = cfg ? cfg->fuel : 0;
        t->deadline = cfg && cfg->deadline_ns ? exec_now_ns() + cfg->deadline_ns : 0;
    }
    t->trap = WASMRT_TRAP_NONE;
    t->trap_func = WASMRT_NO_FUNC;
    t->message[0] = 0;
    if (func->host) {
        status = exec_call_host(t, NULL, func, fp);
    } else {
        t->jmp = &jb;
        if (sigsetjmp(jb, 0) == 0) {
            exec_watch_memory(t, func->inst->memory);
            t->in_wasm = 1;
            if (func->inst->engine->config.mode == WASMRT_MODE_JIT)
                status = jit_call_func(t, func->inst, func, fp);
            else
                status = interp_run(t, func, fp);
        } else {
            t->trap = WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
            status = WASMRT_ERR_TRAP;
            /* compiled code names itself by the fault's address; the interpreter
               keeps t->ft current at every call and return */
            uint32_t func;
            int in_code = jit_fault_func(t->fault_pc, &func);
            if (in_code == 0) {
                fprintf(stderr, "wasmrt: a memory fault at %p in the compiled code of function "
                        "%u is no memory access: a compiler bug\n", t->fault_pc, func);
                abort();
            }
            if (in_code > 0)
                t->trap_func = func;
            else if (t->ft > saved_ft)
                t->trap_func = t->ft[-1].callee->func_index;
        }
    }
    t->in_wasm = saved_in_wasm;
    t->jmp = saved_jmp;
    t->mem_lo = saved_lo;
    t->mem_hi = saved_hi;
    t->sp = saved_sp;
    t->ft = saved_ft;
    t->frames_limit = saved_limit;
    t->cstack_limit = saved_cstack;
    t->jit_unwind_sp = saved_unwind;

    switch (status) {
    case WASMRT_OK:
        memcpy(results, fp, ty->result_count * sizeof *fp);
        if (results_hi)
            memcpy(results_hi, fp + EXEC_V128_HI, ty->result_count * sizeof *fp);
        return WASMRT_OK;
    case WASMRT_ERR_TRAP:
        error_trap(error, t->trap, t->message[0] ? t->message : NULL);
        if (error)
            error->func_index = t->trap_func;
        return WASMRT_ERR_TRAP;
    case WASMRT_ERR_EXIT:
        error_set(error, WASMRT_ERR_EXIT, WASMRT_NO_OFFSET, "exit with code %d", t->exit_code);
        if (error)
            error->exit_code = t->exit_code;
        return WASMRT_ERR_EXIT;
    default:
        return error_set(error, status, WASMRT_NO_OFFSET, "%s",
                         t->message[0] ? t->message : wasmrt_status_name(status));
    }
}

wasmrt_status wasmrt_func_call(wasmrt_func *func, const wasmrt_value *args, uint32_t arg_count,
                               wasmrt_value *results, uint32_t result_count,
                               wasmrt_error *error)
{
    if (!func)
        return error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET, "no function given");
    const functype *ty = func->type;
    if (arg_count != ty->param_count || result_count != ty->result_count)
        return error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET,
                         "function takes %u arguments and returns %u results; the call passed "
                         "%u arguments and %u result slots",
                         ty->param_count, ty->result_count, arg_count, result_count);
    uint64_t small[64], *bits = small; /* low halves, then high halves */
    size_t n = (size_t)arg_count + result_count;
    if (n > 32 && !(bits = calloc(2 * n, sizeof *bits)))
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    wasmrt_status s = WASMRT_OK;
    for (uint32_t i = 0; i < arg_count; i++) {
        if (args[i].type != ty->params[i]) {
            s = error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET,
                          "argument %u: expected value type 0x%02x, found 0x%02x", i,
                          (unsigned)ty->params[i], (unsigned)args[i].type);
            break;
        }
        bits[i] = value_to_bits(args[i]);
        bits[n + i] = value_hi_bits(args[i]);
    }
    if (s == WASMRT_OK)
        s = exec_call(func, bits, bits + n, bits + arg_count, bits + n + arg_count, error);
    if (s == WASMRT_OK)
        for (uint32_t i = 0; i < result_count; i++)
            results[i] = value_from_bits(ty->results[i], bits[arg_count + i],
                                         bits[n + arg_count + i]);
    if (bits != small)
        free(bits);
    return s;
}

wasmrt_status wasmrt_instance_call(wasmrt_instance *instance, const char *name,
                                   const wasmrt_value *args, uint32_t arg_count,
                                   wasmrt_value *results, uint32_t result_count,
                                   wasmrt_error *error)
{
    wasmrt_func *f = wasmrt_instance_func(instance, name);
    if (!f)
        return error_set(error, WASMRT_ERR_NOT_FOUND, WASMRT_NO_OFFSET,
                         "no exported function named \"%s\"", name);
    return wasmrt_func_call(f, args, arg_count, results, result_count, error);
}

wasmrt_instance *wasmrt_caller_instance(wasmrt_caller *caller)
{
    return caller->inst;
}

uint8_t *wasmrt_caller_memory(wasmrt_caller *caller, uint64_t *size_bytes)
{
    if (!caller->inst)
        return NULL;
    return wasmrt_instance_memory(caller->inst, size_bytes);
}

wasmrt_status wasmrt_caller_trap(wasmrt_caller *caller, const char *message)
{
    caller->thread->trap = WASMRT_TRAP_HOST;
    caller->thread->trap_func = WASMRT_NO_FUNC; /* the caller's, named as it unwinds */
    snprintf(caller->thread->message, sizeof caller->thread->message, "%s",
             message ? message : "host function trapped");
    return WASMRT_ERR_TRAP;
}

wasmrt_status wasmrt_caller_exit(wasmrt_caller *caller, int exit_code)
{
    caller->thread->exit_code = exit_code;
    return WASMRT_ERR_EXIT;
}
