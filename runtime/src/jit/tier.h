/* tier.h: what the compiling tier's files (src/jit/) offer each other beyond the
 * compiler itself (jitc.h): compiling a function into memory that runs, that memory,
 * the stubs every module shares, and the C functions compiled code calls. The engine
 * sees jit.h. */
#ifndef WASMRT_JIT_TIER_H
#define WASMRT_JIT_TIER_H

#include "exec.h"
#include "jit.h"
#include "jit/layout.h"

/* Compiles function fn now (the module lock held): 1 when it has machine code or was
 * left to the interpreter, 0 (error filled) when its body is invalid or memory ran
 * out. */
int tier_compile(wasmrt_module *m, func_entry *fn, wasmrt_error *error);

/* function.c: compiles one function into a record (layout.h) in this thread's buffer,
 * valid until the next compile on the thread. WASMRT_ERR_UNSUPPORTED: the function is
 * left to the interpreter. */
wasmrt_status jit_compile_function(const wasmrt_module *m, const func_entry *fn,
                                   const uint8_t **code, size_t *size, wasmrt_error *error);

/* arena.c: executable memory per module */
void *tier_arena_put(wasmrt_module *m, const uint8_t *bytes, size_t n);
/* A code file's mapping (aot.c) becomes the module's: code (size bytes of records)
 * runs where it is, and the whole mapping goes with the module. */
int tier_arena_adopt_file(wasmrt_module *m, void *map, size_t map_size, uint8_t *code, size_t size);
void tier_arena_free(wasmrt_module *m);
/* Calls fn for every record of the module's code. */
void tier_arena_each(const wasmrt_module *m, void (*fn)(void *ctx, const jit_record *rec),
                     void *ctx);

/* stubs.c: the code every module shares (built once): the C entry, the trap and
 * status exits, the lazy-compile and interpreter stubs; and the helper table. */
void *const *tier_helpers(void);
jit_fn tier_enter(void);

/* runtime.c: the C functions compiled code calls (the helper table's C entries) */
uint64_t tier_rt_memory_grow(wasmrt_instance *inst, uint64_t delta);
/* args: the arguments, then the results, `stride` words apart (a v128's low half,
 * then its high one) */
wasmrt_status tier_rt_call_import(exec_thread *t, wasmrt_instance *inst, uint32_t index,
                                  uint64_t *args, uint64_t depth, uint64_t stride);
wasmrt_status tier_rt_call_indirect(exec_thread *t, wasmrt_instance *inst, wasmrt_func *f,
                                    uint64_t *args, uint64_t depth, uint64_t stride);
wasmrt_trap_kind tier_rt_deadline(exec_thread *t);
/* The registers a stub saved (stubs.c), in the order it pushed them. */
typedef struct tier_regs {
    uint64_t xmm[16][2]; /* whole: low and high halves */
    uint64_t r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
    uint64_t ret;          /* where the call returns: names the caller */
    uint64_t stack_args[]; /* the caller's area */
} tier_regs;
wasmrt_status tier_rt_resolve(wasmrt_instance *inst, void **slot, exec_thread *t);
wasmrt_status tier_rt_interp(wasmrt_instance *inst, tier_regs *regs, exec_thread *t,
                             uint64_t depth);

#endif
