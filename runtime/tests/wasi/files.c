/* files: file and directory work inside the preopened directory given as argv[1]
 * (run with --dir HOST::/sandbox, argv[1] = "/sandbox"): create, write, read back,
 * seek, pread/pwrite, truncate, stat, rename, readdir, mkdir/rmdir, unlink, symlinks
 * and hard links inside the sandbox, set times, append mode. Leaves "kept.txt" behind
 * with known contents so the runner can check the host side. */
#include "check.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <wasi/api.h>

/* "dir/name", allocated: the program is short-lived, so nothing is freed */
static const char *at(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static int listing_has(const char *dir, const char *name, unsigned char type)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int found = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, name) == 0 && (type == DT_UNKNOWN || e->d_type == type)) found = 1;
    closedir(d);
    return found;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    const char *a = at(dir, "a.txt");

    int fd = open(a, O_CREAT | O_TRUNC | O_RDWR, 0644);
    CHECK("create", fd >= 0);
    CHECK("write", write(fd, "hello, world\n", 13) == 13);
    CHECK("seek to start", lseek(fd, 0, SEEK_SET) == 0);
    char buf[64] = {0};
    CHECK("read back", read(fd, buf, sizeof buf) == 13 && strcmp(buf, "hello, world\n") == 0);
    CHECK("tell at end", lseek(fd, 0, SEEK_CUR) == 13);
    CHECK("seek from end", lseek(fd, -6, SEEK_END) == 7);
    memset(buf, 0, sizeof buf);
    CHECK("read after seek", read(fd, buf, 5) == 5 && strcmp(buf, "world") == 0);
    CHECK("pwrite", pwrite(fd, "HELLO", 5, 0) == 5);
    memset(buf, 0, sizeof buf);
    CHECK("pread", pread(fd, buf, 5, 0) == 5 && strcmp(buf, "HELLO") == 0);
    CHECK("pread keeps the offset", lseek(fd, 0, SEEK_CUR) == 12);
    struct stat st;
    CHECK("fstat size", fstat(fd, &st) == 0 && st.st_size == 13 && S_ISREG(st.st_mode));
    CHECK("ftruncate", ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5);
    CHECK("fsync", fsync(fd) == 0);
    CHECK("fdatasync", fdatasync(fd) == 0);
    CHECK("posix_fallocate",
          posix_fallocate(fd, 0, 4096) == 0 && fstat(fd, &st) == 0 && st.st_size == 4096);
    CHECK("posix_fadvise", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
    CHECK("close", close(fd) == 0);
    CHECK("close twice is EBADF", close(fd) == -1 && errno == EBADF);

    CHECK("stat by path", stat(a, &st) == 0 && st.st_size == 4096);
    CHECK("open missing is ENOENT", open(at(dir, "missing"), O_RDONLY) == -1 && errno == ENOENT);
    CHECK("O_EXCL on existing is EEXIST",
          open(a, O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST);

    /* append mode: writes land at the end whatever the offset */
    fd = open(a, O_WRONLY | O_APPEND);
    CHECK("open append", fd >= 0 && write(fd, "tail", 4) == 4 && close(fd) == 0);
    CHECK("append grew the file", stat(a, &st) == 0 && st.st_size == 4100);

    /* stdio on a file */
    FILE *f = fopen(at(dir, "kept.txt"), "w");
    CHECK("fopen", f != NULL);
    if (f) {
        fprintf(f, "kept by the guest\n");
        CHECK("fclose", fclose(f) == 0);
    }
    f = fopen(at(dir, "kept.txt"), "r");
    CHECK("fgets", f && fgets(buf, sizeof buf, f) && strcmp(buf, "kept by the guest\n") == 0);
    if (f) fclose(f);

    /* rename, directories, readdir */
    const char *b = at(dir, "b.txt");
    CHECK("rename", rename(a, b) == 0 && access(a, F_OK) == -1 && access(b, F_OK) == 0);
    const char *sub = at(dir, "sub");
    CHECK("mkdir", mkdir(sub, 0755) == 0);
    CHECK("mkdir existing is EEXIST", mkdir(sub, 0755) == -1 && errno == EEXIST);
    CHECK("rename into subdir", rename(b, at(sub, "b.txt")) == 0);
    CHECK("readdir sees the file", listing_has(sub, "b.txt", DT_REG));
    CHECK("readdir sees the dir", listing_has(dir, "sub", DT_DIR));
    CHECK("readdir sees . and ..", listing_has(sub, ".", DT_DIR) && listing_has(sub, "..", DT_DIR));
    /* enough entries to need several fd_readdir calls */
    int made = 0;
    for (int i = 0; i < 300; i++) {
        char name[64];
        snprintf(name, sizeof name, "entry-with-a-long-name-to-fill-buffers-%03d", i);
        int e = open(at(sub, name), O_CREAT | O_WRONLY, 0644);
        if (e >= 0 && close(e) == 0) made++;
    }
    CHECK("created 300 entries", made == 300);
    CHECK("readdir lists all", count_entries(sub) == 303);
    CHECK("rmdir non-empty is ENOTEMPTY", rmdir(sub) == -1 && errno == ENOTEMPTY);
    for (int i = 0; i < 300; i++) {
        char name[64];
        snprintf(name, sizeof name, "entry-with-a-long-name-to-fill-buffers-%03d", i);
        unlink(at(sub, name));
    }
    CHECK("unlink", unlink(at(sub, "b.txt")) == 0);
    CHECK("unlink a directory fails", unlink(sub) == -1 && (errno == EISDIR || errno == EPERM));
    CHECK("rmdir", rmdir(sub) == 0 && access(sub, F_OK) == -1);

    /* links inside the sandbox */
    const char *target = at(dir, "kept.txt");
    CHECK("symlink", symlink("kept.txt", at(dir, "link")) == 0);
    char lbuf[64] = {0};
    CHECK("readlink",
          readlink(at(dir, "link"), lbuf, sizeof lbuf) == 8 && memcmp(lbuf, "kept.txt", 8) == 0);
    CHECK("lstat sees a link", lstat(at(dir, "link"), &st) == 0 && S_ISLNK(st.st_mode));
    CHECK("stat follows it", stat(at(dir, "link"), &st) == 0 && S_ISREG(st.st_mode));
    fd = open(at(dir, "link"), O_RDONLY);
    CHECK("open through a link", fd >= 0 && read(fd, buf, 4) == 4 && memcmp(buf, "kept", 4) == 0);
    if (fd >= 0) close(fd);
    CHECK("hard link",
          link(target, at(dir, "hard")) == 0 && stat(target, &st) == 0 && st.st_nlink == 2);
    CHECK("unlink the links", unlink(at(dir, "hard")) == 0 && unlink(at(dir, "link")) == 0);

    /* times */
    struct timeval tv[2] = {{1000000000, 0}, {1200000000, 500000}};
    CHECK("utimes", utimes(target, tv) == 0);
    CHECK("mtime set", stat(target, &st) == 0 && st.st_mtim.tv_sec == 1200000000 &&
                           st.st_atim.tv_sec == 1000000000);
    fd = open(target, O_RDONLY);
    struct timespec ts[2] = {{0, UTIME_OMIT}, {1300000000, 0}};
    CHECK("futimens", fd >= 0 && futimens(fd, ts) == 0 && fstat(fd, &st) == 0 &&
                          st.st_mtim.tv_sec == 1300000000 && st.st_atim.tv_sec == 1000000000);
    if (fd >= 0) close(fd);

    /* a directory opened as a file descriptor */
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    CHECK("open the dir", fd >= 0);
    CHECK("openat relative to it", fd >= 0 && faccessat(fd, "kept.txt", F_OK, 0) == 0);
    CHECK("read on a dir fails", fd >= 0 && read(fd, buf, 1) == -1);
    if (fd >= 0) close(fd);
    CHECK("O_DIRECTORY on a file is ENOTDIR",
          open(target, O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR);

    /* the descriptor calls wasi-libc reaches only indirectly */
    int x = open(at(dir, "x.txt"), O_CREAT | O_RDWR, 0644);
    int y = open(at(dir, "y.txt"), O_CREAT | O_RDWR, 0644);
    CHECK("two files", x >= 0 && y >= 0 && write(x, "xx", 2) == 2);
    CHECK("fd_renumber", __wasi_fd_renumber((__wasi_fd_t)x, (__wasi_fd_t)y) == 0);
    __wasi_filesize_t pos = 0;
    CHECK("renumbered fd is the old file", __wasi_fd_tell((__wasi_fd_t)y, &pos) == 0 && pos == 2);
    CHECK("old number is closed", __wasi_fd_tell((__wasi_fd_t)x, &pos) == __WASI_ERRNO_BADF);
    CHECK("fd_fdstat_set_flags append",
          __wasi_fd_fdstat_set_flags((__wasi_fd_t)y, __WASI_FDFLAGS_APPEND) == 0);
    __wasi_fdstat_t fst;
    CHECK("fdstat shows append", __wasi_fd_fdstat_get((__wasi_fd_t)y, &fst) == 0 &&
                                     (fst.fs_flags & __WASI_FDFLAGS_APPEND));
    CHECK("sync flags cannot be set later",
          __wasi_fd_fdstat_set_flags((__wasi_fd_t)y, __WASI_FDFLAGS_SYNC) == __WASI_ERRNO_NOTSUP);
    CHECK("seek on a file", lseek(y, 0, SEEK_SET) == 0 && write(y, "y", 1) == 1 &&
                                fstat(y, &st) == 0 && st.st_size == 3);
    close(y);
    CHECK("cleanup", unlink(at(dir, "x.txt")) == 0 && unlink(at(dir, "y.txt")) == 0);
    __wasi_prestat_t pre;
    char name[64] = {0};
    CHECK("prestat of the preopen",
          __wasi_fd_prestat_get(3, &pre) == 0 && pre.u.dir.pr_name_len == strlen(dir));
    CHECK("prestat name", __wasi_fd_prestat_dir_name(3, (uint8_t *)name, sizeof name) == 0 &&
                              strcmp(name, dir) == 0);
    return check_failures ? 1 : 0;
}
