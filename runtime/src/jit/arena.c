/* arena.c: where compiled code lives. Each module's code goes into chunks of a memfd
 * mapped twice, written at one address and run at the other (never both at one
 * address); a forked child starts chunks of its own instead of writing into the
 * parent's, which it shares. Chunks (and mapped code files, aot.c) are registered in
 * one list so that a fault's code address can be traced to its function: the records
 * (layout.h) lie one after another from a chunk's start, each with the code offsets
 * of its memory accesses. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jit.h"
#include "jit/layout.h"
#include "jit/tier.h"

#define TIER_CHUNK_BYTES ((size_t)256 << 10)

typedef struct tier_chunk {
    struct tier_chunk *next;
    uint8_t *rw, *rx;
    size_t size;
    _Atomic size_t used; /* records written, published for the fault lookup */
    pid_t owner;
    int mapped_file; /* a code file's mapping (aot.c): read-only, not ours to write */
    void *map;       /* the whole file's mapping, unmapped with the module */
    size_t map_size;
} tier_chunk;

struct tier_arena {
    tier_chunk *chunks;
};

/* every chunk of every module, for jit_fault_func */
static pthread_mutex_t tier_chunks_lock = PTHREAD_MUTEX_INITIALIZER;
static tier_chunk **tier_all;
static size_t tier_nall, tier_all_cap;

static int tier_register(tier_chunk *c)
{
    pthread_mutex_lock(&tier_chunks_lock);
    int ok = 1;
    if (tier_nall == tier_all_cap) {
        size_t cap = tier_all_cap ? tier_all_cap * 2 : 16;
        tier_chunk **grown = realloc(tier_all, cap * sizeof *grown);
        if (grown) {
            tier_all = grown;
            tier_all_cap = cap;
        } else {
            ok = 0;
        }
    }
    if (ok) tier_all[tier_nall++] = c;
    pthread_mutex_unlock(&tier_chunks_lock);
    return ok;
}

static void tier_unregister(tier_chunk *c)
{
    pthread_mutex_lock(&tier_chunks_lock);
    for (size_t i = 0; i < tier_nall; i++)
        if (tier_all[i] == c) {
            tier_all[i] = tier_all[--tier_nall];
            break;
        }
    pthread_mutex_unlock(&tier_chunks_lock);
}

static tier_chunk *tier_chunk_new(size_t need)
{
    size_t size = need > TIER_CHUNK_BYTES ? (need + 4095) & ~(size_t)4095 : TIER_CHUNK_BYTES;
    tier_chunk *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    int fd = memfd_create("wasmrt-code", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
        if (fd >= 0) close(fd);
        free(c);
        return NULL;
    }
    c->rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    c->rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    close(fd);
    if (c->rw == MAP_FAILED || c->rx == MAP_FAILED || !tier_register(c)) {
        if (c->rw != MAP_FAILED) munmap(c->rw, size);
        if (c->rx != MAP_FAILED) munmap(c->rx, size);
        free(c);
        return NULL;
    }
    c->size = size;
    c->owner = getpid();
    return c;
}

void *tier_arena_put(wasmrt_module *m, const uint8_t *bytes, size_t n)
{
    if (!m->jit && !(m->jit = calloc(1, sizeof *m->jit))) return NULL;
    tier_chunk *c = m->jit->chunks;
    if (!c || c->mapped_file || c->owner != getpid() || c->size - c->used < n) {
        if (!(c = tier_chunk_new(n))) return NULL;
        c->next = m->jit->chunks;
        m->jit->chunks = c;
    }
    size_t at = c->used;
    memcpy(c->rw + at, bytes, n);
    atomic_store_explicit(&c->used, at + n, memory_order_release);
    return c->rx + at;
}

int tier_arena_adopt_file(wasmrt_module *m, void *map, size_t map_size, uint8_t *code, size_t size)
{
    if (!m->jit && !(m->jit = calloc(1, sizeof *m->jit))) return 0;
    tier_chunk *c = calloc(1, sizeof *c);
    if (!c) return 0;
    c->rx = code;
    c->size = size;
    c->used = size;
    c->owner = getpid();
    c->mapped_file = 1;
    c->map = map;
    c->map_size = map_size;
    if (!tier_register(c)) {
        free(c);
        return 0;
    }
    c->next = m->jit->chunks;
    m->jit->chunks = c;
    return 1;
}

void tier_arena_free(wasmrt_module *m)
{
    if (!m->jit) return;
    for (tier_chunk *c = m->jit->chunks, *next; c; c = next) {
        next = c->next;
        tier_unregister(c);
        if (!c->mapped_file) {
            munmap(c->rw, c->size);
            munmap(c->rx, c->size);
        } else {
            munmap(c->map, c->map_size);
        }
        free(c);
    }
    free(m->jit);
    m->jit = NULL;
}

void tier_arena_each(const wasmrt_module *m, void (*fn)(void *ctx, const jit_record *rec),
                     void *ctx)
{
    if (!m->jit) return;
    for (const tier_chunk *c = m->jit->chunks; c; c = c->next) {
        size_t used = atomic_load_explicit(&c->used, memory_order_acquire);
        for (size_t at = 0; at + sizeof(jit_record) <= used;) {
            const jit_record *rec = (const jit_record *)(c->rx + at);
            if (rec->size == 0 || at + rec->size > used) break;
            fn(ctx, rec);
            at += rec->size;
        }
    }
}

int jit_fault_func(const void *pc, uint32_t *func)
{
    const uint8_t *p = pc;
    int found = -1;
    pthread_mutex_lock(&tier_chunks_lock);
    for (size_t i = 0; i < tier_nall && found < 0; i++) {
        const tier_chunk *c = tier_all[i];
        size_t used = atomic_load_explicit(&c->used, memory_order_acquire);
        if (p < c->rx || p >= c->rx + used) continue;
        found = 0;
        for (size_t at = 0; at + sizeof(jit_record) <= used;) {
            const jit_record *rec = (const jit_record *)(c->rx + at);
            if (rec->size == 0 || at + rec->size > used) break;
            if (p < c->rx + at + rec->size) {
                *func = rec->func;
                uint32_t off = (uint32_t)(p - (c->rx + at));
                const uint32_t *faults = (const uint32_t *)((const uint8_t *)rec + rec->code_end);
                uint32_t lo = 0, hi = rec->nfaults;
                while (lo < hi) {
                    uint32_t mid = (lo + hi) / 2;
                    if (faults[mid] < off)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                if (lo < rec->nfaults && faults[lo] == off) found = 1;
                break;
            }
            at += rec->size;
        }
    }
    pthread_mutex_unlock(&tier_chunks_lock);
    return found;
}
