/* paths.c: the project root and the paths under it (see paths.h). */
#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

static char paths_root_dir[PATH_MAX];

static int paths_is_root(const char *dir)
{
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/workloads/Makefile", dir);
    return access(probe, R_OK) == 0;
}

const char *paths_root(void)
{
    if (paths_root_dir[0]) return paths_root_dir;
    const char *env = getenv("WASMVS_ROOT");
    if (env && *env) {
        snprintf(paths_root_dir, sizeof paths_root_dir, "%s", env);
        return paths_root_dir;
    }
    char dir[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (length > 0) {
        dir[length] = '\0';
        for (char *slash = strrchr(dir, '/'); slash && slash != dir; slash = strrchr(dir, '/')) {
            *slash = '\0';
            if (paths_is_root(dir)) {
                snprintf(paths_root_dir, sizeof paths_root_dir, "%s", dir);
                return paths_root_dir;
            }
        }
    }
    if (!getcwd(paths_root_dir, sizeof paths_root_dir)) snprintf(paths_root_dir, 2, ".");
    return paths_root_dir;
}

void paths_workload(const char *variant, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/build/workloads/%s/%s", paths_root(), variant, name);
}

int paths_make_directories(const char *path, wasmvs_error *err)
{
    char partial[4096];
    size_t length = strlen(path);
    if (length == 0 || length >= sizeof partial)
        return wasmvs_fail(err, "%s: expected a folder path of 1 to %zu bytes", path,
                           sizeof partial - 1);
    for (size_t i = 1; i <= length; i++) {
        if (path[i] != '/' && path[i] != '\0') continue;
        memcpy(partial, path, i);
        partial[i] = '\0';
        if (mkdir(partial, 0755) != 0 && errno != EEXIST)
            return wasmvs_fail(err, "%s: cannot create folder: %s", partial, strerror(errno));
    }
    return 0;
}

void paths_remove_flat_directory(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL)
        if (entry->d_name[0] != '.') unlinkat(dirfd(d), entry->d_name, 0);
    closedir(d);
    rmdir(dir);
}

void paths_in_folder_with_extension(const char *dir, const char *file, const char *ext,
                                    char *out, size_t size)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    const char *dot = strrchr(base, '.');
    int stem = (int)(dot && dot != base ? (size_t)(dot - base) : strlen(base));
    snprintf(out, size, "%s/%.*s.%s", dir, stem, base, ext);
}
