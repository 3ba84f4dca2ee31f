/* fib: recursive Fibonacci, the same function as workloads/fib.c, as a freestanding
 * kernel: run(n) returns fib(n). fib(35) = 9227465, fib(40) = 102334155. Measures
 * calls and returns, the interpreter's weakest spot. */
#include <stdint.h>

static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

uint64_t run(uint32_t n);
uint64_t run(uint32_t n)
{
    return fib(n);
}
