/* paths.c: the project root and the paths under it (see paths.h). */
#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
