/* memory.h: memory of a running instance. PSS (proportional set size, shared pages
 * divided among their sharers) from /proc/PID/smaps_rollup, summed over a process and
 * all its descendants, so an instance is charged for every helper it keeps (for Docker:
 * start the walk at the container's containerd-shim). And the memory charged to the
 * cgroup a process lives in (v1 memory controller, or cgroup v2), where one exists. */
#ifndef WASMVS_METER_MEMORY_H
#define WASMVS_METER_MEMORY_H

#include <stddef.h>
#include <sys/types.h>

#include "../error.h"

typedef struct meter_memory_tree {
    long long pss_kib; /* summed over the processes read */
    long long rss_kib;
    size_t processes; /* root and descendants whose smaps_rollup could be read */
} meter_memory_tree;

/* Sums PSS and RSS over root and its descendants. Fails when root itself is gone. */
int meter_memory_tree_read(pid_t root, meter_memory_tree *out, wasmvs_error *err);

/* The parent of pid from /proc/PID/stat, or -1. */
pid_t meter_memory_parent(pid_t pid);

/* Bytes charged to pid's memory cgroup (memory.usage_in_bytes on v1, memory.current on
 * v2); path (may be NULL) gets the file read. Fails, saying why, without a cgroup. */
int meter_memory_cgroup_bytes(pid_t pid, long long *bytes, char *path, size_t path_size,
                              wasmvs_error *err);

#endif
