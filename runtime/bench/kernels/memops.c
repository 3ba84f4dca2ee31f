/* memops: n rounds of memset and memcpy over 1 MiB buffers at shifting offsets and
 * lengths, checksummed by sampling. Measures the memory-block operations: libc's
 * memcpy/memset natively, wasi-libc's in plain wasm32, memory.copy/fill when built
 * with -mbulk-memory. */
#include <stdint.h>
#include <string.h>

#define MEMOPS_BYTES (1u << 20)

static uint8_t memops_a[MEMOPS_BYTES + 4096];
static uint8_t memops_b[MEMOPS_BYTES + 4096];

uint64_t run(uint32_t n);
uint64_t run(uint32_t n)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < MEMOPS_BYTES; i++)
        memops_b[i] = (uint8_t)(i * 131u + 7u);
    for (uint32_t round = 0; round < n; round++) {
        uint32_t off = (round * 97u) % 4096u;
        uint32_t len = MEMOPS_BYTES - (round * 4099u) % 65536u;
        memset(memops_a + off, (int)(round & 0xff), len);
        memcpy(memops_a + (4096u - off), memops_b + off, len - 4096u);
        memcpy(memops_b + off, memops_a + off / 2u, len / 2u);
        sum = sum * 33u + memops_a[(round * 7919u) % MEMOPS_BYTES] +
              memops_b[(round * 104729u) % MEMOPS_BYTES];
    }
    return sum;
}
