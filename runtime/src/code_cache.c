/* code_cache.c: the translated-code cache. Beside a module's validation entry
 * (cache.c) lies a file holding the interpreter code of every function earlier runs
 * translated, so a cold start maps it instead of translating again: for a small WASI
 * command, translation is a third of `wasmrt run`'s own time.
 *
 * Code words are handler addresses, frame slots, inline constants and relative
 * branches, plus the host pointers compile.c records as relocations (a call's
 * func_entry, call_indirect's type); the file holds those as indices, and loading
 * turns them back into pointers in a private, writable mapping of the file, so an
 * entry costs no copy. Handler addresses are only meaningful to the binary that
 * wrote them: the file is keyed on a fingerprint of this build (its GNU build ID and
 * every handler address) and on the translation options (bounds mode, metering).
 *
 * Unlike the validation cache, this one is trusted: its code runs without being
 * type-checked again, as a JIT's code cache would. A file is used only when it is a
 * regular file owned by this user and writable by no one else, its checksum matches,
 * and every entry and relocation is in range for the module; anything else is
 * ignored and the functions are translated from the module's bytes. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "interp.h"
#include "module.h"
#include "ops.h"

#define CODE_CACHE_MAGIC "wasmrtC1"

static uint64_t code_cache_print;

static void code_cache_fingerprint_init(void)
{
    uint64_t build = cache_build_id();
    if (!build)
        return; /* no build ID: nothing ties a file to this binary, so no cache */
    uint64_t words[OP_COUNT + 2];
    for (int i = 0; i < OP_COUNT; i++)
        words[i] = (uint64_t)(uintptr_t)interp_labels[i];
    words[OP_COUNT] = build;
    words[OP_COUNT + 1] = sizeof(code);
    uint64_t h[2];
    cache_hash((const uint8_t *)words, sizeof words, h);
    code_cache_print = h[0] | 1; /* never 0, which means "none" */
}

static uint64_t code_cache_fingerprint(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, code_cache_fingerprint_init);
    return code_cache_print;
}

static size_t code_cache_entry_size(uint32_t words, uint32_t relocs)
{
    size_t n = sizeof(code) + (size_t)words * 8 + (size_t)relocs * 4;
    return (n + 7) & ~(size_t)7;
}

/* Checks one entry against the module and turns its indices into pointers. */
static int code_cache_adopt(wasmrt_module *m, code *cd, size_t room)
{
    if (room < sizeof *cd || cd->word_count > room / 8 || cd->reloc_count > room / 4 ||
        code_cache_entry_size(cd->word_count, cd->reloc_count) > room)
        return 0;
    if (cd->func_index < m->imported_funcs || cd->func_index >= m->func_count)
        return 0;
    func_entry *fn = &m->funcs[cd->func_index];
    if (atomic_load_explicit(&fn->compiled, memory_order_relaxed) ||
        cd->param_slots != fn->type->param_count || cd->local_slots != fn->local_count ||
        cd->frame_slots < cd->param_slots + cd->local_slots || cd->word_count == 0)
        return 0;
    const uint32_t *relocs = code_relocs(cd);
    for (uint32_t i = 0; i < cd->reloc_count; i++) {
        uint32_t pos = relocs[i] >> 1;
        if (pos == 0 || pos >= cd->word_count)
            return 0;
        uint64_t index = cd->words[pos];
        if ((relocs[i] & 1) == CODE_RELOC_FUNC) {
            if (pos + 2 >= cd->word_count || index < m->imported_funcs || index >= m->func_count)
                return 0;
            cd->words[pos] = (uint64_t)(uintptr_t)&m->funcs[index];
            cd->words[pos + 2] = 0;
        } else {
            if (index >= m->type_count)
                return 0;
            cd->words[pos] = (uint64_t)(uintptr_t)m->types[index];
        }
    }
    atomic_store_explicit(&fn->compiled, cd, memory_order_release);
    return 1;
}

void code_cache_load(wasmrt_module *m)
{
    char path[4096];
    uint64_t print = code_cache_fingerprint();
    if (!print || !cache_module_path(m, "code", path, sizeof path))
        return;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return;
    struct stat st;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
        !(st.st_mode & 022) && (size_t)st.st_size >= sizeof(code_cache_header))
        map = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE,
                   fd, 0); /* populating a private mapping copies it in one go: the
                              relocations and call sites write to most pages anyway */
    close(fd);
    if (map == MAP_FAILED)
        return;
    size_t size = (size_t)st.st_size;
    const code_cache_header *h = map;
    uint8_t *payload = (uint8_t *)map + sizeof *h;
    if (memcmp(h->magic, CODE_CACHE_MAGIC, 8) != 0 || h->fingerprint != print ||
        h->module_size != m->size || h->func_count != m->func_count ||
        h->payload_size != size - sizeof *h) {
        munmap(map, size);
        return;
    }
    if (cache_sum(payload, h->payload_size) != h->checksum) {
        munmap(map, size);
        return;
    }
    /* A bad entry stops the walk; the ones adopted before it are sound on their own
       and stay (the mapping lives as long as the module). */
    size_t at = 0;
    uint32_t adopted = 0;
    for (uint32_t i = 0; i < h->entry_count; i++) {
        code *cd = (code *)(payload + at);
        if (!code_cache_adopt(m, cd, h->payload_size - at))
            break;
        at += code_cache_entry_size(cd->word_count, cd->reloc_count);
        adopted++;
    }
    if (!adopted) {
        munmap(map, size);
        return;
    }
    m->code_map = map;
    m->code_map_size = size;
    m->code_map_count = adopted;
}

int code_cache_owns(const wasmrt_module *m, const code *cd)
{
    const uint8_t *p = (const uint8_t *)cd, *base = m->code_map;
    return base && p >= base && p < base + m->code_map_size;
}

void code_cache_unmap(wasmrt_module *m)
{
    if (m->code_map)
        munmap(m->code_map, m->code_map_size);
    m->code_map = NULL;
}

/* One function's entry, pointers back to indices; 0 if a pointer is not the module's. */
static int code_cache_put(const wasmrt_module *m, const code *cd, uint8_t *out)
{
    size_t n = code_cache_entry_size(cd->word_count, cd->reloc_count);
    memset(out + sizeof *cd + (size_t)cd->word_count * 8, 0,
           n - sizeof *cd - (size_t)cd->word_count * 8);
    memcpy(out, cd, sizeof *cd + (size_t)cd->word_count * 8 + (size_t)cd->reloc_count * 4);
    code *copy = (code *)out;
    const uint32_t *relocs = code_relocs(copy);
    for (uint32_t i = 0; i < copy->reloc_count; i++) {
        uint32_t pos = relocs[i] >> 1;
        uintptr_t ptr = (uintptr_t)copy->words[pos];
        if ((relocs[i] & 1) == CODE_RELOC_FUNC) {
            const func_entry *fe = (const func_entry *)ptr;
            if (fe < m->funcs || fe >= m->funcs + m->func_count)
                return 0;
            copy->words[pos] = (uint64_t)(fe - m->funcs);
            copy->words[pos + 2] = 0; /* the callee's code, cached while running */
        } else {
            uint32_t t = 0;
            while (t < m->type_count && (uintptr_t)m->types[t] != ptr)
                t++;
            if (t == m->type_count)
                return 0;
            copy->words[pos] = t;
        }
    }
    return 1;
}

wasmrt_status code_cache_store(wasmrt_module *m)
{
    char path[4096];
    uint64_t print = code_cache_fingerprint();
    if (!print || !cache_module_path(m, "code", path, sizeof path))
        return WASMRT_OK; /* no cache configured, or this build cannot key one */
    uint32_t count = 0;
    size_t payload = 0;
    for (uint32_t i = m->imported_funcs; i < m->func_count; i++) {
        const code *cd = atomic_load_explicit(&m->funcs[i].compiled, memory_order_acquire);
        if (cd) {
            count++;
            payload += code_cache_entry_size(cd->word_count, cd->reloc_count);
        }
    }
    if (count == m->code_map_count)
        return WASMRT_OK; /* nothing translated since the file was read */
    uint8_t *buf = malloc(sizeof(code_cache_header) + payload);
    if (!buf)
        return WASMRT_ERR_RESOURCE;
    code_cache_header *h = (code_cache_header *)buf;
    memset(h, 0, sizeof *h);
    memcpy(h->magic, CODE_CACHE_MAGIC, 8);
    h->fingerprint = print;
    h->module_size = m->size;
    h->func_count = m->func_count;
    h->payload_size = payload;
    size_t at = sizeof *h;
    for (uint32_t i = m->imported_funcs; i < m->func_count; i++) {
        const code *cd = atomic_load_explicit(&m->funcs[i].compiled, memory_order_acquire);
        if (!cd)
            continue;
        if (!code_cache_put(m, cd, buf + at)) {
            free(buf);
            return WASMRT_ERR_INVALID;
        }
        at += code_cache_entry_size(cd->word_count, cd->reloc_count);
        h->entry_count++;
    }
    h->checksum = cache_sum(buf + sizeof *h, payload);

    wasmrt_status s = cache_write_file(m->engine, path, buf, sizeof *h + payload);
    free(buf);
    return s;
}
