/* cache.h: the on-disk caches beside a module: the validation entry (cache.c: these
 * bytes validated before) and the translated-code file (code_cache.c). */
#ifndef WASMRT_CACHE_H
#define WASMRT_CACHE_H

#include "code.h"

/* cache.c: whether these bytes validated before; recording that they did */
/* key: cache_hash of the module's bytes (wasmrt_module.cache_key) */
int cache_validated(const wasmrt_engine *engine, const uint64_t key[2], size_t size);
void cache_record_validated(const wasmrt_engine *engine, const uint64_t key[2], size_t size);
/* the 128-bit hash naming entries; an entry's path (suffix appended); mkdir -p */
void cache_hash(const uint8_t *p, size_t n, uint64_t out[2]);
int cache_path(const wasmrt_engine *engine, const uint64_t key[2], size_t size, const char *suffix,
               char *path, size_t cap);
int cache_make_dir(const wasmrt_engine *engine);

/* code_cache.c: translated code saved by earlier runs (wasmrt_module_cache_code).
 * The file: this header, then entry_count `code` images (words, relocations, padded
 * to 8 bytes) with relocated words holding indices. */
typedef struct code_cache_header {
    char magic[8];
    uint64_t fingerprint; /* this build: handler addresses and GNU build ID */
    uint64_t module_size;
    uint32_t func_count; /* the module's function space, a consistency check */
    uint32_t entry_count;
    uint64_t payload_size; /* bytes after the header */
    uint64_t checksum;     /* code_cache_sum of the payload */
} code_cache_header;
uint64_t code_cache_sum(const uint8_t *p, size_t n);
void code_cache_load(wasmrt_module *module);
int code_cache_owns(const wasmrt_module *module, const code *cd);
void code_cache_unmap(wasmrt_module *module);

#endif
