/* wasi_fd.c: byte I/O and housekeeping on open descriptors: fd_read, fd_write,
 * fd_pread, fd_pwrite, fd_seek, fd_tell, fd_close, fd_sync, fd_datasync, fd_advise,
 * fd_allocate, fd_renumber. The hot path of every guest that prints: one rights check,
 * iovecs translated on the stack, one host syscall. */
#include "wasi/wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* Result pointers are checked before the I/O so that bytes are never consumed from a
 * stream and then lost because the count could not be stored. */
static int wasi_rw(wasi_call *call, const wasmrt_value *a, int write, int positioned)
{
    uint64_t rights = write ? WASI_RIGHT_FD_WRITE : WASI_RIGHT_FD_READ;
    if (positioned) rights |= WASI_RIGHT_FD_SEEK;
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), rights, &err);
    if (!entry) return err;
    uint64_t offset = positioned ? wasi_arg_u64(a, 3) : 0;
    uint32_t result_ptr = wasi_arg_u32(a, positioned ? 4 : 3);
    if (offset > INT64_MAX) return WASI_EINVAL;
    if (!wasi_mem_ok(call, result_ptr, 4)) return WASI_EFAULT;
    struct iovec iov[WASI_IOV_MAX];
    int count = 0;
    err = wasi_iovecs(call, wasi_arg_u32(a, 1), wasi_arg_u32(a, 2), iov, &count);
    if (err) return err;
    ssize_t n;
    do {
        if (write && !positioned && entry->filetype == WASI_FILETYPE_SOCKET_STREAM) {
            /* a peer that hung up is EPIPE for the guest, not SIGPIPE for the host */
            struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)count};
            n = sendmsg(entry->host_fd, &msg, MSG_NOSIGNAL);
        } else if (write)
            n = positioned ? pwritev(entry->host_fd, iov, count, (off_t)offset)
                           : writev(entry->host_fd, iov, count);
        else
            n = positioned ? preadv(entry->host_fd, iov, count, (off_t)offset)
                           : readv(entry->host_fd, iov, count);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return wasi_errno_from_host(errno);
    wasi_store_u32(call, result_ptr, (uint32_t)n);
    return WASI_ESUCCESS;
}

WASI_FN(fd_read)
{
    return wasi_rw(call, a, 0, 0);
}
WASI_FN(fd_write)
{
    return wasi_rw(call, a, 1, 0);
}
WASI_FN(fd_pread)
{
    return wasi_rw(call, a, 0, 1);
}
WASI_FN(fd_pwrite)
{
    return wasi_rw(call, a, 1, 1);
}

WASI_FN(fd_seek)
{
    int64_t offset = (int64_t)wasi_arg_u64(a, 1);
    uint32_t whence = wasi_arg_u32(a, 2), result_ptr = wasi_arg_u32(a, 3);
    static const int host_whence[3] = {SEEK_SET, SEEK_CUR, SEEK_END};
    if (whence > 2) return WASI_EINVAL;
    /* asking where we are needs only fd_tell, as wasi-libc's ftell does */
    uint64_t rights = (whence == 1 && offset == 0) ? WASI_RIGHT_FD_TELL : WASI_RIGHT_FD_SEEK;
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), rights, &err);
    if (!entry) return err;
    if (!wasi_mem_ok(call, result_ptr, 8)) return WASI_EFAULT;
    off_t at = lseek(entry->host_fd, (off_t)offset, host_whence[whence]);
    if (at < 0) return wasi_errno_from_host(errno);
    wasi_store_u64(call, result_ptr, (uint64_t)at);
    return WASI_ESUCCESS;
}

WASI_FN(fd_tell)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_TELL, &err);
    if (!entry) return err;
    if (!wasi_mem_ok(call, wasi_arg_u32(a, 1), 8)) return WASI_EFAULT;
    off_t at = lseek(entry->host_fd, 0, SEEK_CUR);
    if (at < 0) return wasi_errno_from_host(errno);
    wasi_store_u64(call, wasi_arg_u32(a, 1), (uint64_t)at);
    return WASI_ESUCCESS;
}

WASI_FN(fd_close)
{
    int err;
    uint32_t fd = wasi_arg_u32(a, 0);
    if (!wasi_fd_get(call->wasi, fd, 0, &err)) return err;
    wasi_fd_release(call->wasi, fd);
    return WASI_ESUCCESS;
}

WASI_FN(fd_sync)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_SYNC, &err);
    if (!entry) return err;
    return fsync(entry->host_fd) == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno);
}

WASI_FN(fd_datasync)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_DATASYNC, &err);
    if (!entry) return err;
    return fdatasync(entry->host_fd) == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno);
}

WASI_FN(fd_advise)
{
    static const int host_advice[6] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL,
                                       POSIX_FADV_RANDOM,   POSIX_FADV_WILLNEED,
                                       POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    uint64_t offset = wasi_arg_u64(a, 1), len = wasi_arg_u64(a, 2);
    uint32_t advice = wasi_arg_u32(a, 3);
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_ADVISE, &err);
    if (!entry) return err;
    if (advice > 5 || offset > INT64_MAX || len > INT64_MAX) return WASI_EINVAL;
    if (entry->filetype == WASI_FILETYPE_DIRECTORY) return WASI_EBADF;
    int rc = posix_fadvise(entry->host_fd, (off_t)offset, (off_t)len, host_advice[advice]);
    return wasi_errno_from_host(rc);
}

WASI_FN(fd_allocate)
{
    uint64_t offset = wasi_arg_u64(a, 1), len = wasi_arg_u64(a, 2);
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_ALLOCATE, &err);
    if (!entry) return err;
    if (offset > INT64_MAX || len > INT64_MAX || len == 0) return WASI_EINVAL;
    int rc = posix_fallocate(entry->host_fd, (off_t)offset, (off_t)len);
    return wasi_errno_from_host(rc);
}

/* Moves `from` onto `to`, closing what `to` held; both must be open (preview1 does not
 * let renumber allocate a new number). */
WASI_FN(fd_renumber)
{
    uint32_t from = wasi_arg_u32(a, 0), to = wasi_arg_u32(a, 1);
    int err;
    if (!wasi_fd_get(call->wasi, from, 0, &err) || !wasi_fd_get(call->wasi, to, 0, &err))
        return err;
    if (from == to) return WASI_ESUCCESS;
    wasmrt_wasi *w = call->wasi;
    wasi_fd moved = w->fds[from];
    w->fds[from].state = 0; /* detach without closing: the host fd moves */
    w->fds[from].host_fd = -1;
    wasi_fd_release(w, to);
    if (to >= w->fd_count) w->fd_count = to + 1;
    w->fds[to] = moved;
    while (w->fd_count > 3 && !(w->fds[w->fd_count - 1].state & WASI_FD_OPEN))
        w->fd_count--;
    return WASI_ESUCCESS;
}
