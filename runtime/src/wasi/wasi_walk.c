/* wasi_walk.c: path resolution beneath a directory without openat2(), for kernels
 * older than 5.6 (and forced with WASMRT_WASI_NO_OPENAT2=1, so it stays tested). It
 * walks one component at a time from the preopen's fd, opening each directory with
 * O_NOFOLLOW and expanding symlinks itself. `..` returns to the fd it came from (kept
 * on a stack), never to the kernel's idea of the parent, so a directory renamed out
 * of the sandbox mid-walk still cannot lead the guest above where it started. */
#include "wasi/wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#define WASI_WALK_MAX_DEPTH 128
#define WASI_WALK_MAX_LINKS 40 /* as the kernel's own limit */

typedef struct wasi_walk {
    int root;  /* the preopen: not ours to close */
    int cur;   /* the directory the next component is looked up in */
    int depth; /* directories entered below root */
    int stack[WASI_WALK_MAX_DEPTH];
    int links;
    char path[PATH_MAX * 2]; /* what is left to resolve; symlinks are spliced in */
} wasi_walk;

static void wasi_walk_close(wasi_walk *w)
{
    if (w->cur != w->root) close(w->cur);
    for (int i = 0; i < w->depth; i++)
        if (w->stack[i] != w->root) close(w->stack[i]);
}

/* Replaces the component `name` (a symlink in w->cur) by its target, followed by
 * rest: w->path becomes "target/rest". Absolute targets leave the sandbox. */
static int wasi_walk_splice(wasi_walk *w, const char *name, const char *rest, int must_be_link)
{
    char target[PATH_MAX];
    ssize_t n = readlinkat(w->cur, name, target, sizeof target - 1);
    if (n < 0) return errno == EINVAL ? must_be_link : wasi_errno_from_host(errno);
    target[n] = '\0';
    if (++w->links > WASI_WALK_MAX_LINKS) return WASI_ELOOP;
    if (target[0] == '/') return WASI_ENOTCAPABLE;
    size_t rest_len = strlen(rest);
    if ((size_t)n + 1 + rest_len >= sizeof w->path) return WASI_ENAMETOOLONG;
    size_t sep = rest_len ? 1 : 0; /* no slash after a final link: it would demand a dir */
    memmove(w->path + n + sep, rest, rest_len + 1); /* rest lies inside w->path */
    memcpy(w->path, target, (size_t)n);
    if (sep) w->path[n] = '/';
    return WASI_ESUCCESS;
}

static int wasi_walk_run(wasi_walk *w, int flags, unsigned mode, int follow, int *host_fd)
{
    char *p = w->path;
    for (;;) {
        while (*p == '/')
            p++;
        if (*p == '\0') { /* the path ended on "." or ".." or a link to them */
            int fd = openat(w->cur, ".", flags | O_CLOEXEC, mode);
            if (fd < 0) return wasi_errno_from_host(errno);
            *host_fd = fd;
            return WASI_ESUCCESS;
        }
        char *end = p;
        while (*end && *end != '/')
            end++;
        char *next = end;
        while (*next == '/')
            next++;
        int last = *next == '\0', trailing_slash = last && *end == '/';
        size_t n = (size_t)(end - p);
        char name[NAME_MAX + 1];
        if (n > NAME_MAX) return WASI_ENAMETOOLONG;
        memcpy(name, p, n);
        name[n] = '\0';
        if (strcmp(name, ".") == 0) {
            p = next;
            continue;
        }
        if (strcmp(name, "..") == 0) {
            if (w->depth == 0) return WASI_ENOTCAPABLE;
            if (w->cur != w->root) close(w->cur);
            w->cur = w->stack[--w->depth];
            p = next;
            continue;
        }
        if (!last) {
            int fd = openat(w->cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd >= 0) {
                if (w->depth == WASI_WALK_MAX_DEPTH) {
                    close(fd);
                    return WASI_ENAMETOOLONG;
                }
                w->stack[w->depth++] = w->cur;
                w->cur = fd;
                p = next;
                continue;
            }
            if (errno != ENOTDIR && errno != ELOOP) return wasi_errno_from_host(errno);
            /* not a directory: a symlink to expand, or really not a directory */
            int err = wasi_walk_splice(w, name, next, WASI_ENOTDIR);
            if (err) return err;
            p = w->path;
            continue;
        }
        int final_flags = flags | O_CLOEXEC | O_NOFOLLOW | (trailing_slash ? O_DIRECTORY : 0);
        int fd = openat(w->cur, name, final_flags, mode);
        int saved = errno;
        if (fd >= 0 && follow && (flags & O_PATH)) {
            /* O_PATH|O_NOFOLLOW opens a symlink itself instead of failing */
            struct stat st;
            if (fstat(fd, &st) != 0 || !S_ISLNK(st.st_mode)) {
                *host_fd = fd;
                return WASI_ESUCCESS;
            }
            close(fd);
        } else if (fd >= 0) {
            *host_fd = fd;
            return WASI_ESUCCESS;
        } else if (!follow || (saved != ELOOP && saved != ENOTDIR)) {
            return wasi_errno_from_host(saved);
        }
        char rest[2] = {trailing_slash ? '/' : '\0', '\0'};
        int err = wasi_walk_splice(w, name, rest, wasi_errno_from_host(saved));
        if (err) return err;
        p = w->path;
    }
}

int wasi_walk_open(int dirfd, const char *path, int flags, unsigned mode, int follow, int *host_fd)
{
    if (path[0] == '/') return WASI_ENOTCAPABLE;
    wasi_walk walk;
    wasi_walk *w = &walk;
    size_t len = strlen(path);
    if (len >= sizeof w->path) return WASI_ENAMETOOLONG;
    memcpy(w->path, path, len + 1);
    w->root = w->cur = dirfd;
    w->depth = 0;
    w->links = 0;
    int err = wasi_walk_run(w, flags, mode, follow, host_fd);
    wasi_walk_close(w);
    return err;
}
