/* sandbox: every way out of the preopened directory (fd 3) we know of, each expected
 * to be refused with a precise WASI errno; rights that were not granted; and guest
 * pointers outside linear memory. Calls the preview1 functions directly so the errno
 * checked is the runtime's, not wasi-libc's.
 *
 * The runner prepares, beside the preopened directory "box", a directory
 * "outside/secret.txt", and inside the box "file.txt" (text "inside"), "sub/" and a
 * symlink "link_abs" -> "/etc/passwd" (which a guest may not create itself). */
#include "check.h"

#include <stdint.h>
#include <wasi/api.h>

#define BOX 3
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define R_READ __WASI_RIGHTS_FD_READ
#define R_WRITE __WASI_RIGHTS_FD_WRITE

/* path_open as the host sees it: pointer and length, so bad ones can be passed */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open"))) int32_t
raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
              int64_t base, int64_t inheriting, int32_t fdflags, int32_t result);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write"))) int32_t
raw_fd_write(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t result);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_read"))) int32_t
raw_fd_read(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t result);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("args_sizes_get"))) int32_t
raw_args_sizes_get(int32_t argc, int32_t argv_buf_size);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("clock_time_get"))) int32_t
raw_clock_time_get(int32_t id, int64_t precision, int32_t result);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) int32_t
raw_proc_raise(int32_t signal);

static __wasi_errno_t open_at(__wasi_fd_t dir, int flags, const char *path, __wasi_oflags_t oflags,
                              __wasi_rights_t base, __wasi_rights_t inheriting, __wasi_fd_t *fd)
{
    return __wasi_path_open(dir, (__wasi_lookupflags_t)flags, path, oflags, base, inheriting, 0,
                            fd);
}

#define EXPECT(name, call, want)                                                                   \
    do {                                                                                           \
        __wasi_errno_t got_ = (call);                                                              \
        if (got_ == (want)) {                                                                      \
            printf("ok %s\n", name);                                                               \
        } else {                                                                                   \
            printf("FAIL %s: expected errno %d, got %d\n", name, (int)(want), (int)got_);          \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

static void escapes(void)
{
    __wasi_fd_t fd;
    const __wasi_rights_t all = (__wasi_rights_t)-1 >> 34; /* the 30 preview1 rights */
    EXPECT("dotdot", open_at(BOX, 0, "../outside/secret.txt", 0, R_READ, 0, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("dotdot alone", open_at(BOX, 0, "..", __WASI_OFLAGS_DIRECTORY, 0, all, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("absolute path", open_at(BOX, 0, "/etc/passwd", 0, R_READ, 0, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("dotdot through a subdir",
           open_at(BOX, 0, "sub/../../outside/secret.txt", 0, R_READ, 0, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("dotdot that stays inside", open_at(BOX, 0, "sub/../file.txt", 0, R_READ, 0, &fd),
           __WASI_ERRNO_SUCCESS);
    /* a relative symlink pointing out may be made, never followed */
    EXPECT("make a relative link out", __wasi_path_symlink("../outside", BOX, "link_out"),
           __WASI_ERRNO_SUCCESS);
    EXPECT("follow a relative link out",
           open_at(BOX, FOLLOW, "link_out/secret.txt", 0, R_READ, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    EXPECT("final relative link out",
           open_at(BOX, FOLLOW, "link_out", __WASI_OFLAGS_DIRECTORY, 0, all, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("follow an absolute link", open_at(BOX, FOLLOW, "link_abs", 0, R_READ, 0, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("open a final link without follow", open_at(BOX, 0, "link_abs", 0, R_READ, 0, &fd),
           __WASI_ERRNO_LOOP);
    EXPECT("create an absolute link", __wasi_path_symlink("/etc/passwd", BOX, "abs2"),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("mkdir outside", __wasi_path_create_directory(BOX, "../made"), __WASI_ERRNO_NOTCAPABLE);
    EXPECT("mkdir through a link out", __wasi_path_create_directory(BOX, "link_out/made"),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("create a file through a link out",
           open_at(BOX, FOLLOW, "link_out/new.txt", __WASI_OFLAGS_CREAT, R_WRITE, 0, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("rename out", __wasi_path_rename(BOX, "file.txt", BOX, "../outside/moved"),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("rename in from outside",
           __wasi_path_rename(BOX, "../outside/secret.txt", BOX, "stolen"),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("hard link to outside", __wasi_path_link(BOX, 0, "../outside/secret.txt", BOX, "h1"),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("hard link following a link out", __wasi_path_link(BOX, FOLLOW, "link_abs", BOX, "h2"),
           __WASI_ERRNO_NOTCAPABLE);
    __wasi_filestat_t st;
    EXPECT("stat through a link out",
           __wasi_path_filestat_get(BOX, FOLLOW, "link_out/secret.txt", &st),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("stat a link itself", __wasi_path_filestat_get(BOX, 0, "link_abs", &st),
           __WASI_ERRNO_SUCCESS);
    EXPECT("unlink outside", __wasi_path_unlink_file(BOX, "link_out/secret.txt"),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("rmdir outside", __wasi_path_remove_directory(BOX, "../outside"),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("set times through a link out",
           __wasi_path_filestat_set_times(BOX, FOLLOW, "link_abs", 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
           __WASI_ERRNO_NOTCAPABLE);
    uint8_t buf[64];
    __wasi_size_t used;
    EXPECT("readlink outside", __wasi_path_readlink(BOX, "../outside/x", buf, sizeof buf, &used),
           __WASI_ERRNO_NOTCAPABLE);
    /* wasi-libc maps an absolute path to no preopen at all */
    errno = 0;
    CHECK("libc fopen of /etc/passwd", fopen("/etc/passwd", "r") == NULL && errno == ENOTCAPABLE);
}

static void rights(void)
{
    __wasi_fd_t fd, dir;
    EXPECT("open read-only", open_at(BOX, 0, "file.txt", 0, R_READ, 0, &fd), __WASI_ERRNO_SUCCESS);
    __wasi_fdstat_t fst;
    CHECK("fdstat shows only fd_read", __wasi_fd_fdstat_get(fd, &fst) == 0 &&
                                           fst.fs_rights_base == R_READ &&
                                           fst.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
    __wasi_ciovec_t out = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    EXPECT("write without fd_write", __wasi_fd_write(fd, &out, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    __wasi_filesize_t pos;
    EXPECT("seek without fd_seek", __wasi_fd_seek(fd, 1, __WASI_WHENCE_SET, &pos),
           __WASI_ERRNO_NOTCAPABLE);
    uint8_t buf[16];
    __wasi_iovec_t in = {buf, sizeof buf};
    EXPECT("read with fd_read", __wasi_fd_read(fd, &in, 1, &n), __WASI_ERRNO_SUCCESS);
    EXPECT("rights cannot grow", __wasi_fd_fdstat_set_rights(fd, R_READ | R_WRITE, 0),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("rights can shrink", __wasi_fd_fdstat_set_rights(fd, 0, 0), __WASI_ERRNO_SUCCESS);
    EXPECT("read after dropping fd_read", __wasi_fd_read(fd, &in, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    EXPECT("sock_accept on a file", __wasi_sock_accept(fd, 0, &dir), __WASI_ERRNO_NOTCAPABLE);
    EXPECT("prestat of a file", __wasi_fd_prestat_get(fd, &(__wasi_prestat_t){0}),
           __WASI_ERRNO_BADF);
    EXPECT("close", __wasi_fd_close(fd), __WASI_ERRNO_SUCCESS);
    EXPECT("use after close", __wasi_fd_read(fd, &in, 1, &n), __WASI_ERRNO_BADF);
    EXPECT("a number never opened", __wasi_fd_read(999, &in, 1, &n), __WASI_ERRNO_BADF);

    /* a directory whose children may only be read */
    EXPECT("open sub, children read-only",
           open_at(BOX, 0, "sub", __WASI_OFLAGS_DIRECTORY,
                   __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR, R_READ, &dir),
           __WASI_ERRNO_SUCCESS);
    EXPECT("create without path_create_file",
           open_at(dir, 0, "new.txt", __WASI_OFLAGS_CREAT, R_READ, 0, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("ask a child for more than the dir hands down",
           open_at(dir, 0, "../file.txt", 0, R_READ | R_WRITE, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    EXPECT("the dir itself is a boundary too", open_at(dir, 0, "../file.txt", 0, R_READ, 0, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("mkdir without the right", __wasi_path_create_directory(dir, "d"),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("a file is not a directory", __wasi_path_create_directory(1, "d"),
           __WASI_ERRNO_NOTCAPABLE);
}

static void pointers(void)
{
    uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    int32_t fd_slot = (int32_t)(uintptr_t) & (int32_t){0};
    EXPECT("path beyond memory",
           raw_path_open(BOX, 0, (int32_t)end - 4, 16, 0, R_READ, 0, 0, fd_slot),
           __WASI_ERRNO_FAULT);
    EXPECT("path length wraps", raw_path_open(BOX, 0, 16, -1, 0, R_READ, 0, 0, fd_slot),
           __WASI_ERRNO_FAULT);
    static const char with_nul[] = "file.txt\0x";
    EXPECT("NUL inside a path",
           raw_path_open(BOX, 0, (int32_t)(uintptr_t)with_nul, 10, 0, R_READ, 0, 0, fd_slot),
           __WASI_ERRNO_INVAL);
    EXPECT("result pointer beyond memory",
           raw_path_open(BOX, 0, (int32_t)(uintptr_t) "file.txt", 8, 0, R_READ, 0, 0, (int32_t)end),
           __WASI_ERRNO_FAULT);
    int32_t n_slot = (int32_t)(uintptr_t) & (int32_t){0};
    EXPECT("iovec array beyond memory", raw_fd_write(1, (int32_t)end - 4, 1, n_slot),
           __WASI_ERRNO_FAULT);
    static uint32_t bad_iov[2];
    bad_iov[0] = end - 8;
    bad_iov[1] = 4096;
    EXPECT("iovec buffer beyond memory", raw_fd_write(1, (int32_t)(uintptr_t)bad_iov, 1, n_slot),
           __WASI_ERRNO_FAULT);
    EXPECT("read into memory's end", raw_fd_read(0, (int32_t)(uintptr_t)bad_iov, 1, n_slot),
           __WASI_ERRNO_FAULT);
    EXPECT("args_sizes_get beyond memory", raw_args_sizes_get((int32_t)end, (int32_t)end),
           __WASI_ERRNO_FAULT);
    EXPECT("clock result beyond memory", raw_clock_time_get(0, 1, (int32_t)end - 7),
           __WASI_ERRNO_FAULT);
    EXPECT("clock result at the very end", raw_clock_time_get(0, 1, (int32_t)end - 8),
           __WASI_ERRNO_SUCCESS);
}

int main(void)
{
    escapes();
    rights();
    pointers();
    EXPECT("proc_raise is ENOSYS", raw_proc_raise(15 /* SIGTERM */), __WASI_ERRNO_NOSYS);
    return check_failures ? 1 : 0;
}
