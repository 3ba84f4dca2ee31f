/* garbage: calls every preview1 function (but proc_exit) thousands of times with
 * arguments drawn at random: descriptors open, closed and never opened, pointers into a
 * scratch buffer, at and past the end of memory, lengths small and huge, flags with
 * undefined bits. Whatever happens, the runtime must answer with an errno and never
 * fault, trap or hang; the program then exits 0 and prints "garbage: N calls".
 * Run it with a scratch directory preopened and stdin from /dev/null.
 *   garbage [CALLS] [SEED] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
typedef int32_t i32;
typedef int64_t i64;
IMPORT(args_get) i32 w_args_get(i32, i32);
IMPORT(args_sizes_get) i32 w_args_sizes_get(i32, i32);
IMPORT(environ_get) i32 w_environ_get(i32, i32);
IMPORT(environ_sizes_get) i32 w_environ_sizes_get(i32, i32);
IMPORT(clock_res_get) i32 w_clock_res_get(i32, i32);
IMPORT(clock_time_get) i32 w_clock_time_get(i32, i64, i32);
IMPORT(fd_advise) i32 w_fd_advise(i32, i64, i64, i32);
IMPORT(fd_allocate) i32 w_fd_allocate(i32, i64, i64);
IMPORT(fd_close) i32 w_fd_close(i32);
IMPORT(fd_datasync) i32 w_fd_datasync(i32);
IMPORT(fd_fdstat_get) i32 w_fd_fdstat_get(i32, i32);
IMPORT(fd_fdstat_set_flags) i32 w_fd_fdstat_set_flags(i32, i32);
IMPORT(fd_fdstat_set_rights) i32 w_fd_fdstat_set_rights(i32, i64, i64);
IMPORT(fd_filestat_get) i32 w_fd_filestat_get(i32, i32);
IMPORT(fd_filestat_set_size) i32 w_fd_filestat_set_size(i32, i64);
IMPORT(fd_filestat_set_times) i32 w_fd_filestat_set_times(i32, i64, i64, i32);
IMPORT(fd_pread) i32 w_fd_pread(i32, i32, i32, i64, i32);
IMPORT(fd_prestat_get) i32 w_fd_prestat_get(i32, i32);
IMPORT(fd_prestat_dir_name) i32 w_fd_prestat_dir_name(i32, i32, i32);
IMPORT(fd_pwrite) i32 w_fd_pwrite(i32, i32, i32, i64, i32);
IMPORT(fd_read) i32 w_fd_read(i32, i32, i32, i32);
IMPORT(fd_readdir) i32 w_fd_readdir(i32, i32, i32, i64, i32);
IMPORT(fd_renumber) i32 w_fd_renumber(i32, i32);
IMPORT(fd_seek) i32 w_fd_seek(i32, i64, i32, i32);
IMPORT(fd_sync) i32 w_fd_sync(i32);
IMPORT(fd_tell) i32 w_fd_tell(i32, i32);
IMPORT(fd_write) i32 w_fd_write(i32, i32, i32, i32);
IMPORT(path_create_directory) i32 w_path_create_directory(i32, i32, i32);
IMPORT(path_filestat_get) i32 w_path_filestat_get(i32, i32, i32, i32, i32);
IMPORT(path_filestat_set_times) i32 w_path_filestat_set_times(i32, i32, i32, i32, i64, i64, i32);
IMPORT(path_link) i32 w_path_link(i32, i32, i32, i32, i32, i32, i32);
IMPORT(path_open) i32 w_path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32);
IMPORT(path_readlink) i32 w_path_readlink(i32, i32, i32, i32, i32, i32);
IMPORT(path_remove_directory) i32 w_path_remove_directory(i32, i32, i32);
IMPORT(path_rename) i32 w_path_rename(i32, i32, i32, i32, i32, i32);
IMPORT(path_symlink) i32 w_path_symlink(i32, i32, i32, i32, i32);
IMPORT(path_unlink_file) i32 w_path_unlink_file(i32, i32, i32);
IMPORT(poll_oneoff) i32 w_poll_oneoff(i32, i32, i32, i32);
IMPORT(proc_raise) i32 w_proc_raise(i32);
IMPORT(sched_yield) i32 w_sched_yield(void);
IMPORT(random_get) i32 w_random_get(i32, i32);
IMPORT(sock_accept) i32 w_sock_accept(i32, i32, i32);
IMPORT(sock_recv) i32 w_sock_recv(i32, i32, i32, i32, i32, i32);
IMPORT(sock_send) i32 w_sock_send(i32, i32, i32, i32, i32);
IMPORT(sock_shutdown) i32 w_sock_shutdown(i32, i32);

/* Pointers land in the first SCRATCH bytes; the buffer is much longer so that what the
 * runtime writes through them (at most the size of the small files here, or a capped
 * random_get) stays inside it. */
#define SCRATCH 4096
static uint8_t scratch[SCRATCH * 16];
static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

/* A pointer: mostly into scratch (sometimes straddling its end), else straddling or
 * past the end of linear memory, up to 4 GiB. Never elsewhere in the program's own
 * memory: the runtime would rightly write there, and the program would break itself. */
static i32 ptr(void)
{
    uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    switch (rnd() % 8) {
    case 0:
        return (i32)(end - rnd() % 8);
    case 1:
        return (i32)(end + rnd() % 4096);
    case 2:
        return (i32)(end + rnd() % (UINT32_MAX - end));
    default:
        return (i32)(uintptr_t)(scratch + rnd() % SCRATCH);
    }
}

/* A length: usually small, sometimes huge. */
static i32 len(void)
{
    switch (rnd() % 8) {
    case 0:
        return (i32)rnd();
    case 1:
        return -1;
    default:
        return (i32)(rnd() % 64);
    }
}

/* A descriptor: stdio, the preopen, what was opened, or something never opened. Fds 1
 * and 2 are left alone by the calls that close or replace. */
static i32 fd(void)
{
    return rnd() % 16 == 0 ? (i32)rnd() : (i32)(rnd() % 12);
}
static i32 safe_fd(void)
{
    i32 f = fd();
    return f == 1 || f == 2 ? 3 : f;
}

/* 64-bit values small enough not to allocate real disk space, or absurdly large. */
static i64 big(void)
{
    return rnd() % 4 == 0 ? (i64)((uint64_t)rnd() << 32 | rnd()) | (i64)(1ull << 62)
                          : (i64)(rnd() % 8192);
}

static i32 flags(void)
{
    return rnd() % 4 == 0 ? (i32)rnd() : (i32)(rnd() % 16);
}

/* A path in scratch: one of a few names (so calls meet each other's files), written
 * at a random place; returns its pointer and sets *n. */
static i32 path(i32 *n)
{
    static const char *names[] = {"a",      "b", "d",  "d/x", "..",   ".",    "/etc",
                                  "d/../a", "l", "a/", "",    "../x", "d/d/d"};
    const char *name = names[rnd() % (sizeof names / sizeof names[0])];
    uint32_t at = rnd() % (SCRATCH - 16);
    memcpy(scratch + at, name, strlen(name));
    *n = rnd() % 8 == 0 ? len() : (i32)strlen(name);
    return rnd() % 8 == 0 ? ptr() : (i32)(uintptr_t)(scratch + at);
}

/* An iovec array in scratch whose entries point anywhere. */
static i32 iovecs(i32 *count)
{
    uint32_t at = (rnd() % (SCRATCH / 8 - 8)) * 8;
    uint32_t n = rnd() % 4;
    for (uint32_t i = 0; i < n; i++) {
        i32 buf = ptr(), l = len();
        memcpy(scratch + at + i * 8, &buf, 4);
        memcpy(scratch + at + i * 8 + 4, &l, 4);
    }
    *count = rnd() % 8 == 0 ? len() : (i32)n;
    return rnd() % 8 == 0 ? ptr() : (i32)(uintptr_t)(scratch + at);
}

/* Subscriptions with random kinds and fds, and clock timeouts of at most 1 ms so
 * the run cannot hang. */
static i32 subscriptions(i32 *count)
{
    uint32_t at = (rnd() % (SCRATCH / 48 - 4)) * 48 / 8 * 8;
    uint32_t n = 1 + rnd() % 3;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *s = scratch + at + i * 48;
        memset(s, 0, 48);
        s[8] = (uint8_t)(rnd() % 4);
        uint32_t id = rnd() % 5, f = (uint32_t)fd();
        uint64_t timeout = rnd() % 1000000;
        uint16_t fl = (uint16_t)(rnd() % 2);
        if (s[8] == 0) {
            memcpy(s + 16, &id, 4);
            if (fl && id != 1) timeout = 0; /* absolute: in the past, so no wait */
            memcpy(s + 24, &timeout, 8);
            memcpy(s + 40, &fl, 2);
        } else {
            memcpy(s + 16, &f, 4);
        }
    }
    *count = (i32)n;
    return (i32)(uintptr_t)(scratch + at);
}

static i32 call_one(uint32_t which)
{
    i32 n1, n2, p1, p2, c;
    switch (which) {
    case 0:
        return w_args_get(ptr(), ptr());
    case 1:
        return w_args_sizes_get(ptr(), ptr());
    case 2:
        return w_environ_get(ptr(), ptr());
    case 3:
        return w_environ_sizes_get(ptr(), ptr());
    case 4:
        return w_clock_res_get(flags(), ptr());
    case 5:
        return w_clock_time_get(flags(), big(), ptr());
    case 6:
        return w_fd_advise(fd(), big(), big(), flags());
    case 7:
        return w_fd_allocate(safe_fd(), big() % 4096, big());
    case 8:
        return w_fd_close(safe_fd());
    case 9:
        return w_fd_datasync(fd());
    case 10:
        return w_fd_fdstat_get(fd(), ptr());
    case 11:
        return w_fd_fdstat_set_flags(safe_fd(), flags());
    case 12:
        return w_fd_fdstat_set_rights(safe_fd(), big(), big());
    case 13:
        return w_fd_filestat_get(fd(), ptr());
    case 14:
        return w_fd_filestat_set_size(safe_fd(), big());
    case 15:
        return w_fd_filestat_set_times(fd(), big(), big(), flags());
    case 16:
        p1 = iovecs(&c);
        return w_fd_pread(fd(), p1, c, big(), ptr());
    case 17:
        return w_fd_prestat_get(fd(), ptr());
    case 18:
        return w_fd_prestat_dir_name(fd(), ptr(), len());
    case 19:
        p1 = iovecs(&c);
        return w_fd_pwrite(safe_fd(), p1, c, big(), ptr());
    case 20:
        p1 = iovecs(&c);
        return w_fd_read(safe_fd(), p1, c, ptr());
    case 21:
        return w_fd_readdir(fd(), ptr(), len(), big(), ptr());
    case 22:
        return w_fd_renumber(safe_fd(), safe_fd());
    case 23:
        return w_fd_seek(fd(), big(), flags(), ptr());
    case 24:
        return w_fd_sync(fd());
    case 25:
        return w_fd_tell(fd(), ptr());
    case 26:
        p1 = iovecs(&c);
        return w_fd_write(safe_fd(), p1, c, ptr());
    case 27:
        p1 = path(&n1);
        return w_path_create_directory(fd(), p1, n1);
    case 28:
        p1 = path(&n1);
        return w_path_filestat_get(fd(), flags(), p1, n1, ptr());
    case 29:
        p1 = path(&n1);
        return w_path_filestat_set_times(fd(), flags(), p1, n1, big(), big(), flags());
    case 30:
        p1 = path(&n1), p2 = path(&n2);
        return w_path_link(fd(), flags(), p1, n1, fd(), p2, n2);
    case 31:
        p1 = path(&n1);
        return w_path_open(fd(), flags(), p1, n1, flags(), big() | (rnd() % 2 ? -1 : 0), big(),
                           flags(), ptr());
    case 32:
        p1 = path(&n1);
        return w_path_readlink(fd(), p1, n1, ptr(), len(), ptr());
    case 33:
        p1 = path(&n1);
        return w_path_remove_directory(fd(), p1, n1);
    case 34:
        p1 = path(&n1), p2 = path(&n2);
        return w_path_rename(fd(), p1, n1, fd(), p2, n2);
    case 35:
        p1 = path(&n1), p2 = path(&n2);
        return w_path_symlink(p1, n1, fd(), p2, n2);
    case 36:
        p1 = path(&n1);
        return w_path_unlink_file(fd(), p1, n1);
    case 37:
        p1 = subscriptions(&c);
        return w_poll_oneoff(p1, ptr(), c, ptr());
    case 38:
        return w_proc_raise(flags());
    case 39:
        return w_sched_yield();
    case 40:
        return w_random_get(ptr(), len() & 0x3fff);
    case 41:
        return w_sock_accept(fd(), flags(), ptr());
    case 42:
        p1 = iovecs(&c);
        return w_sock_recv(safe_fd(), p1, c, flags(), ptr(), ptr());
    case 43:
        p1 = iovecs(&c);
        return w_sock_send(safe_fd(), p1, c, flags(), ptr());
    case 44:
        return w_sock_shutdown(fd(), flags());
    }
    return -1;
}

int main(int argc, char **argv)
{
    long calls = argc > 1 ? atol(argv[1]) : 20000;
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
    long succeeded = 0;
    for (long i = 0; i < calls; i++)
        succeeded += call_one(rnd() % 45) == 0;
    /* stdout may have been closed or renumbered; stderr was left alone */
    char line[96];
    int n = snprintf(line, sizeof line, "garbage: %ld calls, %ld succeeded\n", calls, succeeded);
    write(2, line, (size_t)n);
    return 0;
}
