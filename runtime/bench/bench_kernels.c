/* bench_kernels.c: the benchmark's kernels (sources in kernels/), the size each runs
 * at (about 0.2-0.4 s natively on the reference machine), a tiny size for the smoke
 * test in `make check`, and the checksums of both, computed with the native gcc build
 * and confirmed with clang and node's WebAssembly. A run counts only if its checksum
 * matches. The geometric means of the table are over the distinct kernels (fib40,
 * matmul, sieve, hash, sort, printf, memops; in_geomean), not the variants. */
#include "bench.h"

#define F BENCH_FREESTANDING

const bench_kernel bench_kernels[] = {
    /* workloads/fib.c itself, a WASI command, as the harness runs it */
    {"fib35-wasi", BENCH_WASI_COMMAND, "fib", "fib", 35, 20, 9227465ull, 6765ull, BENCH_GOAL_KERNEL,
     0},
    {"fib40-wasi", BENCH_WASI_COMMAND, "fib", "fib", 40, 20, 102334155ull, 6765ull,
     BENCH_GOAL_FIB40, 0},
    /* the same function as a freestanding kernel */
    {"fib35", F, "fib", "fib", 35, 20, 9227465ull, 6765ull, BENCH_GOAL_KERNEL, 0},
    {"fib40", F, "fib", "fib", 40, 20, 102334155ull, 6765ull, BENCH_GOAL_FIB40, 1},
    {"matmul", F, "matmul", "matmul", 512, 24, 6633349074923814912ull, 6611722696387670400ull,
     BENCH_GOAL_KERNEL, 1},
    {"sieve", F, "sieve", "sieve", 20000000, 10000, 5457217367322052ull, 5278520543180ull,
     BENCH_GOAL_KERNEL, 1},
    {"hash", F, "hash", "hash", 40, 1, 9137696541085549733ull, 4324633664114419725ull,
     BENCH_GOAL_KERNEL, 1},
    {"sort", F, "sort", "sort", 3000000, 1000, 16125855266004171849ull, 7734679660930119372ull,
     BENCH_GOAL_KERNEL, 1},
    /* libc's formatting: glibc natively, wasi-libc (musl) snprintf in Wasm */
    {"printf", F, "printf", "printf", 1000000, 1000, 10520003812631727940ull,
     4802299597885402628ull, BENCH_GOAL_KERNEL, 1},
    /* memops twice: wasi-libc's memcpy/memset in plain wasm32, then memory.copy/fill. */
    {"memops", F, "memops", "memops", 2000, 3, 12709128129838947207ull, 446ull, BENCH_GOAL_KERNEL,
     1},
    {"memops-bulk", F, "memops", "memops-bulk", 2000, 3, 12709128129838947207ull, 446ull,
     BENCH_GOAL_KERNEL, 0},
    /* the kernels clang vectorizes, built again with -msimd128 (its auto-vectorizer on
       Wasm's 128-bit SIMD), against the same native binaries (-O2 vectorizes for SSE2) */
    {"matmul-simd", F, "matmul", "matmul-simd", 512, 24, 6633349074923814912ull,
     6611722696387670400ull, BENCH_GOAL_KERNEL, 0},
    {"memops-simd", F, "memops", "memops-simd", 2000, 3, 12709128129838947207ull, 446ull,
     BENCH_GOAL_KERNEL, 0},
};

const size_t bench_kernel_count = sizeof bench_kernels / sizeof bench_kernels[0];
