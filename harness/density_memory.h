/* density_memory.h: machine-wide memory readings for the density sweep: MemAvailable
 * from /proc/meminfo, and PSS summed over a forest of process trees (every instance's
 * tree root and all their descendants) with one pass over /proc, so measuring thousands
 * of instances stays cheap and a process shared by several instances (the wasmrt
 * density host) is counted once. */
#ifndef WASMVS_DENSITY_MEMORY_H
#define WASMVS_DENSITY_MEMORY_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* MemAvailable in KiB (and MemTotal into *total_kib when not NULL); -1 when unreadable. */
long long density_memory_available_kib(long long *total_kib);

typedef struct density_memory_forest {
    long long pss_kib;
    size_t processes; /* processes whose smaps_rollup was read */
} density_memory_forest;

/* Sums PSS over roots[0..n) and all their descendants, each process once. */
int density_memory_forest_read(const pid_t *roots, size_t n, density_memory_forest *out,
                               wasmvs_error *err);

#endif
