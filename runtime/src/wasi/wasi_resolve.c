/* wasi_resolve.c: turning a guest path into a host file without leaving the
 * preopened directory it is relative to. The kernel does the walk: openat2() with
 * RESOLVE_BENEATH refuses absolute paths, `..` above the starting directory and
 * symlinks (absolute or relative) that lead out, atomically, so a guest racing renames
 * against us cannot slip out between checks; RESOLVE_NO_MAGICLINKS keeps /proc-style
 * links out too. Escapes come back as EXDEV, which we report as ENOTCAPABLE.
 * Without openat2 (kernels before 5.6, or WASMRT_WASI_NO_OPENAT2=1 in the
 * environment) wasi_walk.c resolves component by component instead. */
#include "wasi/wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int wasi_path_copy(wasi_call *call, uint32_t ptr, uint32_t len, char *buf, size_t size)
{
    if (!wasi_mem_ok(call, ptr, len)) return WASI_EFAULT;
    if (len >= size) return WASI_ENAMETOOLONG;
    memcpy(buf, call->mem + ptr, len);
    buf[len] = '\0';
    if (strlen(buf) != len) return WASI_EINVAL; /* a NUL inside would cut the path short */
    return WASI_ESUCCESS;
}

enum { WASI_RESOLVE_UNDECIDED, WASI_RESOLVE_OPENAT2, WASI_RESOLVE_WALK };
static _Atomic int wasi_resolve_how = WASI_RESOLVE_UNDECIDED;

int wasi_resolve_open(int dirfd, const char *path, int flags, unsigned mode, int follow,
                      int *host_fd)
{
    if (path[0] == '\0') return WASI_ENOENT;
    if (path[0] == '/') return WASI_ENOTCAPABLE;
    if (wasi_resolve_how == WASI_RESOLVE_UNDECIDED) {
        const char *no = getenv("WASMRT_WASI_NO_OPENAT2");
        wasi_resolve_how = no && *no && *no != '0' ? WASI_RESOLVE_WALK : WASI_RESOLVE_OPENAT2;
    }
    if (wasi_resolve_how == WASI_RESOLVE_WALK)
        return wasi_walk_open(dirfd, path, flags, mode, follow, host_fd);
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
    /* openat2 rejects a mode without a create flag; O_TMPFILE contains O_DIRECTORY's
     * bit, so test it whole */
    int creates = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
    how.mode = creates ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    for (int attempt = 0;; attempt++) {
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd >= 0) {
            *host_fd = (int)fd;
            return WASI_ESUCCESS;
        }
        /* EAGAIN: a rename raced a `..` step; the kernel asks us to retry */
        if ((errno == EAGAIN || errno == EINTR) && attempt < 16) continue;
        if (errno == EXDEV) return WASI_ENOTCAPABLE;
        if (errno == ENOSYS) { /* kernel before 5.6 */
            wasi_resolve_how = WASI_RESOLVE_WALK;
            return wasi_walk_open(dirfd, path, flags, mode, follow, host_fd);
        }
        return wasi_errno_from_host(errno);
    }
}

int wasi_resolve_parent(int dirfd, char *path, int *parent_fd, const char **last)
{
    size_t len = strlen(path);
    if (len == 0) return WASI_ENOENT;
    if (path[0] == '/') return WASI_ENOTCAPABLE;
    /* the last component keeps its trailing slashes: the host then insists, as POSIX
     * does, that it names a directory */
    size_t end = len;
    while (end > 0 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    size_t name_len = end - start;
    int dot_name = (name_len == 1 && path[start] == '.') ||
                   (name_len == 2 && path[start] == '.' && path[start + 1] == '.');
    if (dot_name) {
        /* "a/.." names a directory the walk must check too: resolve all of it */
        *last = ".";
        return wasi_resolve_open(dirfd, path, O_PATH | O_DIRECTORY, 0, 1, parent_fd);
    }
    *last = path + start;
    if (start == 0) return wasi_resolve_open(dirfd, ".", O_PATH | O_DIRECTORY, 0, 1, parent_fd);
    char saved = path[start - 1];
    path[start - 1] = '\0';
    int err = wasi_resolve_open(dirfd, path, O_PATH | O_DIRECTORY, 0, 1, parent_fd);
    path[start - 1] = saved;
    return err;
}
