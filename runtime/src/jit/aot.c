/* aot.c: files of machine code. One format serves two uses:
 *   - a compiled module (.cwasm, `wasmrt compile`, wasmrt_module_write_compiled): the
 *     module's bytes with the machine code of all its functions, run by `wasmrt run`
 *     (wasmrt_module_load_compiled) without compiling anything;
 *   - the cache beside a module's validation entry (`<entry>.jit-<g|c><u|m>`): the
 *     machine code of every function earlier runs compiled (wasmrt_module_cache_code
 *     writes it when a run ends), adopted at the next load.
 * The file: a header, the module's bytes (a compiled module only), a table giving
 * each defined function's record (or none), then, from a page boundary, the records
 * of layout.h back to back. Compiled code holds no address, so the records run where
 * the file is mapped: read-only and executable, never copied or written.
 *
 * A file serves only the engine that could have written it: the same build (GNU build
 * ID, and the layout the code relies on), bounds mode and metering, and a CPU with
 * the features the code uses. Anything else, a damaged file (the checksum covers all
 * of it), or records out of range (each record, its entries and its fault table are
 * checked against the file and the module) is refused with a message saying which,
 * and nothing in it runs. The checksum guards against damage, not forgery: a cached
 * file is used only when it is owned by the user and writable by no one else, as the
 * translated-code cache is, and running a compiled module means trusting its author
 * as running a native program does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "engine.h"
#include "jit.h"
#include "jit/jitc.h"
#include "jit/tier.h"

struct aot_file {
    void *map;
    size_t size;
    aot_header h;
    char path[256]; /* for messages */
};

/* The engine's side of the contract with compiled code (layout.h, jitc.h): a file
 * whose code expects another layout is refused even with the same build ID. */
static uint64_t aot_layout(void)
{
    const uint64_t words[] = {
        AOT_VERSION,
        JH_COUNT,
        JIT_TABLE_OFFSET,
        sizeof(jit_record),
        JIT_RECORD_ALIGN,
        sizeof(exec_frame),
        offsetof(exec_thread, cstack_limit),
        offsetof(exec_thread, sp),
        offsetof(exec_thread, trap),
        offsetof(exec_thread, trap_func),
        offsetof(exec_thread, fuel),
        offsetof(exec_thread, deadline),
        offsetof(exec_thread, checks),
        offsetof(exec_thread, jit_unwind_sp),
        offsetof(wasmrt_instance, memory),
        offsetof(wasmrt_instance, funcs),
        offsetof(wasmrt_instance, tables),
        offsetof(wasmrt_instance, data_dropped),
        offsetof(wasmrt_instance, elem_dropped),
        offsetof(wasmrt_instance, jit_helpers),
        offsetof(wasmrt_instance, jit_types),
        offsetof(wasmrt_memory, base),
        offsetof(wasmrt_memory, size),
        offsetof(wasmrt_memory, pages),
        offsetof(wasmrt_table, size),
        offsetof(wasmrt_table, items),
        offsetof(wasmrt_func, type),
        offsetof(wasmrt_func, inst),
        offsetof(wasmrt_func, entry),
        offsetof(func_entry, index),
        offsetof(wasmrt_global, value),
        offsetof(wasmrt_global, value_hi),
        EXEC_V128_HI,
    };
    uint64_t h[2];
    cache_hash((const uint8_t *)words, sizeof words, h);
    return h[0];
}

static const char *aot_feature_names(uint32_t missing, char *buf, size_t cap)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {{JIT_CPU_POPCNT, "popcnt"}, {JIT_CPU_LZCNT, "lzcnt"}, {JIT_CPU_BMI1, "bmi1"},
                 {JIT_CPU_SSE41, "sse4.1"},  {JIT_CPU_SSSE3, "ssse3"}, {JIT_CPU_SSE42, "sse4.2"},
                 {JIT_CPU_AVX, "avx"}};
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (missing & names[i].bit)
            n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "",
                                  names[i].name);
    return buf;
}

/* ---- reading -------------------------------------------------------------------- */

/* The header's promises about the engine and the file's shape; `bounds`: whether the
 * module the code is for is translated with explicit bounds checks (wasmrt_module's
 * bounds_checked: a module of an explicit-bounds engine, or a checked twin). */
static wasmrt_status aot_check_header(const wasmrt_engine *e, const aot_header *h, size_t size,
                                      int carries_module, int bounds, const char *what,
                                      wasmrt_error *error)
{
    const wasmrt_config *cf = &e->config;
    int metered = cf->fuel || cf->deadline_ns;
    if (size < sizeof *h || memcmp(h->magic, AOT_MAGIC, 8) != 0)
        return error_set(error, WASMRT_ERR_MALFORMED, WASMRT_NO_OFFSET,
                         "%s: not a compiled module of wasmrt (magic %s expected)", what,
                         AOT_MAGIC);
    if (h->version != AOT_VERSION || h->header_size != sizeof *h)
        return error_set(error, WASMRT_ERR_UNSUPPORTED, WASMRT_NO_OFFSET,
                         "%s: compiled module format %u, this wasmrt reads format %u", what,
                         h->version, AOT_VERSION);
    if (!h->build || h->build != cache_build_id() || h->layout != aot_layout())
        return error_set(error, WASMRT_ERR_UNSUPPORTED, WASMRT_NO_OFFSET,
                         "%s: compiled by another build of wasmrt; its machine code serves only "
                         "that build (compile the module again with this one)",
                         what);
    if ((int)h->bounds != bounds)
        return error_set(error, WASMRT_ERR_UNSUPPORTED, WASMRT_NO_OFFSET,
                         "%s: compiled for %s, and this engine uses %s", what,
                         h->bounds ? "explicit bounds checks" : "guard pages",
                         bounds ? "explicit bounds checks" : "guard pages");
    if ((int)h->metered != metered)
        return error_set(error, WASMRT_ERR_UNSUPPORTED, WASMRT_NO_OFFSET,
                         "%s: compiled %s fuel and deadline checks, and this engine runs %s "
                         "them (--timeout needs a module compiled with --metered)",
                         what, h->metered ? "with" : "without", metered ? "with" : "without");
    uint32_t missing = h->cpu_features & ~(uint32_t)jit_cpu_features();
    if (missing) {
        char names[64];
        return error_set(error, WASMRT_ERR_UNSUPPORTED, WASMRT_NO_OFFSET,
                         "%s: compiled for CPU features this machine lacks (%s)", what,
                         aot_feature_names(missing, names, sizeof names));
    }
    uint64_t defined = h->func_count >= h->imported_funcs ? h->func_count - h->imported_funcs : 0;
    if (h->file_size != size || h->func_count < h->imported_funcs || h->code_offset % AOT_PAGE ||
        h->code_offset > size || h->code_size > size - h->code_offset || h->table_offset > size ||
        defined * 4 > size - h->table_offset || h->module_offset > size ||
        h->module_size > size - h->module_offset || (carries_module && h->module_size == 0))
        return error_set(error, WASMRT_ERR_MALFORMED, WASMRT_NO_OFFSET,
                         "%s: damaged (sections out of range)", what);
    return WASMRT_OK;
}

/* The header before the checksum field (the header's last) and all that follows the
 * header, every byte but the field's. */
uint64_t aot_checksum(const uint8_t *file, size_t size)
{
    uint64_t head = cache_sum(file, offsetof(aot_header, checksum));
    uint64_t rest = cache_sum(file + sizeof(aot_header), size - sizeof(aot_header));
    return (head ^ (rest * 0x9e3779b97f4a7c15ull)) + (rest >> 7);
}

/* Every record in range for the file and the module, its fault table sorted inside
 * its code, and the table naming exactly the records. */
static int aot_check_records(const wasmrt_module *m, const aot_header *h, const uint8_t *file)
{
    const uint8_t *code = file + h->code_offset;
    const uint32_t *table = (const uint32_t *)(file + h->table_offset);
    uint32_t defined = m->func_count - m->imported_funcs, named = 0;
    for (uint64_t at = 0; at < h->code_size;) {
        if (h->code_size - at < sizeof(jit_record)) return 0;
        jit_record r;
        memcpy(&r, code + at, sizeof r);
        if (r.size < 64 || r.size % JIT_RECORD_ALIGN || r.size > h->code_size - at) return 0;
        if (r.func < m->imported_funcs || r.func >= m->func_count ||
            table[r.func - m->imported_funcs] != at)
            return 0;
        if (r.body < sizeof r || r.entry < sizeof r || r.code_end > r.size || r.code_end % 4 ||
            r.body >= r.code_end || r.entry >= r.code_end || r.nfaults > (r.size - r.code_end) / 4)
            return 0;
        const uint8_t *faults = code + at + r.code_end;
        uint32_t prev = 0;
        for (uint32_t i = 0; i < r.nfaults; i++) {
            uint32_t f;
            memcpy(&f, faults + 4 * i, 4);
            if (f < sizeof r || f >= r.code_end || (i && f <= prev)) return 0;
            prev = f;
        }
        named++;
        at += r.size;
    }
    uint32_t listed = 0;
    for (uint32_t i = 0; i < defined; i++)
        if (table[i] != AOT_NONE) listed++;
    return listed == named;
}

/* Maps and checks a file (read-only); NULL with the error set when it cannot serve. */
static aot_file *aot_map(const wasmrt_engine *e, int fd, size_t size, int carries_module,
                         int bounds, const char *what, wasmrt_error *error)
{
    void *map =
        size >= sizeof(aot_header) ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    if (map == MAP_FAILED) {
        error_set(error, size < sizeof(aot_header) ? WASMRT_ERR_MALFORMED : WASMRT_ERR_IO,
                  WASMRT_NO_OFFSET, "%s: %s", what,
                  size < sizeof(aot_header) ? "too short for a compiled module" : "cannot map it");
        return NULL;
    }
    aot_file *f = calloc(1, sizeof *f);
    if (!f) {
        munmap(map, size);
        error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
        return NULL;
    }
    f->map = map;
    f->size = size;
    memcpy(&f->h, map, sizeof f->h);
    snprintf(f->path, sizeof f->path, "%s", what);
    wasmrt_status s = aot_check_header(e, &f->h, size, carries_module, bounds, what, error);
    if (s == WASMRT_OK && aot_checksum(map, size) != f->h.checksum)
        s = error_set(error, WASMRT_ERR_MALFORMED, WASMRT_NO_OFFSET,
                      "%s: damaged (checksum mismatch)", what);
    if (s != WASMRT_OK) {
        aot_close(f);
        return NULL;
    }
    return f;
}

void aot_close(aot_file *f)
{
    if (!f) return;
    if (f->map) munmap(f->map, f->size);
    free(f);
}

wasmrt_status aot_open(const wasmrt_engine *e, const char *path, aot_file **out,
                       const uint8_t **module, size_t *module_size, wasmrt_error *error)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int err = errno;
        if (fd >= 0) close(fd);
        return error_set(error, WASMRT_ERR_IO, WASMRT_NO_OFFSET, "%s: cannot open: %s", path,
                         strerror(err));
    }
    /* the module it carries loads as the engine's modules do: checked in an explicit one */
    int bounds = e->config.bounds == WASMRT_BOUNDS_EXPLICIT;
    aot_file *f =
        S_ISREG(st.st_mode) ? aot_map(e, fd, (size_t)st.st_size, 1, bounds, path, error) : NULL;
    close(fd);
    if (!S_ISREG(st.st_mode))
        return error_set(error, WASMRT_ERR_IO, WASMRT_NO_OFFSET, "%s: not a regular file", path);
    if (!f) return error ? error->status : WASMRT_ERR_MALFORMED;
    *out = f;
    *module = (const uint8_t *)f->map + f->h.module_offset;
    *module_size = f->h.module_size;
    return WASMRT_OK;
}

wasmrt_status aot_adopt(wasmrt_module *m, aot_file *f, wasmrt_error *error)
{
    const aot_header *h = &f->h;
    uint8_t *file = f->map;
    if ((int)h->bounds != m->bounds_checked) {
        wasmrt_status s = error_set(error, WASMRT_ERR_UNSUPPORTED, WASMRT_NO_OFFSET,
                                    "%s: compiled for %s, and the module uses %s", f->path,
                                    h->bounds ? "explicit bounds checks" : "guard pages",
                                    m->bounds_checked ? "explicit bounds checks" : "guard pages");
        aot_close(f);
        return s;
    }
    if (h->func_count != m->func_count || h->imported_funcs != m->imported_funcs ||
        h->global_count != m->global_count ||
        (m->engine->config.cache_dir && memcmp(h->module_hash, m->cache_key, 16) != 0) ||
        !aot_check_records(m, h, file)) {
        wasmrt_status s =
            error_set(error, WASMRT_ERR_MALFORMED, WASMRT_NO_OFFSET,
                      "%s: damaged (its function records do not fit the module)", f->path);
        aot_close(f);
        return s;
    }
    uint8_t *code = file + h->code_offset;
    if (h->code_size && mprotect(code, (h->code_size + AOT_PAGE - 1) & ~(uint64_t)(AOT_PAGE - 1),
                                 PROT_READ | PROT_EXEC) != 0) {
        wasmrt_status s =
            error_set(error, WASMRT_ERR_IO, WASMRT_NO_OFFSET,
                      "%s: cannot make its code executable: %s", f->path, strerror(errno));
        aot_close(f);
        return s;
    }
    if (!tier_arena_adopt_file(m, f->map, f->size, code, h->code_size)) {
        aot_close(f);
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    }
    jit_fn enter = tier_enter();
    for (uint64_t at = 0; at < h->code_size;) {
        const jit_record *r = (const jit_record *)(code + at);
        func_entry *fe = &m->funcs[r->func];
        atomic_store_explicit(&fe->internal, (void *)((uint8_t *)r + r->entry),
                              memory_order_relaxed);
        atomic_store_explicit(&fe->body, (void *)((uint8_t *)r + r->body), memory_order_relaxed);
        atomic_store_explicit(&fe->native, (void *)enter, memory_order_release);
        m->jit_adopted++;
        at += r->size;
    }
    free(f); /* the mapping is the module's now */
    return WASMRT_OK;
}

/* ---- writing ---------------------------------------------------------------------- */

typedef struct aot_records {
    const jit_record **list;
    uint32_t count, cap;
    int failed;
} aot_records;

static void aot_collect(void *ctx, const jit_record *rec)
{
    aot_records *r = ctx;
    if (r->count == r->cap) {
        uint32_t cap = r->cap ? r->cap * 2 : 64;
        const jit_record **grown = realloc(r->list, cap * sizeof *grown);
        if (!grown) {
            r->failed = 1;
            return;
        }
        r->list = grown;
        r->cap = cap;
    }
    r->list[r->count++] = rec;
}

/* The file of the module's machine code (with its bytes when `with_module`) in a
 * buffer; NULL when out of memory. */
static uint8_t *aot_build(const wasmrt_module *m, int with_module, const aot_records *r,
                          size_t *size_out)
{
    const wasmrt_config *cf = &m->engine->config;
    uint32_t defined = m->func_count - m->imported_funcs;
    uint64_t code_size = 0;
    for (uint32_t i = 0; i < r->count; i++)
        code_size += r->list[i]->size;
    aot_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, AOT_MAGIC, 8);
    h.version = AOT_VERSION;
    h.header_size = sizeof h;
    h.build = cache_build_id();
    h.layout = aot_layout();
    h.bounds = m->bounds_checked != 0;
    h.metered = cf->fuel || cf->deadline_ns;
    h.cpu_features = (uint32_t)jit_cpu_features();
    h.func_count = m->func_count;
    h.imported_funcs = m->imported_funcs;
    h.global_count = m->global_count;
    cache_hash(m->bytes, m->size, h.module_hash);
    h.module_offset = sizeof h;
    h.module_size = with_module ? m->size : 0;
    h.table_offset = (h.module_offset + h.module_size + 3) & ~(uint64_t)3;
    h.code_offset =
        (h.table_offset + 4 * (uint64_t)defined + AOT_PAGE - 1) & ~(uint64_t)(AOT_PAGE - 1);
    h.code_size = code_size;
    h.file_size = h.code_offset + code_size;
    uint8_t *buf = calloc(1, h.file_size);
    if (!buf) return NULL;
    if (with_module) memcpy(buf + h.module_offset, m->bytes, m->size);
    uint32_t *table = (uint32_t *)(buf + h.table_offset);
    for (uint32_t i = 0; i < defined; i++)
        table[i] = AOT_NONE;
    uint64_t at = 0;
    for (uint32_t i = 0; i < r->count; i++) {
        const jit_record *rec = r->list[i];
        memcpy(buf + h.code_offset + at, rec, rec->size);
        table[rec->func - m->imported_funcs] = (uint32_t)at;
        at += rec->size;
    }
    memcpy(buf, &h, sizeof h);
    h.checksum = aot_checksum(buf, h.file_size);
    memcpy(buf + offsetof(aot_header, checksum), &h.checksum, 8);
    *size_out = h.file_size;
    return buf;
}

wasmrt_status aot_write(wasmrt_module *m, const char *path, wasmrt_error *error)
{
    if (m->engine->config.mode != WASMRT_MODE_JIT)
        return error_set(error, WASMRT_ERR_ARGUMENT, WASMRT_NO_OFFSET,
                         "compiling a module needs an engine in WASMRT_MODE_JIT");
    if (!cache_build_id())
        return error_set(error, WASMRT_ERR_UNSUPPORTED, WASMRT_NO_OFFSET,
                         "this program has no GNU build ID to tie compiled code to");
    for (uint32_t i = m->imported_funcs; i < m->func_count; i++)
        if (!jit_compile(&m->funcs[i], error)) return error ? error->status : WASMRT_ERR_RESOURCE;
    aot_records r = {NULL, 0, 0, 0};
    tier_arena_each(m, aot_collect, &r);
    size_t size = 0;
    uint8_t *buf = r.failed ? NULL : aot_build(m, 1, &r, &size);
    free(r.list);
    if (!buf) return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET, "out of memory");
    wasmrt_status s = cache_write_file(NULL, path, buf, size);
    free(buf);
    if (s != WASMRT_OK)
        return error_set(error, s, WASMRT_NO_OFFSET, "%s: cannot write it: %s", path,
                         strerror(errno));
    /* readable like a program (cache_write_file makes it private) */
    chmod(path, 0644);
    return WASMRT_OK;
}

/* ---- the cache beside a module ---------------------------------------------------- */

void jit_cache_load(wasmrt_module *m)
{
    char path[4096];
    if (!cache_build_id() || !cache_module_path(m, "jit", path, sizeof path)) return;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return;
    struct stat st;
    aot_file *f = NULL;
    /* trusted code: only the user's own file, writable by no one else */
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022))
        f = aot_map(m->engine, fd, (size_t)st.st_size, 0, m->bounds_checked, path, NULL);
    close(fd);
    if (f) aot_adopt(m, f, NULL); /* refused: the functions compile as without it */
}

wasmrt_status jit_cache_store(wasmrt_module *m)
{
    char path[4096];
    if (!cache_build_id() || !cache_module_path(m, "jit", path, sizeof path))
        return WASMRT_OK; /* no cache configured, or this build cannot key one */
    aot_records r = {NULL, 0, 0, 0};
    tier_arena_each(m, aot_collect, &r);
    if (r.failed) {
        free(r.list);
        return WASMRT_ERR_RESOURCE;
    }
    if (r.count <= m->jit_adopted) {
        free(r.list);
        return WASMRT_OK; /* nothing compiled since the file was read */
    }
    size_t size = 0;
    uint8_t *buf = aot_build(m, 0, &r, &size);
    free(r.list);
    if (!buf) return WASMRT_ERR_RESOURCE;
    wasmrt_status s = cache_write_file(m->engine, path, buf, size);
    free(buf);
    return s;
}
