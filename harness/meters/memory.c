/* memory.c: PSS over a process tree and cgroup memory (see memory.h). */
#include "memory.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pid_t meter_memory_parent(pid_t pid)
{
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *file = fopen(path, "r");
    if (!file) return -1;
    char *got = fgets(line, sizeof line, file);
    fclose(file);
    if (!got) return -1;
    /* "pid (comm) state ppid ...": comm may hold spaces and parentheses; the last ')'
     * ends it. */
    char *close = strrchr(line, ')');
    if (!close) return -1;
    char state;
    long parent;
    if (sscanf(close + 1, " %c %ld", &state, &parent) != 2) return -1;
    return (pid_t)parent;
}

/* Adds one process's smaps_rollup to out; 0 when read. */
static int meter_memory_add_process(pid_t pid, meter_memory_tree *out)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", (long)pid);
    FILE *file = fopen(path, "r");
    if (!file) return -1;
    long long pss = -1, rss = -1;
    while (fgets(line, sizeof line, file)) {
        if (strncmp(line, "Pss:", 4) == 0)
            pss = strtoll(line + 4, NULL, 10);
        else if (strncmp(line, "Rss:", 4) == 0)
            rss = strtoll(line + 4, NULL, 10);
    }
    fclose(file);
    if (pss < 0) return -1; /* a kernel thread or a process that just exited */
    out->pss_kib += pss;
    out->rss_kib += rss > 0 ? rss : 0;
    out->processes++;
    return 0;
}

int meter_memory_tree_read(pid_t root, meter_memory_tree *out, wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    if (meter_memory_add_process(root, out) != 0)
        return wasmvs_fail(err, "/proc/%ld/smaps_rollup: expected a live process, found none: %s",
                           (long)root, strerror(errno));
    /* One pass over /proc collects (pid, parent) pairs; descendants are then found by
     * repeated sweeps, as a tree of a few hundred processes needs no index. */
    DIR *proc = opendir("/proc");
    if (!proc) return wasmvs_fail(err, "/proc: cannot list processes: %s", strerror(errno));
    size_t count = 0, capacity = 256;
    pid_t(*pairs)[2] = malloc(capacity * sizeof *pairs);
    struct dirent *entry;
    while (pairs && (entry = readdir(proc))) {
        if (!isdigit((unsigned char)entry->d_name[0])) continue;
        pid_t pid = (pid_t)strtol(entry->d_name, NULL, 10);
        pid_t parent = meter_memory_parent(pid);
        if (parent <= 0) continue;
        if (count == capacity) {
            capacity *= 2;
            pid_t(*grown)[2] = realloc(pairs, capacity * sizeof *pairs);
            if (!grown) break;
            pairs = grown;
        }
        pairs[count][0] = pid;
        pairs[count][1] = parent;
        count++;
    }
    closedir(proc);
    if (!pairs) return wasmvs_fail(err, "/proc: out of memory listing processes");
    char *in_tree = calloc(count + 1, 1);
    for (int changed = 1; changed && in_tree;) {
        changed = 0;
        for (size_t i = 0; i < count; i++) {
            if (in_tree[i]) continue;
            int parent_in = pairs[i][1] == root;
            for (size_t j = 0; !parent_in && j < count; j++)
                parent_in = in_tree[j] && pairs[j][0] == pairs[i][1];
            if (parent_in) {
                in_tree[i] = 1;
                changed = 1;
                meter_memory_add_process(pairs[i][0], out);
            }
        }
    }
    free(in_tree);
    free(pairs);
    return 0;
}

int meter_memory_cgroup_bytes(pid_t pid, long long *bytes, char *path, size_t path_size,
                              wasmvs_error *err)
{
    char file_name[64], line[1024], v1[1024] = "", v2[1024] = "";
    snprintf(file_name, sizeof file_name, "/proc/%ld/cgroup", (long)pid);
    FILE *file = fopen(file_name, "r");
    if (!file) return wasmvs_fail(err, "%s: cannot read: %s", file_name, strerror(errno));
    while (fgets(line, sizeof line, file)) {
        line[strcspn(line, "\n")] = '\0';
        char *controllers = strchr(line, ':');
        char *group = controllers ? strchr(controllers + 1, ':') : NULL;
        if (!group) continue;
        *group++ = '\0';
        controllers++;
        if (*controllers == '\0') snprintf(v2, sizeof v2, "%s", group);
        for (char *save, *c = strtok_r(controllers, ",", &save); c; c = strtok_r(NULL, ",", &save))
            if (strcmp(c, "memory") == 0) snprintf(v1, sizeof v1, "%s", group);
    }
    fclose(file);
    /* v1 memory controller first: on a hybrid host it is the one that accounts. */
    char candidates[3][1200];
    int n = 0;
    if (v1[0])
        snprintf(candidates[n++], sizeof candidates[0],
                 "/sys/fs/cgroup/memory%s/memory.usage_in_bytes", v1);
    if (v2[0]) {
        snprintf(candidates[n++], sizeof candidates[0], "/sys/fs/cgroup%s/memory.current", v2);
        snprintf(candidates[n++], sizeof candidates[0], "/sys/fs/cgroup/unified%s/memory.current",
                 v2);
    }
    for (int i = 0; i < n; i++) {
        FILE *counter = fopen(candidates[i], "r");
        if (!counter) continue;
        long long value = -1;
        int read = fscanf(counter, "%lld", &value);
        fclose(counter);
        if (read == 1 && value >= 0) {
            *bytes = value;
            if (path) snprintf(path, path_size, "%s", candidates[i]);
            return 0;
        }
    }
    return wasmvs_fail(err, "%s: expected a memory cgroup with a usage counter, found %s",
                       file_name, n ? "none readable" : "no memory controller");
}
