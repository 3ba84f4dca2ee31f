/* matmul: C = A x B for n x n double matrices (n from argv[1], default 256, at most
 * 512), naive i-k-j loops; prints a checksum of C. The compute workload that compilers
 * vectorize: its -msimd128 build (wasm/matmul-simd.wasm) runs on Wasm's 128-bit SIMD.
 * The entries are small integers, so every sum is exact and the checksum does not
 * depend on the order of additions or the compiler (harness/workload.c computes the
 * expected one the same way). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MATMUL_MAX 512

static double matmul_a[MATMUL_MAX * MATMUL_MAX];
static double matmul_b[MATMUL_MAX * MATMUL_MAX];
static double matmul_c[MATMUL_MAX * MATMUL_MAX];

static uint64_t matmul(uint32_t n)
{
    for (uint32_t i = 0; i < n * n; i++) {
        matmul_a[i] = (double)((i * 7u + 3u) % 8u);
        matmul_b[i] = (double)((i * 5u + 1u) % 8u);
        matmul_c[i] = 0.0;
    }
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < n; k++) {
            double a = matmul_a[i * n + k];
            for (uint32_t j = 0; j < n; j++)
                matmul_c[i * n + j] += a * matmul_b[k * n + j];
        }
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n * n; i++)
        sum = sum * 31u + (uint64_t)matmul_c[i];
    return sum;
}

int main(int argc, char **argv)
{
    char *end = NULL;
    unsigned long n = argc > 1 ? strtoul(argv[1], &end, 10) : 256;
    if (argc > 1 && (*argv[1] == '\0' || *end != '\0' || n < 1 || n > MATMUL_MAX)) {
        fprintf(stderr, "matmul: expected a size from 1 to %d, got '%s'\n", MATMUL_MAX, argv[1]);
        return 2;
    }
    printf("%llu\n", (unsigned long long)matmul((uint32_t)n));
    return 0;
}
