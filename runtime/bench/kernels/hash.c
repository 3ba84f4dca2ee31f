/* hash: FNV-1a (64-bit) over a 4 MiB buffer of xorshift bytes, n rounds, each round
 * seeded by the previous hash. Measures byte loads and 64-bit multiply in a loop that
 * cannot be vectorised (each step depends on the last). */
#include <stdint.h>

#define HASH_BYTES (4u << 20)

static uint8_t hash_buffer[HASH_BYTES];

uint64_t run(uint32_t n);
uint64_t run(uint32_t n)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (uint32_t i = 0; i < HASH_BYTES; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        hash_buffer[i] = (uint8_t)x;
    }
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t round = 0; round < n; round++) {
        for (uint32_t i = 0; i < HASH_BYTES; i++) {
            h ^= hash_buffer[i];
            h *= 0x100000001b3ull;
        }
    }
    return h;
}
