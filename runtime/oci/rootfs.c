/* rootfs.c: mounts, devices and pivot_root (see rootfs.h). A mount's destination is
 * opened with openat2(RESOLVE_IN_ROOT) from a descriptor of the rootfs and the mount
 * made onto /proc/self/fd/N of it: the kernel resolves the path inside the rootfs once,
 * and nothing can swap a component for a symlink between a check and the mount. */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cgroup.h"
#include "log.h"

static int oci_rootfs_openat2(int dir, const char *path, int flags)
{
    struct open_how how = {.flags = (unsigned long long)(flags | O_CLOEXEC),
                           .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    return (int)syscall(SYS_openat2, dir, path, &how, sizeof how);
}

int oci_rootfs_open(int root_fd, const char *path, int create, int as_file, oci_error *err)
{
    int fd = oci_rootfs_openat2(root_fd, path, O_PATH);
    if (fd >= 0 || errno != ENOENT || !create) {
        if (fd < 0) return oci_fail(err, "%s (in the container): %s", path, strerror(errno));
        return fd;
    }
    /* make it one component at a time, each resolved inside the root again */
    char partial[PATH_MAX];
    size_t length = strlen(path);
    if (length >= sizeof partial) return oci_fail(err, "%s: the path is too long", path);
    int parent = dup(root_fd);
    for (size_t start = 0; start < length && parent >= 0;) {
        while (path[start] == '/')
            start++;
        size_t end = start;
        while (end < length && path[end] != '/')
            end++;
        if (end == start) break;
        memcpy(partial, path, end);
        partial[end] = '\0';
        char name[NAME_MAX + 1];
        snprintf(name, sizeof name, "%.*s", (int)(end - start), path + start);
        int next = oci_rootfs_openat2(root_fd, partial, O_PATH);
        if (next < 0 && errno == ENOENT) {
            bool last = end >= length || path[end + strspn(path + end, "/")] == '\0';
            int made = last && as_file
                           ? openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644)
                           : mkdirat(parent, name, 0755);
            if (made < 0 && errno != EEXIST) {
                int saved = errno;
                close(parent);
                return oci_fail(err, "%s (in the container): cannot create %s: %s", path, partial,
                                strerror(saved));
            }
            if (last && as_file) close(made);
            next = oci_rootfs_openat2(root_fd, partial, O_PATH);
        }
        close(parent);
        parent = next;
        if (parent < 0)
            return oci_fail(err, "%s (in the container): %s: %s", path, partial, strerror(errno));
        start = end;
    }
    return parent;
}

/* The /proc/self/fd path that names an open descriptor, as a mount target or source. */
static void oci_rootfs_fd_path(int fd, char *out, size_t size)
{
    snprintf(out, size, "/proc/self/fd/%d", fd);
}

/* Keeps the flags the kernel would refuse to drop on a remount (and that loosening
 * would be wrong anyway): nosuid, nodev, noexec, the atime ones. */
static unsigned long oci_rootfs_locked_flags(const char *path)
{
    struct statvfs info;
    if (statvfs(path, &info) != 0) return 0;
    unsigned long flags = 0;
    if (info.f_flag & ST_NOSUID) flags |= MS_NOSUID;
    if (info.f_flag & ST_NODEV) flags |= MS_NODEV;
    if (info.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
    if (info.f_flag & ST_NOATIME) flags |= MS_NOATIME;
    if (info.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (info.f_flag & ST_RELATIME) flags |= MS_RELATIME;
    return flags;
}

/* A change to what is now mounted at path inside the root (a remount, a propagation):
 * it needs the mount's own root, which a descriptor opened before the mount does not
 * name, so the path is opened again. A remount keeps the flags the mount has
 * (oci_rootfs_locked_flags). */
static int oci_rootfs_change(int root_fd, const char *path, unsigned long flags, const char *data,
                             oci_error *err)
{
    int fd = oci_rootfs_open(root_fd, path, 0, 0, err);
    if (fd < 0) return -1;
    char at[64];
    oci_rootfs_fd_path(fd, at, sizeof at);
    if (flags & MS_REMOUNT) flags |= oci_rootfs_locked_flags(at);
    int status = mount(NULL, at, NULL, flags, data);
    int saved = errno;
    close(fd);
    if (status != 0)
        return oci_fail(err, "%s %s: %s", flags & MS_REMOUNT ? "remount" : "mount propagation of",
                        path, strerror(saved));
    return 0;
}

/* ---- the spec's mounts ---- */

/* A "cgroup" mount: on a v2-only host without a cgroup namespace, the container's own
 * cgroup directory bound there; with one, a fresh cgroup2. On v1 and hybrid hosts, a
 * tmpfs holding each hierarchy's container directory, bound under the name the host
 * mounts it by (memory, cpu, systemd, unified), as runc lays it out. */
static int oci_rootfs_cgroup(const oci_spec *spec, const oci_mount *spec_mount, int root_fd,
                             int target, json_t *plan, oci_error *err)
{
    char where[64];
    oci_rootfs_fd_path(target, where, sizeof where);
    unsigned long readonly = spec_mount->flags & MS_RDONLY;
    unsigned long flags =
        (spec_mount->flags & ~(MS_RDONLY | MS_BIND | MS_REC)) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
    json_t *unified = oci_cgroup_entry(plan, "unified");
    bool v2_only = json_array_size(plan) == 1 && unified;
    if (v2_only) {
        int status = oci_spec_namespace(spec, CLONE_NEWCGROUP)
                         ? mount("cgroup2", where, "cgroup2", flags | readonly, NULL)
                         : mount(json_string_value(json_object_get(unified, "path")), where, NULL,
                                 MS_BIND, NULL);
        if (status != 0)
            return oci_fail(err, "mount cgroup2 on %s: %s", spec_mount->destination,
                            strerror(errno));
        if (!oci_spec_namespace(spec, CLONE_NEWCGROUP) && readonly)
            return oci_rootfs_change(root_fd, spec_mount->destination,
                                     MS_BIND | MS_REMOUNT | MS_RDONLY | flags, NULL, err);
        return 0;
    }
    if (mount("tmpfs", where, "tmpfs", flags, "mode=755") != 0)
        return oci_fail(err, "mount tmpfs on %s: %s", spec_mount->destination, strerror(errno));
    size_t i;
    json_t *entry;
    json_array_foreach(plan, i, entry)
    {
        const char *host_mount = json_string_value(json_object_get(entry, "mount"));
        const char *name = strrchr(host_mount, '/') ? strrchr(host_mount, '/') + 1 : host_mount;
        char inside[PATH_MAX], at[64];
        snprintf(inside, sizeof inside, "%s/%s", spec_mount->destination, name);
        int fd = oci_rootfs_open(root_fd, inside, 1, 0, err);
        if (fd < 0) return -1;
        oci_rootfs_fd_path(fd, at, sizeof at);
        const char *source = json_string_value(json_object_get(entry, "path"));
        int status = mount(source, at, NULL, MS_BIND, NULL);
        int saved = errno;
        close(fd);
        if (status != 0) return oci_fail(err, "bind %s on %s: %s", source, inside, strerror(saved));
        if (readonly && oci_rootfs_change(root_fd, inside, MS_BIND | MS_REMOUNT | MS_RDONLY | flags,
                                          NULL, err) != 0)
            return -1;
    }
    if (readonly)
        return oci_rootfs_change(root_fd, spec_mount->destination, MS_REMOUNT | MS_RDONLY | flags,
                                 "mode=755", err);
    return 0;
}

static int oci_rootfs_mount(const oci_spec *spec, const oci_mount *entry, int root_fd, json_t *plan,
                            oci_error *err)
{
    bool bind = !entry->type[0];
    bool file = false;
    if (bind) { /* a file is bound onto a file, anything else onto a directory */
        struct stat info;
        if (stat(entry->source, &info) != 0)
            return oci_fail(err, "bind mount source %s: %s", entry->source, strerror(errno));
        file = !S_ISDIR(info.st_mode);
    }
    int target = oci_rootfs_open(root_fd, entry->destination, 1, file, err);
    if (target < 0) return -1;
    char where[64];
    oci_rootfs_fd_path(target, where, sizeof where);
    int status = 0;
    if (strcmp(entry->type, "cgroup") == 0) {
        status = oci_rootfs_cgroup(spec, entry, root_fd, target, plan, err);
    } else if (bind) {
        unsigned long extra = entry->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
        if (mount(entry->source, where, NULL, entry->flags & (MS_BIND | MS_REC), NULL) != 0)
            status = oci_fail(err, "bind %s on %s: %s", entry->source, entry->destination,
                              strerror(errno));
        /* the flags of a bind mount take a remount of it */
        else if (extra)
            status = oci_rootfs_change(root_fd, entry->destination, MS_BIND | MS_REMOUNT | extra,
                                       NULL, err);
    } else if (mount(entry->source[0] ? entry->source : entry->type, where, entry->type,
                     entry->flags & ~MS_REMOUNT, entry->data) != 0) {
        status = oci_fail(err, "mount %s (%s) on %s with \"%s\": %s",
                          entry->source[0] ? entry->source : entry->type, entry->type,
                          entry->destination, entry->data ? entry->data : "", strerror(errno));
    }
    close(target);
    if (status == 0 && entry->propagation)
        status = oci_rootfs_change(root_fd, entry->destination, entry->propagation, NULL, err);
    return status;
}

/* ---- devices ---- */

static const oci_device oci_rootfs_default_devices[] = {
    {"/dev/null", S_IFCHR, 1, 3, 0666, 0, 0},    {"/dev/zero", S_IFCHR, 1, 5, 0666, 0, 0},
    {"/dev/full", S_IFCHR, 1, 7, 0666, 0, 0},    {"/dev/random", S_IFCHR, 1, 8, 0666, 0, 0},
    {"/dev/urandom", S_IFCHR, 1, 9, 0666, 0, 0}, {"/dev/tty", S_IFCHR, 5, 0, 0666, 0, 0},
};

static int oci_rootfs_device(int root_fd, const oci_device *device, oci_error *err)
{
    const char *slash = strrchr(device->path, '/');
    char directory[PATH_MAX];
    snprintf(directory, sizeof directory, "%.*s", (int)(slash - device->path), device->path);
    int parent = oci_rootfs_open(root_fd, directory[0] ? directory : "/", 1, 0, err);
    if (parent < 0) return -1;
    /* an O_PATH descriptor serves as the directory of mknodat */
    unlinkat(parent, slash + 1, 0);
    int status = 0;
    if (mknodat(parent, slash + 1, device->type | device->mode,
                makedev(device->major, device->minor)) != 0)
        status = oci_fail(err, "mknod %s: %s", device->path, strerror(errno));
    else if (fchownat(parent, slash + 1, device->uid, device->gid, AT_SYMLINK_NOFOLLOW) != 0)
        status = oci_fail(err, "chown %s: %s", device->path, strerror(errno));
    else if (fchmodat(parent, slash + 1, device->mode, 0) != 0) /* not under the umask */
        status = oci_fail(err, "chmod %s: %s", device->path, strerror(errno));
    close(parent);
    return status;
}

static bool oci_rootfs_has_mount(const oci_spec *spec, const char *destination)
{
    for (size_t i = 0; i < spec->mount_count; i++)
        if (strcmp(spec->mounts[i].destination, destination) == 0) return true;
    return false;
}

/* The default devices, the spec's, and the links every Linux program expects in /dev. */
static int oci_rootfs_devices(const oci_spec *spec, int root_fd, oci_error *err)
{
    for (size_t i = 0; i < sizeof oci_rootfs_default_devices / sizeof *oci_rootfs_default_devices;
         i++)
        if (oci_rootfs_device(root_fd, &oci_rootfs_default_devices[i], err) != 0) return -1;
    for (size_t i = 0; i < spec->device_count; i++)
        if (oci_rootfs_device(root_fd, &spec->devices[i], err) != 0) return -1;
    int dev = oci_rootfs_open(root_fd, "/dev", 0, 0, err);
    if (dev < 0) return -1;
    const char *links[][2] = {{"/proc/self/fd", "fd"},       {"/proc/self/fd/0", "stdin"},
                              {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
                              {"/proc/kcore", "core"},       {"pts/ptmx", "ptmx"}};
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (strcmp(links[i][1], "core") == 0 && !oci_rootfs_has_mount(spec, "/proc")) continue;
        if (strcmp(links[i][1], "ptmx") == 0 && !oci_rootfs_has_mount(spec, "/dev/pts")) continue;
        if (symlinkat(links[i][0], dev, links[i][1]) != 0 && errno != EEXIST) {
            int saved = errno;
            close(dev);
            return oci_fail(err, "symlink /dev/%s -> %s: %s", links[i][1], links[i][0],
                            strerror(saved));
        }
    }
    close(dev);
    return 0;
}

/* ---- before and after pivot_root ---- */

/* pivot_root refuses a new root whose parent mount is shared: make that one private,
 * as runc does, when the spec asked for shared propagation of the root. */
static int oci_rootfs_parent_private(const char *rootfs, oci_error *err)
{
    FILE *file = fopen("/proc/self/mountinfo", "re");
    if (!file) return oci_fail(err, "/proc/self/mountinfo: %s", strerror(errno));
    char line[4096], best[PATH_MAX] = "/", point[PATH_MAX];
    while (fgets(line, sizeof line, file))
        if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1) {
            size_t n = strlen(point);
            if (strncmp(rootfs, point, n) == 0 && (rootfs[n] == '/' || n == 1) &&
                strcmp(point, rootfs) != 0 && n >= strlen(best))
                snprintf(best, sizeof best, "%s", point);
        }
    fclose(file);
    if (mount(NULL, best, NULL, MS_PRIVATE, NULL) != 0)
        return oci_fail(err, "make %s private: %s", best, strerror(errno));
    return 0;
}

int oci_rootfs_prepare(const oci_spec *spec, json_t *plan, oci_error *err)
{
    unsigned long propagation =
        spec->rootfs_propagation ? spec->rootfs_propagation : MS_SLAVE | MS_REC;
    if (mount(NULL, "/", NULL, propagation | MS_REC, NULL) != 0)
        return oci_fail(err, "mount propagation of /: %s", strerror(errno));
    if ((propagation & MS_SHARED) && oci_rootfs_parent_private(spec->rootfs, err) != 0) return -1;
    if (mount(spec->rootfs, spec->rootfs, NULL, MS_BIND | MS_REC, NULL) != 0)
        return oci_fail(err, "bind %s onto itself: %s", spec->rootfs, strerror(errno));
    int root_fd = open(spec->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) return oci_fail(err, "%s: %s", spec->rootfs, strerror(errno));
    for (size_t i = 0; i < spec->mount_count; i++)
        if (oci_rootfs_mount(spec, &spec->mounts[i], root_fd, plan, err) != 0) {
            close(root_fd);
            return oci_wrap(err, "mounts[%zu]", i);
        }
    if (oci_rootfs_devices(spec, root_fd, err) != 0) {
        close(root_fd);
        return -1;
    }
    return root_fd;
}

int oci_rootfs_pivot(const oci_spec *spec, oci_error *err)
{
    int new_root = open(spec->rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (new_root < 0) return oci_fail(err, "%s: %s", spec->rootfs, strerror(errno));
    int status = 0;
    /* pivot_root(".", "."): the old root ends up stacked on the new one, then goes */
    if (fchdir(new_root) != 0 || syscall(SYS_pivot_root, ".", ".") != 0)
        status = oci_fail(err, "pivot_root into %s: %s", spec->rootfs, strerror(errno));
    else if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) != 0 || umount2(".", MNT_DETACH) != 0)
        status = oci_fail(err, "detaching the old root: %s", strerror(errno));
    else if (chdir("/") != 0)
        status = oci_fail(err, "chdir /: %s", strerror(errno));
    close(new_root);
    return status;
}

int oci_rootfs_sysctl(const oci_spec *spec, oci_error *err)
{
    for (size_t i = 0; i < spec->sysctl_count; i++) {
        char path[PATH_MAX];
        int n = snprintf(path, sizeof path, "/proc/sys/%s", spec->sysctl_keys[i]);
        for (char *p = path + 10; p < path + n; p++)
            if (*p == '.') *p = '/';
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        size_t length = strlen(spec->sysctl_values[i]);
        if (fd < 0 || write(fd, spec->sysctl_values[i], length) != (ssize_t)length) {
            int saved = errno;
            if (fd >= 0) close(fd);
            return oci_fail(err, "linux.sysctl.%s = \"%s\": %s: %s", spec->sysctl_keys[i],
                            spec->sysctl_values[i], path, strerror(saved));
        }
        close(fd);
    }
    return 0;
}

static int oci_rootfs_readonly(const char *path, oci_error *err)
{
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) != 0) {
        if (errno == ENOENT) return 0;
        return oci_fail(err, "linux.readonlyPaths: bind %s: %s", path, strerror(errno));
    }
    if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | oci_rootfs_locked_flags(path),
              NULL) != 0)
        return oci_fail(err, "linux.readonlyPaths: remount %s read-only: %s", path,
                        strerror(errno));
    return 0;
}

static int oci_rootfs_mask(const char *path, oci_error *err)
{
    struct stat info;
    if (stat(path, &info) != 0) return 0; /* nothing there to hide */
    int status = S_ISDIR(info.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL)
                                       : mount("/dev/null", path, NULL, MS_BIND, NULL);
    if (status != 0) return oci_fail(err, "linux.maskedPaths: mask %s: %s", path, strerror(errno));
    return 0;
}

int oci_rootfs_finish(const oci_spec *spec, oci_error *err)
{
    for (size_t i = 0; spec->readonly_paths[i]; i++)
        if (oci_rootfs_readonly(spec->readonly_paths[i], err) != 0) return -1;
    for (size_t i = 0; spec->masked_paths[i]; i++)
        if (oci_rootfs_mask(spec->masked_paths[i], err) != 0) return -1;
    if (spec->root_readonly &&
        mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | oci_rootfs_locked_flags("/"),
              NULL) != 0)
        return oci_fail(err, "root.readonly: remount / read-only: %s", strerror(errno));
    return 0;
}
