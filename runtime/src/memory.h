/* memory.h: linear memories (memory.c): a guard-page reservation or an explicitly
 * checked one, growth, release to the process's pool, and the copy-on-write image
 * of a module's initial memory. */
#ifndef WASMRT_MEMORY_H
#define WASMRT_MEMORY_H

#include "module.h"

wasmrt_status memory_init(wasmrt_memory *mem, uint32_t pages, uint32_t max_pages, int has_max,
                          int guard, wasmrt_error *error);
/* Returns the old page count or -1. */
int64_t memory_grow(wasmrt_memory *mem, uint32_t delta);
void memory_release(wasmrt_memory *mem);
/* Live memories of the process holding a guard reservation. */
uint32_t memory_guard_reservations(void);
/* Maps the module's initial-memory image copy-on-write; 0 if unusable. */
int memory_map_image(wasmrt_memory *mem, int fd, size_t size);
int memory_build_image(const uint8_t *data, size_t size);

#endif
