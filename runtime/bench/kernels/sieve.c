/* sieve: the primes below n (n <= 32 Mi) by the sieve of Eratosthenes over a byte
 * array; returns their count times 2^32 plus the low bits of their sum. Measures byte
 * stores with large strides and a tight loop. */
#include <stdint.h>

#define SIEVE_MAX (32u << 20)

static uint8_t sieve_composite[SIEVE_MAX];

uint64_t run(uint32_t n);
uint64_t run(uint32_t n)
{
    if (n > SIEVE_MAX) n = SIEVE_MAX;
    for (uint32_t i = 0; i < n; i++)
        sieve_composite[i] = 0;
    uint32_t count = 0;
    uint64_t sum = 0;
    for (uint64_t i = 2; i < n; i++) {
        if (sieve_composite[i]) continue;
        count++;
        sum += i;
        for (uint64_t j = i * i; j < n; j += i)
            sieve_composite[j] = 1;
    }
    return ((uint64_t)count << 32) + (sum & 0xffffffffu);
}
