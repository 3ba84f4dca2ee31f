/* cgroup.h: the container's control groups, with the cgroupfs layout (no systemd):
 * linux.cgroupsPath names one directory, made in every hierarchy the host mounts. On a
 * v1 or hybrid host (v1 controllers, cgroup2 at /sys/fs/cgroup/unified) that is one
 * directory per v1 hierarchy plus the unified one; on a v2 host, one. The plan is a
 * JSON array of {"hierarchy", "mount", "path"}, kept in the state file so the later
 * commands (pause, ps, kill --all, delete) find the same directories. Resources are
 * written in the files of whichever version the host has (runc's conversions for v2:
 * shares to weight, quota/period to cpu.max). */
#ifndef OCI_CGROUP_H
#define OCI_CGROUP_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* The directories for cgroups_path (absolute: from each hierarchy's root; relative:
 * from this process's own cgroup; NULL: /ID, as runc) into *plan. */
int oci_cgroup_plan(const char *cgroups_path, const char *id, json_t **plan, oci_error *err);

/* Makes the directories; *unified_fd gets the cgroup2 one opened, for a clone straight
 * into it (clone3's CLONE_INTO_CGROUP), or -1 when there is none. */
int oci_cgroup_create(json_t *plan, int *unified_fd, oci_error *err);

/* Moves pid into each directory (but the cgroup2 one when unified_done: it was born
 * there). Each move is a cgroup migration, whose first costs the kernel an RCU grace
 * period (about 8 ms on this VM); a clone into the cgroup costs none. */
int oci_cgroup_join(json_t *plan, pid_t pid, bool unified_done, oci_error *err);

/* Writes linux.resources (NULL: nothing) into the plan's directories. */
int oci_cgroup_apply(json_t *plan, json_t *resources, oci_error *err);

/* Freezes (pause) or thaws (resume) every process of the container. */
int oci_cgroup_freeze(json_t *plan, bool frozen, oci_error *err);

/* The processes in the container's cgroup (malloc'ed), *count of them. */
int oci_cgroup_pids(json_t *plan, pid_t **pids, size_t *count, oci_error *err);

/* Removes the directories (waiting briefly for exiting processes to leave them). */
int oci_cgroup_remove(json_t *plan, oci_error *err);

/* The plan's entry of a v1 controller ("memory") or "unified", or NULL. */
json_t *oci_cgroup_entry(json_t *plan, const char *controller);

#endif
