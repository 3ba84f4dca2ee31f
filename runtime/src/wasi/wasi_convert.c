/* wasi_convert.c: translations between host and WASI representations: errno values,
 * file types, stat records, set-times arguments and iovec arrays. */
#include "wasi/wasi_internal.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

int wasi_errno_from_host(int e)
{
    switch (e) {
    case 0:
        return WASI_ESUCCESS;
    case E2BIG:
        return WASI_E2BIG;
    case EACCES:
        return WASI_EACCES;
    case EADDRINUSE:
        return WASI_EADDRINUSE;
    case EADDRNOTAVAIL:
        return WASI_EADDRNOTAVAIL;
    case EAFNOSUPPORT:
        return WASI_EAFNOSUPPORT;
    case EAGAIN:
        return WASI_EAGAIN;
    case EALREADY:
        return WASI_EALREADY;
    case EBADF:
        return WASI_EBADF;
    case EBADMSG:
        return WASI_EBADMSG;
    case EBUSY:
        return WASI_EBUSY;
    case ECANCELED:
        return WASI_ECANCELED;
    case ECHILD:
        return WASI_ECHILD;
    case ECONNABORTED:
        return WASI_ECONNABORTED;
    case ECONNREFUSED:
        return WASI_ECONNREFUSED;
    case ECONNRESET:
        return WASI_ECONNRESET;
    case EDEADLK:
        return WASI_EDEADLK;
    case EDESTADDRREQ:
        return WASI_EDESTADDRREQ;
    case EDOM:
        return WASI_EDOM;
    case EDQUOT:
        return WASI_EDQUOT;
    case EEXIST:
        return WASI_EEXIST;
    case EFAULT:
        return WASI_EFAULT;
    case EFBIG:
        return WASI_EFBIG;
    case EHOSTUNREACH:
        return WASI_EHOSTUNREACH;
    case EIDRM:
        return WASI_EIDRM;
    case EILSEQ:
        return WASI_EILSEQ;
    case EINPROGRESS:
        return WASI_EINPROGRESS;
    case EINTR:
        return WASI_EINTR;
    case EINVAL:
        return WASI_EINVAL;
    case EIO:
        return WASI_EIO;
    case EISCONN:
        return WASI_EISCONN;
    case EISDIR:
        return WASI_EISDIR;
    case ELOOP:
        return WASI_ELOOP;
    case EMFILE:
        return WASI_EMFILE;
    case EMLINK:
        return WASI_EMLINK;
    case EMSGSIZE:
        return WASI_EMSGSIZE;
    case EMULTIHOP:
        return WASI_EMULTIHOP;
    case ENAMETOOLONG:
        return WASI_ENAMETOOLONG;
    case ENETDOWN:
        return WASI_ENETDOWN;
    case ENETRESET:
        return WASI_ENETRESET;
    case ENETUNREACH:
        return WASI_ENETUNREACH;
    case ENFILE:
        return WASI_ENFILE;
    case ENOBUFS:
        return WASI_ENOBUFS;
    case ENODEV:
        return WASI_ENODEV;
    case ENOENT:
        return WASI_ENOENT;
    case ENOEXEC:
        return WASI_ENOEXEC;
    case ENOLCK:
        return WASI_ENOLCK;
    case ENOLINK:
        return WASI_ENOLINK;
    case ENOMEM:
        return WASI_ENOMEM;
    case ENOMSG:
        return WASI_ENOMSG;
    case ENOPROTOOPT:
        return WASI_ENOPROTOOPT;
    case ENOSPC:
        return WASI_ENOSPC;
    case ENOSYS:
        return WASI_ENOSYS;
    case ENOTCONN:
        return WASI_ENOTCONN;
    case ENOTDIR:
        return WASI_ENOTDIR;
    case ENOTEMPTY:
        return WASI_ENOTEMPTY;
    case ENOTRECOVERABLE:
        return WASI_ENOTRECOVERABLE;
    case ENOTSOCK:
        return WASI_ENOTSOCK;
    case ENOTSUP:
        return WASI_ENOTSUP; /* == EOPNOTSUPP on Linux */
    case ENOTTY:
        return WASI_ENOTTY;
    case ENXIO:
        return WASI_ENXIO;
    case EOVERFLOW:
        return WASI_EOVERFLOW;
    case EOWNERDEAD:
        return WASI_EOWNERDEAD;
    case EPERM:
        return WASI_EPERM;
    case EPIPE:
        return WASI_EPIPE;
    case EPROTO:
        return WASI_EPROTO;
    case EPROTONOSUPPORT:
        return WASI_EPROTONOSUPPORT;
    case EPROTOTYPE:
        return WASI_EPROTOTYPE;
    case ERANGE:
        return WASI_ERANGE;
    case EROFS:
        return WASI_EROFS;
    case ESPIPE:
        return WASI_ESPIPE;
    case ESRCH:
        return WASI_ESRCH;
    case ESTALE:
        return WASI_ESTALE;
    case ETIMEDOUT:
        return WASI_ETIMEDOUT;
    case ETXTBSY:
        return WASI_ETXTBSY;
    case EXDEV:
        return WASI_EXDEV;
    default:
        return WASI_EIO; /* a host condition WASI has no name for */
    }
}

uint8_t wasi_filetype_from_mode(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
        return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR:
        return WASI_FILETYPE_DIRECTORY;
    case S_IFCHR:
        return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK:
        return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFSOCK:
        return WASI_FILETYPE_SOCKET_STREAM;
    case S_IFLNK:
        return WASI_FILETYPE_SYMBOLIC_LINK;
    default:
        return WASI_FILETYPE_UNKNOWN; /* FIFOs: preview1 has no type for them */
    }
}

static uint64_t wasi_timespec_ns(const struct timespec *ts)
{
    return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

void wasi_store_filestat(wasi_call *call, uint32_t ptr, const struct stat *st)
{
    memset(call->mem + ptr, 0, 64);
    wasi_store_u64(call, ptr + 0, (uint64_t)st->st_dev);
    wasi_store_u64(call, ptr + 8, (uint64_t)st->st_ino);
    wasi_store_u8(call, ptr + 16, wasi_filetype_from_mode(st->st_mode));
    wasi_store_u64(call, ptr + 24, (uint64_t)st->st_nlink);
    wasi_store_u64(call, ptr + 32, (uint64_t)st->st_size);
    wasi_store_u64(call, ptr + 40, wasi_timespec_ns(&st->st_atim));
    wasi_store_u64(call, ptr + 48, wasi_timespec_ns(&st->st_mtim));
    wasi_store_u64(call, ptr + 56, wasi_timespec_ns(&st->st_ctim));
}

static int wasi_time_one(uint64_t value, int set, int now, struct timespec *out)
{
    if (set && now) return WASI_EINVAL;
    if (now) {
        out->tv_sec = 0;
        out->tv_nsec = UTIME_NOW;
    } else if (set) {
        out->tv_sec = (time_t)(value / 1000000000ull);
        out->tv_nsec = (long)(value % 1000000000ull);
    } else {
        out->tv_sec = 0;
        out->tv_nsec = UTIME_OMIT;
    }
    return WASI_ESUCCESS;
}

int wasi_times_from_flags(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec *times)
{
    if (fst_flags & ~0xfu) return WASI_EINVAL;
    int err = wasi_time_one(atim, fst_flags & WASI_FSTFLAG_ATIM, fst_flags & WASI_FSTFLAG_ATIM_NOW,
                            &times[0]);
    if (err) return err;
    return wasi_time_one(mtim, fst_flags & WASI_FSTFLAG_MTIM, fst_flags & WASI_FSTFLAG_MTIM_NOW,
                         &times[1]);
}

int wasi_iovecs(wasi_call *call, uint32_t iovs, uint32_t iovs_len, struct iovec *out, int *count)
{
    if (!wasi_mem_ok(call, iovs, (uint64_t)iovs_len * 8)) return WASI_EFAULT;
    uint32_t n = iovs_len < WASI_IOV_MAX ? iovs_len : WASI_IOV_MAX;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t buf = wasi_load_u32(call, iovs + i * 8);
        uint32_t len = wasi_load_u32(call, iovs + i * 8 + 4);
        if (!wasi_mem_ok(call, buf, len)) return WASI_EFAULT;
        out[i].iov_base = call->mem + buf;
        out[i].iov_len = len;
    }
    *count = (int)n;
    return WASI_ESUCCESS;
}
