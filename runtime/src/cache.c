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
