/* thread_exit.h: what the engine keeps per thread until the thread ends. The
 * execution stacks (exec.c) and the buffers each compiling pass keeps between functions
 * (compile.c, emit.c, jit/function.c) are registered here and released when their
 * thread exits, under one pthread key. */
#ifndef WASMRT_THREAD_EXIT_H
#define WASMRT_THREAD_EXIT_H

typedef void (*thread_exit_release)(void *state);

/* Calls release(state) when this thread exits, after whatever was registered later
 * (the reverse order). Registering the same state again does nothing. 0 when this
 * thread already has as many registrations as it can hold (a fixed few: one per kind
 * of per-thread state). */
int thread_exit_register(void *state, thread_exit_release release);

#endif
