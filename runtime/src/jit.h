/* jit.h: the compiling tier (jit.c). A function's translated code (ops.h) becomes
 * x86-64 machine code the first time the function is called; the machine code keeps
 * the interpreter's frame layout (slots at fp), so both tiers call each other and a
 * trap, a fault or a host call sees the same state whichever tier runs. */
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
/* Points every defined function of the module at its lazy entry (compiles on the
 * first call); called at load when the engine runs compiled code. */
void jit_module_init(wasmrt_module *m);
/* Frees the module's machine code. */
void jit_module_free(wasmrt_module *m);
/* Calls wasm function f (any instance, any tier) from compiled code or from the
 * interpreter running in compiled mode; inst is the caller's instance. */
wasmrt_status jit_call_func(exec_thread *t, wasmrt_instance *inst, wasmrt_func *f,
                            uint64_t *nfp);
/* Finds this thread's stack and sets the lowest C stack address compiled code may
 * use (t->cstack_limit). */
void jit_thread_limits(exec_thread *t);
/* That limit for an entry from the host at `here`: the thread's, or a budget below
 * here when the entry runs on another stack (a coroutine's). */
char *jit_stack_limit(const exec_thread *t, char *here);

#endif
