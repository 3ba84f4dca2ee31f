/* bench_native_main.c: the native harness of a bench kernel: calls the kernel's
 * run(n) once and prints "CHECKSUM NANOSECONDS", timing only the call, as the Wasm
 * side times only its execute phase. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint64_t run(uint32_t n);

int main(int argc, char **argv)
{
    char *end = NULL;
    unsigned long n = argc == 2 ? strtoul(argv[1], &end, 10) : 0;
    if (argc != 2 || *argv[1] == '\0' || *end != '\0' || n > UINT32_MAX) {
        fprintf(stderr, "usage: %s N (N: the kernel's size, an unsigned 32-bit integer)\n",
                argv[0]);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t checksum = run((uint32_t)n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    int64_t ns = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000000000 + (t1.tv_nsec - t0.tv_nsec);
    printf("%" PRIu64 " %" PRId64 "\n", checksum, ns);
    return 0;
}
