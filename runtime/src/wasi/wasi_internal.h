/* wasi_internal.h: what the files of runtime/src/wasi/ share: the preview1 constants
 * and guest structure layouts, the WASI context and its descriptor table, guest memory
 * access, and the functions each file implements. Nothing here is public; the embedder
 * sees only the WASI section of wasmrt.h. */
#ifndef WASI_INTERNAL_H
#define WASI_INTERNAL_H

#include "wasmrt.h"

#include <stdint.h>
#include <string.h>

/* ---- preview1 constants (the values of the witx definitions) ------------------- */

enum {
    WASI_ESUCCESS = 0,
    WASI_E2BIG = 1,
    WASI_EACCES = 2,
    WASI_EADDRINUSE = 3,
    WASI_EADDRNOTAVAIL = 4,
    WASI_EAFNOSUPPORT = 5,
    WASI_EAGAIN = 6,
    WASI_EALREADY = 7,
    WASI_EBADF = 8,
    WASI_EBADMSG = 9,
    WASI_EBUSY = 10,
    WASI_ECANCELED = 11,
    WASI_ECHILD = 12,
    WASI_ECONNABORTED = 13,
    WASI_ECONNREFUSED = 14,
    WASI_ECONNRESET = 15,
    WASI_EDEADLK = 16,
    WASI_EDESTADDRREQ = 17,
    WASI_EDOM = 18,
    WASI_EDQUOT = 19,
    WASI_EEXIST = 20,
    WASI_EFAULT = 21,
    WASI_EFBIG = 22,
    WASI_EHOSTUNREACH = 23,
    WASI_EIDRM = 24,
    WASI_EILSEQ = 25,
    WASI_EINPROGRESS = 26,
    WASI_EINTR = 27,
    WASI_EINVAL = 28,
    WASI_EIO = 29,
    WASI_EISCONN = 30,
    WASI_EISDIR = 31,
    WASI_ELOOP = 32,
    WASI_EMFILE = 33,
    WASI_EMLINK = 34,
    WASI_EMSGSIZE = 35,
    WASI_EMULTIHOP = 36,
    WASI_ENAMETOOLONG = 37,
    WASI_ENETDOWN = 38,
    WASI_ENETRESET = 39,
    WASI_ENETUNREACH = 40,
    WASI_ENFILE = 41,
    WASI_ENOBUFS = 42,
    WASI_ENODEV = 43,
    WASI_ENOENT = 44,
    WASI_ENOEXEC = 45,
    WASI_ENOLCK = 46,
    WASI_ENOLINK = 47,
    WASI_ENOMEM = 48,
    WASI_ENOMSG = 49,
    WASI_ENOPROTOOPT = 50,
    WASI_ENOSPC = 51,
    WASI_ENOSYS = 52,
    WASI_ENOTCONN = 53,
    WASI_ENOTDIR = 54,
    WASI_ENOTEMPTY = 55,
    WASI_ENOTRECOVERABLE = 56,
    WASI_ENOTSOCK = 57,
    WASI_ENOTSUP = 58,
    WASI_ENOTTY = 59,
    WASI_ENXIO = 60,
    WASI_EOVERFLOW = 61,
    WASI_EOWNERDEAD = 62,
    WASI_EPERM = 63,
    WASI_EPIPE = 64,
    WASI_EPROTO = 65,
    WASI_EPROTONOSUPPORT = 66,
    WASI_EPROTOTYPE = 67,
    WASI_ERANGE = 68,
    WASI_EROFS = 69,
    WASI_ESPIPE = 70,
    WASI_ESRCH = 71,
    WASI_ESTALE = 72,
    WASI_ETIMEDOUT = 73,
    WASI_ETXTBSY = 74,
    WASI_EXDEV = 75,
    WASI_ENOTCAPABLE = 76,
};

enum {
    WASI_FILETYPE_UNKNOWN = 0,
    WASI_FILETYPE_BLOCK_DEVICE = 1,
    WASI_FILETYPE_CHARACTER_DEVICE = 2,
    WASI_FILETYPE_DIRECTORY = 3,
    WASI_FILETYPE_REGULAR_FILE = 4,
    WASI_FILETYPE_SOCKET_DGRAM = 5,
    WASI_FILETYPE_SOCKET_STREAM = 6,
    WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

#define WASI_RIGHT_FD_DATASYNC (1ull << 0)
#define WASI_RIGHT_FD_READ (1ull << 1)
#define WASI_RIGHT_FD_SEEK (1ull << 2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define WASI_RIGHT_FD_SYNC (1ull << 4)
#define WASI_RIGHT_FD_TELL (1ull << 5)
#define WASI_RIGHT_FD_WRITE (1ull << 6)
#define WASI_RIGHT_FD_ADVISE (1ull << 7)
#define WASI_RIGHT_FD_ALLOCATE (1ull << 8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY (1ull << 9)
#define WASI_RIGHT_PATH_CREATE_FILE (1ull << 10)
#define WASI_RIGHT_PATH_LINK_SOURCE (1ull << 11)
#define WASI_RIGHT_PATH_LINK_TARGET (1ull << 12)
#define WASI_RIGHT_PATH_OPEN (1ull << 13)
#define WASI_RIGHT_FD_READDIR (1ull << 14)
#define WASI_RIGHT_PATH_READLINK (1ull << 15)
#define WASI_RIGHT_PATH_RENAME_SOURCE (1ull << 16)
#define WASI_RIGHT_PATH_RENAME_TARGET (1ull << 17)
#define WASI_RIGHT_PATH_FILESTAT_GET (1ull << 18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define WASI_RIGHT_FD_FILESTAT_GET (1ull << 21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE (1ull << 22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES (1ull << 23)
#define WASI_RIGHT_PATH_SYMLINK (1ull << 24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY (1ull << 25)
#define WASI_RIGHT_PATH_UNLINK_FILE (1ull << 26)
#define WASI_RIGHT_POLL_FD_READWRITE (1ull << 27)
#define WASI_RIGHT_SOCK_SHUTDOWN (1ull << 28)
#define WASI_RIGHT_SOCK_ACCEPT (1ull << 29)
#define WASI_RIGHTS_ALL ((1ull << 30) - 1)

/* What an open descriptor of each kind can ever do; an fd's rights are these narrowed
 * by what its opener asked for and what its directory allowed. */
#define WASI_RIGHTS_REGULAR_FILE                                                                   \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK |                            \
     WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL |                    \
     WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE |                         \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |                                \
     WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_DIRECTORY                                                                      \
    (WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_DATASYNC |                \
     WASI_RIGHT_PATH_CREATE_DIRECTORY | WASI_RIGHT_PATH_CREATE_FILE |                              \
     WASI_RIGHT_PATH_LINK_SOURCE | WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN |            \
     WASI_RIGHT_FD_READDIR | WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_RENAME_SOURCE |            \
     WASI_RIGHT_PATH_RENAME_TARGET | WASI_RIGHT_PATH_FILESTAT_GET |                                \
     WASI_RIGHT_PATH_FILESTAT_SET_SIZE | WASI_RIGHT_PATH_FILESTAT_SET_TIMES |                      \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_PATH_SYMLINK |     \
     WASI_RIGHT_PATH_REMOVE_DIRECTORY | WASI_RIGHT_PATH_UNLINK_FILE |                              \
     WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_STREAM                                                                         \
    (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_FDSTAT_SET_FLAGS |                   \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_SOCKET (WASI_RIGHTS_STREAM | WASI_RIGHT_SOCK_SHUTDOWN)
#define WASI_RIGHTS_LISTENER (WASI_RIGHTS_SOCKET | WASI_RIGHT_SOCK_ACCEPT)

enum {
    WASI_FDFLAG_APPEND = 1,
    WASI_FDFLAG_DSYNC = 2,
    WASI_FDFLAG_NONBLOCK = 4,
    WASI_FDFLAG_RSYNC = 8,
    WASI_FDFLAG_SYNC = 16
};
enum { WASI_OFLAG_CREAT = 1, WASI_OFLAG_DIRECTORY = 2, WASI_OFLAG_EXCL = 4, WASI_OFLAG_TRUNC = 8 };
enum { WASI_LOOKUP_SYMLINK_FOLLOW = 1 };
enum {
    WASI_FSTFLAG_ATIM = 1,
    WASI_FSTFLAG_ATIM_NOW = 2,
    WASI_FSTFLAG_MTIM = 4,
    WASI_FSTFLAG_MTIM_NOW = 8
};
enum { WASI_EVENTTYPE_CLOCK = 0, WASI_EVENTTYPE_FD_READ = 1, WASI_EVENTTYPE_FD_WRITE = 2 };

/* ---- the context ---------------------------------------------------------------- */

enum {
    WASI_FD_FREE = 0,
    WASI_FD_OPEN = 1,    /* in use */
    WASI_FD_OWNED = 2,   /* the context closes the host fd (not stdio, not listeners) */
    WASI_FD_PREOPEN = 4, /* a preopened directory: fd_prestat_* answer for it */
    WASI_FD_UNTYPED = 8, /* filetype and rights not yet read from the host (stdio) */
};

typedef struct wasi_fd {
    int host_fd;
    uint8_t state;    /* WASI_FD_* bits */
    uint8_t filetype; /* WASI_FILETYPE_* */
    uint16_t preopen; /* index into wasi->preopen_names when WASI_FD_PREOPEN */
    uint64_t rights_base;
    uint64_t rights_inheriting;
} wasi_fd;

struct wasmrt_wasi {
    wasi_fd *fds;
    uint32_t fd_count; /* slots in use or free below this index */
    uint32_t fd_capacity;
    uint32_t argc, envc;
    uint32_t args_bytes, env_bytes; /* sizes of the NUL-terminated strings, together */
    char **argv, **envp;            /* point into strings */
    char **preopen_names;
    uint32_t preopen_count;
    char *strings; /* one block: argv, envp and preopen name strings */
    /* poll_oneoff's work space for more subscriptions than fit on the stack: kept and
     * grown, so a server polling many connections does not allocate per call */
    void *poll_space;
    uint32_t poll_capacity;
};

/* One host call: the context and the guest memory seen when it began. */
typedef struct wasi_call {
    wasmrt_wasi *wasi;
    uint8_t *mem;
    uint64_t mem_size;
} wasi_call;

/* ---- guest memory --------------------------------------------------------------- */

/* Whether [ptr, ptr+len) lies inside guest memory; every access checks first. */
static inline int wasi_mem_ok(const wasi_call *call, uint32_t ptr, uint64_t len)
{
    return (uint64_t)ptr + len <= call->mem_size;
}
static inline uint32_t wasi_load_u32(const wasi_call *call, uint32_t ptr)
{
    uint32_t v;
    memcpy(&v, call->mem + ptr, 4);
    return v;
}
static inline uint64_t wasi_load_u64(const wasi_call *call, uint32_t ptr)
{
    uint64_t v;
    memcpy(&v, call->mem + ptr, 8);
    return v;
}
static inline void wasi_store_u8(wasi_call *call, uint32_t ptr, uint8_t v)
{
    call->mem[ptr] = v;
}
static inline void wasi_store_u16(wasi_call *call, uint32_t ptr, uint16_t v)
{
    memcpy(call->mem + ptr, &v, 2);
}
static inline void wasi_store_u32(wasi_call *call, uint32_t ptr, uint32_t v)
{
    memcpy(call->mem + ptr, &v, 4);
}
static inline void wasi_store_u64(wasi_call *call, uint32_t ptr, uint64_t v)
{
    memcpy(call->mem + ptr, &v, 8);
}
/* Stores one u32 result at ptr, or says EFAULT. */
static inline int wasi_put_u32(wasi_call *call, uint32_t ptr, uint32_t v)
{
    if (!wasi_mem_ok(call, ptr, 4)) return WASI_EFAULT;
    wasi_store_u32(call, ptr, v);
    return WASI_ESUCCESS;
}
static inline int wasi_put_u64(wasi_call *call, uint32_t ptr, uint64_t v)
{
    if (!wasi_mem_ok(call, ptr, 8)) return WASI_EFAULT;
    wasi_store_u64(call, ptr, v);
    return WASI_ESUCCESS;
}

/* Host iovecs built from guest ones; more than this many are cut short, which readv
 * and writev semantics allow (a short read or write). */
#define WASI_IOV_MAX 64
struct iovec;
/* (wasi_convert.c) Translates iovs_len guest iovecs at iovs into host ones; EFAULT
 * if any lies outside memory. *count receives how many were used. */
int wasi_iovecs(wasi_call *call, uint32_t iovs, uint32_t iovs_len, struct iovec *out, int *count);

/* ---- descriptors (wasi_context.c) ----------------------------------------------- */

/* The open entry for a guest fd having every right in `rights`, or NULL with *err
 * set to EBADF (no such fd) or ENOTCAPABLE (a right missing). */
wasi_fd *wasi_fd_get(wasmrt_wasi *wasi, uint32_t fd, uint64_t rights, int *err);
/* Puts host_fd in the lowest free guest slot; EMFILE/ENOMEM when it cannot. */
int wasi_fd_insert(wasmrt_wasi *wasi, int host_fd, uint8_t filetype, uint64_t base,
                   uint64_t inheriting, uint32_t *guest_fd);
/* Closes the host fd when owned and frees the slot. */
void wasi_fd_release(wasmrt_wasi *wasi, uint32_t fd);
/* Reads the filetype of an fd whose type was left to the first use (stdio). */
void wasi_fd_learn_type(wasi_fd *entry);

/* ---- host <-> WASI conversions (wasi_convert.c) ----------------------------------- */

int wasi_errno_from_host(int host_errno);
uint8_t wasi_filetype_from_mode(unsigned mode);
struct stat;
/* Writes a 64-byte filestat at ptr (already checked). */
void wasi_store_filestat(wasi_call *call, uint32_t ptr, const struct stat *st);
struct timespec; /* times[0] = access, times[1] = modification */
/* Builds the utimensat times from WASI set-times arguments; EINVAL on conflicting flags. */
int wasi_times_from_flags(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec *times);

/* ---- sandboxed path resolution (wasi_resolve.c) --------------------------------- */

/* Copies the guest path into buf as a C string; EFAULT, EINVAL (NUL inside),
 * ENAMETOOLONG. */
int wasi_path_copy(wasi_call *call, uint32_t ptr, uint32_t len, char *buf, size_t size);
/* Opens path beneath the directory host fd dirfd, never leaving it: absolute paths,
 * `..` past the top and symlinks leading out are ENOTCAPABLE. flags are open(2) flags;
 * follow says whether a final symlink is followed. Returns a host fd or -errno (WASI). */
int wasi_resolve_open(int dirfd, const char *path, int flags, unsigned mode, int follow,
                      int *host_fd);
/* The same without openat2 (wasi_walk.c): a component-by-component walk. */
int wasi_walk_open(int dirfd, const char *path, int flags, unsigned mode, int follow, int *host_fd);
/* Splits path into a parent opened beneath dirfd (O_PATH) and a last component that
 * may be acted on with the *at() calls. `..`, `.` and "" as the last component are
 * folded into the parent (last becomes "."). The caller closes *parent_fd. */
int wasi_resolve_parent(int dirfd, char *path, int *parent_fd, const char **last);

/* ---- the preview1 functions, each file's share ---------------------------------- */
/* Arguments arrive as the engine's typed values; each returns a WASI errno. */
#define WASI_FN(name) int wasi_##name(wasi_call *call, const wasmrt_value *a)
/* wasi_env.c */
WASI_FN(args_get);
WASI_FN(args_sizes_get);
WASI_FN(environ_get);
WASI_FN(environ_sizes_get);
WASI_FN(clock_res_get);
WASI_FN(clock_time_get);
WASI_FN(random_get);
WASI_FN(proc_raise);
WASI_FN(sched_yield);
/* wasi_fd.c */
WASI_FN(fd_read);
WASI_FN(fd_write);
WASI_FN(fd_pread);
WASI_FN(fd_pwrite);
WASI_FN(fd_seek);
WASI_FN(fd_tell);
WASI_FN(fd_close);
WASI_FN(fd_sync);
WASI_FN(fd_datasync);
WASI_FN(fd_advise);
WASI_FN(fd_allocate);
WASI_FN(fd_renumber);
/* wasi_fdstat.c */
WASI_FN(fd_fdstat_get);
WASI_FN(fd_fdstat_set_flags);
WASI_FN(fd_fdstat_set_rights);
WASI_FN(fd_filestat_get);
WASI_FN(fd_filestat_set_size);
WASI_FN(fd_filestat_set_times);
WASI_FN(fd_prestat_get);
WASI_FN(fd_prestat_dir_name);
WASI_FN(fd_readdir);
/* wasi_path.c */
WASI_FN(path_open);
WASI_FN(path_create_directory);
WASI_FN(path_remove_directory);
WASI_FN(path_unlink_file);
WASI_FN(path_rename);
WASI_FN(path_filestat_get);
WASI_FN(path_filestat_set_times);
WASI_FN(path_readlink);
WASI_FN(path_symlink);
WASI_FN(path_link);
/* wasi_poll.c */
WASI_FN(poll_oneoff);
/* wasi_sock.c */
WASI_FN(sock_accept);
WASI_FN(sock_recv);
WASI_FN(sock_send);
WASI_FN(sock_shutdown);

static inline uint32_t wasi_arg_u32(const wasmrt_value *a, int i)
{
    return (uint32_t)a[i].of.i32;
}
static inline uint64_t wasi_arg_u64(const wasmrt_value *a, int i)
{
    return (uint64_t)a[i].of.i64;
}

#endif
