/* wasi_fdstat.c: what a descriptor is and what it may do: fd_fdstat_get/_set_flags/
 * _set_rights, fd_filestat_get/_set_size/_set_times, the preopen queries
 * (fd_prestat_get, fd_prestat_dir_name) and directory listing (fd_readdir). */
#include "wasi/wasi_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

WASI_FN(fd_fdstat_get)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), 0, &err);
    if (!entry) return err;
    uint32_t ptr = wasi_arg_u32(a, 1);
    if (!wasi_mem_ok(call, ptr, 24)) return WASI_EFAULT;
    int host = fcntl(entry->host_fd, F_GETFL);
    if (host < 0) return wasi_errno_from_host(errno);
    uint16_t flags = 0;
    if (host & O_APPEND) flags |= WASI_FDFLAG_APPEND;
    if (host & O_NONBLOCK) flags |= WASI_FDFLAG_NONBLOCK;
    if ((host & O_SYNC) == O_SYNC)
        flags |= WASI_FDFLAG_SYNC;
    else if (host & O_DSYNC)
        flags |= WASI_FDFLAG_DSYNC;
    memset(call->mem + ptr, 0, 24);
    wasi_store_u8(call, ptr, entry->filetype);
    wasi_store_u16(call, ptr + 2, flags);
    wasi_store_u64(call, ptr + 8, entry->rights_base);
    wasi_store_u64(call, ptr + 16, entry->rights_inheriting);
    return WASI_ESUCCESS;
}

/* Only append and non-blocking can change on an open Linux descriptor; the sync
 * flags are fixed at open, so asking for them here is ENOTSUP rather than a lie. */
WASI_FN(fd_fdstat_set_flags)
{
    int err;
    wasi_fd *entry =
        wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &err);
    if (!entry) return err;
    uint32_t flags = wasi_arg_u32(a, 1);
    if (flags & ~(uint32_t)(WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK)) return WASI_ENOTSUP;
    int host = fcntl(entry->host_fd, F_GETFL);
    if (host < 0) return wasi_errno_from_host(errno);
    host &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WASI_FDFLAG_APPEND) host |= O_APPEND;
    if (flags & WASI_FDFLAG_NONBLOCK) host |= O_NONBLOCK;
    if (fcntl(entry->host_fd, F_SETFL, host) != 0) return wasi_errno_from_host(errno);
    return WASI_ESUCCESS;
}

/* Rights can only shrink. */
WASI_FN(fd_fdstat_set_rights)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), 0, &err);
    if (!entry) return err;
    uint64_t base = wasi_arg_u64(a, 1), inheriting = wasi_arg_u64(a, 2);
    if ((base & ~entry->rights_base) || (inheriting & ~entry->rights_inheriting))
        return WASI_ENOTCAPABLE;
    entry->rights_base = base;
    entry->rights_inheriting = inheriting;
    return WASI_ESUCCESS;
}

WASI_FN(fd_filestat_get)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_FILESTAT_GET, &err);
    if (!entry) return err;
    uint32_t ptr = wasi_arg_u32(a, 1);
    if (!wasi_mem_ok(call, ptr, 64)) return WASI_EFAULT;
    struct stat st;
    if (fstat(entry->host_fd, &st) != 0) return wasi_errno_from_host(errno);
    wasi_store_filestat(call, ptr, &st);
    return WASI_ESUCCESS;
}

WASI_FN(fd_filestat_set_size)
{
    int err;
    wasi_fd *entry =
        wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_FILESTAT_SET_SIZE, &err);
    if (!entry) return err;
    uint64_t size = wasi_arg_u64(a, 1);
    if (size > INT64_MAX) return WASI_EINVAL;
    return ftruncate(entry->host_fd, (off_t)size) == 0 ? WASI_ESUCCESS
                                                       : wasi_errno_from_host(errno);
}

WASI_FN(fd_filestat_set_times)
{
    int err;
    wasi_fd *entry =
        wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_FILESTAT_SET_TIMES, &err);
    if (!entry) return err;
    struct timespec times[2];
    err = wasi_times_from_flags(wasi_arg_u64(a, 1), wasi_arg_u64(a, 2), wasi_arg_u32(a, 3), times);
    if (err) return err;
    return futimens(entry->host_fd, times) == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno);
}

/* wasi-libc walks fds from 3 up with fd_prestat_get until EBADF, so every
 * non-preopen fd must answer EBADF (the listening sockets come right after). */
WASI_FN(fd_prestat_get)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), 0, &err);
    if (!entry) return err;
    if (!(entry->state & WASI_FD_PREOPEN)) return WASI_EBADF;
    uint32_t ptr = wasi_arg_u32(a, 1);
    if (!wasi_mem_ok(call, ptr, 8)) return WASI_EFAULT;
    wasi_store_u32(call, ptr, 0); /* tag 0 = dir, padding */
    wasi_store_u32(call, ptr + 4, (uint32_t)strlen(call->wasi->preopen_names[entry->preopen]));
    return WASI_ESUCCESS;
}

WASI_FN(fd_prestat_dir_name)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), 0, &err);
    if (!entry) return err;
    if (!(entry->state & WASI_FD_PREOPEN)) return WASI_EBADF;
    const char *name = call->wasi->preopen_names[entry->preopen];
    uint32_t ptr = wasi_arg_u32(a, 1), len = wasi_arg_u32(a, 2);
    size_t name_len = strlen(name);
    if (len < name_len) return WASI_ENAMETOOLONG;
    if (!wasi_mem_ok(call, ptr, name_len)) return WASI_EFAULT;
    memcpy(call->mem + ptr, name, name_len);
    return WASI_ESUCCESS;
}

static uint8_t wasi_filetype_from_dirent(unsigned char d_type)
{
    switch (d_type) {
    case DT_REG:
        return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR:
        return WASI_FILETYPE_DIRECTORY;
    case DT_LNK:
        return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR:
        return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK:
        return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK:
        return WASI_FILETYPE_SOCKET_STREAM;
    default:
        return WASI_FILETYPE_UNKNOWN;
    }
}

/* The kernel's own directory record, as getdents64 returns it. */
struct wasi_linux_dirent {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Entries go out as the spec lays them: a 24-byte header then the name, the last one
 * cut at the end of the buffer (a full buffer tells the guest to ask again with a
 * bigger one). The cookie is the kernel's d_off, so seeking back to it resumes
 * exactly after the last entry delivered. */
WASI_FN(fd_readdir)
{
    int err;
    wasi_fd *entry = wasi_fd_get(call->wasi, wasi_arg_u32(a, 0), WASI_RIGHT_FD_READDIR, &err);
    if (!entry) return err;
    uint32_t buf = wasi_arg_u32(a, 1), buf_len = wasi_arg_u32(a, 2);
    uint64_t cookie = wasi_arg_u64(a, 3);
    uint32_t used_ptr = wasi_arg_u32(a, 4);
    if (!wasi_mem_ok(call, buf, buf_len) || !wasi_mem_ok(call, used_ptr, 4)) return WASI_EFAULT;
    if (cookie > INT64_MAX) return WASI_EINVAL;
    if (lseek(entry->host_fd, (off_t)cookie, SEEK_SET) < 0) return wasi_errno_from_host(errno);
    union {
        char bytes[2048];
        uint64_t align;
    } host;
    uint32_t used = 0;
    while (used < buf_len) {
        /* void *: glibc declares a void * buffer, musl a struct dirent * */
        ssize_t n = getdents64(entry->host_fd, (void *)host.bytes, sizeof host.bytes);
        if (n < 0) return wasi_errno_from_host(errno);
        if (n == 0) break;
        for (ssize_t at = 0; at < n && used < buf_len;) {
            struct wasi_linux_dirent *d = (struct wasi_linux_dirent *)(host.bytes + at);
            at += d->d_reclen;
            uint32_t name_len = (uint32_t)strlen(d->d_name);
            uint8_t header[24];
            memset(header, 0, sizeof header);
            uint64_t next = (uint64_t)d->d_off;
            memcpy(header, &next, 8);
            memcpy(header + 8, &d->d_ino, 8);
            memcpy(header + 16, &name_len, 4);
            header[20] = wasi_filetype_from_dirent(d->d_type);
            uint32_t room = buf_len - used;
            uint32_t take = room < 24 ? room : 24;
            memcpy(call->mem + buf + used, header, take);
            used += take;
            room = buf_len - used;
            take = room < name_len ? room : name_len;
            memcpy(call->mem + buf + used, d->d_name, take);
            used += take;
        }
    }
    wasi_store_u32(call, used_ptr, used);
    return WASI_ESUCCESS;
}
