/* exec.h: per-thread execution state shared by exec.c (entry from the host, host
 * calls, thread setup), interp.c (the loop) and trap.c (the fault handler). */
#ifndef WASMRT_EXEC_H
#define WASMRT_EXEC_H

#include <setjmp.h>

#include "module.h"

typedef struct exec_frame {
    const uint64_t *pc; /* where the caller continues; NULL = back to the host */
    uint64_t *fp;
    wasmrt_instance *inst;
    const code *callee;       /* the code this record's call entered: names a trap */
} exec_frame;

typedef struct exec_thread {
    uint64_t *stack, *stack_end; /* value stack: frames of slots */
    uint64_t *sp;                /* where the next entry from the host starts */
    exec_frame *frames, *frames_limit, *frames_end, *ft;
    sigjmp_buf *jmp;             /* innermost entry: memory faults jump here */
    volatile int in_wasm;        /* a fault now may be a Wasm memory access */
    uint8_t *volatile mem_lo, *volatile mem_hi; /* the running instance's reservation */
    uint64_t fuel;               /* remaining, when metered */
    uint64_t deadline;           /* CLOCK_MONOTONIC ns, 0 = none */
    uint32_t checks;
    int exit_code;
    wasmrt_trap_kind trap;
    uint32_t trap_func;          /* function the innermost trap happened in, or NO_FUNC */
    char message[200];
    void *altstack;
    char *cstack_limit;          /* compiled code: the lowest C stack address to enter at */
    void *jit_unwind_sp;         /* src/jit/: where a trap in compiled code unwinds to */
    void *fault_pc;              /* the code address of the last memory fault */
    char *cstack_lo, *cstack_hi; /* the thread's own stack */
} exec_thread;

struct wasmrt_caller {
    wasmrt_instance *inst;
    exec_thread *thread;
};

/* The reservation a fault must fall in to be a Wasm out-of-bounds access. */
static inline void exec_watch_memory(exec_thread *t, const wasmrt_memory *mem)
{
    t->mem_lo = mem->base;
    t->mem_hi = (uint8_t *)((uintptr_t)mem->base + (mem->base ? mem->reserved : 0));
}

exec_thread *exec_thread_get(wasmrt_error *error);
/* Calls wasm or host function func from the host: arguments and results as bits. */
/* args_hi and results_hi: the upper halves of v128 values, or NULL when there are none. */
wasmrt_status exec_call(wasmrt_func *func, const uint64_t *args, const uint64_t *args_hi,
                        uint64_t *results, uint64_t *results_hi, wasmrt_error *error);
/* A value as slot bits: the low 8 bytes, and a v128's high 8 bytes (0 for others). */
uint64_t value_to_bits(wasmrt_value v);
uint64_t value_hi_bits(wasmrt_value v);
wasmrt_value value_from_bits(wasmrt_valtype type, uint64_t bits, uint64_t hi);
/* Runs wasm function f with its arguments at fp (results land there too). */
wasmrt_status interp_run(exec_thread *t, wasmrt_func *f, uint64_t *fp);
/* Calls host function f with arguments (and results) in slots. */
wasmrt_status exec_call_host(exec_thread *t, wasmrt_instance *inst, wasmrt_func *f,
                             uint64_t *slots);
uint64_t exec_now_ns(void);
/* Installs the fault handler and this thread's alternate signal stack (returned in
 * *altstack when created here, for trap_uninstall at thread exit). */
int trap_install(void **altstack);
void trap_uninstall(void *altstack);
/* Re-installs the fault handler if something replaced it; 0 on failure. */
int trap_ensure(void);
/* exec_ops.c: instructions shared by the interpreter and compiled code, given the
 * instruction's words (ops.h); each returns the trap or WASMRT_TRAP_NONE. */
#define EXEC_SHARED_OPS(X)                                                               \
    X(memory_copy, OP_MEMORY_COPY) X(memory_fill, OP_MEMORY_FILL)                        \
    X(memory_init, OP_MEMORY_INIT) X(table_get, OP_TABLE_GET) X(table_set, OP_TABLE_SET) \
    X(table_grow, OP_TABLE_GROW) X(table_fill, OP_TABLE_FILL)                            \
    X(table_copy, OP_TABLE_COPY) X(table_init, OP_TABLE_INIT)
#define EXEC_OP_DECLARE(name, op)                                                        \
    wasmrt_trap_kind exec_op_##name(wasmrt_instance *inst, uint64_t *fp, const uint64_t *pc);
EXEC_SHARED_OPS(EXEC_OP_DECLARE)
#undef EXEC_OP_DECLARE
uint64_t exec_f32_add(uint64_t a, uint64_t b);
uint64_t exec_f32_mul(uint64_t a, uint64_t b);
uint64_t exec_f64_add(uint64_t a, uint64_t b);
uint64_t exec_f64_mul(uint64_t a, uint64_t b);
/* Evaluates element item k of segment seg for the instance (funcref or externref). */
void *instance_elem_item(const wasmrt_instance *inst, uint32_t seg, uint32_t k);

#endif
