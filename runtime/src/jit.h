/* jit.h: the compiling tier as the engine sees it (src/jit/). In WASMRT_MODE_JIT each
 * function is compiled from its Wasm body to x86-64 machine code on its first call (a
 * function the compiler refuses runs in the interpreter). Every function is entered
 * from C the same way (jit_fn: arguments and results in slots); compiled functions
 * call each other natively through a table each instance carries (jit/layout.h). */
#ifndef WASMRT_JIT_H
#define WASMRT_JIT_H

#include "exec.h"

/* Every function entry is called this way: fp holds the arguments and receives the
 * results; inst is the function's instance. Returns WASMRT_OK or the status a trap,
 * an exit or a failure left (t->trap, t->trap_func, t->message filled). */
typedef wasmrt_status (*jit_fn)(uint64_t *fp, exec_thread *t, wasmrt_instance *inst,
                                const func_entry *fe);

/* Whether this build can compile for this machine. */
int jit_supported(void);
/* Points every defined function at its lazy entry (compiles on the first call);
 * called at load when the engine runs compiled code. */
void jit_module_init(wasmrt_module *m);
/* Frees the module's machine code. */
void jit_module_free(wasmrt_module *m);
/* Compiles function fn now, unless it was (eager compile at load): 1 when it has
 * machine code or was left to the interpreter, 0 (error filled) when its body is
 * invalid or memory ran out. */
int jit_compile(func_entry *fn, wasmrt_error *error);
/* Whether function fn was left to the interpreter (the compiler refused it: SIMD on a CPU
 * without SSSE3 and SSE4.1, WASMRT_JIT_ONLY). */
int jit_interpreted(const func_entry *fn);
/* Bytes an instance needs after its struct for compiled code's table, and filling it
 * (after the instance's functions and globals are set, before anything runs). */
size_t jit_instance_table_bytes(const wasmrt_module *m);
void jit_instance_init(wasmrt_instance *inst);
/* Calls wasm function f (any instance, any tier) or host function f from compiled
 * code or from the interpreter running in compiled mode; inst is the caller's
 * instance. */
wasmrt_status jit_call_func(exec_thread *t, wasmrt_instance *inst, wasmrt_func *f, uint64_t *nfp);
/* The function whose compiled code holds address pc (*func): 1 when pc is one of its
 * memory accesses, 0 when not; -1 when pc is no compiled code. A memory fault at pc
 * names that function. */
int jit_fault_func(const void *pc, uint32_t *func);

/* aot.c: files of machine code (a compiled module, .cwasm; the cache beside a
 * module). aot_open maps a compiled module and checks it serves this engine, giving
 * the module's bytes in it; aot_adopt checks its records against the loaded module and
 * makes their code the functions' (the module keeps the mapping; the file is closed
 * either way). */
typedef struct aot_file aot_file;
wasmrt_status aot_open(const wasmrt_engine *e, const char *path, aot_file **out,
                       const uint8_t **module, size_t *module_size, wasmrt_error *error);
wasmrt_status aot_adopt(wasmrt_module *m, aot_file *f, wasmrt_error *error);
void aot_close(aot_file *f);
/* Compiles every function and writes a compiled module. */
wasmrt_status aot_write(wasmrt_module *m, const char *path, wasmrt_error *error);
/* The cache beside the module (cache_dir): adopts what earlier runs compiled (best
 * effort); stores what is compiled now when there is more. */
void jit_cache_load(wasmrt_module *m);
wasmrt_status jit_cache_store(wasmrt_module *m);

/* stack.c: finds this thread's stack and sets the lowest C stack address compiled
 * code may use (t->cstack_limit). */
void jit_thread_limits(exec_thread *t);
/* That limit for an entry from the host at `here`: the thread's, or a budget below
 * here when the entry runs on another stack (a coroutine's). */
char *jit_stack_limit(const exec_thread *t, char *here);

#endif
