/* matmul: the engine benchmark's matmul kernel (runtime/bench/kernels/matmul.c: C = A x
 * B for n x n double matrices, naive i-k-j loops, a checksum of C) as a WASI command:
 * `matmul n` (default 256, at most 512) prints the checksum. The compute workload that
 * compilers vectorize: its -msimd128 build (wasm/matmul-simd.wasm) runs on Wasm's
 * 128-bit SIMD. harness/workload.c computes the expected checksum on its own. */
#include <stdio.h>
#include <stdlib.h>

#include "../runtime/bench/kernels/matmul.c"

int main(int argc, char **argv)
{
    char *end = NULL;
    unsigned long n = argc > 1 ? strtoul(argv[1], &end, 10) : 256;
    if (argc > 1 && (*argv[1] == '\0' || *end != '\0' || n < 1 || n > MATMUL_MAX)) {
        fprintf(stderr, "matmul: expected a size from 1 to %d, got '%s'\n", MATMUL_MAX, argv[1]);
        return 2;
    }
    printf("%llu\n", (unsigned long long)run((uint32_t)n));
    return 0;
}
