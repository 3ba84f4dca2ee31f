/* cache.h: the on-disk caches beside a module: the validation entry (cache.c: these
 * bytes validated before), the translated-code file (code_cache.c) and the machine-
 * code file (src/jit/aot.c), and what they share (hashes, the build ID, writing). */
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
/* The path of a module's file of code of one kind ("code": translated, "jit":
 * machine code), for its bounds mode and metering: the name ends .KIND-{c|g}{m|u}. */
int cache_module_path(const wasmrt_module *m, const char *kind, char *path, size_t cap);
/* A hash of this program's GNU build ID (0 when it has none): what ties a file of
 * code to the binary that wrote it. */
uint64_t cache_build_id(void);
/* A checksum against torn or damaged files (not against forgery). */
uint64_t cache_sum(const uint8_t *p, size_t n);
/* Writes the file whole through a private temporary renamed over it (0600; the
 * engine's cache directory is made when missing; engine may be NULL). */
int cache_write_file(const wasmrt_engine *engine, const char *path, const void *buf, size_t n);

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
    uint64_t checksum;     /* cache_sum of the payload */
} code_cache_header;
void code_cache_load(wasmrt_module *module);
/* wasmrt_module_cache_code for the interpreter */
wasmrt_status code_cache_store(wasmrt_module *module);
int code_cache_owns(const wasmrt_module *module, const code *cd);
void code_cache_unmap(wasmrt_module *module);

#endif
