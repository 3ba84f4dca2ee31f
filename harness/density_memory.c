/* density_memory.c: see density_memory.h. */
#include "density_memory.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long long density_memory_available_kib(long long *total_kib)
{
    FILE *file = fopen("/proc/meminfo", "r");
    if (!file) return -1;
    char line[256];
    long long available = -1, value;
    while (fgets(line, sizeof line, file)) {
        if (sscanf(line, "MemAvailable: %lld", &value) == 1) available = value;
        if (total_kib && sscanf(line, "MemTotal: %lld", &value) == 1) *total_kib = value;
    }
    fclose(file);
    return available;
}

/* The parent pid from /proc/PID/stat (the field after the parenthesised command name,
 * which may itself hold spaces and parentheses), or -1. */
static long density_memory_parent(const char *pid)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    FILE *file = fopen(path, "r");
    if (!file) return -1;
    size_t n = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[n] = '\0';
    char *end = strrchr(text, ')');
    long parent = -1;
    char state;
    if (!end || sscanf(end + 1, " %c %ld", &state, &parent) != 2) return -1;
    return parent;
}

/* PSS of one process in KiB, or -1 (gone, or a kernel thread). */
static long long density_memory_pss(long pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", pid);
    FILE *file = fopen(path, "r");
    if (!file) return -1;
    long long kib = -1, value;
    while (kib < 0 && fgets(line, sizeof line, file))
        if (sscanf(line, "Pss: %lld kB", &value) == 1) kib = value;
    fclose(file);
    return kib;
}

int density_memory_forest_read(const pid_t *roots, size_t n, density_memory_forest *out,
                               wasmvs_error *err)
{
    memset(out, 0, sizeof *out);
    DIR *proc = opendir("/proc");
    if (!proc) return wasmvs_fail(err, "/proc: cannot list processes: %s", strerror(errno));
    size_t count = 0, capacity = 1024;
    long *pids = malloc(capacity * sizeof *pids), *parents = malloc(capacity * sizeof *parents);
    long highest = 0;
    struct dirent *entry;
    while (pids && parents && (entry = readdir(proc))) {
        if (!isdigit((unsigned char)entry->d_name[0])) continue;
        long parent = density_memory_parent(entry->d_name);
        if (parent < 0) continue;
        if (count == capacity) {
            capacity *= 2;
            long *more_pids = realloc(pids, capacity * sizeof *pids);
            if (more_pids) pids = more_pids;
            long *more_parents = realloc(parents, capacity * sizeof *parents);
            if (more_parents) parents = more_parents;
            if (!more_pids || !more_parents) break;
        }
        pids[count] = strtol(entry->d_name, NULL, 10);
        parents[count++] = parent;
        if (pids[count - 1] > highest) highest = pids[count - 1];
    }
    closedir(proc);
    for (size_t i = 0; i < n; i++)
        if (roots[i] > highest) highest = roots[i];
    /* membership by pid: trees are a few levels deep, so a few passes settle it */
    char *member = calloc((size_t)highest + 1, 1);
    if (!pids || !parents || !member) {
        free(pids);
        free(parents);
        free(member);
        return wasmvs_fail(err, "/proc: out of memory listing processes");
    }
    for (size_t i = 0; i < n; i++)
        if (roots[i] > 0) member[roots[i]] = 1;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < count; i++)
            if (!member[pids[i]] && parents[i] > 0 && parents[i] <= highest &&
                member[parents[i]]) {
                member[pids[i]] = 1;
                changed = 1;
            }
    }
    for (long pid = 1; pid <= highest; pid++) {
        if (!member[pid]) continue;
        long long kib = density_memory_pss(pid);
        if (kib < 0) continue;
        out->pss_kib += kib;
        out->processes++;
    }
    free(member);
    free(pids);
    free(parents);
    return 0;
}
