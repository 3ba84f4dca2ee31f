/* matmul: C = A x B for n x n double matrices (n <= 512), naive i-k-j loops. The
 * entries are small integers, so every sum is exact and the checksum does not depend
 * on the order of additions or the compiler. Measures f64 loads, multiply-add and
 * address arithmetic. */
#include <stdint.h>

#define MATMUL_MAX 512

static double matmul_a[MATMUL_MAX * MATMUL_MAX];
static double matmul_b[MATMUL_MAX * MATMUL_MAX];
static double matmul_c[MATMUL_MAX * MATMUL_MAX];

uint64_t run(uint32_t n);
uint64_t run(uint32_t n)
{
    if (n > MATMUL_MAX) n = MATMUL_MAX;
    for (uint32_t i = 0; i < n * n; i++) {
        matmul_a[i] = (double)((i * 7u + 3u) % 8u);
        matmul_b[i] = (double)((i * 5u + 1u) % 8u);
        matmul_c[i] = 0.0;
    }
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t k = 0; k < n; k++) {
            double a = matmul_a[i * n + k];
            for (uint32_t j = 0; j < n; j++)
                matmul_c[i * n + j] += a * matmul_b[k * n + j];
        }
    }
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n * n; i++)
        sum = sum * 31u + (uint64_t)matmul_c[i];
    return sum;
}
