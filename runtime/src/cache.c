/* cache.c: the validation cache (wasmrt_config.cache_dir). After a module's bodies
 * pass validation, load records an empty file named by a 128-bit hash of its bytes;
 * a later load of the same bytes finds it and skips type-checking the bodies, which
 * is most of a load. Safety does not rest on the cache: translation type-checks each
 * function again at its first call (compile.c runs one pass for both), so a forged
 * or colliding entry can only move an invalid module's rejection from load to the
 * call of the invalid function, never run unchecked code. The hash need not be
 * cryptographic for that reason, only well spread. */
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "module.h"

#define CACHE_VERSION "v1" /* bump when what "validated" means changes */

static uint64_t cache_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/* Two independent 64-bit lanes over 8-byte words, each word folded with an odd
 * multiplier and a rotation, finished with the length and a full avalanche. */
void cache_hash(const uint8_t *p, size_t n, uint64_t out[2])
{
    uint64_t a = 0x9e3779b97f4a7c15ull ^ n, b = 0xd6e8feb86659fd93ull ^ (n << 1);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        a = ((a ^ w) * 0x87c37b91114253d5ull);
        a = (a << 31) | (a >> 33);
        b = ((b + w) * 0x4cf5ad432745937full);
        b = (b << 27) | (b >> 37);
    }
    uint64_t tail = 0;
    memcpy(&tail, p + i, n - i);
    a = cache_mix(a ^ tail ^ 0x1b873593u);
    b = cache_mix(b + tail + a);
    out[0] = a;
    out[1] = cache_mix(b ^ (a >> 1));
}

int cache_path(const wasmrt_engine *e, const uint64_t h[2], size_t size, const char *suffix,
               char *path, size_t cap)
{
    const char *dir = e->config.cache_dir;
    if (!dir || !*dir)
        return 0;
    int n = snprintf(path, cap, "%s/%s-%016llx%016llx-%zu%s", dir, CACHE_VERSION,
                     (unsigned long long)h[0], (unsigned long long)h[1], size, suffix);
    return n > 0 && (size_t)n < cap;
}

int cache_module_path(const wasmrt_module *m, const char *kind, char *path, size_t cap)
{
    const wasmrt_config *cf = &m->engine->config;
    char suffix[16];
    snprintf(suffix, sizeof suffix, ".%s-%c%c", kind, m->bounds_checked ? 'c' : 'g',
             cf->fuel || cf->deadline_ns ? 'm' : 'u');
    return cache_path(m->engine, m->cache_key, m->size, suffix, path, cap);
}

int cache_make_dir(const wasmrt_engine *e)
{
    /* the directory and its missing parents (~/.cache may not exist) */
    char dir[4096];
    int n = snprintf(dir, sizeof dir, "%s", e->config.cache_dir);
    if (n <= 0 || (size_t)n >= sizeof dir)
        return -1;
    for (char *s = dir + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(dir, 0755);
            *s = '/';
        }
    return mkdir(dir, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

int cache_validated(const wasmrt_engine *e, const uint64_t key[2], size_t size)
{
    char path[4096];
    return cache_path(e, key, size, "", path, sizeof path) && access(path, F_OK) == 0;
}

void cache_record_validated(const wasmrt_engine *e, const uint64_t key[2], size_t size)
{
    char path[4096];
    if (!cache_path(e, key, size, "", path, sizeof path))
        return;
    /* best effort: a cache that cannot be written only costs the next load time */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT && cache_make_dir(e) == 0)
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);
}

/* The build ID note of the program (PT_NOTE, "GNU", type 3), hashed in. */
static int cache_phdr(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    uint64_t *h = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
        const uint8_t *end = p + ph->p_memsz;
        while (p + 12 <= end) {
            uint32_t namesz, descsz, type;
            memcpy(&namesz, p, 4);
            memcpy(&descsz, p + 4, 4);
            memcpy(&type, p + 8, 4);
            const uint8_t *name = p + 12;
            const uint8_t *desc = name + ((namesz + 3u) & ~3u);
            if (desc + descsz > end)
                break;
            if (type == NT_GNU_BUILD_ID && namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
                descsz > 0) {
                uint64_t two[2];
                cache_hash(desc, descsz, two);
                h[0] = two[0];
                return 1;
            }
            p = desc + ((descsz + 3u) & ~3u);
        }
    }
    return 1; /* the first object is the program: stop there */
}

static uint64_t cache_build;
static pthread_once_t cache_build_once = PTHREAD_ONCE_INIT;

static void cache_build_read(void)
{
    dl_iterate_phdr(cache_phdr, &cache_build);
}

uint64_t cache_build_id(void)
{
    pthread_once(&cache_build_once, cache_build_read);
    return cache_build;
}

/* A checksum against torn or damaged files (not against forgery: see the top): a
 * running sum and a sum of running sums (Fletcher's scheme, which also catches
 * swapped words) in four independent lanes, so it costs about an add per word; the
 * payload is whole words. */
uint64_t cache_sum(const uint8_t *p, size_t n)
{
    uint64_t a[4] = {1, 2, 3, 4}, b[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (int k = 0; k < 4; k++) {
            uint64_t w;
            memcpy(&w, p + i + 8 * k, 8);
            a[k] += w;
            b[k] += a[k];
        }
    uint64_t h = n * 0x9e3779b97f4a7c15ull;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
    }
    for (int k = 0; k < 4; k++) {
        h = (h ^ a[k]) * 0xc4ceb9fe1a85ec53ull;
        h = (h ^ b[k]) * 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 29;
    }
    return h;
}

int cache_write_file(const wasmrt_engine *e, const char *path, const void *buf, size_t n)
{
    /* a private temporary renamed over the old file: readers see one or the other */
    char tmp[4096 + 16];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && e && cache_make_dir(e) == 0)
        fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return WASMRT_ERR_IO;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, (const uint8_t *)buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    if (close(fd) == 0 && done == n && rename(tmp, path) == 0)
        return WASMRT_OK;
    unlink(tmp);
    return WASMRT_ERR_IO;
}
