/* bench_kernels.c: the benchmark's kernels (sources in kernels/), the size each runs
 * at (about 0.2-0.4 s natively on the reference machine), a tiny size for the smoke
 * test in `make check`, and the checksums of both, computed with the native gcc build
 * and confirmed with clang and node's WebAssembly. A run counts only if its checksum
 * matches. */
#include "bench.h"

/* The goals: fib(40) within 12x native gcc, every kernel within 20x. */
#define BENCH_GOAL_FIB40 12.0
#define BENCH_GOAL_KERNEL 20.0

const bench_kernel bench_kernels[] = {
    {"fib35", "fib", "fib", 35, 20, 9227465ull, 6765ull, BENCH_GOAL_KERNEL},
    {"fib40", "fib", "fib", 40, 20, 102334155ull, 6765ull, BENCH_GOAL_FIB40},
    {"matmul", "matmul", "matmul", 512, 24, 6633349074923814912ull, 6611722696387670400ull,
     BENCH_GOAL_KERNEL},
    {"sieve", "sieve", "sieve", 20000000, 10000, 5457217367322052ull, 5278520543180ull,
     BENCH_GOAL_KERNEL},
    {"hash", "hash", "hash", 40, 1, 9137696541085549733ull, 4324633664114419725ull,
     BENCH_GOAL_KERNEL},
    {"sort", "sort", "sort", 3000000, 1000, 16125855266004171849ull, 7734679660930119372ull,
     BENCH_GOAL_KERNEL},
    /* memops twice: wasi-libc's memcpy/memset in plain wasm32, then memory.copy/fill. */
    {"memops", "memops", "memops", 2000, 3, 12709128129838947207ull, 446ull, BENCH_GOAL_KERNEL},
    {"memops-bulk", "memops", "memops-bulk", 2000, 3, 12709128129838947207ull, 446ull,
     BENCH_GOAL_KERNEL},
};

const size_t bench_kernel_count = sizeof bench_kernels / sizeof bench_kernels[0];
