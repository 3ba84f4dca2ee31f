/* bench.h: the engine benchmark (`make bench-engine`): compute kernels run natively
 * (gcc -O2, clang -O2) and as wasm32 modules inside wasmrt, timed and checked.
 *
 *   bench_kernels.c  the kernels: sizes and the checksums that prove a run correct
 *   bench_runner.c   one timed run: a native kernel binary, or a module in wasmrt
 *   bench_main.c     options, repetitions, medians, the table, the JSON file
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "wasmrt.h"

/* The goals: fib(40) within 12x native gcc, every kernel within 20x. */
#define BENCH_GOAL_FIB40 12.0
#define BENCH_GOAL_KERNEL 20.0

/* How a kernel is built and run. */
typedef enum bench_kind {
    BENCH_FREESTANDING, /* kernels/K.c: exports run(n) returning the checksum */
    BENCH_WASI_COMMAND, /* a workload (workloads/K.c): `K n` prints the checksum; WASI */
} bench_kind;

typedef struct bench_kernel {
    const char *name; /* row name, e.g. "fib40" */
    bench_kind kind;
    const char *native; /* native binary name in native-gcc/ and native-clang/ */
    const char *wasm;   /* module name in wasm/ (without .wasm) */
    uint32_t n, smoke_n;
    uint64_t checksum, smoke_checksum; /* run(n), run(smoke_n) */
    double goal_ratio;                 /* wasmrt time / native gcc time we aim for */
    int in_geomean; /* one of the distinct kernels the geometric mean is taken over */
} bench_kernel;

extern const bench_kernel bench_kernels[];
extern const size_t bench_kernel_count;

/* Phases of one Wasm run, in nanoseconds. */
typedef struct bench_wasm_times {
    double load_ns;        /* decode + validate + compile (lazy_compile off) */
    double instantiate_ns; /* memories, data segments */
    double execute_ns;     /* the run(n) call */
} bench_wasm_times;

/* Runs the native binary once with size n. A kernel prints "CHECKSUM NS" (its own
 * timing of run(n)); a workload prints "CHECKSUM" and is timed from fork to exit.
 * Returns 0, or -1 with a message in err. */
int bench_native_run(const char *binary, uint32_t n, uint64_t *checksum, double *ns, char *err,
                     size_t err_size);

/* The same with a freestanding kernel's module under node's V8 (`node SCRIPT K.wasm n`,
 * the script bench_node.mjs: it prints "CHECKSUM NS", timing run(n) alone). */
int bench_node_run(const char *script, const char *wasm, uint32_t n, uint64_t *checksum, double *ns,
                   char *err, size_t err_size);

/* Loads, instantiates and calls run(n) of the module at path in a fresh engine with
 * the given bounds mode and tier (WASMRT_MODE_JIT, or WASMRT_MODE_INTERP). Returns 0,
 * or -1 with a message in err. */
int bench_wasm_run(const char *path, wasmrt_bounds_mode bounds, wasmrt_exec_mode mode, uint32_t n,
                   uint64_t *checksum, bench_wasm_times *times, char *err, size_t err_size);

/* Runs a WASI command module as `name n` with stdout captured: load, instantiate,
 * _start timed; the checksum is the number it prints. */
int bench_wasi_run(const char *path, wasmrt_bounds_mode bounds, wasmrt_exec_mode mode, uint32_t n,
                   uint64_t *checksum, bench_wasm_times *times, char *err, size_t err_size);

#endif
