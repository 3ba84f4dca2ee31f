/* wasi_path.c: the path_* calls. Each checks the directory fd's rights, copies the
 * guest path, and resolves it with wasi_resolve.c, either whole (open, stat) or as a
 * parent directory plus a last component for the *at() calls that must not follow a
 * final symlink (mkdir, unlink, rename, symlink, readlink). Where a call must follow a
 * final symlink safely (set-times, link with SYMLINK_FOLLOW), the target is first
 * opened beneath the preopen with O_PATH and then named through /proc/self/fd. */
#include "wasi/wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory entry for fd with `rights`, and the guest path copied into buf. */
static int wasi_path_begin(wasi_call *call, uint32_t fd, uint64_t rights, uint32_t path_ptr,
                           uint32_t path_len, char *buf, wasi_fd **entry)
{
    int err;
    *entry = wasi_fd_get(call->wasi, fd, rights, &err);
    if (!*entry) return err;
    if ((*entry)->filetype != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
    return wasi_path_copy(call, path_ptr, path_len, buf, PATH_MAX);
}

static int wasi_host_result(int rc)
{
    return rc == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno);
}

WASI_FN(path_open)
{
    uint32_t lookup = wasi_arg_u32(a, 1), oflags = wasi_arg_u32(a, 4);
    uint64_t base = wasi_arg_u64(a, 5), inheriting = wasi_arg_u64(a, 6);
    uint32_t fdflags = wasi_arg_u32(a, 7), result_ptr = wasi_arg_u32(a, 8);
    uint64_t needed = WASI_RIGHT_PATH_OPEN;
    if (oflags & WASI_OFLAG_CREAT) needed |= WASI_RIGHT_PATH_CREATE_FILE;
    if (oflags & WASI_OFLAG_TRUNC) needed |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    char path[PATH_MAX];
    wasi_fd *dir;
    int err = wasi_path_begin(call, wasi_arg_u32(a, 0), needed, wasi_arg_u32(a, 2),
                              wasi_arg_u32(a, 3), path, &dir);
    if (err) return err;
    if (!wasi_mem_ok(call, result_ptr, 4)) return WASI_EFAULT;
    /* a child can hold no right its directory could not hand down */
    if ((base & ~dir->rights_inheriting) || (inheriting & ~dir->rights_inheriting))
        return WASI_ENOTCAPABLE;
    int flags = 0;
    int write =
        (base & (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FILESTAT_SET_SIZE)) !=
        0;
    int read = (base & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR)) != 0;
    if (oflags & WASI_OFLAG_DIRECTORY) {
        if (write) return WASI_EISDIR;
        flags |= O_DIRECTORY;
    }
    flags |= write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (oflags & WASI_OFLAG_CREAT) flags |= O_CREAT;
    if (oflags & WASI_OFLAG_EXCL) flags |= O_EXCL;
    if (oflags & WASI_OFLAG_TRUNC) flags |= O_TRUNC;
    if (fdflags & WASI_FDFLAG_APPEND) flags |= O_APPEND;
    if (fdflags & WASI_FDFLAG_NONBLOCK) flags |= O_NONBLOCK;
    if (fdflags & WASI_FDFLAG_DSYNC) flags |= O_DSYNC;
    if (fdflags & (WASI_FDFLAG_SYNC | WASI_FDFLAG_RSYNC)) flags |= O_SYNC;
    int host_fd;
    err = wasi_resolve_open(dir->host_fd, path, flags, 0666, lookup & WASI_LOOKUP_SYMLINK_FOLLOW,
                            &host_fd);
    if (err) return err;
    uint8_t type = WASI_FILETYPE_DIRECTORY;
    if (!(oflags & WASI_OFLAG_DIRECTORY)) {
        struct stat st;
        if (fstat(host_fd, &st) != 0) {
            err = wasi_errno_from_host(errno);
            close(host_fd);
            return err;
        }
        type = wasi_filetype_from_mode(st.st_mode);
    }
    uint64_t kind = type == WASI_FILETYPE_DIRECTORY      ? WASI_RIGHTS_DIRECTORY
                    : type == WASI_FILETYPE_REGULAR_FILE ? WASI_RIGHTS_REGULAR_FILE
                                                         : WASI_RIGHTS_STREAM;
    uint32_t guest_fd;
    /* `dir` may move if the table grows: nothing below touches it */
    err = wasi_fd_insert(call->wasi, host_fd, type, base & kind, inheriting, &guest_fd);
    if (err) {
        close(host_fd);
        return err;
    }
    wasi_store_u32(call, result_ptr, guest_fd);
    return WASI_ESUCCESS;
}

/* The shape shared by mkdir, rmdir and unlink: (fd, path, path_len). */
static int wasi_path_simple(wasi_call *call, const wasmrt_value *a, uint64_t right,
                            int (*op)(int parent, const char *last))
{
    char path[PATH_MAX];
    wasi_fd *dir;
    int err = wasi_path_begin(call, wasi_arg_u32(a, 0), right, wasi_arg_u32(a, 1),
                              wasi_arg_u32(a, 2), path, &dir);
    if (err) return err;
    int parent;
    const char *last;
    err = wasi_resolve_parent(dir->host_fd, path, &parent, &last);
    if (err) return err;
    err = op(parent, last);
    close(parent);
    return err;
}

static int wasi_op_mkdir(int parent, const char *last)
{
    return wasi_host_result(mkdirat(parent, last, 0777));
}
static int wasi_op_rmdir(int parent, const char *last)
{
    return wasi_host_result(unlinkat(parent, last, AT_REMOVEDIR));
}
static int wasi_op_unlink(int parent, const char *last)
{
    return wasi_host_result(unlinkat(parent, last, 0));
}

WASI_FN(path_create_directory)
{
    return wasi_path_simple(call, a, WASI_RIGHT_PATH_CREATE_DIRECTORY, wasi_op_mkdir);
}
WASI_FN(path_remove_directory)
{
    return wasi_path_simple(call, a, WASI_RIGHT_PATH_REMOVE_DIRECTORY, wasi_op_rmdir);
}
WASI_FN(path_unlink_file)
{
    return wasi_path_simple(call, a, WASI_RIGHT_PATH_UNLINK_FILE, wasi_op_unlink);
}

WASI_FN(path_rename)
{
    char old_path[PATH_MAX], new_path[PATH_MAX];
    wasi_fd *old_dir, *new_dir;
    int err = wasi_path_begin(call, wasi_arg_u32(a, 0), WASI_RIGHT_PATH_RENAME_SOURCE,
                              wasi_arg_u32(a, 1), wasi_arg_u32(a, 2), old_path, &old_dir);
    if (!err)
        err = wasi_path_begin(call, wasi_arg_u32(a, 3), WASI_RIGHT_PATH_RENAME_TARGET,
                              wasi_arg_u32(a, 4), wasi_arg_u32(a, 5), new_path, &new_dir);
    if (err) return err;
    int old_parent, new_parent;
    const char *old_last, *new_last;
    err = wasi_resolve_parent(old_dir->host_fd, old_path, &old_parent, &old_last);
    if (err) return err;
    err = wasi_resolve_parent(new_dir->host_fd, new_path, &new_parent, &new_last);
    if (err) {
        close(old_parent);
        return err;
    }
    err = wasi_host_result(renameat(old_parent, old_last, new_parent, new_last));
    close(old_parent);
    close(new_parent);
    return err;
}

WASI_FN(path_filestat_get)
{
    char path[PATH_MAX];
    wasi_fd *dir;
    int err = wasi_path_begin(call, wasi_arg_u32(a, 0), WASI_RIGHT_PATH_FILESTAT_GET,
                              wasi_arg_u32(a, 2), wasi_arg_u32(a, 3), path, &dir);
    if (err) return err;
    uint32_t ptr = wasi_arg_u32(a, 4);
    if (!wasi_mem_ok(call, ptr, 64)) return WASI_EFAULT;
    int fd;
    err = wasi_resolve_open(dir->host_fd, path, O_PATH, 0,
                            wasi_arg_u32(a, 1) & WASI_LOOKUP_SYMLINK_FOLLOW, &fd);
    if (err) return err;
    struct stat st;
    err = wasi_host_result(fstat(fd, &st));
    close(fd);
    if (!err) wasi_store_filestat(call, ptr, &st);
    return err;
}

/* A name for an O_PATH fd that the *at() calls follow to exactly that file. */
static void wasi_proc_fd_path(int fd, char *out, size_t size)
{
    snprintf(out, size, "/proc/self/fd/%d", fd);
}

WASI_FN(path_filestat_set_times)
{
    char path[PATH_MAX];
    wasi_fd *dir;
    int err = wasi_path_begin(call, wasi_arg_u32(a, 0), WASI_RIGHT_PATH_FILESTAT_SET_TIMES,
                              wasi_arg_u32(a, 2), wasi_arg_u32(a, 3), path, &dir);
    if (err) return err;
    struct timespec times[2];
    err = wasi_times_from_flags(wasi_arg_u64(a, 4), wasi_arg_u64(a, 5), wasi_arg_u32(a, 6), times);
    if (err) return err;
    if (wasi_arg_u32(a, 1) & WASI_LOOKUP_SYMLINK_FOLLOW) {
        int fd;
        err = wasi_resolve_open(dir->host_fd, path, O_PATH, 0, 1, &fd);
        if (err) return err;
        char proc[64];
        wasi_proc_fd_path(fd, proc, sizeof proc);
        err = wasi_host_result(utimensat(AT_FDCWD, proc, times, 0));
        close(fd);
        return err;
    }
    int parent;
    const char *last;
    err = wasi_resolve_parent(dir->host_fd, path, &parent, &last);
    if (err) return err;
    err = wasi_host_result(utimensat(parent, last, times, AT_SYMLINK_NOFOLLOW));
    close(parent);
    return err;
}

WASI_FN(path_readlink)
{
    char path[PATH_MAX];
    wasi_fd *dir;
    int err = wasi_path_begin(call, wasi_arg_u32(a, 0), WASI_RIGHT_PATH_READLINK,
                              wasi_arg_u32(a, 1), wasi_arg_u32(a, 2), path, &dir);
    if (err) return err;
    uint32_t buf = wasi_arg_u32(a, 3), buf_len = wasi_arg_u32(a, 4);
    uint32_t used_ptr = wasi_arg_u32(a, 5);
    if (!wasi_mem_ok(call, buf, buf_len) || !wasi_mem_ok(call, used_ptr, 4)) return WASI_EFAULT;
    int parent;
    const char *last;
    err = wasi_resolve_parent(dir->host_fd, path, &parent, &last);
    if (err) return err;
    ssize_t n = readlinkat(parent, last, (char *)call->mem + buf, buf_len);
    err = n < 0 ? wasi_errno_from_host(errno) : WASI_ESUCCESS;
    close(parent);
    if (!err) wasi_store_u32(call, used_ptr, (uint32_t)n);
    return err;
}

/* An absolute link target can never resolve inside the sandbox, and would be a trap
 * for host programs sharing the directory, so it is refused outright. */
WASI_FN(path_symlink)
{
    char target[PATH_MAX], path[PATH_MAX];
    int err = wasi_path_copy(call, wasi_arg_u32(a, 0), wasi_arg_u32(a, 1), target, PATH_MAX);
    if (err) return err;
    if (target[0] == '/') return WASI_ENOTCAPABLE;
    wasi_fd *dir;
    err = wasi_path_begin(call, wasi_arg_u32(a, 2), WASI_RIGHT_PATH_SYMLINK, wasi_arg_u32(a, 3),
                          wasi_arg_u32(a, 4), path, &dir);
    if (err) return err;
    int parent;
    const char *last;
    err = wasi_resolve_parent(dir->host_fd, path, &parent, &last);
    if (err) return err;
    err = wasi_host_result(symlinkat(target, parent, last));
    close(parent);
    return err;
}

WASI_FN(path_link)
{
    char old_path[PATH_MAX], new_path[PATH_MAX];
    wasi_fd *old_dir, *new_dir;
    int err = wasi_path_begin(call, wasi_arg_u32(a, 0), WASI_RIGHT_PATH_LINK_SOURCE,
                              wasi_arg_u32(a, 2), wasi_arg_u32(a, 3), old_path, &old_dir);
    if (!err)
        err = wasi_path_begin(call, wasi_arg_u32(a, 4), WASI_RIGHT_PATH_LINK_TARGET,
                              wasi_arg_u32(a, 5), wasi_arg_u32(a, 6), new_path, &new_dir);
    if (err) return err;
    int new_parent;
    const char *new_last;
    err = wasi_resolve_parent(new_dir->host_fd, new_path, &new_parent, &new_last);
    if (err) return err;
    if (wasi_arg_u32(a, 1) & WASI_LOOKUP_SYMLINK_FOLLOW) {
        int fd;
        err = wasi_resolve_open(old_dir->host_fd, old_path, O_PATH, 0, 1, &fd);
        if (!err) {
            char proc[64];
            wasi_proc_fd_path(fd, proc, sizeof proc);
            err = wasi_host_result(linkat(AT_FDCWD, proc, new_parent, new_last, AT_SYMLINK_FOLLOW));
            close(fd);
        }
    } else {
        int old_parent;
        const char *old_last;
        err = wasi_resolve_parent(old_dir->host_fd, old_path, &old_parent, &old_last);
        if (!err) {
            err = wasi_host_result(linkat(old_parent, old_last, new_parent, new_last, 0));
            close(old_parent);
        }
    }
    close(new_parent);
    return err;
}
