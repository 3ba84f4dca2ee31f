/* fib: recursive Fibonacci of an unsigned 32-bit n from argv[1] (default 40); prints
 * the result. The compute workload of the published tables: fib(40) = 102334155. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    char *end = NULL;
    unsigned long n = argc > 1 ? strtoul(argv[1], &end, 10) : 40;
    if (argc > 1 && (*argv[1] == '\0' || *end != '\0' || n > UINT32_MAX)) {
        fprintf(stderr, "fib: expected an unsigned 32-bit integer, got '%s'\n", argv[1]);
        return 2;
    }
    printf("%u\n", fib((uint32_t)n));
    return 0;
}
