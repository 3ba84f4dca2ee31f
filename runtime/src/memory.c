/* memory.c: linear memory. Guard mode reserves 8 GiB of PROT_NONE address space so
 * any u32 address plus u32 offset lands inside it (the accessible prefix is
 * mprotect'ed read-write, growing is another mprotect, and a fault beyond is a trap,
 * see trap.c). Explicit mode maps only what is accessible and grows with mremap;
 * the interpreter then checks every access. Initial-memory images are memfds mapped
 * copy-on-write, so instances share untouched data pages.
 *
 * Which mode a memory gets is the instance's choice (instance.c); the count of live
 * guard memories kept here is what WASMRT_BOUNDS_DEFAULT weighs against its limit.
 * An explicit memory is one anonymous mapping of its size: the kernel merges neighbours
 * into one VMA, so tens of thousands of them stay far below vm.max_map_count, where
 * each guard memory takes two (three with a data image).
 *
 * Released small guard memories go to a process-wide pool of a few reservations,
 * zeroed with memset and kept mapped: the next instance then pays neither the
 * mmap/mprotect/munmap nor the page faults on pages its predecessor touched, which
 * is most of a short instance's cost. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine.h"
#include "memory.h"
#include "module.h"

#define MEMORY_GUARD_TOTAL (MEMORY_GUARD_RESERVATION + WASM_PAGE)
/* Pool limits: zeroing a larger memory costs more than fresh pages would; a few
 * reservations cover instances run one after another or a handful at a time. */
#define MEMORY_POOL_MAX_BYTES (512u * 1024)
#define MEMORY_POOL_SLOTS 4

static struct {
    pthread_mutex_t lock;
    uint32_t count;
    struct {
        uint8_t *base;
        uint64_t size; /* accessible (read-write) prefix, all zero */
    } slots[MEMORY_POOL_SLOTS];
} memory_pool = {PTHREAD_MUTEX_INITIALIZER, 0, {{NULL, 0}}};

/* Live memories holding a guard reservation (the pool's few are not counted): what
 * WASMRT_BOUNDS_DEFAULT weighs against its limit, since the address space they fill is
 * the process's. */
static _Atomic uint32_t memory_guard_count;

uint32_t memory_guard_reservations(void)
{
    return atomic_load_explicit(&memory_guard_count, memory_order_relaxed);
}

/* A pooled reservation with `size` bytes accessible, or NULL. */
static uint8_t *memory_pool_take(uint64_t size)
{
    pthread_mutex_lock(&memory_pool.lock);
    uint8_t *base = NULL;
    uint64_t had = 0;
    if (memory_pool.count) {
        memory_pool.count--;
        base = memory_pool.slots[memory_pool.count].base;
        had = memory_pool.slots[memory_pool.count].size;
    }
    pthread_mutex_unlock(&memory_pool.lock);
    if (!base || had == size)
        return base;
    /* pages past the new size were zeroed too; growing later finds them zero */
    int ok = had < size ? mprotect(base + had, size - had, PROT_READ | PROT_WRITE) == 0
                        : mprotect(base + size, had - size, PROT_NONE) == 0;
    if (!ok) {
        munmap(base, MEMORY_GUARD_TOTAL);
        return NULL;
    }
    return base;
}

/* Zeroes [base, base + size) without touching pages the guest never touched (a
 * memset would fault them all in, at a cost a one-instance run pays on its way
 * out): resident pages are cleared with memset, each run of the others is dropped
 * with MADV_DONTNEED, which also discards pages the kernel swapped out (mincore
 * counts those as not resident, yet they hold the old instance's data). */
static int memory_zero(uint8_t *base, uint64_t size)
{
    unsigned char resident[MEMORY_POOL_MAX_BYTES / 4096];
    long os_page = sysconf(_SC_PAGESIZE);
    if (os_page != 4096 || mincore(base, size, resident) != 0)
        return 0;
    uint64_t pages = size / 4096;
    for (uint64_t i = 0; i < pages;) {
        uint64_t j = i;
        int in = resident[i] & 1;
        while (j < pages && (resident[j] & 1) == in)
            j++;
        if (in)
            memset(base + i * 4096, 0, (j - i) * 4096);
        else if (madvise(base + i * 4096, (j - i) * 4096, MADV_DONTNEED) != 0)
            return 0;
        i = j;
    }
    return 1;
}

/* Keeps a released guard memory for reuse; 0 when it is not taken (caller unmaps). */
static int memory_pool_give(wasmrt_memory *mem)
{
    if (!mem->guard || mem->reserved != MEMORY_GUARD_TOTAL || mem->size > MEMORY_POOL_MAX_BYTES)
        return 0;
    pthread_mutex_lock(&memory_pool.lock);
    int room = memory_pool.count < MEMORY_POOL_SLOTS;
    pthread_mutex_unlock(&memory_pool.lock);
    if (!room)
        return 0;
    if (!memory_zero(mem->base, mem->size))
        return 0;
    pthread_mutex_lock(&memory_pool.lock);
    int taken = memory_pool.count < MEMORY_POOL_SLOTS;
    if (taken) {
        memory_pool.slots[memory_pool.count].base = mem->base;
        memory_pool.slots[memory_pool.count].size = mem->size;
        memory_pool.count++;
    }
    pthread_mutex_unlock(&memory_pool.lock);
    return taken;
}

wasmrt_status memory_init(wasmrt_memory *mem, uint32_t pages, uint32_t max_pages, int has_max,
                          int guard, wasmrt_error *error)
{
    memset(mem, 0, sizeof *mem);
    mem->pages = pages;
    mem->max_pages = max_pages;
    mem->has_max = has_max;
    mem->guard = guard;
    mem->size = (uint64_t)pages * WASM_PAGE;
    if (guard) {
        mem->reserved = MEMORY_GUARD_TOTAL;
        if (mem->size <= MEMORY_POOL_MAX_BYTES && (mem->base = memory_pool_take(mem->size))) {
            mem->recycled = 1;
            atomic_fetch_add_explicit(&memory_guard_count, 1, memory_order_relaxed);
            return WASMRT_OK;
        }
        void *p = mmap(NULL, mem->reserved, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                             "reserving 8 GiB of address space for a memory failed: %s",
                             strerror(errno));
        mem->base = p;
        if (mem->size && mprotect(p, mem->size, PROT_READ | PROT_WRITE) != 0) {
            int e = errno;
            munmap(p, mem->reserved);
            mem->base = NULL;
            return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                             "committing %u pages of memory failed: %s", pages, strerror(e));
        }
        atomic_fetch_add_explicit(&memory_guard_count, 1, memory_order_relaxed);
        return WASMRT_OK;
    }
    /* explicit mode: at least one OS page so the base is never NULL */
    mem->reserved = mem->size ? mem->size : 4096;
    void *p = mmap(NULL, mem->reserved, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return error_set(error, WASMRT_ERR_RESOURCE, WASMRT_NO_OFFSET,
                         "allocating %u pages of memory failed: %s", pages, strerror(errno));
    mem->base = p;
    return WASMRT_OK;
}

int64_t memory_grow(wasmrt_memory *mem, uint32_t delta)
{
    uint32_t old = mem->pages;
    if (!mem->base && !mem->reserved)
        return -1; /* no memory at all */
    if ((uint64_t)old + delta > mem->max_pages)
        return -1;
    if (delta == 0)
        return old;
    uint64_t new_size = (uint64_t)(old + delta) * WASM_PAGE;
    if (mem->guard) {
        if (mprotect(mem->base + mem->size, new_size - mem->size, PROT_READ | PROT_WRITE) != 0)
            return -1;
    } else if (new_size > mem->reserved) {
        void *p = mremap(mem->base, mem->reserved, new_size, MREMAP_MAYMOVE);
        if (p == MAP_FAILED)
            return -1;
        mem->base = p;
        mem->reserved = new_size;
    }
    mem->size = new_size;
    mem->pages = old + delta;
    return old;
}

void memory_release(wasmrt_memory *mem)
{
    if (mem->base && mem->guard)
        atomic_fetch_sub_explicit(&memory_guard_count, 1, memory_order_relaxed);
    if (mem->base && !memory_pool_give(mem))
        munmap(mem->base, mem->reserved);
    mem->base = NULL;
    mem->reserved = 0;
}

int memory_build_image(const uint8_t *data, size_t size)
{
    int fd = memfd_create("wasmrt-memory-image", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    return fd;
}

int memory_map_image(wasmrt_memory *mem, int fd, size_t size)
{
    if (!mem->guard || size == 0 || size > mem->size)
        return 0;
    void *p = mmap(mem->base, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
    return p == (void *)mem->base;
}
