/* wasi_sock.c: the socket calls of preview1: sock_accept on a listening socket the
 * embedder handed in, and sock_recv / sock_send / sock_shutdown on the connections it
 * yields. A guest cannot create, bind or connect sockets: it serves only what it was
 * given. */
#include "wasi/wasi_internal.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

WASI_FN(sock_accept)
{
    int err;
    wasi_fd *listener = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_SOCK_ACCEPT, &err);
    if (!listener) return err;
    uint32_t flags = wasi_arg_u32(a, 1), result_ptr = wasi_arg_u32(a, 2);
    if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK) return WASI_EINVAL;
    if (!wasi_mem_ok(call, result_ptr, 4)) return WASI_EFAULT;
    int host_flags = SOCK_CLOEXEC | ((flags & WASI_FDFLAG_NONBLOCK) ? SOCK_NONBLOCK : 0);
    int fd;
    do {
        fd = accept4(listener->host_fd, NULL, NULL, host_flags);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return wasi_errno_from_host(errno);
    uint32_t guest_fd;
    err = wasi_fd_insert(call->wasi, fd, WASI_FILETYPE_SOCKET_STREAM, WASI_RIGHTS_SOCKET, 0,
                         &guest_fd);
    if (err) {
        close(fd);
        return err;
    }
    wasi_store_u32(call, result_ptr, guest_fd);
    return WASI_ESUCCESS;
}

WASI_FN(sock_recv)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_READ, &err);
    if (!entry) return err;
    uint32_t ri_flags = wasi_arg_u32(a, 3);
    uint32_t len_ptr = wasi_arg_u32(a, 4), flags_ptr = wasi_arg_u32(a, 5);
    if (ri_flags & ~3u) return WASI_EINVAL;
    if (!wasi_mem_ok(call, len_ptr, 4) || !wasi_mem_ok(call, flags_ptr, 2)) return WASI_EFAULT;
    struct iovec iov[WASI_IOV_MAX];
    int count = 0;
    err = wasi_iovecs(call, wasi_arg_u32(a, 1), wasi_arg_u32(a, 2), iov, &count);
    if (err) return err;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = iov;
    msg.msg_iovlen = (size_t)count;
    int host_flags = ((ri_flags & 1) ? MSG_PEEK : 0) | ((ri_flags & 2) ? MSG_WAITALL : 0);
    ssize_t n;
    do {
        n = recvmsg(entry->host_fd, &msg, host_flags);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return wasi_errno_from_host(errno);
    wasi_store_u32(call, len_ptr, (uint32_t)n);
    wasi_store_u16(call, flags_ptr, (msg.msg_flags & MSG_TRUNC) ? 1 : 0);
    return WASI_ESUCCESS;
}

WASI_FN(sock_send)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_WRITE, &err);
    if (!entry) return err;
    uint32_t len_ptr = wasi_arg_u32(a, 4);
    if (!wasi_mem_ok(call, len_ptr, 4)) return WASI_EFAULT;
    struct iovec iov[WASI_IOV_MAX];
    int count = 0;
    err = wasi_iovecs(call, wasi_arg_u32(a, 1), wasi_arg_u32(a, 2), iov, &count);
    if (err) return err;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = iov;
    msg.msg_iovlen = (size_t)count;
    ssize_t n;
    do {
        /* a peer that went away is EPIPE for the guest, not SIGPIPE for the host */
        n = sendmsg(entry->host_fd, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return wasi_errno_from_host(errno);
    wasi_store_u32(call, len_ptr, (uint32_t)n);
    return WASI_ESUCCESS;
}

WASI_FN(sock_shutdown)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_SOCK_SHUTDOWN, &err);
    if (!entry) return err;
    uint32_t how = wasi_arg_u32(a, 1);
    static const int host_how[4] = {-1, SHUT_RD, SHUT_WR, SHUT_RDWR};
    if (how == 0 || how > 3) return WASI_EINVAL;
    return shutdown(entry->host_fd, host_how[how]) == 0 ? WASI_ESUCCESS
                                                        : wasi_errno_from_host(errno);
}
